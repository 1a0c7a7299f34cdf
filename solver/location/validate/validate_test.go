package validate_test

import (
	"math"
	"slices"
	"testing"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
	"github.com/rlplan/rlplan/solver/location/validate"
)

// capProblem is a hand-checked capacitated facility-location instance:
// demands of weight 4, 3 and 5 at km 0, 1 and 5 of a road; an outlet
// already open at km 0 (capacity 6) and two candidates at km 1 (fixed cost
// 10, capacity 4) and km 5 (fixed cost 20, capacity 10).
func capProblem() *location.Problem {
	pos := []float64{0, 1, 5}
	m := make([][]float64, 3)
	for j, x := range pos {
		for _, f := range pos {
			m[j] = append(m[j], math.Abs(x-f))
		}
	}
	return &location.Problem{
		Objective: location.FacilityLocation,
		Weights:   []float64{4, 3, 5},
		Facilities: []location.Facility{
			{Open: true, Capacity: 6},
			{FixedCost: 10, Capacity: 4},
			{FixedCost: 20, Capacity: 10},
		},
		Dist:         location.DenseDistances(m, math.Inf(1)),
		UnservedCost: 100,
	}
}

// goodResult opens the site at km 5: demand 0 and demand 1 at the outlet
// (4·0 + 2·1 = 2, and 1 unit of demand 1 to km 5 at 4 km = 4), demand 2 at
// km 5 (0): assignment 6, fixed 20, cost 26. A hand-computed feasible
// answer, not necessarily optimal; its bound 20 is below the cost.
func goodResult() *location.Result {
	return &location.Result{
		Open:   []int{2},
		Assign: []int{0, 0, 2},
		Flows: []location.Flow{
			{Demand: 0, Facility: 0, Weight: 4},
			{Demand: 1, Facility: 0, Weight: 2},
			{Demand: 1, Facility: 2, Weight: 1},
			{Demand: 2, Facility: 2, Weight: 5},
		},
		Cost:     26,
		Bound:    20,
		Gap:      6.0 / 26,
		HasBound: true,
		Status:   solver.IterationLimit,
	}
}

func TestCheckAcceptsAHandCheckedResult(t *testing.T) {
	v, err := validate.Recompute(capProblem(), goodResult())
	if err != nil {
		t.Fatal(err)
	}
	if v.Cost != 26 || v.Unserved != 0 || v.UnservedCost != 100 {
		t.Errorf("recomputed %+v, want cost 26, nothing unserved, unserved cost 100", v)
	}
}

// TestCheckRejects breaks the good result one rule at a time; each must be
// reported under its rule.
func TestCheckRejects(t *testing.T) {
	cases := []struct {
		name   string
		rule   validate.Rule
		mutate func(p *location.Problem, r *location.Result)
	}{
		{"flow to a closed site", validate.RuleAssignment, func(p *location.Problem, r *location.Result) {
			r.Flows[2].Facility = 1 // site at km 1 is not open
		}},
		{"over capacity", validate.RuleCapacity, func(p *location.Problem, r *location.Result) {
			r.Flows[1].Weight, r.Flows[2].Weight = 3, 0.0001 // outlet carries 7 > 6
			r.Flows = slices.Delete(r.Flows, 2, 3)
			r.Cost = 20 + 3
		}},
		{"served beyond weight", validate.RuleWeight, func(p *location.Problem, r *location.Result) {
			r.Flows[3].Weight = 6
		}},
		{"cost understated", validate.RuleCost, func(p *location.Problem, r *location.Result) { r.Cost = 25 }},
		{"fixed cost forgotten", validate.RuleCost, func(p *location.Problem, r *location.Result) {
			r.Cost, r.Gap = 6, 0 // what a solver that forgot the site's fixed cost would report
			r.Bound = 6
		}},
		{"unserved weight hidden", validate.RuleUnserved, func(p *location.Problem, r *location.Result) {
			r.Flows = r.Flows[:3] // demand 2 unserved: 5·100 charged
			r.Assign[2] = -1
			r.Cost = 20 + 6 - 0 + 500
			r.Gap = (r.Cost - 20) / r.Cost
		}},
		{"bound above cost", validate.RuleBound, func(p *location.Problem, r *location.Result) {
			r.Bound, r.Gap = 27, 1.0/26
		}},
		{"gap not matching", validate.RuleBound, func(p *location.Problem, r *location.Result) { r.Gap = 0.01 }},
		{"optimal with a gap", validate.RuleStatus, func(p *location.Problem, r *location.Result) { r.Status = solver.Optimal }},
		{"no bound but values", validate.RuleBound, func(p *location.Problem, r *location.Result) { r.HasBound = false }},
		{"existing outlet as new site", validate.RuleOpen, func(p *location.Problem, r *location.Result) {
			r.Open = []int{0, 2}
		}},
		{"site listed twice", validate.RuleOpen, func(p *location.Problem, r *location.Result) {
			r.Open = []int{2, 2}
			r.Cost += 20
			r.Gap = (r.Cost - 20) / r.Cost
		}},
		{"Assign not the largest part", validate.RuleAssignment, func(p *location.Problem, r *location.Result) {
			r.Assign[1] = 2 // 1 of demand 1's 3 units go to km 5, 2 to the outlet
		}},
		{"unlisted pair", validate.RuleAssignment, func(p *location.Problem, r *location.Result) {
			p.Dist = location.DenseDistances([][]float64{{0, 1, 5}, {1, 0, 4}, {5, 4, 0}}, 3) // demand 1 no longer lists km 5
		}},
		{"short Assign", validate.RuleStructure, func(p *location.Problem, r *location.Result) { r.Assign = r.Assign[:2] }},
		{"flow id out of range", validate.RuleStructure, func(p *location.Problem, r *location.Result) { r.Flows[0].Facility = 9 }},
		{"infeasible outside set cover", validate.RuleStatus, func(p *location.Problem, r *location.Result) {
			r.Status = solver.Infeasible
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, r := capProblem(), goodResult()
			c.mutate(p, r)
			err := validate.Check(p, r)
			if err == nil {
				t.Fatalf("accepted, want a %s violation", c.rule)
			}
			ve, ok := err.(*validate.Error)
			if !ok || !ve.Has(c.rule) {
				t.Fatalf("error %v, want a %s violation", err, c.rule)
			}
		})
	}
}

