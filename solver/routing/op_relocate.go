package routing

// relocate moves the chain of k visits starting at u to after v
// (after=true) or before v, in another route (Or-opt between routes). A
// chain holding a reload is not moved: reloads belong to their vehicle.
func (w *worker) relocate(u int32, k int, v int32, after bool) bool {
	s, in := w.s, w.in
	ru, rv := s.routes[s.jr[u]], s.routes[s.jr[v]]
	pu, pv := int(s.jp[u]), int(s.jp[v])
	if pu+k-1 > len(ru.jobs) {
		return false
	}
	if !after {
		pv--
	}
	for x := 0; x < k; x++ {
		y := ru.jobs[pu-1+x]
		if in.isMark(y) || !in.allowed[int(y)*in.nt+rv.t] {
			return false
		}
	}
	if w.ls.fast && w.rejectRelocate(ru, rv, pu, k, pv) { // ls_fast.go
		return false
	}
	cl := w.loadRange(ru, pu, k, w.tmp)
	soft := w.s.soft
	var penV, penU float64
	if len(rv.mk) == 0 && !soft { // the common case, kept inline
		if !w.capOK(rv.t, rv.load(in), cl, w.zero) {
			return false
		}
	} else {
		var ok bool
		if penV, ok = w.tripCheck(rv.t, rv, pv, cl, w.zero); !ok {
			return false
		}
		if soft {
			penU, _ = w.tripCheck(ru.t, ru, pu, w.zero, cl)
		}
	}
	c := in.chain(ru, pu, k)
	nv := in.join(in.join(prefix(rv, pv), c), suffix(rv, pv+1))
	cv, ok := in.pieceCost(rv.t, nv)
	if soft {
		cv, ok = w.softCost(rv.t, nv)
	}
	if !ok {
		return false
	}
	cv += penV
	cu := 0.0
	if len(ru.jobs) > k {
		nu := in.without(ru, pu, pu+k-1)
		cu, ok = in.pieceCost(ru.t, nu)
		if soft {
			cu, ok = w.softCost(ru.t, nu)
		}
		if !ok {
			return false
		}
		cu += penU
	}
	if cu+cv >= ru.cost+rv.cost-lsImprove {
		return false
	}
	return w.applyTwo(s.jr[u], s.jr[v], func(bu, bv []int32) ([]int32, []int32) {
		bu = append(bu, ru.jobs[:pu-1]...)
		bu = append(bu, ru.jobs[pu-1+k:]...)
		bv = append(bv, rv.jobs[:pv]...)
		bv = append(bv, ru.jobs[pu-1:pu-1+k]...)
		bv = append(bv, rv.jobs[pv:]...)
		return bu, bv
	})
}

// relocateTo moves visit u into route ri after node pos (used for empty
// routes).
func (w *worker) relocateTo(u int32, ri int, pos int) bool {
	s, in := w.s, w.in
	ru, rv := s.routes[s.jr[u]], s.routes[ri]
	pu := int(s.jp[u])
	penV, ok := w.tripCheck(rv.t, rv, pos, in.visitAmt(u), w.zero)
	if !ok {
		return false
	}
	penU := 0.0
	if w.s.soft {
		penU, _ = w.tripCheck(ru.t, ru, pu, w.zero, in.visitAmt(u))
	}
	nv := in.join(in.join(prefix(rv, pos), piece{s: in.jseg[u]}), suffix(rv, pos+1))
	cv, ok := w.pieceCost(rv.t, nv)
	if !ok {
		return false
	}
	cv += penV
	cu := 0.0
	if len(ru.jobs) > 1 {
		cu, ok = w.pieceCost(ru.t, in.without(ru, pu, pu))
		if !ok {
			return false
		}
		cu += penU
	}
	if cu+cv >= ru.cost+rv.cost-lsImprove {
		return false
	}
	return w.applyTwo(s.jr[u], int32(ri), func(bu, bv []int32) ([]int32, []int32) {
		bu = append(bu, ru.jobs[:pu-1]...)
		bu = append(bu, ru.jobs[pu:]...)
		bv = append(bv, rv.jobs[:pos]...)
		bv = append(bv, u)
		bv = append(bv, rv.jobs[pos:]...)
		return bu, bv
	})
}
