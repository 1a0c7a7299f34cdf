package routing

import (
	"math"
	"slices"
)

// candidates lists the routes worth trying for job j: on large solutions the
// routes of its granular neighbours plus one empty route per type with
// vehicles left; on small ones every route.
func (w *worker) candidates(j int32, all bool) []int {
	s := w.s
	// one stamp per route (index ri+1) and one for "no route" (index 0),
	// set before the scan so that neighbours out of every route add nothing
	if len(w.nstamp) < len(s.routes)+1 {
		w.nstamp = append(w.nstamp, make([]int32, len(s.routes)+1-len(w.nstamp))...)
	}
	w.nst++
	c := w.cand[:0]
	if all || len(s.routes) <= 16 {
		for ri, r := range s.routes {
			if len(r.jobs) > 0 || s.spare[r.t] == ri {
				c = append(c, ri)
			}
		}
		w.cand = c
		return c
	}
	// the SISR adjacency list after j itself: the granular list near[j]
	// as its head, longer when candNear asks for more than 40
	nb := w.in.adj[j][1:]
	if len(nb) > candNear {
		nb = nb[:candNear]
	}
	c = slices.Grow(c, len(nb)+len(s.spare))
	stamp := w.nstamp[:len(s.routes)+1]
	c = neighbourRoutes(c, nb, s.jr, stamp, w.nst)
	for _, ri := range s.spare {
		if ri >= 0 && stamp[ri+1] != w.nst {
			stamp[ri+1] = w.nst
			c = append(c, ri)
		}
	}
	w.cand = c
	return c
}

// neighbourRoutes appends to c (with room for len(nb) more) the routes of
// the neighbours nb, each once, in order of first appearance; stamp has
// an entry per route ri at ri+1 and one for "no route" (jr < 0) at 0.
// Without branches on the routes (a neighbour's route is as good as
// random): every route is written, and kept when its stamp was not set yet.
func neighbourRoutes(c []int, nb []int32, jr []int32, stamp []int32, rst int32) []int {
	stamp[0] = rst
	k := len(c)
	c = c[:k+len(nb)]
	for _, v := range nb {
		x := jr[v] + 1
		c[k] = int(x) - 1
		k += b2i(stamp[x] != rst)
		stamp[x] = rst
	}
	return c[:k]
}

// b2i is 1 for true, 0 for false (compiled without a branch).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// insertion is a place for a visit: after node pos of route ri, alone
// (plain) or as a new trip of its own.
type insertion struct {
	ri, pos int
	kind    insertKind
	cost    float64
}

type insertKind int8

const (
	plain      insertKind = iota // ... a, j, b ...
	tripBefore                   // after the start or a reload: j, reload
	tripAfter                    // after the last node: reload, j
)

// nodes appends to dst the nodes to insert for visit j on a route of type t.
func (ins insertion) nodes(dst []int32, in *inst, t int, j int32) []int32 {
	m := in.types[t].mark
	switch ins.kind {
	case tripBefore:
		return append(dst, j, m)
	case tripAfter:
		return append(dst, m, j)
	}
	return append(dst, j)
}

// bestInsert returns the cheapest feasible insertion of visit j; ri = -1
// when leaving it out (its penalty) is at least as cheap. Each position is
// skipped with probability blink (SISR's blinks).
func (w *worker) bestInsert(j int32, blink float64) insertion {
	best := insertion{ri: -1, pos: -1, cost: w.in.pen[j]}
	c := w.candidates(j, false)
	// With one trip and hard limits a route without room for j is passed
	// over by evalInsert without a draw or a change, and one with room is
	// judged whole (not trip by trip): roomFor replaces insertFits.
	one := w.oneTripHard() && roomFirst
	w.evalRoutes(c, j, blink, one, &best)
	if best.ri < 0 && len(c) < len(w.s.routes) {
		w.evalRoutes(w.candidates(j, true), j, blink, one, &best)
	} else if w.in.multiTrip && len(c) < len(w.s.routes) {
		// A new trip leaves from the depot: every vehicle already out with
		// trips left may take it, near its other visits or not, for the
		// price of the trip instead of another vehicle.
		for ri, r := range w.s.routes {
			if w.nstamp[ri+1] != w.nst && len(r.jobs) > 0 && r.trips() < w.in.types[r.t].maxTrips && w.in.allowed[int(j)*w.in.nt+r.t] {
				w.evalNewTrip(ri, j, &best)
			}
		}
	}
	return best
}

