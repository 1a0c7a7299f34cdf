package location

import (
	"math"
	"slices"
)

// lagrange computes a Lagrangian lower bound on the minimisation form of the
// problem (PMedian, FacilityLocation, and MaxCover as "minimise uncovered
// weight") by relaxing the constraints "each demand is assigned exactly once"
// (Σ_i x_ij + u_j = 1, u_j = unserved) with multipliers λ_j:
//
//	L(λ) = Σ_j λ_j + Σ_j min(0, cu_j - λ_j) + Σ_{i fixed} ρ_i + min_{y} Σ_{i new} ρ_i y_i
//	ρ_i  = f_i + min { Σ_j (c_ij - λ_j) x_ij : Σ_j w_j x_ij <= s_i, 0 <= x_ij <= 1 }
//
// where y picks exactly P new sites (PMedian, MaxCover) or any subset
// (FacilityLocation). Without capacities ρ_i is a sum of negative parts; with
// capacities it is a continuous knapsack, which makes L the strong linear
// relaxation bound (x_ij <= y_i plus capacity rows), also valid for the
// single-source variant. λ follows subgradient steps of Polyak size towards
// the best known cost ub.
//
// It returns the bound (noBound when no iterate was computed) and the site set y and ρ of the best iteration: a good
// start for the heuristics, and the reduced costs for variable fixing. onSet, when not nil, receives the site set y and the ρ of every iteration (the
// Lagrangian heuristic of Beasley 1988 repairs and evaluates it).
func (m *model) lagrange(iters int, ub float64, lambda0 []float64, stop func() bool, onSet func(sites []int32, rho []float64) float64) (float64, []int32, []float64) {
	if iters <= 0 {
		return noBound, nil, nil
	}
	var bestSites []int32
	var bestRho []float64
	n, F := m.n, m.F
	lambda := slices.Clone(lambda0)
	rho := make([]float64, F)
	sub := make([]float64, n)
	order := slices.Clone(m.cands)
	sel := make([]bool, F)
	best := math.Inf(-1)
	theta := 2.0
	noImp := 0
	type kent struct {
		ratio float64
		k     int
	}
	var kbuf []kent
	// knapsack solves facility i's subproblem and, when add is set, adds its
	// x_ij to sub (as -x_ij).
	knap := func(i int, add bool) float64 {
		a, b := m.istart[i], m.istart[i+1]
		if !m.capped || math.IsInf(m.capa[i], 1) {
			v := 0.0
			for k := a; k < b; k++ {
				j := m.idem[k]
				if r := m.icost[k] - lambda[j]; r < 0 {
					v += r
					if add {
						sub[j]--
					}
				}
			}
			return v
		}
		kbuf = kbuf[:0]
		for k := a; k < b; k++ {
			j := m.idem[k]
			if r := m.icost[k] - lambda[j]; r < 0 {
				ratio := math.Inf(-1)
				if m.w[j] > 0 {
					ratio = r / m.w[j]
				}
				kbuf = append(kbuf, kent{ratio, k})
			}
		}
		slices.SortFunc(kbuf, func(x, y kent) int {
			if x.ratio < y.ratio {
				return -1
			}
			if x.ratio > y.ratio {
				return 1
			}
			return x.k - y.k
		})
		left := m.capa[i]
		v := 0.0
		for _, e := range kbuf {
			j := m.idem[e.k]
			r := m.icost[e.k] - lambda[j]
			wj := m.w[j]
			frac := 1.0
			if wj > left {
				frac = left / wj
			}
			v += r * frac
			left -= wj * frac
			if add {
				sub[j] -= frac
			}
			if left <= 0 {
				break
			}
		}
		return v
	}
	site := make([]int32, 0, len(m.cands))
	for it := 0; it < iters; it++ {
		if it&7 == 0 && stop() {
			break
		}
		L := 0.0
		for j := 0; j < n; j++ {
			L += lambda[j]
			sub[j] = 1
			if d := m.ucost[j] - lambda[j]; d < 0 {
				L += d
				sub[j]--
			}
		}
		for i := 0; i < F; i++ {
			rho[i] = m.fcost[i] + knap(i, false)
			sel[i] = m.fixed[i]
			if m.fixed[i] {
				L += rho[i]
			}
		}
		site = site[:0]
		if m.p >= 0 {
			slices.SortFunc(order, func(x, y int32) int {
				if rho[x] != rho[y] {
					if rho[x] < rho[y] {
						return -1
					}
					return 1
				}
				return int(x - y)
			})
			for _, i := range order[:m.p] {
				L += rho[i]
				sel[i] = true
				site = append(site, i)
			}
		} else {
			for _, i := range m.cands {
				if rho[i] < 0 {
					L += rho[i]
					sel[i] = true
					site = append(site, i)
				}
			}
		}
		if L > best {
			best = L
			bestSites = append(bestSites[:0], site...)
			bestRho = append(bestRho[:0], rho...)
			noImp = 0
		} else {
			noImp++
			if noImp >= 20 {
				theta /= 2
				noImp = 0
			}
		}
		if onSet != nil {
			if c := onSet(site, rho); c < ub {
				ub = c
			}
		}
		if ub-best <= 1e-9*math.Max(1, math.Abs(ub)) || theta < 1e-5 {
			break
		}
		for i := 0; i < F; i++ {
			if sel[i] {
				knap(i, true)
			}
		}
		norm := 0.0
		for _, s := range sub {
			norm += s * s
		}
		if norm == 0 {
			break // λ is optimal for the dual: L is the relaxation's value
		}
		t := theta * (ub - L) / norm
		if t <= 0 {
			t = theta * 1e-3 * math.Max(1, math.Abs(ub)) / norm
		}
		for j := 0; j < n; j++ {
			lambda[j] += t * sub[j]
			if lambda[j] < 0 {
				lambda[j] = 0 // a demand can always be left unserved at cost cu_j >= 0, so λ_j >= 0 loses nothing
			}
		}
	}
	return best, bestSites, bestRho
}

