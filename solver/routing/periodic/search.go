package periodic

import (
	"math"
	"math/bits"
	"sort"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
)

// flexible reports whether every pattern of job j is a single day: such a
// job can float between days inside one routing problem.
func (sv *search) flexible(j int) bool {
	for _, pat := range sv.p.Jobs[j].Patterns {
		if bits.OnesCount32(pat) != 1 {
			return false
		}
	}
	return true
}

// visit is one routing job of the joint problem: job j on day d, or on any
// of its allowed days when d < 0.
type visit struct{ j, d int }

// joint solves all days as one routing problem with one vehicle type per
// (day, vehicle type): jobs with several visits get one routing job per day
// of their current pattern, restricted to that day's types; single-visit
// jobs may go to the types of any allowed day, so routing.Solve chooses
// their day. It replaces the state when the result is complete and cheaper
// (or when force is set) and reports whether it did.
func (sv *search) joint(limit time.Duration, seed solver.Seed, force bool) bool {
	p := sv.p
	K := len(p.Vehicles)
	rp := &routing.Problem{Distance: p.Distance, Duration: p.Duration}
	for d := 0; d < p.Days; d++ {
		for _, vt := range p.Vehicles {
			vt.ID = "day" + itoa(d+1) + "-" + vt.ID
			rp.Vehicles = append(rp.Vehicles, vt)
		}
	}
	var vis []visit
	var visDays []uint32
	add := func(j int, days uint32, d int) {
		rj := p.Jobs[j].Job
		rj.AllowedTypes = nil
		for x := 0; x < p.Days; x++ {
			if days&(1<<uint(x)) == 0 {
				continue
			}
			for k := 0; k < K; k++ {
				if sv.allowed(j, k) {
					rj.AllowedTypes = append(rj.AllowedTypes, x*K+k)
				}
			}
		}
		if len(rj.AllowedTypes) == 0 {
			return
		}
		rp.Jobs = append(rp.Jobs, rj)
		vis = append(vis, visit{j, d})
		visDays = append(visDays, days)
	}
	for j, job := range p.Jobs {
		if sv.out[j] {
			continue // given up: stays unserved
		}
		if sv.flexible(j) {
			var days uint32
			for _, pat := range job.Patterns {
				days |= pat
			}
			add(j, days, -1)
			continue
		}
		for d := 0; d < p.Days; d++ {
			if sv.pat[j]&(1<<uint(d)) != 0 {
				add(j, 1<<uint(d), d)
			}
		}
	}
	sv.splitLocations(rp, visDays)
	if limit <= 0 {
		limit = time.Millisecond
	}
	maxIt := sv.set.RoutingIterations
	if maxIt == 0 {
		maxIt = -1 // no iteration limit: the phase's time share ends it
	}
	set := &routing.Settings{Seed: seed, Workers: sv.set.Workers, TimeLimit: limit, MaxIterations: maxIt}
	r, err := routing.Solve(sv.ctx, rp, set)
	if err != nil {
		return false
	}
	sv.iters += r.Iterations
	if r.Status == solver.Interrupted && sv.ctx.Err() != nil {
		sv.stopped()
	}
	if r.Status == solver.TimeLimit {
		sv.timeBound = true // the phase's clock, not its iteration budget, ended it
	}
	routes := make([][]dayRoute, p.Days)
	pat := make([]uint32, len(p.Jobs))
	if !force {
		copy(pat, sv.pat)
		for j := range pat {
			if sv.flexible(j) {
				pat[j] = 0
			}
		}
	}
	var homeless []int
	for _, u := range r.Unserved {
		homeless = append(homeless, vis[u.Job].j)
	}
	if len(homeless) > 0 && !force {
		return false
	}
	for _, rt := range r.Routes {
		if len(rt.Jobs) == 0 {
			continue
		}
		d, k := rt.Type/K, rt.Type%K
		jobs := make([]int, len(rt.Jobs))
		for i, x := range rt.Jobs {
			jobs[i] = vis[x].j
			pat[vis[x].j] |= 1 << uint(d)
		}
		c, viol, ok := sv.schedule(k, jobs, nil)
		if (!ok || viol > 0) && !force {
			return false
		}
		routes[d] = append(routes[d], dayRoute{typ: k, jobs: jobs, cost: c + viol, viol: viol})
	}
	cost := 0.0
	dayCost := make([]float64, p.Days)
	for d := range routes {
		for _, r := range routes[d] {
			dayCost[d] += r.cost
		}
		cost += dayCost[d]
	}
	if !force && cost >= sv.total()-1e-9 {
		return false
	}
	sv.pat, sv.routes, sv.dayCost = pat, routes, dayCost
	if len(homeless) > 0 {
		sv.homeless = append(sv.homeless, homeless...)
	}
	return true
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// jobOrder lists the jobs hardest first: fewest patterns, most visits,
// largest amount, then index.
func (sv *search) jobOrder() []int {
	p := sv.p
	n := len(p.Jobs)
	order := make([]int, n)
	for j := range order {
		order[j] = j
	}
	freq := func(j int) int { return bits.OnesCount32(p.Jobs[j].Patterns[0]) }
	dem := func(j int) int64 {
		var s int64
		for _, a := range p.Jobs[j].Amount {
			s += a
		}
		return s
	}
	sort.SliceStable(order, func(a, b int) bool {
		ja, jb := order[a], order[b]
		if la, lb := len(p.Jobs[ja].Patterns), len(p.Jobs[jb].Patterns); la != lb {
			return la < lb
		}
		if fa, fb := freq(ja), freq(jb); fa != fb {
			return fa > fb
		}
		return dem(ja) > dem(jb)
	})
	return order
}

// initialPatterns assigns each job the pattern that keeps the daily loads
// under the daily fleet capacity and its visits near jobs already placed on
// those days.
func (sv *search) initialPatterns() {
	p := sv.p
	n := len(p.Jobs)
	dims := len(p.Vehicles[0].Capacity)
	dayCap := make([]float64, dims)
	for k := 0; k < dims; k++ {
		for _, vt := range p.Vehicles {
			if vt.Count == 0 {
				dayCap[k] = math.Inf(1)
				break
			}
			dayCap[k] += float64(vt.Count) * float64(vt.Capacity[k])
		}
	}
	load := make([][]float64, p.Days)
	near := make([][]float64, p.Days) // distance to the nearest job placed on the day
	for d := range load {
		load[d] = make([]float64, dims)
		near[d] = make([]float64, n)
		for j := range near[d] {
			near[d][j] = math.Inf(1)
			for _, vt := range p.Vehicles {
				near[d][j] = math.Min(near[d][j], p.Distance[vt.Start][p.Jobs[j].Location])
			}
		}
	}
	order := sv.jobOrder()
	for _, j := range order {
		job := p.Jobs[j]
		best, bestScore := uint32(0), math.Inf(1)
		for _, pat := range job.Patterns {
			score, over := 0.0, 0.0
			for d := 0; d < p.Days; d++ {
				if pat&(1<<uint(d)) == 0 {
					continue
				}
				score += near[d][j]
				for k, a := range job.Amount {
					u := (load[d][k] + float64(a)) / dayCap[k]
					if u > 0.95 {
						over += u - 0.95
					}
					score += 0.1 * u * near[d][j]
				}
			}
			score += 1e6 * over
			// Mild random tie-breaking for diversity across seeds.
			score *= 1 + 1e-9*sv.rng.Float64()
			if score < bestScore {
				best, bestScore = pat, score
			}
		}
		sv.pat[j] = best
		for d := 0; d < p.Days; d++ {
			if best&(1<<uint(d)) == 0 {
				continue
			}
			for k, a := range job.Amount {
				load[d][k] += float64(a)
			}
			for i := range near[d] {
				near[d][i] = math.Min(near[d][i], p.Distance[job.Location][p.Jobs[i].Location])
			}
		}
	}
}

// run runs the phases: cheapest-insertion construction, pattern
// local search, a joint routing solve with the patterns found, more pattern
// search, a second joint solve, a last pattern search. The best plan seen
// is returned.
func (sv *search) run() *Result {
	start := time.Now()
	limit := sv.set.TimeLimit
	at := func(f float64) time.Time { return start.Add(time.Duration(f * float64(limit))) }
	allFlexible := true
	for j := range sv.p.Jobs {
		allFlexible = allFlexible && sv.flexible(j)
	}
	if allFlexible {
		// Patterns are just days: one routing problem is the whole task.
		sv.initialPatterns()
		sv.joint(time.Until(at(1)), sv.set.Seed, true)
		unserved := sv.repair(sv.homeless)
		unserved = append(unserved, sv.makeFeasible()...)
		sort.Ints(unserved)
		return sv.finish(unserved)
	}
	// Two starts: patterns chosen by cheapest insertion, and patterns
	// chosen for balanced daily loads then routed by insertion. Each gets
	// a short pattern search; the better one goes on.
	mi := sv.set.MaxIterations
	unserved := sv.construct(nil)
	for _, j := range unserved {
		sv.out[j] = true
	}
	best := sv.ils(at(0.05), mi, sv.snapshot())
	sv.initialPatterns()
	balanced := append([]uint32(nil), sv.pat...)
	for j := range sv.pat {
		sv.pat[j] = 0
	}
	for d := range sv.routes {
		sv.routes[d], sv.dayCost[d] = nil, 0
	}
	un2 := sv.construct(balanced)
	if len(un2) <= len(unserved) {
		other := sv.ils(at(0.1), mi, sv.snapshot())
		if better(other, best) && len(un2) == len(unserved) || len(un2) < len(unserved) {
			best, unserved = other, un2
			for j := range sv.out {
				sv.out[j] = false
			}
			for _, j := range unserved {
				sv.out[j] = true
			}
		}
	}
	sv.restore(best)
	// Routing makes the patterns found feasible if it can; repair places
	// what it leaves out.
	sv.joint(time.Until(at(0.3)), sv.set.Seed, true)
	unserved = append(unserved, sv.repair(sv.homeless)...)
	sv.homeless = nil
	for _, j := range unserved {
		sv.out[j] = true
	}
	best = sv.snapshot()
	best = sv.ils(at(0.37), (mi+1)/2, best)
	sv.restore(best)
	if !sv.stopped() && sv.joint(time.Until(at(0.97)), sv.set.Seed+1, false) {
		best = sv.snapshot()
	}
	best = sv.ils(at(1), (mi+3)/4, best)
	sv.restore(best)
	unserved = append(unserved, sv.makeFeasible()...)
	sort.Ints(unserved)
	return sv.finish(unserved)
}

// makeFeasible evicts jobs from routes with capacity or duration excess
// (possible when the search was stopped before a joint solve, or when
// this package's schedule is stricter than routing's) and repairs them; it
// returns the jobs that fit nowhere.
func (sv *search) makeFeasible() []int {
	var evict []int
	for d := range sv.routes {
		for ri := range sv.routes[d] {
			for sv.routes[d][ri].viol > 0 && len(sv.routes[d][ri].jobs) > 0 {
				r := &sv.routes[d][ri]
				evict = append(evict, r.jobs[len(r.jobs)-1])
				r.jobs = r.jobs[:len(r.jobs)-1]
				sv.rescore(d, ri)
			}
		}
	}
	if len(evict) == 0 {
		return nil
	}
	return sv.repair(evict)
}

func (sv *search) finish(unserved []int) *Result {
	res := sv.result()
	for _, j := range unserved {
		res.Unserved = append(res.Unserved, sv.unservedReason(j))
	}
	return res
}

// ils is the iterated local search over patterns: improve by pattern moves
// and relocations until none helps, keep the best plan, return to it when
// the current one is worse by more than 0.2 %, perturb, repeat; until the
// time or maxRounds (0 = no round limit) is reached or the best has not
// improved for max(30, n/4) rounds.
func (sv *search) ils(until time.Time, maxRounds int, best snapshot) snapshot {
	bestCost := sumCosts(best.dayCost)
	bestViol := best.viol
	n := len(sv.p.Jobs)
	var buf []int
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
			var improved bool
			improved, _, buf = sv.patternPass(buf)
			if !improved || sv.ctx.Err() != nil {
				break
			}
		}
		cost, viol := sv.total(), sv.violation()
		switch {
		case viol == 0 && (bestViol > 0 || cost < bestCost-1e-9),
			viol > 0 && bestViol > 0 && cost < bestCost-1e-9:
			best, bestCost, bestViol = sv.snapshot(), cost, viol
			lastGain = it
		case cost > bestCost*(1+0.002):
			sv.restore(best)
		}
		// Price excess up while the plan is infeasible, down otherwise.
		if sv.violation() > 0 {
			sv.lambdaQ, sv.lambdaT = sv.lambdaQ*1.5, sv.lambdaT*1.5
		} else {
			sv.lambdaQ, sv.lambdaT = sv.lambdaQ/1.2, sv.lambdaT/1.2
		}
		sv.rescoreAll()
		if bestViol > 0 {
			bestCost = sumCosts(best.dayCost) // stale weights; keep comparable enough
		}
		sv.perturb(max(2, min(n/15, 12)), buf)
	}
	return best
}

