package periodic_test

import (
	"context"
	"fmt"
	"math"

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

// A plant's week in small: two days, a light truck (4.5 t, up to three trips
// a day) and a 10 t truck (up to two), both with 30 minutes of unloading
// between trips and a shift from 08:00 to 18:00 (minutes after midnight;
// distances in km, one minute per km). A hub holds 12 t, more than the
// light truck takes: it is collected in pieces (split pickup) on day 1;
// outlet A is emptied every day; B and C once, on either day.
func ExampleSolve_week() {
	d := [][]float64{
		// plant, A, B, C, hub
		{0, 30, 32, 20, 40},
		{30, 0, 4, 45, 70},
		{32, 4, 0, 48, 72},
		{20, 45, 48, 0, 35},
		{40, 70, 72, 35, 0},
	}
	open := []routing.TimeWindow{{Open: 9 * 60, Close: 17 * 60}}
	p := &periodic.Problem{
		Days:     2,
		Distance: d,
		Vehicles: []routing.VehicleType{
			{ID: "light", Count: 1, Capacity: []int64{4500, 14}, ShiftStart: 8 * 60, ShiftEnd: 18 * 60,
				MaxTrips: 3, ReloadTime: 30, FixedCost: 600, CostPerDistance: 5},
			{ID: "truck", Count: 1, Capacity: []int64{10000, 33}, ShiftStart: 8 * 60, ShiftEnd: 18 * 60,
				MaxTrips: 2, ReloadTime: 30, FixedCost: 900, CostPerDistance: 8},
		},
		Jobs: []periodic.Job{
			{Job: routing.Job{ID: "A", Location: 1, Amount: []int64{2000, 6}, Service: 23, FixedService: 20, Windows: open}, Patterns: []uint32{0b11}},
			{Job: routing.Job{ID: "B", Location: 2, Amount: []int64{1500, 5}, Service: 22.5, FixedService: 20, Windows: open}, Patterns: []uint32{0b01, 0b10}},
			{Job: routing.Job{ID: "C", Location: 3, Amount: []int64{3000, 9}, Service: 24.5, FixedService: 20, Windows: open}, Patterns: []uint32{0b01, 0b10}},
			{Job: routing.Job{ID: "hub", Location: 4, Amount: []int64{12000, 30}, Service: 35, FixedService: 20, Windows: open, Splittable: true}, Patterns: []uint32{0b01}},
		},
	}
	res, err := periodic.Solve(context.Background(), p, &periodic.Settings{MaxIterations: 20, RoutingIterations: 500, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for d, routes := range res.Days {
		for _, r := range routes {
			fmt.Printf("day %d, %s:\n", d+1, p.Vehicles[r.Type].ID)
			for k, tr := range r.Trips {
				fmt.Printf("  trip %d %s-%s:", k+1, clock(tr.Depart), clock(tr.Return))
				for i := tr.From; i < tr.To; i++ {
					fmt.Printf(" %s %d kg", p.Jobs[r.Jobs[i]].ID, r.Amounts[i][0])
				}
				fmt.Println()
			}
		}
	}
	fmt.Printf("cost %g, %d unserved, %v\n", res.Cost, len(res.Unserved), res.Status)
	// The 10 t truck takes the hub's three pieces of 4 t on day 1, two on a
	// first trip and one with C and A after unloading; the light truck
	// does B and A on day 2. A piece takes the fixed 20 minutes plus its
	// third of the rest: each visit is planned as a stop of its own.
	// Output:
	// day 1, truck:
	//   trip 1 08:20-10:30: hub 4000 kg hub 4000 kg
	//   trip 2 11:00-14:43: hub 4000 kg C 3000 kg A 2000 kg
	// day 2, light:
	//   trip 1 08:28-10:20: B 1500 kg A 2000 kg
	// cost 3670, 0 unserved, iteration_limit
}

func clock(min float64) string {
	m := int(math.Round(min))
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}
