package routing

// SWAP* with time windows (Vidal 2022, section 4, as the TW variants of HGS
// use it): exchange a visit u of route a with a visit v of route b, each
// reinserted at a good place in the other route. With windows the three
// cheapest places by distance no longer contain the best feasible one, so
// the places kept per visit are the three cheapest *feasible* ones in the
// other route as it is (cost from the O(1) segment concatenation: windows,
// shift, duration, time costs), plus the place the other visit leaves; each
// candidate route without the other visit is then evaluated exactly, in O(1)
// with the segments of the route's sub-sequences (starMid). The search is a
// heuristic (a place infeasible before v leaves may become feasible after),
// but every move it predicts is exact: the predicted delta is the change of
// cost of both routes, and applyTwo re-checks them.
//
// It applies to problems with windows, one trip per vehicle, hard limits and
// one window per job (starTWOK), inside Solve's search only (worker.starTW):
// the Plan of the periodic planner keeps its moves. Off by default
// (starTWOn): measured no better on Solomon (README.md, wave 4).

// starTWOK reports whether SWAP* with windows applies.
func (w *worker) starTWOK() bool {
	in := w.in
	return swapStarOn && w.starTW && in.anyWindows && !in.multiTrip && !in.anyMulti && !w.s.soft
}

// starTWData is the scratch of one route pair with windows: per route the
// segments of every sub-sequence of its jobs, per visit its removal cost
// and best feasible places in the other route.
type starTWData struct {
	midA, midB []seg
	remA, remB []float64
	insA, insB []starIns
}

// starMid fills mid with the segment of jobs x..y of r at mid[x*(L+2)+y]
// (1 <= x <= y <= L). O(L^2).
func (w *worker) starMid(r *route, mid []seg) []seg {
	in := w.in
	L := len(r.jobs)
	W := L + 2
	mid = growKeep(mid, W*W, 0)
	for x := 1; x <= L; x++ {
		s := in.jseg[r.jobs[x-1]]
		mid[x*W+x] = s
		for y := x + 1; y <= L; y++ {
			s = in.catT(s, in.jseg[r.jobs[y-1]])
			mid[x*W+y] = s
		}
	}
	return mid
}

// between is the piece of jobs x..y of r (x <= y) from its starMid table.
func between(r *route, mid []seg, x, y int) piece {
	return piece{s: mid[x*(len(r.jobs)+2)+y], d: r.cumD[y] - r.cumD[x]}
}

// starTWPrep fills rem (cost of r1 without each visit, +inf when
// infeasible) and ins (the three cheapest feasible places of each visit of
// r1 in r2 as it is, by the added cost of r2).
func (w *worker) starTWPrep(r1, r2 *route, rem []float64, ins []starIns) ([]float64, []starIns) {
	in := w.in
	L1, L2 := len(r1.jobs), len(r2.jobs)
	rem = growKeep(rem, L1+1, 0)
	ins = growKeep(ins, L1+1, 0)
	for i := 1; i <= L1; i++ {
		u := r1.jobs[i-1]
		rem[i] = inf
		if L1 == 1 {
			rem[i] = 0
		} else if c, ok := in.pieceCost(r1.t, in.join(prefix(r1, i-1), suffix(r1, i+1))); ok {
			rem[i] = c
		}
		b := &ins[i]
		b.reset()
		if !in.allowed[int(u)*in.nt+r2.t] {
			continue
		}
		U := piece{s: in.jseg[u]}
		for k := 0; k <= L2; k++ {
			if c, ok := in.pieceCost(r2.t, in.join(in.join(prefix(r2, k), U), suffix(r2, k+1))); ok {
				b.add(c-r2.cost, int32(k))
			}
		}
	}
	return rem, ins
}

// starTWRoute is the cost of route r with its node j removed and visit x
// put after node p (node numbers of r; p = j-1 or p = j: in j's place);
// ok=false when infeasible. mid is r's starMid table.
func (w *worker) starTWRoute(r *route, mid []seg, j, p int, x int32) (float64, bool) {
	in := w.in
	X := piece{s: in.jseg[x]}
	var q piece
	switch {
	case p == j-1 || p == j:
		q = in.join(in.join(prefix(r, j-1), X), suffix(r, j+1))
	case p < j-1:
		q = in.join(in.join(in.join(prefix(r, p), X), between(r, mid, p+1, j-1)), suffix(r, j+1))
	default:
		q = in.join(in.join(in.join(prefix(r, j-1), between(r, mid, j+1, p)), X), suffix(r, p+1))
	}
	return in.pieceCost(r.t, q)
}

