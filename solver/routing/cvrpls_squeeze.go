package routing

// A squeeze through overloaded routes (plain CVRP, wave 12): the smallest
// route's clients go to their cheapest places in the other routes, over
// capacity if need be, and the dedicated local search (cvrpls.go), closed
// to new routes, prices a unit of excess at HGS's starting price, then 10,
// 100 and 1,000 times it, until no route is overloaded (HGS's repair).
// maintain (solve.go) runs SISR's squeeze only when this one fails.
// Measured (README.md, wave 12): all 18 X at 5 s, seeds 1-6, 0.640 ->
// 0.578 % (X-n200 1.095 -> 0.417 %).

// sqSoftOn tries the priced squeeze before SISR's (squeeze) on plain CVRP
// (fastOK); bench env SQSOFT=0 turns it off.
var sqSoftOn = true

// sqLQ multiplies the squeeze's starting price of excess (SQLQ=x).
var sqLQ = 1.0

// squeezeSoft tries to serve the clients of the smallest route with one
// route fewer. On success the worker's solution holds the result.
func (w *worker) squeezeSoft() bool {
	s := w.s
	ri := -1
	for k, r := range s.routes {
		if len(r.jobs) > 0 && (ri < 0 || len(r.jobs) < len(s.routes[ri].jobs)) {
			ri = k
		}
	}
	if ri < 0 || s.nRoutes() < 2 || len(s.out) > 0 {
		return false
	}
	return w.squeezeRoute(ri)
}

// squeezeRoute tries to serve route ri's clients in the other routes.
func (w *worker) squeezeRoute(ri int) bool {
	s := w.s
	if w.sqls == nil {
		w.sqls = newCVRPLS(w.in, hgsNear, w.rng)
		w.sqls.closed = true
	}
	ls := w.sqls
	rest := make([][]int32, 0, s.nRoutes()-1)
	for k, r := range s.routes {
		if k != ri && len(r.jobs) > 0 {
			rest = append(rest, r.jobs)
		}
	}
	lq := sqLQ * w.in.hgsPenalty()
	ls.loadRoutes(rest, lq)
	id := ls.idOf()
	for _, j := range s.routes[ri].jobs {
		ls.insertCheapest(id[j])
	}
	ls.focus = ls.focus[:0]
	for _, m := range [...]float64{1, 10, 100, 1000} {
		ls.setLQ(lq * m) // search's first pass tries every client and route pair again
		ls.search()
		if ls.excess() == 0 {
			break
		}
	}
	if ls.excess() > 0 {
		return false
	}
	ls.loadInto(s, ls.routesOut())
	return true
}

// insertCheapest puts client u (an id in no route) where it adds least to
// the priced cost, among the non-empty routes.
func (ls *cvrpLS) insertCheapest(u int32) {
	br, bp, bc := -1, 0, inf
	for r, s := range ls.seq {
		if len(s) <= 2 {
			continue
		}
		dp := ls.excessPen(ls.load[r]+ls.dem[u]) - ls.pen[r]
		for p := 0; p+1 < len(s); p++ {
			if c := dp + ls.c(s[p], u) + ls.c(u, s[p+1]) - ls.c(s[p], s[p+1]); c < bc {
				br, bp, bc = r, p, c
			}
		}
	}
	s := ls.seq[br]
	s = append(s, 0)
	copy(s[bp+2:], s[bp+1:])
	s[bp+1] = u
	ls.seq[br] = s
	ls.clock++
	ls.update(br)
}

// setLQ prices a unit of load excess at lq and reprices every route.
func (ls *cvrpLS) setLQ(lq float64) {
	ls.lq = lq
	for r := range ls.seq {
		ls.pen[r] = ls.excessPen(ls.load[r])
	}
}
