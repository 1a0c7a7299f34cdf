package validate_test

import (
	"fmt"

	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

// Build scores a visiting order with the validator's own arithmetic; Check
// then lists every broken rule of a result, here a load over capacity and a
// claimed cost that does not match.
func ExampleCheck() {
	p := &routing.Problem{
		Distance: [][]float64{{0, 3, 4}, {3, 0, 5}, {4, 5, 0}},
		Vehicles: []routing.VehicleType{{ID: "truck", Count: 1, Capacity: []int64{10}, CostPerDistance: 1}},
		Jobs: []routing.Job{
			{ID: "a", Location: 1, Amount: []int64{6}},
			{ID: "b", Location: 2, Amount: []int64{6}},
		},
	}
	r := validate.Build(p, []routing.Route{{Type: 0, Vehicle: 0, Jobs: []int{0, 1}}})
	fmt.Printf("cost %g\n", r.Cost)
	r.Cost = 10
	err := validate.Check(p, r)
	for _, v := range err.(*validate.Error).Violations {
		fmt.Println(v)
	}
	// Output:
	// cost 12
	// capacity route 0: trip 1, dimension 0: load 12 exceeds capacity 10
	// cost: reported total cost 10.000000, recomputed 12.000000
}