// evalRoutes is evalInsert of visit j on the routes c in order; with one
// (one trip, hard limits) the routes without room are skipped first
// (roomFor) and the others judged without insertFits.
func (w *worker) evalRoutes(c []int, j int32, blink float64, one bool, best *insertion) {
	if !one {
		for _, ri := range c {
			w.evalInsert(ri, j, blink, best)
		}
		return
	}
	in, routes := w.in, w.s.routes
	a := in.visitAmt(j)
	ok := in.allowed[int(j)*in.nt : int(j+1)*in.nt]
	if in.nt == 1 && in.dim == 1 && len(in.types[0].capa) == 1 && roomFlat {
		// one type, one dimension: the routes with room listed first in
		// a loop without calls, then judged
		if !ok[0] {
			return
		}
		if cap(w.fitc) < len(c) {
			w.fitc = make([]int, len(c), 2*len(c))
		}
		f := w.fitc[:len(c)]
		a0, c0, k := a[0], in.types[0].capa[0], 0
		for _, ri := range c {
			f[k] = ri
			k += b2i(routes[ri].ld0+a0-0 <= c0)
		}
		if in.noTime && in.sym && !w.s.warp && flatScan {
			w.scanNoTime(f[:k], j, blink, best)
			return
		}
		if flatScan {
			w.scanRoutes(f[:k], j, blink, best)
			return
		}
		for _, ri := range f[:k] {
			w.evalPositions(ri, j, blink, false, best)
		}
		return
	}
	for _, ri := range c {
		r := routes[ri]
		if ok[r.t] && fitsLoad(r.ld, a, in.types[r.t].capa) {
			w.evalPositions(ri, j, blink, false, best)
		}
	}
}

// roomFor is false when route ri cannot take visit j for its type or its
// load: on one trip with hard limits, exactly when insertFits returns
// false (TestRoomForMatchesInsertFits). evalRoutes makes the same test.
func (w *worker) roomFor(ri int, j int32) bool {
	in := w.in
	r := w.s.routes[ri]
	return in.allowed[int(j)*in.nt+r.t] && fitsLoad(r.ld, in.visitAmt(j), in.types[r.t].capa)
}

// fitsLoad is capOK(load, a, zero) of hard limits: load plus a within capa.
func fitsLoad(load, a, capa []int64) bool {
	for d, c := range capa {
		if load[d]+a[d]-0 > c {
			return false
		}
	}
	return true
}

// scanNoTime is evalPositions of visit j on the routes c (with room) of a
// problem without time, one type, one trip, hard limits and symmetric
// distances: the blinks drawn as evalPositions draws them and each range
// between two blinks tried as rangeNoTime tries it, with what depends on
// the job only (its matrix row, the cost per distance, an empty vehicle's
// cost) read once for all routes.
func (w *worker) scanNoTime(c []int, j int32, blink float64, best *insertion) {
	in, routes := w.in, w.s.routes
	n := in.n
	lj := int(in.loc[j])
	row := in.dist[lj*n : (lj+1)*n]
	t := &in.types[0]
	cpd, empty := t.cpd, t.fixed+in.routeW
	for _, ri := range c {
		r := routes[ri]
		L := len(r.jobs)
		extra := 0.0
		if L == 0 {
			extra = empty
		}
		// The blink ranges as evalPositions draws them, written out: a
		// shared helper is not inlined and costs 2 % of X's instructions.
		for i := 0; i <= L; {
			end := L + 1
			if blink > 0 {
				if w.blinkGap == 0 {
					w.blinkGap = w.drawGap(blink)
					i++
					continue
				}
				end = min(end, i+w.blinkGap)
				w.blinkGap -= end - i
			}
			// rangeNoTime(i, end)
			locs, cum := r.locs[i:end+1], r.cumD[i:end+1]
			bc, bp := best.cost, -1
			dp := row[locs[0]]
			for k := 1; k < len(locs); k++ {
				dn := row[locs[k]]
				c := extra + cpd*(dp+dn-(cum[k]-cum[k-1]))
				dp = dn
				if c < bc {
					bc, bp = c, i+k-1
				}
			}
			if bp >= 0 {
				*best = insertion{ri: ri, pos: bp, cost: bc}
			}
			i = end
		}
	}
}

