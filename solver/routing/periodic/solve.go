package periodic

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
)

// Defaults applied to zero Settings fields. The iteration budgets are
// assumptions, not tuned optima: enough for the pattern search to stall on
// its own on weeks of a few hundred visits, for a joint solve to settle
// a week of a plant (the weekly planner passes its own budgets), and for
// ruin and recreate to move each job of such a week a few dozen times
// (2,000 iterations of about 6 jobs each: about 0.1-0.5 s on a week of a
// few hundred visits, measured on Cordeau's p30 and pr06).
const (
	DefaultTimeLimit         = 30 * time.Second
	DefaultMaxIterations     = 100
	DefaultRoutingIterations = 5_000
	DefaultSearchIterations  = 2_000
)

// Solve chooses a pattern for every job and routes every day.
//
// Each day is a routing.Plan over one routing.Model of the day (every job,
// the per-day fleet, trips and split pickups as in routing): days are
// edited with routing's own cheapest insertion and local search, so a
// truck's trips, reloads and pieces of a split job are planned the same way
// as by routing.Solve, and every day is feasible at every step.
//
// Phases, with shares of the time limit when time is the only budget (with
// all three iteration budgets set the budgets end each phase, and only the
// whole time limit can stop one early): (1) two starts, each followed by
// a short pattern search (until 5 % and 10 %): patterns chosen job by job
// (hardest first: fewest patterns, most visits, largest amount) by the
// cheapest insertion into the days, and patterns chosen for balanced daily
// loads and nearness, then inserted; the better start goes on. The pattern
// search is an iterated local search whose moves relocate a job within its
// days or change its pattern (remove it from the days it leaves, cheapest
// insertion into the days it joins, local search around it), with random
// or clustered pattern changes as perturbation. (2) A joint routing.Solve
// of all days until 30 %: one vehicle type per (day, type), each
// multi-visit job as one routing job per day of its pattern, each
// single-visit job allowed on the types of all its allowed days so that
// routing picks its day. (3) Pattern search until 37 %. Pattern searches
// stop early when the best plan has not improved for max(30, n/4) rounds.
// (4) Ruin and recreate to the end (SearchIterations): a few related jobs
// leave every day they are on and come back one by one with the pattern
// whose cheapest insertions cost least, under simulated annealing, with
// load and time excess priced when the fleet has no fixed cost, and
// routing's local search on each new best; half the iterations instead
// take SISR strings off one day's routes and put them back into that day
// (patterns kept).
//
// When every pattern of every job is a single day the problem is a
// multi-depot VRP in disguise and one joint solve takes the whole time.
//
// Jobs that no allowed pattern fits are reported in Result.Unserved with
// pattern 0. With Settings.MaxIterations, RoutingIterations and
// SearchIterations binding before the time limit, the result is reproducible for a Seed. A cancelled
// ctx returns the best plan so far with solver.Interrupted. Solve returns an
// error only for a malformed problem.
//
// Cost: a pattern-search round is O(n * P * D * R * L) insertion checks for
// n jobs, P patterns, D days, R routes a day and L stops a route, each O(1)
// with routing's segments; the joint solves cost what routing.Solve costs
// on the sum of all visits.
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
		set.Workers = 1
	}
	set.MaxIterations = orDefault(set.MaxIterations, DefaultMaxIterations)
	set.RoutingIterations = orDefault(set.RoutingIterations, DefaultRoutingIterations)
	set.SearchIterations = orDefault(set.SearchIterations, DefaultSearchIterations)
	deadline := start.Add(set.TimeLimit)
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	sv, err := newSearch(ctx, p, set)
	if err != nil {
		return nil, err
	}
	res := sv.run()
	res.Elapsed = time.Since(start)
	return res, nil
}

