package routing

import (
	"context"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/rlplan/rlplan/solver"
)

// Defaults applied to zero Settings fields.
const (
	DefaultTimeLimit = 10 * time.Second
	// DefaultMaxIterations is an assumption, not a measured optimum: on
	// the CVRPLIB X instances of 100-200 customers the search is within
	// about 1 % of the best known solution well before it (BENCHMARKS.md),
	// and larger problems meet DefaultTimeLimit first.
	DefaultMaxIterations = 100_000
	DefaultWorkers       = 1
)

// Search settings. They are variables only so that the benchmark harness in
// the tests can compare alternatives (README.md lists the measurements);
// nothing else changes them.
var (
	// lsEvery runs the local search after every ruin and recreate, lsBest
	// on every new best solution.
	lsEvery = false
	lsBest  = true
	// SA start and end temperatures relative to the mean arc cost of the
	// first solution, multiplied by twHeat when jobs have windows (temp.go:
	// tempRange, and the neighbour scale of plain CVRP).
	tempStart = 1.0
	tempEnd   = 0.01
	twHeat    = 3.0
	// squeezeEvery: iterations between route-squeezing attempts when the
	// solution has more routes than the capacity bound (0 disables).
	squeezeEvery = 8192
	// constructFast polishes the first solution of plain CVRP with the
	// dedicated local search (cvrpls.go) instead of the engine's: on
	// X-n1001 0.25 s instead of 0.65 s of a 5 s budget, at the same cost
	// (bench env CFAST=0 turns it off; README.md, wave 11).
	constructFast = true
	// relaxOn starts multi-trip problems from their single-trip relaxation
	// (relax.go).
	relaxOn = true
	// trajectories is the number of annealing trajectories a worker runs
	// side by side (pool.go; 0: trajFew up to trajMaxJobs active jobs, else
	// one), trajTurn the iterations of each turn.
	trajectories = 0
	trajTurn     = 256
	// starTWOn enables SWAP* with windows in Solve's local search
	// (op_swapstar_tw.go). Off: on Solomon at 55,000 iterations, seeds
	// 1-10, the mean gap was the same with and without (0.372 / 0.373 %)
	// and more runs ended above 2 % (README.md, wave 4).
	starTWOn = false
)

