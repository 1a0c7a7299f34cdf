package routing

// twoOptStar exchanges the tails after u and after v+off (off 0 or -1):
// 2-opt* between two routes. With trips, the two trips that meet at the
// cut merge, and the whole trips of the tail change vehicle.
func (w *worker) twoOptStar(u, v int32, off int) bool {
	s, in := w.s, w.in
	ru, rv := s.routes[s.jr[u]], s.routes[s.jr[v]]
	pu, pv := int(s.jp[u]), int(s.jp[v])+off
	Lu, Lv := len(ru.jobs), len(rv.jobs)
	if in.restrict && ru.t != rv.t {
		for _, j := range ru.jobs[pu:] {
			if !in.isMark(j) && !in.allowed[int(j)*in.nt+rv.t] {
				return false
			}
		}
		for _, j := range rv.jobs[pv:] {
			if !in.isMark(j) && !in.allowed[int(j)*in.nt+ru.t] {
				return false
			}
		}
	}
	if w.ls.fast && w.rejectTwoOptStar(ru, rv, pu, pv) { // ls_fast.go
		return false
	}
	dim := in.dim
	tu, tv := &in.types[ru.t], &in.types[rv.t]
	switch {
	case w.s.soft: // load excess is priced when applyTwo evaluates the routes
	case len(ru.mk) == 0 && len(rv.mk) == 0:
		lu, lv := ru.load(in), rv.load(in)
		cu0, cv0 := ru.cumL[pu*dim:(pu+1)*dim], rv.cumL[pv*dim:(pv+1)*dim]
		for d := 0; d < dim; d++ {
			if cu0[d]+lv[d]-cv0[d] > tu.capa[d] || cv0[d]+lu[d]-cu0[d] > tv.capa[d] {
				return false
			}
		}
	case !in.tailsFit(ru, pu, rv, pv) || !in.tailsFit(rv, pv, ru, pu):
		return false
	}
	nu := prefix(ru, pu)
	if pv < Lv {
		nu = in.join(nu, in.jobsFrom(rv, pv+1))
	}
	nu = in.join(nu, piece{s: tu.endS})
	nv := prefix(rv, pv)
	if pu < Lu {
		nv = in.join(nv, in.jobsFrom(ru, pu+1))
	}
	nv = in.join(nv, piece{s: tv.endS})
	cu, cv := 0.0, 0.0
	ok := true
	if pu+Lv-pv > 0 {
		if cu, ok = in.pieceCost(ru.t, nu); w.s.soft {
			cu, ok = w.softCost(ru.t, nu)
		}
		if !ok {
			return false
		}
	}
	if pv+Lu-pu > 0 {
		if cv, ok = in.pieceCost(rv.t, nv); w.s.soft {
			cv, ok = w.softCost(rv.t, nv)
		}
		if !ok {
			return false
		}
	}
	if cu+cv >= ru.cost+rv.cost-lsImprove {
		return false
	}
	return w.applyTwo(s.jr[u], s.jr[v], func(bu, bv []int32) ([]int32, []int32) {
		bu = append(bu, ru.jobs[:pu]...)
		bu = append(bu, rv.jobs[pv:]...)
		bv = append(bv, rv.jobs[:pv]...)
		bv = append(bv, ru.jobs[pu:]...)
		return bu, bv
	})
}