// orDefault maps a Settings limit to the internal form: 0 is the default,
// negative means none (internally 0).
func orDefault(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// Validate reports the first structural error in p: those of
// routing.Problem.Validate, a period outside 1..MaxDays, a job with a
// penalty (periodic jobs are mandatory), no pattern, or a pattern naming
// days outside the period. It does not decide feasibility.
func (p *Problem) Validate() error {
	if p.Days < 1 || p.Days > MaxDays {
		return fmt.Errorf("periodic: %d days, want 1..%d", p.Days, MaxDays)
	}
	rp := &routing.Problem{Distance: p.Distance, Duration: p.Duration, Vehicles: p.Vehicles}
	for _, j := range p.Jobs {
		rp.Jobs = append(rp.Jobs, j.Job)
	}
	if err := rp.Validate(); err != nil {
		return fmt.Errorf("periodic: %w", err)
	}
	if err := p.validatePrevious(); err != nil {
		return err
	}
	full := fullMask(p.Days)
	for j, job := range p.Jobs {
		if job.Penalty != 0 {
			return fmt.Errorf("periodic: job %d (%s): penalty %g, want 0 (periodic jobs are mandatory)", j, job.ID, job.Penalty)
		}
		if len(job.Patterns) == 0 {
			return fmt.Errorf("periodic: job %d (%s): no allowed pattern", j, job.ID)
		}
		for _, pat := range job.Patterns {
			if pat == 0 || pat&^full != 0 {
				return fmt.Errorf("periodic: job %d (%s): pattern %b outside days 1..%d", j, job.ID, pat, p.Days)
			}
		}
	}
	return nil
}

func fullMask(days int) uint32 {
	if days >= 32 {
		return ^uint32(0)
	}
	return 1<<uint(days) - 1
}

// search holds the state of a periodic solve.
type search struct {
	ctx  context.Context
	p    *Problem
	set  Settings
	rng  *rand.Rand
	days int
	// model is the routing view of one day: every job, the per-day fleet.
	model *routing.Model
	// plans[d] are the routes of day d.
	plans []*routing.Plan
	// pat is the current pattern of each job (0 = unserved).
	pat    []uint32
	iters  int
	status solver.Status
	// timeBound records that a phase deadline (a share of TimeLimit), not
	// an iteration budget, ended some phase: the result is then reported
	// as solver.TimeLimit because another run may differ.
	timeBound bool
	// homeless are jobs a joint solve left unserved, awaiting repair.
	homeless []int
	out      []bool  // jobs given up as unserved
	near     [][]int // nearest jobs per job, filled lazily
	// mark[j] == stamp: j's route was ruined in this rrRuinDay; route
	// is its buffer for a route's jobs.
	mark  []int
	stamp int
	route []int
	// lambdaQ and lambdaT price load and time excess (per unit) while the
	// days are soft; hard days forbid it (repair, the end).
	lambdaQ, lambdaT float64
	hard             bool
	// bounded: the iteration budgets, not shares of the time limit, end
	// the phases.
	bounded bool
	soft    bool // the search may price limits at all
	// prevPat are the days of each job in Problem.Previous (nil without
	// one), which Settings.ConsistencyCost prices a move off.
	prevPat []uint32
}

// dayProblem is the routing problem of any one day: every job, the per-day
// fleet.
func dayProblem(p *Problem) *routing.Problem {
	rp := &routing.Problem{Distance: p.Distance, Duration: p.Duration, Vehicles: p.Vehicles}
	for _, j := range p.Jobs {
		rp.Jobs = append(rp.Jobs, j.Job)
	}
	return rp
}

func newSearch(ctx context.Context, p *Problem, set Settings) (*search, error) {
	m, err := routing.NewModel(dayProblem(p))
	if err != nil {
		return nil, fmt.Errorf("periodic: %w", err)
	}
	sv := &search{
		ctx: ctx, p: p, set: set, rng: rand.New(rand.NewSource(int64(set.Seed))), days: p.Days, model: m,
		pat: make([]uint32, len(p.Jobs)), plans: make([]*routing.Plan, p.Days),
		status: solver.IterationLimit, out: make([]bool, len(p.Jobs)),
	}
	for d := range sv.plans {
		sv.plans[d] = m.NewPlan(set.Seed + solver.Seed(d))
	}
	if p.Previous != nil {
		sv.prevPat = make([]uint32, len(p.Jobs))
		for d, routes := range p.Previous {
			for _, rt := range routes {
				for _, j := range rt.Jobs {
					sv.prevPat[j] |= 1 << uint(d)
				}
			}
		}
	}
	sv.lambdaQ, sv.lambdaT = sv.initialWeights()
	// Priced limits let the pattern search cross infeasible plans, which
	// pays on fixed, tight fleets (Cordeau's PVRP: 1.49 % mean gap against
	// 1.70 % with hard limits, BENCHMARKS.md). When vehicles have a fixed
	// cost, an overloaded day stands for a vehicle that is not paid for and
	// misleads the choice of days (Shanghai's week: 176,833 CNY priced
	// against 176,166 hard): days then stay feasible.
	sv.soft = true
	for _, v := range p.Vehicles {
		sv.soft = sv.soft && v.FixedCost == 0
	}
	sv.setHard(!sv.soft)
	return sv, nil
}

// initialWeights prices one unit of excess load like the mean depot
// distance per unit of mean amount, or, when vehicles cost more than that
// (a fixed cost per vehicle-day), like one more vehicle's fixed cost and
// round trip per unit of its capacity; one time unit of excess like one
// distance unit.
func (sv *search) initialWeights() (float64, float64) {
	p := sv.p
	var dist, amt float64
	for _, j := range p.Jobs {
		dist += p.Distance[p.Vehicles[0].Start][j.Location]
		for _, a := range j.Amount {
			amt += float64(a)
		}
	}
	lq := 1.0
	if amt > 0 && dist > 0 {
		lq = dist / amt
	}
	var vehicle, capa float64
	for _, v := range p.Vehicles {
		vehicle = max(vehicle, v.FixedCost+2*v.CostPerDistance*dist/float64(max(len(p.Jobs), 1)))
		if len(v.Capacity) > 0 {
			capa += float64(v.Capacity[0]) / float64(len(p.Vehicles))
		}
	}
	if capa > 0 {
		lq = max(lq, vehicle/capa)
	}
	return lq, 1
}

// setHard makes the days' limits hard (repair, the end of the search) or
// priced at the current weights.
func (sv *search) setHard(hard bool) {
	sv.hard = hard || !sv.soft
	sv.reprice()
}

// reprice applies the current weights to every day.
func (sv *search) reprice() {
	for _, pl := range sv.plans {
		if sv.hard {
			pl.SetPenalties(0, 0)
		} else {
			pl.SetPenalties(sv.lambdaQ, sv.lambdaT)
		}
	}
}

// violation is the priced excess of every day (0: every day feasible).
func (sv *search) violation() float64 {
	v := 0.0
	for _, pl := range sv.plans {
		v += pl.Penalty()
	}
	return v
}

// stopped reports whether the context is done, recording why.
func (sv *search) stopped() bool {
	if err := sv.ctx.Err(); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			sv.status = solver.TimeLimit
		} else {
			sv.status = solver.Interrupted
		}
		return true
	}
	return false
}

