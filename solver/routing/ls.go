package routing

// piece is a sub-sequence of a route: its segment data and its internal
// travel distance. Pieces joined end to end give a whole route in O(1) per
// join, which is what makes inter-route moves constant-time.
type piece struct {
	s seg
	d float64
}

func (in *inst) join(a, b piece) piece {
	return piece{s: in.cat(a.s, b.s), d: a.d + b.d + in.dist[int(a.s.last)*in.n+int(b.s.first)]}
}

// prefix: nodes 0..i; suffix: nodes i..L+1; jobsFrom: jobs i..L (i <= L).
func prefix(r *route, i int) piece { return piece{r.fw[i], r.cumD[i]} }
func suffix(r *route, i int) piece { return piece{r.bw[i], r.cumD[len(r.jobs)+1] - r.cumD[i]} }
func jobsFrom(r *route, i int) piece {
	return piece{r.bwj[i], r.cumD[len(r.jobs)] - r.cumD[i]}
}

// chain: nodes i..i+k-1 of r (all jobs).
func (in *inst) chain(r *route, i, k int) piece {
	p := piece{s: in.jseg[r.jobs[i-1]]}
	for x := 1; x < k; x++ {
		p.s = in.cat(p.s, in.jseg[r.jobs[i-1+x]])
	}
	p.d = r.cumD[i+k-1] - r.cumD[i]
	return p
}

// cost of a whole route (depots included) of type k, ok=false if infeasible.
func (in *inst) pieceCost(k int, p piece) (float64, bool) {
	t := &in.types[k]
	if p.s.tw > eps || p.s.dur > t.maxDur+eps {
		return 0, false
	}
	return t.fixed + in.routeW + t.cpd*p.d + t.cpt*p.s.dur, true
}

type lsState struct {
	order   []int32
	b1, b2  []int32
	oa, ob  []int32
	checkFn func() bool // returns true when the search must stop
}

const lsImprove = 1e-7

// localSearch applies improving moves until none is left (first
// improvement over granular neighbourhoods): relocate of chains of 1-3 jobs,
// swap and cross-exchange of chains of 1-2 jobs, 2-opt* between routes, and relocate, swap and 2-opt inside a route,
// plus moves of a job to an empty vehicle of any type. Inter-route moves are
// evaluated in O(1) with the route segments; intra-route moves in O(L).

func (w *worker) localSearch(jobs []int32) {
	s, in := w.s, w.in
	st := &w.ls
	st.order = st.order[:0]
	if jobs == nil {
		for j := 0; j < in.nj; j++ {
			if in.active[j] {
				st.order = append(st.order, int32(j))
			}
		}
	} else {
		st.order = append(st.order, jobs...)
	}
	for pass := 0; pass < 1000; pass++ {
		improved := false
		w.rng.Shuffle(len(st.order), func(a, b int) { st.order[a], st.order[b] = st.order[b], st.order[a] })
		for _, u := range st.order {
			if st.checkFn != nil && st.checkFn() {
				return
			}
			if s.jr[u] < 0 {
				continue
			}
			if w.improveJob(u) {
				improved = true
			}
		}
		if !improved {
			return
		}
	}
}

// improveJob tries the neighbourhood of u and applies the first improving
// move. It returns whether anything changed.
func (w *worker) improveJob(u int32) bool {
	s, in := w.s, w.in
	for _, v := range in.near[u] {
		if s.jr[v] < 0 || s.jr[u] < 0 {
			continue
		}
		if s.jr[u] == s.jr[v] {
			if w.intra(u, v) {
				return true
			}
			continue
		}
		for k := 1; k <= 3; k++ {
			if w.relocate(u, k, v, true) || w.relocate(u, k, v, false) {
				return true
			}
		}
		if w.swapChains(u, 1, v, 1) || w.twoOptStar(u, v, 0) || w.twoOptStar(u, v, -1) ||
			w.swapChains(u, 2, v, 1) || w.swapChains(u, 1, v, 2) || w.swapChains(u, 2, v, 2) {
			return true
		}
	}
	// move u to an empty vehicle
	for t, ri := range s.spare {
		if ri >= 0 && s.jr[u] >= 0 && int(s.jr[u]) != ri && in.allowed[int(u)*in.nt+t] {
			if w.relocateTo(u, ri, 0) {
				return true
			}
		}
	}
	return false
}

