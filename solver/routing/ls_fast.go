package routing

// Distance filters of the local search's moves between routes for the
// population search (pool_hgs.go), which runs the local search on every
// child: on plain CVRP without fixed costs a route costs cpd x its
// distance (plus lq x its load excess in soft mode), so a move's change of
// cost is a few arcs and loads, as HGS-CVRP evaluates it. A move the filter
// finds not improving is rejected before the segment joins; one that passes
// is evaluated and checked as before, so the filter changes what is tried,
// never what is kept. lsState.fast turns it on (hgsRun only, on plain
// CVRP without fixed costs).

// fastSlack keeps a move whose filtered change is within it of the
// improvement threshold for the exact evaluation (float rounding of the
// two ways of summing differs).
const fastSlack = 1e-6

func (in *inst) d(a, b int32) float64 { return in.dist[int(a)*in.n+int(b)] }

// loadPen is the change of priced excess of a route with load l (dim
// values) that gains plus and loses minus (0 in hard mode).
func (w *worker) loadPen(l, plus, minus []int64) float64 {
	if !w.s.soft {
		return 0
	}
	capa := w.in.types[0].capa
	e := 0.0
	for k := range capa {
		e += float64(max(l[k]+plus[k]-minus[k]-capa[k], 0) - max(l[k]-capa[k], 0))
	}
	return w.s.lq * e
}

// rejectRelocate: the chain of k nodes at pu of ru after node pv of rv.
func (w *worker) rejectRelocate(ru, rv *route, pu, k, pv int) bool {
	in := w.in
	if len(ru.jobs) == k {
		return false
	}
	lu, lv := ru.locs, rv.locs
	dd := in.d(lu[pu-1], lu[pu+k]) - in.d(lu[pu-1], lu[pu]) - in.d(lu[pu+k-1], lu[pu+k]) +
		in.d(lv[pv], lu[pu]) + in.d(lu[pu+k-1], lv[pv+1]) - in.d(lv[pv], lv[pv+1])
	delta := in.types[0].cpd * dd
	if w.s.soft {
		cl := w.loadRange(ru, pu, k, w.tmp)
		delta += w.loadPen(ru.load(in), w.zero, cl) + w.loadPen(rv.load(in), cl, w.zero)
	}
	return delta >= -lsImprove+fastSlack
}

// rejectSwap: the ku nodes at pu of ru against the kv nodes at pv of rv.
func (w *worker) rejectSwap(ru, rv *route, pu, ku, pv, kv int) bool {
	in := w.in
	lu, lv := ru.locs, rv.locs
	dd := in.d(lu[pu-1], lv[pv]) + in.d(lv[pv+kv-1], lu[pu+ku]) - in.d(lu[pu-1], lu[pu]) - in.d(lu[pu+ku-1], lu[pu+ku]) +
		in.d(lv[pv-1], lu[pu]) + in.d(lu[pu+ku-1], lv[pv+kv]) - in.d(lv[pv-1], lv[pv]) - in.d(lv[pv+kv-1], lv[pv+kv])
	delta := in.types[0].cpd * dd
	if w.s.soft {
		cu := w.loadRange(ru, pu, ku, w.tmp)
		cv := w.loadRange(rv, pv, kv, w.tmp2)
		delta += w.loadPen(ru.load(in), cv, cu) + w.loadPen(rv.load(in), cu, cv)
	}
	return delta >= -lsImprove+fastSlack
}

// rejectTwoOptStar: ru keeps nodes 0..pu and takes rv's tail after pv,
// rv keeps 0..pv and takes ru's tail after pu.
func (w *worker) rejectTwoOptStar(ru, rv *route, pu, pv int) bool {
	in := w.in
	lu, lv := ru.locs, rv.locs
	if pu == 0 && pv == len(rv.jobs) || pv == 0 && pu == len(ru.jobs) {
		return false // a route empties: its depot legs go
	}
	dd := in.d(lu[pu], lv[pv+1]) + in.d(lv[pv], lu[pu+1]) - in.d(lu[pu], lu[pu+1]) - in.d(lv[pv], lv[pv+1])
	delta := in.types[0].cpd * dd
	if w.s.soft {
		dim := in.dim
		a, b := ru.load(in), rv.load(in)
		hu, hv := ru.cumL[pu*dim:(pu+1)*dim], rv.cumL[pv*dim:(pv+1)*dim]
		// ru: a - (a - hu) + (b - hv); rv: b - (b - hv) + (a - hu)
		tu, tv := w.tmp, w.tmp2
		for k := 0; k < dim; k++ {
			tu[k], tv[k] = a[k]-hu[k], b[k]-hv[k]
		}
		delta += w.loadPen(a, tv, tu) + w.loadPen(b, tu, tv)
	}
	return delta >= -lsImprove+fastSlack
}
