package routing

// crossOn restarts the culled trajectory from a crossover of the two best
// instead of a copy of the best. Off: on CVRPLIB X 300-400 customers it was
// no better than the copy at equal CPU time (README.md, "Measured choices
// of issue 17"); kept for the benchmark harness (env CROSS=1) and for a
// population search to build on.
var crossOn = false

// crossFullLS polishes the whole child instead of the visits that moved.
var crossFullLS = false

// crossOK reports whether the crossover applies: capacity-only problems
// with one trip per vehicle and hard limits (with windows it was worse on
// Solomon and cost a third more time: README.md).
func (p *pool) crossOK() bool {
	in := p.w.in
	return crossOn && in.noTime && !in.multiTrip && !p.w.s.soft
}

// cross writes into trajectory dst a child of trajectories a and b by
// selective route exchange (Nagata & Kobayashi 2010, SREX, simplified): the
// routes of b around a random visit replace the routes of a that share a
// visit with them; the visits of a's broken routes not in b's routes are
// reinserted greedily and the local search polishes the child around the
// visits that moved. It
// returns false, changing nothing, where it does not apply (crossOK, a
// fleet the child would exceed); a child leaving more visits out than a is
// replaced by a copy of a.
func (p *pool) cross(a, b, dst int) bool {
	w, in := p.w, p.w.in
	sa, sb := p.sols[a], p.sols[b]
	if !p.crossOK() || sb.nRoutes() < 2 {
		return false
	}
	var child snapshot
	take := p.takeRoutes(sb)
	used := make([]int, in.nt)
	taken := make([]bool, in.nj)
	for _, ri := range take {
		r := sb.routes[ri]
		child.types = append(child.types, r.t)
		child.jobs = append(child.jobs, r.jobs)
		used[r.t]++
		for _, j := range r.jobs {
			taken[j] = true
		}
	}
	// the local search looks at the visits of b's routes and of a's
	// broken ones: the rest is a's as it was
	w.lsJobs = w.lsJobs[:0]
	for _, ri := range take {
		w.lsJobs = append(w.lsJobs, sb.routes[ri].jobs...)
	}
	for _, r := range sa.routes {
		if len(r.jobs) == 0 {
			continue
		}
		if hitsAny(r.jobs, taken) {
			for _, j := range r.jobs {
				if !taken[j] {
					w.lsJobs = append(w.lsJobs, j)
				}
			}
			continue
		}
		child.types = append(child.types, r.t)
		child.jobs = append(child.jobs, r.jobs)
		used[r.t]++
	}
	for t, u := range used {
		if u > in.types[t].count {
			return false
		}
	}
	keep := w.s
	w.s = p.sols[dst]
	defer func() { w.s = keep }()
	w.s.load(&child)
	w.recreate(0)
	if crossFullLS {
		w.localSearch(nil)
	} else {
		w.localSearch(w.lsJobs)
	}
	w.s.recompute()
	if len(w.s.out) > len(sa.out) {
		var snap snapshot
		sa.save(&snap)
		w.s.load(&snap)
	}
	return true
}

// takeRoutes picks the routes of s that b gives the child: those of a
// random visit and of its nearest neighbours, up to a random count between
// one and a quarter of s's routes.
func (p *pool) takeRoutes(s *solution) []int {
	w, in := p.w, p.w.in
	k := 1 + w.rng.IntN(max(1, s.nRoutes()/4))
	var seed int32 = -1
	for try := 0; try < 64 && seed < 0; try++ {
		if j := int32(w.rng.IntN(in.nj)); s.jr[j] >= 0 {
			seed = j
		}
	}
	if seed < 0 {
		return nil
	}
	take := []int{int(s.jr[seed])}
	for _, v := range in.near[seed] {
		if len(take) >= k {
			break
		}
		if ri := int(s.jr[v]); ri >= 0 && !containsInt(take, ri) {
			take = append(take, ri)
		}
	}
	return take
}

func hitsAny(jobs []int32, taken []bool) bool {
	for _, j := range jobs {
		if taken[j] {
			return true
		}
	}
	return false
}

func containsInt(a []int, x int) bool {
	for _, y := range a {
		if y == x {
			return true
		}
	}
	return false
}
