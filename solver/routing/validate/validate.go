package validate

import (
	"fmt"
	"math"
	"strings"

	"github.com/rlplan/rlplan/solver/routing"
)

// Tolerance is the relative tolerance used to compare recomputed and
// reported numbers: a and b agree when |a-b| <= Tolerance*max(1,|a|,|b|).
const Tolerance = 1e-6

// Rule names the kind of a violation, so tests and callers can tell them
// apart without parsing messages.
type Rule string

// Rules checked by Check and CheckPeriodic.
const (
	RuleStructure   Rule = "structure"    // indexes out of range, missing or mis-sized fields
	RuleCoverage    Rule = "coverage"     // a job missing, visited twice, or both routed and unserved
	RuleVehicleType Rule = "vehicle_type" // a job on a vehicle type it does not allow
	RuleFleet       Rule = "fleet"        // too many vehicles of a type or a vehicle number reused
	RuleCapacity    Rule = "capacity"     // load above capacity in some dimension
	RuleTimeWindow  Rule = "time_window"  // arrival or service start impossible or outside every window
	RuleShift       Rule = "shift"        // departure before shift start, return after shift end
	RuleMaxDuration Rule = "max_duration" // route longer than the type's maximum duration
	RuleDistance    Rule = "distance"     // reported distance differs from the recomputed one
	RuleDuration    Rule = "duration"     // reported duration differs from Return-Depart
	RuleLoad        Rule = "load"         // reported load differs from the recomputed one
	RuleCost        Rule = "cost"         // reported route or total cost differs
	RulePattern     Rule = "pattern"      // periodic: chosen pattern not allowed or days not matching it
	RuleTrips       Rule = "trips"        // more trips than the type allows, trips overlapping, reload time cut short
	RuleSplit       Rule = "split"        // a job split that may not be, pieces not adding up to the job, amounts misreported
)

// Violation is one broken rule. Route is the index in Result.Routes (-1 when
// not about a route), Job the job index (-1 when not about a job), Day the
// 0-based day for periodic results (-1 otherwise).
type Violation struct {
	Rule  Rule
	Day   int
	Route int
	Job   int
	Msg   string
}

func (v Violation) String() string {
	var b strings.Builder
	b.WriteString(string(v.Rule))
	if v.Day >= 0 {
		fmt.Fprintf(&b, " day %d", v.Day+1)
	}
	if v.Route >= 0 {
		fmt.Fprintf(&b, " route %d", v.Route)
	}
	if v.Job >= 0 {
		fmt.Fprintf(&b, " job %d", v.Job)
	}
	b.WriteString(": ")
	b.WriteString(v.Msg)
	return b.String()
}

// Error lists every violation found in a result.
type Error struct {
	Violations []Violation
}

// maxListed bounds the violations spelled out in Error(): a badly broken
// result can have thousands.
const maxListed = 20

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "validate: %d violation(s)", len(e.Violations))
	for i, v := range e.Violations {
		if i == maxListed {
			fmt.Fprintf(&b, "; ... and %d more", len(e.Violations)-maxListed)
			break
		}
		b.WriteString("; ")
		b.WriteString(v.String())
	}
	return b.String()
}

// Has reports whether some violation breaks rule r.
func (e *Error) Has(r Rule) bool {
	for _, v := range e.Violations {
		if v.Rule == r {
			return true
		}
	}
	return false
}