// scanRoutes is evalPositions of visit j on the routes c (with room) of a
// problem with one type and one trip, hard limits: the posEval set up once
// for all routes (the vehicle type, the flags), the blinks and ranges as
// evalPositions does them; no new trip is possible.
func (w *worker) scanRoutes(c []int, j int32, blink float64, best *insertion) {
	in := w.in
	t := &in.types[0]
	e := posEval{w: w, t: t, j: j, fast: in.noTime && in.sym, warp: w.s.warp}
	e.timed = !in.noTime && in.sym && !in.hasTimeCost && !w.s.soft && !e.warp && rangeTimedOn
	empty := t.fixed + in.routeW
	for _, ri := range c {
		r := w.s.routes[ri]
		L := len(r.jobs)
		e.r, e.ri, e.extra = r, ri, 0
		if L == 0 {
			e.extra = empty
		}
		// The blink ranges as evalPositions draws them, written out: a
		// shared helper is not inlined and costs 2 % of X's instructions.
		for i := 0; i <= L; {
			end := L + 1
			if blink > 0 {
				if w.blinkGap == 0 {
					w.blinkGap = w.drawGap(blink)
					i++
					continue
				}
				end = min(end, i+w.blinkGap)
				w.blinkGap -= end - i
			}
			switch {
			case e.fast:
				e.rangeNoTime(i, end, best)
			case e.timed:
				e.rangeTimed(i, end, best)
			case e.warp:
				e.rangeWarp(i, end, best) // twarp.go
			default:
				e.rangeTime(i, end, best)
			}
			i = end
		}
	}
}

// flatScan lets evalRoutes use scanNoTime and scanRoutes (the tests compare both ways).
var flatScan = true

// roomFlat lets evalRoutes list the routes with room first on one type and
// one dimension (the tests compare both ways).
var roomFlat = true

// roomFirst lets bestInsert skip routes without room before evalInsert
// (the tests compare both ways).
var roomFirst = true

// insertFits is what evalInsert knows before the positions of route ri:
// false when visit j cannot go into it (type not allowed, or capacity: then
// only a new trip is tried, into best); perTrip when positions are judged
// trip by trip (several trips, or soft mode), with w.tfit (does the visit
// fit the trip) and w.tpen (what its load excess costs, soft) filled.
func (w *worker) insertFits(ri int, j int32, best *insertion) (perTrip, ok bool) {
	in := w.in
	r := w.s.routes[ri]
	t := &in.types[r.t]
	if !in.allowed[int(j)*in.nt+r.t] {
		return false, false
	}
	L := len(r.jobs)
	a := in.visitAmt(j)
	soft := w.s.soft
	perTrip = len(r.mk) > 0 || soft
	if !perTrip {
		if !w.capOK(r.t, r.load(in), a, w.zero) {
			if L > 0 && r.trips() < t.maxTrips {
				w.evalNewTrip(ri, j, best)
			}
			return false, false
		}
		return false, true
	}
	w.tfit, w.tpen = w.tfit[:0], w.tpen[:0]
	for k := 0; k < max(r.trips(), 1); k++ {
		load := r.load(in)
		if len(r.mk) > 0 {
			load = in.tripLoad(r, k, w.tload)
		}
		w.tfit = append(w.tfit, soft || w.capOK(r.t, load, a, w.zero))
		if soft {
			pen, _ := w.tripCheck(r.t, r, r.tripBoundsGap(k), a, w.zero)
			w.tpen = append(w.tpen, pen-w.s.lq*r.exLoad)
		}
	}
	return true, true
}

// evalInsert tries visit j at every position of route ri, and as a new trip
// when the vehicle has trips left.
func (w *worker) evalInsert(ri int, j int32, blink float64, best *insertion) {
	perTrip, ok := w.insertFits(ri, j, best)
	if !ok {
		return
	}
	w.evalPositions(ri, j, blink, perTrip, best)
}

// evalPositions is evalInsert after insertFits said yes.
func (w *worker) evalPositions(ri int, j int32, blink float64, perTrip bool, best *insertion) {
	in := w.in
	r := w.s.routes[ri]
	t := &in.types[r.t]
	L := len(r.jobs)
	extra := 0.0
	if L == 0 {
		extra = t.fixed + in.routeW
	}
	e := posEval{w: w, r: r, t: t, ri: ri, j: j, extra: extra, perTrip: perTrip,
		fast: in.noTime && !perTrip && in.sym, warp: w.s.warp}
	e.timed = !in.noTime && !perTrip && in.sym && !in.hasTimeCost && !w.s.soft && !e.warp && rangeTimedOn
	// Positions are skipped with probability blink: Bernoulli(blink) per
	// position, drawn as geometric gaps; the positions between two blinks
	// are evaluated as one range.
	for i := 0; i <= L; {
		end := L + 1
		if blink > 0 {
			if w.blinkGap == 0 {
				w.blinkGap = w.drawGap(blink)
				i++
				continue
			}
			end = min(end, i+w.blinkGap)
			w.blinkGap -= end - i
		}
		if e.fast {
			e.rangeNoTime(i, end, best)
		} else if e.timed {
			e.rangeTimed(i, end, best)
		} else if e.warp {
			e.rangeWarp(i, end, best) // twarp.go
		} else {
			e.rangeTime(i, end, best)
		}
		i = end
	}
	if L > 0 && r.trips() < t.maxTrips {
		w.evalNewTrip(ri, j, best)
	}
}

