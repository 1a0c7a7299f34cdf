package routing

// route is one vehicle's day: its node sequence (visits and reloads) with
// the prefix and suffix data that make move evaluation O(1). Node 0 is the
// start depot, nodes 1..L the sequence and node L+1 the end depot.
type route struct {
	t    int
	jobs []int32
	mk   []int32   // node positions (1..L) of the reloads, increasing
	tp   []int32   // tp[i]: trip of node i (reloads at or before i); only when len(mk) > 0
	fw   []seg     // fw[i]: nodes 0..i
	bw   []seg     // bw[i]: nodes i..L+1
	bwj  []seg     // bwj[i]: nodes i..L (jobs only), i in 1..L; computed for i >= bwjFrom (jobsFrom)
	cumD []float64 // distance from node 0 to node i
	locs []int32   // locs[i]: location of node i
	cumL []int64   // (L+2)*dim: load of nodes 1..i
	ld   []int64   // the route's load: cumL's last dim entries (updateHead sets it)
	ld0  int64     // ld[0] (0 without dimensions)
	dist float64
	dur  float64
	cost float64 // objective cost (0 when empty)
	nm   int     // number of jobs with several windows
	feas bool    // windows, shift, duration, trips and every trip's load hold (soft mode: trips and windows of jobs with several)
	// excess over the limits a penalised (soft) solution prices: load above
	// capacity summed over trips and dimensions, duration above MaxDuration
	exLoad, exTime float64
	winOK          bool    // every window and the shift end are met (exactly, with several windows)
	warp           float64 // time warp of the whole route (Vidal's segments; 0 without time): twarp.go prices it
	bwjFrom        int     // bwj[i] is up to date for i >= bwjFrom; jobsFrom computes the others when asked

	mod, starAt int64 // solution.mods at the last change and at the last SWAP* test that found no move

	// flat: a problem without time (in.noTime) keeps no segments but the
	// two at the depots (head = fw[0], tail = bw[L+1]): every other one
	// is the pair of its end locations (fwSeg, bwSeg, jobsFrom).
	flat       bool
	head, tail *seg // the type's startS and endS
}

// fwSeg is fw[i], the segment of nodes 0..i.
func (r *route) fwSeg(i int) seg {
	if r.flat {
		if i == 0 {
			return *r.head
		}
		return seg{first: r.locs[0], last: r.locs[i]}
	}
	return r.fw[i]
}

// bwSeg is bw[i], the segment of nodes i..L+1.
func (r *route) bwSeg(i int) seg {
	if r.flat {
		L := len(r.jobs)
		if i == L+1 {
			return *r.tail
		}
		return seg{first: r.locs[i], last: r.locs[L+1]}
	}
	return r.bw[i]
}

// flatOn lets routes of problems without time be flat (the tests compare
// both ways).
var flatOn = true

func (r *route) load(in *inst) []int64 { return r.ld }

// update recomputes the derived data after r.jobs changed. O(L*dim).
func (in *inst) update(r *route) { in.updateKept(r, 0, 0, 0) }

// updateKept is update after a change that kept the first pre and the last
// suf nodes of the previous sequence, of length oldL, whose derived data r
// still holds (pre+suf <= min(oldL, len(r.jobs))): the prefix data of the
// kept head (fw, cumD, cumL) and the suffix segments of the kept tail (bw,
// bwj, moved to their new positions) are not computed again; bwj, which
// only 2-opt* reads, is computed when asked (jobsFrom). Each entry is
// a function of its own head or tail of the sequence only, computed by the
// same operations in the same order, so the result is bit for bit that of
// a full update (TestUpdateKeptEqualsFull). O((L-pre-suf+1)*dim) segment
// work plus O(L) for the reloads and the cost.
func (in *inst) updateKept(r *route, oldL, pre, suf int) {
	L := len(r.jobs)
	n := max(L, oldL) + 2
	if in.noTime && flatOn && in.dim == 1 && !in.multiTrip && fwCarry {
		in.updateFlat(r, n, oldL, pre)
		return
	}
	r.flat = in.noTime && flatOn
	if !r.flat {
		r.fw = growKeep(r.fw, n, oldL+2)
		r.bw = growKeep(r.bw, n, oldL+2)
		r.bwj = growKeep(r.bwj, n, oldL+2)
		from := L + 1
		if suf > 0 {
			from = max(r.bwjFrom, oldL-suf+1) + L - oldL
		}
		if suf > 0 && L != oldL {
			copy(r.bw[L-suf+1:L+2], r.bw[oldL-suf+1:oldL+2])
			copy(r.bwj[from:L+1], r.bwj[from-L+oldL:oldL+1])
		}
		r.bwjFrom = from
		r.fw, r.bw, r.bwj = r.fw[:L+2], r.bw[:L+2], r.bwj[:L+2]
	}
	r.cumD = growKeep(r.cumD, n, oldL+2)
	r.locs = growKeep(r.locs, n, oldL+2)
	r.cumL = growKeep(r.cumL, n*in.dim, (oldL+2)*in.dim)
	r.cumD, r.cumL, r.locs = r.cumD[:L+2], r.cumL[:(L+2)*in.dim], r.locs[:L+2]
	in.updateTrips(r)
	in.updateHead(r, pre)
	if in.noTime {
		if !r.flat {
			in.tailsNoTime(r, suf)
		}
		in.finishNoTime(r)
		return
	}
	in.updateTail(r, suf)
	in.finish(r)
}

