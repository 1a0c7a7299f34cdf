package routing

// The forward pass: the one place in the solver where a vehicle's day is laid
// out in time. The search evaluates moves with segments (segment.go); every
// timetable it reports, every exact check of a route with several windows
// per job, and LayOut (for callers that print or edit route sheets) go
// through nodes.forward. Package validate keeps its own pass on purpose.

// nodes is what the forward pass and the route layout read: distances and
// travel times between the n locations (n*n, row-major) and, per node, its
// location, service time, windows and amount (dim entries). Nodes 0..nv-1
// are visits of the Problem jobs job[i]; the others are reloads.
type nodes struct {
	n, nv, dim int
	dist, dur  []float64
	loc        []int32
	svc        []float64
	win        [][]TimeWindow
	amt        []int64
	job        []int32
}

// forward serves seq (nodes: visits and reloads) as early as possible on a
// vehicle leaving start at dep and ending at end, and records each node's
// arrival and service start in arr and st when they are not nil. It returns
// the time back at end, or fail >= 0: the index in seq of the first node
// whose every window has closed at its arrival failAt, or len(seq) when the
// vehicle is back at failAt, after shiftEnd.
func (nd *nodes) forward(start, end int32, shiftEnd float64, seq []int32, dep float64, arr, st []float64) (ret float64, fail int, failAt float64) {
	n := nd.n
	time := dep
	prev := int(start)
	for i, x := range seq {
		l := int(nd.loc[x])
		a := time + nd.dur[prev*n+l]
		s, ok := earliestStart(nd.win[x], a)
		if !ok {
			return 0, i, a
		}
		if arr != nil {
			arr[i], st[i] = a, s
		}
		time = s + nd.svc[x]
		prev = l
	}
	ret = time + nd.dur[prev*n+int(end)]
	if ret > shiftEnd+eps {
		return 0, len(seq), ret
	}
	return ret, -1, 0
}

// earliestStart is the first service start at or after arr in a window.
func earliestStart(ws []TimeWindow, arr float64) (float64, bool) {
	if len(ws) == 0 {
		return arr, true
	}
	for _, w := range ws {
		if arr <= w.Close+eps {
			return max(arr, w.Open), true
		}
	}
	return 0, false
}

// latestStart is the last service start at or before b in a window.
func latestStart(ws []TimeWindow, b float64) (float64, bool) {
	if len(ws) == 0 {
		return b, true
	}
	for i := len(ws) - 1; i >= 0; i-- {
		if ws[i].Open <= b+eps {
			return min(b, ws[i].Close), true
		}
	}
	return 0, false
}

// forward is nodes.forward for a vehicle of type k, without recording.
func (in *inst) forward(k int, seq []int32, dep float64) (ok bool, ret, failArr float64) {
	t := &in.types[k]
	ret, fail, at := in.nodes.forward(t.start, t.end, t.shiftEnd, seq, dep, nil, nil)
	return fail < 0, ret, at
}

// simulate schedules the nodes seq on a vehicle of type k exactly (all
// windows of every job). It returns whether the sequence meets every window
// and the shift end, the minimum route duration (waiting included) and a
// departure time achieving it, and, when infeasible, the arrival time at the
// first node that could not be served.
//
// With one window per job, leaving as late as possible without delaying the
// earliest return is optimal. With several windows it need not be: then an
// optimal departure either makes some job start exactly at a window close
// with no waiting before it, or is the shift start, or makes the vehicle
// return exactly at the shift end; all these candidates are tried, which
// costs O(L^2 W) and is only done for routes holding such jobs.
func (in *inst) simulate(k int, seq []int32) (ok bool, dur, dep, failArr float64) {
	t := &in.types[k]
	n := in.n
	ok, ret, failArr := in.forward(k, seq, t.shiftStart)
	if !ok {
		return false, 0, 0, failArr
	}
	// Latest departure that still returns at ret.
	lat := ret
	next := int(t.end)
	multi := false
	for i := len(seq) - 1; i >= 0; i-- {
		j := seq[i]
		multi = multi || in.multi[j]
		l := int(in.loc[j])
		b := lat - in.dur[l*n+next] - in.svc[j]
		st, ok := latestStart(in.win[j], b)
		if !ok { // cannot happen when the forward pass succeeded
			return false, 0, 0, 0
		}
		lat = st
		next = l
	}
	dep = max(lat-in.dur[int(t.start)*n+next], t.shiftStart)
	dur = ret - dep
	if !multi {
		return true, dur, dep, 0
	}
	try := func(d float64) {
		if d <= t.shiftStart || d >= dep && d-dep < eps {
			return
		}
		if ok, r, _ := in.forward(k, seq, d); ok && r-d < dur-eps {
			dur, dep = r-d, d
		}
	}
	prefix := 0.0
	prev := int(t.start)
	for _, j := range seq {
		l := int(in.loc[j])
		prefix += in.dur[prev*n+l]
		for _, w := range in.win[j] {
			try(w.Close - prefix)
		}
		prefix += in.svc[j]
		prev = l
	}
	if t.shiftEnd < big {
		try(t.shiftEnd - prefix - in.dur[prev*n+int(t.end)])
	}
	return true, dur, dep, 0
}