// better prefers a feasible plan, then the lower cost.
func better(a, b snapshot) bool {
	if (a.viol == 0) != (b.viol == 0) {
		return a.viol == 0
	}
	return sumCosts(a.dayCost) < sumCosts(b.dayCost)
}

func sumCosts(cs []float64) float64 {
	t := 0.0
	for _, c := range cs {
		t += c
	}
	return t
}

// repair places jobs that routing left out: it removes their other visits
// and tries every pattern by cheapest insertion. Jobs that fit nowhere are
// returned unserved (pattern 0).
func (sv *search) repair(jobs []int) []int {
	sv.hard = true
	defer func() { sv.hard = false }()
	seen := map[int]bool{}
	var out []int
	var buf []int
	for _, j := range jobs {
		if seen[j] {
			continue
		}
		seen[j] = true
		for d := 0; d < sv.days; d++ {
			if ri, pos, _, b := sv.removal(d, j, buf); ri >= 0 {
				buf = b
				sv.remove(d, ri, pos)
			}
		}
		sv.pat[j] = 0
		placed := false
		for _, pat := range sv.p.Jobs[j].Patterns {
			var ins []insertion
			ok := true
			for d := 0; d < sv.days && ok; d++ {
				if pat&(1<<uint(d)) == 0 {
					continue
				}
				var in insertion
				in, ok, buf = sv.bestInsertion(d, j, buf)
				ins = append(ins, in)
			}
			if !ok {
				continue
			}
			i := 0
			for d := 0; d < sv.days; d++ {
				if pat&(1<<uint(d)) != 0 {
					sv.apply(d, j, ins[i])
					i++
				}
			}
			sv.pat[j] = pat
			placed = true
			break
		}
		if !placed {
			out = append(out, j)
		}
	}
	sort.Ints(out)
	return out
}

