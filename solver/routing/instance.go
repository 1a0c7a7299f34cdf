package routing

import (
	"fmt"
	"math"
	"slices"
)

// big stands in for an unbounded time. A finite value keeps the segment
// arithmetic free of Inf-Inf = NaN.
const big = 1e15

// eps absorbs float rounding in time and duration comparisons.
const eps = 1e-7

// vtype is a vehicle type in the solver's internal form.
type vtype struct {
	start, end   int32
	shiftStart   float64
	shiftEnd     float64 // big when unlimited
	maxDur       float64 // big when unlimited
	fixed        float64
	cpd, cpt     float64
	count        int // math.MaxInt32 when unlimited
	capa         []int64
	startS, endS seg // depot segments
}

// inst is the problem flattened for fast access. It is read-only during the
// search and shared by all workers.
type inst struct {
	p              *Problem
	n, nj, nt, dim int
	dist, dur      []float64 // n*n, row-major
	loc            []int32
	amt            []int64 // nj*dim
	svc            []float64
	jseg           []seg // one-job segments, hull window
	multi          []bool
	anyMulti       bool
	pen            []float64 // objective cost of leaving the job out
	mandatory      []bool
	allowed        []bool // nj*nt
	active         []bool // feasible alone on some allowed type
	size           []float64
	types          []vtype
	near           [][]int32 // granular neighbours (LS, insertion candidates)
	adj            [][]int32 // SISR adjacency, job first
	pre            []Unserved
	hasTimeCost    bool
	sym            bool    // symmetric distance matrix
	anyWindows     bool    // some job has a time window
	noTime         bool    // no windows, shift ends, duration limits or time costs
	restrict       bool    // some job limits its vehicle types
	routeW         float64 // per-route weight when minimising vehicles
	depotDist      []float64
	minRoutes      int // capacity bound on routes (one type, no restrictions, no windows), else 0
}

func newInst(p *Problem) *inst {
	in := &inst{p: p, n: len(p.Distance), nj: len(p.Jobs), nt: len(p.Vehicles), dim: p.Dims()}
	n := in.n
	in.dist = make([]float64, n*n)
	for i := 0; i < n; i++ {
		copy(in.dist[i*n:], p.Distance[i])
	}
	in.dur = in.dist // read-only, so sharing is safe
	if p.Duration != nil {
		in.dur = make([]float64, n*n)
		for i := 0; i < n; i++ {
			copy(in.dur[i*n:], p.Duration[i])
		}
	}
	maxArc := 0.0
	for _, d := range in.dist {
		maxArc = max(maxArc, d)
	}
	maxTime := 0.0
	for _, d := range in.dur {
		maxTime = max(maxTime, d)
	}
	in.types = make([]vtype, in.nt)
	maxFixed, maxCpd, maxCpt := 0.0, 0.0, 0.0
	for k, v := range p.Vehicles {
		t := vtype{start: int32(v.Start), end: int32(v.End), shiftStart: v.ShiftStart, shiftEnd: big, maxDur: big,
			fixed: v.FixedCost, cpd: v.CostPerDistance, cpt: v.CostPerDuration, count: v.Count, capa: v.Capacity}
		if v.ShiftEnd != 0 {
			t.shiftEnd = v.ShiftEnd
		}
		if v.MaxDuration > 0 {
			t.maxDur = v.MaxDuration
		}
		if t.count == 0 {
			t.count = maxCount
		}
		if t.cpt != 0 {
			in.hasTimeCost = true
		}
		t.startS = seg{e: t.shiftStart, l: t.shiftEnd, first: t.start, last: t.start}
		t.endS = seg{e: -big, l: t.shiftEnd, first: t.end, last: t.end}
		in.types[k] = t
		maxFixed, maxCpd, maxCpt = max(maxFixed, t.fixed), max(maxCpd, t.cpd), max(maxCpt, t.cpt)
	}
	nj := in.nj
	maxSvc := 0.0
	for _, j := range p.Jobs {
		maxSvc = max(maxSvc, j.Service)
	}
	in.loc = make([]int32, nj)
	in.amt = make([]int64, nj*in.dim)
	in.svc = make([]float64, nj)
	in.jseg = make([]seg, nj)
	in.multi = make([]bool, nj)
	in.pen = make([]float64, nj)
	in.mandatory = make([]bool, nj)
	in.allowed = make([]bool, nj*in.nt)
	in.active = make([]bool, nj)
	in.size = make([]float64, nj)
	// A mandatory job left out costs more than any plausible route cost, so
	// the search always prefers serving it.
	if p.MinimizeVehicles {
		// One route more must outweigh any distance and time saving.
		in.routeW = 10 * (maxFixed + (maxCpd*maxArc+maxCpt*(maxTime+maxSvc))*float64(nj+2))
		in.routeW = max(in.routeW, 1e3)
	}
	bigM := 1e6 + 1e3*(in.routeW+maxFixed+(maxCpd*maxArc+maxCpt*(maxTime+maxSvc))*3)
	for j, job := range p.Jobs {
		in.loc[j] = int32(job.Location)
		copy(in.amt[j*in.dim:], job.Amount)
		in.svc[j] = job.Service
		s := seg{dur: job.Service, e: -big, l: big, first: int32(job.Location), last: int32(job.Location)}
		if len(job.Windows) > 0 {
			s.e = job.Windows[0].Open
			s.l = job.Windows[len(job.Windows)-1].Close
		}
		in.jseg[j] = s
		in.multi[j] = len(job.Windows) > 1
		in.anyMulti = in.anyMulti || in.multi[j]
		in.mandatory[j] = job.Penalty == 0
		in.pen[j] = job.Penalty
		if in.mandatory[j] {
			in.pen[j] = bigM
		}
		if len(job.AllowedTypes) == 0 {
			for t := 0; t < in.nt; t++ {
				in.allowed[j*in.nt+t] = true
			}
		} else {
			for _, t := range job.AllowedTypes {
				in.allowed[j*in.nt+t] = true
			}
		}
		for d := 0; d < in.dim; d++ {
			mc := int64(0)
			for _, t := range in.types {
				mc = max(mc, t.capa[d])
			}
			if mc > 0 {
				in.size[j] += float64(job.Amount[d]) / float64(mc)
			}
		}
	}
	in.noTime = !in.hasTimeCost
	for _, t := range in.types {
		if t.shiftEnd < big || t.maxDur < big {
			in.noTime = false
		}
	}
	for _, job := range p.Jobs {
		if len(job.Windows) > 0 {
			in.noTime = false
			in.anyWindows = true
		}
	}
	in.sym = true
	for i := 0; i < n && in.sym; i++ {
		for j := 0; j < i; j++ {
			if in.dist[i*n+j] != in.dist[j*n+i] {
				in.sym = false
				break
			}
		}
	}
	for _, job := range p.Jobs {
		if len(job.AllowedTypes) > 0 {
			in.restrict = true
		}
	}
	in.checkAlone()
	in.buildNeighbours()
	if in.nt == 1 && !in.restrict && !in.anyWindows {
		for d := 0; d < in.dim; d++ {
			sum := int64(0)
			for j := 0; j < nj; j++ {
				if in.active[j] && in.mandatory[j] {
					sum += in.amt[j*in.dim+d]
				}
			}
			if c := in.types[0].capa[d]; c > 0 {
				in.minRoutes = max(in.minRoutes, int((sum+c-1)/c))
			}
		}
	}
	return in
}