// starTWPlace returns the cheapest of the candidate places of visit x in r
// without node j: its three best places in r (b) and j's place. bound: a
// place is only of interest below it. ok=false when none is feasible.
func (w *worker) starTWPlace(b *starIns, r *route, mid []seg, j int, x int32, bound float64) (int, float64, bool) {
	bestP, bestC := -1, bound
	if c, ok := w.starTWRoute(r, mid, j, j-1, x); ok && c < bestC {
		bestP, bestC = j-1, c
	}
	for k := 0; k < 3; k++ {
		p := int(b.p[k])
		if p < 0 || p == j-1 || p == j {
			continue
		}
		if c, ok := w.starTWRoute(r, mid, j, p, x); ok && c < bestC {
			bestP, bestC = p, c
		}
	}
	return bestP, bestC, bestP >= 0
}

// starBestTW is starBest for problems with windows: the best SWAP* move
// between routes a and b found among the candidate places, relocations of
// one visit into the other route included; delta >= 0 when none improves.
func (w *worker) starBestTW(a, b int) starMove {
	s, in := w.s, w.in
	st := &w.ls.starTW
	ra, rb := s.routes[a], s.routes[b]
	st.midA = w.starMid(ra, st.midA)
	st.midB = w.starMid(rb, st.midB)
	st.remA, st.insA = w.starTWPrep(ra, rb, st.remA, st.insA)
	st.remB, st.insB = w.starTWPrep(rb, ra, st.remB, st.insB)
	ta, tb := &in.types[ra.t], &in.types[rb.t]
	la, lb := ra.load(in), rb.load(in)
	base := ra.cost + rb.cost
	best := starMove{}
	for i := 1; i <= len(ra.jobs); i++ {
		u := ra.jobs[i-1]
		if st.remA[i] == inf || !in.allowed[int(u)*in.nt+rb.t] {
			continue
		}
		au := in.visitAmt(u)
		if len(ra.jobs) > 1 && st.insA[i].p[0] >= 0 && fitsSwap(lb, au, w.zero, tb.capa) {
			if d := st.remA[i] + rb.cost + st.insA[i].c[0] - base; d < best.delta {
				best = starMove{i: i, pu: int(st.insA[i].p[0]), delta: d}
			}
		}
		for j := 1; j <= len(rb.jobs); j++ {
			v := rb.jobs[j-1]
			// with the triangle inequality an insertion never lowers a
			// route's cost: both routes without their visit bound the move
			if st.remB[j] == inf || st.remA[i]+st.remB[j]-base >= best.delta || !in.allowed[int(v)*in.nt+ra.t] {
				continue
			}
			av := in.visitAmt(v)
			if !fitsSwap(la, av, au, ta.capa) || !fitsSwap(lb, au, av, tb.capa) {
				continue
			}
			pu, cb, ok := w.starTWPlace(&st.insA[i], rb, st.midB, j, u, best.delta+base-st.remA[i])
			if !ok {
				continue
			}
			pv, ca, ok := w.starTWPlace(&st.insB[j], ra, st.midA, i, v, best.delta+base-cb)
			if !ok {
				continue
			}
			if d := ca + cb - base; d < best.delta {
				best = starMove{i: i, j: j, pu: pu, pv: pv, delta: d}
			}
		}
	}
	for j := 1; j <= len(rb.jobs) && len(rb.jobs) > 1; j++ {
		v := rb.jobs[j-1]
		if st.remB[j] == inf || st.insB[j].p[0] < 0 || !in.allowed[int(v)*in.nt+ra.t] || !fitsSwap(la, in.visitAmt(v), w.zero, ta.capa) {
			continue
		}
		if d := st.remB[j] + ra.cost + st.insB[j].c[0] - base; d < best.delta {
			best = starMove{j: j, pv: int(st.insB[j].p[0]), delta: d}
		}
	}
	return best
}
