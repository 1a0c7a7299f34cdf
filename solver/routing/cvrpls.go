package routing

// A local search for plain CVRP with its own data structures (issue 17,
// wave 7), for the population search (pool_hgs.go), which educates every
// child with a local search and so needs one an order of magnitude cheaper
// than the engine's general route model (ls.go: segments, windows, trips,
// several load dimensions, a route rebuilt per tested move). The design is
// that of HGS-CVRP's LocalSearch (Vidal 2022), written anew here: clients
// kept in route sequences with their position and cumulated load, O(1)
// evaluation of relocate (one node, two nodes, two nodes reversed), swap
// (1-1, 2-1, 2-2), 2-opt within a route and both forms of 2-opt* between
// routes, for each client and each of its granular neighbours (the hgsNear
// nearest, made symmetric); SWAP* between routes that hold neighbours
// (cvrpls_swapstar.go); load above capacity priced at lq per unit; a
// client whose routes and its neighbours' routes are unchanged since it was
// last tested is skipped (HGS's whenLastTestedRI).
//
// It applies only to plain CVRP as fastOK admits it: one vehicle type
// starting and ending at the same depot, no fixed cost, one load dimension,
// symmetric distances, no time aspect, one trip. Every move's change of
// cost is exact in that model, so the tracked cost is the routes' cost
// (checked by TestCVRPLSProperty).

import "math/rand/v2"

// cvrpEps: a move is applied only when it lowers the cost by more than
// this (HGS's MY_EPSILON).
const cvrpEps = 1e-5

// cvrpLS is the local search's state. Client k (an active visit) has id
// k+1; id 0 is the depot. A route's sequence starts and ends with 0.
type cvrpLS struct {
	vis  []int32   // id -> visit (vis[0] unused)
	cm   []float64 // m*m cost matrix over ids (cost per distance included)
	m    int
	dem  []int64
	capa int64
	near [][]int32 // per id: granular neighbours (ids), symmetric
	// nearest per id: its first neighbours by cost (near is shuffled);
	// set for swapStarLocal's filoStarK (cvrpls_filo.go)
	nearest [][]int32

	seq      [][]int32 // per route
	cum      [][]int64 // per route, per position: load up to it
	load     []int64
	pen      []float64 // per route: lq x load above capacity
	dist     []float64 // per route: cost of its arcs
	route    []int32   // per id
	pos      []int32   // per id
	lq       float64
	clock    int   // applied moves and loads; never reset (stamps)
	modified []int // per route: clock of its last change
	testedRI []int // per id

	order   []int32
	focus   []int32   // clients tried as u (runFocus); empty: all
	in      [][]int32 // bestLS: the routes handed over (shared, read only)
	snap    snapshot  // bestLS: the routes handed back
	scratch [2][]int32
	rng     *rand.Rand

	// evals counts move evaluations (the population's budget unit);
	// applied counts applied moves.
	evals, applied int64
	// check, when set, is called after every applied move with its
	// predicted change of cost (tests).
	check func(delta float64)

	idVisit []int32 // visit -> id (idOf)
	// angle per id and each route's sector (cvrpls_swapstar.go); nil:
	// SWAP* pairs by neighbours instead
	angle        []int32
	secLo, secHi []int32
	ss           swapStar
	// closed: no move opens an empty route (squeezeSoft)
	closed bool
}

// fastOK reports whether the dedicated local search applies (see the
// package comment above): plain CVRP, one dimension, symmetric, no fixed
// cost, one depot for start and end.
func (in *inst) fastOK() bool {
	if !in.plainCVRP() || !in.sym || in.dim != 1 || in.anyFixed {
		return false
	}
	t := &in.types[0]
	return t.start == t.end && t.fixed == 0
}

