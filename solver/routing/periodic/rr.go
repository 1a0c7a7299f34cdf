package periodic

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/rlplan/rlplan/solver/routing"
)

// Ruin and recreate over patterns and days: the periodic form of routing's
// SISR under simulated annealing. A ruin takes a few related jobs (a seed
// job and its nearest) off every day they are on; the recreate puts each
// back with the pattern whose cheapest insertions into its days cost least
// (days are independent, so the sum of the days' insertion costs is the
// exact change of cost), so patterns and routes change in one move, priced
// exactly, thousands of times a second. Half the iterations ruin one day
// only, as SISR does (strings of consecutive jobs from the routes around a
// seed job, put back into that day, patterns kept): they reshape the days'
// routes for one day's insertions per job instead of every day's
// (BENCHMARKS.md: on pr05, pr06, pr09, pr10 at 30 s they lowered the gap
// by 1-2 points; at equal iterations the picture is mixed and p13, p30,
// p32 read worse). Routing's local search polishes every new best.

// Parameters of the loop. rrCbar is SISR's mean number of removed jobs
// (Christiaens & Vanden Berghe 2020 use 10 customers; a periodic job
// stands for several visits, so fewer jobs remove as many visits); the
// temperatures are multiples of the mean arc cost of the starting plan, as
// routing's SISR sets them.
const (
	rrCbar  = 6.0
	rrT0    = 1.0
	rrTf    = 0.01
	rrBlink = 0.01
	// rrWindow accepted moves between penalty updates; rrFeasible is the
	// share of feasible plans the penalties aim at.
	rrWindow   = 100
	rrFeasible = 0.2
	// rrDayShare of the iterations ruin one day's routes only: the jobs
	// keep their patterns, and each is put back into that day alone. Only
	// with priced limits (fleets without fixed costs, as Cordeau's): with
	// hard limits and fixed costs (the weekly planner) the Shanghai week
	// read 289,782 CNY with them against 288,543 without (2 more
	// truck-days).
	rrDayShare = 0.5
	// rrDayCbar and rrDayLen are SISR's mean removed jobs and longest
	// string (Christiaens & Vanden Berghe 2020: 10 and 10).
	rrDayCbar = 10.0
	rrDayLen  = 10
)

// rrLoop runs ruin and recreate from the current state until the time or
// maxIter iterations (0: no iteration limit); it returns the best plan
// seen (best on entry included). The state is left at the best plan.
func (sv *search) rrLoop(until time.Time, maxIter int, best snapshot) snapshot {
	var multi []int // jobs that may be moved
	for j := range sv.p.Jobs {
		if sv.pat[j] != 0 && !sv.out[j] {
			multi = append(multi, j)
		}
	}
	if len(multi) < 2 {
		return best
	}
	// Limits are priced when the search may price them (fixed, tight
	// fleets without fixed costs), with penalties tuned as the loop runs
	// (hard limits made recreate fail on full days: pr10 kept 8 jobs
	// unserved, p23 read 4.1 % at 10 s; BENCHMARKS.md).
	soft := sv.soft
	if !soft && !sv.hard {
		sv.setHard(true)
		defer sv.setHard(false)
	}
	if soft {
		sv.setHard(false)
	}
	rr := sv.newRRState(until, maxIter)
	for it := 0; maxIter == 0 || it < maxIter; it++ {
		if it&15 == 0 {
			if sv.stopped() {
				break
			}
			if !time.Now().Before(until) {
				sv.timeBound = true // the result now depends on machine speed
				break
			}
		}
		if soft && rr.window == rrWindow {
			rr.updatePenalties(sv)
		}
		temp := rr.temperature(sv, it)
		sv.iters++
		rr.begin(sv)
		var ok bool
		if rr.dayShare > 0 && sv.rng.Float64() < rr.dayShare {
			d := 0
			rr.removed, d = sv.rrRuinDay(multi, rr.removed[:0])
			ok = sv.rrRecreateDay(d, rr.removed)
		} else {
			rr.removed = sv.rrRuin(multi, rr.removed[:0])
			ok = sv.rrRecreate(rr.removed)
		}
		next := math.Inf(1)
		if ok {
			next = sv.total()
		}
		if ok && next < rr.cur-temp*math.Log(sv.rng.Float64()) {
			best = rr.accept(sv, next, best)
		} else {
			rr.undo(sv)
		}
	}
	return sv.rrFinish(best)
}

