package location

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rlplan/rlplan/solver"
)

// Solve optimises p.Objective and returns the best solution found with a
// Lagrangian bound. It is the single entry point for every objective, in the
// style of gonum's optimize.Minimize: a plain problem in, statistics out.
//
// Method by case:
//   - uncapacitated PMedian, MaxCover, FacilityLocation: lazy greedy, then
//     fast-interchange local search (Whitaker; Resende–Werneck gains) inside a
//     variable neighbourhood search (random k-swaps, k = 1..kmax);
//   - any capacity: Lagrangian heuristic (Beasley 1988) plus add/drop/swap
//     local search whose moves are scored by exact transportation problems
//     (network simplex) or, with SingleSource, a regret heuristic with
//     shift/swap repair for the generalised assignment;
//   - SetCover: cost-effectiveness greedy, redundancy elimination and
//     drop-and-refill local search; under capacities the Lagrangian bound of
//     the strong relaxation (coverbound.go) feeds Beasley's heuristic,
//     reduced-cost fixing and the enumeration or tree of branch.go.
//
// Every run computes the Lagrangian bound of lagrange.go (BoundIterations
// subgradient steps). Solve returns an error only for an invalid Problem
// (wrapping ErrInvalid); cancellation and time limits return the best
// solution so far with Status solver.Interrupted or solver.TimeLimit.
//
// Complexity per local-search pass is O(Σ_i |demands listing i| + |cands|·P)
// for the uncapacitated objectives, which keeps national instances (10^5
// demands, 3·10^4 facilities) within seconds.
func Solve(ctx context.Context, p *Problem, settings *Settings) (*Result, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	set := settings.withDefaults()
	r := &run{ctx: ctx, set: set, start: time.Now(), deadline: time.Now().Add(set.TimeLimit)}
	r.rng = rand.New(rand.NewPCG(uint64(set.Seed), 0x9e3779b97f4a7c15))
	r.target = p.CoverTarget
	m := newModel(p)
	var res *Result
	switch {
	case p.Objective == SetCover:
		res = r.setCover(m)
	case m.capped:
		res = r.capacitated(m)
	default:
		res = r.uncapacitated(m)
	}
	res.Elapsed = time.Since(r.start)
	return res, nil
}

// run carries what every method shares: limits, clock and random stream.
type run struct {
	ctx      context.Context
	set      Settings
	start    time.Time
	deadline time.Time
	rng      *rand.Rand
	stopped  atomic.Int32 // a Status once the run must end; read by every worker
	target   float64      // SetCover share, 0 = 1
}

// stop reports whether the run must end, recording why.
func (r *run) stop() bool {
	if r.stopped.Load() != 0 {
		return true
	}
	if r.ctx.Err() != nil {
		r.stopped.CompareAndSwap(0, int32(solver.Interrupted))
		return true
	}
	if time.Now().After(r.deadline) {
		r.stopped.CompareAndSwap(0, int32(solver.TimeLimit))
		return true
	}
	return false
}

// isStopped reports whether stop has fired, without checking the clock.
func (r *run) isStopped() bool { return r.stopped.Load() != 0 }

// boundStop stops the bound after its share of the time limit so that the
// search keeps most of it.
func (r *run) boundStop(share float64) func() bool {
	limit := r.start.Add(time.Duration(share * float64(r.set.TimeLimit)))
	return func() bool { return r.stop() || time.Now().After(limit) }
}

func (r *run) status(gap float64, hasBound bool) solver.Status {
	if hasBound && gap <= optTol {
		return solver.Optimal
	}
	if st := r.stopped.Load(); st != 0 {
		return solver.Status(st)
	}
	return solver.IterationLimit
}

// noBound marks a lower bound that was never computed (BoundIterations < 0,
// or a run stopped before the first iterate).
var noBound = math.Inf(-1)