// patternPass tries, for every job in random order, every other pattern and
// a relocation within its current days; it applies the best improving move.
func (sv *search) patternPass(buf []int) (bool, uint32, []int) {
	p := sv.p
	improved := false
	var dirty uint32
	gain := make([]float64, sv.days)
	for _, j := range sv.rng.Perm(len(p.Jobs)) {
		if sv.ctx.Err() != nil {
			break
		}
		cur := sv.pat[j]
		if cur == 0 {
			continue
		}
		// Relocation within the current days.
		for d := 0; d < sv.days; d++ {
			if cur&(1<<uint(d)) == 0 {
				continue
			}
			ri, pos, g, b := sv.removal(d, j, buf)
			buf = b
			if ri < 0 {
				continue
			}
			gain[d] = g
			saved := sv.saveDay(d)
			sv.remove(d, ri, pos)
			in, ok, b2 := sv.bestInsertion(d, j, buf)
			buf = b2
			if ok && in.delta < g-1e-7 {
				sv.apply(d, j, in)
				improved = true
				dirty |= 1 << uint(d)
				_, _, gain[d], buf = sv.removal(d, j, buf)
			} else {
				sv.loadDay(d, saved)
			}
		}
		if len(p.Jobs[j].Patterns) == 1 {
			continue
		}
		bestDelta, bestPat := -1e-7, uint32(0)
		var bestIns []insertion
		for _, pat := range p.Jobs[j].Patterns {
			if pat == cur {
				continue
			}
			delta := 0.0
			for d := 0; d < sv.days; d++ {
				if cur&^pat&(1<<uint(d)) != 0 {
					delta -= gain[d]
				}
			}
			var ins []insertion
			ok := true
			for d := 0; d < sv.days && ok; d++ {
				if pat&^cur&(1<<uint(d)) == 0 {
					continue
				}
				var in insertion
				in, ok, buf = sv.bestInsertion(d, j, buf)
				delta += in.delta
				ins = append(ins, in)
				if delta >= bestDelta {
					ok = false
				}
			}
			if ok && delta < bestDelta {
				bestDelta, bestPat, bestIns = delta, pat, ins
			}
		}
		if bestPat == 0 {
			continue
		}
		sv.changePattern(j, bestPat, bestIns, buf)
		improved = true
		dirty |= cur ^ bestPat
	}
	return improved, dirty, buf
}

