package periodic_test

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rlplan/rlplan/solver/routing/bench"
	"github.com/rlplan/rlplan/solver/routing/periodic"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

var (
	pvrpOnly = flag.String("pvrp", "", "comma-separated pvrp instances for TestPVRPBench, or 'all'")
	pvrpTime = flag.Duration("pvrp-tl", 10*time.Second, "time limit per instance for TestPVRPBench")
	pvrpDir  = flag.String("pvrp-dir", "", "folder of the pvrp instances for TestPVRPBench (default: shared/bench/pvrp beside the checkout)")
)

// TestPVRPBench solves Cordeau PVRP instances and prints gaps; skipped
// unless -pvrp is given, e.g.
//
//	go test ./solver/routing/periodic -run TestPVRPBench -pvrp p03,p08 -pvrp-tl 30s -v
func TestPVRPBench(t *testing.T) {
	if *pvrpOnly == "" {
		t.Skip("set -pvrp to run")
	}
	dir := *pvrpDir
	if dir == "" {
		dir = benchDir()
	}
	insts, err := bench.List(bench.SetPVRP, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	sum, n := 0.0, 0
	for _, in := range insts {
		if *pvrpOnly != "all" && !strings.Contains(","+*pvrpOnly+",", ","+in.Name+",") {
			continue
		}
		l, err := in.Load()
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		r, err := periodic.Solve(context.Background(), l.Periodic, &periodic.Settings{TimeLimit: *pvrpTime, Seed: 1, MaxIterations: -1, RoutingIterations: -1, SearchIterations: -1})
		if err != nil {
			t.Fatal(err)
		}
		verr := validate.CheckPeriodic(l.Periodic, r)
		gap := 100 * (r.Cost - in.BKS) / in.BKS
		sum += gap
		n++
		fmt.Printf("%-5s cost %9.2f bks %9.2f gap %6.2f%% iters %4d unserved %d %5.1fs valid=%v\n", in.Name, r.Cost, in.BKS, gap, r.Iterations, len(r.Unserved), time.Since(t0).Seconds(), verr == nil)
		if verr != nil {
			t.Errorf("%s: %v", in.Name, verr)
		}
	}
	fmt.Printf("mean gap %.2f%% over %d\n", sum/float64(n), n)
}
