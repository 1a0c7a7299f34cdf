package validate

import (
	"fmt"
	"math"
	"strings"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
)

// Tolerance is the relative tolerance of every comparison between a
// recomputed and a reported number, and of capacity and weight limits:
// a <= b passes when a <= b + Tolerance·max(1, |a|, |b|).
const Tolerance = 1e-6

// Rule names the kind of a violation, so that tests and callers can tell
// them apart without parsing messages.
type Rule string

// Rules checked by Check.
const (
	RuleStructure   Rule = "structure"   // a mis-sized field, an index out of range, a NaN
	RuleOpen        Rule = "open"        // a new site that is an existing outlet, listed twice or out of order
	RuleCardinality Rule = "cardinality" // not exactly P new sites (p-median, maximal covering)
	RuleAssignment  Rule = "assignment"  // demand served by a closed or unlisted facility, or Assign not matching the flows
	RuleWeight      Rule = "weight"      // a demand served beyond its weight
	RuleCapacity    Rule = "capacity"    // a facility loaded beyond its capacity
	RuleTarget      Rule = "target"      // SetCover: covered weight below the target without Status infeasible
	RuleCost        Rule = "cost"        // reported cost differs from the recomputed objective
	RuleCovered     Rule = "covered"     // reported covered weight differs
	RuleUnserved    Rule = "unserved"    // reported unserved weight differs
	RuleBound       Rule = "bound"       // a bound on the wrong side of the cost, a gap not matching, or a missing bound with values
	RuleStatus      Rule = "status"      // a status the result does not support (optimal with a gap, infeasible outside SetCover)
)

// Violation is one broken rule. Demand and Facility are the indexes
// concerned, -1 when the violation is not about one.
type Violation struct {
	Rule     Rule
	Demand   int
	Facility int
	Msg      string
}

func (v Violation) String() string {
	var b strings.Builder
	b.WriteString(string(v.Rule))
	if v.Demand >= 0 {
		fmt.Fprintf(&b, " demand %d", v.Demand)
	}
	if v.Facility >= 0 {
		fmt.Fprintf(&b, " facility %d", v.Facility)
	}
	b.WriteString(": ")
	b.WriteString(v.Msg)
	return b.String()
}

// Error lists every violation found in a result.
type Error struct {
	Violations []Violation
}

// maxListed bounds the violations spelled out by Error(): a badly broken
// national result can have thousands.
const maxListed = 20

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "location result: %d violation(s)", len(e.Violations))
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

// Values are the figures Recompute derives from a result.
type Values struct {
	// Cost is the objective as Result.Cost defines it: fixed plus
	// assignment cost (FacilityLocation), weighted distance (PMedian),
	// covered weight (MaxCover), cost of the new sites (SetCover).
	Cost float64
	// Covered is the weight assigned within Radius (always for MaxCover and
	// SetCover; for the other objectives only when Radius > 0).
	Covered float64
	// Unserved is the weight assigned to no facility.
	Unserved float64
	// UnservedCost is the charge per unit of unserved weight in force: the
	// Problem's, or the documented default.
	UnservedCost float64
}

