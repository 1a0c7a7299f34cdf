package routing

import "math"

// SWAP* for the plain-CVRP local search (cvrpls.go), as Vidal (2022)
// defines it: u of route A and v of route B change routes, each inserted at
// its best place in the other route (not necessarily where the other was).
// For each client and each other route the three cheapest insertion places
// are kept (recomputed only when that route changed); the best place in B
// without v is among them or is v's own place, so a pair (u, v) costs O(1)
// after an O(|A| |B|) preprocessing. Relocations of one client into the
// other route's best place are evaluated with the same tables. Route pairs
// tried are those where a client of one has a granular neighbour in the
// other (Problem has no coordinates for HGS's polar sectors), and only when
// one of the two changed since the pair was last tested.

// ins3 is a client's three cheapest insertion places in one route: cost
// and the id after which it goes (0: the depot), -1 when none.
type ins3 struct {
	cost [3]float64
	at   [3]int32
}

func (b *ins3) reset() {
	b.cost = [3]float64{inf, inf, inf}
	b.at = [3]int32{-1, -1, -1}
}

func (b *ins3) add(c float64, at int32) {
	switch {
	case c < b.cost[0]:
		b.cost[2], b.at[2] = b.cost[1], b.at[1]
		b.cost[1], b.at[1] = b.cost[0], b.at[0]
		b.cost[0], b.at[0] = c, at
	case c < b.cost[1]:
		b.cost[2], b.at[2] = b.cost[1], b.at[1]
		b.cost[1], b.at[1] = c, at
	case c < b.cost[2]:
		b.cost[2], b.at[2] = c, at
	}
}

type swapStar struct {
	best    []ins3 // route x m + id
	when    []int  // clock when best was computed, -1 never
	rem     []float64
	pairs   []bool // R x R: the routes hold granular neighbours
	tested  []int  // per route: clock of its last SWAP* test
	order   []int
	inFocus []bool // per route: holds a client of cvrpLS.focus

	// swapStarLocal (cvrpls_filo.go): route pairs a*stride+b (a < b),
	// the clock of each pair's last test (-1 never), the pairs listed in
	// this pass (stamped pst)
	stride   int
	pairAt   []int
	pairSeen []int32
	pst      int32
	list     []int
}

// swapStarPass tests SWAP* on every route pair with neighbours across
// (first pass: all of them; later: those with a route changed since the
// first route was last tested). It reports whether a move was applied.
func (ls *cvrpLS) swapStarPass(first bool, start int) bool {
	st := &ls.ss
	nr := len(ls.seq)
	ls.ssTables()
	st.tested = resize(st.tested, nr)
	st.pairs = resize(st.pairs, nr*nr)
	clear(st.pairs)
	for u := 1; u < ls.m && ls.angle == nil; u++ {
		ru := int(ls.route[u])
		for _, v := range ls.near[u] {
			if rv := int(ls.route[v]); rv != ru {
				st.pairs[ru*nr+rv], st.pairs[rv*nr+ru] = true, true
			}
		}
	}
	st.inFocus = resize(st.inFocus, nr)
	clear(st.inFocus)
	for _, u := range ls.focus {
		st.inFocus[ls.route[u]] = true
	}
	st.order = st.order[:0]
	for r := 0; r < nr; r++ {
		st.order = append(st.order, r)
	}
	ls.rng.Shuffle(nr, func(a, b int) { st.order[a], st.order[b] = st.order[b], st.order[a] })
	changed := false
	for _, ru := range st.order {
		last := st.tested[ru]
		st.tested[ru] = ls.clock
		for _, rv := range st.order {
			if ru >= rv || len(ls.seq[ru]) == 2 || len(ls.seq[rv]) == 2 {
				continue
			}
			if ls.angle != nil && !ls.overlap(ru, rv) || ls.angle == nil && !st.pairs[ru*nr+rv] {
				continue
			}
			if !first && last >= start && max(ls.modified[ru], ls.modified[rv]) <= last {
				continue
			}
			if first && len(ls.focus) > 0 && !st.inFocus[ru] && !st.inFocus[rv] {
				continue
			}
			if ls.swapStar(ru, rv) {
				changed = true
			}
		}
	}
	return changed
}

// Circle sectors (HGS-CVRP's CircleSector): angles around the depot in
// 1/65536 of a turn; a route's sector is the arc its clients' angles span,
// grown from the first client towards each next one by the shorter way.
// Routes whose sectors overlap are tried for SWAP*.

func turnMod(a int32) int32 { return a & 0xffff }

// sector recomputes route r's sector.
func (ls *cvrpLS) sector(r int) {
	s := ls.seq[r]
	if len(s) <= 2 {
		return
	}
	lo, hi := ls.angle[s[1]], ls.angle[s[1]]
	for _, i := range s[2 : len(s)-1] {
		a := ls.angle[i]
		if turnMod(a-lo) <= turnMod(hi-lo) {
			continue
		}
		if turnMod(a-hi) <= turnMod(lo-a) {
			hi = a
		} else {
			lo = a
		}
	}
	ls.secLo[r], ls.secHi[r] = lo, hi
}

func (ls *cvrpLS) overlap(r1, r2 int) bool {
	a, b := ls.secLo[r1], ls.secHi[r1]
	c, d := ls.secLo[r2], ls.secHi[r2]
	return turnMod(c-a) <= turnMod(b-a) || turnMod(a-c) <= turnMod(d-c)
}