// updateFlat is updateKept for a flat route (no time) of one trip and one
// load dimension, in one pass: updateTrips (no reloads), updateHead and
// finishNoTime with the same operations in the same order.
func (in *inst) updateFlat(r *route, n, oldL, pre int) {
	L := len(r.jobs)
	r.flat = true
	r.cumD = growKeep(r.cumD, n, oldL+2)
	r.locs = growKeep(r.locs, n, oldL+2)
	r.cumL = growKeep(r.cumL, n, oldL+2)
	r.mk = r.mk[:0]
	jobs, cumD, locs, cumL := r.jobs[:L], r.cumD[:L+2], r.locs[:L+2], r.cumL[:L+2]
	r.cumD, r.locs, r.cumL = cumD, locs, cumL
	t := &in.types[r.t]
	r.head, r.tail = &t.startS, &t.endS
	if pre == 0 {
		cumD[0] = 0
		locs[0] = t.start
		cumL[0] = 0
	}
	prev := int(locs[pre])
	cd, cl := cumD[pre], cumL[pre]
	n = in.n
	for i := pre; i < L; i++ {
		j := jobs[i]
		l := int(in.loc[j])
		cd += in.dist[prev*n+l]
		cumD[i+1] = cd
		locs[i+1] = int32(l)
		prev = l
		cl += in.amt[j]
		cumL[i+1] = cl
	}
	cumD[L+1] = cd + in.dist[prev*n+int(t.end)]
	locs[L+1] = t.end
	cumL[L+1] = cumL[L]
	r.ld, r.ld0 = cumL[L+1:], cumL[L]
	// finishNoTime, written out: the call costs 0.5 % of X-n351's instructions
	r.nm = 0
	r.feas, r.winOK = true, true
	r.exTime = 0
	r.dist = cumD[L+1]
	r.dur = 0
	if L == 0 {
		r.cost = 0
		r.dist = 0
		r.exLoad = 0
		return
	}
	in.loadLimits(r)
	r.cost = in.routeCost(r.t, r.dist, 0)
}

// updateHead computes the locations, distance and load prefixes of nodes
// pre+1..L+1, and their forward segments unless the problem has no time.
func (in *inst) updateHead(r *route, pre int) {
	L := len(r.jobs)
	t := &in.types[r.t]
	dim, n := in.dim, in.n
	if r.flat {
		r.head, r.tail = &t.startS, &t.endS
	}
	if pre == 0 {
		if !r.flat {
			r.fw[0] = t.startS
		}
		r.cumD[0] = 0
		r.locs[0] = t.start
		for d := 0; d < dim; d++ {
			r.cumL[d] = 0
		}
	}
	prev := in.nodeLoc(r, pre)
	cd := r.cumD[pre]
	jobs, cumD, locs := r.jobs[:L], r.cumD[:L+2], r.locs[:L+2]
	for i := pre; i < L; i++ {
		l := int(in.loc[jobs[i]])
		cd += in.dist[prev*n+l]
		cumD[i+1] = cd
		locs[i+1] = int32(l)
		prev = l
	}
	switch {
	case r.flat:
	case in.noTime:
		fw := r.fw[:L+1]
		for i := pre; i < L; i++ {
			fw[i+1] = seg{first: t.start, last: locs[i+1]}
		}
	case fwCarry:
		in.forwardSegs(r, pre)
	default:
		for i := pre; i < L; i++ {
			r.fw[i+1] = in.catT(r.fw[i], in.jseg[jobs[i]])
		}
	}
	if dim == 1 && fwCarry { // one load dimension: the same sums, carried
		cum := r.cumL[:L+1]
		cl := cum[pre]
		for i := pre; i < L; i++ {
			cl += in.amt[jobs[i]]
			cum[i+1] = cl
		}
	} else {
		for i := pre; i < L; i++ {
			a := in.amt[int(jobs[i])*dim : int(jobs[i]+1)*dim]
			o := r.cumL[i*dim : (i+2)*dim]
			for d := 0; d < dim; d++ {
				o[dim+d] = o[d] + a[d]
			}
		}
	}
	r.cumD[L+1] = cd + in.dist[prev*n+int(t.end)]
	r.locs[L+1] = t.end
	if dim == 1 && fwCarry {
		cum := r.cumL[:L+2]
		cum[L+1] = cum[L]
		r.ld, r.ld0 = cum[L+1:], cum[L]
	} else {
		copy(r.cumL[(L+1)*dim:(L+2)*dim], r.cumL[L*dim:(L+1)*dim])
		r.ld = r.cumL[(L+1)*dim : (L+2)*dim]
		r.ld0 = 0
		if dim > 0 {
			r.ld0 = r.ld[0]
		}
	}
	if r.flat {
	} else if in.noTime {
		r.fw[L+1] = seg{first: t.start, last: t.end}
	} else {
		r.fw[L+1] = in.catT(r.fw[L], t.endS)
	}
}

