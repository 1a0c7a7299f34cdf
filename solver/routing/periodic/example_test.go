package periodic_test

import (
	"context"
	"fmt"

	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/periodic"
)

// A plant (location 0) empties three outlets over a two-day period with one
// truck a day. The west outlet fills fast and is visited every day; the two
// east outlets once each, on either day: the planner puts them on the same
// day because they are next to each other.
func ExampleSolve() {
	d := [][]float64{
		{0, 10, 10, 11},
		{10, 0, 20, 21},
		{10, 20, 0, 1},
		{11, 21, 1, 0},
	}
	p := &periodic.Problem{
		Days:     2,
		Distance: d,
		Vehicles: []routing.VehicleType{{ID: "truck", Count: 1, Capacity: []int64{3}, CostPerDistance: 1}},
		Jobs: []periodic.Job{
			{Job: routing.Job{ID: "west", Location: 1, Amount: []int64{1}}, Patterns: []uint32{0b11}},
			{Job: routing.Job{ID: "east", Location: 2, Amount: []int64{1}}, Patterns: []uint32{0b01, 0b10}},
			{Job: routing.Job{ID: "far-east", Location: 3, Amount: []int64{1}}, Patterns: []uint32{0b01, 0b10}},
		},
	}
	res, err := periodic.Solve(context.Background(), p, &periodic.Settings{MaxIterations: 10, RoutingIterations: 200, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for d, routes := range res.Days {
		for _, r := range routes {
			fmt.Printf("day %d: jobs %v, distance %g\n", d+1, r.Jobs, r.Distance)
		}
	}
	fmt.Printf("cost %g\n", res.Cost)
	// Output:
	// day 1: jobs [2 1 0], distance 42
	// day 2: jobs [0], distance 20
	// cost 62
}
