package routing

// Insertion searches bounded by a cost: a caller choosing among several
// places (the periodic planner's patterns: one insertion per day, summed)
// needs only insertions cheaper than the best it holds, and the search
// skips the time checks of every position that cannot beat that.

// BestInsertionBelow is BestInsertion restricted to insertions costing less
// than limit: ok is false when there is none. When BestInsertion's cost is
// below limit, it returns the same insertion (the same place, not only the
// same cost), so that a search using it visits the same plans.
func (pl *Plan) BestInsertionBelow(j int, limit float64) (ins Insertion, ok bool) {
	in := pl.m.in
	if in.first[j+1]-in.first[j] != 1 {
		// A split job's pieces are placed one after another: its cost is
		// known only at the end.
		if ins, ok = pl.BestInsertion(j); ok && ins.cost >= limit {
			return Insertion{}, false
		}
		return ins, ok
	}
	v := in.first[j]
	if !in.active[v] || pl.w.s.jr[v] >= 0 {
		return Insertion{}, false
	}
	best := pl.placeBelow(v, limit)
	if best.ri < 0 {
		return Insertion{}, false
	}
	return Insertion{job: j, ver: pl.ver, cost: best.cost, places: []insertion{best}}, true
}

// placeBelow is the cheapest feasible insertion of visit v costing less
// than limit (ri < 0: none; place is placeBelow(v, inf)).
//
// Every comparison with the best place so far is strict, so starting from
// limit finds the first cheapest place, as starting from +Inf does,
// whenever it costs less than limit; but a place with several windows is
// priced by a segment estimate first and then exactly, and the estimate
// may exceed the exact cost: then the search is not bounded.
func (pl *Plan) placeBelow(v int32, limit float64) insertion {
	in := pl.m.in
	cand := pl.w.candidates(v, true)
	best := insertion{ri: -1, pos: -1, cost: limit}
	if limit < inf {
		exact := in.multi[v]
		for _, ri := range cand {
			exact = exact || pl.w.s.routes[ri].nm > 0
		}
		if exact {
			best.cost = inf
		}
	}
	for _, ri := range cand {
		pl.w.evalInsert(ri, v, 0, &best)
	}
	if best.ri < 0 || best.cost >= limit {
		return insertion{ri: -1, pos: -1, cost: inf}
	}
	return best
}
