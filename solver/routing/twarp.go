package routing

// Penalised time windows (issue 17, wave 6). On Solomon the runs above 2 %
// end in route-count basins (RC204 seed 1: every trajectory on the same
// four routes, 2.3 % above the best known; RC102 15 against 14 routes): an annealing that only ever visits feasible solutions must
// cross a wall of infeasible ones to change the route structure. HGS-TW
// (Vidal et al. 2013, "A hybrid genetic algorithm with adaptive diversity
// management for a large class of vehicle routing problems with
// time-windows") and PyVRP let the search be late instead: a route's time
// warp (the lateness its schedule would need, computed by the same
// concatenable segments as the feasibility test) is priced at lw per time
// unit, and lw is adapted so that a target share of the solutions the
// search makes are feasible.
//
// Off (warpOn false): on Solomon at 55,000 iterations it measured the same
// as the hard search at equal CPU (an iteration costs the same): target
// 0.6 of on-time solutions, seeds 1-14, 0.272 % against 0.278 % (R109 at
// its optimum; paired -0.006 point, SE 0.020), runs above 2 % 5 against
// 4; target 0.85, seeds 1-8, 0.278 against 0.278 %; worse at target 0.3
// (0.324 %) and with the warp in route squeezing only (0.304 %): README.md, "Measured choices of
// issue 17, wave 6". The late states the annealing visits do change the
// route count of some runs (RC204 seed 1: 2.33 -> 0.89 %), but just as
// many others land in a basin they did not (C203 seed 1: 0.00 -> 4.93 %,
// four routes against three).
//
// With warpOn, on the problems warpOK admits, Solve's ruin and recreate
// inserts into late positions at their price and the annealing accepts
// late solutions at their penalised cost (with warpSqueeze, only route
// squeezing does, and it succeeds only when the squeezed solution is on
// time again). The best solution is kept among
// feasible ones only, so the result is always feasible. The local search
// stays hard (it runs on new best solutions, which are feasible). Every
// warpEvery iterations lw is multiplied by warpUp when fewer than
// warpTarget-0.05 of the recreated solutions were on time, by warpDown
// when more than warpTarget+0.05 were (HGS-CVRP's schedule: factors 1.2
// and 0.85 every 100 solutions, aiming at 0.2 feasible after its local
// search; PyVRP's penalty manager aims at 0.43); every trajectory of the
// pool is priced with the current lw. An annealing keeps one current
// solution rather than a population with an infeasible half, so the
// targets measured are higher (0.6, 0.85).

// warpOn enables the penalised time windows (bench harness: env TWARP=1);
// warpInit is the initial price of a unit of time warp per unit of
// distance cost (HGS-TW starts at 1 on Solomon, where time and distance
// share their unit); warpTarget the share of on-time recreated solutions
// aimed at (TWTARGET); warpEvery, warpUp, warpDown the adaptation schedule
// (TWEVERY, TWUP, TWDOWN); warpMin and warpMax bound lw relative to
// warpInit.
var (
	warpOn     = false
	warpInit   = 1.0
	warpTarget = 0.6
	warpEvery  = 100
	warpUp     = 1.2
	warpDown   = 0.85
	warpMin    = 1e-3
	warpMax    = 1e3
	// warpEnd is the share of the budget after which the price stays at
	// its maximum (the trajectories return to feasibility; TWEND);
	// warpSqueeze prices the time warp in route squeezing only (TWSQ).
	warpEnd     = 1.0
	warpSqueeze = false
	// warpMix prices the time warp in every other trajectory of the pool
	// only (odd indices; the others stay hard), a portfolio of the two
	// searches whose culls copy only on-time solutions (TWMIX). Measured
	// worse on Solomon (seeds 1-9: 0.317 % against 0.278 %; README.md).
	warpMix = false
)

// warpFor reports whether trajectory k of a pool carries the price.
func warpFor(k int) bool { return !warpMix || k%2 == 1 }

// priceTrajectories gives every trajectory the current price, or hard
// windows where warpMix keeps it hard (its solution is on time: the
// culls copy only on-time solutions under warpMix).
func (p *pool) priceTrajectories() {
	tw := p.w.tw
	if tw == nil || warpSqueeze {
		return
	}
	for k, s := range p.sols {
		switch {
		case warpFor(k):
			s.setWarp(tw.lw)
		case s.warp:
			s.warpOff()
		}
	}
}

// cullSource is the trajectory a cull copies: under warpMix the best
// on-time one (a hard trajectory must not receive a late solution).
func (p *pool) cullSource(bi int) int {
	if p.w.tw == nil || !warpMix || p.sols[bi].nWarp == 0 {
		return bi
	}
	src := -1
	for k, s := range p.sols {
		if s.nWarp == 0 && (src < 0 || s.cost < p.sols[src].cost-1e-9) {
			src = k
		}
	}
	return src
}

// warpState is a worker's adaptive time-warp price.
type warpState struct {
	lw       float64 // the price every trajectory carries
	base     float64 // warpInit scaled to the distance cost
	onTime   int     // recreated solutions on time since the last update
	recorded int
}

// warpOK reports whether the time warp may be priced: windows, one vehicle
// type open to every job, one trip per vehicle, single windows, no time
// cost, no maximum duration, hard limits, distance minimised (Solomon). A
// route's infeasibility is then its time warp alone: recreate keeps loads
// within capacity and removals never add load.
func (w *worker) warpOK() bool {
	in := w.in
	return warpOn && in.anyWindows && in.nt == 1 && !in.restrict && !in.multiTrip && !in.anyMulti &&
		!in.hasTimeCost && in.routeW == 0 && in.types[0].maxDur >= big && in.types[0].cpd > 0 && !w.s.soft
}