// updateTail computes the backward segments of nodes 1..L-suf.
func (in *inst) updateTail(r *route, suf int) {
	L := len(r.jobs)
	r.bw[L+1] = in.types[r.t].endS
	if fwCarry {
		in.backwardSegs(r, L-suf)
	} else {
		for i := L - suf; i >= 1; i-- {
			r.bw[i] = in.catT(in.jseg[r.jobs[i-1]], r.bw[i+1])
		}
	}
	r.bw[0] = r.fw[L+1]
}

// forwardSegs computes fw[pre+1..L] as updateHead does, catT(fw[i],
// jseg[job i]), with fw[i] carried in locals instead of copied through
// memory: the same operations in the same order.
func (in *inst) forwardSegs(r *route, pre int) {
	L := len(r.jobs)
	if pre >= L {
		return
	}
	n, dur := in.n, in.dur
	fw, jobs, jseg := r.fw[:L+1], r.jobs[:L], in.jseg
	f := fw[pre]
	aDur, aTw, aE, aL, aLast := f.dur, f.tw, f.e, f.l, int(f.last)
	first := f.first
	for i := pre; i < L; i++ {
		b := &jseg[jobs[i]]
		t := dur[aLast*n+int(b.first)]
		delta := aDur - aTw + t
		wt := max(b.e-delta-aL, 0)
		tw := max(aE+delta-b.l, 0)
		aDur = aDur + b.dur + t + wt
		aTw = aTw + b.tw + tw
		aE = max(b.e-delta, aE) - wt
		aL = min(b.l-delta, aL) + tw
		aLast = int(b.last)
		fw[i+1] = seg{dur: aDur, tw: aTw, e: aE, l: aL, first: first, last: b.last}
	}
}

// backwardSegs computes bw[from..1] as updateTail does, catT(jseg[job
// i], bw[i+1]), with bw[i+1] carried in locals: the same operations in the
// same order.
func (in *inst) backwardSegs(r *route, from int) {
	if from < 1 {
		return
	}
	n, dur := in.n, in.dur
	bw, jobs, jseg := r.bw[:from+2], r.jobs[:from], in.jseg
	b := bw[from+1]
	bDur, bTw, bE, bL, bFirst := b.dur, b.tw, b.e, b.l, int(b.first)
	last := b.last
	for i := from; i >= 1; i-- {
		a := &jseg[jobs[i-1]]
		t := dur[int(a.last)*n+bFirst]
		delta := a.dur - a.tw + t
		wt := max(bE-delta-a.l, 0)
		tw := max(a.e+delta-bL, 0)
		bDur = a.dur + bDur + t + wt
		bTw = a.tw + bTw + tw
		bE = max(bE-delta, a.e) - wt
		bL = min(bL-delta, a.l) + tw
		bFirst = int(a.first)
		bw[i] = seg{dur: bDur, tw: bTw, e: bE, l: bL, first: a.first, last: last}
	}
}

// fwCarry lets updateHead and updateTail use forwardSegs and backwardSegs,
// updateHead carry a load of one dimension in a local and loadLimits judge
// one trip of one dimension without tripsFit (the tests compare both
// ways).
var fwCarry = true

