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

// bestInsert returns the cheapest feasible insertion of job j (route, node
// after which to insert, cost increase). ri = -1 when leaving the job out
// (its penalty) is at least as cheap. Each position is skipped with
// probability blink (SISR's blinks).
func (w *worker) bestInsert(j int32, blink float64) (bestR, bestP int, bestC float64) {
	bestR, bestP, bestC = -1, -1, w.in.pen[j]
	c := w.candidates(j, false)
	for _, ri := range c {
		w.evalInsert(ri, j, blink, &bestR, &bestP, &bestC)
	}
	if bestR < 0 && len(c) < len(w.s.routes) {
		all := w.candidates(j, true)
		for _, ri := range all {
			w.evalInsert(ri, j, blink, &bestR, &bestP, &bestC)
		}
	}
	return
}

func (w *worker) evalInsert(ri int, j int32, blink float64, bestR, bestP *int, bestC *float64) {
	in := w.in
	r := w.s.routes[ri]
	t := &in.types[r.t]
	if !in.allowed[int(j)*in.nt+r.t] {
		return
	}
	L := len(r.jobs)
	ld := r.load(in)
	a := in.jobAmt(j)
	for d := range a {
		if ld[d]+a[d] > t.capa[d] {
			return
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
		var dd float64
		if in.sym { // row lj only: stays in cache, the old arc is in cumD
			dd = row[prev] + row[next] - (r.cumD[i+1] - r.cumD[i])
		} else {
			dd = in.dist[prev*n+lj] + in.dist[lj*n+next] - in.dist[prev*n+next]
		}
		c := extra + t.cpd*dd
		prev = next
		if c >= *bestC && !in.hasTimeCost {
			continue
		}
		if in.noTime {
			*bestR, *bestP, *bestC = ri, i, c
			continue
		}
		s := in.cat(in.cat(r.fw[i], sj), r.bw[i+1])
		if s.tw > eps || s.dur > t.maxDur+eps {
			continue
		}
		c += t.cpt * (s.dur - r.dur)
		if c >= *bestC {
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
			if c >= *bestC {
				continue
			}
		}
		*bestR, *bestP, *bestC = ri, i, c
	}
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