// newCVRPLS prepares the local search for the active visits of in, with k
// granular neighbours each.
func newCVRPLS(in *inst, k int, rng *rand.Rand) *cvrpLS {
	ls := &cvrpLS{vis: []int32{-1}, rng: rng}
	id := make([]int32, in.nj)
	for j, a := range in.active {
		if a {
			id[j] = int32(len(ls.vis))
			ls.vis = append(ls.vis, int32(j))
		}
	}
	m := len(ls.vis)
	ls.m = m
	t := &in.types[0]
	ls.capa = t.capa[0]
	loc := make([]int, m)
	loc[0] = int(t.start)
	ls.dem = make([]int64, m)
	for i := 1; i < m; i++ {
		loc[i] = int(in.loc[ls.vis[i]])
		ls.dem[i] = in.visitAmt(ls.vis[i])[0]
	}
	ls.cm = make([]float64, m*m)
	for a := 0; a < m; a++ {
		for b := 0; b < m; b++ {
			ls.cm[a*m+b] = t.cpd * in.dist[loc[a]*in.n+loc[b]]
		}
	}
	// The k nearest active visits of each, then the union with the
	// reverse relation, as HGS's correlated vertices.
	set := make([]map[int32]bool, m)
	for i := 1; i < m; i++ {
		set[i] = map[int32]bool{}
	}
	for i := 1; i < m; i++ {
		c := 0
		for _, j := range in.near[ls.vis[i]] {
			if c == k {
				break
			}
			if in.active[j] {
				set[i][id[j]], set[id[j]][int32(i)] = true, true
				c++
			}
		}
	}
	ls.near = make([][]int32, m)
	for i := 1; i < m; i++ {
		// Deterministic order: by cost, then id.
		for _, j := range in.near[ls.vis[i]] {
			if in.active[j] && set[i][id[j]] {
				ls.near[i] = append(ls.near[i], id[j])
				delete(set[i], id[j])
			}
		}
		rest := make([]int32, 0, len(set[i]))
		for j := range set[i] {
			rest = append(rest, j)
		}
		sortIDs(rest, func(a, b int32) bool {
			ca, cb := ls.c(int32(i), a), ls.c(int32(i), b)
			return ca < cb || ca == cb && a < b
		})
		ls.near[i] = append(ls.near[i], rest...)
	}
	ls.route = make([]int32, m)
	ls.pos = make([]int32, m)
	ls.testedRI = make([]int, m)
	ls.order = make([]int32, 0, m-1)
	for i := 1; i < m; i++ {
		ls.order = append(ls.order, int32(i))
	}
	return ls
}

func sortIDs(x []int32, less func(a, b int32) bool) {
	for i := 1; i < len(x); i++ {
		for j := i; j > 0 && less(x[j], x[j-1]); j-- {
			x[j], x[j-1] = x[j-1], x[j]
		}
	}
}

func (ls *cvrpLS) c(a, b int32) float64 { return ls.cm[int(a)*ls.m+int(b)] }

func (ls *cvrpLS) excessPen(load int64) float64 {
	if load <= ls.capa {
		return 0
	}
	return ls.lq * float64(load-ls.capa)
}

// load sets the routes (visit indices) and the price of load excess. Spare
// empty routes are added so that a move may open a route: HGS's fleet of
// ceil(1.3 x total demand / capacity) + 3, and at least one spare.
func (ls *cvrpLS) loadRoutes(routes [][]int32, lq float64) {
	ls.lq = lq
	var total int64
	for i := 1; i < ls.m; i++ {
		total += ls.dem[i]
	}
	nr := max(len(routes)+1, int((13*total+10*ls.capa-1)/(10*ls.capa))+3)
	for len(ls.seq) < nr {
		ls.seq = append(ls.seq, nil)
		ls.cum = append(ls.cum, nil)
	}
	ls.seq, ls.cum = ls.seq[:nr], ls.cum[:nr]
	ls.load = resize(ls.load, nr)
	ls.pen = resize(ls.pen, nr)
	ls.dist = resize(ls.dist, nr)
	ls.modified = resize(ls.modified, nr)
	ls.secLo, ls.secHi = resize(ls.secLo, nr), resize(ls.secHi, nr)
	id := ls.idOf()
	ls.clock++
	for r := 0; r < nr; r++ {
		s := append(ls.seq[r][:0], 0)
		if r < len(routes) {
			for _, j := range routes[r] {
				s = append(s, id[j])
			}
		}
		ls.seq[r] = append(s, 0)
		ls.update(r)
	}
}

