package routing_test

import (
	"context"
	"fmt"

	"github.com/rlplan/rlplan/solver/routing"
)

// A plant at location 0 sends trucks holding 2 packs to collect 3 packs at
// outlets 1-3; outlet 3 only accepts visits in [0, 15].
func ExampleSolve() {
	d := [][]float64{
		{0, 10, 10, 5},
		{10, 0, 3, 12},
		{10, 3, 0, 12},
		{5, 12, 12, 0},
	}
	p := &routing.Problem{
		Distance: d,
		Vehicles: []routing.VehicleType{{ID: "truck", Capacity: []int64{2}, CostPerDistance: 1, FixedCost: 100}},
		Jobs: []routing.Job{
			{ID: "outlet-1", Location: 1, Amount: []int64{1}},
			{ID: "outlet-2", Location: 2, Amount: []int64{1}},
			{ID: "outlet-3", Location: 3, Amount: []int64{1}, Windows: []routing.TimeWindow{{Open: 0, Close: 15}}},
		},
	}
	// Three jobs: small enough to be solved exactly (solver.Optimal, with a bound).
	res, err := routing.Solve(context.Background(), p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Routes {
		fmt.Printf("truck %d: jobs %v, distance %g, load %v\n", r.Vehicle, r.Jobs, r.Distance, r.Load)
	}
	fmt.Printf("cost %g, bound %g, gap %g, %d unserved, %v\n", res.Cost, res.Bound, res.Gap, len(res.Unserved), res.Status)
	// Output:
	// truck 0: jobs [1 0], distance 23, load [2]
	// truck 1: jobs [2], distance 10, load [1]
	// cost 233, bound 233, gap 0, 0 unserved, optimal
}

// A truck holding 2 makes two trips from the plant (location 0), unloading
// for 5 between them; LayOut lays out its day from 8 (the solver's own
// forward pass: c is reached at 58, inside its window, and the truck is back
// at 80) and names the first limit a day breaks.
func ExampleProblem_LayOut() {
	p := &routing.Problem{
		Distance: [][]float64{{0, 10, 10, 20}, {10, 0, 1, 30}, {10, 1, 0, 30}, {20, 30, 30, 0}},
		Vehicles: []routing.VehicleType{{ID: "truck", Capacity: []int64{2}, ShiftStart: 8, ShiftEnd: 80, MaxTrips: 2, ReloadTime: 5, CostPerDistance: 1}},
		Jobs: []routing.Job{
			{ID: "a", Location: 1, Amount: []int64{1}, Service: 2},
			{ID: "b", Location: 2, Amount: []int64{1}, Service: 2},
			{ID: "c", Location: 3, Amount: []int64{2}, Service: 2, Windows: []routing.TimeWindow{{Open: 50, Close: 60}}},
		},
	}
	day := [][]routing.Visit{{{Job: 0}, {Job: 1}}, {{Job: 2}}}
	r, err := p.LayOut(0, day, 8)
	for k, tr := range r.Trips {
		fmt.Printf("trip %d: leaves %g, back %g, %g km, load %v\n", k+1, tr.Depart, tr.Return, tr.Distance, tr.Load)
	}
	fmt.Println("arrivals", r.Arrival, "starts", r.Start, err)
	p.Vehicles[0].ShiftEnd = 70
	_, err = p.LayOut(0, day, 8)
	fmt.Println(err)
	// Output:
	// trip 1: leaves 8, back 33, 21 km, load [2]
	// trip 2: leaves 38, back 80, 40 km, load [2]
	// arrivals [18 21 58] starts [18 21 58] <nil>
	// routing: trip 2: shift_end broken: 80 against 70
}

// A Plan edits a set of routes job by job with the solver's own insertion
// and local search: here two pickups, then a third that goes on as a
// second trip of the truck already out rather than on a second truck.
func ExamplePlan() {
	p := &routing.Problem{
		Distance: [][]float64{{0, 10, 10, 20}, {10, 0, 1, 30}, {10, 1, 0, 30}, {20, 30, 30, 0}},
		Vehicles: []routing.VehicleType{{ID: "truck", Count: 2, Capacity: []int64{2}, MaxTrips: 2, ReloadTime: 5, FixedCost: 100, CostPerDistance: 1}},
		Jobs: []routing.Job{
			{ID: "a", Location: 1, Amount: []int64{1}},
			{ID: "b", Location: 2, Amount: []int64{1}},
			{ID: "c", Location: 3, Amount: []int64{2}},
		},
	}
	m, err := routing.NewModel(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	plan := m.NewPlan(1)
	for j := range p.Jobs {
		ins, ok := plan.BestInsertion(j)
		fmt.Printf("insert %s: +%g, %v\n", p.Jobs[j].ID, ins.Cost(), ok && plan.Insert(ins))
	}
	for _, r := range plan.Routes() {
		fmt.Printf("truck %d: jobs %v in %d trips, cost %g\n", r.Vehicle, r.Jobs, len(r.Trips), r.Cost)
	}
	// Output:
	// insert a: +120, true
	// insert b: +1, true
	// insert c: +40, true
	// truck 0: jobs [2 1 0] in 2 trips, cost 161
}
