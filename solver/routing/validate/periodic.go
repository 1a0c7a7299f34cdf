package validate

import (
	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/periodic"
)

// dayProblem is the routing view of one day: every job of the period, the
// per-day fleet, the shared matrices.
func dayProblem(p *periodic.Problem) *routing.Problem {
	rp := &routing.Problem{Distance: p.Distance, Duration: p.Duration, Vehicles: p.Vehicles}
	rp.Jobs = make([]routing.Job, len(p.Jobs))
	for j := range p.Jobs {
		rp.Jobs[j] = p.Jobs[j].Job
	}
	return rp
}

// CheckPeriodic validates a periodic result: each served job's pattern is one
// of its allowed patterns and the job is visited exactly once on each day of
// that pattern and on no other day; each day's routes respect the per-day
// fleet and every routing rule Check applies; Cost and Distance equal the
// recomputed sums. It returns nil or an *Error.
func CheckPeriodic(p *periodic.Problem, r *periodic.Result) error {
	rp := dayProblem(p)
	c := &checker{p: rp, day: -1}
	if r == nil {
		c.add(RuleStructure, -1, -1, "nil result")
		return &Error{c.out}
	}
	if p.Days < 1 || p.Days > periodic.MaxDays {
		c.add(RuleStructure, -1, -1, "problem has %d days, want 1..%d", p.Days, periodic.MaxDays)
		return &Error{c.out}
	}
	if !c.problemOK() {
		return &Error{c.out}
	}
	if len(r.Patterns) != len(p.Jobs) {
		c.add(RuleStructure, -1, -1, "%d patterns for %d jobs", len(r.Patterns), len(p.Jobs))
		return &Error{c.out}
	}
	if len(r.Days) > p.Days {
		c.add(RuleStructure, -1, -1, "routes for %d days, period has %d", len(r.Days), p.Days)
		return &Error{c.out}
	}
	unserved := map[int]bool{}
	for _, u := range r.Unserved {
		if u.Job < 0 || u.Job >= len(p.Jobs) {
			c.add(RuleStructure, -1, u.Job, "unserved job index outside 0..%d", len(p.Jobs)-1)
			continue
		}
		if unserved[u.Job] {
			c.add(RuleCoverage, -1, u.Job, "listed twice in Unserved")
		}
		unserved[u.Job] = true
		if r.Patterns[u.Job] != 0 {
			c.add(RulePattern, -1, u.Job, "unserved but has pattern %s", binary(p.Days, r.Patterns[u.Job]))
		}
	}
	full := uint32(1)<<uint(p.Days) - 1
	if p.Days == 32 {
		full = ^uint32(0)
	}
	for j, pat := range r.Patterns {
		if unserved[j] {
			continue
		}
		ok := false
		for _, a := range p.Jobs[j].Patterns {
			ok = ok || a == pat
		}
		if !ok || pat == 0 || pat&^full != 0 {
			c.add(RulePattern, -1, j, "pattern %s (day 1 first) is not among the allowed %s", binary(p.Days, pat), fmtPatterns(p.Days, p.Jobs[j].Patterns))
		}
	}
	var dist, cost float64
	for d := 0; d < p.Days; d++ {
		var routes []routing.Route
		if d < len(r.Days) {
			routes = r.Days[d]
		}
		want := make([]bool, len(p.Jobs))
		for j, pat := range r.Patterns {
			want[j] = pat&(1<<uint(d)) != 0
		}
		c.day = d
		c.checkRoutes(routes, want, false)
		t := Recompute(rp, &routing.Result{Routes: routes})
		dist += t.Distance
		cost += t.Cost
	}
	c.day = -1
	if !close(r.Distance, dist) {
		c.add(RuleDistance, -1, -1, "reported total distance %.6f, recomputed %.6f", r.Distance, dist)
	}
	if !close(r.Cost, cost) {
		c.add(RuleCost, -1, -1, "reported total cost %.6f, recomputed %.6f", r.Cost, cost)
	}
	if len(c.out) > 0 {
		return &Error{c.out}
	}
	return nil
}

// RecomputePeriodic returns the cost and distance of r summed over days with
// the validator's arithmetic.
func RecomputePeriodic(p *periodic.Problem, r *periodic.Result) Totals {
	rp := dayProblem(p)
	var t Totals
	for _, routes := range r.Days {
		x := Recompute(rp, &routing.Result{Routes: routes})
		t.Cost += x.Cost
		t.Distance += x.Distance
		t.Routes += x.Routes
	}
	t.Unserved = len(r.Unserved)
	t.Mandatory = len(r.Unserved)
	return t
}

// BuildPeriodic completes a periodic result from visiting orders per day
// (only Type, Vehicle and Jobs are read) and the chosen patterns, with the
// validator's arithmetic. It is how published solutions are scored.
func BuildPeriodic(p *periodic.Problem, patterns []uint32, days [][]routing.Route) *periodic.Result {
	rp := dayProblem(p)
	r := &periodic.Result{Patterns: append([]uint32(nil), patterns...), Days: make([][]routing.Route, len(days))}
	for d, routes := range days {
		b := Build(rp, routes)
		r.Days[d] = b.Routes
		r.Cost += b.Cost
		r.Distance += b.Distance
	}
	return r
}

// PatternOf returns the day set (bit d = day d+1) on which job j appears in
// the given per-day routes, for deriving patterns from a published solution.
func PatternOf(days [][]routing.Route, j int) uint32 {
	var pat uint32
	for d, routes := range days {
		for _, rt := range routes {
			for _, x := range rt.Jobs {
				if x == j {
					pat |= 1 << uint(d)
				}
			}
		}
	}
	return pat
}

func fmtPatterns(days int, ps []uint32) string {
	s := "["
	for i, p := range ps {
		if i > 0 {
			s += " "
		}
		s += binary(days, p)
	}
	return s + "]"
}

// binary writes a pattern with day 1 first (leftmost), the way people and
// Cordeau's files read it.
func binary(days int, p uint32) string {
	b := make([]byte, days)
	for d := 0; d < days; d++ {
		b[d] = '0'
		if p&(1<<uint(d)) != 0 {
			b[d] = '1'
		}
	}
	return string(b)
}
