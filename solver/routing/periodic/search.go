package periodic

import (
	"math"
	"math/bits"
	"sort"
	"time"

	"github.com/rlplan/rlplan/solver/routing"
)

// singleDayIterations is the routing.Solve iteration budget per unit of
// Settings.MaxIterations in the single-day reduction.
const singleDayIterations = 1000

// solveAsOneProblem handles problems whose patterns are all single days: one
// vehicle type per (day, type), each job allowed on the types of its days.
func (sv *solver) solveAsOneProblem() *Result {
	p := sv.p
	K := len(p.Vehicles)
	rp := &routing.Problem{Distance: p.Distance, Duration: p.Duration}
	for d := 0; d < p.Days; d++ {
		for _, vt := range p.Vehicles {
			vt.ID = "day" + itoa(d+1) + "-" + vt.ID
			rp.Vehicles = append(rp.Vehicles, vt)
		}
	}
	for j, job := range p.Jobs {
		rj := job.Job
		rj.AllowedTypes = nil
		for _, pat := range job.Patterns {
			d := bits.TrailingZeros32(pat)
			for k := 0; k < K; k++ {
				if sv.allowed(j, k) {
					rj.AllowedTypes = append(rj.AllowedTypes, d*K+k)
				}
			}
		}
		sort.Ints(rj.AllowedTypes)
		if len(rj.AllowedTypes) == 0 {
			rj.AllowedTypes = []int{-1} // no type: reported unserved below
		}
		rp.Jobs = append(rp.Jobs, rj)
	}
	res := &Result{Patterns: make([]uint32, len(p.Jobs)), Days: make([][]routing.Route, p.Days)}
	// A job whose allowed types are all filtered out cannot be expressed;
	// report it and solve without it.
	var keep []int
	var jobs []routing.Job
	for j, rj := range rp.Jobs {
		if rj.AllowedTypes[0] < 0 {
			res.Unserved = append(res.Unserved, routing.Unserved{Job: j, Reason: routing.ReasonVehicleType, Detail: "no allowed vehicle type"})
			continue
		}
		keep = append(keep, j)
		jobs = append(jobs, rj)
	}
	rp.Jobs = jobs
	set := &routing.Settings{Seed: sv.set.Seed, Workers: sv.set.Workers, TimeLimit: time.Until(deadlineOf(sv))}
	if sv.set.MaxIterations > 0 {
		set.MaxIterations = sv.set.MaxIterations * singleDayIterations
	}
	r, err := routing.Solve(sv.ctx, rp, set)
	if err != nil {
		// The problem passed check(); an error here is a contract breach
		// of routing.Solve. Report every job unserved rather than panic.
		for _, j := range keep {
			res.Unserved = append(res.Unserved, routing.Unserved{Job: j, Reason: routing.ReasonFleetSize, Detail: "routing: " + err.Error()})
		}
		sort.Slice(res.Unserved, func(a, b int) bool { return res.Unserved[a].Job < res.Unserved[b].Job })
		return res
	}
	for _, rt := range r.Routes {
		d, k := rt.Type/K, rt.Type%K
		jobs := make([]int, len(rt.Jobs))
		for i, x := range rt.Jobs {
			jobs[i] = keep[x]
			res.Patterns[keep[x]] = 1 << uint(d)
		}
		sv.routes[d] = append(sv.routes[d], dayRoute{typ: k, jobs: jobs})
	}
	for _, u := range r.Unserved {
		u.Job = keep[u.Job]
		res.Unserved = append(res.Unserved, u)
	}
	sort.Slice(res.Unserved, func(a, b int) bool { return res.Unserved[a].Job < res.Unserved[b].Job })
	sv.pat = res.Patterns
	sv.iters = r.Iterations
	switch r.Status {
	case routing.StatusInterrupted:
		sv.status = routing.StatusInterrupted
	case routing.StatusTimeLimit:
		sv.status = routing.StatusTimeLimit
	}
	out := sv.result()
	out.Unserved = res.Unserved
	return out
}

