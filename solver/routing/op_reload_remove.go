package routing

// removeReload merges the trip of visit u with the trip before or after it
// by dropping the reload between them (PyVRP's RemoveAdjacentDepot): one
// return to the depot fewer when the merged trip still fits the vehicle.
// Evaluated in O(1) with the segments and the prefix loads.
func (w *worker) removeReload(u int32) bool {
	s, in := w.s, w.in
	ri := s.jr[u]
	r := s.routes[ri]
	if len(r.mk) == 0 {
		return false
	}
	pu := int(s.jp[u])
	for _, m := range [2]int{pu - 1, pu + 1} {
		if m < 1 || m > len(r.jobs) || !in.isMark(r.jobs[m-1]) {
			continue
		}
		if w.dropReload(ri, m) {
			return true
		}
	}
	return false
}

// dropReload removes the reload at node m of route ri if the merged trip
// fits and the route gets cheaper.
func (w *worker) dropReload(ri int32, m int) bool {
	s, in := w.s, w.in
	r := s.routes[ri]
	t := &in.types[r.t]
	k := r.tripOf(m) // the trip the reload opens
	from, _ := r.tripBounds(k - 1)
	_, to := r.tripBounds(k)
	for d := 0; d < in.dim && !s.soft; d++ {
		if r.cumL[to*in.dim+d]-r.cumL[from*in.dim+d] > t.capa[d] {
			return false
		}
	}
	c, ok := w.pieceCost(r.t, in.join(prefix(r, m-1), suffix(r, m+1)))
	if !ok || c >= r.cost-lsImprove {
		return false
	}
	return w.applyTwo(ri, -1, func(bu, bv []int32) ([]int32, []int32) {
		bu = append(bu, r.jobs[:m-1]...)
		return append(bu, r.jobs[m:]...), bv
	})
}