// idOf maps visits to ids (0 for visits that are not clients).
func (ls *cvrpLS) idOf() []int32 {
	if ls.idVisit == nil {
		n := int32(0)
		for _, j := range ls.vis[1:] {
			n = max(n, j+1)
		}
		ls.idVisit = make([]int32, n)
		for i := 1; i < ls.m; i++ {
			ls.idVisit[ls.vis[i]] = int32(i)
		}
	}
	return ls.idVisit
}

func resize[T any](x []T, n int) []T {
	if cap(x) < n {
		return make([]T, n)
	}
	return x[:n]
}

// routesOut returns the non-empty routes as visit indices.
func (ls *cvrpLS) routesOut() [][]int32 {
	var out [][]int32
	for _, s := range ls.seq {
		if len(s) <= 2 {
			continue
		}
		r := make([]int32, 0, len(s)-2)
		for _, i := range s[1 : len(s)-1] {
			r = append(r, ls.vis[i])
		}
		out = append(out, r)
	}
	return out
}

// update recomputes route r's positions, loads, cost and stamp.
func (ls *cvrpLS) update(r int) {
	s := ls.seq[r]
	cum := resize(ls.cum[r], len(s))
	var l int64
	d := 0.0
	for p, i := range s {
		if p > 0 {
			d += ls.c(s[p-1], i)
			if i != 0 {
				ls.route[i], ls.pos[i] = int32(r), int32(p)
			}
		}
		l += ls.dem[i]
		cum[p] = l
	}
	ls.cum[r] = cum
	ls.load[r], ls.dist[r], ls.pen[r] = l, d, ls.excessPen(l)
	ls.modified[r] = ls.clock
	if ls.angle != nil {
		ls.sector(r)
	}
}

// cost is the tracked cost: arcs plus priced excess over all routes.
func (ls *cvrpLS) cost() float64 {
	c := 0.0
	for r := range ls.seq {
		c += ls.dist[r] + ls.pen[r]
	}
	return c
}

// excess is the load above capacity summed over routes.
func (ls *cvrpLS) excess() int64 {
	var e int64
	for _, l := range ls.load {
		e += max(l-ls.capa, 0)
	}
	return e
}

// run improves the routes until no move of the neighbourhoods improves
// the cost, and returns them (visit indices).
func (ls *cvrpLS) run(routes [][]int32, lq float64) [][]int32 {
	ls.loadRoutes(routes, lq)
	ls.focus = ls.focus[:0]
	ls.search()
	return ls.routesOut()
}

// runFocus is run with only the clients of focus (visit indices) as the
// moving client u (their neighbours still move with them) and, in the
// first SWAP* pass, only the route pairs where one route holds one of
// them: the local search on the routes a move changed.
func (ls *cvrpLS) runFocus(routes [][]int32, lq float64, focus []int32) [][]int32 {
	ls.loadRoutes(routes, lq)
	id := ls.idOf()
	ls.focus = ls.focus[:0]
	for _, j := range focus {
		if int(j) < len(id) && id[j] > 0 {
			ls.focus = append(ls.focus, id[j])
		}
	}
	ls.search()
	return ls.routesOut()
}

// search is HGS's loop: every client in random order against each of its
// neighbours, then SWAP* over route pairs, until a whole pass changes
// nothing (at least two passes: moves to an empty route are tried from
// the second on).
func (ls *cvrpLS) search() {
	rng := ls.rng
	order := ls.order
	if len(ls.focus) > 0 {
		order = ls.focus
	}
	rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
	for i := 1; i < ls.m; i++ {
		if nb := ls.near[i]; len(nb) > 0 && rng.IntN(len(nb)) == 0 {
			rng.Shuffle(len(nb), func(a, b int) { nb[a], nb[b] = nb[b], nb[a] })
		}
	}
	start := ls.clock
	for loop := 0; ; loop++ {
		changed := false
		for _, u := range order {
			last := ls.testedRI[u]
			ls.testedRI[u] = ls.clock
			for _, v := range ls.near[u] {
				ru, rv := ls.route[u], ls.route[v]
				if loop > 0 && max(ls.modified[ru], ls.modified[rv]) <= last && last >= start {
					continue
				}
				if ls.tryPair(u, int(rv), int(ls.pos[v])) {
					changed = true
					continue
				}
				if pv := ls.pos[v]; ls.seq[rv][pv-1] == 0 && ls.tryDepot(u, int(rv)) {
					changed = true
				}
			}
			if loop > 0 {
				if re := ls.emptyRoute(); re >= 0 && ls.tryDepot(u, re) {
					changed = true
				}
			}
		}
		if ls.swapStarPass(loop == 0, start) {
			changed = true
		}
		if !changed && loop > 0 {
			return
		}
	}
}

