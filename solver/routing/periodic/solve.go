package periodic

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"sort"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
)

// Defaults applied to zero Settings fields. The iteration budgets are
// assumptions, not tuned optima: enough for the pattern search to stall on
// its own on weeks of a few hundred visits, and for a joint solve to settle
// a week of a plant (the weekly planner passes its own budgets).
const (
	DefaultTimeLimit         = 30 * time.Second
	DefaultMaxIterations     = 100
	DefaultRoutingIterations = 5_000
)

// Solve chooses a pattern for every job and routes every day.
//
// Phases, with shares of the time limit: (1) two starts, each followed by
// a short pattern search (until 5 % and 10 %): patterns chosen job by job
// (hardest first: fewest patterns, most visits, largest amount) by the
// cheapest insertion into the days, and patterns chosen for balanced daily
// loads and nearness, then inserted; capacity and duration excess are
// priced rather than forbidden; the better start goes on. The pattern
// search is an iterated local search whose moves relocate a visit within
// its day or change a job's pattern (remove it from the days it leaves,
// insert it cheapest into the days it joins), with 2-opt after each
// insertion, penalty weights raised while the plan is infeasible and
// lowered while feasible, and random or clustered pattern changes as
// perturbation. (2) A joint routing.Solve of all days until 30 %: one
// vehicle type per (day, type), each multi-visit job as one routing job
// per day of its pattern, each single-visit job allowed on the types of all
// its allowed days so that routing picks its day. (3) Pattern search until
// 37 %. (4) A second joint solve until 97 %, kept if cheaper. (5) Pattern
// search to the end. Pattern searches stop early when the best plan has
// not improved for max(30, n/4) rounds.
//
// When every pattern of every job is a single day the problem is a
// multi-depot VRP in disguise and phase 3 alone runs for the whole time.
//
// Jobs that no allowed pattern fits are reported in Result.Unserved with
// pattern 0. With Settings.MaxIterations and RoutingIterations set and the
// time limit not binding, the result is reproducible for a Seed. A
// cancelled ctx returns the best plan so far with solver.Interrupted.
// Solve returns an error only for a malformed problem.
//
// Cost: a pattern-search round is O(n * P * D * R * L) insertion checks for
// n jobs, P patterns, D days, R routes a day and L stops a route; the joint
// solves cost what routing.Solve costs on the sum of all visits.
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
	deadline := start.Add(set.TimeLimit)
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	sv := newSolver(ctx, p, set)
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
	// pat is the current pattern of each job (0 = unserved).
	pat []uint32
	// routes[d] are the routes of day d as job sequences.
	routes  [][]dayRoute
	dayCost []float64
	iters   int
	status  solver.Status
	// timeBound records that a phase deadline (a share of TimeLimit), not
	// an iteration budget, ended some phase: the result is then reported
	// as solver.TimeLimit because another run may differ.
	timeBound bool
	// homeless are jobs a joint solve left unserved, awaiting repair.
	homeless []int
	sym      int     // 0 unknown, 1 symmetric distances, 2 asymmetric
	out      []bool  // jobs given up as unserved
	near     [][]int // nearest jobs per job, filled lazily
	// hard forbids capacity and duration excess in insertions; otherwise
	// they are priced with lambdaQ (per unit) and lambdaT (per time unit).
	hard             bool
	lambdaQ, lambdaT float64
	hasTime          bool // some job or vehicle has time constraints
}

type dayRoute struct {
	typ  int
	jobs []int
	cost float64 // route cost plus viol
	viol float64 // weighted capacity and duration excess
}

func newSolver(ctx context.Context, p *Problem, set Settings) *search {
	sv := &search{
		ctx: ctx, p: p, set: set, rng: rand.New(rand.NewSource(int64(set.Seed))), days: p.Days,
		pat: make([]uint32, len(p.Jobs)), routes: make([][]dayRoute, p.Days), dayCost: make([]float64, p.Days),
		status: solver.IterationLimit, out: make([]bool, len(p.Jobs)),
	}
	for _, v := range p.Vehicles {
		if v.ShiftEnd != 0 || v.MaxDuration > 0 || v.CostPerDuration != 0 {
			sv.hasTime = true
		}
	}
	for _, j := range p.Jobs {
		if len(j.Windows) > 0 {
			sv.hasTime = true
		}
	}
	sv.lambdaQ, sv.lambdaT = sv.initialWeights()
	return sv
}

