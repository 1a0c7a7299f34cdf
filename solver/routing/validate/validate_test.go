package validate

import (
	"errors"
	"math"
	"testing"

	"github.com/rlplan/rlplan/solver/routing"
)

// Locations: 0 depot (0,0), 1 (0,3), 2 (4,3), 3 (4,0). The tour 0-1-2-3-0
// is 3+4+3+4 = 14 long.
func square() [][]float64 {
	pts := [][2]float64{{0, 0}, {0, 3}, {4, 3}, {4, 0}}
	m := make([][]float64, len(pts))
	for i := range pts {
		m[i] = make([]float64, len(pts))
		for j := range pts {
			m[i][j] = math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1])
		}
	}
	return m
}

func smallProblem() *routing.Problem {
	return &routing.Problem{
		Distance: square(),
		Vehicles: []routing.VehicleType{
			{ID: "big", Count: 2, Capacity: []int64{10, 2}, ShiftEnd: 100, MaxDuration: 50, FixedCost: 100, CostPerDistance: 2, CostPerDuration: 0.5},
			{ID: "small", Count: 1, Capacity: []int64{5, 1}, ShiftEnd: 100, CostPerDistance: 1},
		},
		Jobs: []routing.Job{
			{ID: "a", Location: 1, Amount: []int64{4, 1}, Service: 1, Windows: []routing.TimeWindow{{Open: 0, Close: 10}}},
			{ID: "b", Location: 2, Amount: []int64{3, 0}, Service: 2, Windows: []routing.TimeWindow{{Open: 0, Close: 5}, {Open: 10, Close: 20}}},
			{ID: "c", Location: 3, Amount: []int64{2, 1}, Service: 1, AllowedTypes: []int{0}},
			{ID: "d", Location: 3, Amount: []int64{1, 0}, Penalty: 1000},
		},
	}
}

// smallResult is the hand-checked solution: big vehicle 0 visits a, b, c;
// d is left out for its penalty.
func smallResult(p *routing.Problem) *routing.Result {
	r := Build(p, []routing.Route{{Type: 0, Vehicle: 0, Jobs: []int{0, 1, 2}}})
	r.Unserved = []routing.Unserved{{Job: 3, Reason: routing.ReasonPenalty}}
	r.Cost += 1000
	return r
}

func TestBuildHandChecked(t *testing.T) {
	p := smallProblem()
	r := smallResult(p)
	rt := r.Routes[0]
	// Leaving at 0: a at 3, b at 8 waits for its second window (10), so
	// the departure slides by the 2 units of waiting: leave 2, a 5..6,
	// b 10..12, c 15..16, back 20. Duration 18.
	if rt.Depart != 2 || rt.Return != 20 || rt.Duration != 18 {
		t.Fatalf("depart/return/duration = %g/%g/%g, want 2/20/18", rt.Depart, rt.Return, rt.Duration)
	}
	wantArr, wantStart := []float64{5, 10, 15}, []float64{5, 10, 15}
	for i := range wantArr {
		if rt.Arrival[i] != wantArr[i] || rt.Start[i] != wantStart[i] {
			t.Errorf("visit %d: arrival %g start %g, want %g %g", i, rt.Arrival[i], rt.Start[i], wantArr[i], wantStart[i])
		}
	}
	if rt.Distance != 14 || rt.Load[0] != 9 || rt.Load[1] != 2 {
		t.Errorf("distance %g load %v, want 14 [9 2]", rt.Distance, rt.Load)
	}
	// 100 fixed + 2*14 + 0.5*18 = 137; plus the 1000 penalty.
	if rt.Cost != 137 || r.Cost != 1137 || r.Distance != 14 {
		t.Errorf("route cost %g total %g distance %g, want 137 1137 14", rt.Cost, r.Cost, r.Distance)
	}
	if err := Check(p, r); err != nil {
		t.Fatalf("valid result rejected: %v", err)
	}
	tot := Recompute(p, r)
	if tot.Cost != 1137 || tot.Routes != 1 || tot.Unserved != 1 || tot.Mandatory != 0 {
		t.Errorf("Recompute = %+v", tot)
	}
}

