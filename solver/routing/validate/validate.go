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
	seen []int // times each job was routed, set by checkRoutes
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

// checkRoutes validates routes; want[j] says job j must appear in them (or in
// Unserved when unservedOK). It returns how many times each job was routed.
func (c *checker) checkRoutes(routes []routing.Route, want []bool, unservedOK bool) []int {
	p := c.p
	seen := make([]int, len(p.Jobs))
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
		badJob := false
		for _, j := range rt.Jobs {
			if j < 0 || j >= len(p.Jobs) {
				c.add(RuleStructure, ri, j, "job index outside 0..%d", len(p.Jobs)-1)
				badJob = true
				continue
			}
			seen[j]++
			if !want[j] {
				c.add(RuleCoverage, ri, j, "job is not due in this route set")
			}
			if at := p.Jobs[j].AllowedTypes; len(at) > 0 {
				ok := false
				for _, t := range at {
					ok = ok || t == rt.Type
				}
				if !ok {
					c.add(RuleVehicleType, ri, j, "served by type %d (%s), allowed types %v", rt.Type, vt.ID, at)
				}
			}
		}
		if badJob {
			continue
		}
		c.checkRoute(ri, rt)
	}
	for k, n := range perType {
		if cnt := p.Vehicles[k].Count; cnt > 0 && n > cnt {
			c.add(RuleFleet, -1, -1, "type %d (%s) drives %d routes, only %d vehicles", k, p.Vehicles[k].ID, n, cnt)
		}
	}
	for j, n := range seen {
		if n > 1 {
			c.add(RuleCoverage, -1, j, "visited %d times", n)
		}
		if n == 0 && want[j] && !unservedOK {
			c.add(RuleCoverage, -1, j, "not visited")
		}
	}
	if unservedOK {
		c.seen = seen
	}
	return seen
}

// checkRoute checks one route whose type and job indexes are in range.
func (c *checker) checkRoute(ri int, rt *routing.Route) {
	p := c.p
	vt := p.Vehicles[rt.Type]
	ev := evalSequence(p, rt.Type, rt.Jobs)
	n := len(rt.Jobs)
	// Load and capacity.
	if len(vt.Capacity) != len(ev.Load) {
		c.add(RuleStructure, ri, -1, "type has %d capacity dimensions, jobs have %d", len(vt.Capacity), len(ev.Load))
	} else {
		for d, l := range ev.Load {
			if l > vt.Capacity[d] {
				c.add(RuleCapacity, ri, -1, "dimension %d: load %d exceeds capacity %d", d, l, vt.Capacity[d])
			}
		}
	}
	if !equalLoad(rt.Load, ev.Load) {
		c.add(RuleLoad, ri, -1, "reported load %v, recomputed %v", rt.Load, ev.Load)
	}
	if !close(rt.Distance, ev.Distance) {
		c.add(RuleDistance, ri, -1, "reported distance %.6f, recomputed %.6f", rt.Distance, ev.Distance)
	}
	// Schedule: the reported times must be physically possible and inside
	// windows and shift; waiting anywhere is allowed.
	if len(rt.Arrival) != n || len(rt.Start) != n {
		c.add(RuleStructure, ri, -1, "%d jobs but %d arrivals and %d starts", n, len(rt.Arrival), len(rt.Start))
	} else {
		if !leq(vt.ShiftStart, rt.Depart) {
			c.add(RuleShift, ri, -1, "departs at %g before shift start %g", rt.Depart, vt.ShiftStart)
		}
		at, free := vt.Start, rt.Depart
		for i, j := range rt.Jobs {
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
			at, free = job.Location, rt.Start[i]+job.Service
		}
		earliest := free + c.dur(at, vt.End)
		if !leq(earliest, rt.Return) {
			c.add(RuleTimeWindow, ri, -1, "returns at %g before the earliest possible %g", rt.Return, earliest)
		}
		if vt.ShiftEnd != 0 && !leq(rt.Return, vt.ShiftEnd) {
			c.add(RuleShift, ri, -1, "returns at %g after shift end %g", rt.Return, vt.ShiftEnd)
		}
		if vt.MaxDuration > 0 && !leq(rt.Return-rt.Depart, vt.MaxDuration) {
			c.add(RuleMaxDuration, ri, -1, "lasts %g, max duration %g", rt.Return-rt.Depart, vt.MaxDuration)
		}
	}
	if !close(rt.Duration, rt.Return-rt.Depart) {
		c.add(RuleDuration, ri, -1, "reported duration %g, Return-Depart = %g", rt.Duration, rt.Return-rt.Depart)
	}
	cost := routeCost(vt, ev.Distance, rt.Return-rt.Depart)
	if !close(rt.Cost, cost) {
		c.add(RuleCost, ri, -1, "reported cost %.6f, recomputed %.6f", rt.Cost, cost)
	}
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

var knownReasons = map[routing.Reason]bool{
	routing.ReasonCapacity: true, routing.ReasonTimeWindow: true, routing.ReasonShiftLength: true,
	routing.ReasonVehicleType: true, routing.ReasonFleetSize: true, routing.ReasonPenalty: true,
}

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
		if c.seen != nil && c.seen[u.Job] > 0 {
			c.add(RuleCoverage, -1, u.Job, "both routed and unserved")
		}
		if !knownReasons[u.Reason] {
			c.add(RuleStructure, -1, u.Job, "unknown unserved reason %q", u.Reason)
		}
	}
	for j, n := range c.seen {
		if n == 0 && !seenU[j] {
			c.add(RuleCoverage, -1, j, "neither routed nor listed in Unserved")
		}
	}
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
