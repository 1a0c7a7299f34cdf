package location_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rlplan/rlplan/solver/location"
)

// TestLagrangianBoundHandChecked: one demand of 10 t at both candidate
// sites, each holding 6 t at a fixed cost of 60, no outlet open, 1000 per
// unserved tonne. Serving it needs both sites: the optimum is 120. With the
// multiplier Λ on the demand, each site's knapsack takes 6 t at -Λ/10 per
// tonne: ρ = 60 - 0.6·Λ, so L(Λ) = Λ for Λ <= 100 (no site worth opening)
// and Λ + 2·(60 - 0.6·Λ) = 120 - 0.2·Λ beyond: 50 at 50, 100 at 100 (the
// linear relaxation: each site open 10/12), 96 at 120. The weak LP (sites
// paid per tonne of capacity, 10 per tonne) is worth 100 too.
func TestLagrangianBoundHandChecked(t *testing.T) {
	p := &location.Problem{
		Objective:    location.FacilityLocation,
		Weights:      []float64{10},
		Facilities:   []location.Facility{{FixedCost: 60, Capacity: 6}, {FixedCost: 60, Capacity: 6}},
		Dist:         location.DenseDistances([][]float64{{0, 0}}, math.Inf(1)),
		UnservedCost: 1000,
	}
	for _, c := range []struct{ lambda, want float64 }{{50, 50}, {100, 100}, {120, 96}} {
		if got := location.LagrangianBoundAt(p, []float64{c.lambda}); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("bound at Λ = %v: %v, want %v", c.lambda, got, c.want)
		}
	}
	if got := location.WeakLPBound(p); math.Abs(got-100) > 1e-9 {
		t.Errorf("weak LP: %v, want 100", got)
	}
	if got := location.LagrangianBound(p, 200, 120); got < 98 || got > 100+1e-9 {
		t.Errorf("volume algorithm from Λ = 0: %v, want within 2 %% below the dual optimum 100", got)
	}
	if want := bruteForce(p); want != 120 {
		t.Fatalf("brute force %v, want 120", want)
	}
}

// TestLagrangianBoundBelowOptimum is the property every bound must have: on
// random small capacitated instances (tight capacities, some outlets open, a
// moderate unserved charge) the bound at random multipliers, after a run of
// the volume algorithm, and the weak LP are never above the brute-force
// optimum.
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

// TestLagrangianWorkersAgree: splitting the evaluations between goroutines
// changes only the order of floating-point sums, so the bound after the same
// steps agrees to rounding (go test -race covers the sharing).
func TestLagrangianWorkersAgree(t *testing.T) {
	p := nationalInstance(800, 120, 80, 16, 4)
	p.Objective = location.FacilityLocation
	for i := range p.Facilities {
		p.Facilities[i].Capacity = 25
		if !p.Facilities[i].Open {
			p.Facilities[i].FixedCost = 300
		}
	}
	one := location.LagrangianBoundWorkers(p, 40, 1e6, 1)
	two := location.LagrangianBoundWorkers(p, 40, 1e6, 2)
	if math.Abs(one-two) > 1e-6*math.Abs(one) {
		t.Errorf("bound with one worker %v, with two %v", one, two)
	}
}