func (in *inst) jobAmt(j int32) []int64 { return in.amt[int(j)*in.dim : int(j+1)*in.dim] }

// checkAlone decides, for every job, whether some allowed vehicle type can
// serve it on a route of its own, and records the limit that blocks it
// otherwise. Inserting a job into a longer route only adds constraints, so a
// job that fails here can never be served.
func (in *inst) checkAlone() {
	buf := make([]int32, 1)
	for j := range in.p.Jobs {
		job := &in.p.Jobs[j]
		var capFail, twFail, durFail string
		capOK := false
		nAllowed := 0
		for k := 0; k < in.nt; k++ {
			if !in.allowed[j*in.nt+k] {
				continue
			}
			nAllowed++
			t := &in.types[k]
			ok := true
			for d := 0; d < in.dim; d++ {
				if job.Amount[d] > t.capa[d] {
					ok = false
				}
			}
			if !ok {
				continue
			}
			capOK = true
			buf[0] = int32(j)
			feas, dur, _, arr := in.simulate(k, buf)
			if !feas {
				if twFail == "" {
					twFail = in.timeDetail(k, j, arr)
				}
				continue
			}
			if dur > t.maxDur+eps {
				if durFail == "" {
					durFail = fmt.Sprintf("round trip from location %d takes at least %g, vehicle type %q allows %g", t.start, dur, in.p.Vehicles[k].ID, t.maxDur)
				}
				continue
			}
			in.active[j] = true
			break
		}
		if in.active[j] {
			continue
		}
		u := Unserved{Job: j}
		switch {
		case nAllowed == 0:
			u.Reason, u.Detail = ReasonVehicleType, "no vehicle type is allowed to serve it"
		case !capOK:
			capFail = in.capDetail(j)
			u.Reason, u.Detail = ReasonCapacity, capFail
		case twFail != "":
			u.Reason, u.Detail = ReasonTimeWindow, twFail
		default:
			u.Reason, u.Detail = ReasonShiftLength, durFail
		}
		in.pre = append(in.pre, u)
	}
}