func deadlineOf(sv *solver) time.Time {
	if d, ok := sv.ctx.Deadline(); ok {
		return d
	}
	return time.Now().Add(sv.set.TimeLimit)
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// dayIterations is the routing.Solve budget for a day with n jobs.
func (sv *solver) dayIterations(n int) int {
	if sv.set.DayIterations > 0 {
		return sv.set.DayIterations
	}
	return min(5000, max(200, 50*n))
}

// solveDay routes day d from scratch with routing.Solve; it returns the
// routes, their cost and the jobs it could not place.
func (sv *solver) solveDay(d int, seed int64) ([]dayRoute, float64, []int) {
	p := sv.p
	var idx []int
	rp := &routing.Problem{Distance: p.Distance, Duration: p.Duration, Vehicles: p.Vehicles}
	for j, pat := range sv.pat {
		if pat&(1<<uint(d)) != 0 {
			idx = append(idx, j)
			rp.Jobs = append(rp.Jobs, p.Jobs[j].Job)
		}
	}
	if len(idx) == 0 {
		return nil, 0, nil
	}
	set := &routing.Settings{MaxIterations: sv.dayIterations(len(idx)), Seed: seed, Workers: sv.set.Workers, TimeLimit: time.Until(deadlineOf(sv))}
	if set.TimeLimit <= 0 {
		set.TimeLimit = time.Millisecond
	}
	r, err := routing.Solve(sv.ctx, rp, set)
	if err != nil {
		return nil, math.Inf(1), idx
	}
	var routes []dayRoute
	cost := 0.0
	for _, rt := range r.Routes {
		if len(rt.Jobs) == 0 {
			continue
		}
		jobs := make([]int, len(rt.Jobs))
		for i, x := range rt.Jobs {
			jobs[i] = idx[x]
		}
		c, ok := sv.routeEval(rt.Type, jobs)
		if !ok {
			// Not feasible under this package's (slightly stricter)
			// schedule: treat the day as not improved.
			return nil, math.Inf(1), nil
		}
		routes = append(routes, dayRoute{typ: rt.Type, jobs: jobs, cost: c})
		cost += c
	}
	var un []int
	for _, u := range r.Unserved {
		un = append(un, idx[u.Job])
	}
	return routes, cost, un
}

// initialPatterns assigns each job the pattern that keeps the daily loads
// under the daily fleet capacity and its visits near jobs already placed on
// those days.
func (sv *solver) initialPatterns() {
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

// search is the iterated local search over patterns.
func (sv *solver) search() *Result {
	sv.initialPatterns()
	var homeless []int
	for d := 0; d < sv.days; d++ {
		routes, cost, un := sv.solveDay(d, sv.set.Seed+int64(d))
		if math.IsInf(cost, 1) {
			// Keep the jobs for repair below.
			un = nil
			for j, pat := range sv.pat {
				if pat&(1<<uint(d)) != 0 {
					un = append(un, j)
				}
			}
			routes, cost = nil, 0
		}
		sv.routes[d], sv.dayCost[d] = routes, cost
		homeless = append(homeless, un...)
	}
	unserved := sv.repair(homeless)
	best := sv.snapshot()
	bestCost := sv.total()
	var buf []int
	n := len(sv.p.Jobs)
	for it := 0; sv.set.MaxIterations == 0 || it < sv.set.MaxIterations; it++ {
		if sv.stopped() {
			break
		}
		sv.iters++
		var dirty uint32
		for pass := 0; pass < 50; pass++ {
			var improved bool
			var dd uint32
			improved, dd, buf = sv.patternPass(buf)
			dirty |= dd
			if !improved || sv.stopped() {
				break
			}
		}
		if sv.stopped() {
			break
		}
		sv.reoptimise(dirty, it)
		cost := sv.total()
		if cost < bestCost-1e-9 {
			best, bestCost = sv.snapshot(), cost
		} else if cost > bestCost*(1+0.002) {
			sv.restore(best)
		}
		// Perturb: move a few jobs to random other patterns.
		k := max(2, min(n/15, 12))
		sv.perturb(k, buf)
	}
	sv.restore(best)
	res := sv.result()
	for _, j := range unserved {
		res.Unserved = append(res.Unserved, sv.unservedReason(j))
	}
	return res
}

// repair places jobs that routing left out: it removes their other visits
// and tries every pattern by cheapest insertion. Jobs that fit nowhere are
// returned unserved (pattern 0).
func (sv *solver) repair(jobs []int) []int {
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
func (sv *solver) patternPass(buf []int) (bool, uint32, []int) {
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
func (sv *solver) changePattern(j int, pat uint32, ins []insertion, buf []int) {
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
func (sv *solver) perturb(k int, buf []int) {
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
	for i := 0; i < k; i++ {
		j := multi[sv.rng.Intn(len(multi))]
		cur := sv.pat[j]
		pats := p.Jobs[j].Patterns
		pat := pats[sv.rng.Intn(len(pats))]
		if pat == cur {
			continue
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
}

// reoptimise re-solves the dirty days and keeps the better routes.
func (sv *solver) reoptimise(dirty uint32, it int) {
	for d := 0; d < sv.days; d++ {
		if dirty&(1<<uint(d)) == 0 || sv.stopped() {
			continue
		}
		seed := sv.set.Seed*1000003 + int64(it)*131 + int64(d)
		routes, cost, un := sv.solveDay(d, seed)
		if len(un) == 0 && cost < sv.dayCost[d]-1e-9 {
			sv.routes[d], sv.dayCost[d] = routes, cost
		}
	}
}

type snapshot struct {
	pat     []uint32
	routes  [][]dayRoute
	dayCost []float64
}

func copyRoutes(rs []dayRoute) []dayRoute {
	out := make([]dayRoute, len(rs))
	for i, r := range rs {
		out[i] = dayRoute{typ: r.typ, jobs: append([]int(nil), r.jobs...), cost: r.cost}
	}
	return out
}

func (sv *solver) saveDay(d int) []dayRoute { return copyRoutes(sv.routes[d]) }

func (sv *solver) loadDay(d int, rs []dayRoute) {
	sv.routes[d] = rs
	c := 0.0
	for _, r := range rs {
		c += r.cost
	}
	sv.dayCost[d] = c
}

func (sv *solver) snapshot() snapshot {
	s := snapshot{pat: append([]uint32(nil), sv.pat...), routes: make([][]dayRoute, sv.days), dayCost: append([]float64(nil), sv.dayCost...)}
	for d := range sv.routes {
		s.routes[d] = copyRoutes(sv.routes[d])
	}
	return s
}

func (sv *solver) restore(s snapshot) {
	copy(sv.pat, s.pat)
	copy(sv.dayCost, s.dayCost)
	for d := range s.routes {
		sv.routes[d] = copyRoutes(s.routes[d])
	}
}

// result turns the state into a Result with full schedules.
func (sv *solver) result() *Result {
	res := &Result{Patterns: append([]uint32(nil), sv.pat...), Days: make([][]routing.Route, sv.days), Iterations: sv.iters, Status: sv.status}
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
func (sv *solver) unservedReason(j int) routing.Unserved {
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