// emptyRoute is the first empty route, -1 when none.
func (ls *cvrpLS) emptyRoute() int {
	if ls.closed {
		return -1
	}
	for r, s := range ls.seq {
		if len(s) == 2 {
			return r
		}
	}
	return -1
}

// tryPair tries the moves of client u against the node at position pv of
// route rv (a client), the first improving one applied.
func (ls *cvrpLS) tryPair(u int32, rv, pv int) bool {
	ls.evals++
	v := ls.seq[rv][pv]
	return ls.relocate(u, rv, pv, 1, false) || ls.relocate(u, rv, pv, 2, false) || ls.relocate(u, rv, pv, 2, true) ||
		u <= v && ls.swap(u, 1, v, 1) || ls.swap(u, 2, v, 1) || u <= v && ls.swap(u, 2, v, 2) ||
		ls.twoOpt(u, rv, pv)
}

// tryDepot tries the moves that put u (or its chain) first in route rv.
func (ls *cvrpLS) tryDepot(u int32, rv int) bool {
	ls.evals++
	return ls.relocate(u, rv, 0, 1, false) || ls.relocate(u, rv, 0, 2, false) || ls.relocate(u, rv, 0, 2, true) ||
		ls.twoOpt(u, rv, 0)
}

// inter prices a move between routes ru and rv from its change of arc
// cost dd and the routes' new loads; it returns the change of cost and
// whether it can improve. HGS's early test comes first: new penalties are
// never negative.
func (ls *cvrpLS) inter(ru, rv int, dd float64, lu, lv int64) (float64, bool) {
	if dd >= ls.pen[ru]+ls.pen[rv] {
		return 0, false
	}
	delta := dd + ls.excessPen(lu) - ls.pen[ru] + ls.excessPen(lv) - ls.pen[rv]
	return delta, delta < -cvrpEps
}

// relocate moves the chain of k clients starting at u (u then its
// successor; reversed: successor then u) after the node at position pv of
// route rv (0: the depot).
func (ls *cvrpLS) relocate(u int32, rv, pv, k int, rev bool) bool {
	ru, pu := int(ls.route[u]), int(ls.pos[u])
	su, sv := ls.seq[ru], ls.seq[rv]
	v, y := sv[pv], sv[pv+1]
	if pu+k >= len(su) || su[pu+k-1] == 0 { // chain would take the depot
		return false
	}
	if ru == rv && (pv >= pu-1 && pv <= pu+k-1) {
		return false // no-op or overlapping
	}
	first, last := u, su[pu+k-1]
	if rev {
		first, last = last, first
	}
	p, x := su[pu-1], su[pu+k]
	dd := ls.c(p, x) - ls.c(p, u) - ls.c(su[pu+k-1], x) + ls.c(v, first) + ls.c(last, y) - ls.c(v, y)
	delta := dd
	if ru != rv {
		q := ls.cum[ru][pu+k-1] - ls.cum[ru][pu-1]
		var ok bool
		if delta, ok = ls.inter(ru, rv, dd, ls.load[ru]-q, ls.load[rv]+q); !ok {
			return false
		}
	} else if delta > -cvrpEps {
		return false
	}
	ls.apply(delta, func() { ls.exchange(ru, pu, k, rev, rv, pv+1, 0) }, ru, rv)
	return true
}

