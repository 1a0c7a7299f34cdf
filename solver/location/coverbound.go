package location

import (
	"math"
	"slices"
)

// The bound of SetCover under capacities: the strong linear relaxation of
// capacitated partial set cover, by Lagrangian relaxation.
//
// With x_ij the share of demand j that facility i covers (listed within
// Radius), u_j the share left uncovered and y_i the sites opened,
//
//	min Σ_i f_i y_i
//	s.t. Σ_i x_ij + u_j = 1            (λ_j)
//	     Σ_j w_j u_j <= W - T          (the target T: at most the slack uncovered)
//	     Σ_j w_j x_ij <= s_i y_i,  0 <= x_ij <= y_i,  y_i ∈ {0,1} (open outlets: y_i = 1)
//
// relaxing the first family leaves, for each facility, the continuous
// knapsack of facility location (ρ_i = f_i - the λ it can cover within its
// capacity) and, for the demands, a fractional knapsack: the slack goes to
// the demands of largest λ_j/w_j (lagState.uncover). So
//
//	L(λ) = Σ_j λ_j - max{Σ_j λ_j u_j : Σ_j w_j u_j <= W - T, 0 <= u <= 1}
//	       + Σ_{i open} ρ_i + Σ_{i new} min(0, ρ_i)
//
// is the bound of the strong relaxation (capacities and x_ij <= y_i both
// kept), not of the uncapacitated partial cover, whose fractional sites
// cover whole demands for a fraction of their cost. The multiplier of the
// target row is optimised out exactly for each λ (it is the knapsack's
// critical ratio), so the volume algorithm of lagrange.go runs unchanged on
// the model coverModel builds, and so do reduced-cost fixing and the
// branch and bound of branch.go.

// coverModel is the Lagrangian model of a capacitated SetCover with target
// weight target: a shallow copy of m with site costs as fixed costs, pairs
// within Radius at cost 0 and the others unusable (+Inf), and the slack
// W - target in place of unserved costs.
func (m *model) coverModel(target float64) *model {
	mm := *m
	mm.fcost = make([]float64, m.F)
	for _, i := range m.cands {
		mm.fcost[i] = m.siteCst[i]
	}
	mm.icost = make([]float64, len(m.icost))
	for k, c := range m.icost {
		if c != 0 { // beyond Radius (a zero weight is 0 either way)
			mm.icost[k] = math.Inf(1)
		}
	}
	mm.target, mm.slack = true, math.Max(0, m.totalW-target)
	return &mm
}

// uncover is the target's part of a cover model's Lagrangian: the largest
// Σ λ_j u_j with at most slack weight uncovered (demands by decreasing
// λ_j/w_j, the last one fractional; a weightless demand is left out free).
// It subtracts u from the subgradient and returns the sum.
func (st *lagState) uncover() float64 {
	m, lambda := st.m, st.lambda
	if st.uord == nil {
		st.uord = make([]int32, 0, m.n)
		for j := 0; j < m.n; j++ {
			st.uord = append(st.uord, int32(j))
		}
	}
	ratio := func(j int32) float64 {
		if m.w[j] <= 0 {
			return math.Inf(1)
		}
		return lambda[j] / m.w[j]
	}
	slices.SortFunc(st.uord, func(a, b int32) int {
		if c := cmpF(ratio(b), ratio(a)); c != 0 {
			return c
		}
		return int(a - b)
	})
	left, v := m.slack, 0.0
	for _, j := range st.uord {
		if lambda[j] <= 0 {
			if m.w[j] <= 0 {
				continue // weightless: first whatever its price, never a gain
			}
			break // the rest are priced at most 0: nothing more to gain
		}
		f := 1.0
		if w := m.w[j]; w > 0 {
			if left <= 0 {
				break
			}
			f = math.Min(1, left/w)
			left -= f * w
		}
		v += f * lambda[j]
		st.sub[j] -= f
	}
	return v
}

