package location

import (
	"container/heap"
	"math"
	"slices"

	"github.com/rlplan/rlplan/solver"
)

// coverer scores site sets for SetCover: covered weight, uncapacitated (a
// demand is covered when any open facility within Radius lists it) or under
// capacities (max weight assignable within Radius, by the transportation
// evaluator with 0/1 costs).
type coverer struct {
	m  *model
	ev *capEval
}

func (c *coverer) covered(sites []int32, stop func() bool) (float64, *capSol) {
	m := c.m
	if m.capped {
		sol := c.ev.materialize(c.ev.eval(sites, stop), stop)
		if sol == nil {
			return math.Inf(-1), nil
		}
		return m.totalW - sol.cost, sol
	}
	open := make([]bool, m.F)
	for i := range open {
		open[i] = m.fixed[i]
	}
	for _, s := range sites {
		open[s] = true
	}
	t := 0.0
	for j := 0; j < m.n; j++ {
		for e := m.start[j]; e < m.start[j+1] && m.dist[e] <= m.radius; e++ {
			if open[m.fac[e]] {
				t += m.w[j]
				break
			}
		}
	}
	return t, nil
}

// setCover buys the cheapest set of sites that covers the target weight
// within the radius: greedy fill and prune, then rounds of drop-and-refill
// and randomised restarts until the Lagrangian bound or the iteration limit.
func (r *run) setCover(m *model) *Result {
	cs := newCoverSearch(r, m)
	best := cs.prune(cs.greedy(nil, -1, 0))
	bestCov, _ := cs.cv.covered(best, r.stop)
	feasible := bestCov >= cs.need
	bestCost := cs.costOf(best)

	var lb float64
	switch {
	case m.capped && feasible && r.set.BoundIterations > 0:
		// The partial-cover relaxation is weaker in theory (it drops the
		// capacities) but converges faster; each is a valid bound.
		weak := m.achievable(r.setCoverBound(m, cs.target, bestCost))
		lb, best, bestCost = cs.coverBound(best, bestCost)
		lb = max(lb, weak)
	case m.capped && feasible:
		lb = noBound
	default:
		lb = r.setCoverBound(m, cs.target, bestCost)
	}
	if m.integral() || allInt(m.siteCst) {
		lb = roundBound(m, lb, true)
	}
	iters, stall := 0, 0
	for feasible && iters < r.set.MaxIterations && bestCost-lb > optTol*math.Max(1, bestCost) && !r.stop() {
		if m.capped && stall >= coverStallRounds {
			break
		}
		iters++
		prev := bestCost
		if best, bestCost = cs.improve(best, bestCost); bestCost < prev {
			stall = 0
		} else {
			stall++
		}
	}
	res := cs.result(best, iters)
	r.finish(m, res, bestCost, lb)
	if !feasible {
		res.Status = solver.Infeasible
	}
	return res
}

// coverStallRounds ends the capacitated cover's drop-and-refill rounds after
// that many without improvement: each round scores a few thousand site sets
// exactly (every site dropped, the rest refilled and pruned), so the default
// 1000 rounds ran into the time limit on CN-GD at 10 km (about 1 s a
// round) while the best was found in the first three; ending on rounds
// keeps the answer reproducible.
const coverStallRounds = 10

// coverSearch holds what the set-cover heuristic shares between its steps:
// the covered weight to reach (need, the target less a tolerance) and the
// scorer of site sets.
type coverSearch struct {
	r      *run
	m      *model
	cv     *coverer
	target float64
	tol    float64
	need   float64
}

func newCoverSearch(r *run, m *model) *coverSearch {
	cs := &coverSearch{r: r, m: m, cv: &coverer{m: m, ev: newCapEval(m)}, target: m.totalW}
	if tgt := r.setTarget(); tgt > 0 {
		cs.target = tgt * m.totalW
	}
	cs.tol = 1e-9 * math.Max(1, m.totalW)
	cs.need = cs.target - cs.tol
	return cs
}

// costOf is the total opening cost of sites.
func (cs *coverSearch) costOf(sites []int32) float64 {
	t := 0.0
	for _, s := range sites {
		t += cs.m.siteCst[s]
	}
	return t
}