// finish sets the route's totals and feasibility from its segments.
func (in *inst) finish(r *route) {
	L := len(r.jobs)
	t := &in.types[r.t]
	r.nm = 0
	if in.anyMulti {
		for _, j := range r.jobs {
			if in.multi[j] {
				r.nm++
			}
		}
	}
	r.dist = r.cumD[L+1]
	whole := r.fw[L+1]
	r.dur = whole.dur
	r.feas = whole.tw <= eps && whole.dur <= t.maxDur+eps
	r.exTime = max(whole.dur-t.maxDur, 0)
	r.winOK = whole.tw <= eps
	r.warp = whole.tw
	if r.nm > 0 {
		ok, dur, _, _ := in.simulate(r.t, r.jobs)
		r.feas = ok && dur <= t.maxDur+eps
		r.winOK = r.winOK && ok
		if ok {
			r.dur = dur
			r.exTime = max(dur-t.maxDur, 0)
		}
	}
	if L == 0 {
		r.cost = 0
		r.dist = 0
		r.dur = 0
		r.feas, r.winOK = true, true
		r.exLoad, r.exTime, r.warp = 0, 0, 0
		return
	}
	in.loadLimits(r)
	r.cost = in.routeCost(r.t, r.dist, r.dur)
}

// loadLimits adds the trip count and every trip's load to r.feas and
// records the load excess.
func (in *inst) loadLimits(r *route) {
	var ok bool
	var ex float64
	if len(r.mk) == 0 && in.dim == 1 && fwCarry {
		// tripsFit of one trip and one dimension: the load from node 0
		// (where it is 0) to L+1, its excess added to 0
		t := &in.types[r.t]
		if l := r.ld0 - r.cumL[0]; l > t.capa[0] {
			ex += float64(l - t.capa[0])
		}
		ok = r.trips() <= t.maxTrips
	} else {
		ok, ex = in.tripsFit(r)
	}
	r.feas = r.feas && ok && ex == 0
	r.exLoad = ex
}

func (in *inst) routeCost(k int, dist, dur float64) float64 {
	t := &in.types[k]
	return t.fixed + in.routeW + t.cpd*dist + t.cpt*dur
}

// growKeep returns s with length n, keeping its first keep entries when it
// must grow its backing array.
func growKeep[T any](s []T, n, keep int) []T {
	if cap(s) < n {
		ns := make([]T, n, n+n/2+4)
		copy(ns, s[:min(keep, len(s))])
		return ns
	}
	return s[:n]
}

// loc of node i in r.
func (in *inst) nodeLoc(r *route, i int) int {
	if i == 0 {
		return int(in.types[r.t].start)
	}
	if i == len(r.jobs)+1 {
		return int(in.types[r.t].end)
	}
	return int(in.loc[r.jobs[i-1]])
}

// tailsNoTime is updateTail for problems without any time constraint or
// cost: segments only need their end locations.
func (in *inst) tailsNoTime(r *route, suf int) {
	L := len(r.jobs)
	t := &in.types[r.t]
	for i := 1; i <= L-suf; i++ {
		r.bw[i] = seg{first: in.loc[r.jobs[i-1]], last: t.end}
	}
	r.bw[L+1] = t.endS
	r.bw[0] = r.fw[L+1]
}

// fillJobsFrom computes bwj[i..bwjFrom-1] (1 <= i <= L): without time,
// the end locations (the last job's is the same for all); with time, the
// segments from the last job backwards.
func (in *inst) fillJobsFrom(r *route, i int) {
	L := len(r.jobs)
	last := in.loc[r.jobs[L-1]]
	for k := r.bwjFrom - 1; k >= i; k-- {
		s := in.jseg[r.jobs[k-1]]
		switch {
		case in.noTime:
			r.bwj[k] = seg{first: in.loc[r.jobs[k-1]], last: last}
		case k == L:
			r.bwj[k] = s
		default:
			r.bwj[k] = in.catT(s, r.bwj[k+1])
		}
	}
	r.bwjFrom = i
}

// finishNoTime is finish without time.
func (in *inst) finishNoTime(r *route) {
	L := len(r.jobs)
	r.nm = 0
	r.feas, r.winOK = true, true
	r.exTime = 0
	r.dist = r.cumD[L+1]
	r.dur = 0
	if L == 0 {
		r.cost = 0
		r.dist = 0
		r.exLoad = 0
		return
	}
	in.loadLimits(r)
	r.cost = in.routeCost(r.t, r.dist, 0)
}