// posEval evaluates the insertion of visit j after nodes of route ri.
type posEval struct {
	w       *worker
	r       *route
	t       *vtype
	ri      int
	j       int32
	extra   float64 // a vehicle's fixed cost and weight when r is empty
	perTrip bool
	fast    bool // no time, one trip, hard limits, symmetric distances
	timed   bool // windows without a time cost, one trip, hard limits, symmetric distances
	warp    bool // time warp priced (twarp.go)
}

// rangeNoTime tries the positions i0..i1-1 on a problem without time, with
// hard limits, one trip and symmetric distances: the insertion cost is
// the detour alone. The old arc comes from cumD so that only row lj of
// the matrix is read (it stays in cache).
func (e *posEval) rangeNoTime(i0, i1 int, best *insertion) {
	in, r := e.w.in, e.r
	n := in.n
	lj := int(in.loc[e.j])
	row := in.dist[lj*n : (lj+1)*n]
	cpd, extra := e.t.cpd, e.extra
	cum := r.cumD
	bc, bp := best.cost, -1
	// the detour of position i reads row[node i] and row[node i+1]: each
	// entry read once, carried to the next position
	locs := r.locs[i0 : i1+1]
	cum = cum[i0 : i1+1]
	dp := row[locs[0]]
	for k := 1; k < len(locs); k++ {
		dn := row[locs[k]]
		c := extra + cpd*(dp+dn-(cum[k]-cum[k-1]))
		dp = dn
		if c < bc {
			bc, bp = c, i0+k-1
		}
	}
	if bp >= 0 {
		*best = insertion{ri: e.ri, pos: bp, cost: bc}
	}
}

// rangeTimed is rangeTime for windows without a time cost, one trip, hard
// limits and symmetric distances (Solomon's VRPTW): a tight loop over the
// detours as rangeNoTime's (row lj read once per node, the same float
// operations), and the time check (timeAt, exactAt) only for positions
// whose detour is below the best cost, as rangeTime (TestEvalInsertMatchesReference).
func (e *posEval) rangeTimed(i0, i1 int, best *insertion) {
	in, r := e.w.in, e.r
	n := in.n
	lj := int(in.loc[e.j])
	row := in.dist[lj*n : (lj+1)*n]
	cpd, extra := e.t.cpd, e.extra
	locs := r.locs[i0 : i1+1]
	cum := r.cumD[i0 : i1+1]
	bc := best.cost
	dp := row[locs[0]]
	for k := 1; k < len(locs); k++ {
		dn := row[locs[k]]
		dd := dp + dn - (cum[k] - cum[k-1])
		dp = dn
		c := extra + cpd*dd
		if c >= bc || !in.precFits(r, i0+k-1, e.j) {
			continue
		}
		if c, ok := e.timedAt(i0+k-1, c, dd, bc); ok {
			*best = insertion{ri: e.ri, pos: i0 + k - 1, cost: c}
			bc = c
		}
	}
}

// timedAt finishes rangeTime's test of position i for rangeTimed: c is the
// detour's cost (below bound), dd the detour.
func (e *posEval) timedAt(i int, c, dd, bound float64) (float64, bool) {
	t, r := e.t, e.r
	dur, ok := e.timeAt(i)
	if !ok || dur > t.maxDur+eps {
		return 0, false
	}
	pen := 0.0
	c += t.cpt*(dur-r.dur) + pen
	if c >= bound {
		return 0, false
	}
	if r.nm > 0 || e.w.in.multi[e.j] {
		return e.exactAt(i, c, dd, 0, bound)
	}
	return c, true
}