func (sv *search) dur(i, j int) float64 {
	if sv.p.Duration != nil {
		return sv.p.Duration[i][j]
	}
	return sv.p.Distance[i][j]
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

// routeEval evaluates a route for the search: its cost plus the weighted
// capacity and duration excess (see schedule), and whether it is
// acceptable: time windows hold and, in hard mode, there is no excess.
func (sv *search) routeEval(typ int, jobs []int) (float64, bool) {
	c, viol, ok := sv.schedule(typ, jobs, nil)
	return c + viol, ok && (!sv.hard || viol == 0)
}

// rescore recomputes route ri of day d after a change.
func (sv *search) rescore(d, ri int) {
	r := &sv.routes[d][ri]
	c, viol, _ := sv.schedule(r.typ, r.jobs, nil)
	sv.dayCost[d] += c + viol - r.cost
	r.cost, r.viol = c+viol, viol
}

// rescoreAll recomputes every route, after the penalty weights changed.
func (sv *search) rescoreAll() {
	for d := range sv.routes {
		sv.dayCost[d] = 0
		for ri := range sv.routes[d] {
			r := &sv.routes[d][ri]
			c, viol, _ := sv.schedule(r.typ, r.jobs, nil)
			r.cost, r.viol = c+viol, viol
			sv.dayCost[d] += r.cost
		}
	}
}

// violation is the summed weighted excess of the plan; 0 = feasible.
func (sv *search) violation() float64 {
	v := 0.0
	for _, rs := range sv.routes {
		for _, r := range rs {
			v += r.viol
		}
	}
	return v
}

// schedule computes a route's cost, its weighted excess of capacity
// (lambdaQ per unit) and of maximum duration and shift end (lambdaT per
// time unit), and whether its time windows hold; it fills out (when not
// nil) with its times. It departs at the shift start, then as late as the
// waiting allows without moving the return, which gives the shortest
// duration for the order.
func (sv *search) schedule(typ int, jobs []int, out *routing.Route) (cost, viol float64, ok bool) {
	p := sv.p
	vt := p.Vehicles[typ]
	ok = true
	load := make([]int64, len(vt.Capacity))
	dist := 0.0
	at := vt.Start
	for _, j := range jobs {
		job := &p.Jobs[j]
		dist += p.Distance[at][job.Location]
		for d, a := range job.Amount {
			load[d] += a
		}
		at = job.Location
	}
	dist += p.Distance[at][vt.End]
	if len(jobs) == 0 {
		return 0, 0, true
	}
	for d, l := range load {
		if l > vt.Capacity[d] {
			viol += sv.lambdaQ * float64(l-vt.Capacity[d])
		}
	}
	if !sv.hasTime && out == nil {
		return vt.FixedCost + vt.CostPerDistance*dist, viol, ok
	}
	depart := vt.ShiftStart
	ret, wait, slack, feas := sv.forward(vt, jobs, depart, nil, nil)
	delay := math.Min(wait, slack)
	if delay > 0 {
		if r2, _, _, f2 := sv.forward(vt, jobs, depart+delay, nil, nil); f2 && r2 <= ret+1e-9 {
			depart += delay
			ret = math.Max(r2, depart)
		}
	}
	ok = feas
	if vt.ShiftEnd != 0 && ret > vt.ShiftEnd+1e-9 {
		viol += sv.lambdaT * (ret - vt.ShiftEnd)
	}
	if vt.MaxDuration > 0 && ret-depart > vt.MaxDuration+1e-9 {
		viol += sv.lambdaT * (ret - depart - vt.MaxDuration)
	}
	if out != nil {
		out.Arrival = make([]float64, len(jobs))
		out.Start = make([]float64, len(jobs))
		sv.forward(vt, jobs, depart, out.Arrival, out.Start)
		out.Depart, out.Return = depart, ret
		out.Duration = ret - depart
		out.Distance = dist
		out.Load = load
	}
	cost = vt.FixedCost + vt.CostPerDistance*dist + vt.CostPerDuration*(ret-depart)
	if out != nil {
		out.Cost = cost
	}
	return cost, viol, ok
}

// forward runs the earliest schedule from depart; it returns the return
// time, the total waiting, the slack by which the departure can be delayed
// without a service leaving its window, and window feasibility.
func (sv *search) forward(vt routing.VehicleType, jobs []int, depart float64, arr, st []float64) (ret, wait, slack float64, ok bool) {
	ok = true
	slack = math.Inf(1)
	at, free := vt.Start, depart
	for i, j := range jobs {
		job := &sv.p.Jobs[j]
		a := free + sv.dur(at, job.Location)
		s := a
		if len(job.Windows) > 0 {
			found := false
			for _, w := range job.Windows {
				if a <= w.Close+1e-9 {
					s = math.Max(a, w.Open)
					wait += s - a
					slack = math.Min(slack, w.Close-s+wait)
					found = true
					break
				}
			}
			if !found {
				ok = false
			}
		}
		if arr != nil {
			arr[i], st[i] = a, s
		}
		at, free = job.Location, s+job.Service
	}
	return free + sv.dur(at, vt.End), wait, slack, ok
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

// insertion is the cheapest way to add a job to a day.
type insertion struct {
	route int // index in routes[d]; -1 = a new route of type typ
	typ   int
	pos   int
	delta float64
}

// typesUsed counts the routes of each type on day d.
func (sv *search) typesUsed(d int) []int {
	n := make([]int, len(sv.p.Vehicles))
	for _, r := range sv.routes[d] {
		n[r.typ]++
	}
	return n
}

// bestInsertion finds the cheapest feasible insertion of job j into day d.
func (sv *search) bestInsertion(d, j int, buf []int) (insertion, bool, []int) {
	best := insertion{delta: math.Inf(1)}
	found := false
	p := sv.p
	loc := p.Jobs[j].Location
	type cand struct {
		pos   int
		delta float64
	}
	var cands []cand
	for ri, r := range sv.routes[d] {
		if !sv.allowed(j, r.typ) {
			continue
		}
		vt := p.Vehicles[r.typ]
		// Capacity first (hard mode): it does not depend on the position.
		fits := true
		for k, a := range p.Jobs[j].Amount {
			if !sv.hard {
				break
			}
			var l int64
			for _, x := range r.jobs {
				l += p.Jobs[x].Amount[k]
			}
			if l+a > vt.Capacity[k] {
				fits = false
				break
			}
		}
		if !fits {
			continue
		}
		cands = cands[:0]
		prev := vt.Start
		for pos := 0; pos <= len(r.jobs); pos++ {
			next := vt.End
			if pos < len(r.jobs) {
				next = p.Jobs[r.jobs[pos]].Location
			}
			dd := p.Distance[prev][loc] + p.Distance[loc][next] - p.Distance[prev][next]
			cands = append(cands, cand{pos, vt.CostPerDistance * dd})
			prev = next
		}
		sort.Slice(cands, func(a, b int) bool {
			if cands[a].delta != cands[b].delta {
				return cands[a].delta < cands[b].delta
			}
			return cands[a].pos < cands[b].pos
		})
		// Take the first feasible position in order of added distance:
		// exact for distance costs, a good guess with duration costs.
		for _, c := range cands {
			if c.delta >= best.delta-1e-12 {
				break
			}
			buf = append(buf[:0], r.jobs[:c.pos]...)
			buf = append(buf, j)
			buf = append(buf, r.jobs[c.pos:]...)
			cost, ok := sv.routeEval(r.typ, buf)
			if !ok {
				continue
			}
			if delta := cost - r.cost; delta < best.delta-1e-12 {
				best = insertion{route: ri, typ: r.typ, pos: c.pos, delta: delta}
				found = true
			}
			break
		}
	}
	used := sv.typesUsed(d)
	for t, vt := range p.Vehicles {
		if !sv.allowed(j, t) || vt.Count > 0 && used[t] >= vt.Count {
			continue
		}
		cost, ok := sv.routeEval(t, []int{j})
		if ok && cost < best.delta-1e-12 {
			best = insertion{route: -1, typ: t, delta: cost}
			found = true
		}
	}
	return best, found, buf
}

// apply performs an insertion.
func (sv *search) apply(d, j int, ins insertion) {
	if ins.route < 0 {
		sv.routes[d] = append(sv.routes[d], dayRoute{typ: ins.typ, jobs: []int{j}})
		sv.rescore(d, len(sv.routes[d])-1)
		return
	}
	r := &sv.routes[d][ins.route]
	r.jobs = append(r.jobs, 0)
	copy(r.jobs[ins.pos+1:], r.jobs[ins.pos:])
	r.jobs[ins.pos] = j
	sv.rescore(d, ins.route)
	sv.twoOpt(d, ins.route)
}

// removal locates job j on day d and the cost saved by removing it.
func (sv *search) removal(d, j int, buf []int) (ri, pos int, gain float64, _ []int) {
	for ri, r := range sv.routes[d] {
		for pos, x := range r.jobs {
			if x != j {
				continue
			}
			buf = append(buf[:0], r.jobs[:pos]...)
			buf = append(buf, r.jobs[pos+1:]...)
			c, _ := sv.routeEval(r.typ, buf)
			return ri, pos, r.cost - c, buf
		}
	}
	return -1, -1, 0, buf
}

func (sv *search) remove(d, ri, pos int) {
	r := &sv.routes[d][ri]
	r.jobs = append(r.jobs[:pos], r.jobs[pos+1:]...)
	if len(r.jobs) == 0 {
		sv.dayCost[d] -= r.cost
		sv.routes[d] = append(sv.routes[d][:ri], sv.routes[d][ri+1:]...)
		return
	}
	sv.rescore(d, ri)
}

func (sv *search) total() float64 {
	t := 0.0
	for _, c := range sv.dayCost {
		t += c
	}
	return t
}

// twoOpt improves route ri of day d by reversing segments while that
// lowers its cost (first improvement). Distance-only routes on a symmetric
// matrix use the O(1) delta; others are re-evaluated in full.
func (sv *search) twoOpt(d, ri int) {
	r := &sv.routes[d][ri]
	n := len(r.jobs)
	if n < 3 {
		return
	}
	p := sv.p
	vt := p.Vehicles[r.typ]
	loc := func(i int) int {
		switch {
		case i < 0:
			return vt.Start
		case i >= n:
			return vt.End
		}
		return p.Jobs[r.jobs[i]].Location
	}
	fast := !sv.hasTime && sv.symmetric()
	for improved, rounds := true, 0; improved && rounds < 50; rounds++ {
		improved = false
		for i := 0; i < n-1; i++ {
			for k := i + 1; k < n; k++ {
				// Reverse jobs[i..k].
				if fast {
					a, b, c, e := loc(i-1), loc(i), loc(k), loc(k+1)
					delta := p.Distance[a][c] + p.Distance[b][e] - p.Distance[a][b] - p.Distance[c][e]
					if delta*vt.CostPerDistance < -1e-9 {
						reverse(r.jobs[i : k+1])
						sv.rescore(d, ri)
						improved = true
					}
					continue
				}
				reverse(r.jobs[i : k+1])
				c, ok := sv.routeEval(r.typ, r.jobs)
				if ok && c < r.cost-1e-9 {
					sv.rescore(d, ri)
					improved = true
				} else {
					reverse(r.jobs[i : k+1])
				}
			}
		}
	}
}

func reverse(s []int) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// symmetric reports (once) whether Distance is symmetric.
func (sv *search) symmetric() bool {
	if sv.sym == 0 {
		sv.sym = 1
		for i, row := range sv.p.Distance {
			for j := 0; j < i; j++ {
				if row[j] != sv.p.Distance[j][i] {
					sv.sym = 2
					return false
				}
			}
		}
	}
	return sv.sym == 1
}

// initialWeights prices one unit of excess load like the mean depot
// distance per unit of mean amount, and one time unit of excess duration
// like one distance unit.
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
	return lq, 1
}
