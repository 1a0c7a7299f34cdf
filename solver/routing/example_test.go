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