// TestCheckPMedianAndCover covers the rules of the other objectives: the
// cardinality of p-median, a single-source demand split, the SetCover
// target.
func TestCheckPMedianAndCover(t *testing.T) {
	p := capProblem()
	p.Objective = location.PMedian
	p.P = 1
	p.Facilities[0].Capacity, p.Facilities[1].Capacity, p.Facilities[2].Capacity = 0, 0, 0
	// Site at km 1: demand 0 to the outlet (0), demands 1 and 2 to km 1
	// (0 and 5·4 = 20).
	r := &location.Result{Open: []int{1}, Assign: []int{0, 1, 1}, Cost: 20, Bound: 20, HasBound: true, Status: solver.Optimal}
	if err := validate.Check(p, r); err != nil {
		t.Fatalf("hand-checked p-median result rejected: %v", err)
	}
	two := *r
	two.Open = []int{1, 2}
	two.Assign = []int{0, 1, 2}
	two.Cost, two.Bound = 0, 0
	if err := validate.Check(p, &two); err == nil || !err.(*validate.Error).Has(validate.RuleCardinality) {
		t.Errorf("two sites with P = 1: error %v, want cardinality", err)
	}

	// Single source: a split demand is not allowed to carry Flows.
	p = capProblem()
	p.SingleSource = true
	g := goodResult()
	if err := validate.Check(p, g); err == nil || !err.(*validate.Error).Has(validate.RuleStructure) {
		t.Errorf("flows on a single-source problem: error %v, want structure", err)
	}

	// Set cover: radius 0.5 covers a demand only at its own place. Opening
	// km 5 covers demands 0 (outlet) and 2: 9 of 12, below a 0.9 target.
	p = capProblem()
	p.Objective = location.SetCover
	p.Radius, p.CoverTarget = 0.5, 0.9
	for i := range p.Facilities {
		p.Facilities[i].Capacity = 0
	}
	r = &location.Result{Open: []int{2}, Assign: []int{0, 0, 2}, Cost: 20, Covered: 9, Bound: 20, HasBound: true, Status: solver.Optimal}
	if err := validate.Check(p, r); err == nil || !err.(*validate.Error).Has(validate.RuleTarget) {
		t.Errorf("9 of 12 covered with target 0.9: error %v, want target", err)
	}
	r.Status, r.Bound, r.Gap, r.HasBound = solver.Infeasible, 0, 0, false
	if err := validate.Check(p, r); err != nil {
		t.Errorf("the same cover reported infeasible is consistent: %v", err)
	}
}