// startWarp switches the worker's solution to priced time warp when warpOK.
func (w *worker) startWarp() {
	if !w.warpOK() {
		return
	}
	base := warpInit * w.in.types[0].cpd
	w.tw = &warpState{lw: base, base: base}
	if !warpSqueeze {
		w.s.setWarp(base)
	}
}

// warpOff returns a feasible solution to hard windows (warpSqueeze).
func (s *solution) warpOff() {
	s.warp, s.lw, s.nWarp = false, 0, 0
	for _, r := range s.routes {
		if len(r.jobs) > 0 {
			r.cost = s.in.routeCost(r.t, r.dist, r.dur)
		}
	}
	s.recompute()
}

// priceWarp adds r's time warp at the solution's price to its cost (replace).
func (s *solution) priceWarp(r *route) {
	if len(r.jobs) == 0 {
		return
	}
	r.cost += s.lw * r.warp
	if r.warp > eps {
		s.nWarp++
	}
}

// setWarp prices every route's time warp at lw and sets warp mode: the
// route costs and the total are computed again, by the same operations as
// replace.
func (s *solution) setWarp(lw float64) {
	if s.warp && s.lw == lw {
		return
	}
	s.warp, s.lw = true, lw
	s.nWarp = 0
	for _, r := range s.routes {
		if len(r.jobs) == 0 {
			continue
		}
		r.cost = s.in.routeCost(r.t, r.dist, r.dur)
		s.priceWarp(r)
	}
	s.recompute()
}

// acceptable reports whether the routes the iteration changed may be kept:
// feasible, or (warp mode, where nothing else can fail) late at a price.
func (w *worker) acceptable() bool {
	s := w.s
	if s.warp {
		return true
	}
	if !s.keepsFloor() { // pool_probe.go
		return false
	}
	for _, ri := range s.logRoute {
		if !s.routes[ri].feas {
			return false
		}
	}
	return true
}

// warpStep records whether the recreated solution was on time and adapts
// the price every warpEvery records; it runs after the annealing decided.
// From progress warpEnd on, the price is the maximum.
func (w *worker) warpStep(onTime bool, progress float64) {
	st := w.tw
	if progress >= warpEnd {
		if lw := st.base * warpMax; st.lw != lw {
			st.lw = lw
			w.s.setWarp(lw)
		}
		return
	}
	if onTime {
		st.onTime++
	}

	st.recorded++
	if st.recorded < warpEvery {
		return
	}
	share := float64(st.onTime) / float64(st.recorded)
	st.onTime, st.recorded = 0, 0
	lw := st.lw
	switch {
	case share < warpTarget-0.05:
		lw = min(lw*warpUp, st.base*warpMax)
	case share > warpTarget+0.05:
		lw = max(lw*warpDown, st.base*warpMin)
	}
	if lw != st.lw {
		st.lw = lw
		w.s.setWarp(lw)
	}
}

// rangeWarp is rangeTime in warp mode (one trip, hard loads, single
// windows, no maximum duration, no time cost: warpOK): a position's cost
// is its detour plus the change of the route's time warp at the price lw.
// The warp of fw[i] + j + bw[i+1] is catT's, computing only what it reads,
// and the second join is skipped when the first part's warp already
// prices the position out (warp only grows along the concatenation).
func (e *posEval) rangeWarp(i0, i1 int, best *insertion) {
	w, r, t := e.w, e.r, e.t
	in := w.in
	n := in.n
	lj := int(in.loc[e.j])
	row := in.dist[lj*n : (lj+1)*n]
	lw := w.s.lw
	sj := &in.jseg[e.j]
	for i := i0; i < i1; i++ {
		prev, next := int(r.locs[i]), int(r.locs[i+1])
		var dd float64
		if in.sym {
			dd = row[prev] + row[next] - (r.cumD[i+1] - r.cumD[i])
		} else {
			dd = in.dist[prev*n+lj] + in.dist[lj*n+next] - in.dist[prev*n+next]
		}
		c := e.extra + t.cpd*dd
		if c >= best.cost {
			continue // the time warp never falls when a visit is added
		}
		f, b := &r.fw[i], &r.bw[i+1]
		t1 := in.dur[int(f.last)*n+int(sj.first)]
		delta := f.dur - f.tw + t1
		wt := max(sj.e-delta-f.l, 0)
		tw1 := max(f.e+delta-sj.l, 0)
		aTw := f.tw + sj.tw + tw1
		if c+lw*(aTw+b.tw-r.warp) >= best.cost {
			continue
		}
		aDur := f.dur + sj.dur + t1 + wt
		aE := max(sj.e-delta, f.e) - wt
		t2 := in.dur[int(sj.last)*n+int(b.first)]
		delta2 := aDur - aTw + t2
		tw2 := max(aE+delta2-b.l, 0)
		c += lw * (aTw + b.tw + tw2 - r.warp)
		if c >= best.cost {
			continue
		}
		*best = insertion{ri: e.ri, pos: i, cost: c}
	}
}

// squeezeWarp reports whether route squeezing runs with the time warp
// priced (warpSqueeze) on a problem whose capacity gives no route bound.
func (w *worker) squeezeWarp() bool { return w.tw != nil && warpSqueeze }

// lateJob is a random job of a random late route (nWarp > 0): while
// squeezing, the strings are removed around the lateness.
func (w *worker) lateJob() int32 {
	s := w.s
	k := w.rng.IntN(s.nWarp)
	for _, r := range s.routes {
		if len(r.jobs) > 0 && r.warp > eps {
			if k == 0 {
				return r.jobs[w.rng.IntN(len(r.jobs))]
			}
			k--
		}
	}
	return -1
}