// improve runs one round of the search: drop-and-refill (remove one site,
// the most expensive first, refill greedily without it), else a randomised
// restart; it returns the better of the new and the given solution.
func (cs *coverSearch) improve(best []int32, bestCost float64) ([]int32, float64) {
	m, r := cs.m, cs.r
	order := slices.Clone(best)
	slices.SortStableFunc(order, func(a, b int32) int { return cmpF(m.siteCst[b], m.siteCst[a]) })
	for _, s := range order {
		rest := make([]int32, 0, len(best))
		for _, x := range best {
			if x != s {
				rest = append(rest, x)
			}
		}
		cand := cs.prune(cs.greedy(rest, s, 0))
		if cov, _ := cs.cv.covered(cand, r.stop); cov >= cs.need && cs.costOf(cand) < bestCost-1e-9 {
			return cand, cs.costOf(cand)
		}
		if r.stop() {
			break
		}
	}
	cand := cs.prune(cs.greedy(nil, -1, 0.3))
	if cov, _ := cs.cv.covered(cand, r.stop); cov >= cs.need && cs.costOf(cand) < bestCost-1e-9 {
		return cand, cs.costOf(cand)
	}
	return best, bestCost
}

// greedy fills sites until the target is met, never adding banned; noise
// randomises the gain/cost ratios.
func (cs *coverSearch) greedy(sites []int32, banned int32, noise float64) []int32 {
	if !cs.m.capped {
		return fastGreedy(cs.m, sites, banned, noise, cs.need, cs.r)
	}
	sites = slices.Clone(sites)
	for {
		cov, sol := cs.cv.covered(sites, cs.r.stop)
		if cov >= cs.need || cs.r.isStopped() {
			return sites
		}
		bestI := cs.bestAddition(sites, cs.uncovered(sites, sol), banned, noise)
		if bestI < 0 {
			return sites // nothing adds coverage: target unreachable
		}
		sites = append(sites, bestI)
	}
}

// uncovered returns the weight of each demand still uncovered by sites,
// from the capacitated assignment sol when there is one.
func (cs *coverSearch) uncovered(sites []int32, sol *capSol) []float64 {
	m := cs.m
	left := make([]float64, m.n)
	if sol != nil {
		copy(left, m.w)
		for _, fl := range sol.flows {
			if d := m.distOf(fl.Demand, fl.Facility); d <= m.radius {
				left[fl.Demand] -= fl.Weight
			}
		}
		return left
	}
	open := make([]bool, m.F)
	for i := range open {
		open[i] = m.fixed[i]
	}
	for _, s := range sites {
		open[s] = true
	}
	for j := 0; j < m.n; j++ {
		left[j] = m.w[j]
		for e := m.start[j]; e < m.start[j+1] && m.dist[e] <= m.radius; e++ {
			if open[m.fac[e]] {
				left[j] = 0
				break
			}
		}
	}
	return left
}

// bestAddition returns the candidate outside sites (and not banned) with
// the best ratio of uncovered weight reached (at most its capacity) to
// opening cost, -1 if none adds coverage.
func (cs *coverSearch) bestAddition(sites []int32, left []float64, banned int32, noise float64) int32 {
	m := cs.m
	in := make(map[int32]bool, len(sites))
	for _, s := range sites {
		in[s] = true
	}
	bestI, bestV := int32(-1), 0.0
	for _, i := range m.cands {
		if in[i] || i == banned {
			continue
		}
		g := 0.0
		cs.reach(i, func(j int32) { g += math.Max(0, left[j]) })
		if !math.IsInf(m.capa[i], 1) {
			g = math.Min(g, m.capa[i])
		}
		if g <= cs.tol {
			continue
		}
		v := g / math.Max(m.siteCst[i], 1e-12)
		if noise > 0 {
			v *= 1 + noise*cs.r.rng.Float64()
		}
		if v > bestV {
			bestI, bestV = i, v
		}
	}
	return bestI
}

// reach calls f for each coverable demand candidate i reaches (its
// covering list).
func (cs *coverSearch) reach(i int32, f func(j int32)) {
	m := cs.m
	for k := m.istart[i]; k < m.istart[i+1]; k++ {
		j := m.idem[k]
		if m.icost[k] == 0 && m.w[j] > 0 { // cost 0 <=> within radius (or weight 0)
			f(j)
		}
	}
}

// prune drops the most expensive sites that are not needed.
func (cs *coverSearch) prune(sites []int32) []int32 {
	m := cs.m
	if !m.capped {
		return fastPrune(m, sites, cs.need)
	}
	sites = slices.Clone(sites)
	slices.SortStableFunc(sites, func(a, b int32) int { return cmpF(m.siteCst[b], m.siteCst[a]) })
	for x := 0; x < len(sites); {
		if cs.r.isStopped() {
			break
		}
		try := slices.Delete(slices.Clone(sites), x, x+1)
		if cov, _ := cs.cv.covered(try, cs.r.stop); cov >= cs.need {
			sites = try
			continue
		}
		x++
	}
	return sites
}