// coverStart is the first multipliers of the cover bound: every demand
// priced at coverStartMarkup times the least cost per unit of weight a
// candidate can cover (its fixed cost over the smaller of its capacity and
// the weight it reaches). At the least price itself (markup 1) no site
// value is negative and the bound is that price times the weight the open
// outlets cannot take, but the point is degenerate: hundreds of sites sit
// at ρ_i = 0 and no step of the volume algorithm improves on it (measured
// on CN-GD: stuck 1.9 % below the LP). A little above, the cheapest sites
// open, and the steps work the prices down to the LP's.
func (m *model) coverStart() []float64 {
	pi := math.Inf(1)
	for _, i := range m.cands {
		reach := 0.0
		for k := m.istart[i]; k < m.istart[i+1]; k++ {
			if m.icost[k] == 0 {
				reach += m.w[m.idem[k]]
			}
		}
		if a := math.Min(m.capa[i], reach); a > 0 {
			pi = math.Min(pi, m.siteCst[i]/a)
		}
	}
	if math.IsInf(pi, 1) {
		pi = 0
	}
	lambda := make([]float64, m.n)
	for j := range lambda {
		lambda[j] = coverStartMarkup * pi * m.w[j]
	}
	return lambda
}

// coverStartMarkup: measured on CN-GD 15 km 0.99 at 1000 iterations,
// 1.05 ends 0.09 % below the LP optimum, 1.2 0.54 %, 1.5 1.3 %.
const coverStartMarkup = 1.05

// coverBound runs the capacitated cover's bound: the Lagrangian of
// coverModel, whose iterates feed the heuristic (each site set completed
// greedily, pruned and scored exactly), then reduced-cost fixing, and
// enumeration or branch and bound of the undecided sites when they are
// few, which proves the best optimal. It returns the bound (the best cost
// when proven), the best sites and their cost; the search's candidates
// shrink to those fixing leaves.
func (cs *coverSearch) coverBound(best []int32, bestCost float64) (float64, []int32, float64) {
	r, m := cs.r, cs.m
	cm := m.coverModel(cs.target)
	h := &coverHost{cs: cs, best: best, cost: bestCost, w0: cs.cv.ev.work}
	stop := r.boundStop(0.5)
	lo := cm.lagrange(r.set.BoundIterations, bestCost, m.coverStart(), stop, h.heuristic(stop), r.set.Workers)
	if lo.rho == nil {
		return noBound, h.best, h.cost
	}
	integral := allInt(m.siteCst)
	lb := m.achievable(lo.bound)
	cands, locked := cm.fixByReducedCostRounded(lo.bound, lo.rho, h.cost, integral, m.achievable)
	if len(cands) < len(m.cands) {
		mm := *m
		mm.cands = cands
		cs.m = &mm
		cm.cands = cands
	}
	var open, und []int32
	for _, i := range cands {
		if locked != nil && locked[i] {
			open = append(open, i)
		} else {
			und = append(und, i)
		}
	}
	switch {
	case len(und) <= enumMax:
		if h.enumerate(open, und) {
			lb = h.cost
		}
	case len(und) <= coverBranchMaxUndecided && len(cm.fac)+cm.n <= branchMaxEntries:
		if branchFrom(h, cm, open, und, lo.lambda) {
			lb = h.cost
		}
	}
	return lb, h.best, h.cost
}

// coverHost is the capacitated cover's side of the bound: the best cover
// found and the exact scoring of site sets (branchHost for the tree).
type coverHost struct {
	cs   *coverSearch
	best []int32
	cost float64
	w0   int64 // the evaluator's work when the bound started
}

func (h *coverHost) bestCost() float64        { return h.cost }
func (h *coverHost) round(lb float64) float64 { return h.cs.m.achievable(lb) }
func (h *coverHost) evalWork() int64          { return h.cs.cv.ev.work }
func (h *coverHost) stop() bool               { return h.cs.r.stop() }

// score completes sites greedily to the target, prunes them and keeps the
// result when it is the cheapest cover; false when the run was stopped.
func (h *coverHost) score(sites []int32) bool {
	cs := h.cs
	cand := cs.prune(cs.greedy(sites, -1, 0))
	if cs.r.isStopped() {
		return false
	}
	h.offer(cand)
	return true
}

// offer keeps sites when they reach the target more cheaply than the best.
func (h *coverHost) offer(sites []int32) {
	cs := h.cs
	c := cs.costOf(sites)
	if c >= h.cost-1e-9*math.Max(1, h.cost) {
		return
	}
	if cov, _ := cs.cv.covered(sites, cs.r.stop); cov >= cs.need {
		h.best, h.cost = slices.Clone(sites), c
	}
}