// changePattern moves job j to pattern pat; ins are the insertions for the
// days of pat not in the current pattern, in day order.
func (sv *search) changePattern(j int, pat uint32, ins []insertion, buf []int) {
	cur := sv.pat[j]
	for d := 0; d < sv.days; d++ {
		if cur&^pat&(1<<uint(d)) == 0 {
			continue
		}
		if ri, pos, _, _ := sv.removal(d, j, buf); ri >= 0 {
			sv.remove(d, ri, pos)
		}
	}
	i := 0
	for d := 0; d < sv.days; d++ {
		if pat&^cur&(1<<uint(d)) != 0 {
			sv.apply(d, j, ins[i])
			i++
		}
	}
	sv.pat[j] = pat
}

// perturb moves k random jobs with several patterns to a random feasible
// other pattern.
func (sv *search) perturb(k int, buf []int) {
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
		var ins []insertion
		ok := true
		for d := 0; d < sv.days && ok; d++ {
			if pat&^cur&(1<<uint(d)) == 0 {
				continue
			}
			var in insertion
			in, ok, buf = sv.bestInsertion(d, j, buf)
			ins = append(ins, in)
		}
		if ok {
			sv.changePattern(j, pat, ins, buf)
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

// nearest lists the other jobs by increasing distance from job j (the
// closest 30), computed once per job.
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

type snapshot struct {
	pat     []uint32
	routes  [][]dayRoute
	dayCost []float64
	viol    float64
}

func copyRoutes(rs []dayRoute) []dayRoute {
	out := make([]dayRoute, len(rs))
	for i, r := range rs {
		out[i] = dayRoute{typ: r.typ, jobs: append([]int(nil), r.jobs...), cost: r.cost, viol: r.viol}
	}
	return out
}

func (sv *search) saveDay(d int) []dayRoute { return copyRoutes(sv.routes[d]) }

func (sv *search) loadDay(d int, rs []dayRoute) {
	sv.routes[d] = rs
	c := 0.0
	for _, r := range rs {
		c += r.cost
	}
	sv.dayCost[d] = c
}

func (sv *search) snapshot() snapshot {
	s := snapshot{pat: append([]uint32(nil), sv.pat...), routes: make([][]dayRoute, sv.days), dayCost: append([]float64(nil), sv.dayCost...), viol: sv.violation()}
	for d := range sv.routes {
		s.routes[d] = copyRoutes(sv.routes[d])
	}
	return s
}

func (sv *search) restore(s snapshot) {
	copy(sv.pat, s.pat)
	for d := range s.routes {
		sv.routes[d] = copyRoutes(s.routes[d])
	}
	// The penalty weights may have changed since the snapshot.
	sv.rescoreAll()
}

// result turns the state into a Result with full schedules.
func (sv *search) result() *Result {
	status := sv.status
	if sv.timeBound && status == solver.IterationLimit {
		status = solver.TimeLimit
	}
	res := &Result{Patterns: append([]uint32(nil), sv.pat...), Days: make([][]routing.Route, sv.days), Iterations: sv.iters, Status: status}
	for d, routes := range sv.routes {
		next := make([]int, len(sv.p.Vehicles))
		for _, r := range routes {
			if len(r.jobs) == 0 {
				continue
			}
			rt := routing.Route{Type: r.typ, Vehicle: next[r.typ], Jobs: append([]int(nil), r.jobs...)}
			next[r.typ]++
			sv.schedule(r.typ, r.jobs, &rt)
			res.Days[d] = append(res.Days[d], rt)
			res.Cost += rt.Cost
			res.Distance += rt.Distance
		}
	}
	return res
}

// unservedReason tells why job j could not be placed.
func (sv *search) unservedReason(j int) routing.Unserved {
	sv.hard = true
	defer func() { sv.hard = false }()
	fitsSomewhere := false
	for t, vt := range sv.p.Vehicles {
		if !sv.allowed(j, t) {
			continue
		}
		fits := true
		for k, a := range sv.p.Jobs[j].Amount {
			fits = fits && a <= vt.Capacity[k]
		}
		if !fits {
			continue
		}
		fitsSomewhere = true
		if _, ok := sv.routeEval(t, []int{j}); ok {
			return routing.Unserved{Job: j, Reason: routing.ReasonFleetSize, Detail: "no allowed pattern fits the daily fleets"}
		}
	}
	if !fitsSomewhere {
		return routing.Unserved{Job: j, Reason: routing.ReasonCapacity, Detail: "amount exceeds every allowed vehicle's capacity"}
	}
	return routing.Unserved{Job: j, Reason: routing.ReasonShiftLength, Detail: "no allowed vehicle can serve it alone within its shift, duration and windows"}
}

// construct inserts the jobs one by one, hardest first (fewest patterns,
// most visits, largest amount), each with the pattern whose cheapest
// insertions into its days cost least. Excess capacity and duration are
// priced, not forbidden, so only windows, vehicle types and the fleet
// count can leave a job out; those jobs are returned.
func (sv *search) construct(preset []uint32) []int {
	var out []int
	var buf []int
	for _, j := range sv.jobOrder() {
		bestPat, bestCost := uint32(0), math.Inf(1)
		var bestIns []insertion
		for _, pat := range sv.p.Jobs[j].Patterns {
			if preset != nil && preset[j] != 0 && pat != preset[j] {
				continue
			}
			var ins []insertion
			cost, ok := 0.0, true
			for d := 0; d < sv.days && ok; d++ {
				if pat&(1<<uint(d)) == 0 {
					continue
				}
				var in insertion
				in, ok, buf = sv.bestInsertion(d, j, buf)
				cost += in.delta
				ins = append(ins, in)
			}
			if ok && cost < bestCost {
				bestPat, bestCost, bestIns = pat, cost, ins
			}
		}
		if bestPat == 0 {
			out = append(out, j)
			continue
		}
		sv.changePattern(j, bestPat, bestIns, buf)
	}
	sort.Ints(out)
	return out
}

// splitLocations gives every routing job of the joint problem its own
// location and makes two visits that can never share a route (their
// allowed days are disjoint, such as the visits of one customer on
// different days) far apart. No feasible route travels between such
// visits, so costs are unchanged, but routing's nearest-neighbour lists
// then hold visits that can be chained instead of the same customer's
// copies on other days.
func (sv *search) splitLocations(rp *routing.Problem, days []uint32) {
	p := sv.p
	// Depots keep their own rows: map each vehicle location first.
	var orig []int
	index := map[int]int{}
	for k := range rp.Vehicles {
		for _, l := range []int{rp.Vehicles[k].Start, rp.Vehicles[k].End} {
			if _, ok := index[l]; !ok {
				index[l] = len(orig)
				orig = append(orig, l)
			}
		}
	}
	nDepot := len(orig)
	for i := range rp.Jobs {
		orig = append(orig, rp.Jobs[i].Location)
	}
	far := 0.0
	for _, row := range p.Distance {
		for _, v := range row {
			far = math.Max(far, v)
		}
	}
	if p.Duration != nil {
		for _, row := range p.Duration {
			for _, v := range row {
				far = math.Max(far, v)
			}
		}
	}
	far = 10*far + 1
	n := len(orig)
	build := func(m [][]float64) [][]float64 {
		out := make([][]float64, n)
		for a := 0; a < n; a++ {
			out[a] = make([]float64, n)
			for b := 0; b < n; b++ {
				if a >= nDepot && b >= nDepot && a != b && days[a-nDepot]&days[b-nDepot] == 0 {
					out[a][b] = far
					continue
				}
				out[a][b] = m[orig[a]][orig[b]]
			}
		}
		return out
	}
	rp.Distance = build(p.Distance)
	if p.Duration != nil {
		rp.Duration = build(p.Duration)
	}
	for k := range rp.Vehicles {
		rp.Vehicles[k].Start = index[rp.Vehicles[k].Start]
		rp.Vehicles[k].End = index[rp.Vehicles[k].End]
	}
	for i := range rp.Jobs {
		rp.Jobs[i].Location = nDepot + i
	}
}