// rangeTime tries the positions i0..i1-1 in the general case: trips, soft
// limits, windows, shifts and durations.
func (e *posEval) rangeTime(i0, i1 int, best *insertion) {
	w, r, t := e.w, e.r, e.t
	in := w.in
	n := in.n
	lj := int(in.loc[e.j])
	soft := w.s.soft
	exact := r.nm > 0 || in.multi[e.j]
	row := in.dist[lj*n : (lj+1)*n]
	for i := i0; i < i1; i++ {
		prev, next := int(r.locs[i]), int(r.locs[i+1])
		trip := 0
		if e.perTrip {
			if trip = r.tripOf(i); !w.tfit[trip] {
				continue
			}
		}
		var dd float64
		if in.sym { // row lj only: stays in cache, the old arc is in cumD
			dd = row[prev] + row[next] - (r.cumD[i+1] - r.cumD[i])
		} else {
			dd = in.dist[prev*n+lj] + in.dist[lj*n+next] - in.dist[prev*n+next]
		}
		c := e.extra + t.cpd*dd
		if soft {
			c += w.tpen[trip]
		}
		if c >= best.cost && !in.hasTimeCost {
			continue
		}
		if in.noTime {
			*best = insertion{ri: e.ri, pos: i, cost: c}
			continue
		}
		dur, ok := e.timeAt(i)
		if !ok {
			continue
		}
		pen := 0.0
		if soft {
			pen = w.s.lt * (max(dur-t.maxDur, 0) - r.exTime)
		} else if dur > t.maxDur+eps {
			continue
		}
		c += t.cpt*(dur-r.dur) + pen
		if c >= best.cost {
			continue
		}
		if exact {
			if c, ok = e.exactAt(i, c, dd, trip, best.cost); !ok {
				continue
			}
		}
		*best = insertion{ri: e.ri, pos: i, cost: c}
	}
}

// timeAt is the duration of route r with visit j after node i, and whether
// it meets every window and the shift (no time warp): the segment
// concatenation fw[i] + j + bw[i+1] of cat, with the same operations in
// the same order, computing of the last one only what is read and
// stopping when the first part is late already (time warp only grows).
func (e *posEval) timeAt(i int) (dur float64, ok bool) {
	in, r := e.w.in, e.r
	n := in.n
	f, sj := &r.fw[i], &in.jseg[e.j]
	t1 := in.dur[int(f.last)*n+int(sj.first)]
	delta := f.dur - f.tw + t1
	wt := max(sj.e-delta-f.l, 0)
	tw1 := max(f.e+delta-sj.l, 0)
	aTw := f.tw + sj.tw + tw1
	if aTw > eps {
		return 0, false
	}
	aDur := f.dur + sj.dur + t1 + wt
	aE := max(sj.e-delta, f.e) - wt
	aL := min(sj.l-delta, f.l) + tw1
	b := &r.bw[i+1]
	t2 := in.dur[int(sj.last)*n+int(b.first)]
	delta2 := aDur - aTw + t2
	wt2 := max(b.e-delta2-aL, 0)
	tw2 := max(aE+delta2-b.l, 0)
	if aTw+b.tw+tw2 > eps {
		return 0, false
	}
	return aDur + b.dur + t2 + wt2, true
}

// exactAt checks the insertion after node i on a route with jobs of several
// windows by scheduling it exactly; it returns the exact cost when it is
// feasible and below bound.
func (e *posEval) exactAt(i int, c, dd float64, trip int, bound float64) (float64, bool) {
	w, r, t := e.w, e.r, e.t
	in := w.in
	w.seq = append(w.seq[:0], r.jobs[:i]...)
	w.seq = append(w.seq, e.j)
	w.seq = append(w.seq, r.jobs[i:]...)
	ok, dur, _, _ := in.simulate(r.t, w.seq)
	if !ok || dur > t.maxDur+eps {
		return 0, false
	}
	c = e.extra + t.cpd*dd + t.cpt*(dur-r.dur)
	if w.s.soft {
		c += w.tpen[trip] + w.s.lt*(max(dur-t.maxDur, 0)-r.exTime)
	}
	return c, c < bound
}

// timePen checks a route's new segment s against type t: it must meet
// every window and the shift, and in hard mode the maximum duration (pen
// 0); in soft mode the change of duration excess against route r is
// priced.
func (w *worker) timePen(t *vtype, s seg, r *route) (pen float64, ok bool) {
	if !w.s.soft {
		return 0, s.tw <= eps && s.dur <= t.maxDur+eps
	}
	return w.s.lt * (max(s.dur-t.maxDur, 0) - r.exTime), s.tw <= eps
}

// drawGap returns how many positions pass before the next blink.
func (w *worker) drawGap(blink float64) int {
	u := w.rng.Float64()
	if u <= 0 {
		return 0
	}
	g := math.Log(u) / math.Log1p(-blink)
	if g > 1e9 {
		return 1e9
	}
	return int(g)
}

// candNear is how many granular neighbours decide the candidate routes of
// an insertion.
var candNear = 40

// rangeTimedOn lets evalInsert use rangeTimed (the tests compare both ways).
var rangeTimedOn = true
