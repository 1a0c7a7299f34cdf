package validate

import (
	"errors"
	"testing"

	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/periodic"
)

func smallPeriodic() *periodic.Problem {
	return &periodic.Problem{
		Days:     2,
		Distance: square(),
		Vehicles: []routing.VehicleType{{ID: "truck", Count: 1, Capacity: []int64{10}, CostPerDistance: 1}},
		Jobs: []periodic.Job{
			{Job: routing.Job{ID: "a", Location: 1, Amount: []int64{4}}, Patterns: []uint32{0b11}},
			{Job: routing.Job{ID: "b", Location: 2, Amount: []int64{4}}, Patterns: []uint32{0b01, 0b10}},
			{Job: routing.Job{ID: "c", Location: 3, Amount: []int64{4}}, Patterns: []uint32{0b01, 0b10}},
		},
	}
}

// Day 1: a, b (3+4+5 = 12); day 2: a, c (3+5+4 = 12).
func smallPeriodicResult(p *periodic.Problem) *periodic.Result {
	return BuildPeriodic(p, []uint32{0b11, 0b01, 0b10}, [][]routing.Route{
		{{Type: 0, Vehicle: 0, Jobs: []int{0, 1}}},
		{{Type: 0, Vehicle: 0, Jobs: []int{0, 2}}},
	})
}

func TestCheckPeriodicHandChecked(t *testing.T) {
	p := smallPeriodic()
	r := smallPeriodicResult(p)
	if r.Cost != 24 || r.Distance != 24 {
		t.Fatalf("cost %g distance %g, want 24 24", r.Cost, r.Distance)
	}
	if err := CheckPeriodic(p, r); err != nil {
		t.Fatal(err)
	}
	if got := PatternOf(r.Days, 0); got != 0b11 {
		t.Errorf("PatternOf(a) = %b, want 11", got)
	}
	if tot := RecomputePeriodic(p, r); tot.Cost != 24 || tot.Routes != 2 {
		t.Errorf("RecomputePeriodic = %+v", tot)
	}
}

func TestCheckPeriodicDetects(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(p *periodic.Problem, r *periodic.Result)
		want   Rule
	}{
		{"pattern not allowed", func(p *periodic.Problem, r *periodic.Result) {
			*r = *BuildPeriodic(p, []uint32{0b11, 0b11, 0b10}, [][]routing.Route{
				{{Type: 0, Vehicle: 0, Jobs: []int{0, 1}}},
				{{Type: 0, Vehicle: 0, Jobs: []int{0, 1, 2}}},
			})
		}, RulePattern},
		{"visited on the wrong day", func(p *periodic.Problem, r *periodic.Result) {
			*r = *BuildPeriodic(p, []uint32{0b11, 0b01, 0b10}, [][]routing.Route{
				{{Type: 0, Vehicle: 0, Jobs: []int{0}}},
				{{Type: 0, Vehicle: 0, Jobs: []int{0, 1, 2}}},
			})
		}, RuleCoverage},
		{"twice on one day", func(p *periodic.Problem, r *periodic.Result) {
			*r = *BuildPeriodic(p, []uint32{0b11, 0b01, 0b10}, [][]routing.Route{
				{{Type: 0, Vehicle: 0, Jobs: []int{0, 1, 0}}},
				{{Type: 0, Vehicle: 0, Jobs: []int{0, 2}}},
			})
		}, RuleCoverage},
		{"fleet per day", func(p *periodic.Problem, r *periodic.Result) {
			*r = *BuildPeriodic(p, []uint32{0b11, 0b01, 0b10}, [][]routing.Route{
				{{Type: 0, Vehicle: 0, Jobs: []int{0}}, {Type: 0, Vehicle: 1, Jobs: []int{1}}},
				{{Type: 0, Vehicle: 0, Jobs: []int{0, 2}}},
			})
		}, RuleFleet},
		{"capacity on a day", func(p *periodic.Problem, r *periodic.Result) {
			p.Vehicles[0].Capacity = []int64{7}
		}, RuleCapacity},
		{"cost", func(p *periodic.Problem, r *periodic.Result) { r.Cost = 23 }, RuleCost},
		{"pattern bits beyond the period", func(p *periodic.Problem, r *periodic.Result) {
			p.Jobs[0].Patterns = append(p.Jobs[0].Patterns, 0b111)
			r.Patterns[0] = 0b111
		}, RulePattern},
		{"unserved with a pattern", func(p *periodic.Problem, r *periodic.Result) {
			r.Unserved = []routing.Unserved{{Job: 1, Reason: routing.ReasonFleetSize}}
		}, RulePattern},
		{"too many days", func(p *periodic.Problem, r *periodic.Result) {
			r.Days = append(r.Days, nil)
		}, RuleStructure},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := smallPeriodic()
			r := smallPeriodicResult(p)
			tc.mutate(p, r)
			var ve *Error
			err := CheckPeriodic(p, r)
			if !errors.As(err, &ve) || !ve.Has(tc.want) {
				t.Fatalf("CheckPeriodic = %v, want rule %s", err, tc.want)
			}
		})
	}
}
