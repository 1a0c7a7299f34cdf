package routing

// swapChains exchanges the ku visits starting at u with the kv visits
// starting at v (another route): swap for 1-1, cross-exchange for longer
// chains. Chains holding a reload are not exchanged.
func (w *worker) swapChains(u int32, ku int, v int32, kv int) bool {
	s, in := w.s, w.in
	ru, rv := s.routes[s.jr[u]], s.routes[s.jr[v]]
	pu, pv := int(s.jp[u]), int(s.jp[v])
	if pu+ku-1 > len(ru.jobs) || pv+kv-1 > len(rv.jobs) {
		return false
	}
	for x := 0; x < ku; x++ {
		y := ru.jobs[pu-1+x]
		if in.isMark(y) || !in.allowed[int(y)*in.nt+rv.t] {
			return false
		}
	}
	for x := 0; x < kv; x++ {
		y := rv.jobs[pv-1+x]
		if in.isMark(y) || !in.allowed[int(y)*in.nt+ru.t] {
			return false
		}
	}
	if w.ls.fast && w.rejectSwap(ru, rv, pu, ku, pv, kv) { // ls_fast.go
		return false
	}
	lu := w.loadRange(ru, pu, ku, w.tmp)
	lv := w.loadRange(rv, pv, kv, w.tmp2)
	soft := w.s.soft
	var penU, penV float64
	if len(ru.mk) == 0 && len(rv.mk) == 0 && !soft { // the common case, kept inline
		if !w.capOK(ru.t, ru.load(in), lv, lu) || !w.capOK(rv.t, rv.load(in), lu, lv) {
			return false
		}
	} else {
		var okU, okV bool
		penU, okU = w.tripCheck(ru.t, ru, pu, lv, lu)
		penV, okV = w.tripCheck(rv.t, rv, pv, lu, lv)
		if !okU || !okV {
			return false
		}
	}
	cu, cv := in.chain(ru, pu, ku), in.chain(rv, pv, kv)
	nu := in.join(in.join(prefix(ru, pu-1), cv), suffix(ru, pu+ku))
	costU, ok := in.pieceCost(ru.t, nu)
	if soft {
		costU, ok = w.softCost(ru.t, nu)
	}
	if !ok {
		return false
	}
	costU += penU
	nv := in.join(in.join(prefix(rv, pv-1), cu), suffix(rv, pv+kv))
	costV, ok := in.pieceCost(rv.t, nv)
	if soft {
		costV, ok = w.softCost(rv.t, nv)
	}
	costV += penV
	if !ok || costU+costV >= ru.cost+rv.cost-lsImprove {
		return false
	}
	return w.applyTwo(s.jr[u], s.jr[v], func(bu, bv []int32) ([]int32, []int32) {
		bu = append(bu, ru.jobs[:pu-1]...)
		bu = append(bu, rv.jobs[pv-1:pv-1+kv]...)
		bu = append(bu, ru.jobs[pu-1+ku:]...)
		bv = append(bv, rv.jobs[:pv-1]...)
		bv = append(bv, ru.jobs[pu-1:pu-1+ku]...)
		bv = append(bv, rv.jobs[pv-1+kv:]...)
		return bu, bv
	})
}