// Solve returns the best solution it finds for p within the limits of s
// (nil s means all defaults: 10 s, 100,000 iterations, one worker, seed 0).
//
// Algorithm: every job is first checked alone against every allowed vehicle
// type (capacity, then windows and shift end, then maximum duration); jobs
// no vehicle can serve go straight to Result.Unserved with the blocking
// Reason and a Detail naming the numbers. A first solution comes from
// Clarke-Wright savings (capacity-only problems with one unlimited vehicle
// type) or greedy cheapest insertion, improved by a granular local search
// (40 nearest neighbours; relocate of chains of 1-3 jobs, swap and
// cross-exchange of chains of 1-2 jobs, 2-opt* between routes; relocate,
// swap and 2-opt within a route; moves to an empty vehicle of any type;
// on capacity-only problems SWAP*, Vidal 2022, between neighbouring routes
// once the others find nothing). The search then runs Slack Induction by String
// Removals (Christiaens & Vanden Berghe 2020): remove strings of consecutive
// jobs from routes near a random job, reinsert all unassigned jobs greedily
// with blinks, accept by simulated annealing whose temperature decays
// exponentially over the time budget (over the iterations when
// MaxIterations is set). On up to 450 jobs each worker runs four such
// trajectories in turns of 256 iterations, and at seven evenly spaced points
// of the budget the one whose current solution is worst restarts from a
// copy of the best current one, so that one trajectory caught in a poor
// region does not decide the result. Each new best solution is polished by the local
// search on the routes that changed. Measured alternatives: local search
// after every iteration costs ~100x the iterations for no better gaps.
// Optional jobs are left out when their penalty is below the cheapest
// insertion. With MinimizeVehicles each route carries a weight larger than
// any distance saving, and periodically the smallest route is emptied and
// SISR runs with the fleet capped until its jobs fit elsewhere (kept) or a
// budget is spent (undone).
//
// Feasibility of windows, shift bounds and maximum duration (waiting
// included) is evaluated in O(1) per move with the concatenable segments of
// Vidal et al. (2013); capacity (vector loads) with prefix sums. Jobs with
// several windows use their outer hull in the O(1) filter and an exact
// schedule check before a change is committed.
//
// Complexity per iteration: O(c * (R*L + K)) where c is the number of
// removed jobs (10 on average), R the candidate routes of a job (those of its
// K = 40 nearest neighbours plus one empty vehicle per type), L the route
// length; set-up is O(n^2) for the neighbour lists. A local-search pass costs
// O(n*K) move evaluations, O(1) each between routes and O(L) within one.
//
// Guarantees: every route in the result satisfies every constraint (each
// change is re-checked on the real route before it is kept); every job is in
// exactly one route or in Unserved; mandatory jobs are served whenever the
// search found room for them, and a mandatory job that is infeasible alone
// is never served. With the same Seed and a binding MaxIterations the result
// is identical run to run for any Workers value (MaxIterations is split over
// the workers, at least one iteration each). Problems with at most 8
// servable jobs are solved exactly by enumeration instead (solver.Optimal,
// Iterations 0, Bound = Cost and HasBound unless MinimizeVehicles or a
// mandatory job stays out); larger ones carry no bound. Solve returns an
// error only when p.Validate fails; a cancelled ctx returns the best solution
// so far with solver.Interrupted, typically within a millisecond once the first
// solution exists (set-up and construction are not interruptible: tens of
// milliseconds for 1000 jobs). Settings.Progress is called about every
// 200 ms from worker 0 with the Result.Cost of that worker's best solution
// (and once as soon as its first solution is built).
func Solve(ctx context.Context, p *Problem, s *Settings) (*Result, error) {
	start := time.Now()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var set Settings
	if s != nil {
		set = *s
	}
	if set.TimeLimit <= 0 {
		set.TimeLimit = DefaultTimeLimit
	}
	if set.Workers <= 0 {
		set.Workers = DefaultWorkers
	}
	switch {
	case set.MaxIterations == 0:
		set.MaxIterations = DefaultMaxIterations
	case set.MaxIterations < 0:
		set.MaxIterations = 0 // internally 0 is "no limit"
	}
	in := newInst(p)
	nActive := 0
	for _, a := range in.active {
		if a {
			nActive++
		}
	}
	if nActive == 0 {
		w := newWorker(in, 1)
		res := in.result(w.s)
		res.Status = solver.Optimal
		res.setBound(res.Cost)
		res.Elapsed = time.Since(start)
		return res, nil
	}
	if exactOn {
		if sol := in.exact(); sol != nil {
			res := in.result(sol)
			res.Status = solver.Optimal
			mandatoryOut := false
			for j, ri := range sol.jr {
				if ri < 0 && in.active[j] && in.mandatory[j] {
					mandatoryOut = true
				}
			}
			if !p.MinimizeVehicles && !mandatoryOut {
				res.setBound(res.Cost)
			}
			res.Elapsed = time.Since(start)
			return res, nil
		}
	}
	deadline := start.Add(set.TimeLimit)
	type out struct {
		best   snapshot
		iters  int
		status solver.Status
	}
	outs := make([]out, set.Workers)
	var wg sync.WaitGroup
	for k := 0; k < set.Workers; k++ {
		limit := 0
		if set.MaxIterations > 0 {
			limit = set.MaxIterations / set.Workers
			if k < set.MaxIterations%set.Workers {
				limit++
			}
			limit = max(limit, 1)
		}
		seed := splitmix(uint64(set.Seed) + uint64(k)*0x9e3779b97f4a7c15)
		var prog func(Progress)
		if k == 0 {
			prog = set.Progress
		}
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			w := newWorker(in, seed)
			w.starTW = starTWOn
			w.gran = granOn
			o := &outs[k]
			o.iters, o.status = w.run(ctx, start, deadline, limit, prog)
			w.s.save(&o.best)
		}(k)
	}
	wg.Wait()
	bi := 0
	iters := 0
	for k := range outs {
		iters += outs[k].iters
		if outs[k].best.cost < outs[bi].best.cost-1e-9 {
			bi = k
		}
	}
	sol := newSolution(in)
	sol.load(&outs[bi].best)
	res := in.result(sol)
	res.Iterations = iters
	res.Status = outs[bi].status
	for k := range outs {
		if outs[k].status == solver.Interrupted {
			res.Status = solver.Interrupted
		}
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// run is one independent search. On return w.s holds its best solution.
func (w *worker) run(ctx context.Context, start, deadline time.Time, limit int, prog func(Progress)) (int, solver.Status) {
	s := w.s
	done := ctx.Done()
	status := solver.TimeLimit
	stopped := false
	stop := func() bool {
		if stopped {
			return true
		}
		select {
		case <-done:
			stopped, status = true, solver.Interrupted
			return true
		default:
		}
		// Time only stops iteration-limited runs late enough not to matter;
		// checking the clock every call is cheap (vDSO).
		if time.Now().After(deadline) {
			stopped, status = true, solver.TimeLimit
			return true
		}
		return false
	}
	w.ls.checkFn = stop
	it := w.construct(ctx, start, deadline, limit, stop)
	var best snapshot
	s.recompute()
	s.save(&best)
	t0, tf := w.in.tempRange(w.in.meanArc(s)) // temp.go
	sq := squeezeState{gap: squeezeEvery, next: squeezeEvery}
	lastProg := time.Now()
	if prog != nil { // the first solution, so that a caller sees a cost at once
		prog(Progress{Iterations: 0, BestCost: best.pub, Elapsed: time.Since(start)})
	}
	total := deadline.Sub(start).Seconds()
	if w.in.hgsOK() { // the population search of plain CVRP: pool_hgs.go
		var atLimit bool
		if it, atLimit = w.hgsRun(it, limit, &best, stop, hgsProgress(prog, start, &best)); atLimit {
			status = solver.IterationLimit
		}
		w.s.load(&best)
		return it, status
	}
	w.startWarp()
	pool := newPool(w, w.in.trajectories())
	pool.best = &best
	var fo *filoState // the localised search after every ruin and recreate (cvrpls_filo.go)
	if w.filoOK() {
		fo = w.newFilo()
		t0, tf = t0*filoHeat, tf*filoHeat
	}
	for {
		if limit > 0 && it >= limit {
			status = solver.IterationLimit
			break
		}
		if stop() {
			break
		}
		var progress float64
		if limit > 0 {
			progress = float64(it) / float64(limit)
		} else {
			progress = time.Since(start).Seconds() / total
		}
		temp := temperature(t0, tf, progress)
		if it%trajTurn == 0 {
			left := -1
			if limit > 0 {
				left = limit - it
			}
			it += pool.turn(progress, left, temp, stop)
			s = w.s
		}
		cur := s.cost
		var thr float64 // the annealing's acceptance threshold
		if fo != nil {  // drawn first: the localised search is spared below it (cvrpls_filo_skip.go)
			thr = cur - temp*math.Log(w.rng.Float64())
		}
		w.move(s, fo, thr)
		it++
		// Without the triangle inequality a removal can delay the rest of
		// its route past a window; such states are never accepted (unless
		// time warp is priced: twarp.go).
		feasible := w.acceptable()
		onTime := s.nWarp == 0
		if fo == nil { // drawn after the move, as always: the other problems' runs are unchanged
			thr = cur - temp*math.Log(w.rng.Float64())
		}
		if feasible && s.cost < thr {
			s.commit()
			if s.cost < best.cost-1e-9 && onTime {
				s.recompute() // penalties make the running sum drift
			}
			if s.cost < best.cost-1e-9-1e-12*math.Abs(best.cost) && onTime {
				w.changedJobs(s)
				if lsBest && (progress >= twLSFrom || !w.in.twClass()) {
					w.bestLS(w.lsJobs) // cvrpls.go; tw_search.go
				}
				s.settleFloor() // pool_probe.go
				s.recompute()
				s.save(&best)
			}
		} else {
			s.undo()
		}
		if w.tw != nil && s.warp {
			w.warpStep(onTime, progress)
		}
		if it%1024 == 0 {
			it = w.maintain(it, limit, temp, &sq, &best, stop)
			if fo != nil {
				fo.stale = true // squeezing may have reloaded the solution
			}
		}
		if prog != nil && it%64 == 0 && time.Since(lastProg) > 200*time.Millisecond {
			lastProg = time.Now()
			prog(Progress{Iterations: it, BestCost: best.pub, Elapsed: time.Since(start)})
		}
	}
	s.load(&best)
	return it, status
}

// construct builds the first solution (savings, the relaxed multi-trip
// start, or greedy insertion), polishes it, and empties routes where
// vehicles cost more than travel. It returns the iterations it spent.
func (w *worker) construct(ctx context.Context, start, deadline time.Time, limit int, stop func() bool) int {
	it := 0
	switch {
	case w.in.multiTrip && relaxOn:
		it = w.relaxedStart(ctx, start, deadline, limit)
	case !w.savings():
		w.recreate(0)
	}
	switch {
	case constructFast && w.in.fastOK():
		w.fastLS(nil)
	case w.in.twClass() && !twPolishFirst: // the annealing starts hot: tw_search.go
	default:
		w.localSearch(nil)
	}
	if w.in.routeW > 0 || w.in.multiTrip && w.in.anyFixed {
		// Vehicles cost more than travel: try to empty each route into
		// the others (as extra trips when the types make several a day).
		w.eliminateRoutes(stop)
	}
	return it
}

// move is one ruin and recreate with the undo log open, followed by the
// localised local search (fo, cvrpls_filo.go; spared when it cannot bring
// the state below the acceptance threshold thr) or, under lsEvery, the
// local search of the routes it changed.
func (w *worker) move(s *solution, fo *filoState, thr float64) {
	s.beginLog()
	w.ruin()
	if fo != nil {
		fo.noteRuin(s)
	}
	w.recreate(sisrBlink)
	if fo != nil {
		fo.stepUnless(s, thr)
	}
	if lsEvery {
		w.changedJobs(s)
		w.localSearch(w.lsJobs)
	}
}

// changedJobs sets w.lsJobs to the jobs of the routes the iteration changed.
func (w *worker) changedJobs(s *solution) {
	w.lsJobs = w.lsJobs[:0]
	for _, ri := range s.logRoute {
		w.lsJobs = append(w.lsJobs, s.routes[ri].jobs...)
	}
}

// squeezeState paces route squeezing on tight capacities.
type squeezeState struct{ gap, next int }

// maintain runs every 1024 iterations: it recomputes the cost (stopping
// float drift) and tries to use fewer routes, by route elimination and
// squeezing when minimising vehicles, or by squeezing when the solution
// has more routes than the capacity bound. It returns the iteration count
// with the squeezing iterations added and saves an improved best.
func (w *worker) maintain(it, limit int, temp float64, sq *squeezeState, best *snapshot, stop func() bool) int {
	s := w.s
	s.recompute()
	switch {
	case w.in.routeW > 0 && it%4096 == 0:
		w.eliminateRoutes(stop)
		it += w.squeeze(stop, squeezeBudget(2000, it, limit), temp)
	case squeezeEvery > 0 && it >= sq.next && s.nRoutes() > w.in.minRoutes && (w.in.minRoutes > 0 || w.squeezeWarp()):
		// Tight capacities: the best solutions often use the fewest
		// routes, which ruin and recreate alone rarely reaches.
		before := s.nRoutes()
		if !sqSoftOn || !w.in.fastOK() || !w.squeezeSoft() {
			it += w.squeeze(stop, squeezeBudget(1000, it, limit), temp)
		}
		// back off while the bound looks out of reach
		if s.nRoutes() < before {
			sq.gap = squeezeEvery
		} else {
			sq.gap *= 2
		}
		sq.next = it + sq.gap
	case w.twSqueezeDue(it, sq.next): // tw_search.go
		used, kept := w.squeezeKept(stop, squeezeBudget(1000, it, limit), temp)
		it += used
		if kept {
			sq.gap = squeezeEvery
		} else {
			sq.gap *= 2
		}
		sq.next = it + sq.gap
	default:
		return it
	}
	s.recompute()
	if s.cost < best.cost-1e-9 && s.nWarp == 0 {
		s.save(best)
	}
	return it
}

// squeezeBudget is a squeeze's budget of n iterations, cut to what is left
// of an iteration limit (limit <= 0: none).
func squeezeBudget(n, it, limit int) int {
	if limit > 0 {
		return min(n, limit-it)
	}
	return n
}

// eliminateRoutes tries to empty routes, smallest first, by reinserting
// their jobs elsewhere; it keeps a removal only when every job found a place.
func (w *worker) eliminateRoutes(stop func() bool) {
	s := w.s
	order := make([]int, 0, len(s.routes))
	for ri, r := range s.routes {
		if len(r.jobs) > 0 {
			order = append(order, ri)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(s.routes[a].jobs) - len(s.routes[b].jobs) })
	for _, ri := range order {
		if stop() {
			return
		}
		r := s.routes[ri]
		if len(r.jobs) == 0 {
			continue
		}
		before := s.cost
		s.beginLog()
		s.replace(ri, nil)
		// the emptied route must not take its jobs back
		saved := s.spare[r.t]
		if saved == ri {
			s.spare[r.t] = -1
		}
		w.recreate(0)
		if s.spare[r.t] == -1 {
			s.fixSpare(r.t)
		}
		if s.cost < before-1e-9 {
			s.commit()
			w.localSearch(nil)
		} else {
			s.undo()
		}
	}
}

// squeeze tries to serve the jobs of the smallest route with one vehicle
// fewer: the route is emptied, no new vehicle may be opened, and SISR
// iterations run until every job is placed again or the budget of
// iterations is spent. Leaving a job out costs more than any distance, so
// the annealing never accepts more left-out jobs. On failure the solution is
// restored. It returns the iterations used.
func (w *worker) squeeze(stop func() bool, budget int, temp float64) int {
	s := w.s
	if budget <= 0 || len(s.out) > 0 || s.nWarp > 0 {
		return 0
	}
	ri := -1
	for k, r := range s.routes {
		if len(r.jobs) > 0 && (ri < 0 || len(r.jobs) < len(s.routes[ri].jobs)) {
			ri = k
		}
	}
	if ri < 0 || s.nRoutes() < 2 {
		return 0
	}
	var snap snapshot
	if w.tw != nil && warpSqueeze { // twarp.go
		s.setWarp(w.tw.lw)
		defer s.warpOff()
	}
	s.save(&snap)
	s.replace(ri, nil)
	for t := range s.limit {
		s.limit[t] = s.used[t]
		s.fixSpare(t)
	}
	w.seedOut = true
	used := 0
	for used < budget && (len(s.out) > 0 || s.nWarp > 0) && !stop() {
		cur := s.cost
		s.beginLog()
		w.ruin()
		w.recreate(sisrBlink)
		used++
		if w.tw != nil && warpSqueeze {
			w.warpStep(s.nWarp == 0, 0)
		}
		if w.acceptable() && s.cost < cur-temp*math.Log(w.rng.Float64()) {
			s.commit()
		} else {
			s.undo()
		}
	}
	w.seedOut = false
	ok := len(s.out) == 0 && s.nWarp == 0
	for t := range s.limit {
		if !ok || !w.holdCap {
			s.limit[t] = w.in.types[t].count
		}
		s.fixSpare(t)
	}
	if !ok {
		s.load(&snap)
	} else {
		w.localSearch(nil)
	}
	return used
}
