package routing

import "math"

// candidates lists the routes worth trying for job j: on large solutions the
// routes of its granular neighbours plus one empty route per type with
// vehicles left; on small ones every route.
func (w *worker) candidates(j int32, all bool) []int {
	s := w.s
	if len(w.rstamp) < len(s.routes) {
		w.rstamp = append(w.rstamp, make([]int32, len(s.routes)-len(w.rstamp))...)
	}
	w.rst++
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
	nb := w.in.near[j]
	if len(nb) > candNear {
		nb = nb[:candNear]
	}
	for _, v := range nb {
		ri := s.jr[v]
		if ri >= 0 && w.rstamp[ri] != w.rst {
			w.rstamp[ri] = w.rst
			c = append(c, int(ri))
		}
	}
	for _, ri := range s.spare {
		if ri >= 0 && w.rstamp[ri] != w.rst {
			w.rstamp[ri] = w.rst
			c = append(c, ri)
		}
	}
	w.cand = c
	return c
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
	for _, ri := range c {
		w.evalInsert(ri, j, blink, &best)
	}
	if best.ri < 0 && len(c) < len(w.s.routes) {
		all := w.candidates(j, true)
		for _, ri := range all {
			w.evalInsert(ri, j, blink, &best)
		}
	} else if w.in.multiTrip && len(c) < len(w.s.routes) {
		// A new trip leaves from the depot: every vehicle already out with
		// trips left may take it, near its other visits or not, for the
		// price of the trip instead of another vehicle.
		for ri, r := range w.s.routes {
			if w.rstamp[ri] != w.rst && len(r.jobs) > 0 && r.trips() < w.in.types[r.t].maxTrips && w.in.allowed[int(j)*w.in.nt+r.t] {
				w.evalNewTrip(ri, j, &best)
			}
		}
	}
	return best
}

// evalInsert tries visit j at every position of route ri, and as a new trip
// when the vehicle has trips left.
func (w *worker) evalInsert(ri int, j int32, blink float64, best *insertion) {
	in := w.in
	r := w.s.routes[ri]
	t := &in.types[r.t]
	if !in.allowed[int(j)*in.nt+r.t] {
		return
	}
	L := len(r.jobs)
	a := in.visitAmt(j)
	soft := w.s.soft
	// per trip (when the route has several, or in soft mode): does the
	// visit fit (hard), or what its load excess costs (soft)
	perTrip := len(r.mk) > 0 || soft
	if !perTrip {
		if !w.capOK(r.t, r.load(in), a, w.zero) {
			if L > 0 && r.trips() < t.maxTrips {
				w.evalNewTrip(ri, j, best)
			}
			return
		}
	} else {
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
	}
	n := in.n
	lj := int(in.loc[j])
	sj := in.jseg[j]
	extra := 0.0
	if L == 0 {
		extra = t.fixed + in.routeW
	}
	exact := r.nm > 0 || in.multi[j]
	row := in.dist[lj*n : (lj+1)*n]
	prev := int(t.start)
	for i := 0; i <= L; i++ {
		var next int
		if i < L {
			next = int(in.loc[r.jobs[i]])
		} else {
			next = int(t.end)
		}
		if blink > 0 {
			// Bernoulli(blink) per position, drawn as geometric gaps
			if w.blinkGap == 0 {
				w.blinkGap = w.drawGap(blink)
				prev = next
				continue
			}
			w.blinkGap--
		}
		trip := 0
		if perTrip {
			if trip = r.tripOf(i); !w.tfit[trip] {
				prev = next
				continue
			}
		}
		var dd float64
		if in.sym { // row lj only: stays in cache, the old arc is in cumD
			dd = row[prev] + row[next] - (r.cumD[i+1] - r.cumD[i])
		} else {
			dd = in.dist[prev*n+lj] + in.dist[lj*n+next] - in.dist[prev*n+next]
		}
		c := extra + t.cpd*dd
		if soft {
			c += w.tpen[trip]
		}
		prev = next
		if c >= best.cost && !in.hasTimeCost {
			continue
		}
		if in.noTime {
			*best = insertion{ri: ri, pos: i, cost: c}
			continue
		}
		s := in.cat(in.cat(r.fw[i], sj), r.bw[i+1])
		pen, ok := w.timePen(t, s, r)
		if !ok {
			continue
		}
		c += t.cpt*(s.dur-r.dur) + pen
		if c >= best.cost {
			continue
		}
		if exact {
			w.seq = append(w.seq[:0], r.jobs[:i]...)
			w.seq = append(w.seq, j)
			w.seq = append(w.seq, r.jobs[i:]...)
			ok, dur, _, _ := in.simulate(r.t, w.seq)
			if !ok || dur > t.maxDur+eps {
				continue
			}
			c = extra + t.cpd*dd + t.cpt*(dur-r.dur)
			if soft {
				c += w.tpen[trip] + w.s.lt*(max(dur-t.maxDur, 0)-r.exTime)
			}
			if c >= best.cost {
				continue
			}
		}
		*best = insertion{ri: ri, pos: i, cost: c}
	}
	if L > 0 && r.trips() < t.maxTrips {
		w.evalNewTrip(ri, j, best)
	}
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