// finish fills Bound, Gap, HasBound and Status from the minimisation-form
// cost and bound (uncovered weight for MaxCover); lb is noBound when no
// bound was computed. Every cost is >= 0, so a zero cost is optimal whatever
// the bound.
func (r *run) finish(m *model, res *Result, minCost, lb float64) {
	if minCost <= 0 {
		lb = minCost
	}
	if math.IsNaN(lb) || math.IsInf(lb, -1) {
		res.Cost = minCost
		if m.obj == MaxCover {
			res.Cost = m.totalW - minCost
		}
		res.Bound, res.Gap, res.HasBound = 0, 0, false
		res.Status = r.status(0, false)
		return
	}
	if lb > minCost {
		lb = minCost // rounding noise only: a bound cannot beat a feasible cost
	}
	if m.obj == MaxCover {
		res.Cost = m.totalW - minCost
		res.Bound = m.totalW - lb
	} else {
		res.Cost = minCost
		res.Bound = lb
	}
	res.HasBound = true
	res.Gap = gapOf(res.Cost, res.Bound)
	res.Status = r.status(res.Gap, true)
}

// gapOf is |cost-bound| / max(|cost|, 1e-12), 0 when both are 0.
func gapOf(cost, bound float64) float64 {
	if cost == 0 && bound == 0 {
		return 0
	}
	return math.Abs(cost-bound) / math.Max(math.Abs(cost), 1e-12)
}

// roundBound rounds a bound up when every cost is an integer.
func roundBound(m *model, lb float64, integral bool) float64 {
	if integral && !math.IsInf(lb, 0) {
		return math.Ceil(lb-1e-6*math.Max(1, math.Abs(lb))) + 0 // + 0 turns -0 into 0
	}
	return lb
}

// uncapacitated solves the uncapacitated objectives (PMedian, MaxCover,
// FacilityLocation): greedy and local search, the Lagrangian bound with
// reduced-cost fixing, a polish of the bound's sites, enumeration of the
// few undecided sites when that is cheap, then the variable neighbourhood
// search.
func (r *run) uncapacitated(m *model) *Result {
	s := newSwapState(m)
	s.greedy(r.stop)
	s.localSearch(r.stop)
	best := s.sites()
	bestCost := s.cost()
	integral := m.integral()

	lb, lagSites := r.uncapBound(m, s, bestCost, integral)
	if lagSites != nil && !r.stop() {
		best, bestCost, lb = r.polishLagrangianSites(m, s, lagSites, best, bestCost, lb)
	}
	if m.obj != MaxCover && s.locked != nil && !r.stop() && bestCost-lb > optTol*math.Max(1, math.Abs(bestCost)) {
		best, bestCost, lb = r.enumerateUndecided(m, s, best, bestCost, lb)
	}
	iters := 0
	if r.set.Workers <= 1 || gapClosed(bestCost, lb) {
		best, bestCost, iters = r.vns(m, s, r.rng, best, bestCost, lb)
	} else {
		best, iters = r.parallelVNS(m, s, best, bestCost, lb)
	}
	s.init(best)
	res := &Result{Open: toInts(best), Assign: make([]int, m.n), Iterations: iters}
	for j := 0; j < m.n; j++ {
		f := s.f1[j]
		res.Assign[j] = int(f)
		if f < 0 {
			res.Unserved += m.w[j]
		}
	}
	res.Covered = m.covered(res.Assign)
	r.finish(m, res, s.cost(), lb)
	return res
}

// gapClosed reports whether cost is within optTol of the bound lb.
func gapClosed(cost, lb float64) bool {
	return cost-lb <= optTol*math.Max(1, math.Abs(cost))
}

// uncapBound computes the Lagrangian bound (rounded up when costs are
// integral) and the sites of its best iterate; outside MaxCover it also
// fixes sites by reduced cost in s (s.cands, s.locked).
func (r *run) uncapBound(m *model, s *swapState, bestCost float64, integral bool) (float64, []int32) {
	lambda := slices.Clone(s.c1)
	var lb float64
	var lagSites []int32
	if m.obj == MaxCover {
		ub, sites := m.coverBound(r.set.BoundIterations, m.totalW-bestCost, r.boundStop(0.3))
		lb, lagSites = m.totalW-ub, sites
	} else {
		lo := m.lagrange(r.set.BoundIterations, bestCost, lambda, r.boundStop(0.3), nil, r.set.Workers)
		lb, lagSites = lo.bound, lo.sites
		if lo.rho != nil {
			s.cands, s.locked = m.fixByReducedCost(lo.bound, lo.rho, bestCost, integral)
		}
	}
	return roundBound(m, lb, integral), lagSites
}

