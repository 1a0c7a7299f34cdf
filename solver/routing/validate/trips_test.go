package validate

import (
	"errors"
	"testing"

	"github.com/rlplan/rlplan/solver/routing"
)

// clusters: a plant (0), outlets 1 and 2 10 away (1 apart), 3 and 4 20 away
// (1 apart); one truck holding 2 that makes up to two trips with 5 of
// reload; outlet 4's job (6 units) may be split.
func clusters() *routing.Problem {
	return &routing.Problem{
		Distance: [][]float64{
			{0, 10, 10, 20, 20},
			{10, 0, 1, 30, 30},
			{10, 1, 0, 30, 30},
			{20, 30, 30, 0, 1},
			{20, 30, 30, 1, 0},
		},
		Vehicles: []routing.VehicleType{{ID: "truck", Count: 1, Capacity: []int64{4}, ShiftEnd: 100,
			MaxTrips: 2, ReloadTime: 5, FixedCost: 100, CostPerDistance: 1}},
		Jobs: []routing.Job{
			{ID: "a", Location: 1, Amount: []int64{2}},
			{ID: "b", Location: 2, Amount: []int64{2}},
			{ID: "c", Location: 3, Amount: []int64{1}},
			{ID: "d", Location: 4, Amount: []int64{6}, Service: 6, FixedService: 2, Splittable: true},
		},
	}
}

// twoTrips is the hand-checked day: 0-1-2-0 (leave 0, 10, 11, back 21),
// reload 5, 0-3-4-0 (leave 26, 46, 47 + 2 + 4*3/6 = 51, back 71) with 3
// of d's 6 units; the other 3 are left for fleet_size. Cost 100 + 21 + 41.
func twoTrips() *routing.Result {
	rt := routing.Route{
		Type: 0, Vehicle: 0, Jobs: []int{0, 1, 2, 3},
		Amounts: [][]int64{{2}, {2}, {1}, {3}},
		Arrival: []float64{10, 11, 46, 47}, Start: []float64{10, 11, 46, 47},
		Trips: []routing.Trip{
			{From: 0, To: 2, Depart: 0, Return: 21, Distance: 21, Load: []int64{4}},
			{From: 2, To: 4, Depart: 26, Return: 71, Distance: 41, Load: []int64{4}},
		},
		Depart: 0, Return: 71, Distance: 62, Duration: 71, Load: []int64{8}, Cost: 162,
	}
	return &routing.Result{Routes: []routing.Route{rt}, Cost: 162, Distance: 62,
		Unserved: []routing.Unserved{{Job: 3, Reason: routing.ReasonFleetSize, Amount: []int64{3}}}}
}

func TestTripsHandChecked(t *testing.T) {
	p, r := clusters(), twoTrips()
	if err := Check(p, r); err != nil {
		t.Fatalf("valid day rejected: %v", err)
	}
	if tot := Recompute(p, r); tot.Cost != 162 || tot.Distance != 62 || tot.Mandatory != 1 {
		t.Errorf("Recompute = %+v, want cost 162, distance 62, one mandatory left", tot)
	}
}

func TestTripsDetected(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(p *routing.Problem, r *routing.Result)
		want   Rule
	}{
		{"reload cut short", func(p *routing.Problem, r *routing.Result) {
			p.Vehicles[0].ReloadTime = 6
		}, RuleTrips},
		{"trips overlap", func(p *routing.Problem, r *routing.Result) {
			tr := &r.Routes[0].Trips[1]
			tr.Depart = 15 // before the first trip is back at 21
		}, RuleTrips},
		{"too many trips", func(p *routing.Problem, r *routing.Result) {
			p.Vehicles[0].MaxTrips = 1
		}, RuleTrips},
		{"first trip not at the route's departure", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Trips[0].Depart = 1
		}, RuleTrips},
		{"route return not the last trip's", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Return = 80
			r.Routes[0].Duration = 80
		}, RuleTrips},
		{"trip back too early", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Trips[0].Return = 20
		}, RuleTimeWindow},
		{"second trip leaves from Start, not End", func(p *routing.Problem, r *routing.Result) {
			p.Vehicles[0].End = 1 // then trip 2 starts at 1: 30 to outlet 3
		}, RuleTimeWindow},
		{"trip over capacity", func(p *routing.Problem, r *routing.Result) {
			p.Vehicles[0].Capacity = []int64{3}
		}, RuleCapacity},
		{"trip load misreported", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Trips[1].Load = []int64{3}
		}, RuleLoad},
		{"trip distance misreported", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Trips[0].Distance = 20
		}, RuleDistance},
		{"piece service too short", func(p *routing.Problem, r *routing.Result) {
			p.Jobs[3].FixedService = 4 // 4 + 2*3/6 = 5: back at 47+5+20 = 72
		}, RuleTimeWindow},
		{"job not splittable", func(p *routing.Problem, r *routing.Result) {
			p.Jobs[3].Splittable = false
		}, RuleSplit},
		{"unserved amount wrong", func(p *routing.Problem, r *routing.Result) {
			r.Unserved[0].Amount = []int64{2}
		}, RuleSplit},
		{"rest not listed", func(p *routing.Problem, r *routing.Result) {
			r.Unserved = nil
		}, RuleCoverage},
		{"piece collects nothing", func(p *routing.Problem, r *routing.Result) {
			rt := &r.Routes[0]
			rt.Amounts[3] = []int64{0}
			rt.Trips[1].Load = []int64{1}
			rt.Load = []int64{5}
			r.Unserved[0].Amount = []int64{6}
		}, RuleSplit},
		{"pieces collect more than the job", func(p *routing.Problem, r *routing.Result) {
			p.Jobs[3].Amount = []int64{2}
			r.Unserved = nil
		}, RuleSplit},
		{"trips do not cover the visits", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Trips[1].To = 3
		}, RuleStructure},
		{"amounts missing", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Amounts = nil
		}, RuleStructure},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, r := clusters(), twoTrips()
			tc.mutate(p, r)
			err := Check(p, r)
			var ve *Error
			if !errors.As(err, &ve) || !ve.Has(tc.want) {
				t.Fatalf("Check = %v, want rule %s", err, tc.want)
			}
		})
	}
}
