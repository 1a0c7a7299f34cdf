package routing

// SWAP* (Vidal 2022, "Hybrid genetic search for the CVRP: open-source
// implementation and SWAP* neighborhood", section 4): exchange a visit u of
// route a with a visit v of route b, each reinserted at its cheapest place in
// the other route (not necessarily where the other was). The classic swap
// only puts each in the other's old place, and two relocations may each
// break a capacity that the exchange keeps.
//
// The search is exact in O(La*Lb) per route pair: the three cheapest
// insertion places of every visit of a in b (and of b in a) are computed
// first; the cheapest place of u in b without v is then one of those three
// (at most two of them touch v) or the place v leaves.
//
// It applies to routes whose cost is fixed + rate * distance: no windows,
// shifts, durations or time costs, one trip per vehicle, hard capacities
// (starOK). Vidal limits the pairs to routes whose polar sectors around the
// depot overlap; the Problem carries no coordinates, so here a pair is two
// routes where some visit of one has one of its starNear granular
// neighbours in the other.

// starNear is the number of granular neighbours that make two routes a
// SWAP* pair.
var starNear = 20

// swapStarOn enables SWAP* in the local search (a variable only so that the
// benchmark harness can compare).
var swapStarOn = true

// starIns holds the three cheapest places to insert one visit into a route:
// after node p[k] at extra distance c[k], c ascending; p[k] = -1 when the
// route has fewer places.
type starIns struct {
	c [3]float64
	p [3]int32
}

func (b *starIns) reset() {
	*b = starIns{c: [3]float64{inf, inf, inf}, p: [3]int32{-1, -1, -1}}
}

func (b *starIns) add(c float64, p int32) {
	switch {
	case c < b.c[0]:
		b.c[2], b.p[2] = b.c[1], b.p[1]
		b.c[1], b.p[1] = b.c[0], b.p[0]
		b.c[0], b.p[0] = c, p
	case c < b.c[1]:
		b.c[2], b.p[2] = b.c[1], b.p[1]
		b.c[1], b.p[1] = c, p
	case c < b.c[2]:
		b.c[2], b.p[2] = c, p
	}
}

// starMove is a SWAP* move between routes a and b: the visit at node i of
// a goes after node pu of b, the visit at node j of b after node pv of a
// (node numbers of the routes before the move). i = 0 or j = 0: that side
// moves nothing (a relocation). delta is the predicted change of cost.
type starMove struct {
	i, j   int
	pu, pv int
	delta  float64
}

// starData is the scratch of one route pair: per node of a route, the
// distance saved by removing its visit and its best places in the other.
type starData struct {
	remA, remB []float64
	insA, insB []starIns
	rmark      []int32
	rst        int32
	list, nb   []int
}

// starOK reports whether SWAP* applies to the current problem.
func (w *worker) starOK() bool {
	in := w.in
	return swapStarOn && in.noTime && !in.multiTrip && !w.s.soft
}

// starPrep fills rem (removal deltas of r1's visits, by node) and ins (their
// three cheapest places in r2).
func (w *worker) starPrep(r1, r2 *route, rem []float64, ins []starIns) ([]float64, []starIns) {
	in := w.in
	n := in.n
	L1, L2 := len(r1.jobs), len(r2.jobs)
	rem = growKeep(rem, L1+1, 0)
	ins = growKeep(ins, L1+1, 0)
	for i := 1; i <= L1; i++ {
		u := int(in.loc[r1.jobs[i-1]])
		p, q := in.nodeLoc(r1, i-1), in.nodeLoc(r1, i+1)
		rem[i] = in.dist[p*n+q] - in.dist[p*n+u] - in.dist[u*n+q]
		b := &ins[i]
		b.reset()
		prev := in.nodeLoc(r2, 0)
		for k := 0; k <= L2; k++ {
			next := in.nodeLoc(r2, k+1)
			b.add(in.dist[prev*n+u]+in.dist[u*n+next]-in.dist[prev*n+next], int32(k))
			prev = next
		}
	}
	return rem, ins
}

// starPlace returns the cheapest place (after which node, extra distance)
// of the visit whose best places are b in route r with its node j removed.
func (w *worker) starPlace(b *starIns, r *route, j int, x int32) (int, float64) {
	for k := 0; k < 3; k++ {
		if p := int(b.p[k]); p >= 0 && p != j-1 && p != j {
			c, pos := b.c[k], p
			if alt := w.inPlace(r, j, x); alt < c {
				return j - 1, alt
			}
			return pos, c
		}
	}
	return j - 1, w.inPlace(r, j, x)
}

// inPlace is the extra distance of visit x put in place of node j of r.
func (w *worker) inPlace(r *route, j int, x int32) float64 {
	in := w.in
	n := in.n
	u := int(in.loc[x])
	p, q := in.nodeLoc(r, j-1), in.nodeLoc(r, j+1)
	return in.dist[p*n+u] + in.dist[u*n+q] - in.dist[p*n+q]
}

// fitsSwap reports whether load - out + add fits capacity c.
func fitsSwap(load, add, out, c []int64) bool {
	for d := range c {
		if load[d]+add[d]-out[d] > c[d] {
			return false
		}
	}
	return true
}