// result builds the Result of the cover best: the open sites, the
// assignment (the capacitated flows, or each demand's nearest open site)
// and the weight left unserved.
func (cs *coverSearch) result(best []int32, iters int) *Result {
	m := cs.m
	cov, sol := cs.cv.covered(best, func() bool { return false })
	res := &Result{Open: toInts(best), Iterations: iters, Covered: cov}
	if sol != nil {
		res.Assign, res.Flows = sol.assign, sol.flows
	} else {
		s := newSwapState(m)
		s.init(best)
		res.Assign = make([]int, m.n)
		for j := range res.Assign {
			res.Assign[j] = int(s.f1[j])
		}
	}
	for j, f := range res.Assign {
		if f < 0 && res.Flows == nil {
			res.Unserved += m.w[j]
		}
	}
	if res.Flows != nil {
		served := make([]float64, m.n)
		for _, f := range res.Flows {
			served[f.Demand] += f.Weight
		}
		for j := range served {
			if d := m.w[j] - served[j]; d > 1e-12*math.Max(1, m.w[j]) {
				res.Unserved += d
			}
		}
	}
	return res
}

func (r *run) setTarget() float64 { return r.target }

func allInt(v []float64) bool {
	for _, x := range v {
		if x != math.Trunc(x) {
			return false
		}
	}
	return true
}

func (m *model) distOf(j, i int) float64 {
	for e := m.start[j]; e < m.start[j+1]; e++ {
		if int(m.fac[e]) == i {
			return m.dist[e]
		}
	}
	return math.Inf(1)
}

// setCoverBound is the Lagrangian bound of partial set cover, capacities
// relaxed: min Σ c_i y_i s.t. Σ_j w_j z_j >= T, z_j <= Σ_{i covers j} y_i,
// relaxing the second family with λ_j >= 0:
//
//	L(λ) = Σ_i min(0, c_i - Σ_{j covered by i} λ_j) + min{Σ_j λ_j z_j : Σ_j w_j z_j >= T', 0 <= z <= 1}
//
// where demands covered by open outlets are taken out of T (T' remains) and
// the second term is a fractional knapsack (smallest λ_j/w_j first).
func (r *run) setCoverBound(m *model, target, ub float64) float64 {
	iters := r.set.BoundIterations
	coveredFixed := make([]bool, m.n)
	coverable := make([]bool, m.n)
	rest := target
	for j := 0; j < m.n; j++ {
		for e := m.start[j]; e < m.start[j+1] && m.dist[e] <= m.radius; e++ {
			if m.fixed[m.fac[e]] {
				coveredFixed[j] = true
			} else {
				coverable[j] = true
			}
		}
		if coveredFixed[j] {
			rest -= m.w[j]
		}
	}
	if rest <= 1e-9*math.Max(1, m.totalW) {
		return 0 // the open outlets meet the target: nothing to buy
	}
	if iters <= 0 {
		return noBound
	}
	var dem []int
	for j := 0; j < m.n; j++ {
		if !coveredFixed[j] && coverable[j] && m.w[j] > 0 {
			dem = append(dem, j)
		}
	}
	lambda := make([]float64, m.n)
	for _, j := range dem {
		lambda[j] = 0.5 * ub / math.Max(rest, 1e-12) * m.w[j]
	}
	y := make([]bool, m.F)
	z := make([]float64, m.n)
	sub := make([]float64, m.n)
	best := noBound
	theta, noImp := 2.0, 0
	stop := r.boundStop(0.3)
	order := slices.Clone(dem)
	for it := 0; it < iters && !stop(); it++ {
		L := 0.0
		for _, i := range m.cands {
			s := m.siteCst[i]
			for k := m.istart[i]; k < m.istart[i+1]; k++ {
				j := m.idem[k]
				if m.icost[k] == 0 && !coveredFixed[j] {
					s -= lambda[j]
				}
			}
			y[i] = s < 0
			if y[i] {
				L += s
			}
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmpF(lambda[a]/m.w[a], lambda[b]/m.w[b]) })
		need := rest
		clear(z)
		for _, j := range order {
			if need <= 0 {
				break
			}
			f := math.Min(1, need/m.w[j])
			z[j] = f
			need -= f * m.w[j]
			L += f * lambda[j]
		}
		if need > 1e-9*math.Max(1, m.totalW) {
			return 0 // target unreachable (the result is Infeasible): the trivial bound
		}
		if L > best {
			best, noImp = L, 0
		} else if noImp++; noImp >= 20 {
			theta, noImp = theta/2, 0
		}
		if ub-best <= 1e-9*math.Max(1, ub) || theta < 1e-5 {
			break
		}
		norm := 0.0
		for _, j := range dem {
			sub[j] = z[j]
		}
		for _, i := range m.cands {
			if !y[i] {
				continue
			}
			for k := m.istart[i]; k < m.istart[i+1]; k++ {
				if m.icost[k] == 0 {
					sub[m.idem[k]]--
				}
			}
		}
		for _, j := range dem {
			norm += sub[j] * sub[j]
		}
		if norm == 0 {
			break
		}
		t := theta * math.Max(ub-L, 1e-3*math.Max(1, ub)) / norm
		for _, j := range dem {
			lambda[j] = math.Max(0, lambda[j]+t*sub[j])
		}
	}
	return best
}

