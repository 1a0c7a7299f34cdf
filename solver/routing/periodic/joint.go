package periodic

import (
	"math"
	"math/bits"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
)

// flexible reports whether every pattern of job j is a single day: such a
// job can float between days inside one routing problem. A split job is
// not: its pieces must share a day, which one routing problem cannot say.
func (sv *search) flexible(j int) bool {
	if sv.model.Visits(j) > 1 {
		return false
	}
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
	return sv.adopt(r, vis, force)
}

// adopt replaces the state by the days of a joint solve's result r (its
// jobs are the visits vis) when it is complete and cheaper, or when force
// is set; jobs it leaves out then await repair.
func (sv *search) adopt(r *routing.Result, vis []visit, force bool) bool {
	p := sv.p
	K := len(p.Vehicles)
	routes := make([][]routing.Route, p.Days)
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
		pat[vis[u.Job].j] = 0
	}
	if len(homeless) > 0 && !force {
		return false
	}
	for _, rt := range r.Routes {
		if len(rt.Jobs) == 0 {
			continue
		}
		d := rt.Type / K
		rt.Type %= K
		for i, x := range rt.Jobs {
			rt.Jobs[i] = vis[x].j
			pat[vis[x].j] |= 1 << uint(d)
		}
		routes[d] = append(routes[d], rt)
	}
	for j, pt := range pat {
		if pt != 0 && !allowedPattern(sv.p.Jobs[j].Patterns, pt) {
			// cannot happen (the visits' days follow the patterns), but a
			// plan with a pattern not allowed must not stand
			if !force {
				return false
			}
			homeless = append(homeless, j)
		}
	}
	cost := sv.consistencyCharge(routes)
	for d := range routes {
		for _, rt := range routes[d] {
			cost += rt.Cost
		}
	}
	if !force && cost >= sv.total()-1e-9 {
		return false
	}
	saved := sv.snapshot()
	for d := range routes {
		if err := sv.plans[d].SetRoutes(routes[d]); err != nil {
			// cannot happen: a day's routes meet the same limits
			sv.restore(saved)
			return false
		}
	}
	sv.pat = pat
	if len(homeless) > 0 {
		sv.homeless = append(sv.homeless, homeless...)
	}
	return true
}

func allowedPattern(pats []uint32, p uint32) bool {
	for _, q := range pats {
		if q == p {
			return true
		}
	}
	return false
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
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
