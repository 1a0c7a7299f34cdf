package routing

// Route-count probes at the pool's last culls (issue 17, wave 8: the
// Solomon runs above 2 % are runs whose four trajectories all ended at one
// wrong route count: RC207 on five routes where the best known has six,
// RC204 and R112 on one route too many). Ruin and recreate opens a route
// only when one visit alone is cheapest there and closes one only when a
// ruin happens to take all its visits, so late in the budget the count the
// copies of the best spread is the count of the result. From cull
// probeFrom on, instead of a copy of the best, the worst trajectory
// restarts from the best with one route more (its longest route cut in
// two, that count held as a floor) and the second worst from the best with
// one route fewer (route squeezing, that fleet held as a cap), each to be
// worked on at its count until the end of the budget or the next cull.
// This differs from wave 4's route-count moves at the culls (README.md),
// whose copies were culled again by cost before they had been worked on:
// a probe is never judged against the incumbents, only the best solution
// of the run is.

var (
	// probeOn turns the probes on (off: README.md, wave 8).
	probeOn = false
	// probeFrom is the first cull (1..cullAt) where probes replace the copy.
	probeFrom = 7
	// probeDown adds the probe at one route fewer.
	probeDown = true
	// probeSqueeze is the squeeze's iteration budget (counted in the run's).
	probeSqueeze = 1000
)

// probeOK: Solomon-class problems, as the diversity cull (pool_div.go):
// windows, one vehicle type open to every job, one trip, hard limits, the
// distance minimised.
func (p *pool) probeOK() bool {
	in := p.w.in
	return probeOn && p.culls == probeFrom && len(p.sols) >= 3 && in.anyWindows && in.nt == 1 &&
		!in.restrict && !in.multiTrip && in.routeW == 0 && !p.w.s.soft && p.w.tw == nil
}

// probe replaces the two worst trajectories by the best at one route more
// and at one route fewer. It returns the iterations the squeeze used (at
// most budget).
func (p *pool) probe(budget int, temp float64, stop func() bool) int {
	order := p.byCost()
	best, up, down := order[0], order[len(order)-1], order[len(order)-2]
	p.probes = make([]bool, len(p.sols))
	p.probes[up] = true
	var snap snapshot
	p.sols[best].save(&snap)
	p.sols[up].load(&snap)
	p.sols[up].cutLongest()
	if !probeDown || budget <= 0 {
		return 0
	}
	p.probes[down] = true
	p.sols[down].load(&snap)
	w := p.w
	prev := w.s
	w.s = p.sols[down]
	w.holdCap = true
	used := w.squeeze(stop, min(probeSqueeze, budget), temp)
	w.holdCap = false
	w.s = prev
	return used
}

// probing reports whether trajectory k is a route-count probe: the culls
// after the probes leave it alone.
func (p *pool) probing(k int) bool { return p.probes != nil && p.probes[k] }

// byCost lists the trajectories from the best current cost to the worst
// (ties: lowest index first, so runs stay reproducible).
func (p *pool) byCost() []int {
	order := make([]int, len(p.sols))
	for k, s := range p.sols {
		s.recompute()
		order[k] = k
	}
	for i := 1; i < len(order); i++ { // insertion sort: stable, four entries
		for j := i; j > 0 && p.sols[order[j]].cost < p.sols[order[j-1]].cost-1e-9; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	return order
}

// routes is the number of routes of the snapshot.
func (sn *snapshot) routes() int { return len(sn.jobs) }

// cutLongest cuts the route with the most visits in two where the two new
// depot legs add least, among cuts that leave each part at least a quarter
// of the visits, and holds the new route count as the solution's floor.
// Removing visits from a route never breaks its windows when travel times
// satisfy the triangle inequality (Solomon's do); a cut that would is
// undone. It reports whether a route was cut.
func (s *solution) cutLongest() bool {
	ri := -1
	for k, r := range s.routes {
		if ri < 0 || len(r.jobs) > len(s.routes[ri].jobs) {
			ri = k
		}
	}
	if ri < 0 || len(s.routes[ri].jobs) < 4 {
		return false
	}
	r := s.routes[ri]
	t := r.t
	sp := s.spare[t]
	if sp < 0 {
		return false
	}
	at := cutPoint(s.in, r)
	head := append([]int32(nil), r.jobs[:at]...)
	tail := append([]int32(nil), r.jobs[at:]...)
	before := s.nRoutes()
	s.beginLog()
	s.replace(ri, head)
	s.replace(sp, tail)
	if !s.routes[ri].feas || !s.routes[sp].feas || len(s.out) > 0 || s.nRoutes() != before+1 {
		s.undo()
		s.fixSpare(t)
		return false
	}
	s.commit()
	s.fixSpare(t)
	s.floor = s.nRoutes()
	return true
}

// cutPoint is the position (1..L-1: visits before it stay) of route r's
// cheapest cut into two routes of at least L/4 visits each.
func cutPoint(in *inst, r *route) int {
	L := len(r.jobs)
	n := in.n
	first, last := r.locs[0], r.locs[L+1]
	lo, hi := max(1, L/4), min(L-1, L-L/4)
	at, best := lo, inf
	for i := lo; i <= hi; i++ {
		a, b := r.locs[i], r.locs[i+1] // the last visit kept, the first moved
		add := in.dist[int(a)*n+int(last)] + in.dist[int(first)*n+int(b)] - in.dist[int(a)*n+int(b)]
		if add < best {
			at, best = i, add
		}
	}
	return at
}

// keepsFloor reports whether the solution still has the routes its floor
// asks for (a probe at one route more: cutLongest).
func (s *solution) keepsFloor() bool {
	return s.floor == 0 || s.nRoutes() >= s.floor
}

// settleFloor lowers the floor to the routes in use when the local search
// on a new best closed one: the probe's count was a means, not the goal.
func (s *solution) settleFloor() {
	if n := s.nRoutes(); s.floor > n {
		s.floor = n
	}
}
