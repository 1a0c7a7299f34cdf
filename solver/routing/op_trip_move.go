package routing

// moveTrip moves the whole trip of visit u (u its first visit) onto the
// vehicle of v as a trip of its own: before its first trip, between two of
// its trips or after its last. A trip leaves from and comes back to the
// depot, so between two trucks of one type and depot it only moves time
// around; it pays when it empties a truck (its fixed cost saved) or puts
// the trip on a cheaper type. Evaluated with the segments in O(trip length
// + trips of v).
func (w *worker) moveTrip(u, v int32) bool {
	s, in := w.s, w.in
	ru, rv := s.routes[s.jr[u]], s.routes[s.jr[v]]
	tv := &in.types[rv.t]
	if rv.trips() >= tv.maxTrips {
		return false
	}
	from, to := ru.tripBounds(ru.tripOf(int(s.jp[u])))
	if int(s.jp[u]) != from+1 { // u opens the trip
		return false
	}
	k := to - from - 1 // visits of the trip: nodes from+1 .. to-1
	for x := from + 1; x < to; x++ {
		if !in.allowed[int(ru.jobs[x-1])*in.nt+rv.t] {
			return false
		}
	}
	if !w.s.soft {
		load := w.loadRange(ru, from+1, k, w.tmp)
		if !w.capOK(rv.t, w.zero, load, w.zero) {
			return false
		}
	}
	cu := 0.0 // the route of u loses the trip, or empties
	if ru.trips() > 1 {
		var ok bool
		if cu, ok = w.pieceCost(ru.t, in.without(ru, from+1, to-1)); !ok {
			return false
		}
	}
	trip := in.chain(ru, from+1, k)
	mark := piece{s: in.jseg[tv.mark]}
	bestC, bestAt := ru.cost+rv.cost-lsImprove-cu, -1
	// before the first trip, after each reload: trip, reload, rest
	try := func(at int) {
		p := in.join(in.join(in.join(prefix(rv, at), trip), mark), suffix(rv, at+1))
		if c, ok := w.pieceCost(rv.t, p); ok && c < bestC {
			bestC, bestAt = c, at
		}
	}
	try(0)
	for _, m := range rv.mk {
		try(int(m))
	}
	L := len(rv.jobs)
	last := in.join(in.join(in.join(prefix(rv, L), mark), trip), suffix(rv, L+1))
	if c, ok := w.pieceCost(rv.t, last); ok && c < bestC {
		bestC, bestAt = c, L
	}
	if bestAt < 0 {
		return false
	}
	return w.applyTwo(s.jr[u], s.jr[v], func(bu, bv []int32) ([]int32, []int32) {
		bu = append(bu, ru.jobs[:from]...)
		bu = append(bu, ru.jobs[to-1:]...)
		bv = append(bv, rv.jobs[:bestAt]...)
		if bestAt == L {
			bv = append(bv, tv.mark)
			bv = append(bv, ru.jobs[from:to-1]...)
		} else {
			bv = append(bv, ru.jobs[from:to-1]...)
			bv = append(bv, tv.mark)
		}
		return bu, append(bv, rv.jobs[bestAt:]...)
	})
}
