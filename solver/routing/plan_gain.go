package routing

// removalGainFast is RemovalGain for a job of one visit whose route keeps
// other visits, without changing the routes: the route without the visit
// is laid out in a scratch route (the unchanged head copied, the rest by
// update's own code, no backward segments), and the float operations the
// removal and its undo would make on the solution's cost and undo log are
// made on them, so that the plan is left bit for bit as RemovalGain by
// removal and undo leaves it (TestRemovalGainFastMatches). ok is false
// when the slow way must be taken.
func (pl *Plan) removalGainFast(j int) (gain float64, ok bool) {
	in, w := pl.m.in, pl.w
	s := w.s
	v := in.first[j]
	if in.first[j+1]-v != 1 || s.jr[v] < 0 {
		return 0, false
	}
	ri := int(s.jr[v])
	r := s.routes[ri]
	seq := w.scratchSeq[:0]
	visits := 0
	for _, x := range r.jobs {
		if x != v {
			seq = append(seq, x)
			if !in.isMark(x) {
				visits++
			}
		}
	}
	if visits == 0 { // the vehicle would be freed: fleet bookkeeping
		return 0, false
	}
	if in.multiTrip {
		seq = in.normalize(r.t, seq)
	}
	w.scratchSeq = seq
	before := pl.Cost() + pl.Penalty()
	nr := in.layoutHead(&w.scratch, r, seq)
	if s.soft {
		s.price(nr)
	}
	cost, pen := pl.costWith(ri, nr)
	gain = before - cost - pen
	s.replayRemoval(ri, r, nr)
	return gain, true
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
	dst.fw = growKeep(dst.fw, L+2, 0)
	dst.cumD = growKeep(dst.cumD, L+2, 0)
	dst.locs = growKeep(dst.locs, L+2, 0)
	dst.cumL = growKeep(dst.cumL, (L+2)*dim, 0)
	copy(dst.fw[:pre+1], r.fw[:pre+1])
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

// costWith is Cost and Penalty of the plan with route ri replaced by nr,
// summed as Cost and Penalty sum them.
func (pl *Plan) costWith(ri int, nr *route) (cost, pen float64) {
	s := pl.w.s
	c, e := 0.0, 0.0
	for k, r := range s.routes {
		if k == ri {
			r = nr
		}
		if len(r.jobs) > 0 {
			c += r.cost - pl.m.in.routeW
		}
	}
	for k, r := range s.routes {
		if k == ri {
			r = nr
		}
		e += s.lq*r.exLoad + s.lt*r.exTime
	}
	return c - e, e
}

// replayRemoval leaves s as replace(ri, nr.jobs) followed by its undo
// would: the cost changed by the same float operations in the same order,
// and the undo log holding route ri's old sequence. The job index and the
// unassigned list end as they were (the removed visit goes to the end of
// the list and comes off it again).
func (s *solution) replayRemoval(ri int, r, nr *route) {
	in := s.in
	s.stamp++
	s.touched[ri] = s.stamp
	s.logRoute = append(s.logRoute[:0], ri)
	s.logStart = append(s.logStart[:0], 0)
	s.logPool = append(s.logPool[:0], r.jobs...)
	s.logOn = false
	c := s.cost
	// replace(ri, nr.jobs): every old visit out, the kept ones back in
	c -= r.cost
	for _, x := range r.jobs {
		if !in.isMark(x) {
			c += in.pen[x]
		}
	}
	for _, x := range nr.jobs {
		if !in.isMark(x) {
			c -= in.pen[x]
		}
	}
	c += nr.cost
	// undo: replace(ri, r.jobs)
	c -= nr.cost
	for _, x := range nr.jobs {
		if !in.isMark(x) {
			c += in.pen[x]
		}
	}
	for _, x := range r.jobs {
		if !in.isMark(x) {
			c -= in.pen[x]
		}
	}
	c += r.cost
	s.cost = c
}