// polishLagrangianSites runs the local search from the sites of the best
// Lagrangian iterate, which are often (near) optimal, and returns the
// better solution and the bound (raised to the cost when that proves
// optimality).
func (r *run) polishLagrangianSites(m *model, s *swapState, lagSites, best []int32, bestCost, lb float64) ([]int32, float64, float64) {
	s.init(lagSites)
	s.localSearch(r.stop)
	if c := s.cost(); c < bestCost-s.eps {
		best, bestCost = s.sites(), c
	}
	// With a cardinality, if fixing left only the P sites of the
	// Lagrangian choice, that set (just scored) is the only solution
	// that could beat the old best: the best is optimal.
	if m.p > 0 && len(s.cands) <= m.p && m.obj != MaxCover {
		lb = bestCost
	}
	return best, bestCost, lb
}

// enumerateUndecided scores every set of the sites left undecided by
// fixing (exact scores) for a proof, when there are few of them and that
// costs at most about 2·10^8 row entries. A complete enumeration raises
// the bound to the best cost. s holds best on return.
func (r *run) enumerateUndecided(m *model, s *swapState, best []int32, bestCost, lb float64) ([]int32, float64, float64) {
	var fixedOpen, und []int32
	for _, i := range s.cands {
		if s.locked[i] {
			fixedOpen = append(fixedOpen, i)
		} else {
			und = append(und, i)
		}
	}
	if len(und) > 16 || float64(int(1)<<len(und))*float64(len(m.fac)+m.n) > 2e8 {
		return best, bestCost, lb
	}
	complete := true
	for mask := 0; mask < 1<<len(und); mask++ {
		sites := withSubset(fixedOpen, und, mask)
		if m.p >= 0 && len(sites) != m.p {
			continue
		}
		if mask&63 == 0 && r.stop() {
			complete = false
			break
		}
		s.init(sites)
		if c := s.cost(); c < bestCost-s.eps {
			best, bestCost = s.sites(), c
		}
	}
	if complete {
		lb = math.Max(lb, bestCost)
	}
	s.init(best)
	return best, bestCost, lb
}

// vnsKmax is the largest shake size of the variable neighbourhood search.
func vnsKmax(m *model) int {
	if m.p >= 0 {
		return max(1, min(m.p, 10))
	}
	return max(1, min(len(m.cands)/2, 10))
}

// vns runs the variable neighbourhood search on its own state and random
// stream from best, until the iteration limit, the gap to lb closes or the
// run stops; workers share only the read-only model and the clock.
func (r *run) vns(m *model, s *swapState, rng *rand.Rand, best []int32, bestCost, lb float64) ([]int32, float64, int) {
	kmax := vnsKmax(m)
	iters, k := 0, 1
	cur := s.sites() // what the state holds now
	for iters < r.set.MaxIterations && !gapClosed(bestCost, lb) && !r.stop() {
		if len(s.cands) == 0 || m.p >= 0 && (m.p == 0 || m.p >= len(s.cands)) {
			break // nothing to exchange
		}
		iters++
		if !slices.Equal(cur, best) || iters%64 == 0 {
			s.init(best) // also clears the drift of incremental losses
		}
		s.logging, s.journal = true, s.journal[:0]
		s.shake(rng, k)
		if !s.localSearch(r.stop) {
			s.logging = false
			break
		}
		s.logging = false
		c := s.cost()
		if c < bestCost-s.eps {
			best, bestCost = s.sites(), c
			k = 1
		} else {
			s.undo()
			k++
			if k > kmax {
				k = 1
			}
		}
		cur = best // the state holds best again (improved, or undone)
	}
	return best, bestCost, iters
}