// total is the cost of every day's routes with their priced excess and
// the consistency charge.
func (sv *search) total() float64 {
	t := sv.currentCharge()
	for _, pl := range sv.plans {
		t += pl.Cost() + pl.Penalty()
	}
	return t
}

// insertDay adds job j to day d at ins and polishes the routes around it
// with routing's local search; false when it fits nowhere.
func (sv *search) insertDay(d int, ins routing.Insertion, j int) bool {
	if !sv.plans[d].Insert(ins) {
		return false
	}
	sv.plans[d].Improve(j)
	return true
}

// patternInsertions finds the cheapest insertion of job j into each day of
// pat that it is not on in cur, summing their costs; ok is false when a day
// has no room or the sum reaches limit.
func (sv *search) patternInsertions(j int, pat, cur uint32, limit float64) (ins []routing.Insertion, cost float64, ok bool) {
	for d := 0; d < sv.days; d++ {
		if pat&^cur&(1<<uint(d)) == 0 {
			continue
		}
		// The day's search skips places that cannot keep the sum below
		// limit; the margin keeps every place the sum test below would
		// accept, so the result is the one of an unbounded search.
		bound := limit - cost
		bound += 1e-9 * (math.Abs(limit) + math.Abs(cost) + 1)
		in, found := sv.plans[d].BestInsertionBelow(j, bound)
		if !found {
			return nil, 0, false
		}
		cost += in.Cost()
		if cost >= limit {
			return nil, 0, false
		}
		ins = append(ins, in)
	}
	return ins, cost, true
}

// changePattern moves job j to pattern pat; ins are the insertions for the
// days of pat not in the current pattern, in day order. It reports whether
// every insertion still applied (a day changed since they were found is
// searched again).
func (sv *search) changePattern(j int, pat uint32, ins []routing.Insertion) bool {
	cur := sv.pat[j]
	for d := 0; d < sv.days; d++ {
		if cur&^pat&(1<<uint(d)) != 0 {
			sv.plans[d].Remove(j)
		}
	}
	i, ok := 0, true
	for d := 0; d < sv.days; d++ {
		if pat&^cur&(1<<uint(d)) != 0 {
			ok = sv.insertDay(d, ins[i], j) && ok
			i++
		}
	}
	sv.pat[j] = pat
	if !ok { // cannot happen: the days it joins did not change since
		sv.dropJob(j)
		sv.homeless = append(sv.homeless, j)
	}
	return ok
}

// dropJob takes job j off every day.
func (sv *search) dropJob(j int) {
	for d := 0; d < sv.days; d++ {
		if sv.plans[d].Has(j) {
			sv.plans[d].Remove(j)
		}
	}
	sv.pat[j] = 0
}

// allowed reports whether job j may ride vehicle type t.
func (sv *search) allowed(j, t int) bool {
	at := sv.p.Jobs[j].AllowedTypes
	if len(at) == 0 {
		return true
	}
	for _, x := range at {
		if x == t {
			return true
		}
	}
	return false
}
