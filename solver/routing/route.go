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
	bwj  []seg     // bwj[i]: nodes i..L (jobs only), i in 1..L
	cumD []float64 // distance from node 0 to node i
	cumL []int64   // (L+2)*dim: load of nodes 1..i
	dist float64
	dur  float64
	cost float64 // objective cost (0 when empty)
	nm   int     // number of jobs with several windows
	feas bool    // windows, shift, duration, trips and every trip's load hold (soft mode: trips and windows of jobs with several)
	// excess over the limits a penalised (soft) solution prices: load above
	// capacity summed over trips and dimensions, duration above MaxDuration
	exLoad, exTime float64
	winOK          bool // every window and the shift end are met (exactly, with several windows)

	mod, starAt int64 // solution.mods at the last change and at the last SWAP* test that found no move
}

func (r *route) load(in *inst) []int64 {
	L := len(r.jobs)
	return r.cumL[(L+1)*in.dim : (L+2)*in.dim]
}

// update recomputes the derived data after r.jobs changed. O(L*dim).
func (in *inst) update(r *route) {
	L := len(r.jobs)
	t := &in.types[r.t]
	r.fw = grow(r.fw, L+2)
	r.bw = grow(r.bw, L+2)
	r.bwj = grow(r.bwj, L+2)
	r.cumD = growF(r.cumD, L+2)
	r.cumL = growI(r.cumL, (L+2)*in.dim)
	r.nm = 0
	r.fw[0] = t.startS
	r.cumD[0] = 0
	dim := in.dim
	in.updateTrips(r)
	if in.noTime {
		in.updateNoTime(r)
		in.loadLimits(r)
		return
	}
	for d := 0; d < dim; d++ {
		r.cumL[d] = 0
	}
	prev := int(t.start)
	for i, j := range r.jobs {
		r.fw[i+1] = in.cat(r.fw[i], in.jseg[j])
		l := int(in.loc[j])
		r.cumD[i+1] = r.cumD[i] + in.dist[prev*in.n+l]
		prev = l
		a := in.amt[int(j)*dim : int(j+1)*dim]
		for d := 0; d < dim; d++ {
			r.cumL[(i+1)*dim+d] = r.cumL[i*dim+d] + a[d]
		}
		if in.multi[j] {
			r.nm++
		}
	}
	r.fw[L+1] = in.cat(r.fw[L], t.endS)
	r.cumD[L+1] = r.cumD[L] + in.dist[prev*in.n+int(t.end)]
	for d := 0; d < dim; d++ {
		r.cumL[(L+1)*dim+d] = r.cumL[L*dim+d]
	}
	r.bw[L+1] = t.endS
	for i := L; i >= 1; i-- {
		s := in.jseg[r.jobs[i-1]]
		r.bw[i] = in.cat(s, r.bw[i+1])
		if i == L {
			r.bwj[i] = s
		} else {
			r.bwj[i] = in.cat(s, r.bwj[i+1])
		}
	}
	r.bw[0] = r.fw[L+1]
	r.dist = r.cumD[L+1]
	whole := r.fw[L+1]
	r.dur = whole.dur
	r.feas = whole.tw <= eps && whole.dur <= t.maxDur+eps
	r.exTime = max(whole.dur-t.maxDur, 0)
	r.winOK = whole.tw <= eps
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
		r.exLoad, r.exTime = 0, 0
		return
	}
	in.loadLimits(r)
	r.cost = in.routeCost(r.t, r.dist, r.dur)
}

// loadLimits adds the trip count and every trip's load to r.feas and
// records the load excess.
func (in *inst) loadLimits(r *route) {
	ok, ex := in.tripsFit(r)
	r.feas = r.feas && ok && ex == 0
	r.exLoad = ex
}

func (in *inst) routeCost(k int, dist, dur float64) float64 {
	t := &in.types[k]
	return t.fixed + in.routeW + t.cpd*dist + t.cpt*dur
}

func grow(s []seg, n int) []seg {
	if cap(s) < n {
		return make([]seg, n, n+n/2+4)
	}
	return s[:n]
}

func growF(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n, n+n/2+4)
	}
	return s[:n]
}

func growI(s []int64, n int) []int64 {
	if cap(s) < n {
		return make([]int64, n, n+n/2+4)
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

// updateNoTime is update for problems without any time constraint or cost:
// segments only need their end locations.
func (in *inst) updateNoTime(r *route) {
	L := len(r.jobs)
	t := &in.types[r.t]
	dim := in.dim
	n := in.n
	for d := 0; d < dim; d++ {
		r.cumL[d] = 0
	}
	prev := int(t.start)
	lastJob := prev
	if L > 0 {
		lastJob = int(in.loc[r.jobs[L-1]])
	}
	cd := 0.0
	for i, j := range r.jobs {
		l := int(in.loc[j])
		cd += in.dist[prev*n+l]
		r.cumD[i+1] = cd
		prev = l
		r.fw[i+1] = seg{first: t.start, last: int32(l)}
		r.bw[i+1] = seg{first: int32(l), last: t.end}
		r.bwj[i+1] = seg{first: int32(l), last: int32(lastJob)}
		a := in.amt[int(j)*dim : int(j+1)*dim]
		o := r.cumL[i*dim : (i+2)*dim]
		for d := 0; d < dim; d++ {
			o[dim+d] = o[d] + a[d]
		}
	}
	r.fw[L+1] = seg{first: t.start, last: t.end}
	r.bw[L+1] = t.endS
	r.bw[0] = r.fw[L+1]
	r.cumD[L+1] = cd + in.dist[prev*n+int(t.end)]
	copy(r.cumL[(L+1)*dim:(L+2)*dim], r.cumL[L*dim:(L+1)*dim])
	r.nm = 0
	r.feas, r.winOK = true, true
	r.exTime = 0
	r.dist = r.cumD[L+1]
	r.dur = 0
	if L == 0 {
		r.cost = 0
		r.dist = 0
		return
	}
	r.cost = in.routeCost(r.t, r.dist, 0)
}