func (w *worker) capOK(k int, load []int64, plus, minus []int64) bool {
	c := w.in.types[k].capa
	for d := range c {
		if load[d]+plus[d]-minus[d] > c[d] {
			return false
		}
	}
	return true
}

// loadRange returns the summed amount of nodes i..i+k-1 in tmp.
func (w *worker) loadRange(r *route, i, k int, tmp []int64) []int64 {
	dim := w.in.dim
	for d := 0; d < dim; d++ {
		tmp[d] = r.cumL[(i+k-1)*dim+d] - r.cumL[(i-1)*dim+d]
	}
	return tmp
}

// relocate moves the chain of k jobs starting at u to after v (after=true)
// or before v, in another route.
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
		if !in.allowed[int(ru.jobs[pu-1+x])*in.nt+rv.t] {
			return false
		}
	}
	cl := w.loadRange(ru, pu, k, w.tmp)
	if !w.capOK(rv.t, rv.load(in), cl, w.zero) {
		return false
	}
	c := in.chain(ru, pu, k)
	nv := in.join(in.join(prefix(rv, pv), c), suffix(rv, pv+1))
	cv, ok := in.pieceCost(rv.t, nv)
	if !ok {
		return false
	}
	cu := 0.0
	if len(ru.jobs) > k {
		nu := in.join(prefix(ru, pu-1), suffix(ru, pu+k))
		cu, ok = in.pieceCost(ru.t, nu)
		if !ok {
			return false
		}
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

// relocateTo moves u into route ri after node pos (used for empty routes).
func (w *worker) relocateTo(u int32, ri int, pos int) bool {
	s, in := w.s, w.in
	ru, rv := s.routes[s.jr[u]], s.routes[ri]
	pu := int(s.jp[u])
	if !w.capOK(rv.t, rv.load(in), in.jobAmt(u), w.zero) {
		return false
	}
	nv := in.join(in.join(prefix(rv, pos), piece{s: in.jseg[u]}), suffix(rv, pos+1))
	cv, ok := in.pieceCost(rv.t, nv)
	if !ok {
		return false
	}
	cu := 0.0
	if len(ru.jobs) > 1 {
		cu, ok = in.pieceCost(ru.t, in.join(prefix(ru, pu-1), suffix(ru, pu+1)))
		if !ok {
			return false
		}
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

// swapChains exchanges the ku jobs starting at u with the kv jobs starting
// at v (another route): swap for 1-1, cross-exchange for longer chains.
func (w *worker) swapChains(u int32, ku int, v int32, kv int) bool {
	s, in := w.s, w.in
	ru, rv := s.routes[s.jr[u]], s.routes[s.jr[v]]
	pu, pv := int(s.jp[u]), int(s.jp[v])
	if pu+ku-1 > len(ru.jobs) || pv+kv-1 > len(rv.jobs) {
		return false
	}
	for x := 0; x < ku; x++ {
		if !in.allowed[int(ru.jobs[pu-1+x])*in.nt+rv.t] {
			return false
		}
	}
	for x := 0; x < kv; x++ {
		if !in.allowed[int(rv.jobs[pv-1+x])*in.nt+ru.t] {
			return false
		}
	}
	lu := w.loadRange(ru, pu, ku, w.tmp)
	lv := w.loadRange(rv, pv, kv, w.tmp2)
	if !w.capOK(ru.t, ru.load(in), lv, lu) || !w.capOK(rv.t, rv.load(in), lu, lv) {
		return false
	}
	cu, cv := in.chain(ru, pu, ku), in.chain(rv, pv, kv)
	nu := in.join(in.join(prefix(ru, pu-1), cv), suffix(ru, pu+ku))
	costU, ok := in.pieceCost(ru.t, nu)
	if !ok {
		return false
	}
	nv := in.join(in.join(prefix(rv, pv-1), cu), suffix(rv, pv+kv))
	costV, ok := in.pieceCost(rv.t, nv)
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

// twoOptStar exchanges the tails after u and after v+off (off 0 or -1).
func (w *worker) twoOptStar(u, v int32, off int) bool {
	s, in := w.s, w.in
	ru, rv := s.routes[s.jr[u]], s.routes[s.jr[v]]
	pu, pv := int(s.jp[u]), int(s.jp[v])+off
	Lu, Lv := len(ru.jobs), len(rv.jobs)
	if in.restrict && ru.t != rv.t {
		for _, j := range ru.jobs[pu:] {
			if !in.allowed[int(j)*in.nt+rv.t] {
				return false
			}
		}
		for _, j := range rv.jobs[pv:] {
			if !in.allowed[int(j)*in.nt+ru.t] {
				return false
			}
		}
	}
	dim := in.dim
	lu, lv := ru.load(in), rv.load(in)
	cu0, cv0 := ru.cumL[pu*dim:(pu+1)*dim], rv.cumL[pv*dim:(pv+1)*dim]
	tu, tv := &in.types[ru.t], &in.types[rv.t]
	for d := 0; d < dim; d++ {
		if cu0[d]+lv[d]-cv0[d] > tu.capa[d] || cv0[d]+lu[d]-cu0[d] > tv.capa[d] {
			return false
		}
	}
	nu := prefix(ru, pu)
	if pv < Lv {
		nu = in.join(nu, jobsFrom(rv, pv+1))
	}
	nu = in.join(nu, piece{s: tu.endS})
	nv := prefix(rv, pv)
	if pu < Lu {
		nv = in.join(nv, jobsFrom(ru, pu+1))
	}
	nv = in.join(nv, piece{s: tv.endS})
	cu, cv := 0.0, 0.0
	ok := true
	if pu+Lv-pv > 0 {
		if cu, ok = in.pieceCost(ru.t, nu); !ok {
			return false
		}
	}
	if pv+Lu-pu > 0 {
		if cv, ok = in.pieceCost(rv.t, nv); !ok {
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

// applyTwo rewrites routes a and b with the sequences built by f and keeps
// the change only if it is feasible and cheaper (this double-checks the
// O(1) evaluation and handles jobs with several windows exactly).
func (w *worker) applyTwo(a, b int32, f func(bu, bv []int32) ([]int32, []int32)) bool {
	s := w.s
	st := &w.ls
	st.b1, st.b2 = f(st.b1[:0], st.b2[:0])
	// keep the old sequences to roll back; this works inside a logged
	// ruin-and-recreate iteration too
	st.oa = append(st.oa[:0], s.routes[a].jobs...)
	if b >= 0 {
		st.ob = append(st.ob[:0], s.routes[b].jobs...)
	}
	before := s.cost
	s.replace(int(a), st.b1)
	if b >= 0 {
		s.replace(int(b), st.b2)
	}
	ra := s.routes[a]
	ok := ra.feas && s.cost < before-lsImprove
	if b >= 0 {
		ok = ok && s.routes[b].feas
	}
	if !ok {
		if b >= 0 {
			s.replace(int(b), st.ob)
		}
		s.replace(int(a), st.oa)
		return false
	}
	return true
}

// intra tries moves of u inside its own route guided by neighbour v:
// relocate u (or a chain of 2-3 from u) next to v, swap u and v, and 2-opt
// between them. Evaluated in O(L) on a scratch sequence.
func (w *worker) intra(u, v int32) bool {
	s, in := w.s, w.in
	ri := s.jr[u]
	r := s.routes[ri]
	L := len(r.jobs)
	pu, pv := int(s.jp[u])-1, int(s.jp[v])-1 // 0-based
	try := func(build func(b []int32) []int32) bool {
		st := &w.ls
		st.b1 = build(st.b1[:0])
		c, ok := in.seqCost(r.t, st.b1)
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

// seqCost evaluates a job sequence on a vehicle of type k from scratch.
func (in *inst) seqCost(k int, seq []int32) (float64, bool) {
	t := &in.types[k]
	if len(seq) == 0 {
		return 0, true
	}
	p := piece{s: t.startS}
	multi := false
	for _, j := range seq {
		p = in.join(p, piece{s: in.jseg[j]})
		multi = multi || in.multi[j]
	}
	p = in.join(p, piece{s: t.endS})
	c, ok := in.pieceCost(k, p)
	if !ok || !multi {
		return c, ok
	}
	feas, dur, _, _ := in.simulate(k, seq)
	if !feas || dur > t.maxDur+eps {
		return 0, false
	}
	return t.fixed + in.routeW + t.cpd*p.d + t.cpt*dur, true
}
