package routing

import "math"

// solution is a set of routes plus the job index. All changes go through
// replace so that the bookkeeping (job positions, fleet use, cost) stays
// consistent and can be undone.
type solution struct {
	in     *inst
	routes []*route
	jr, jp []int32 // job -> route index (-1: unassigned), node position 1..L
	used   []int   // non-empty routes per type
	limit  []int   // vehicles per type the search may use (route squeezing lowers it)
	spare  []int   // per type: an empty route index, -1 when the fleet is used up
	cost   float64 // routes + penalties of unassigned active jobs
	out    []int32 // unassigned active jobs, in no particular order
	outPos []int32 // job -> index in out, -1 when not there

	// undo log of the current ruin-and-recreate iteration
	logOn    bool
	logRoute []int
	logStart []int
	logPool  []int32
	touched  []int32 // per route: iteration stamp of the last snapshot
	stamp    int32
	norm     []int32 // scratch for replace
	mods     int64   // changes made by replace (route.mod, SWAP*'s memo)

	// soft prices load above capacity (lq per unit) and duration above
	// MaxDuration (lt per time unit) instead of forbidding them: the
	// penalised search of the periodic planner's days (HGS's penalised
	// infeasible solutions). Windows and the shift end stay hard. Solve
	// never sets it.
	soft   bool
	lq, lt float64

	// warp prices the time warp of every route (lw per time unit) instead
	// of forbidding it: Solve's penalised search on Solomon-class problems
	// (twarp.go). nWarp counts the routes with a time warp above eps.
	warp  bool
	lw    float64
	nWarp int

	// floor is the fewest routes the annealing may accept (0: any), held
	// by a route-count probe at one route more (pool_probe.go).
	floor int
}

func newSolution(in *inst) *solution {
	s := &solution{in: in, jr: make([]int32, in.nj), jp: make([]int32, in.nj),
		used: make([]int, in.nt), spare: make([]int, in.nt), limit: make([]int, in.nt)}
	for t := range s.limit {
		s.limit[t] = in.types[t].count
	}
	s.outPos = make([]int32, in.nj)
	for j := range s.jr {
		s.jr[j] = -1
		s.outPos[j] = -1
		if in.active[j] {
			s.cost += in.pen[j]
			s.outPos[j] = int32(len(s.out))
			s.out = append(s.out, int32(j))
		}
	}
	for t := range s.spare {
		s.spare[t] = -1
		s.fixSpare(t)
	}
	return s
}

// fixSpare makes sure type t has an empty route ready when its fleet allows.
func (s *solution) fixSpare(t int) {
	if s.used[t] >= s.limit[t] {
		s.spare[t] = -1
		return
	}
	if sp := s.spare[t]; sp >= 0 && len(s.routes[sp].jobs) == 0 && s.routes[sp].t == t {
		return
	}
	for i, r := range s.routes {
		if r.t == t && len(r.jobs) == 0 {
			s.spare[t] = i
			return
		}
	}
	r := &route{t: t}
	s.in.update(r)
	s.routes = append(s.routes, r)
	s.touched = append(s.touched, 0)
	s.spare[t] = len(s.routes) - 1
}

// dropOut swap-removes unassigned job j from the unassigned list (the last
// entry takes its place).
func (s *solution) dropOut(j int32) {
	k := s.outPos[j]
	last := s.out[len(s.out)-1]
	s.out[k] = last
	s.outPos[last] = k
	s.out = s.out[:len(s.out)-1]
	s.outPos[j] = -1
}

// logTouch saves route ri's jobs in the undo log the first time the
// iteration changes it.
func (s *solution) logTouch(ri int) {
	if s.logOn && s.touched[ri] != s.stamp {
		s.touched[ri] = s.stamp
		s.logRoute = append(s.logRoute, ri)
		s.logStart = append(s.logStart, len(s.logPool))
		s.logPool = append(s.logPool, s.routes[ri].jobs...)
	}
}

// replace sets the node sequence of route ri (normalized: see normalize).
// Visits that leave the route and are not placed elsewhere become
// unassigned.
func (s *solution) replace(ri int, jobs []int32) {
	in := s.in
	r := s.routes[ri]
	if in.multiTrip { // reloads exist only when some type makes several trips
		s.norm = in.normalize(r.t, append(s.norm[:0], jobs...))
		jobs = s.norm
	}
	s.logTouch(ri)
	wasEmpty := len(r.jobs) == 0
	if s.warp && r.warp > eps {
		s.nWarp--
	}
	s.mods++
	r.mod = s.mods
	s.cost -= r.cost
	for _, j := range r.jobs {
		if in.isMark(j) {
			continue
		}
		if s.jr[j] == int32(ri) {
			s.jr[j] = -1
			s.cost += in.pen[j]
			s.outPos[j] = int32(len(s.out))
			s.out = append(s.out, j)
		}
	}
	oldL := len(r.jobs)
	pre, suf := kept(r.jobs, jobs)
	r.jobs = append(r.jobs[:0], jobs...)
	for i, j := range r.jobs {
		if in.isMark(j) {
			continue
		}
		if s.jr[j] == -1 {
			s.cost -= in.pen[j]
			s.dropOut(j)
		}
		s.jr[j] = int32(ri)
		s.jp[j] = int32(i + 1)
	}
	in.updateKept(r, oldL, pre, suf)
	if s.soft {
		s.price(r)
	}
	if s.warp {
		s.priceWarp(r)
	}
	s.cost += r.cost
	if wasEmpty != (len(r.jobs) == 0) {
		if wasEmpty {
			s.used[r.t]++
		} else {
			s.used[r.t]--
		}
		s.fixSpare(r.t)
	}
}

