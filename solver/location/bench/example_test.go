package bench_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/rlplan/rlplan/solver/location"
	"github.com/rlplan/rlplan/solver/location/bench"
)

// A four-vertex pmedinfo graph (a path 1-2-3-4 with a listed-twice edge) and
// its 1-median.
func ExampleReadPMed() {
	in := " 4 4 1 \n 1 2 3 \n 2 3 1 \n 3 4 2 \n 1 2 1 \n"
	inst, err := bench.ReadPMed(strings.NewReader(in), "tiny.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("d(1,4) =", inst.Dist[0][3]) // 1 (last 1-2 cost) + 1 + 2
	res, _ := location.Solve(context.Background(), inst.Problem(), &location.Settings{MaxIterations: 10})
	fmt.Printf("median %v, cost %.0f, %v\n", res.Open, res.Cost, res.Status)
	// Output:
	// d(1,4) = 4
	// median [1], cost 5, optimal
}

// A two-warehouse capinfo template, read as a token stream and solved
// capacitated (split demand) at capacity 5.
func ExampleReadCap() {
	in := "2 2\ncapacity 10.\ncapacity 1.\n4\n8. 20.\n4\n40. 4.\n"
	c, err := bench.ReadCap(strings.NewReader(in), "tiny.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := c.Problem(true, 5)
	res, _ := location.Solve(context.Background(), p, &location.Settings{MaxIterations: 10})
	fmt.Printf("open %v, cost %.0f\n", res.Open, res.Cost)
	// Output:
	// open [0 1], cost 23
}
