package routing

// relocateWithReload moves visit u next to visit v with a new reload
// between them (PyVRP's RelocateWithDepot; Francois, Arda & Crama 2019's
// insertion with a depot visit): v, reload, u when reloadFirst (u opens a
// trip after v's part of its trip) or v, u, reload (u closes v's part). It
// is how a full trip is cut in two so that a vehicle takes on more work
// without a second vehicle. Between routes it is evaluated in O(1) with the
// segments; inside one route from scratch.
func (w *worker) relocateWithReload(u, v int32, reloadFirst bool) bool {
	s, in := w.s, w.in
	ru, rv := s.routes[s.jr[u]], s.routes[s.jr[v]]
	tv := &in.types[rv.t]
	if rv.trips() >= tv.maxTrips || !in.allowed[int(u)*in.nt+rv.t] {
		return false
	}
	pu, pv := int(s.jp[u]), int(s.jp[v])
	if ru == rv {
		return w.reloadSameRoute(u, pu, pv, reloadFirst)
	}
	// capacity: u joins the part of v's trip after v (reload first) or the
	// part up to v
	trip := rv.tripOf(pv)
	from, to := rv.tripBounds(trip)
	a := in.visitAmt(u)
	for d := 0; d < in.dim && !s.soft; d++ {
		part := rv.cumL[pv*in.dim+d] - rv.cumL[from*in.dim+d]
		if reloadFirst {
			part = rv.cumL[to*in.dim+d] - rv.cumL[pv*in.dim+d]
		}
		if part+a[d] > tv.capa[d] {
			return false
		}
	}
	m := piece{s: in.jseg[tv.mark]}
	pc := piece{s: in.jseg[u]}
	nv := in.join(prefix(rv, pv), m)
	nv = in.join(nv, pc)
	if !reloadFirst {
		nv = in.join(in.join(prefix(rv, pv), pc), m)
	}
	nv = in.join(nv, suffix(rv, pv+1))
	cv, ok := w.pieceCost(rv.t, nv)
	if !ok {
		return false
	}
	cu := 0.0
	if len(ru.jobs) > 1 {
		if cu, ok = w.pieceCost(ru.t, in.without(ru, pu, pu)); !ok {
			return false
		}
	}
	if cu+cv >= ru.cost+rv.cost-lsImprove {
		return false
	}
	return w.applyTwo(s.jr[u], s.jr[v], func(bu, bv []int32) ([]int32, []int32) {
		bu = append(bu, ru.jobs[:pu-1]...)
		bu = append(bu, ru.jobs[pu:]...)
		bv = append(bv, rv.jobs[:pv]...)
		if reloadFirst {
			bv = append(bv, tv.mark, u)
		} else {
			bv = append(bv, u, tv.mark)
		}
		bv = append(bv, rv.jobs[pv:]...)
		return bu, bv
	})
}

// reloadSameRoute is relocateWithReload inside one route (u at node pu, v
// at node pv), evaluated on a scratch sequence.
func (w *worker) reloadSameRoute(u int32, pu, pv int, reloadFirst bool) bool {
	s, in := w.s, w.in
	ri := s.jr[u]
	r := s.routes[ri]
	mark := in.types[r.t].mark
	st := &w.ls
	b := st.b1[:0]
	for i, x := range r.jobs {
		if i == pu-1 {
			continue
		}
		b = append(b, x)
		if i == pv-1 {
			if reloadFirst {
				b = append(b, mark, u)
			} else {
				b = append(b, u, mark)
			}
		}
	}
	st.b1 = in.normalize(r.t, b)
	c, ok := w.seqCost(r.t, st.b1)
	if !ok || c >= r.cost-lsImprove {
		return false
	}
	return w.applyTwo(ri, -1, func(bu, bv []int32) ([]int32, []int32) {
		return append(bu, st.b1...), bv
	})
}
