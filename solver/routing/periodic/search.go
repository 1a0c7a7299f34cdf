package periodic

import (
	"math"
	"sort"
	"time"

	"github.com/rlplan/rlplan/solver/routing"
)

// run runs the phases: cheapest-insertion construction, pattern local
// search, a joint routing solve with the patterns found, more pattern
// search, ruin and recreate over patterns and days to the end. The best
// plan seen is returned.
func (sv *search) run() *Result {
	start := time.Now()
	limit := sv.set.TimeLimit
	// Phases end at shares of the time limit when time is the only budget;
	// with both iteration budgets set, the budgets end them and only the
	// whole time limit can cut one short, so that the result does not
	// depend on the machine's speed or load.
	bounded := sv.set.MaxIterations > 0 && sv.set.RoutingIterations > 0 && sv.set.SearchIterations > 0
	sv.bounded = bounded
	at := func(f float64) time.Time {
		if bounded {
			f = 1
		}
		return start.Add(time.Duration(f * float64(limit)))
	}
	if sv.p.Previous != nil {
		return sv.runWarm(at)
	}
	allFlexible := true
	for j := range sv.p.Jobs {
		allFlexible = allFlexible && sv.flexible(j)
	}
	if allFlexible {
		// Patterns are just days: one routing problem is the whole task.
		sv.initialPatterns()
		sv.joint(time.Until(at(1)), sv.set.Seed, true)
		unserved := sv.repair(sv.homeless)
		return sv.finish(append(unserved, sv.makeFeasible()...))
	}
	// Two starts: patterns chosen by cheapest insertion, and patterns
	// chosen for balanced daily loads then routed by insertion. Each gets
	// a short pattern search; the better one goes on.
	mi := sv.set.MaxIterations
	unserved := sv.construct(nil)
	sv.markOut(unserved)
	best := sv.ils(at(0.05), mi, sv.snapshot())
	sv.initialPatterns()
	balanced := append([]uint32(nil), sv.pat...)
	sv.clear()
	un2 := sv.construct(balanced)
	if len(un2) <= len(unserved) {
		other := sv.ils(at(0.1), mi, sv.snapshot())
		if better(other, best) && len(un2) == len(unserved) || len(un2) < len(unserved) {
			best, unserved = other, un2
			sv.markOut(unserved)
		}
	}
	sv.restore(best)
	// Routing makes the patterns found better if it can; repair places
	// what it leaves out.
	sv.joint(time.Until(at(0.3)), sv.set.Seed, true)
	unserved = append(unserved, sv.repair(sv.homeless)...)
	sv.homeless = nil
	sv.markOut(unserved)
	best = sv.ils(at(0.37), (mi+1)/2, sv.snapshot())
	sv.restore(best)
	// Ruin and recreate changes patterns and routes together from the
	// best plan to the end. It replaced a second joint solve and a last
	// pattern local search: on ten of the worst Cordeau instances, two
	// seeds, the mean gap went 4.48 % -> 3.08 % with it after a second
	// joint solve of the same budget, and 2.70 % with it alone on three
	// times the budget (BENCHMARKS.md).
	best = sv.rrLoop(at(1), sv.set.SearchIterations, best)
	sv.restore(best)
	unserved = append(unserved, sv.repair(sv.homeless)...)
	return sv.finish(append(unserved, sv.makeFeasible()...))
}

// makeFeasible makes every day meet every limit: it takes the jobs off the
// routes with excess (possible when the search stopped in a priced state)
// and repairs them with hard limits; it returns the jobs that fit nowhere.
func (sv *search) makeFeasible() []int {
	sv.setHard(true)
	var evict []int
	for _, pl := range sv.plans {
		evict = append(evict, pl.Evict()...)
	}
	for _, j := range evict {
		sv.dropJob(j)
	}
	return sv.repair(evict)
}

// markOut records the jobs given up as unserved: joint solves leave them
// out.
func (sv *search) markOut(jobs []int) {
	for j := range sv.out {
		sv.out[j] = false
	}
	for _, j := range jobs {
		sv.out[j] = true
	}
}

// clear empties every day.
func (sv *search) clear() {
	for j := range sv.pat {
		if sv.pat[j] != 0 {
			sv.dropJob(j)
		}
	}
}

// ils is the iterated local search over patterns: improve by pattern moves
// and relocations until none helps, keep the best plan, return to it when
// the current one is worse by more than 0.2 %, perturb, repeat; until the
// time or maxRounds (0 = no round limit) is reached or the best has not
// improved for max(30, n/4) rounds.
func (sv *search) ils(until time.Time, maxRounds int, best snapshot) snapshot {
	n := len(sv.p.Jobs)
	// Stop early when the best has not moved for a while: the time is
	// better spent in the next joint solve.
	stall, lastGain := max(30, n/4), 0
	for it := 0; maxRounds == 0 || it < maxRounds; it++ {
		if sv.stopped() || it-lastGain > stall {
			break
		}
		if !time.Now().Before(until) {
			sv.timeBound = true // the result now depends on machine speed
			break
		}
		sv.iters++
		for pass := 0; pass < 50; pass++ {
			if !sv.patternPass() || sv.ctx.Err() != nil {
				break
			}
		}
		cost, viol := sv.total(), sv.violation()
		switch {
		case viol == 0 && (best.viol > 0 || cost < best.cost-1e-9),
			viol > 0 && best.viol > 0 && cost < best.cost-1e-9:
			best, lastGain = sv.snapshot(), it
		case cost > best.cost*(1+0.002):
			sv.restore(best)
		}
		// Price excess up while the plan is infeasible, down otherwise.
		if sv.violation() > 0 {
			sv.lambdaQ, sv.lambdaT = sv.lambdaQ*1.5, sv.lambdaT*1.5
		} else {
			sv.lambdaQ, sv.lambdaT = sv.lambdaQ/1.2, sv.lambdaT/1.2
		}
		sv.reprice()
		sv.perturb(max(2, min(n/15, 12)))
	}
	return best
}