// kept returns how many leading and trailing nodes of a and b agree (pre +
// suf <= min(len(a), len(b))): what updateKept need not compute again.
func kept(a, b []int32) (pre, suf int) {
	m := min(len(a), len(b))
	for pre < m && a[pre] == b[pre] {
		pre++
	}
	la, lb := len(a)-1, len(b)-1
	for suf < m-pre && a[la-suf] == b[lb-suf] {
		suf++
	}
	return pre, suf
}

// price turns r's excess into cost (soft mode): the trip count, windows
// and the shift end stay hard.
func (s *solution) price(r *route) {
	if len(r.jobs) == 0 {
		return
	}
	r.cost += s.lq*r.exLoad + s.lt*r.exTime
	r.feas = r.winOK && r.trips() <= s.in.types[r.t].maxTrips
}

// excess is the penalty of the solution's limits broken (soft mode).
func (s *solution) excess() float64 {
	e := 0.0
	for _, r := range s.routes {
		e += s.lq*r.exLoad + s.lt*r.exTime
	}
	return e
}

// insert puts the nodes after node pos of route ri.
func (s *solution) insert(ri int, pos int, buf []int32, nodes ...int32) []int32 {
	r := s.routes[ri]
	buf = append(buf[:0], r.jobs[:pos]...)
	buf = append(buf, nodes...)
	buf = append(buf, r.jobs[pos:]...)
	s.replace(ri, buf)
	return buf
}

// beginLog starts recording the routes changed from now on.
func (s *solution) beginLog() {
	s.logOn = true
	s.stamp++
	s.logRoute = s.logRoute[:0]
	s.logStart = s.logStart[:0]
	s.logPool = s.logPool[:0]
}

// undo restores the routes recorded since beginLog.
func (s *solution) undo() {
	s.logOn = false
	for k := len(s.logRoute) - 1; k >= 0; k-- {
		end := len(s.logPool)
		if k+1 < len(s.logStart) {
			end = s.logStart[k+1]
		}
		s.replace(s.logRoute[k], s.logPool[s.logStart[k]:end])
	}
}

func (s *solution) commit() { s.logOn = false }

// recompute rebuilds the cost from scratch to stop float drift.
func (s *solution) recompute() {
	c := 0.0
	for _, r := range s.routes {
		c += r.cost
	}
	for j, ri := range s.jr {
		if ri < 0 && s.in.active[j] {
			c += s.in.pen[j]
		}
	}
	s.cost = c
}

// snapshot is a compact copy of a solution's routes.
type snapshot struct {
	types []int
	jobs  [][]int32
	cost  float64 // internal objective
	pub   float64 // the same solution's Result.Cost
}

func (s *solution) save(dst *snapshot) {
	dst.types = dst.types[:0]
	dst.cost = s.cost
	dst.pub = 0
	for _, r := range s.routes {
		if len(r.jobs) > 0 {
			dst.pub += r.cost - s.in.routeW
		}
	}
	for j, ri := range s.jr {
		if ri < 0 && !s.in.mandatory[j] {
			dst.pub += s.in.pen[j]
		}
	}
	n := 0
	for _, r := range s.routes {
		if len(r.jobs) == 0 {
			continue
		}
		if n < len(dst.jobs) {
			dst.jobs[n] = append(dst.jobs[n][:0], r.jobs...)
		} else {
			dst.jobs = append(dst.jobs, append([]int32(nil), r.jobs...))
		}
		dst.types = append(dst.types, r.t)
		n++
	}
	dst.jobs = dst.jobs[:n]
}

// load replaces the solution by the snapshot.
func (s *solution) load(src *snapshot) {
	in := s.in
	ns := newSolution(in)
	ns.soft, ns.lq, ns.lt = s.soft, s.lq, s.lt
	ns.warp, ns.lw = s.warp, s.lw
	for k, t := range src.types {
		ri := ns.spare[t]
		if ri < 0 {
			r := &route{t: t}
			in.update(r)
			ns.routes = append(ns.routes, r)
			ns.touched = append(ns.touched, 0)
			ri = len(ns.routes) - 1
		}
		ns.replace(ri, src.jobs[k])
	}
	*s = *ns
}

func (s *solution) unassigned(dst []int32) []int32 {
	return append(dst[:0], s.out...)
}

func (s *solution) nRoutes() int {
	n := 0
	for _, u := range s.used {
		n += u
	}
	return n
}

var inf = math.Inf(1)