// rrState is the state of one ruin-and-recreate loop: the current cost,
// the penalty window's counts, the annealing's scale and the buffers of an
// iteration's undo.
type rrState struct {
	cur       float64
	feasCount int
	window    int
	t0, tf    float64
	start     time.Time
	span      time.Duration
	maxIter   int
	saved     []routing.PlanState
	savedPat  []uint32
	removed   []int
	journal   bool
	dayShare  float64 // the chance of a one-day ruin
}

func (sv *search) newRRState(until time.Time, maxIter int) *rrState {
	rr := &rrState{cur: sv.total(), maxIter: maxIter, start: time.Now()}
	if sv.soft {
		rr.dayShare = rrDayShare
	}
	arcs := 0
	for _, pl := range sv.plans {
		arcs += pl.Arcs()
	}
	mean := rr.cur / float64(max(arcs, 1))
	rr.t0, rr.tf = rrT0*mean, rrTf*mean
	rr.span = until.Sub(rr.start)
	rr.saved = make([]routing.PlanState, sv.days)
	rr.savedPat = make([]uint32, len(sv.p.Jobs))
	rr.removed = make([]int, 0, 64)
	// Undo by the plans' journal (the routes changed) unless a split job's
	// insertion needs that journal itself.
	rr.journal = true
	for j := range sv.p.Jobs {
		rr.journal = rr.journal && sv.model.Visits(j) == 1
	}
	return rr
}

// updatePenalties prices excess so that about rrFeasible of the visited
// plans are feasible (HGS's penalty management).
func (rr *rrState) updatePenalties(sv *search) {
	if float64(rr.feasCount) < rrFeasible*float64(rr.window) {
		sv.lambdaQ, sv.lambdaT = sv.lambdaQ*1.2, sv.lambdaT*1.2
	} else {
		sv.lambdaQ, sv.lambdaT = sv.lambdaQ/1.2, sv.lambdaT/1.2
	}
	sv.reprice()
	rr.cur = sv.total()
	rr.feasCount, rr.window = 0, 0
}

// temperature falls with the iterations when they bound the search
// (reproducible), else with the time, whichever is further on.
func (rr *rrState) temperature(sv *search, it int) float64 {
	progress := 0.0
	if rr.maxIter > 0 {
		progress = float64(it) / float64(rr.maxIter)
	}
	if !sv.bounded && rr.span > 0 {
		progress = max(progress, float64(time.Since(rr.start))/float64(rr.span))
	}
	if rr.t0 <= 0 { // a plan of zero cost has no scale: descent only
		return 0
	}
	return rr.t0 * math.Pow(rr.tf/rr.t0, min(progress, 1))
}

// begin records what undo needs.
func (rr *rrState) begin(sv *search) {
	for d, pl := range sv.plans {
		if rr.journal {
			pl.Begin()
		} else {
			pl.SaveTo(&rr.saved[d])
		}
	}
	copy(rr.savedPat, sv.pat)
}

// accept keeps the move to a plan of cost next; a new best feasible plan
// is polished around the moved jobs and returned as the best.
func (rr *rrState) accept(sv *search, next float64, best snapshot) snapshot {
	if rr.journal {
		for _, pl := range sv.plans {
			pl.Commit()
		}
	}
	rr.cur = next
	rr.window++
	if sv.violation() == 0 {
		rr.feasCount++
	}
	if sv.feasible() && (!best.feas || next < best.cost-1e-9) {
		sv.polish(rr.removed)
		rr.cur = sv.total()
		best = sv.snapshot()
	}
	return best
}

