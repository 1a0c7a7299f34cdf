package location

import (
	"math"
	"slices"
	"sync"
)

// lagrange computes a Lagrangian lower bound on the minimisation form of the
// problem (PMedian, FacilityLocation, and MaxCover as "minimise uncovered
// weight") by relaxing the constraints "each demand is assigned exactly once"
// (Σ_i x_ij + u_j = 1, u_j = unserved) with multipliers λ_j:
//
//	L(λ) = Σ_j λ_j + Σ_{i fixed} ρ_i + min_{y,u} Σ_{i new} ρ_i y_i + Σ_j (cu_j - λ_j) u_j
//	ρ_i  = f_i + min { Σ_j (c_ij - λ_j) x_ij : Σ_j w_j x_ij <= s_i, 0 <= x_ij <= 1 }
//
// where y picks exactly P new sites (PMedian, MaxCover) or any subset
// (FacilityLocation), u_j ∈ [0,1]. Without capacities ρ_i is a sum of
// negative parts; with capacities it is a continuous knapsack, which makes L
// the strong linear relaxation bound (x_ij <= y_i plus capacity rows), also
// valid for the single-source variant.
//
// (Keeping the aggregate capacity constraint Σ s_i y_i >= D - Σ_{fixed} s_i
// in the subproblem, Cornuéjols, Sridharan & Thizy 1991, makes the site
// choice a 0-1 covering knapsack; measured on OR-Library capa/capc it raised
// the converged bound by 0.00-0.03 % at twice the cost per iteration, and
// nationally the open outlets hold three times the demand, so it never
// binds: not kept.)
//
// The multipliers follow the volume algorithm of Barahona & Anbil (2000),
// as Barahona & Chudak (2005) use it for large facility-location
// instances: steps of Polyak size towards the best known cost ub along an
// exponentially averaged subgradient (the subgradient of the averaged
// primal solution) from the best multipliers so far, which zig-zags far
// less than plain subgradient steps (at national scale it closes in 400
// iterations what plain steps leave at 1.7 %); the step factor grows after
// improving steps along the average and shrinks after runs of failures.
//
// onSet, when not nil, receives the site set y and the ρ of every
// iterate (the Lagrangian heuristic of Beasley 1988 repairs and evaluates
// it) and returns its cost, which may lower ub.
//
// With workers > 1 each evaluation splits the facilities between that many
// goroutines (deterministically: fixed ranges, sums merged in order).
func (m *model) lagrange(iters int, ub float64, lambda0 []float64, stop func() bool, onSet func(sites []int32, rho []float64) float64, workers int) lagOut {
	out := lagOut{bound: noBound}
	if iters <= 0 || stop() {
		return out
	}
	st := newLagState(m, lambda0)
	st.split(workers)
	// record keeps the best iterate; it reports whether the gap is closed.
	record := func(L float64) bool {
		if L > out.bound {
			out.bound = L
			out.sites = append(out.sites[:0], st.site...)
			out.rho = append(out.rho[:0], st.rho...)
			out.lambda = append(out.lambda[:0], st.lambda...)
		}
		if onSet != nil {
			ub = min(ub, onSet(st.site, st.rho))
		}
		return ub-out.bound <= 1e-9*math.Max(1, math.Abs(ub))
	}
	center := slices.Clone(st.lambda)
	Lc := st.value()
	if record(Lc) {
		return out
	}
	st.subgradient()
	gbar := slices.Clone(st.sub)
	f, amax := volStep, 0.1
	red, green := 0, 0
	for it := 1; it < iters && !stop(); it++ {
		norm := 0.0
		for _, g := range gbar {
			norm += g * g
		}
		if norm == 0 || ub <= Lc || f < 1e-6 {
			break // λ optimal for the dual, or the steps have died out
		}
		step := f * (ub - Lc) / norm
		for j := range st.lambda {
			// a demand can always be left unserved at cost cu_j >= 0, so
			// λ_j >= 0 loses nothing
			st.lambda[j] = math.Max(0, center[j]+step*gbar[j])
		}
		L := st.value()
		if record(L) {
			break
		}
		st.subgradient()
		g := st.sub
		// α minimises |α g + (1-α) ḡ| within [amax/10, amax].
		num, den, dot := 0.0, 0.0, 0.0
		for j, gj := range g {
			d := gbar[j] - gj
			num += gbar[j] * d
			den += d * d
			dot += gj * gbar[j]
		}
		a := amax
		if den > 0 {
			a = min(amax, max(amax/10, num/den))
		}
		for j, gj := range g {
			gbar[j] = a*gj + (1-a)*gbar[j]
		}
		if L > Lc {
			copy(center, st.lambda)
			Lc = L
			red = 0
			if dot >= 0 {
				if green++; green >= 2 {
					f, green = min(2, f*1.1), 0
				}
			}
		} else if red++; red >= 10 {
			f, red = f*0.66, 0
		}
		if it%100 == 0 {
			amax = max(amax/2, 1e-4)
		}
	}
	return out
}

// volStep is the volume algorithm's initial step factor.
const volStep = 0.5

// lagOut is what lagrange found at its best iterate: the bound, the site
// set y, the site values ρ (a start for the heuristics, and the reduced
// costs of variable fixing) and the multipliers.
type lagOut struct {
	bound  float64
	sites  []int32
	rho    []float64
	lambda []float64 // the multipliers (a warm start for branch's nodes)
}