// heuristic is lagrange's onSet: Beasley's Lagrangian heuristic on the
// iterates' site sets, spending on exact evaluations about as much work as
// the bound spends on its iterations (counted in work, so that an
// iteration-bounded run is reproducible).
func (h *coverHost) heuristic(stop func() bool) func(sites []int32, rho []float64) float64 {
	m := h.cs.m
	var last string
	var boundWork int64
	return func(sites []int32, _ []float64) float64 {
		boundWork += int64(2*len(m.fac) + m.n)
		key := siteKey(sites)
		if key == last || stop() || 3*(h.evalWork()-h.w0) > boundWork {
			return h.cost
		}
		last = key
		h.score(sites)
		return h.cost
	}
}

// enumerate scores every subset of the undecided sites (with the locked
// ones) that is cheaper than the best, cheapest first; it reports whether
// it finished (the best is then optimal).
func (h *coverHost) enumerate(open, und []int32) bool {
	cs := h.cs
	base := cs.costOf(open)
	type sub struct {
		mask int
		cost float64
	}
	var subs []sub
	for mask := 0; mask < 1<<len(und); mask++ {
		c := base
		for b, i := range und {
			if mask>>b&1 == 1 {
				c += cs.m.siteCst[i]
			}
		}
		if c < h.cost-1e-9*math.Max(1, h.cost) {
			subs = append(subs, sub{mask, c})
		}
	}
	slices.SortStableFunc(subs, func(a, b sub) int { return cmpF(a.cost, b.cost) })
	for _, s := range subs {
		if s.cost >= h.cost-1e-9*math.Max(1, h.cost) {
			break
		}
		if cs.r.stop() {
			return false
		}
		h.offer(withSubset(open, und, s.mask))
	}
	return true
}

// achievable raises a lower bound lb on the cost of a cover to the least
// cost a set of the candidates can have that is at least lb: a cover's cost
// is a sum of site costs, and the typed siting has three distinct ones (a
// collection site, a central storage, an upgrade), so a bound of 2.48
// collection sites is really 3 of them. Counts of each distinct cost are
// searched depth first, dearest first, within a node budget; over the
// budget, or with more than achievableMaxKinds distinct costs, lb stands.
func (m *model) achievable(lb float64) float64 {
	if math.IsInf(lb, 0) || lb <= 0 {
		return lb
	}
	count := map[float64]int{}
	for _, i := range m.cands {
		count[m.siteCst[i]]++
	}
	if len(count) > achievableMaxKinds {
		return lb
	}
	type kind struct {
		c float64
		n int
	}
	var kinds []kind
	for c, n := range count {
		if c > 0 {
			kinds = append(kinds, kind{c, n})
		}
	}
	slices.SortFunc(kinds, func(a, b kind) int { return cmpF(b.c, a.c) })
	need := lb - 1e-9*math.Max(1, lb)
	best, nodes := math.Inf(1), 0
	var dfs func(k int, sum float64)
	dfs = func(k int, sum float64) {
		if nodes++; nodes > achievableMaxNodes || sum >= best {
			return
		}
		if sum >= need {
			best = sum
			return
		}
		if k == len(kinds) {
			return
		}
		c := kinds[k].c
		most := min(kinds[k].n, int(math.Ceil((need-sum)/c)))
		for x := most; x >= 0; x-- {
			dfs(k+1, sum+float64(x)*c)
		}
	}
	dfs(0, 0)
	if nodes > achievableMaxNodes || math.IsInf(best, 1) {
		return lb
	}
	return math.Max(lb, best)
}

const (
	achievableMaxKinds = 8
	achievableMaxNodes = 200000
)

// coverBranchMaxUndecided is the most undecided sites a capacitated cover
// sends to the tree (facility location: branchMaxUndecided, 64). The
// rounding to sums of site costs prunes far more than a Lagrangian bound
// alone: on CN-GD 15 km 0.99, 81 undecided sites, the tree proves 12
// collection sites optimal in 0.04 s (cbc leaves 6 % open after 40 s); where
// it does not finish (CN-SD 10 km 0.98, 91 sites) it stops on its work
// budget within about a second.
const coverBranchMaxUndecided = 200