// close reports whether a and b agree within Tolerance.
func close(a, b float64) bool {
	return math.Abs(a-b) <= Tolerance*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// leq reports a <= b within Tolerance.
func leq(a, b float64) bool {
	return a <= b+Tolerance*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// checker accumulates violations.
type checker struct {
	p    *routing.Problem
	day  int
	out  []Violation
	seen []int     // times each job was routed, set by checkRoutes
	got  [][]int64 // what the routes collect of each job, set by checkRoutes
}

func (c *checker) add(rule Rule, route, job int, format string, a ...any) {
	c.out = append(c.out, Violation{Rule: rule, Day: c.day, Route: route, Job: job, Msg: fmt.Sprintf(format, a...)})
}

func (c *checker) nloc() int { return len(c.p.Distance) }

func (c *checker) dist(i, j int) float64 { return c.p.Distance[i][j] }

func (c *checker) dur(i, j int) float64 {
	if c.p.Duration != nil {
		return c.p.Duration[i][j]
	}
	return c.p.Distance[i][j]
}

// problemOK checks what the rest of the validation relies on (matrix shape,
// index ranges) so that a malformed problem gives violations, not panics.
func (c *checker) problemOK() bool {
	p := c.p
	n := len(p.Distance)
	ok := true
	for i, row := range p.Distance {
		if len(row) != n {
			c.add(RuleStructure, -1, -1, "problem Distance row %d has %d entries, want %d", i, len(row), n)
			ok = false
		}
	}
	if p.Duration != nil {
		if len(p.Duration) != n {
			c.add(RuleStructure, -1, -1, "problem Duration has %d rows, want %d", len(p.Duration), n)
			ok = false
		} else {
			for i, row := range p.Duration {
				if len(row) != n {
					c.add(RuleStructure, -1, -1, "problem Duration row %d has %d entries, want %d", i, len(row), n)
					ok = false
				}
			}
		}
	}
	for k, v := range p.Vehicles {
		if v.Start < 0 || v.Start >= n || v.End < 0 || v.End >= n {
			c.add(RuleStructure, -1, -1, "problem vehicle type %d: start %d or end %d outside 0..%d", k, v.Start, v.End, n-1)
			ok = false
		}
	}
	for j, job := range p.Jobs {
		if job.Location < 0 || job.Location >= n {
			c.add(RuleStructure, -1, j, "problem job location %d outside 0..%d", job.Location, n-1)
			ok = false
		}
	}
	return ok
}

// Check validates r against p and returns nil or an *Error listing every
// violation. Mandatory jobs listed in Unserved are allowed (the routing
// contract reports them rather than failing); use Complete to demand that
// every job is served.
func Check(p *routing.Problem, r *routing.Result) error {
	c := &checker{p: p, day: -1}
	if r == nil {
		c.add(RuleStructure, -1, -1, "nil result")
		return &Error{c.out}
	}
	if !c.problemOK() {
		return &Error{c.out}
	}
	want := make([]bool, len(p.Jobs))
	for j := range want {
		want[j] = true
	}
	c.checkRoutes(r.Routes, want, true)
	c.checkUnserved(r)
	c.checkTotals(r)
	if len(c.out) > 0 {
		return &Error{c.out}
	}
	return nil
}

// Complete returns an error naming the jobs of r.Unserved, nil when every
// job is routed. Benchmarks require a complete solution.
func Complete(r *routing.Result) error {
	if r == nil || len(r.Unserved) == 0 {
		return nil
	}
	c := &checker{day: -1}
	for _, u := range r.Unserved {
		c.add(RuleCoverage, -1, u.Job, "unserved (%s)", u.Reason)
	}
	return &Error{c.out}
}

// checkRoutes validates routes; want[j] says job j must be collected in
// full by them (or be listed in Unserved with what is left when
// unservedOK). It returns how many times each job was visited.
func (c *checker) checkRoutes(routes []routing.Route, want []bool, unservedOK bool) []int {
	p := c.p
	seen := make([]int, len(p.Jobs))
	got := make([][]int64, len(p.Jobs))
	type vkey struct{ t, v int }
	used := map[vkey]int{}
	perType := make([]int, len(p.Vehicles))
	for ri := range routes {
		rt := &routes[ri]
		if rt.Type < 0 || rt.Type >= len(p.Vehicles) {
			c.add(RuleStructure, ri, -1, "vehicle type %d outside 0..%d", rt.Type, len(p.Vehicles)-1)
			continue
		}
		vt := p.Vehicles[rt.Type]
		perType[rt.Type]++
		if rt.Vehicle < 0 || (vt.Count > 0 && rt.Vehicle >= vt.Count) {
			c.add(RuleFleet, ri, -1, "vehicle %d of type %d (%s) outside 0..%d", rt.Vehicle, rt.Type, vt.ID, vt.Count-1)
		}
		if prev, dup := used[vkey{rt.Type, rt.Vehicle}]; dup {
			c.add(RuleFleet, ri, -1, "vehicle %d of type %d (%s) already drives route %d", rt.Vehicle, rt.Type, vt.ID, prev)
		} else {
			used[vkey{rt.Type, rt.Vehicle}] = ri
		}
		if !c.routeShapeOK(ri, rt) {
			continue
		}
		for i, j := range rt.Jobs {
			seen[j]++
			if got[j] == nil {
				got[j] = make([]int64, len(p.Jobs[j].Amount))
			}
			for d, a := range rt.Amounts[i] {
				got[j][d] += a
			}
			c.checkVisit(ri, rt, i, want[j])
		}
		c.checkRoute(ri, rt)
	}
	for k, n := range perType {
		if cnt := p.Vehicles[k].Count; cnt > 0 && n > cnt {
			c.add(RuleFleet, -1, -1, "type %d (%s) drives %d routes, only %d vehicles", k, p.Vehicles[k].ID, n, cnt)
		}
	}
	for j, n := range seen {
		job := p.Jobs[j]
		if n > 1 && !job.Splittable {
			c.add(RuleCoverage, -1, j, "visited %d times", n)
		}
		for d := range job.Amount {
			if n > 0 && got[j][d] > job.Amount[d] {
				c.add(RuleSplit, -1, j, "visits collect %v, more than the job's %v", got[j], job.Amount)
				break
			}
		}
		if want[j] && !unservedOK && !equalLoad(got[j], job.Amount) {
			if n == 0 {
				c.add(RuleCoverage, -1, j, "not visited")
			} else {
				c.add(RuleSplit, -1, j, "visits collect %v of the job's %v", got[j], job.Amount)
			}
		}
	}
	if unservedOK {
		c.seen, c.got = seen, got
	}
	return seen
}

// routeShapeOK checks what the rest of a route's checks index by: job
// indexes, one amount per visit with one entry per dimension, and trips that
// cut the visits in order into non-empty parts.
func (c *checker) routeShapeOK(ri int, rt *routing.Route) bool {
	p := c.p
	for _, j := range rt.Jobs {
		if j < 0 || j >= len(p.Jobs) {
			c.add(RuleStructure, ri, j, "job index outside 0..%d", len(p.Jobs)-1)
			return false
		}
	}
	n := len(rt.Jobs)
	if len(rt.Amounts) != n || len(rt.Arrival) != n || len(rt.Start) != n {
		c.add(RuleStructure, ri, -1, "%d jobs but %d amounts, %d arrivals and %d starts", n, len(rt.Amounts), len(rt.Arrival), len(rt.Start))
		return false
	}
	dims := len(p.Vehicles[rt.Type].Capacity)
	for i, a := range rt.Amounts {
		if len(a) != dims {
			c.add(RuleStructure, ri, rt.Jobs[i], "visit %d reports %d amount dimensions, want %d", i, len(a), dims)
			return false
		}
	}
	if n == 0 && len(rt.Trips) == 0 {
		return true
	}
	next := 0
	for k, tr := range rt.Trips {
		if tr.From != next || tr.To <= tr.From || tr.To > n || len(tr.Load) != dims {
			c.add(RuleStructure, ri, -1, "trip %d covers visits [%d, %d) with %d load dimensions; want a non-empty range from %d within %d visits, %d dimensions",
				k+1, tr.From, tr.To, len(tr.Load), next, n, dims)
			return false
		}
		next = tr.To
	}
	if next != n {
		c.add(RuleStructure, ri, -1, "trips cover %d of %d visits", next, n)
		return false
	}
	return true
}

// checkVisit checks visit i of a route: allowed vehicle type, and the amount
// it collects (the whole job unless the job is splittable; never negative,
// never nothing of a job that has something to collect).
func (c *checker) checkVisit(ri int, rt *routing.Route, i int, due bool) {
	j := rt.Jobs[i]
	job := c.p.Jobs[j]
	vt := c.p.Vehicles[rt.Type]
	if !due {
		c.add(RuleCoverage, ri, j, "job is not due in this route set")
	}
	if at := job.AllowedTypes; len(at) > 0 {
		ok := false
		for _, t := range at {
			ok = ok || t == rt.Type
		}
		if !ok {
			c.add(RuleVehicleType, ri, j, "served by type %d (%s), allowed types %v", rt.Type, vt.ID, at)
		}
	}
	a := rt.Amounts[i]
	if !job.Splittable {
		if !equalLoad(a, job.Amount) {
			c.add(RuleSplit, ri, j, "visit %d collects %v; the job (not splittable) has %v", i, a, job.Amount)
		}
		return
	}
	some, any := false, false
	for d, x := range a {
		if x < 0 {
			c.add(RuleSplit, ri, j, "visit %d collects a negative amount %v", i, a)
			return
		}
		some = some || x > 0
		any = any || job.Amount[d] > 0
	}
	if any && !some {
		c.add(RuleSplit, ri, j, "visit %d collects nothing", i)
	}
}

// checkRoute checks one well-shaped route (see routeShapeOK) trip by trip
// with the validator's own forward pass: each trip leaves its depot (Start,
// then End) no earlier than the shift start or the previous return plus the
// reload time, every arrival is physically possible, every service starts
// inside a window and lasts the visit's service time, each trip's load fits
// the vehicle; then the day: shift end, maximum duration, trip count, and
// the reported distances, loads, duration and cost.
func (c *checker) checkRoute(ri int, rt *routing.Route) {
	p := c.p
	vt := p.Vehicles[rt.Type]
	maxTrips := vt.MaxTrips
	if maxTrips < 1 {
		maxTrips = 1
	}
	if len(rt.Trips) > maxTrips {
		c.add(RuleTrips, ri, -1, "%d trips, vehicle type %s makes at most %d a day", len(rt.Trips), vt.ID, maxTrips)
	}
	if len(rt.Trips) > 0 && !close(rt.Trips[0].Depart, rt.Depart) {
		c.add(RuleTrips, ri, -1, "first trip departs at %g, route departs at %g", rt.Trips[0].Depart, rt.Depart)
	}
	if !leq(vt.ShiftStart, rt.Depart) {
		c.add(RuleShift, ri, -1, "departs at %g before shift start %g", rt.Depart, vt.ShiftStart)
	}
	total := tripEval{Load: make([]int64, len(vt.Capacity))}
	lastReturn := rt.Depart
	for k := range rt.Trips {
		tr := &rt.Trips[k]
		if k > 0 && !leq(lastReturn+vt.ReloadTime, tr.Depart) {
			c.add(RuleTrips, ri, -1, "trip %d departs at %g, before the previous return %g plus the reload time %g", k+1, tr.Depart, lastReturn, vt.ReloadTime)
		}
		ev := c.checkTrip(ri, rt, k)
		total.Distance += ev.Distance
		for d := range total.Load {
			total.Load[d] += ev.Load[d]
		}
		lastReturn = tr.Return
	}
	if len(rt.Trips) > 0 && !close(lastReturn, rt.Return) {
		c.add(RuleTrips, ri, -1, "last trip returns at %g, route returns at %g", lastReturn, rt.Return)
	}
	if vt.ShiftEnd != 0 && !leq(rt.Return, vt.ShiftEnd) {
		c.add(RuleShift, ri, -1, "returns at %g after shift end %g", rt.Return, vt.ShiftEnd)
	}
	if vt.MaxDuration > 0 && !leq(rt.Return-rt.Depart, vt.MaxDuration) {
		c.add(RuleMaxDuration, ri, -1, "lasts %g, max duration %g", rt.Return-rt.Depart, vt.MaxDuration)
	}
	if !equalLoad(rt.Load, total.Load) {
		c.add(RuleLoad, ri, -1, "reported load %v, recomputed %v", rt.Load, total.Load)
	}
	if !close(rt.Distance, total.Distance) {
		c.add(RuleDistance, ri, -1, "reported distance %.6f, recomputed %.6f", rt.Distance, total.Distance)
	}
	if !close(rt.Duration, rt.Return-rt.Depart) {
		c.add(RuleDuration, ri, -1, "reported duration %g, Return-Depart = %g", rt.Duration, rt.Return-rt.Depart)
	}
	cost := routeCost(vt, total.Distance, rt.Return-rt.Depart)
	if !close(rt.Cost, cost) {
		c.add(RuleCost, ri, -1, "reported cost %.6f, recomputed %.6f", rt.Cost, cost)
	}
}

// checkTrip walks trip k of a route and returns its recomputed distance and
// load.
func (c *checker) checkTrip(ri int, rt *routing.Route, k int) tripEval {
	p := c.p
	vt := p.Vehicles[rt.Type]
	tr := &rt.Trips[k]
	ev := evalTrip(p, rt, k)
	for d, l := range ev.Load {
		if l > vt.Capacity[d] {
			c.add(RuleCapacity, ri, -1, "trip %d, dimension %d: load %d exceeds capacity %d", k+1, d, l, vt.Capacity[d])
		}
	}
	if !equalLoad(tr.Load, ev.Load) {
		c.add(RuleLoad, ri, -1, "trip %d: reported load %v, recomputed %v", k+1, tr.Load, ev.Load)
	}
	if !close(tr.Distance, ev.Distance) {
		c.add(RuleDistance, ri, -1, "trip %d: reported distance %.6f, recomputed %.6f", k+1, tr.Distance, ev.Distance)
	}
	at, free := tripOrigin(vt, k), tr.Depart
	for i := tr.From; i < tr.To; i++ {
		j := rt.Jobs[i]
		job := p.Jobs[j]
		earliest := free + c.dur(at, job.Location)
		if !leq(earliest, rt.Arrival[i]) {
			c.add(RuleTimeWindow, ri, j, "arrival %g before the earliest possible %g", rt.Arrival[i], earliest)
		}
		if !leq(rt.Arrival[i], rt.Start[i]) {
			c.add(RuleTimeWindow, ri, j, "service starts at %g before arrival %g", rt.Start[i], rt.Arrival[i])
		}
		if !inWindows(job.Windows, rt.Start[i]) {
			c.add(RuleTimeWindow, ri, j, "service starts at %g outside windows %v", rt.Start[i], job.Windows)
		}
		at, free = job.Location, rt.Start[i]+visitService(job, rt.Amounts[i])
	}
	if earliest := free + c.dur(at, vt.End); !leq(earliest, tr.Return) {
		c.add(RuleTimeWindow, ri, -1, "trip %d returns at %g before the earliest possible %g", k+1, tr.Return, earliest)
	}
	return ev
}

func routeCost(vt routing.VehicleType, distance, duration float64) float64 {
	return vt.FixedCost + vt.CostPerDistance*distance + vt.CostPerDuration*duration
}

func equalLoad(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func inWindows(ws []routing.TimeWindow, t float64) bool {
	if len(ws) == 0 {
		return true
	}
	for _, w := range ws {
		if leq(w.Open, t) && leq(t, w.Close) {
			return true
		}
	}
	return false
}

// visitService is the service time of a visit collecting a of job: the
// job's Service for the whole amount; for a piece, FixedService plus the
// piece's share (the largest a[d]/Amount[d]) of the rest.
func visitService(job routing.Job, a []int64) float64 {
	if equalLoad(a, job.Amount) {
		return job.Service
	}
	return job.FixedService + share(job, a)*(job.Service-job.FixedService)
}

// share is the largest part a[d]/Amount[d] of a job's amount that a
// collects, 1 when the job has nothing to collect.
func share(job routing.Job, a []int64) float64 {
	s, any := 0.0, false
	for d, tot := range job.Amount {
		if tot > 0 && d < len(a) {
			s, any = math.Max(s, float64(a[d])/float64(tot)), true
		}
	}
	if !any {
		return 1
	}
	return s
}

var knownReasons = map[routing.Reason]bool{
	routing.ReasonCapacity: true, routing.ReasonTimeWindow: true, routing.ReasonShiftLength: true,
	routing.ReasonVehicleType: true, routing.ReasonFleetSize: true, routing.ReasonPenalty: true,
}

// checkUnserved checks Unserved against what the routes collect: a job
// collected in full is not listed, a job not collected in full is listed
// once, with the amount left (when reported) and a known reason.
func (c *checker) checkUnserved(r *routing.Result) {
	seenU := map[int]bool{}
	for _, u := range r.Unserved {
		if u.Job < 0 || u.Job >= len(c.p.Jobs) {
			c.add(RuleStructure, -1, u.Job, "unserved job index outside 0..%d", len(c.p.Jobs)-1)
			continue
		}
		if seenU[u.Job] {
			c.add(RuleCoverage, -1, u.Job, "listed twice in Unserved")
		}
		seenU[u.Job] = true
		job := c.p.Jobs[u.Job]
		left := c.left(u.Job)
		switch {
		case c.seen[u.Job] > 0 && !job.Splittable, c.seen[u.Job] > 0 && allZero(left):
			c.add(RuleCoverage, -1, u.Job, "both routed and unserved")
		case u.Amount != nil && !equalLoad(u.Amount, left):
			c.add(RuleSplit, -1, u.Job, "unserved amount %v, but the routes leave %v of %v", u.Amount, left, job.Amount)
		}
		if !knownReasons[u.Reason] {
			c.add(RuleStructure, -1, u.Job, "unknown unserved reason %q", u.Reason)
		}
	}
	for j, n := range c.seen {
		if seenU[j] || allZero(c.left(j)) && n > 0 {
			continue
		}
		if n == 0 {
			c.add(RuleCoverage, -1, j, "neither routed nor listed in Unserved")
		} else {
			c.add(RuleCoverage, -1, j, "routes collect %v of %v and the rest is not listed in Unserved", c.got[j], c.p.Jobs[j].Amount)
		}
	}
}

// left is what the routes do not collect of job j.
func (c *checker) left(j int) []int64 {
	a := c.p.Jobs[j].Amount
	out := make([]int64, len(a))
	for d := range a {
		out[d] = a[d]
		if c.got[j] != nil {
			out[d] -= c.got[j][d]
		}
	}
	return out
}

func allZero(a []int64) bool {
	for _, x := range a {
		if x != 0 {
			return false
		}
	}
	return true
}

func (c *checker) checkTotals(r *routing.Result) {
	t := Recompute(c.p, r)
	if !close(r.Distance, t.Distance) {
		c.add(RuleDistance, -1, -1, "reported total distance %.6f, recomputed %.6f", r.Distance, t.Distance)
	}
	if !close(r.Cost, t.Cost) {
		c.add(RuleCost, -1, -1, "reported total cost %.6f, recomputed %.6f", r.Cost, t.Cost)
	}
}
