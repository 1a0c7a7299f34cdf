package routing

// intra tries moves of u inside its own route guided by neighbour v:
// relocate u (or a chain of 2-3 nodes from u) next to v, swap u and v, and
// 2-opt between them. Evaluated in O(L) on a scratch sequence. Chains and
// reversed stretches may hold reloads: these moves also shift visits
// between the trips of a vehicle, checked trip by trip.
func (w *worker) intra(u, v int32) bool {
	s, in := w.s, w.in
	ri := s.jr[u]
	r := s.routes[ri]
	L := len(r.jobs)
	pu, pv := int(s.jp[u])-1, int(s.jp[v])-1 // 0-based
	try := func(build func(b []int32) []int32) bool {
		st := &w.ls
		st.b1 = build(st.b1[:0])
		if len(r.mk) > 0 {
			st.b1 = in.normalize(r.t, st.b1) // a move may empty a trip
		}
		c, ok := w.seqCost(r.t, st.b1)
		if !ok || c >= r.cost-lsImprove {
			return false
		}
		return w.applyTwo(ri, -1, func(bu, bv []int32) ([]int32, []int32) {
			return append(bu, st.b1...), bv
		})
	}
	distOnly := !in.hasTimeCost
	for k := 1; k <= 3; k++ {
		if pu+k > L || (pv >= pu && pv < pu+k) {
			break
		}
		for _, after := range [2]bool{true, false} {
			if distOnly && !in.chainFilter(r, pu, k, pv, after) {
				continue
			}
			if try(func(b []int32) []int32 { return moveChain(b, r.jobs, pu, k, pv, after) }) {
				return true
			}
		}
	}
	if !distOnly || in.swapFilter(r, pu, pv) {
		if try(func(b []int32) []int32 {
			b = append(b, r.jobs...)
			b[pu], b[pv] = b[pv], b[pu]
			return b
		}) {
			return true
		}
	}
	// 2-opt: reverse the part between u and v so that u and v become adjacent
	i, j := pu, pv
	if i > j {
		i, j = j, i
	}
	if j-i >= 2 {
		if (!distOnly || !in.sym || in.revFilter(r, i+1, j)) && try(func(b []int32) []int32 { return reversed(b, r.jobs, i+1, j) }) {
			return true
		}
		if (!distOnly || !in.sym || in.revFilter(r, i, j-1)) && try(func(b []int32) []int32 { return reversed(b, r.jobs, i, j-1) }) {
			return true
		}
	}
	return false
}

// rloc is the location of 0-based job index i of r; -1 is the start depot
// and len(r.jobs) the end depot.
func (in *inst) rloc(r *route, i int) int {
	if i < 0 {
		return int(in.types[r.t].start)
	}
	if i >= len(r.jobs) {
		return int(in.types[r.t].end)
	}
	return int(in.loc[r.jobs[i]])
}

// swapFilter: does swapping positions a and b shorten the route?
func (in *inst) swapFilter(r *route, a, b int) bool {
	if a > b {
		a, b = b, a
	}
	n := in.n
	d := func(x, y int) float64 { return in.dist[in.rloc(r, x)*n+in.rloc(r, y)] }
	var old, nw float64
	if b == a+1 {
		old = d(a-1, a) + d(a, b) + d(b, b+1)
		nw = in.dist[in.rloc(r, a-1)*n+in.rloc(r, b)] + in.dist[in.rloc(r, b)*n+in.rloc(r, a)] + in.dist[in.rloc(r, a)*n+in.rloc(r, b+1)]
	} else {
		la, lb := in.rloc(r, a), in.rloc(r, b)
		old = d(a-1, a) + d(a, a+1) + d(b-1, b) + d(b, b+1)
		nw = in.dist[in.rloc(r, a-1)*n+lb] + in.dist[lb*n+in.rloc(r, a+1)] + in.dist[in.rloc(r, b-1)*n+la] + in.dist[la*n+in.rloc(r, b+1)]
	}
	return nw < old-lsImprove
}

// revFilter: does reversing positions i..j shorten a symmetric route?
func (in *inst) revFilter(r *route, i, j int) bool {
	n := in.n
	a, f, l, b := in.rloc(r, i-1), in.rloc(r, i), in.rloc(r, j), in.rloc(r, j+1)
	return in.dist[a*n+l]+in.dist[f*n+b] < in.dist[a*n+f]+in.dist[l*n+b]-lsImprove
}

// chainFilter reports whether moving the chain shortens the route (a cheap
// pre-check, exact when the cost depends on distance only).
func (in *inst) chainFilter(r *route, pu, k, pv int, after bool) bool {
	L := len(r.jobs)
	loc := func(i int) int { // 0-based job index, -1 start, L end
		if i < 0 {
			return int(in.types[r.t].start)
		}
		if i >= L {
			return int(in.types[r.t].end)
		}
		return int(in.loc[r.jobs[i]])
	}
	n := in.n
	a, b := loc(pu-1), loc(pu+k)
	f, l := loc(pu), loc(pu+k-1)
	gain := in.dist[a*n+f] + in.dist[l*n+b] - in.dist[a*n+b]
	var x, y int
	if after {
		x, y = loc(pv), loc(pv+1)
		if pv+1 == pu {
			return false
		}
	} else {
		x, y = loc(pv-1), loc(pv)
		if pv-1 == pu+k-1 {
			return false
		}
	}
	add := in.dist[x*n+f] + in.dist[l*n+y] - in.dist[x*n+y]
	return add < gain-lsImprove
}

// moveChain writes jobs with the chain jobs[pu:pu+k] moved right after (or
// before) position pv.
func moveChain(b, jobs []int32, pu, k, pv int, after bool) []int32 {
	ins := pv
	if after {
		ins = pv + 1
	}
	for i := 0; i <= len(jobs); i++ {
		if i == ins {
			b = append(b, jobs[pu:pu+k]...)
		}
		if i == len(jobs) {
			break
		}
		if i >= pu && i < pu+k {
			continue
		}
		b = append(b, jobs[i])
	}
	return b
}

func reversed(b, jobs []int32, i, j int) []int32 {
	b = append(b, jobs[:i]...)
	for x := j; x >= i; x-- {
		b = append(b, jobs[x])
	}
	return append(b, jobs[j+1:]...)
}