// coverCount counts, per demand, the open facilities within Radius (fixed
// outlets included), so that coverage changes cost O(|list of the site|).
type coverCount struct {
	m       *model
	cnt     []int32
	covered float64
}

func newCoverCount(m *model, sites []int32) *coverCount {
	c := &coverCount{m: m, cnt: make([]int32, m.n)}
	for j := 0; j < m.n; j++ {
		for e := m.start[j]; e < m.start[j+1] && m.dist[e] <= m.radius; e++ {
			if m.fixed[m.fac[e]] {
				c.cnt[j]++
			}
		}
		if c.cnt[j] > 0 {
			c.covered += m.w[j]
		}
	}
	for _, i := range sites {
		c.add(i)
	}
	return c
}

// within reports whether transposed entry k of facility i is within Radius
// (cost 0 for a positive weight; zero weights never matter for coverage).
func (c *coverCount) within(k int) bool { return c.m.icost[k] == 0 }

func (c *coverCount) add(i int32) {
	m := c.m
	for k := m.istart[i]; k < m.istart[i+1]; k++ {
		if c.within(k) {
			j := m.idem[k]
			if c.cnt[j] == 0 {
				c.covered += m.w[j]
			}
			c.cnt[j]++
		}
	}
}

func (c *coverCount) remove(i int32) {
	m := c.m
	for k := m.istart[i]; k < m.istart[i+1]; k++ {
		if c.within(k) {
			j := m.idem[k]
			c.cnt[j]--
			if c.cnt[j] == 0 {
				c.covered -= m.w[j]
			}
		}
	}
}

// gain is the uncovered weight site i would cover.
func (c *coverCount) gain(i int32) float64 {
	m := c.m
	g := 0.0
	for k := m.istart[i]; k < m.istart[i+1]; k++ {
		if c.within(k) && c.cnt[m.idem[k]] == 0 {
			g += m.w[m.idem[k]]
		}
	}
	return g
}

// loss is the weight only site i covers.
func (c *coverCount) loss(i int32) float64 {
	m := c.m
	l := 0.0
	for k := m.istart[i]; k < m.istart[i+1]; k++ {
		if c.within(k) && c.cnt[m.idem[k]] == 1 {
			l += m.w[m.idem[k]]
		}
	}
	return l
}

// fastGreedy adds sites by covered weight per cost until need is met, with
// lazy re-evaluation (gains only shrink as sites open). noise > 0 scales
// each ratio by a random factor in [1, 1+noise) for randomised restarts.
func fastGreedy(m *model, sites []int32, banned int32, noise, need float64, r *run) []int32 {
	sites = slices.Clone(sites)
	c := newCoverCount(m, sites)
	in := make([]bool, m.F)
	for _, s := range sites {
		in[s] = true
	}
	factor := make([]float64, m.F)
	h := make(gainHeap, 0, len(m.cands))
	for _, i := range m.cands {
		if in[i] || i == banned {
			continue
		}
		factor[i] = 1 / math.Max(m.siteCst[i], 1e-12)
		if noise > 0 {
			factor[i] *= 1 + noise*r.rng.Float64()
		}
		if g := c.gain(i); g > 0 {
			h = append(h, gainItem{g * factor[i], i, 0})
		}
	}
	heap.Init(&h)
	round := 0
	for c.covered < need && h.Len() > 0 {
		if round&63 == 0 && r.stop() {
			break
		}
		top := h[0]
		if top.round != round {
			g := c.gain(top.i)
			if g <= 0 {
				heap.Pop(&h)
				continue
			}
			h[0].gain, h[0].round = g*factor[top.i], round
			heap.Fix(&h, 0)
			continue
		}
		heap.Pop(&h)
		c.add(top.i)
		sites = append(sites, top.i)
		round++
	}
	return sites
}

// fastPrune drops, most expensive first, every site whose private coverage
// is not needed to keep need.
func fastPrune(m *model, sites []int32, need float64) []int32 {
	sites = slices.Clone(sites)
	slices.SortStableFunc(sites, func(a, b int32) int { return cmpF(m.siteCst[b], m.siteCst[a]) })
	c := newCoverCount(m, sites)
	out := sites[:0]
	for _, s := range sites {
		if c.covered-c.loss(s) >= need {
			c.remove(s)
			continue
		}
		out = append(out, s)
	}
	return out
}
