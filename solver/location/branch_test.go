package location_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
)

// Branch and bound proves the optimum of small capacitated instances: with
// every undecided site sent through the tree (no enumeration), each answer
// is proven optimal, and its cost is the brute-force optimum. A tree that
// pruned a better solution, or a node bound above its subtree's optimum,
// would show here as a cost above the brute force with status optimal.
// The search is given one round only, so the tree, not the local search,
// must close the gap.
func TestBranchProvesTheOptimum(t *testing.T) {
	defer location.ForceBranch()()
	proven, seeds := 0, uint64(12)
	if testing.Short() {
		seeds = 4 // the race step; make test runs all 12
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			p := randomProblem(seed, location.FacilityLocation, 14, 14, 2, true, false)
			want := bruteForce(p)
			res, err := location.Solve(context.Background(), p, &location.Settings{MaxIterations: 1, BoundIterations: 30, Seed: solver.Seed(seed)})
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, p, res)
			tol := 1e-6 * math.Max(1, math.Abs(want))
			if res.Bound > want+tol {
				t.Errorf("lower bound %v above the optimum %v", res.Bound, want)
			}
			if res.Status == solver.Optimal {
				proven++
				if math.Abs(res.Cost-want) > tol {
					t.Errorf("proven optimal at %v, brute-force optimum %v", res.Cost, want)
				}
			}
		})
	}
	if proven < int(seeds) {
		t.Errorf("%d of %d instances proven optimal, want all (the tree is complete on 12 sites)", proven, seeds)
	}
}
