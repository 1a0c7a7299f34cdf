package routing

import "fmt"

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

// Visit is one stop of a vehicle's day for LayOut: job Job collecting
// Amount (nil: the job's whole Amount).
type Visit struct {
	Job    int
	Amount []int64
}

// Limits a LayOut reports.
const (
	LimitTrips       = "trips"        // more trips than the type's MaxTrips
	LimitCapacity    = "capacity"     // a trip's load above the capacity
	LimitShiftStart  = "shift_start"  // the day starts before the shift
	LimitTimeWindow  = "time_window"  // a visit reached after its last window closed
	LimitShiftEnd    = "shift_end"    // back at End after the shift end
	LimitMaxDuration = "max_duration" // the day is longer than MaxDuration
)

// LimitError is the first limit a day laid out by LayOut breaks.
type LimitError struct {
	Limit string // one of the Limit constants
	// Trip (0-based) and Visit (0-based over the day, -1 when the limit is
	// about a trip or the day) locate it.
	Trip, Visit int
	// Value broke Bound: a time, or a load in dimension Dim.
	Value, Bound float64
	Dim          int
}

func (e *LimitError) Error() string {
	where := fmt.Sprintf("trip %d", e.Trip+1)
	if e.Visit >= 0 {
		where += fmt.Sprintf(", visit %d", e.Visit+1)
	}
	switch e.Limit {
	case LimitCapacity:
		return fmt.Sprintf("routing: %s: load %g in dimension %d exceeds the capacity %g", where, e.Value, e.Dim, e.Bound)
	case LimitTrips:
		return fmt.Sprintf("routing: %g trips, the vehicle type makes at most %g", e.Value, e.Bound)
	case LimitTimeWindow:
		return fmt.Sprintf("routing: %s: arrival %g after the last window closes at %g", where, e.Value, e.Bound)
	}
	return fmt.Sprintf("routing: %s: %s broken: %g against %g", where, e.Limit, e.Value, e.Bound)
}

// LayOut lays out a day of a vehicle of type typ: it leaves Start at
// depart, serves the visits of each trip in order as early as their
// windows allow (waiting when early), goes back to End after each trip and
// reloads there for ReloadTime before the next. It returns the day as Solve
// reports routes (Vehicle 0) and, when a limit of the type is broken (trip
// count, a trip's load, shift start or end, a window, maximum duration),
// a *LimitError naming the first one; the times after a missed window are
// then 0. It is the solver's own forward pass, for callers that print,
// retime or edit route sheets; package validate checks them independently.
func (p *Problem) LayOut(typ int, trips [][]Visit, depart float64) (Route, error) {
	if typ < 0 || typ >= len(p.Vehicles) {
		return Route{}, fmt.Errorf("routing: vehicle type %d outside 0..%d", typ, len(p.Vehicles)-1)
	}
	v := &p.Vehicles[typ]
	if len(trips) == 0 {
		return Route{}, fmt.Errorf("routing: a day needs at least one trip")
	}
	nd, seq, err := p.dayNodes(v, trips)
	if err != nil {
		return Route{}, err
	}
	t := &vtype{start: 0, end: 1, shiftStart: v.ShiftStart, shiftEnd: big, fixed: v.FixedCost, cpd: v.CostPerDistance, cpt: v.CostPerDuration}
	if v.ShiftEnd != 0 {
		t.shiftEnd = v.ShiftEnd
	}
	out := Route{Type: typ}
	fail, at := nd.layout(t, seq, depart, &out)
	return out, p.dayLimits(v, trips, &out, seq, int32(nd.nv), fail, at)
}