// better prefers a feasible plan, then the lower cost.
func better(a, b snapshot) bool {
	if (a.viol == 0) != (b.viol == 0) {
		return a.viol == 0
	}
	return a.cost < b.cost
}

// patternPass tries, for every job in random order, its cheapest place on
// each of its days (then routing's local search around it when it moved),
// then every other pattern (leave the days
// it drops, cheapest insertion into the days it joins); it applies the
// best improving pattern change. It reports whether anything improved.
func (sv *search) patternPass() bool {
	p := sv.p
	improved := false
	gain := make([]float64, sv.days)
	for _, j := range sv.rng.Perm(len(p.Jobs)) {
		if sv.ctx.Err() != nil {
			break
		}
		cur := sv.pat[j]
		if cur == 0 {
			continue
		}
		for d := 0; d < sv.days; d++ {
			if cur&(1<<uint(d)) == 0 {
				continue
			}
			pl := sv.plans[d]
			if pl.Relocate(j) {
				pl.Improve(j)
				improved = true
			}
			gain[d] = pl.RemovalGain(j)
		}
		if len(p.Jobs[j].Patterns) == 1 {
			continue
		}
		bestDelta, bestPat := -1e-7, uint32(0)
		var bestIns []routing.Insertion
		for _, pat := range p.Jobs[j].Patterns {
			if pat == cur {
				continue
			}
			leave := 0.0
			for d := 0; d < sv.days; d++ {
				if cur&^pat&(1<<uint(d)) != 0 {
					leave += gain[d]
				}
			}
			charge := sv.patternCharge(j, cur, pat)
			if ins, cost, ok := sv.patternInsertions(j, pat, cur, bestDelta+leave-charge); ok && cost-leave+charge < bestDelta {
				bestDelta, bestPat, bestIns = cost-leave+charge, pat, ins
			}
		}
		if bestPat != 0 && sv.changePattern(j, bestPat, bestIns) {
			improved = true
		}
	}
	return improved
}

// perturb moves k random jobs with several patterns to a random feasible
// other pattern, or a cluster of neighbours to one pattern.
func (sv *search) perturb(k int) {
	p := sv.p
	var multi []int
	for j, job := range p.Jobs {
		if len(job.Patterns) > 1 && sv.pat[j] != 0 {
			multi = append(multi, j)
		}
	}
	if len(multi) == 0 {
		return
	}
	move := func(j int, pat uint32) {
		cur := sv.pat[j]
		if pat == cur || cur == 0 {
			return
		}
		if ins, _, ok := sv.patternInsertions(j, pat, cur, math.Inf(1)); ok {
			sv.changePattern(j, pat, ins)
		}
	}
	if sv.rng.Intn(2) == 0 {
		// Random jobs to random patterns.
		for i := 0; i < k; i++ {
			j := multi[sv.rng.Intn(len(multi))]
			pats := p.Jobs[j].Patterns
			move(j, pats[sv.rng.Intn(len(pats))])
		}
		return
	}
	// A cluster: a random job and its nearest jobs that allow the same
	// new pattern all move to it, which single moves cannot do.
	j := multi[sv.rng.Intn(len(multi))]
	pats := p.Jobs[j].Patterns
	pat := pats[sv.rng.Intn(len(pats))]
	moved := 0
	for _, x := range sv.nearest(j) {
		if moved >= k {
			break
		}
		for _, q := range p.Jobs[x].Patterns {
			if q == pat && sv.pat[x] != pat {
				move(x, pat)
				moved++
				break
			}
		}
	}
	move(j, pat)
}
func (sv *search) nearest(j int) []int {
	if sv.near == nil {
		sv.near = make([][]int, len(sv.p.Jobs))
	}
	if sv.near[j] == nil {
		p := sv.p
		lj := p.Jobs[j].Location
		idx := make([]int, 0, len(p.Jobs)-1)
		for x := range p.Jobs {
			if x != j {
				idx = append(idx, x)
			}
		}
		sort.SliceStable(idx, func(a, b int) bool {
			return p.Distance[lj][p.Jobs[idx[a]].Location] < p.Distance[lj][p.Jobs[idx[b]].Location]
		})
		if len(idx) > 30 {
			idx = idx[:30]
		}
		sv.near[j] = idx
	}
	return sv.near[j]
}

// snapshot is a saved plan: patterns and every day's routes, with its
// cost (excess priced) and priced excess when saved.
type snapshot struct {
	pat        []uint32
	days       []routing.PlanState
	cost, viol float64
	feas       bool // every day meets every limit
}

func (sv *search) snapshot() snapshot {
	s := snapshot{pat: append([]uint32(nil), sv.pat...), cost: sv.total(), viol: sv.violation(), feas: sv.feasible()}
	for _, pl := range sv.plans {
		s.days = append(s.days, pl.Save())
	}
	return s
}

func (sv *search) restore(s snapshot) {
	copy(sv.pat, s.pat)
	for d, pl := range sv.plans {
		pl.Restore(s.days[d])
	}
}