// starBest returns the best SWAP* move between routes a and b, relocations
// of one visit into the other route included (as HGS does: their best
// places are known already); delta >= 0 when none improves.
func (w *worker) starBest(a, b int) starMove {
	s, in := w.s, w.in
	st := &w.ls.star
	ra, rb := s.routes[a], s.routes[b]
	st.remA, st.insA = w.starPrep(ra, rb, st.remA, st.insA)
	st.remB, st.insB = w.starPrep(rb, ra, st.remB, st.insB)
	ta, tb := &in.types[ra.t], &in.types[rb.t]
	la, lb := ra.load(in), rb.load(in)
	best := starMove{}
	for i := 1; i <= len(ra.jobs); i++ {
		u := ra.jobs[i-1]
		if !in.allowed[int(u)*in.nt+rb.t] {
			continue
		}
		au := in.visitAmt(u)
		if len(ra.jobs) > 1 && fitsSwap(lb, au, w.zero, tb.capa) {
			if d := ta.cpd*st.remA[i] + tb.cpd*st.insA[i].c[0]; d < best.delta {
				best = starMove{i: i, pu: int(st.insA[i].p[0]), delta: d}
			}
		}
		for j := 1; j <= len(rb.jobs); j++ {
			v := rb.jobs[j-1]
			// with the triangle inequality both insertions cost >= 0
			if ta.cpd*st.remA[i]+tb.cpd*st.remB[j] >= best.delta || !in.allowed[int(v)*in.nt+ra.t] {
				continue
			}
			av := in.visitAmt(v)
			if !fitsSwap(la, av, au, ta.capa) || !fitsSwap(lb, au, av, tb.capa) {
				continue
			}
			pu, eu := w.starPlace(&st.insA[i], rb, j, u)
			pv, ev := w.starPlace(&st.insB[j], ra, i, v)
			if d := ta.cpd*(st.remA[i]+ev) + tb.cpd*(st.remB[j]+eu); d < best.delta {
				best = starMove{i: i, j: j, pu: pu, pv: pv, delta: d}
			}
		}
	}
	for j := 1; j <= len(rb.jobs) && len(rb.jobs) > 1; j++ {
		v := rb.jobs[j-1]
		if !in.allowed[int(v)*in.nt+ra.t] || !fitsSwap(la, in.visitAmt(v), w.zero, ta.capa) {
			continue
		}
		if d := tb.cpd*st.remB[j] + ta.cpd*st.insB[j].c[0]; d < best.delta {
			best = starMove{j: j, pv: int(st.insB[j].p[0]), delta: d}
		}
	}
	return best
}

// starApply applies m between routes a and b (applyTwo re-checks the
// routes and keeps the change only when the cost falls).
func (w *worker) starApply(a, b int, m starMove) bool {
	ra, rb := w.s.routes[a], w.s.routes[b]
	var u, v int32 = -1, -1
	if m.i > 0 {
		u = ra.jobs[m.i-1]
	}
	if m.j > 0 {
		v = rb.jobs[m.j-1]
	}
	return w.applyTwo(int32(a), int32(b), func(bu, bv []int32) ([]int32, []int32) {
		return rebuild(bu, ra.jobs, m.i, v, m.pv), rebuild(bv, rb.jobs, m.j, u, m.pu)
	})
}

// rebuild appends to dst the nodes of jobs without node skip (0: none) and
// with x after node after (x < 0: none).
func rebuild(dst, jobs []int32, skip int, x int32, after int) []int32 {
	if x >= 0 && after == 0 {
		dst = append(dst, x)
	}
	for k := 1; k <= len(jobs); k++ {
		if k != skip {
			dst = append(dst, jobs[k-1])
		}
		if x >= 0 && k == after {
			dst = append(dst, x)
		}
	}
	return dst
}

// swapStarPass tries SWAP* between every route holding a visit of order and
// each route near it, applying every improving move found. It returns
// whether anything changed.
func (w *worker) swapStarPass(order []int32) bool {
	tw := w.starTWOK()
	if !w.starOK() && !tw {
		return false
	}
	s, in := w.s, w.in
	st := &w.ls.star
	if len(st.rmark) < len(s.routes) {
		st.rmark = append(st.rmark, make([]int32, len(s.routes)-len(st.rmark))...)
	}
	st.rst++
	st.list = st.list[:0]
	for _, u := range order {
		if ri := s.jr[u]; ri >= 0 && st.rmark[ri] != st.rst {
			st.rmark[ri] = st.rst
			st.list = append(st.list, int(ri))
		}
	}
	improved := false
	for _, a := range st.list {
		ra := s.routes[a]
		tested := ra.starAt
		ra.starAt = s.mods
		st.rst++
		st.rmark[a] = st.rst
		st.nb = st.nb[:0]
		for _, u := range ra.jobs {
			nb := in.near[u]
			for _, v := range nb[:min(len(nb), starNear)] {
				if rb := s.jr[v]; rb >= 0 && st.rmark[rb] != st.rst {
					st.rmark[rb] = st.rst
					st.nb = append(st.nb, int(rb))
				}
			}
		}
		for _, b := range st.nb {
			if w.ls.checkFn != nil && w.ls.checkFn() {
				ra.starAt = tested
				return improved
			}
			rb := s.routes[b]
			// a pair unchanged since a test that found no move has none
			if len(ra.jobs) == 0 || len(rb.jobs) == 0 || max(ra.mod, rb.mod) <= tested {
				continue
			}
			var m starMove
			if tw {
				m = w.starBestTW(a, b)
			} else {
				m = w.starBest(a, b)
			}
			if m.delta < -lsImprove && w.starApply(a, b, m) {
				improved = true
			}
		}
	}
	return improved
}