func (in *inst) capDetail(j int) string {
	job := &in.p.Jobs[j]
	for d := 0; d < in.dim; d++ {
		mc := int64(-1)
		for k := 0; k < in.nt; k++ {
			if in.allowed[j*in.nt+k] {
				mc = max(mc, in.types[k].capa[d])
			}
		}
		if job.Amount[d] > mc {
			return fmt.Sprintf("needs %d in capacity dimension %d, largest allowed vehicle holds %d", job.Amount[d], d, mc)
		}
	}
	// Each allowed type fails in some dimension, but not the same one.
	return fmt.Sprintf("amount %v fits no allowed vehicle type in every dimension", job.Amount)
}

func (in *inst) timeDetail(k, j int, arr float64) string {
	job := &in.p.Jobs[j]
	t := &in.types[k]
	if len(job.Windows) > 0 && arr > job.Windows[len(job.Windows)-1].Close+eps {
		return fmt.Sprintf("earliest arrival from location %d is %g, after its last window closes at %g", t.start, arr, job.Windows[len(job.Windows)-1].Close)
	}
	return fmt.Sprintf("a vehicle of type %q cannot serve it and be back at location %d by the shift end %g", in.p.Vehicles[k].ID, t.end, t.shiftEnd)
}

// simulate schedules the jobs seq on a vehicle of type k exactly (all
// windows of every job). It returns whether the sequence meets every window
// and the shift end, the minimum route duration (waiting included) and a
// departure time achieving it, and, when infeasible, the arrival time at the
// first job that could not be served.
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
		st, ok := in.latestStart(j, b)
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
		for _, w := range in.p.Jobs[j].Windows {
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

// forward serves seq as early as possible when leaving at dep and returns
// the time back at the end depot.
func (in *inst) forward(k int, seq []int32, dep float64) (ok bool, ret, failArr float64) {
	t := &in.types[k]
	n := in.n
	time := dep
	prev := int(t.start)
	for _, j := range seq {
		l := int(in.loc[j])
		arr := time + in.dur[prev*n+l]
		st, ok := in.earliestStart(j, arr)
		if !ok {
			return false, 0, arr
		}
		time = st + in.svc[j]
		prev = l
	}
	ret = time + in.dur[prev*n+int(t.end)]
	if ret > t.shiftEnd+eps {
		return false, 0, ret
	}
	return true, ret, 0
}

// earliestStart is the first service start at or after arr in a window.
func (in *inst) earliestStart(j int32, arr float64) (float64, bool) {
	ws := in.p.Jobs[j].Windows
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
func (in *inst) latestStart(j int32, b float64) (float64, bool) {
	ws := in.p.Jobs[j].Windows
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

// buildNeighbours fills the granular neighbour lists (nearest jobs by
// travel distance in either direction) and the SISR adjacency lists.
func (in *inst) buildNeighbours() {
	nj := in.nj
	const k = 40
	// SISR walks the adjacency list only until it has hit a few routes; 150
	// entries are plenty and keep set-up O(n^2) instead of O(n^2 log n).
	adjLen := min(nj, 150)
	in.near = make([][]int32, nj)
	in.adj = make([][]int32, nj)
	idx := make([]int32, nj)
	key := make([]float64, nj)
	n := in.n
	less := func(a, b int32) bool {
		return key[a] < key[b] || (key[a] == key[b] && a < b)
	}
	for j := 0; j < nj; j++ {
		lj := int(in.loc[j])
		for i := 0; i < nj; i++ {
			idx[i] = int32(i)
			li := int(in.loc[i])
			key[i] = min(in.dist[lj*n+li], in.dist[li*n+lj])
		}
		key[j] = -1
		selectSmallest(idx, adjLen, less)
		head := idx[:adjLen]
		slices.SortFunc(head, func(a, b int32) int {
			if less(a, b) {
				return -1
			}
			if less(b, a) {
				return 1
			}
			return 0
		})
		in.adj[j] = slices.Clone(head)
		m := min(k, nj-1)
		in.near[j] = slices.Clone(head[1 : 1+m])
	}
	in.depotDist = make([]float64, nj)
	for j := 0; j < nj; j++ {
		best := math.Inf(1)
		for _, t := range in.types {
			best = min(best, in.dist[int(t.start)*n+int(in.loc[j])])
		}
		in.depotDist[j] = best
	}
}

// selectSmallest reorders a so that its first m elements are the m
// smallest under less (quickselect, deterministic middle pivot).
func selectSmallest(a []int32, m int, less func(x, y int32) bool) {
	lo, hi := 0, len(a)-1
	for lo < hi {
		p := a[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for less(a[i], p) {
				i++
			}
			for less(p, a[j]) {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case m-1 <= j:
			hi = j
		case m-1 >= i:
			lo = i
		default:
			return
		}
	}
}

// maxCount stands for an unlimited fleet.
const maxCount = math.MaxInt32