// integral reports whether every cost the objective can charge is an
// integer, in which case a bound may be rounded up.
func (m *model) integral() bool {
	isInt := func(v float64) bool { return v == math.Trunc(v) }
	for _, c := range m.cost {
		if !isInt(c) {
			return false
		}
	}
	for _, c := range m.ucost {
		if !isInt(c) {
			return false
		}
	}
	for _, c := range m.fcost {
		if !isInt(c) {
			return false
		}
	}
	return true
}

// coverBound is the classical Lagrangian upper bound of maximal covering
// (Galvão & ReVelle 1996) in "coverage" form, capacities relaxed: relax
// z_j <= Σ_{i new, covers j} y_i with λ_j >= 0,
//
//	U(λ) = W_fixed + Σ_j max(0, w_j - λ_j) + max_{|Y| = P} Σ_{i∈Y} Σ_{j covered by i} λ_j
//
// where W_fixed is the weight the open outlets already cover. It returns the
// bound on the covered weight and the sites of the best iterate. Its
// subgradient converges far better than the assignment-form relaxation,
// whose 0/1 costs leave flat multipliers.
func (m *model) coverBound(iters int, lbCovered float64, stop func() bool) (float64, []int32) {
	if iters <= 0 || m.p < 0 {
		return math.Inf(1), nil // no bound
	}
	fixedCov := make([]bool, m.n)
	wFixed := 0.0
	var dem []int
	for j := 0; j < m.n; j++ {
		coverable := false
		for e := m.start[j]; e < m.start[j+1] && m.dist[e] <= m.radius; e++ {
			if m.fixed[m.fac[e]] {
				fixedCov[j] = true
			} else {
				coverable = true
			}
		}
		if fixedCov[j] {
			wFixed += m.w[j]
		} else if coverable && m.w[j] > 0 {
			dem = append(dem, j)
		}
	}
	lambda := make([]float64, m.n)
	for _, j := range dem {
		lambda[j] = m.w[j] / 2
	}
	score := make([]float64, m.F)
	order := slices.Clone(m.cands)
	sel := make([]bool, m.F)
	sub := make([]float64, m.n)
	best := math.Inf(1)
	var bestSites []int32
	theta, noImp := 1.0, 0
	for it := 0; it < iters; it++ {
		if it&7 == 0 && stop() {
			break
		}
		U := wFixed
		for _, j := range dem {
			if d := m.w[j] - lambda[j]; d > 0 {
				U += d
				sub[j] = 1
			} else {
				sub[j] = 0
			}
		}
		for _, i := range m.cands {
			s := 0.0
			for k := m.istart[i]; k < m.istart[i+1]; k++ {
				j := m.idem[k]
				if m.icost[k] == 0 && !fixedCov[j] {
					s += lambda[j]
				}
			}
			score[i] = s
			sel[i] = false
		}
		slices.SortFunc(order, func(a, b int32) int {
			if c := cmpF(score[b], score[a]); c != 0 {
				return c
			}
			return int(a - b)
		})
		for _, i := range order[:m.p] {
			U += score[i]
			sel[i] = true
		}
		if U < best {
			best, noImp = U, 0
			bestSites = append(bestSites[:0], order[:m.p]...)
		} else if noImp++; noImp >= 20 {
			theta, noImp = theta/2, 0
		}
		if best-lbCovered <= 1e-9*math.Max(1, best) || theta < 1e-5 {
			break
		}
		for _, i := range order[:m.p] {
			for k := m.istart[i]; k < m.istart[i+1]; k++ {
				j := m.idem[k]
				if m.icost[k] == 0 && !fixedCov[j] {
					sub[j]--
				}
			}
		}
		norm := 0.0
		for _, j := range dem {
			norm += sub[j] * sub[j]
		}
		if norm == 0 {
			break
		}
		t := theta * math.Max(U-lbCovered, 1e-3*math.Max(1, U)) / norm
		for _, j := range dem {
			// dU/dλ_j = -sub_j: step against it
			lambda[j] = math.Max(0, lambda[j]+t*sub[j])
		}
	}
	return best, bestSites
}