// undo takes the move back.
func (rr *rrState) undo(sv *search) {
	for d, pl := range sv.plans {
		if rr.journal {
			pl.Undo()
		} else {
			pl.Restore(rr.saved[d])
		}
	}
	copy(sv.pat, rr.savedPat)
}

// rrFinish returns to the best plan and polishes every day once: the
// bests were polished only around the jobs just moved, and a plan handed
// on (to a warm start next week) must be a local optimum of routing's
// moves.
func (sv *search) rrFinish(best snapshot) snapshot {
	sv.restore(best)
	for _, pl := range sv.plans {
		pl.Improve()
	}
	if after := sv.snapshot(); after.feas && (after.cost < best.cost-1e-9 || !best.feas) {
		best = after
	} else {
		sv.restore(best)
	}
	return best
}

// rrRuin removes a random job and up to about 2*rrCbar of its nearest
// jobs from every day they are on and returns them.
func (sv *search) rrRuin(multi []int, removed []int) []int {
	seed := multi[sv.rng.Intn(len(multi))]
	k := 1 + sv.rng.Intn(int(2*rrCbar))
	removed = append(removed, seed)
	for _, x := range sv.nearest(seed) {
		if len(removed) >= k {
			break
		}
		if sv.pat[x] != 0 && !sv.out[x] {
			removed = append(removed, x)
		}
	}
	for _, j := range removed {
		sv.dropJob(j)
	}
	return removed
}

// rrRuinDay is SISR's string removal inside one day: a random job, one
// of its days, and strings of consecutive jobs from the routes of that
// day serving it and its nearest jobs, taken off that day only (the jobs
// keep their patterns). It returns the jobs and the day.
func (sv *search) rrRuinDay(multi []int, removed []int) ([]int, int) {
	seed := multi[sv.rng.Intn(len(multi))]
	pat := sv.pat[seed]
	nth := sv.rng.Intn(bitsCount(pat))
	d := 0
	for ; ; d++ {
		if pat&(1<<uint(d)) != 0 {
			if nth == 0 {
				break
			}
			nth--
		}
	}
	pl := sv.plans[d]
	if len(sv.mark) < len(sv.p.Jobs) {
		sv.mark = make([]int, len(sv.p.Jobs))
	}
	sv.stamp++
	// SISR's bounds: strings of at most rrDayLen jobs, as many strings
	// as keep the mean number removed near rrDayCbar.
	cbar, lmax := rrDayCbar, float64(rrDayLen)
	ksMax := max(1, int(4*cbar/(1+lmax)-1))
	ks := 1 + sv.rng.Intn(ksMax)
	try := func(x int) {
		if sv.pat[x]&(1<<uint(d)) == 0 || sv.out[x] || sv.mark[x] == sv.stamp {
			return
		}
		r := pl.RouteJobs(sv.route[:0], x)
		sv.route = r
		for _, y := range r {
			sv.mark[y] = sv.stamp
		}
		l := 1 + sv.rng.Intn(min(rrDayLen, len(r)))
		i := slices.Index(r, x)
		from := min(max(i-sv.rng.Intn(l), 0), len(r)-l)
		for _, y := range r[from : from+l] {
			if !slices.Contains(removed, y) {
				removed = append(removed, y)
			}
		}
		ks--
	}
	try(seed)
	for _, x := range sv.nearest(seed) {
		if ks == 0 {
			break
		}
		try(x)
	}
	for _, j := range removed {
		pl.Remove(j)
	}
	return removed, d
}

// rrRecreateDay puts the jobs back into day d, each at its cheapest place,
// in one of SISR's orders; false when one fits nowhere.
func (sv *search) rrRecreateDay(d int, jobs []int) bool {
	sv.rrOrder(jobs)
	pl := sv.plans[d]
	for _, j := range jobs {
		ins, ok := pl.BestInsertion(j)
		if !ok || !pl.Insert(ins) {
			return false
		}
	}
	return true
}

