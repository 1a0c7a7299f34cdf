package location_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rlplan/rlplan/solver/location"
)

// TestAggregateCapacityBoundHandChecked: one demand of 10 t at both
// candidate sites, each holding 6 t at a fixed cost of 60, no outlet open.
// Serving it needs both sites: the optimum is 120. The linear relaxation
// opens each to 10/12 and is worth 100; the Lagrangian bound with the
// aggregate capacity knapsack (Cornuéjols et al. 1991) must pick both
// sites and reaches 120 even at λ = 0.
func TestAggregateCapacityBoundHandChecked(t *testing.T) {
	p := &location.Problem{
		Objective:    location.FacilityLocation,
		Weights:      []float64{10},
		Facilities:   []location.Facility{{FixedCost: 60, Capacity: 6}, {FixedCost: 60, Capacity: 6}},
		Dist:         location.DenseDistances([][]float64{{0, 0}}, math.Inf(1)),
		UnservedCost: 1000,
	}
	if got := location.LagrangianBoundAt(p, []float64{0}); got != 120 {
		t.Errorf("bound at λ = 0: %v, want 120 (both sites must open)", got)
	}
	if got := location.WeakLPBound(p); got != 100 {
		t.Errorf("weak LP: %v, want 100 (each site open 10/12)", got)
	}
	if want := bruteForce(p); want != 120 {
		t.Fatalf("brute force %v, want 120", want)
	}
}

// TestLagrangianBoundBelowOptimum is the property every bound must have: on
// random small capacitated instances (tight capacities, so the aggregate
// knapsack is active, some outlets open, a moderate unserved charge) the
// bound at random multipliers, after a subgradient run, and the weak LP are
// never above the brute-force optimum.
func TestLagrangianBoundBelowOptimum(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 17))
	for seed := uint64(1); seed <= 60; seed++ {
		fixed := int(seed % 3)
		p := randomProblem(seed, location.FacilityLocation, 8, 7, fixed, true, false)
		if seed%2 == 0 {
			for i := range p.Facilities {
				p.Facilities[i].Capacity = math.Round(p.Facilities[i].Capacity / 2)
			}
		}
		want := bruteForce(p)
		tol := 1e-9 * math.Max(1, want)
		for try := 0; try < 5; try++ {
			lambda := make([]float64, len(p.Weights))
			for j := range lambda {
				lambda[j] = rng.Float64() * 2 * p.Weights[j] * 80
			}
			if lb := location.LagrangianBoundAt(p, lambda); lb > want+tol {
				t.Fatalf("seed %d: bound %v at λ = %v above the optimum %v", seed, lb, lambda, want)
			}
		}
		if lb := location.LagrangianBound(p, 300, want); lb > want+tol {
			t.Fatalf("seed %d: subgradient bound %v above the optimum %v", seed, lb, want)
		}
		if lb := location.WeakLPBound(p); lb > want+tol {
			t.Fatalf("seed %d: weak LP %v above the optimum %v", seed, lb, want)
		}
	}
}