func leq(a, b float64) bool {
	return a <= b+Tolerance*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func near(a, b float64) bool { return leq(a, b) && leq(b, a) }

type checker struct {
	p   *location.Problem
	out []Violation
	// noise is the absolute rounding the recomputed cost may carry beyond
	// Tolerance: the unserved charge times the rounding of w - Σ parts.
	noise float64
}

// ulp is the relative rounding of one float64 operation.
const ulp = 0x1p-52

func (c *checker) add(rule Rule, demand, facility int, format string, a ...any) {
	c.out = append(c.out, Violation{Rule: rule, Demand: demand, Facility: facility, Msg: fmt.Sprintf(format, a...)})
}

// Check validates r against p and returns nil or an *Error listing every
// violation.
func Check(p *location.Problem, r *location.Result) error {
	_, err := Recompute(p, r)
	return err
}

// Recompute validates r against p like Check and returns the figures it
// recomputed (meaningful only when the structure is sound).
func Recompute(p *location.Problem, r *location.Result) (Values, error) {
	c := &checker{p: p}
	var v Values
	if r == nil {
		c.add(RuleStructure, -1, -1, "nil result")
		return v, &Error{c.out}
	}
	if !c.problemOK() {
		return v, &Error{c.out}
	}
	v.UnservedCost = UnservedCost(p)
	open := c.openSites(r)
	if open != nil {
		v = c.assignment(r, open, v)
		v.Cost = c.objective(r, v)
		c.bound(r)
	}
	if len(c.out) > 0 {
		return v, &Error{c.out}
	}
	return v, nil
}

// problemOK checks the shape of p enough that the rest cannot index out of
// range.
func (c *checker) problemOK() bool {
	p := c.p
	n, F := len(p.Weights), len(p.Facilities)
	d := &p.Dist
	switch {
	case len(d.Start) != n+1:
		c.add(RuleStructure, -1, -1, "problem Dist.Start has %d entries, want %d", len(d.Start), n+1)
	case len(d.Facility) != len(d.Dist):
		c.add(RuleStructure, -1, -1, "problem Dist.Facility has %d entries, Dist.Dist %d", len(d.Facility), len(d.Dist))
	case d.Start[0] != 0 || d.Start[n] != len(d.Facility):
		c.add(RuleStructure, -1, -1, "problem Dist.Start runs %d..%d, want 0..%d", d.Start[0], d.Start[n], len(d.Facility))
	default:
		for j := 0; j < n; j++ {
			if d.Start[j] > d.Start[j+1] {
				c.add(RuleStructure, j, -1, "problem Dist.Start decreases")
				return false
			}
		}
		for e, i := range d.Facility {
			if i < 0 || int(i) >= F {
				c.add(RuleStructure, -1, int(i), "problem Dist entry %d names a facility outside 0..%d", e, F-1)
				return false
			}
		}
		return true
	}
	return false
}

// UnservedCost is Problem.UnservedCost or its documented default:
// 10·(largest listed distance) + (Σ FixedCost of candidates)/(smallest
// positive weight) + 1.
func UnservedCost(p *location.Problem) float64 {
	if p.UnservedCost > 0 {
		return p.UnservedCost
	}
	maxD := 0.0
	for _, d := range p.Dist.Dist {
		maxD = math.Max(maxD, d)
	}
	sumF := 0.0
	for _, f := range p.Facilities {
		if !f.Open {
			sumF += f.FixedCost
		}
	}
	minW := math.Inf(1)
	for _, w := range p.Weights {
		if w > 0 {
			minW = math.Min(minW, w)
		}
	}
	u := 10*maxD + 1
	if sumF > 0 && !math.IsInf(minW, 1) {
		u += sumF / minW
	}
	return u
}

// openSites checks Result.Open and returns every facility's open flag (nil
// when the list is unusable).
func (c *checker) openSites(r *location.Result) []bool {
	p := c.p
	F := len(p.Facilities)
	open := make([]bool, F)
	cands := 0
	for i, f := range p.Facilities {
		open[i] = f.Open
		if !f.Open {
			cands++
		}
	}
	prev := -1
	for _, i := range r.Open {
		if i < 0 || i >= F {
			c.add(RuleStructure, -1, i, "new site outside 0..%d", F-1)
			return nil
		}
		switch {
		case p.Facilities[i].Open:
			c.add(RuleOpen, -1, i, "an existing outlet listed as a new site")
		case i == prev:
			c.add(RuleOpen, -1, i, "new site listed twice")
		case i < prev:
			c.add(RuleOpen, -1, i, "new sites not ascending (%d after %d)", i, prev)
		}
		open[i] = true
		prev = i
	}
	if p.Objective == location.PMedian || p.Objective == location.MaxCover {
		if want := min(p.P, cands); len(r.Open) != want {
			c.add(RuleCardinality, -1, -1, "%d new sites, want P = %d (of %d candidates)", len(r.Open), want, cands)
		}
	}
	return open
}

// listed returns the distance at which demand j lists facility i (the
// shortest when listed twice).
func (c *checker) listed(j, i int) (float64, bool) {
	d := &c.p.Dist
	best, ok := math.Inf(1), false
	for e := d.Start[j]; e < d.Start[j+1]; e++ {
		if int(d.Facility[e]) == i && d.Dist[e] < best {
			best, ok = d.Dist[e], true
		}
	}
	return best, ok
}

type part struct {
	f int
	w float64
}

// parts turns the result into (facility, weight) pieces per demand: the
// flows when there are any, the whole demand on Assign otherwise.
func (c *checker) parts(r *location.Result) [][]part {
	p := c.p
	n, F := len(p.Weights), len(p.Facilities)
	out := make([][]part, n)
	if r.Flows == nil {
		for j, f := range r.Assign {
			if f >= 0 {
				out[j] = append(out[j], part{f, p.Weights[j]})
			}
		}
		return out
	}
	for _, fl := range r.Flows {
		if fl.Demand < 0 || fl.Demand >= n || fl.Facility < 0 || fl.Facility >= F {
			c.add(RuleStructure, fl.Demand, fl.Facility, "flow outside the problem's demands or facilities")
			continue
		}
		if !(fl.Weight > 0) || math.IsInf(fl.Weight, 0) {
			c.add(RuleStructure, fl.Demand, fl.Facility, "flow weight %v, want finite > 0", fl.Weight)
			continue
		}
		out[fl.Demand] = append(out[fl.Demand], part{fl.Facility, fl.Weight})
	}
	return out
}

// assignment checks who serves whom and recomputes the assignment part of
// the objective into v.Cost (before fixed costs), v.Covered and v.Unserved.
func (c *checker) assignment(r *location.Result, open []bool, v Values) Values {
	p := c.p
	n, F := len(p.Weights), len(p.Facilities)
	if len(r.Assign) != n {
		c.add(RuleStructure, -1, -1, "Assign has %d entries, want one per demand (%d)", len(r.Assign), n)
		return v
	}
	for j, f := range r.Assign {
		if f < -1 || f >= F {
			c.add(RuleStructure, j, f, "Assign names a facility outside -1..%d", F-1)
			return v
		}
	}
	capped := false
	for _, f := range p.Facilities {
		capped = capped || f.Capacity > 0
	}
	if r.Flows != nil && (p.SingleSource || !capped) {
		c.add(RuleStructure, -1, -1, "Flows given for a problem without split demand (single-source or uncapacitated): Assign must carry it")
	}
	unit := func(d float64) float64 {
		if p.Objective == location.MaxCover || p.Objective == location.SetCover {
			if d <= p.Radius {
				return 0
			}
			return 1
		}
		return d
	}
	countCovered := p.Objective == location.MaxCover || p.Objective == location.SetCover || p.Radius > 0
	load := make([]float64, F)
	parts := c.parts(r)
	for j := 0; j < n; j++ {
		w := p.Weights[j]
		served, biggest := 0.0, 0.0
		for _, pt := range parts[j] {
			d, ok := c.listed(j, pt.f)
			switch {
			case !open[pt.f]:
				c.add(RuleAssignment, j, pt.f, "served by a facility that is not open")
				continue
			case !ok:
				c.add(RuleAssignment, j, pt.f, "served by a facility its row does not list")
				continue
			}
			served += pt.w
			load[pt.f] += pt.w
			biggest = math.Max(biggest, pt.w)
			v.Cost += pt.w * unit(d)
			if countCovered && d <= p.Radius {
				v.Covered += pt.w
			}
		}
		if !leq(served, w) {
			c.add(RuleWeight, j, -1, "served %v, more than its weight %v", served, w)
		}
		// Unserved weight is charged however small (the default charge can
		// be 10^13 per unit, so 10^-11 t left over is worth 100), except
		// what is only the rounding of w - Σ parts (a few ulps of w); where
		// it is charged, that rounding widens the cost tolerance (noise).
		rounding := 4 * ulp * float64(len(parts[j])+1) * w
		if left := w - served; left > rounding {
			v.Unserved += left
			if p.Objective == location.MaxCover || p.Objective == location.SetCover {
				v.Cost += left
			} else {
				v.Cost += left * v.UnservedCost
				c.noise += rounding * v.UnservedCost
			}
		}
		a := r.Assign[j]
		switch {
		case r.Flows != nil && w > 0 && len(parts[j]) == 0 && a != -1:
			c.add(RuleAssignment, j, a, "Assign names a facility but no flow serves the demand (want -1)")
		case r.Flows != nil && w > 0 && len(parts[j]) > 0 && !carries(parts[j], a, biggest):
			c.add(RuleAssignment, j, a, "Assign is not the facility carrying the largest part of the demand")
		case r.Flows != nil && w == 0 && a >= 0 && !open[a]:
			c.add(RuleAssignment, j, a, "zero-weight demand assigned to a facility that is not open")
		}
	}
	for i, f := range p.Facilities {
		if f.Capacity > 0 && !leq(load[i], f.Capacity) {
			c.add(RuleCapacity, -1, i, "load %v exceeds capacity %v", load[i], f.Capacity)
		}
	}
	return v
}

// carries reports whether facility a carries a part of weight biggest.
func carries(parts []part, a int, biggest float64) bool {
	got := 0.0
	for _, pt := range parts {
		if pt.f == a {
			got += pt.w
		}
	}
	return got > 0 && leq(biggest, got)
}

// objective completes the cost from v.Cost, the assignment part (uncovered
// weight for MaxCover and SetCover), compares it, Covered and Unserved with
// the reported values and returns it.
func (c *checker) objective(r *location.Result, v Values) float64 {
	p := c.p
	total := 0.0
	for _, w := range p.Weights {
		total += w
	}
	cost := v.Cost
	switch p.Objective {
	case location.FacilityLocation:
		for _, i := range r.Open {
			cost += p.Facilities[i].FixedCost
		}
	case location.MaxCover:
		cost = v.Covered
	case location.SetCover:
		allZero := true
		for _, f := range p.Facilities {
			if !f.Open && f.FixedCost > 0 {
				allZero = false
			}
		}
		cost = 0
		for _, i := range r.Open {
			if allZero {
				cost++
			} else {
				cost += p.Facilities[i].FixedCost
			}
		}
		tgt := p.CoverTarget
		if tgt == 0 {
			tgt = 1
		}
		if r.Status != solver.Infeasible && !leq(tgt*total, v.Covered) {
			c.add(RuleTarget, -1, -1, "covered %v, below the target %v (%.4g of %v)", v.Covered, tgt*total, tgt, total)
		}
	}
	if r.Status == solver.Infeasible && p.Objective != location.SetCover {
		c.add(RuleStatus, -1, -1, "status infeasible: only SetCover can be infeasible (every demand may stay unserved)")
	}
	if math.Abs(cost-r.Cost) > c.noise && !near(cost, r.Cost) {
		c.add(RuleCost, -1, -1, "reported cost %v, recomputed %v", r.Cost, cost)
	}
	if !near(v.Covered, r.Covered) {
		c.add(RuleCovered, -1, -1, "reported covered weight %v, recomputed %v", r.Covered, v.Covered)
	}
	if !near(v.Unserved, r.Unserved) {
		c.add(RuleUnserved, -1, -1, "reported unserved weight %v, recomputed %v", r.Unserved, v.Unserved)
	}
	return cost
}

// bound checks Bound, Gap, HasBound and an Optimal status against the
// reported cost (already compared with the recomputed one).
func (c *checker) bound(r *location.Result) {
	p := c.p
	if math.IsNaN(r.Bound) || math.IsInf(r.Bound, 0) || math.IsNaN(r.Gap) || r.Gap < 0 {
		c.add(RuleBound, -1, -1, "bound %v and gap %v: want finite values, gap >= 0", r.Bound, r.Gap)
		return
	}
	if !r.HasBound {
		if r.Bound != 0 || r.Gap != 0 {
			c.add(RuleBound, -1, -1, "no bound (HasBound false) but bound %v and gap %v, want 0 and 0", r.Bound, r.Gap)
		}
		if r.Status == solver.Optimal {
			c.add(RuleStatus, -1, -1, "status optimal without a bound")
		}
		return
	}
	if p.Objective == location.MaxCover {
		if !leq(r.Cost, r.Bound) {
			c.add(RuleBound, -1, -1, "upper bound %v below the covered weight %v", r.Bound, r.Cost)
		}
	} else if !leq(r.Bound, r.Cost) {
		c.add(RuleBound, -1, -1, "lower bound %v above the cost %v", r.Bound, r.Cost)
	}
	gap := 0.0
	if r.Cost != 0 || r.Bound != 0 {
		gap = math.Abs(r.Cost-r.Bound) / math.Max(math.Abs(r.Cost), 1e-12)
	}
	if math.Abs(gap-r.Gap) > Tolerance*math.Max(1, gap) {
		c.add(RuleBound, -1, -1, "gap %v, recomputed %v from cost %v and bound %v", r.Gap, gap, r.Cost, r.Bound)
	}
	if r.Status == solver.Optimal && gap > 1e-6 {
		c.add(RuleStatus, -1, -1, "status optimal with a gap of %.3g", gap)
	}
}
