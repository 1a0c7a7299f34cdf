package location

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRegionMovesStayFeasible applies random region moves to a capacitated
// solution and checks after each: loads within capacity, no demand served
// beyond its weight, the tracked cost equal to the cost recomputed from the
// flows and sites, and never below the exact transportation optimum of the
// site set (region moves are restrictions of it).
func TestRegionMovesStayFeasible(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for seed := uint64(1); seed <= 4; seed++ {
		p := &Problem{Objective: FacilityLocation, UnservedCost: 300}
		n, F := 120, 30
		type pt struct{ x, y float64 }
		dem, fac := make([]pt, n), make([]pt, F)
		for j := range dem {
			dem[j] = pt{rng.Float64() * 100, rng.Float64() * 100}
			p.Weights = append(p.Weights, float64(1+rng.IntN(9)))
		}
		for i := range fac {
			fac[i] = pt{rng.Float64() * 100, rng.Float64() * 100}
			p.Facilities = append(p.Facilities, Facility{Open: i < 8, Capacity: float64(30 + rng.IntN(40)), FixedCost: 200})
		}
		mat := make([][]float64, n)
		for j := range mat {
			for i := range fac {
				mat[j] = append(mat[j], math.Round(math.Hypot(dem[j].x-fac[i].x, dem[j].y-fac[i].y)))
			}
		}
		p.Dist = DenseDistances(mat, 45)
		m := newModel(p)
		ev := newCapEval(m)
		sol := ev.materialize(ev.evalNoStop([]int32{10, 11, 12}), func() bool { return false })
		rs := newRegionSearch(m, sol)
		for step := 0; step < 40; step++ {
			add, drop := int32(-1), int32(-1)
			c := m.cands[rng.IntN(len(m.cands))]
			if rs.in[c] {
				drop = c
			} else {
				add = c
			}
			if step%3 == 0 && add >= 0 { // a swap
				for _, s := range rs.sites() {
					drop = s
					break
				}
			}
			delta, dem, flows := rs.evalMove(add, drop, func() bool { return false })
			if drop < 0 && delta > m.fcost[add]+1e-9*rs.cost {
				// keeping every flow is a solution of the region
				t.Fatalf("seed %d step %d: opening %d scored %v, more than its fixed cost %v", seed, step, add, delta, m.fcost[add])
			}
			rs.apply(add, drop, delta, dem, flows)
			recomputed := 0.0
			for _, s := range rs.sites() {
				recomputed += m.fcost[s]
			}
			load := make([]float64, m.F)
			for j := 0; j < m.n; j++ {
				recomputed += rs.demandCost(j)
				served := 0.0
				for _, part := range rs.parts[j] {
					f := m.fac[part.e]
					if !rs.open[f] {
						t.Fatalf("seed %d step %d: demand %d on closed facility %d", seed, step, j, f)
					}
					load[f] += part.w
					served += part.w
				}
				if served > m.w[j]*(1+1e-9) {
					t.Fatalf("seed %d step %d: demand %d served %v > %v", seed, step, j, served, m.w[j])
				}
			}
			for i, l := range load {
				if math.Abs(l-rs.load[i]) > 1e-9*math.Max(1, l) {
					t.Fatalf("seed %d step %d: facility %d tracked load %v, recomputed %v", seed, step, i, rs.load[i], l)
				}
				if l > m.capa[i]*(1+1e-9) {
					t.Fatalf("seed %d step %d: facility %d load %v > %v", seed, step, i, l, m.capa[i])
				}
			}
			if math.Abs(recomputed-rs.cost) > 1e-6*recomputed {
				t.Fatalf("seed %d step %d: tracked cost %v, recomputed %v", seed, step, rs.cost, recomputed)
			}
			exact := ev.evalNoStop(rs.sites())
			if exact.cost > rs.cost*(1+1e-9) {
				t.Fatalf("seed %d step %d: patched flows cost %v, below the exact optimum %v of their sites", seed, step, rs.cost, exact.cost)
			}
		}
	}
}