// rrOrder sorts the jobs to recreate in one of SISR's orders: random,
// hardest first, farthest or nearest first.
func (sv *search) rrOrder(jobs []int) {
	switch x := sv.rng.Intn(10); {
	case x < 4:
		sv.rng.Shuffle(len(jobs), func(a, b int) { jobs[a], jobs[b] = jobs[b], jobs[a] })
	case x < 8: // most visits first, then the largest amount
		sortJobs(jobs, func(j int) float64 { return -sv.weight(j) })
	case x < 9:
		sortJobs(jobs, func(j int) float64 { return -sv.depotDist(j) })
	default:
		sortJobs(jobs, func(j int) float64 { return sv.depotDist(j) })
	}
}

// rrRecreate inserts the removed jobs in one of SISR's orders, each with
// its cheapest pattern (see rrPattern); false when one fits no pattern.
func (sv *search) rrRecreate(jobs []int) bool {
	sv.rrOrder(jobs)
	for _, j := range jobs {
		bestPat, bestIns := sv.rrPattern(j)
		if bestPat == 0 {
			return false
		}
		i := 0
		for d := 0; d < sv.days; d++ {
			if bestPat&(1<<uint(d)) != 0 {
				if !sv.plans[d].Insert(bestIns[i]) {
					return false
				}
				i++
			}
		}
		sv.pat[j] = bestPat
	}
	return true
}

// rrPattern returns job j's cheapest pattern and its insertions (0 when
// it fits none); a candidate pattern is skipped with probability rrBlink.
// Each pattern's days are searched only for places that beat the best
// pattern so far. (Pricing the job's previous pattern first, to bound the
// others sooner, saved no measurable time and changed the weekly
// planner's plans: a split job's pricing reorders its day's route slots.)
func (sv *search) rrPattern(j int) (uint32, []routing.Insertion) {
	bestPat, bestCost := uint32(0), math.Inf(1)
	var bestIns []routing.Insertion
	pats := sv.p.Jobs[j].Patterns
	for _, pat := range pats {
		if len(pats) > 1 && sv.rng.Float64() < rrBlink {
			continue
		}
		ins, cost, ok := sv.patternInsertions(j, pat, 0, bestCost)
		if ok && cost < bestCost {
			bestPat, bestCost, bestIns = pat, cost, ins
		}
	}
	return bestPat, bestIns
}

// polish runs routing's local search on the days of the given jobs around
// them.
func (sv *search) polish(jobs []int) {
	for d, pl := range sv.plans {
		var on []int
		for _, j := range jobs {
			if sv.pat[j]&(1<<uint(d)) != 0 {
				on = append(on, j)
			}
		}
		if len(on) > 0 {
			pl.Improve(on...)
		}
	}
}

// feasible reports whether every day meets every limit.
func (sv *search) feasible() bool {
	for _, pl := range sv.plans {
		if !pl.Feasible() {
			return false
		}
	}
	return true
}

// weight orders jobs hardest first: visits, then amount.
func (sv *search) weight(j int) float64 {
	job := sv.p.Jobs[j]
	w := 0.0
	for _, a := range job.Amount {
		w += float64(a)
	}
	return float64(bitsCount(job.Patterns[0]))*1e9 + w
}

func (sv *search) depotDist(j int) float64 {
	p := sv.p
	return p.Distance[p.Vehicles[0].Start][p.Jobs[j].Location]
}

func bitsCount(x uint32) int { return bits.OnesCount32(x) }

// sortJobs sorts jobs by key, ties by index, so that the order is
// deterministic.
func sortJobs(jobs []int, key func(int) float64) {
	slices.SortFunc(jobs, func(a, b int) int {
		if c := cmp.Compare(key(a), key(b)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
}