// lagState is one Lagrangian evaluation's working set.
type lagState struct {
	m      *model
	lambda []float64
	rho    []float64
	sub    []float64 // the subgradient: 1 - u_j - Σ_i x_ij
	sel    []bool    // new site chosen in the subproblem
	order  []int32
	site   []int32
	kbuf   []kent
	parts  []*lagPart // concurrent ranges of facilities (nil: one goroutine)
	uord   []int32    // cover models: demands by λ_j/w_j (uncover)
}

type kent struct {
	ratio float64
	k     int
}

func newLagState(m *model, lambda0 []float64) *lagState {
	return &lagState{m: m, lambda: slices.Clone(lambda0), rho: make([]float64, m.F), sub: make([]float64, m.n),
		sel: make([]bool, m.F), order: slices.Clone(m.cands)}
}

// knapsack solves facility i's subproblem
// min { Σ_j (c_ij - λ_j) x_ij : Σ_j w_j x_ij <= s_i, 0 <= x_ij <= 1 }
// and, when sub is not nil, subtracts its x_ij from sub. buf is scratch.
func (st *lagState) knapsack(i int, sub []float64, buf *[]kent) float64 {
	m, lambda := st.m, st.lambda
	add := sub != nil
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
	kbuf := (*buf)[:0]
	need := 0.0 // weight of the profitable demands
	for k := a; k < b; k++ {
		j := m.idem[k]
		if r := m.icost[k] - lambda[j]; r < 0 {
			ratio := math.Inf(-1)
			if m.w[j] > 0 {
				ratio = r / m.w[j]
			}
			kbuf = append(kbuf, kent{ratio, k})
			need += m.w[j]
		}
	}
	// When every profitable demand fits, all are taken whole: no need to
	// sort (the common case away from the binding facilities).
	if need > m.capa[i] {
		slices.SortFunc(kbuf, func(x, y kent) int {
			if c := cmpF(x.ratio, y.ratio); c != 0 {
				return c
			}
			return x.k - y.k
		})
	}
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
	*buf = kbuf
	return v
}

// split divides the facilities into up to workers ranges of about equal
// numbers of listed pairs, evaluated concurrently by facilities.
func (st *lagState) split(workers int) {
	m := st.m
	st.parts = st.parts[:0]
	if workers <= 1 || m.F < 2*workers {
		return
	}
	total := len(m.fac)
	lo := 0
	for w := 0; w < workers; w++ {
		hi := m.F
		if w < workers-1 {
			target := total * (w + 1) / workers
			hi, _ = slices.BinarySearch(m.istart, target)
			hi = max(hi, lo+1)
		}
		st.parts = append(st.parts, &lagPart{lo: lo, hi: hi, sub: make([]float64, m.n)})
		lo = hi
	}
}

// lagPart is one goroutine's range of facilities and its own share of the
// subgradient.
type lagPart struct {
	lo, hi int
	sub    []float64
	kbuf   []kent
	L      float64
}

// facilities fills ρ for every facility, adds the open outlets' assignment
// to the subgradient (an open outlet is in every solution; the chosen sites'
// enters in subgradient()) and returns Σ_{i fixed} ρ_i.
func (st *lagState) facilities() float64 {
	m := st.m
	run := func(lo, hi int, sub []float64, buf *[]kent) float64 {
		L := 0.0
		for i := lo; i < hi; i++ {
			var add []float64
			if m.fixed[i] {
				add = sub
			}
			st.rho[i] = m.fcost[i] + st.knapsack(i, add, buf)
			st.sel[i] = false
			if m.fixed[i] {
				L += st.rho[i]
			}
		}
		return L
	}
	if len(st.parts) == 0 {
		return run(0, m.F, st.sub, &st.kbuf)
	}
	var wg sync.WaitGroup
	for _, p := range st.parts {
		clear(p.sub)
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.L = run(p.lo, p.hi, p.sub, &p.kbuf)
		}()
	}
	wg.Wait()
	L := 0.0
	for _, p := range st.parts {
		L += p.L
		for j, g := range p.sub {
			st.sub[j] += g
		}
	}
	return L
}

// value evaluates L(λ): it fills ρ, the chosen sites (site, sel) and the
// unserved part of the subgradient.
func (st *lagState) value() float64 {
	m, lambda := st.m, st.lambda
	L := 0.0
	for j := 0; j < m.n; j++ {
		L += lambda[j]
		st.sub[j] = 1
	}
	L += st.facilities()
	if m.target {
		L -= st.uncover()
	} else {
		for j := 0; j < m.n; j++ {
			if d := m.ucost[j] - lambda[j]; d < 0 {
				L += d
				st.sub[j]--
			}
		}
	}
	st.site = st.site[:0]
	if m.p >= 0 {
		rho := st.rho
		slices.SortFunc(st.order, func(x, y int32) int {
			if c := cmpF(rho[x], rho[y]); c != 0 {
				return c
			}
			return int(x - y)
		})
		st.site = append(st.site, st.order[:m.p]...)
	} else {
		for _, i := range m.cands {
			if st.rho[i] < 0 {
				st.site = append(st.site, i)
			}
		}
	}
	for _, i := range st.site {
		L += st.rho[i]
		st.sel[i] = true
	}
	return L
}

// subgradient completes the subgradient with the assignment of the chosen
// new sites (sel; the open outlets' is in already) and returns its squared
// norm.
func (st *lagState) subgradient() float64 {
	for i := 0; i < st.m.F; i++ {
		if st.sel[i] {
			st.knapsack(i, st.sub, &st.kbuf)
		}
	}
	norm := 0.0
	for _, g := range st.sub {
		norm += g * g
	}
	return norm
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
