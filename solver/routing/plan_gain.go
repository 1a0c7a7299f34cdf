package routing

// Fast ways for the Plan calls the periodic planner makes most: the
// routes are left untouched and the bookkeeping the plain way (replace,
// then undo) would leave is replayed: the solution's cost by the same
// float operations in the same order, the undo log, and the job index and
// unassigned list, which a removal undone leaves as they were (the visit
// goes to the end of the list and comes off it again).

// removalGainFast is RemovalGain for a job of one visit whose route keeps
// other visits: the route without the visit is laid out in a scratch route
// (the unchanged head copied, the rest by update's own code, no backward
// segments). The plan is left bit for bit as removal and undo leave it
// (TestRemovalGainFastMatches). ok is false when the plain way must be
// taken.
func (pl *Plan) removalGainFast(j int) (gain float64, ok bool) {
	in, w := pl.m.in, pl.w
	s := w.s
	ri, r, seq, ok := pl.keepsOthers(j)
	if !ok {
		return 0, false
	}
	before := pl.Cost() + pl.Penalty()
	nr := in.layoutHead(&w.scratch, r, seq)
	if s.soft {
		s.price(nr)
	}
	cost, pen := pl.costWith(ri, nr, -1, nil)
	gain = before - cost - pen
	s.replayLog(ri, r, -1, nil)
	s.cost = replaceOps(in, replaceOps(in, s.cost, r, nr), nr, r)
	return gain, true
}

// keepsOthers finds the route ri of job j when j has one visit and the
// route keeps other visits without it, and the route's sequence without
// the visit (normalized, in the worker's scratch).
func (pl *Plan) keepsOthers(j int) (ri int, r *route, seq []int32, ok bool) {
	in, w := pl.m.in, pl.w
	s := w.s
	v := in.first[j]
	if in.first[j+1]-v != 1 || s.jr[v] < 0 {
		return 0, nil, nil, false
	}
	ri = int(s.jr[v])
	r = s.routes[ri]
	seq = w.scratchSeq[:0]
	visits := 0
	for _, x := range r.jobs {
		if x != v {
			seq = append(seq, x)
			if !in.isMark(x) {
				visits++
			}
		}
	}
	if in.multiTrip {
		seq = in.normalize(r.t, seq)
	}
	w.scratchSeq = seq
	// a route left empty frees its vehicle: fleet bookkeeping
	return ri, r, seq, visits > 0
}

// relocateFast decides Relocate(j) for a job of one visit whose route
// keeps other visits, without changing the routes when the job stays: the
// route without it is laid out in a scratch route and stands in for the
// real one while the best place is searched, the route receiving it is
// laid out in a second scratch route (head copied, no backward segments),
// and when the move does not lower the cost the float operations of the
// removal, insertion and their undo are replayed, so that the plan ends
// bit for bit as the plain Relocate leaves it (TestRelocateFastMatches).
// done is false when the plain way must decide: the move improves (it is
// made by the plain way) or opens a vehicle.
func (pl *Plan) relocateFast(j int) (moved, done bool) {
	in, w := pl.m.in, pl.w
	s := w.s
	ri, r, seq, ok := pl.keepsOthers(j)
	if !ok {
		return false, false
	}
	v := in.first[j]
	before := pl.Cost() + pl.Penalty()
	a := &w.scratch
	a.t, a.jobs = r.t, append(a.jobs[:0], seq...)
	in.update(a)
	if s.soft {
		s.price(a)
	}
	s.routes[ri] = a
	p := pl.place(v)
	s.routes[ri] = r
	if p.ri < 0 { // removal and undo
		s.replayLog(ri, r, -1, nil)
		s.cost = replaceOps(in, replaceOps(in, s.cost, r, a), a, r)
		return false, true
	}
	rk, into := p.ri, a
	if rk != ri {
		into = s.routes[rk]
	}
	if len(into.jobs) == 0 {
		return false, false
	}
	w.nodes = p.nodes(w.nodes[:0], in, into.t, v)
	seq2 := append(w.scratchSeq2[:0], into.jobs[:p.pos]...)
	seq2 = append(seq2, w.nodes...)
	seq2 = append(seq2, into.jobs[p.pos:]...)
	if in.multiTrip {
		seq2 = in.normalize(into.t, seq2)
	}
	w.scratchSeq2 = seq2
	b := in.layoutHead(&w.scratch2, into, seq2)
	if s.soft {
		s.price(b)
	}
	var cost, pen float64
	if rk == ri {
		cost, pen = pl.costWith(ri, b, -1, nil)
	} else {
		cost, pen = pl.costWith(ri, a, rk, b)
	}
	if cost+pen < before-1e-7 {
		return false, false
	}
	c := replaceOps(in, s.cost, r, a)
	if rk == ri {
		s.replayLog(ri, r, -1, nil)
		c = replaceOps(in, replaceOps(in, c, a, b), b, r)
	} else {
		s.replayLog(ri, r, rk, into)
		c = replaceOps(in, replaceOps(in, c, into, b), b, into)
		c = replaceOps(in, c, a, r)
	}
	s.cost = c
	return false, true
}