// dayNodes builds the node table of one day: locations renumbered (Start 0,
// End 1, then the visits' in order of appearance), one node per visit,
// reload nodes between trips.
func (p *Problem) dayNodes(v *VehicleType, trips [][]Visit) (*nodes, []int32, error) {
	n := len(p.Distance)
	locs := []int{v.Start, v.End}
	nd := &nodes{dim: p.Dims()}
	var seq []int32
	for k, trip := range trips {
		if len(trip) == 0 {
			return nil, nil, fmt.Errorf("routing: trip %d has no visit", k+1)
		}
		for _, vis := range trip {
			if vis.Job < 0 || vis.Job >= len(p.Jobs) {
				return nil, nil, fmt.Errorf("routing: trip %d: job %d outside 0..%d", k+1, vis.Job, len(p.Jobs)-1)
			}
			job := &p.Jobs[vis.Job]
			a := vis.Amount
			if a == nil {
				a = job.Amount
			}
			if len(a) != nd.dim || job.Location < 0 || job.Location >= n {
				return nil, nil, fmt.Errorf("routing: trip %d: job %d: %d amount dimensions, want %d", k+1, vis.Job, len(a), nd.dim)
			}
			seq = append(seq, int32(len(nd.loc)))
			nd.loc = append(nd.loc, int32(len(locs)))
			locs = append(locs, job.Location)
			nd.svc = append(nd.svc, job.VisitService(a))
			nd.win = append(nd.win, job.Windows)
			nd.amt = append(nd.amt, a...)
			nd.job = append(nd.job, int32(vis.Job))
		}
	}
	nd.nv = len(nd.loc)
	reload := int32(nd.nv)
	nd.loc = append(nd.loc, 1)
	nd.svc = append(nd.svc, v.ReloadTime)
	nd.win = append(nd.win, nil)
	nd.amt = append(nd.amt, make([]int64, nd.dim)...)
	// the reloads go between trips
	var withReloads []int32
	i := 0
	for k, trip := range trips {
		if k > 0 {
			withReloads = append(withReloads, reload)
		}
		withReloads = append(withReloads, seq[i:i+len(trip)]...)
		i += len(trip)
	}
	nd.n = len(locs)
	nd.dist = make([]float64, nd.n*nd.n)
	nd.dur = make([]float64, nd.n*nd.n)
	for a, la := range locs {
		for b, lb := range locs {
			nd.dist[a*nd.n+b] = p.Distance[la][lb]
			nd.dur[a*nd.n+b] = p.Distance[la][lb]
			if p.Duration != nil {
				nd.dur[a*nd.n+b] = p.Duration[la][lb]
			}
		}
	}
	return nd, withReloads, nil
}

// dayLimits finds the first limit a laid-out day breaks (nil when none):
// trip count, trip loads, shift start, then the forward pass's failure (a
// window, the shift end), then the maximum duration. reload is the reload
// node of seq.
func (p *Problem) dayLimits(v *VehicleType, trips [][]Visit, out *Route, seq []int32, reload int32, fail int, at float64) error {
	if len(trips) > v.Trips() {
		return &LimitError{Limit: LimitTrips, Trip: len(trips) - 1, Visit: -1, Value: float64(len(trips)), Bound: float64(v.Trips())}
	}
	for k, tr := range out.Trips {
		for d, l := range tr.Load {
			if l > v.Capacity[d] {
				return &LimitError{Limit: LimitCapacity, Trip: k, Visit: -1, Value: float64(l), Bound: float64(v.Capacity[d]), Dim: d}
			}
		}
	}
	if out.Depart < v.ShiftStart-eps {
		return &LimitError{Limit: LimitShiftStart, Visit: -1, Value: out.Depart, Bound: v.ShiftStart}
	}
	if fail == len(seq) {
		return &LimitError{Limit: LimitShiftEnd, Trip: len(trips) - 1, Visit: -1, Value: at, Bound: v.ShiftEnd}
	}
	if fail >= 0 {
		trip, visit := 0, 0
		for _, x := range seq[:fail] {
			if x == reload {
				trip++
			} else {
				visit++
			}
		}
		ws := p.Jobs[out.Jobs[visit]].Windows
		return &LimitError{Limit: LimitTimeWindow, Trip: trip, Visit: visit, Value: at, Bound: ws[len(ws)-1].Close}
	}
	if v.MaxDuration > 0 && out.Duration > v.MaxDuration+eps {
		return &LimitError{Limit: LimitMaxDuration, Trip: len(trips) - 1, Visit: -1, Value: out.Duration, Bound: v.MaxDuration}
	}
	return nil
}
