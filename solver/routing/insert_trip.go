package routing

// evalNewTrip tries visit j as a trip of its own on the (non-empty) route
// ri: before the first trip, between two trips, or after the last one. The
// vehicle is already paid for, so a new trip costs its travel (and reload
// time when time is priced) instead of a vehicle's fixed cost: this is how
// a day's work goes onto fewer trucks.
func (w *worker) evalNewTrip(ri int, j int32, best *insertion) {
	in := w.in
	r := w.s.routes[ri]
	t := &in.types[r.t]
	if !w.capOK(r.t, w.zero, in.visitAmt(j), w.zero) {
		return
	}
	loadPen := 0.0
	if w.s.soft {
		loadPen = w.s.lq * excessOf(in.visitAmt(j), t.capa)
	}
	n := in.n
	L := len(r.jobs)
	lj, le := int(in.loc[j]), int(t.end)
	ms := in.jseg[t.mark]
	exact := r.nm > 0 || in.multi[j]
	// after node i, an opening node: the start depot or a reload
	try := func(i int, kind insertKind) {
		var dd float64
		var s seg
		if kind == tripBefore {
			prev, next := in.nodeLoc(r, i), in.nodeLoc(r, i+1)
			dd = in.dist[prev*n+lj] + in.dist[lj*n+le] + in.dist[le*n+next] - in.dist[prev*n+next]
			if !in.noTime {
				s = in.cat(in.cat(in.cat(r.fw[i], in.jseg[j]), ms), r.bw[i+1])
			}
		} else {
			dd = in.dist[le*n+lj] + in.dist[lj*n+le]
			if !in.noTime {
				s = in.cat(in.cat(in.cat(r.fw[L], ms), in.jseg[j]), r.bw[L+1])
			}
		}
		c := t.cpd*dd + loadPen
		if c >= best.cost && !in.hasTimeCost {
			return
		}
		if !in.noTime {
			pen, ok := w.timePen(t, s, r)
			if !ok {
				return
			}
			c += t.cpt*(s.dur-r.dur) + pen
			if c >= best.cost {
				return
			}
			if exact {
				ins := insertion{ri: ri, pos: i, kind: kind}
				w.seq = append(w.seq[:0], r.jobs[:i]...)
				w.seq = ins.nodes(w.seq, in, r.t, j)
				w.seq = append(w.seq, r.jobs[i:]...)
				ok, dur, _, _ := in.simulate(r.t, w.seq)
				if !ok || dur > t.maxDur+eps {
					return
				}
				c = t.cpd*dd + loadPen + t.cpt*(dur-r.dur)
				if w.s.soft {
					c += w.s.lt * (max(dur-t.maxDur, 0) - r.exTime)
				}
				if c >= best.cost {
					return
				}
			}
		}
		*best = insertion{ri: ri, pos: i, kind: kind, cost: c}
	}
	try(0, tripBefore)
	for _, m := range r.mk {
		try(int(m), tripBefore)
	}
	try(L, tripAfter)
}
