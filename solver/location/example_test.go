package location_test

import (
	"context"
	"fmt"
	"math"

	"github.com/rlplan/rlplan/solver/location"
)

// line returns demands at 0,1,...,n-1 km on a road and facilities at the
// given positions, every pair listed.
func line(n int, sites []float64) location.Distances {
	m := make([][]float64, n)
	for j := range m {
		for _, s := range sites {
			m[j] = append(m[j], math.Abs(float64(j)-s))
		}
	}
	return location.DenseDistances(m, math.Inf(1))
}

// Six towns on a road, an outlet already at km 0, three candidate sites:
// one new site should go to the far end.
func ExampleSolve() {
	p := &location.Problem{
		Objective: location.PMedian,
		Weights:   []float64{1, 1, 1, 1, 1, 1},
		Facilities: []location.Facility{
			{Open: true}, // existing outlet at km 0
			{},           // candidate at km 2
			{},           // candidate at km 4
			{},           // candidate at km 5
		},
		Dist: line(6, []float64{0, 2, 4, 5}),
		P:    1,
	}
	res, err := location.Solve(context.Background(), p, &location.Settings{MaxIterations: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("open:", res.Open, "assign:", res.Assign)
	fmt.Printf("cost %.0f, bound %.0f, %v\n", res.Cost, res.Bound, res.Status)
	// Output:
	// open: [2] assign: [0 0 0 2 2 2]
	// cost 5, bound 5, optimal
}

// Maximal covering: with a 1 km radius, which single new site covers the
// most weight not already near the outlet at km 0?
func ExampleSolve_maxCover() {
	p := &location.Problem{
		Objective:  location.MaxCover,
		Weights:    []float64{5, 5, 1, 3, 3, 1},
		Facilities: []location.Facility{{Open: true}, {}, {}, {}},
		Dist:       line(6, []float64{0, 2, 4, 5}),
		P:          1,
		Radius:     1,
	}
	res, _ := location.Solve(context.Background(), p, &location.Settings{MaxIterations: 10})
	fmt.Println("open:", res.Open)
	fmt.Printf("covered %.0f of 18, upper bound %.0f, %v\n", res.Cost, res.Bound, res.Status)
	// Output:
	// open: [2]
	// covered 17 of 18, upper bound 17, optimal
}

// Capacitated facility location with split demand: the cheap site can take
// only 6 of the 8 units, so the expensive uncapacitated one opens too and
// demand 1 is split between them.
func ExampleSolve_capacitated() {
	p := &location.Problem{
		Objective: location.FacilityLocation,
		Weights:   []float64{4, 4},
		Facilities: []location.Facility{
			{FixedCost: 1, Capacity: 6},  // at km 0
			{FixedCost: 10, Capacity: 0}, // at km 5, uncapacitated
		},
		Dist: location.DenseDistances([][]float64{{0, 5}, {1, 4}}, math.Inf(1)),
	}
	res, _ := location.Solve(context.Background(), p, &location.Settings{MaxIterations: 10})
	fmt.Println("open:", res.Open)
	for _, f := range res.Flows {
		fmt.Printf("demand %d -> facility %d: %.0f\n", f.Demand, f.Facility, f.Weight)
	}
	fmt.Printf("cost %.0f\n", res.Cost)
	// Output:
	// open: [0 1]
	// demand 0 -> facility 0: 4
	// demand 1 -> facility 0: 2
	// demand 1 -> facility 1: 2
	// cost 21
}

// Set cover: fewest new sites so that every town is within 1 km of an
// outlet. Town 2 needs the site at km 2; towns 4 and 5 need one more.
func ExampleSolve_setCover() {
	p := &location.Problem{
		Objective:  location.SetCover,
		Weights:    []float64{1, 1, 1, 1, 1, 1},
		Facilities: []location.Facility{{Open: true}, {}, {}, {}},
		Dist:       line(6, []float64{0, 2, 4, 5}),
		Radius:     1,
	}
	res, _ := location.Solve(context.Background(), p, &location.Settings{MaxIterations: 10})
	fmt.Println("open:", res.Open)
	fmt.Printf("sites %.0f, covered %.0f, bound %.0f, %v\n", res.Cost, res.Covered, res.Bound, res.Status)
	// Output:
	// open: [1 2]
	// sites 2, covered 6, bound 2, optimal
}
