package location

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteCover enumerates every binary choice and covers the rest with the
// divisible items in ratio order (optimal for divisible items).
func bruteCover(bin, cont []kItem, need float64) float64 {
	order := make([]int, len(cont))
	for u := range order {
		order[u] = u
	}
	slices.SortFunc(order, func(a, b int) int { return cmpF(cont[a].cost/cont[a].size, cont[b].cost/cont[b].size) })
	best := math.Inf(1)
	for mask := 0; mask < 1<<len(bin); mask++ {
		v, r := 0.0, need
		for b, it := range bin {
			if mask>>b&1 == 1 {
				v += it.cost
				r -= it.size
			}
		}
		// negative divisible items are always taken whole
		for _, u := range order {
			if cont[u].cost < 0 {
				v += cont[u].cost
				r -= cont[u].size
			}
		}
		for _, u := range order {
			if r <= 0 {
				break
			}
			if cont[u].cost < 0 {
				continue
			}
			f := math.Min(1, r/cont[u].size)
			v += f * cont[u].cost
			r -= f * cont[u].size
		}
		if r <= 1e-9 {
			best = math.Min(best, v)
		}
	}
	return best
}

// TestCoverKnapMatchesBruteForce: on random small instances (some costs
// negative, some items divisible) the branch and bound finds the optimum,
// its solution is feasible and worth what it says, and with a node limit of
// 1 the bound it returns stays below the optimum.
func TestCoverKnapMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	var k coverKnap
	for it := 0; it < 400; it++ {
		nb, nc := 1+rng.IntN(10), rng.IntN(4)
		bin := make([]kItem, nb)
		cont := make([]kItem, nc)
		total := 0.0
		for b := range bin {
			bin[b] = kItem{math.Round(rng.Float64()*100 - 15), math.Round(1 + rng.Float64()*30)}
			total += bin[b].size
		}
		for u := range cont {
			cont[u] = kItem{math.Round(rng.Float64()*400 - 20), math.Round(1 + rng.Float64()*10)}
			total += cont[u].size
		}
		need := math.Round(rng.Float64() * total * 0.9)
		want := bruteCover(bin, cont, need)
		y := make([]bool, nb)
		z := make([]float64, nc)
		bound, value := k.solve(bin, cont, need, 1<<20, y, z)
		if math.Abs(bound-want) > 1e-9*math.Max(1, math.Abs(want)) || math.Abs(value-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Fatalf("case %d: bound %v value %v, brute force %v (bin %v cont %v need %v)", it, bound, value, want, bin, cont, need)
		}
		got, cov := 0.0, 0.0
		for b, on := range y {
			if on {
				got += bin[b].cost
				cov += bin[b].size
			}
		}
		for u, f := range z {
			if f < 0 || f > 1 {
				t.Fatalf("case %d: fraction %v", it, f)
			}
			got += f * cont[u].cost
			cov += f * cont[u].size
		}
		if cov < need-1e-9 || math.Abs(got-value) > 1e-9*math.Max(1, math.Abs(value)) {
			t.Fatalf("case %d: solution covers %v of %v, worth %v, reported %v", it, cov, need, got, value)
		}
		if lb, _ := k.solve(bin, cont, need, 1, y, z); lb > want+1e-9*math.Max(1, math.Abs(want)) {
			t.Fatalf("case %d: bound %v with a node limit above the optimum %v", it, lb, want)
		}
	}
}
