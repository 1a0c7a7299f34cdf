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
func prefix(r *route, i int) piece { return piece{r.fwSeg(i), r.cumD[i]} }
func suffix(r *route, i int) piece {
	return piece{r.bwSeg(i), r.cumD[len(r.jobs)+1] - r.cumD[i]}
}
func (in *inst) jobsFrom(r *route, i int) piece {
	if r.flat {
		L := len(r.jobs)
		return piece{seg{first: r.locs[i], last: r.locs[L]}, r.cumD[L] - r.cumD[i]}
	}
	if i < r.bwjFrom {
		in.fillJobsFrom(r, i)
	}
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
	star    starData
	starTW  starTWData
	// near caps the granular neighbours improveJob tries (0: all of
	// in.near; the population search uses HGS's 20: pool_hgs.go); visits
	// counts the jobs the search has looked at, the population search's
	// unit of work.
	near   int
	visits int64
	// memo skips, after the first pass, the neighbours v of u whose route
	// and u's are unchanged since u was last tested (HGS's
	// whenLastTestRI): those moves were found not improving then and
	// still are. tested[u] is solution.mods when u's test began.
	memo   bool
	tested []int64
	// fast filters moves between routes by their arcs and loads first
	// (ls_fast.go; the population search on plain CVRP).
	fast bool
}

const lsImprove = 1e-7

// localSearch applies improving moves until none is left (first
// improvement over granular neighbourhoods): relocate of chains of 1-3 jobs,
// swap and cross-exchange of chains of 1-2 jobs, 2-opt* between routes, and relocate, swap and 2-opt inside a route,
// plus moves of a job to an empty vehicle of any type; when these find
// nothing, SWAP* between the routes of the jobs and their neighbours
// (op_swapstar.go; capacity-only problems). Inter-route moves are
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
		for _, j := range jobs {
			if !in.isMark(j) {
				st.order = append(st.order, j)
			}
		}
	}
	if st.memo && len(st.tested) < in.nj {
		st.tested = make([]int64, in.nj)
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
			st.visits++
			since := int64(-1)
			if st.memo {
				if pass > 0 {
					since = st.tested[u]
				}
				st.tested[u] = s.mods
			}
			if w.improveJob(u, since) {
				improved = true
			}
		}
		if !improved && !w.swapStarPass(st.order) {
			return
		}
	}
}

// improveJob tries the neighbourhood of u and applies the first improving
// move. It returns whether anything changed. With since >= 0 the pairs
// whose two routes are unchanged since then (route.mod) are skipped.
func (w *worker) improveJob(u int32, since int64) bool {
	s, in := w.s, w.in
	nb := in.near[u]
	if k := w.ls.near; k > 0 && k < len(nb) {
		nb = nb[:k]
	}
	for _, v := range nb {
		if s.jr[v] < 0 || s.jr[u] < 0 {
			continue
		}
		if since >= 0 && s.routes[s.jr[u]].mod <= since && s.routes[s.jr[v]].mod <= since {
			continue
		}
		if s.jr[u] == s.jr[v] {
			if w.intra(u, v) || in.multiTrip && (w.relocateWithReload(u, v, true) || w.relocateWithReload(u, v, false)) {
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
		if in.multiTrip && (w.relocateWithReload(u, v, true) || w.relocateWithReload(u, v, false) || w.moveTrip(u, v)) {
			return true
		}
	}
	if in.multiTrip && s.jr[u] >= 0 && w.removeReload(u) {
		return true
	}
	// move u to an empty vehicle
	if since >= 0 && s.jr[u] >= 0 && s.routes[s.jr[u]].mod <= since {
		return false
	}
	for t, ri := range s.spare {
		if ri >= 0 && s.jr[u] >= 0 && int(s.jr[u]) != ri && in.allowed[int(u)*in.nt+t] {
			if w.relocateTo(u, ri, 0) {
				return true
			}
		}
	}
	return false
}

// pieceCost is in.pieceCost, with duration above the limit priced instead
// of forbidden in soft mode.
func (w *worker) pieceCost(k int, p piece) (float64, bool) {
	if w.s.soft {
		return w.softCost(k, p)
	}
	return w.in.pieceCost(k, p)
}

func (w *worker) softCost(k int, p piece) (float64, bool) {
	t := &w.in.types[k]
	if p.s.tw > eps {
		return 0, false
	}
	return t.fixed + w.in.routeW + t.cpd*p.d + t.cpt*p.s.dur + w.s.lt*max(p.s.dur-t.maxDur, 0), true
}

// seqCost is in.seqCost, with every excess priced in soft mode.
func (w *worker) seqCost(k int, seq []int32) (float64, bool) {
	in := w.in
	if !w.s.soft {
		return in.seqCost(k, seq)
	}
	t := &in.types[k]
	trips, ex := 1, 0.0
	clear(w.tload)
	p := piece{s: t.startS}
	for _, x := range seq {
		p = in.join(p, piece{s: in.jseg[x]})
		if in.isMark(x) {
			ex += excessOf(w.tload, t.capa)
			clear(w.tload)
			trips++
			continue
		}
		for d, a := range in.visitAmt(x) {
			w.tload[d] += a
		}
	}
	ex += excessOf(w.tload, t.capa)
	if trips > t.maxTrips {
		return 0, false
	}
	c, _ := w.pieceCost(k, in.join(p, piece{s: t.endS}))
	return c + w.s.lq*ex, true
}

func excessOf(load, capa []int64) float64 {
	e := 0.0
	for d := range capa {
		e += float64(max(load[d]-capa[d], 0))
	}
	return e
}

// capOK reports whether load+plus-minus fits type k (always in soft mode:
// the moves then price load excess or leave it to applyTwo's check).
func (w *worker) capOK(k int, load []int64, plus, minus []int64) bool {
	if w.s.soft {
		return true
	}
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

// seqCost evaluates a node sequence (normalized) on a vehicle of type k from
// scratch: trips and their loads, windows, shift and duration.
func (in *inst) seqCost(k int, seq []int32) (float64, bool) {
	t := &in.types[k]
	if len(seq) == 0 {
		return 0, true
	}
	if in.multiTrip {
		var buf [4]int64
		load := buf[:0]
		if in.dim > len(buf) {
			load = make([]int64, in.dim)
		} else {
			load = buf[:in.dim]
		}
		if !in.seqFits(k, seq, load) {
			return 0, false
		}
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