// swap exchanges the ku clients starting at u with the kv starting at v.
func (ls *cvrpLS) swap(u int32, ku int, v int32, kv int) bool {
	ru, pu := int(ls.route[u]), int(ls.pos[u])
	rv, pv := int(ls.route[v]), int(ls.pos[v])
	su, sv := ls.seq[ru], ls.seq[rv]
	if su[pu+ku-1] == 0 || sv[pv+kv-1] == 0 {
		return false
	}
	if ru == rv && pu+ku >= pv && pv+kv >= pu {
		return false // overlapping or adjacent: not this move
	}
	ue, ve := su[pu+ku-1], sv[pv+kv-1]
	pu0, xu := su[pu-1], su[pu+ku]
	pv0, yv := sv[pv-1], sv[pv+kv]
	dd := ls.c(pu0, v) + ls.c(ve, xu) - ls.c(pu0, u) - ls.c(ue, xu) +
		ls.c(pv0, u) + ls.c(ue, yv) - ls.c(pv0, v) - ls.c(ve, yv)
	delta := dd
	if ru != rv {
		qu := ls.cum[ru][pu+ku-1] - ls.cum[ru][pu-1]
		qv := ls.cum[rv][pv+kv-1] - ls.cum[rv][pv-1]
		var ok bool
		if delta, ok = ls.inter(ru, rv, dd, ls.load[ru]-qu+qv, ls.load[rv]-qv+qu); !ok {
			return false
		}
	} else if delta > -cvrpEps {
		return false
	}
	ls.apply(delta, func() { ls.exchange(ru, pu, ku, false, rv, pv, kv) }, ru, rv)
	return true
}

// twoOpt: within a route (u before v) the path after u up to v reversed;
// between routes both 2-opt* forms: u's head joined to v's head reversed
// (and the tails joined), or u's head to v's tail and v's head to u's
// tail. pv is v's position in rv (0: rv's depot).
func (ls *cvrpLS) twoOpt(u int32, rv, pv int) bool {
	ru, pu := int(ls.route[u]), int(ls.pos[u])
	su, sv := ls.seq[ru], ls.seq[rv]
	v, x, y := sv[pv], su[pu+1], sv[pv+1]
	if ru == rv {
		if pv <= pu+1 {
			return false
		}
		delta := ls.c(u, v) + ls.c(x, y) - ls.c(u, x) - ls.c(v, y)
		if delta > -cvrpEps {
			return false
		}
		ls.apply(delta, func() { reverse(su[pu+1 : pv+1]) }, ru, ru)
		return true
	}
	hu, hv := ls.cum[ru][pu], ls.cum[rv][pv]
	// Heads joined (u-v), tails joined (x-y).
	dd := ls.c(u, v) + ls.c(x, y) - ls.c(u, x) - ls.c(v, y)
	if delta, ok := ls.inter(ru, rv, dd, hu+hv, ls.load[ru]+ls.load[rv]-hu-hv); ok {
		ls.apply(delta, func() { ls.tails(ru, pu, rv, pv, true) }, ru, rv)
		return true
	}
	dd = ls.c(u, y) + ls.c(v, x) - ls.c(u, x) - ls.c(v, y)
	if delta, ok := ls.inter(ru, rv, dd, hu+ls.load[rv]-hv, hv+ls.load[ru]-hu); ok {
		ls.apply(delta, func() { ls.tails(ru, pu, rv, pv, false) }, ru, rv)
		return true
	}
	return false
}

func reverse(s []int32) {
	for a, b := 0, len(s)-1; a < b; a, b = a+1, b-1 {
		s[a], s[b] = s[b], s[a]
	}
}

// apply runs a move whose predicted change of cost is delta and updates
// the routes it touched.
func (ls *cvrpLS) apply(delta float64, move func(), ru, rv int) {
	move()
	ls.clock++
	ls.applied++
	ls.update(ru)
	if rv != ru {
		ls.update(rv)
	}
	if ls.check != nil {
		ls.check(delta)
	}
}