// layoutHead lays out the sequence seq of a vehicle of r's type in dst:
// the head it shares with r copied, then the forward data and the totals
// as update computes them (the backward segments are left out: only the
// cost is read).
func (in *inst) layoutHead(dst *route, r *route, seq []int32) *route {
	pre, _ := kept(r.jobs, seq)
	L, dim := len(seq), in.dim
	dst.t = r.t
	dst.jobs = append(dst.jobs[:0], seq...)
	dst.flat = r.flat
	if !dst.flat {
		dst.fw = growKeep(dst.fw, L+2, 0)
		copy(dst.fw[:pre+1], r.fw[:pre+1])
	}
	dst.cumD = growKeep(dst.cumD, L+2, 0)
	dst.locs = growKeep(dst.locs, L+2, 0)
	dst.cumL = growKeep(dst.cumL, (L+2)*dim, 0)
	copy(dst.cumD[:pre+1], r.cumD[:pre+1])
	copy(dst.locs[:pre+1], r.locs[:pre+1])
	copy(dst.cumL[:(pre+1)*dim], r.cumL[:(pre+1)*dim])
	in.updateTrips(dst)
	in.updateHead(dst, pre)
	if in.noTime {
		in.finishNoTime(dst)
	} else {
		in.finish(dst)
	}
	return dst
}

// costWith is Cost and Penalty of the plan with route ri replaced by nr
// (and rk by nk when rk >= 0), summed as Cost and Penalty sum them.
func (pl *Plan) costWith(ri int, nr *route, rk int, nk *route) (cost, pen float64) {
	s := pl.w.s
	at := func(k int) *route {
		switch k {
		case ri:
			return nr
		case rk:
			return nk
		}
		return s.routes[k]
	}
	c, e := 0.0, 0.0
	for k := range s.routes {
		if r := at(k); len(r.jobs) > 0 {
			c += r.cost - pl.m.in.routeW
		}
	}
	for k := range s.routes {
		r := at(k)
		e += s.lq*r.exLoad + s.lt*r.exTime
	}
	return c - e, e
}

// replaceOps returns the solution cost c after replace turned a route from
// old into nw by the float operations replace makes: old's cost out, every
// visit of old out (its penalty in), every visit of nw in (its penalty
// out), nw's cost in. It holds when every visit of nw was in old or
// unassigned, as in a removal, an insertion and their undo.
func replaceOps(in *inst, c float64, old, nw *route) float64 {
	c -= old.cost
	for _, x := range old.jobs {
		if !in.isMark(x) {
			c += in.pen[x]
		}
	}
	for _, x := range nw.jobs {
		if !in.isMark(x) {
			c -= in.pen[x]
		}
	}
	return c + nw.cost
}

// replayLog leaves the undo log as beginLog, replace of route ri (old
// state r) and of route rk (old state rk, when rk >= 0 and differs) and
// undo leave it.
func (s *solution) replayLog(ri int, r *route, rk int, k *route) {
	s.stamp++
	s.touched[ri] = s.stamp
	s.logRoute = append(s.logRoute[:0], ri)
	s.logStart = append(s.logStart[:0], 0)
	s.logPool = append(s.logPool[:0], r.jobs...)
	if rk >= 0 && rk != ri {
		s.touched[rk] = s.stamp
		s.logRoute = append(s.logRoute, rk)
		s.logStart = append(s.logStart, len(s.logPool))
		s.logPool = append(s.logPool, k.jobs...)
	}
	s.logOn = false
}