// parallelVNS runs r.set.Workers searches from best, worker 0 on s and the
// run's random stream, worker w on its own state and stream (seed, w); it
// returns the best of their results (worker 0's on ties) and the sum of
// their iterations.
func (r *run) parallelVNS(m *model, s *swapState, best []int32, bestCost, lb float64) ([]int32, int) {
	type out struct {
		best  []int32
		cost  float64
		iters int
	}
	outs := make([]out, r.set.Workers)
	var wg sync.WaitGroup
	for w := range outs {
		ws, rng := s, r.rng
		if w > 0 {
			ws = newSwapState(m)
			ws.cands, ws.locked = s.cands, s.locked
			ws.init(best)
			rng = rand.New(rand.NewPCG(uint64(r.set.Seed), uint64(w)))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, c, it := r.vns(m, ws, rng, best, bestCost, lb)
			outs[w] = out{b, c, it}
		}()
	}
	wg.Wait()
	iters := 0
	for w, o := range outs {
		iters += o.iters
		if w == 0 || o.cost < bestCost-s.eps {
			best, bestCost = o.best, o.cost
		}
	}
	return best, iters
}

// covered sums the weight assigned within the radius (0 when Radius is 0 and
// the objective has no radius).
func (m *model) covered(assign []int) float64 {
	if m.obj != MaxCover && m.obj != SetCover && m.radius == 0 {
		return 0
	}
	t := 0.0
	for j, f := range assign {
		if f < 0 {
			continue
		}
		for e := m.start[j]; e < m.start[j+1]; e++ {
			if int(m.fac[e]) == f {
				if m.dist[e] <= m.radius {
					t += m.w[j]
				}
				break
			}
		}
	}
	return t
}

func toInts(a []int32) []int {
	out := make([]int, len(a))
	for i, v := range a {
		out[i] = int(v)
	}
	slices.Sort(out)
	return out
}

// optTol is the relative gap at which a solution counts as proven optimal.
const optTol = 1e-7

// fixByReducedCost applies Lagrangian variable fixing. With ρ the site
// values at the best multipliers and L the bound, any solution that opens a
// site i outside the relaxed choice costs at least L + ρ_i - ρ_(p) (p-median:
// it displaces the p-th cheapest) or L + ρ_i (free choice); one that closes
// a chosen site at least L - ρ_i + ρ_(p+1), or L - ρ_i. Sites whose bound
// exceeds what an improvement on ub may cost (ub - 1 for integral costs)
// are dropped from the insertion list or locked open. It returns the
// remaining candidates and the lock flags.
func (m *model) fixByReducedCost(L float64, rho []float64, ub float64, integral bool) ([]int32, []bool) {
	return m.fixByReducedCostRounded(L, rho, ub, integral, nil)
}

// fixByReducedCostRounded is fixByReducedCost with each bound raised by
// round (when not nil) to the least cost a solution can have at or above
// it (capacitated SetCover: sums of site costs).
func (m *model) fixByReducedCostRounded(L float64, rho []float64, ub float64, integral bool, round func(float64) float64) ([]int32, []bool) {
	if round == nil {
		round = func(v float64) float64 { return v }
	}
	limit := ub + 1e-9*math.Max(1, math.Abs(ub)) // cannot even tie
	if integral {
		limit = ub - 1 + 1e-6 // an improvement costs at most ub - 1
	}
	order := slices.Clone(m.cands)
	slices.SortStableFunc(order, func(a, b int32) int { return cmpF(rho[a], rho[b]) })
	chosen := make([]bool, m.F)
	var pth, next float64
	if m.p >= 0 {
		if m.p == 0 || m.p >= len(order) {
			return m.cands, nil
		}
		for _, i := range order[:m.p] {
			chosen[i] = true
		}
		pth, next = rho[order[m.p-1]], rho[order[m.p]]
	} else {
		for _, i := range order {
			chosen[i] = rho[i] < 0
		}
	}
	var cands []int32
	locked := make([]bool, m.F)
	for _, i := range m.cands {
		if chosen[i] {
			if round(L-rho[i]+next) > limit {
				locked[i] = true
			}
			cands = append(cands, i)
			continue
		}
		if round(L+rho[i]-pth) <= limit {
			cands = append(cands, i)
		}
	}
	return cands, locked
}

// withSubset is fixedOpen plus the undecided sites und[b] whose bit b is set
// in mask: one site set of an enumeration over the undecided sites.
func withSubset(fixedOpen, und []int32, mask int) []int32 {
	sites := slices.Clone(fixedOpen)
	for b, i := range und {
		if mask>>b&1 == 1 {
			sites = append(sites, i)
		}
	}
	return sites
}
