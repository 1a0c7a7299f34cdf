package validate_test

import (
	"context"
	"fmt"

	"github.com/rlplan/rlplan/solver/location"
	"github.com/rlplan/rlplan/solver/location/validate"
)

// Check recomputes a result from the problem alone: here the solver's answer
// passes, and the same answer with a capacity exceeded and a cost
// understated does not.
func ExampleCheck() {
	p := capProblem()
	res, err := location.Solve(context.Background(), p, &location.Settings{MaxIterations: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("solver's answer:", validate.Check(p, res))

	bad := goodResult()
	bad.Flows[0].Weight = 4.5 // the outlet now carries 6.5 > 6, and demand 0 gets 4.5 > 4
	bad.Cost, bad.Gap = 25, 0.2
	for _, v := range validate.Check(p, bad).(*validate.Error).Violations {
		fmt.Println(v)
	}
	// Output:
	// solver's answer: <nil>
	// weight demand 0: served 4.5, more than its weight 4
	// capacity facility 0: load 6.5 exceeds capacity 6
	// cost: reported cost 25, recomputed 26
}