// setAngles gives the clients polar angles around the depot from plane
// coordinates per visit (planeAngles), which turns route sectors on.
func (ls *cvrpLS) setAngles(xs, ys []float64) {
	ls.angle = make([]int32, ls.m)
	for i := 1; i < ls.m; i++ {
		j := ls.vis[i]
		ls.angle[i] = turnMod(int32(32768 * math.Atan2(ys[j], xs[j]) / math.Pi))
	}
}

// ssTables sizes the tables for the present routes.
func (ls *cvrpLS) ssTables() {
	st := &ls.ss
	if nr := len(ls.seq); len(st.when) < nr*ls.m {
		st.best = make([]ins3, nr*ls.m)
		st.when = make([]int, nr*ls.m)
		for k := range st.when {
			st.when[k] = -1
		}
	}
	st.rem = resize(st.rem, ls.m)
}

// preprocess sets the removal gain of every client of r1 and, where r2
// changed since, its three best places in r2.
func (ls *cvrpLS) preprocess(r1, r2 int) {
	st := &ls.ss
	s1, s2 := ls.seq[r1], ls.seq[r2]
	for p := 1; p < len(s1)-1; p++ {
		u := s1[p]
		st.rem[u] = ls.c(s1[p-1], s1[p+1]) - ls.c(s1[p-1], u) - ls.c(u, s1[p+1])
		k := r2*ls.m + int(u)
		if st.when[k] >= ls.modified[r2] {
			continue
		}
		st.when[k] = ls.clock
		b := &st.best[k]
		b.reset()
		for q := 0; q < len(s2)-1; q++ {
			b.add(ls.c(s2[q], u)+ls.c(u, s2[q+1])-ls.c(s2[q], s2[q+1]), s2[q])
		}
		ls.evals += int64(len(s2)) / 4
	}
}

// insertWithout is the cheapest place for u in route r once v has left it:
// the first of u's three best places not next to v, or v's own place.
func (ls *cvrpLS) insertWithout(u int32, r int, v int32) (float64, int32) {
	b := &ls.ss.best[r*ls.m+int(u)]
	s := ls.seq[r]
	pv := ls.pos[v]
	prev, next := s[pv-1], s[pv+1]
	cost, at := inf, int32(-1)
	for k := 0; k < 3 && b.at[k] >= 0; k++ {
		a := b.at[k]
		if a == v || a == prev {
			continue // a place next to v
		}
		cost, at = b.cost[k], a
		break
	}
	if c := ls.c(prev, u) + ls.c(u, next) - ls.c(prev, next); c < cost {
		cost, at = c, prev
	}
	return cost, at
}

// swapStar applies the best SWAP* (or relocation into the other route's
// best place) between routes ru and rv when it improves.
func (ls *cvrpLS) swapStar(ru, rv int) bool {
	ls.ssTables()
	ls.preprocess(ru, rv)
	ls.preprocess(rv, ru)
	st := &ls.ss
	su, sv := ls.seq[ru], ls.seq[rv]
	bestCost := -cvrpEps
	var bu, bv, atU, atV int32 = -1, -1, -1, -1 // atU: u's place in rv
	for p := 1; p < len(su)-1; p++ {
		u := su[p]
		for q := 1; q < len(sv)-1; q++ {
			v := sv[q]
			dPen := ls.excessPen(ls.load[ru]+ls.dem[v]-ls.dem[u]) - ls.pen[ru] +
				ls.excessPen(ls.load[rv]+ls.dem[u]-ls.dem[v]) - ls.pen[rv]
			if dPen+st.rem[u]+st.rem[v] > 0 {
				continue
			}
			eu, au := ls.insertWithout(u, rv, v)
			ev, av := ls.insertWithout(v, ru, u)
			if c := dPen + st.rem[u] + st.rem[v] + eu + ev; c < bestCost {
				bestCost, bu, bv, atU, atV = c, u, v, au, av
			}
		}
		ls.evals += int64(len(sv) - 2)
	}
	for p := 1; p < len(su)-1; p++ { // u alone into rv
		u := su[p]
		b := &st.best[rv*ls.m+int(u)]
		c := st.rem[u] + b.cost[0] + ls.excessPen(ls.load[ru]-ls.dem[u]) - ls.pen[ru] + ls.excessPen(ls.load[rv]+ls.dem[u]) - ls.pen[rv]
		if c < bestCost {
			bestCost, bu, bv, atU, atV = c, u, -1, b.at[0], -1
		}
	}
	for q := 1; q < len(sv)-1; q++ { // v alone into ru
		v := sv[q]
		b := &st.best[ru*ls.m+int(v)]
		c := st.rem[v] + b.cost[0] + ls.excessPen(ls.load[rv]-ls.dem[v]) - ls.pen[rv] + ls.excessPen(ls.load[ru]+ls.dem[v]) - ls.pen[ru]
		if c < bestCost {
			bestCost, bu, bv, atU, atV = c, -1, v, -1, b.at[0]
		}
	}
	if bu < 0 && bv < 0 {
		return false
	}
	ls.apply(bestCost, func() {
		ls.seq[ru] = ls.reroute(ru, bu, bv, atV, 0)
		ls.seq[rv] = ls.reroute(rv, bv, bu, atU, 1)
	}, ru, rv)
	return true
}

// reroute returns route r's sequence without out (-1: none) and with in
// (-1: none) after the id at (0: the depot at the start), built in
// scratch buffer k.
func (ls *cvrpLS) reroute(r int, out, in, at int32, k int) []int32 {
	s := ls.seq[r]
	dst := ls.scratch[k][:0]
	for p, i := range s {
		if i != out {
			dst = append(dst, i)
		}
		if in >= 0 && i == at && (at != 0 || p == 0) {
			dst = append(dst, in)
		}
	}
	ls.scratch[k] = s[:0]
	return dst
}