// exchange puts the kb nodes at b0 of route rb where the ka nodes at a0 of
// route ra were, and those (reversed when revA) where the former were. In
// one route the two ranges must not overlap; an empty range (k 0) is a
// place, so a relocation is an exchange with an empty range.
func (ls *cvrpLS) exchange(ra, a0, ka int, revA bool, rb, b0, kb int) {
	segA := append(ls.scratch[0][:0], ls.seq[ra][a0:a0+ka]...)
	if revA {
		reverse(segA)
	}
	segB := append(ls.scratch[1][:0], ls.seq[rb][b0:b0+kb]...)
	ls.scratch[0], ls.scratch[1] = segA, segB
	if ra != rb {
		ls.seq[ra] = splice(ls.seq[ra], a0, ka, segB)
		ls.seq[rb] = splice(ls.seq[rb], b0, kb, segA)
		return
	}
	if a0 > b0 { // keep A first in the route
		a0, b0, ka, kb, segA, segB = b0, a0, kb, ka, segB, segA
	}
	s := ls.seq[ra]
	// s[:a0] B s[a0+ka:b0] A s[b0+kb:]
	mid := append([]int32(nil), s[a0+ka:b0]...)
	tail := append([]int32(nil), s[b0+kb:]...)
	s = append(s[:a0], segB...)
	s = append(s, mid...)
	s = append(s, segA...)
	ls.seq[ra] = append(s, tail...)
}

// splice replaces s[at:at+k] by seg.
func splice(s []int32, at, k int, seg []int32) []int32 {
	tail := append([]int32(nil), s[at+k:]...)
	s = append(s[:at], seg...)
	return append(s, tail...)
}

// tails does 2-opt* between routes ru and rv cut after positions pu and
// pv: joined heads (ru: its head then v's head reversed; rv: u's tail
// reversed then v's tail) or crossed (ru: its head then v's tail; rv: its
// head then u's tail).
func (ls *cvrpLS) tails(ru, pu, rv, pv int, heads bool) {
	su, sv := ls.seq[ru], ls.seq[rv]
	if !heads {
		tu := append([]int32(nil), su[pu+1:]...)
		tv := append([]int32(nil), sv[pv+1:]...)
		ls.seq[ru] = append(su[:pu+1], tv...)
		ls.seq[rv] = append(sv[:pv+1], tu...)
		return
	}
	hv := append([]int32(nil), sv[1:pv+1]...)
	reverse(hv)
	tu := append([]int32(nil), su[pu+1:len(su)-1]...)
	reverse(tu)
	tv := append([]int32(nil), sv[pv+1:]...)
	nu := append(su[:pu+1], hv...)
	ls.seq[ru] = append(nu, 0)
	nv := append(sv[:1], tu...)
	ls.seq[rv] = append(nv, tv...)
}

// cvrpPolish runs the dedicated local search (hard limits) in place of the
// engine's on the annealing's new bests on plain CVRP (bestLS; bench env
// POLISH=1).
var cvrpPolish = false

// bestLS is the local search on a new best of the annealing, on the jobs
// of the routes the last move changed.
func (w *worker) bestLS(jobs []int32) {
	if !cvrpPolish || !w.in.fastOK() {
		w.localSearch(jobs)
		return
	}
	w.fastLS(jobs)
}

// fastLS runs the dedicated local search of plain CVRP (hard capacity) on
// the worker's solution, with the clients of jobs as the moving ones (nil:
// every client).
func (w *worker) fastLS(jobs []int32) {
	if w.fls == nil {
		w.fls = newCVRPLS(w.in, hgsNear, w.rng)
	}
	ls := w.fls
	ls.in = ls.in[:0]
	for _, r := range w.s.routes {
		if len(r.jobs) > 0 {
			ls.in = append(ls.in, r.jobs)
		}
	}
	before := ls.applied
	// 1e12 a unit of excess: no move over capacity ever pays.
	out := ls.runFocus(ls.in, 1e12, jobs)
	if ls.applied == before {
		return // nothing improved: the solution stands as it is
	}
	ls.loadInto(w.s, out)
}

// loadInto makes s the routes (visit indices), each on the one vehicle
// type of plain CVRP.
func (ls *cvrpLS) loadInto(s *solution, routes [][]int32) {
	snap := &ls.snap
	snap.jobs = routes
	snap.types = append(snap.types[:0], make([]int, len(routes))...)
	s.load(snap)
}
