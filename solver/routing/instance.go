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
	maxTrips     int
	mark         int32 // the node standing for a reload at end (nj + type)
}

// inst is the problem flattened for fast access. It is read-only during the
// search and shared by all workers.
//
// Nodes: 0..nj-1 are visits (a job, or a piece of a split job: see
// pieces.go), nj+k is a reload of vehicle type k at its End. A route's
// sequence holds visits and reload nodes; the reloads cut it into trips.
type inst struct {
	p *Problem
	// nodes holds the travel times (n*n, row-major) and, per node (visits,
	// then one reload node per type), location, service time and windows:
	// what the forward pass reads.
	nodes
	nj, nt int
	// per node
	jseg []seg // one-node segments, hull window
	// prec: visit a may directly precede visit b as far as their windows
	// go, bit a*nj+b (insert_prec.go); nil: not built
	prec  []uint64
	multi []bool
	// per visit
	pen       []float64 // objective cost of leaving the visit out
	mandatory []bool
	allowed   []bool // nj*nt
	active    []bool // feasible alone on some allowed type
	size      []float64
	near      [][]int32 // granular neighbours (LS, insertion candidates)
	adj       [][]int32 // SISR adjacency, visit first
	types     []vtype
	pre       []Unserved
	depotDist []float64
	// per Problem job: its visits are first[j] .. first[j+1]-1
	first []int32

	anyMulti    bool
	hasTimeCost bool
	sym         bool    // symmetric distance matrix
	anyWindows  bool    // some job has a time window
	noTime      bool    // no windows, shift ends, duration limits or time costs
	restrict    bool    // some job limits its vehicle types
	multiTrip   bool    // some type makes several trips a day
	anyFixed    bool    // some type has a fixed cost
	routeW      float64 // per-route weight when minimising vehicles
	minRoutes   int     // capacity bound on routes (one type, one trip, no restrictions, no windows), else 0
	twBound     int     // the same bound with windows (tw_search.go), else 0
}