func TestCheckDetectsEveryRule(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(p *routing.Problem, r *routing.Result)
		want   Rule
	}{
		{"job dropped", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0] = BuildRoute(p, 0, 0, []int{0, 1})
		}, RuleCoverage},
		{"job twice", func(p *routing.Problem, r *routing.Result) {
			r.Routes = append(r.Routes, BuildRoute(p, 0, 1, []int{2}))
		}, RuleCoverage},
		{"routed and unserved", func(p *routing.Problem, r *routing.Result) {
			r.Unserved = append(r.Unserved, routing.Unserved{Job: 0, Reason: routing.ReasonCapacity})
		}, RuleCoverage},
		{"unserved twice", func(p *routing.Problem, r *routing.Result) {
			r.Unserved = append(r.Unserved, r.Unserved[0])
		}, RuleCoverage},
		{"disallowed type", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0] = BuildRoute(p, 0, 0, []int{0, 1})
			r.Routes = append(r.Routes, BuildRoute(p, 1, 0, []int{2}))
		}, RuleVehicleType},
		{"too many vehicles", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0] = BuildRoute(p, 1, 0, []int{0})
			r.Routes = append(r.Routes, BuildRoute(p, 1, 1, []int{1}), BuildRoute(p, 0, 0, []int{2}))
		}, RuleFleet},
		{"vehicle number reused", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0] = BuildRoute(p, 0, 0, []int{0, 1})
			r.Routes = append(r.Routes, BuildRoute(p, 0, 0, []int{2}))
		}, RuleFleet},
		{"capacity", func(p *routing.Problem, r *routing.Result) {
			p.Vehicles[0].Capacity = []int64{8, 2}
		}, RuleCapacity},
		{"second dimension capacity", func(p *routing.Problem, r *routing.Result) {
			p.Vehicles[0].Capacity = []int64{10, 1}
		}, RuleCapacity},
		{"load misreported", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Load = []int64{9, 1}
		}, RuleLoad},
		{"start outside windows", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Start[1] = 7
			r.Routes[0].Arrival[1] = 7
		}, RuleTimeWindow},
		{"arrival too early", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Arrival[0] = 4
			r.Routes[0].Start[0] = 4
		}, RuleTimeWindow},
		{"start before arrival", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Arrival[2] = 16
		}, RuleTimeWindow},
		{"window closes before arrival", func(p *routing.Problem, r *routing.Result) {
			p.Jobs[0].Windows = []routing.TimeWindow{{Open: 0, Close: 4}}
		}, RuleTimeWindow},
		{"return too early", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Return = 19
			r.Routes[0].Trips[0].Return = 19
			r.Routes[0].Duration = 17
			r.Routes[0].Cost -= 0.5
			r.Cost -= 0.5
		}, RuleTimeWindow},
		{"departs before shift", func(p *routing.Problem, r *routing.Result) {
			p.Vehicles[0].ShiftStart = 3
		}, RuleShift},
		{"returns after shift", func(p *routing.Problem, r *routing.Result) {
			p.Vehicles[0].ShiftEnd = 19
		}, RuleShift},
		{"max duration", func(p *routing.Problem, r *routing.Result) {
			p.Vehicles[0].MaxDuration = 17.5
		}, RuleMaxDuration},
		{"route distance", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Distance = 13
		}, RuleDistance},
		{"total distance", func(p *routing.Problem, r *routing.Result) {
			r.Distance = 14.001
		}, RuleDistance},
		{"asymmetric distance", func(p *routing.Problem, r *routing.Result) {
			p.Distance[1][2] = 5
		}, RuleDistance},
		{"duration", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Duration = 20
		}, RuleDuration},
		{"route cost", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Cost = 136
		}, RuleCost},
		{"total cost", func(p *routing.Problem, r *routing.Result) {
			r.Cost = 137 // penalty of d forgotten
		}, RuleCost},
		{"duration cost", func(p *routing.Problem, r *routing.Result) {
			p.Vehicles[0].CostPerDuration = 1
		}, RuleCost},
		{"job index", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Jobs = append(r.Routes[0].Jobs, 9)
		}, RuleStructure},
		{"type index", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Type = 2
		}, RuleStructure},
		{"schedule length", func(p *routing.Problem, r *routing.Result) {
			r.Routes[0].Start = r.Routes[0].Start[:2]
		}, RuleStructure},
		{"unknown reason", func(p *routing.Problem, r *routing.Result) {
			r.Unserved[0].Reason = "tired"
		}, RuleStructure},
		{"bad matrix", func(p *routing.Problem, r *routing.Result) {
			p.Distance[2] = p.Distance[2][:3]
		}, RuleStructure},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := smallProblem()
			r := smallResult(p)
			if err := Check(p, r); err != nil {
				t.Fatalf("before mutation: %v", err)
			}
			tc.mutate(p, r)
			err := Check(p, r)
			var ve *Error
			if !errors.As(err, &ve) {
				t.Fatalf("Check = %v, want an *Error with rule %s", err, tc.want)
			}
			if !ve.Has(tc.want) {
				t.Fatalf("Check found %v, want rule %s", err, tc.want)
			}
		})
	}
}

func TestCheckEmptyAndNil(t *testing.T) {
	p := smallProblem()
	if err := Check(p, nil); err == nil {
		t.Error("nil result accepted")
	}
	// Every job unserved with a reason is structurally valid; Complete
	// flags the mandatory ones.
	r := &routing.Result{Cost: 1000}
	for j := range p.Jobs {
		r.Unserved = append(r.Unserved, routing.Unserved{Job: j, Reason: routing.ReasonFleetSize})
	}
	if err := Check(p, r); err != nil {
		t.Errorf("all-unserved result: %v", err)
	}
	if err := Complete(r); err == nil {
		t.Error("Complete accepted unserved jobs")
	}
	if tot := Recompute(p, r); tot.Mandatory != 3 || tot.Cost != 1000 {
		t.Errorf("Recompute = %+v, want 3 mandatory, cost 1000", tot)
	}
}

func TestUnlimitedFleetAndDistinctEnd(t *testing.T) {
	p := smallProblem()
	p.Vehicles[0].Count = 0
	p.Vehicles[0].End = 3 // ends at location 3
	r := Build(p, []routing.Route{{Type: 0, Vehicle: 7, Jobs: []int{0}}, {Type: 0, Vehicle: 3, Jobs: []int{1, 2, 3}}})
	if err := Check(p, r); err != nil {
		t.Fatalf("%v", err)
	}
	// 0-1-3 = 3+5, 0-2-3-3 = 5+3+0+0.
	if r.Distance != 16 {
		t.Errorf("distance %g, want 16", r.Distance)
	}
}

func TestErrorMessageIsBounded(t *testing.T) {
	e := &Error{}
	for i := 0; i < 100; i++ {
		e.Violations = append(e.Violations, Violation{Rule: RuleCost, Day: -1, Route: i, Job: -1, Msg: "x"})
	}
	if s := e.Error(); len(s) > 1000 {
		t.Errorf("message of %d bytes", len(s))
	}
}
