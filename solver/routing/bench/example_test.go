package bench_test

import (
	"fmt"

	"github.com/rlplan/rlplan/solver/routing/bench"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

// A CVRPLIB instance and its published solution, re-scored by the
// validator.
func ExampleReadCVRP() {
	p, err := bench.ReadCVRP("testdata/tiny.vrp")
	if err != nil {
		fmt.Println(err)
		return
	}
	sol, err := bench.ReadCVRPSolution("testdata/tiny.sol", p)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := validate.Build(p, sol.Routes)
	fmt.Printf("%d jobs, %d routes, cost %g (file says %g), check: %v\n", len(p.Jobs), len(r.Routes), r.Cost, sol.Cost, validate.Check(p, r))
	// Output:
	// 3 jobs, 2 routes, cost 20 (file says 20), check: <nil>
}