func newInst(p *Problem) *inst {
	in := &inst{p: p, nt: len(p.Vehicles)}
	in.n, in.dim = len(p.Distance), p.Dims()
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
	in.initVisits()
	in.initTypes()
	in.initNodes()
	in.noTime = !in.hasTimeCost && !in.anyWindows
	for _, t := range in.types {
		if t.shiftEnd < big || t.maxDur < big {
			in.noTime = false
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
	in.checkAlone()
	in.buildNeighbours()
	in.buildPrec()
	if in.anyWindows {
		in.twBound = in.capBound()
	} else {
		in.minRoutes = in.capBound()
	}
	return in
}

// initVisits lays out the visits: one per job, several per split job.
func (in *inst) initVisits() {
	p := in.p
	in.first = make([]int32, len(p.Jobs)+1)
	for j := range p.Jobs {
		in.first[j+1] = in.first[j] + int32(p.pieces(j))
	}
	in.nj = int(in.first[len(p.Jobs)])
	in.nv = in.nj
	nn := in.nj + in.nt
	in.job = make([]int32, in.nj)
	in.loc = make([]int32, nn)
	in.amt = make([]int64, nn*in.dim)
	in.svc = make([]float64, nn)
	in.win = make([][]TimeWindow, nn)
	in.jseg = make([]seg, nn)
	in.multi = make([]bool, nn)
	for j := range p.Jobs {
		job := &p.Jobs[j]
		k := int(in.first[j+1] - in.first[j])
		for i := 0; i < k; i++ {
			v := int(in.first[j]) + i
			in.job[v] = int32(j)
			a := in.amt[v*in.dim : (v+1)*in.dim]
			pieceAmount(a, job.Amount, i, k)
			in.loc[v] = int32(job.Location)
			in.svc[v] = job.Service
			if k > 1 {
				in.svc[v] = job.VisitService(a)
			}
			in.win[v] = job.Windows
			if len(job.Windows) > 0 {
				in.anyWindows = true
			}
			if len(job.AllowedTypes) > 0 {
				in.restrict = true
			}
		}
	}
}

// initTypes builds the vehicle types and their reload nodes.
func (in *inst) initTypes() {
	in.types = make([]vtype, in.nt)
	for k, v := range in.p.Vehicles {
		t := vtype{start: int32(v.Start), end: int32(v.End), shiftStart: v.ShiftStart, shiftEnd: big, maxDur: big,
			fixed: v.FixedCost, cpd: v.CostPerDistance, cpt: v.CostPerDuration, count: v.Count, capa: v.Capacity,
			maxTrips: v.Trips(), mark: int32(in.nj + k)}
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
		if t.maxTrips > 1 {
			in.multiTrip = true
		}
		in.anyFixed = in.anyFixed || t.fixed > 0
		t.startS = seg{e: t.shiftStart, l: t.shiftEnd, first: t.start, last: t.start}
		t.endS = seg{e: -big, l: t.shiftEnd, first: t.end, last: t.end}
		in.types[k] = t
		m := t.mark
		in.loc[m] = t.end
		in.svc[m] = v.ReloadTime
	}
}

// initNodes fills the per-visit search data (segments, penalties, allowed
// types, sizes) and the reload nodes' segments.
func (in *inst) initNodes() {
	p := in.p
	maxArc, maxTime, maxSvc := 0.0, 0.0, 0.0
	for _, d := range in.dist {
		maxArc = max(maxArc, d)
	}
	for _, d := range in.dur {
		maxTime = max(maxTime, d)
	}
	maxFixed, maxCpd, maxCpt := 0.0, 0.0, 0.0
	for _, t := range in.types {
		maxFixed, maxCpd, maxCpt = max(maxFixed, t.fixed), max(maxCpd, t.cpd), max(maxCpt, t.cpt)
	}
	for _, s := range in.svc {
		maxSvc = max(maxSvc, s)
	}
	nj := in.nj
	in.pen = make([]float64, nj)
	in.mandatory = make([]bool, nj)
	in.allowed = make([]bool, nj*in.nt)
	in.active = make([]bool, nj)
	in.size = make([]float64, nj)
	if p.MinimizeVehicles {
		// One route more must outweigh any distance and time saving.
		in.routeW = 10 * (maxFixed + (maxCpd*maxArc+maxCpt*(maxTime+maxSvc))*float64(nj+2))
		in.routeW = max(in.routeW, 1e3)
	}
	// A mandatory visit left out costs more than any plausible route cost,
	// so the search always prefers serving it.
	bigM := 1e6 + 1e3*(in.routeW+maxFixed+(maxCpd*maxArc+maxCpt*(maxTime+maxSvc))*3)
	maxCap := make([]int64, in.dim)
	for _, t := range in.types {
		for d := range maxCap {
			maxCap[d] = max(maxCap[d], t.capa[d])
		}
	}
	for v := 0; v < nj+in.nt; v++ {
		s := seg{dur: in.svc[v], e: -big, l: big, first: in.loc[v], last: in.loc[v]}
		if ws := in.win[v]; len(ws) > 0 {
			s.e = ws[0].Open
			s.l = ws[len(ws)-1].Close
		}
		in.jseg[v] = s
		in.multi[v] = len(in.win[v]) > 1
		in.anyMulti = in.anyMulti || in.multi[v]
	}
	for v := 0; v < nj; v++ {
		job := &p.Jobs[in.job[v]]
		in.mandatory[v] = job.Penalty == 0
		in.pen[v] = job.Penalty * job.ServiceShare(in.visitAmt(int32(v)))
		if in.mandatory[v] {
			in.pen[v] = bigM
		}
		for t := 0; t < in.nt; t++ {
			in.allowed[v*in.nt+t] = p.allowsType(int(in.job[v]), t)
		}
		for d, a := range in.visitAmt(int32(v)) {
			if maxCap[d] > 0 {
				in.size[v] += float64(a) / float64(maxCap[d])
			}
		}
	}
}

// isMark reports whether node x is a reload.
func (in *inst) isMark(x int32) bool { return int(x) >= in.nj }

// visitAmt is the amount node x collects (zero for a reload).
func (in *inst) visitAmt(x int32) []int64 { return in.amt[int(x)*in.dim : int(x+1)*in.dim] }

// checkAlone decides, for every visit, whether some allowed vehicle type can
// serve it on a route of its own, and records the limit that blocks it
// otherwise. Inserting a visit into a longer route only adds constraints,
// so a visit that fails here can never be served.
func (in *inst) checkAlone() {
	buf := make([]int32, 1)
	in.pre = make([]Unserved, in.nj)
	for v := 0; v < in.nj; v++ {
		var twFail, durFail string
		capOK := false
		nAllowed := 0
		a := in.visitAmt(int32(v))
		for k := 0; k < in.nt; k++ {
			if !in.allowed[v*in.nt+k] {
				continue
			}
			nAllowed++
			t := &in.types[k]
			ok := true
			for d := 0; d < in.dim; d++ {
				if a[d] > t.capa[d] {
					ok = false
				}
			}
			if !ok {
				continue
			}
			capOK = true
			buf[0] = int32(v)
			feas, dur, _, arr := in.simulate(k, buf)
			if !feas {
				// the first step of simulate: where does the earliest day fail?
				if _, fail, _ := in.nodes.forward(t.start, t.end, t.shiftEnd, buf, t.shiftStart, nil, nil); fail < len(buf) {
					if twFail == "" {
						ws := in.win[v]
						twFail = fmt.Sprintf("earliest arrival from location %d is %g, after its last window closes at %g", t.start, arr, ws[len(ws)-1].Close)
					}
				} else if durFail == "" {
					durFail = fmt.Sprintf("a vehicle of type %q cannot serve it and be back at location %d by the shift end %g", in.p.Vehicles[k].ID, t.end, t.shiftEnd)
				}
				continue
			}
			if dur > t.maxDur+eps {
				if durFail == "" {
					durFail = fmt.Sprintf("round trip from location %d takes at least %g, vehicle type %q allows %g", t.start, dur, in.p.Vehicles[k].ID, t.maxDur)
				}
				continue
			}
			in.active[v] = true
			break
		}
		if in.active[v] {
			continue
		}
		u := &in.pre[v]
		switch {
		case nAllowed == 0:
			u.Reason, u.Detail = ReasonVehicleType, "no vehicle type is allowed to serve it"
		case !capOK:
			u.Reason, u.Detail = ReasonCapacity, in.capDetail(v)
		case twFail != "":
			u.Reason, u.Detail = ReasonTimeWindow, twFail
		default:
			u.Reason, u.Detail = ReasonShiftLength, durFail
		}
	}
}

func (in *inst) capDetail(v int) string {
	a := in.visitAmt(int32(v))
	for d := 0; d < in.dim; d++ {
		mc := int64(-1)
		for k := 0; k < in.nt; k++ {
			if in.allowed[v*in.nt+k] {
				mc = max(mc, in.types[k].capa[d])
			}
		}
		if a[d] > mc {
			return fmt.Sprintf("needs %d in capacity dimension %d, largest allowed vehicle holds %d", a[d], d, mc)
		}
	}
	// Each allowed type fails in some dimension, but not the same one.
	return fmt.Sprintf("amount %v fits no allowed vehicle type in every dimension", a)
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
