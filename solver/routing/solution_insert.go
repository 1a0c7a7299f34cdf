package routing

// oneTripHard reports whether every vehicle makes one trip and the
// worker's solution has hard limits: where insertOne replaces insert in
// recreate (with trips, reloads are normalised; with priced limits, the
// route is priced: both stay on the plain path). Windows, shifts and
// durations are no reason to stay there: insertOne updates the route as
// replace does.
func (w *worker) oneTripHard() bool {
	return !w.in.multiTrip && !w.s.soft
}

// insertOne is insert(ri, pos, buf, j) for one unassigned visit j on a
// problem with one trip per vehicle and hard limits (no reloads to
// normalise, nothing to price but the time warp in warp mode), without replace's round trip of the
// route's jobs through the unassigned list: replace moves every job of
// the route out and back in, which leaves the list exactly as removing j
// alone by swapping in the last entry does (every other entry before the
// appended ones stays where it was, and the list ends one shorter). The
// cost takes the same float operations in the same order (each old job's
// penalty added, each new one's subtracted), and the route is updated
// with the head and tail that replace's kept finds (pos, L-pos), so the
// solution ends bit for bit as insert leaves it
// (TestInsertOneMatchesInsert).
func (s *solution) insertOne(ri, pos int, j int32) {
	in := s.in
	r := s.routes[ri]
	s.logTouch(ri)
	wasEmpty := len(r.jobs) == 0
	if s.warp && r.warp > eps {
		s.nWarp--
	}
	s.mods++
	r.mod = s.mods
	c := s.cost - r.cost
	pen := in.pen
	for _, o := range r.jobs {
		c += pen[o]
	}
	oldL := len(r.jobs)
	r.jobs = append(r.jobs, j)
	copy(r.jobs[pos+1:], r.jobs[pos:oldL])
	r.jobs[pos] = j
	for _, x := range r.jobs {
		c -= pen[x]
	}
	s.cost = c
	s.dropOut(j)
	s.jr[j] = int32(ri)
	for i := pos; i < len(r.jobs); i++ {
		s.jp[r.jobs[i]] = int32(i + 1)
	}
	in.updateKept(r, oldL, pos, oldL-pos)
	if s.warp {
		s.priceWarp(r) // time warp priced (twarp.go), as replace does
	}
	s.cost += r.cost
	if wasEmpty {
		s.used[r.t]++
		s.fixSpare(r.t)
	}
}
