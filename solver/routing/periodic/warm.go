package periodic

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
)

// Warm start and route consistency: a week planned again from last week's
// plan (Problem.Previous) starts from its routes, and each route keeps the
// number of the vehicle whose jobs it shares most, so that a job keeps its
// days and its truck when the data barely change, as dispatchers and
// drivers want. Settings.ConsistencyCost prices the jobs that move.

// place is where a job is visited: a day and a vehicle (type and number).
type place struct{ day, typ, vehicle int }

// places lists, per job, the places it is visited at in days, sorted and
// without repeats (the pieces of a split job on one vehicle count once).
func places(days [][]routing.Route) map[int][]place {
	out := map[int][]place{}
	for d, routes := range days {
		for _, rt := range routes {
			for _, j := range rt.Jobs {
				out[j] = append(out[j], place{d, rt.Type, rt.Vehicle})
			}
		}
	}
	for j, ps := range out {
		slices.SortFunc(ps, func(a, b place) int {
			return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.typ, b.typ), cmp.Compare(a.vehicle, b.vehicle))
		})
		out[j] = slices.Compact(ps)
	}
	return out
}

// Kept compares a plan with an earlier one of the same jobs: a job visited
// in prev keeps its place when days visits it on the same days with the
// same vehicles (type and number), no more and no fewer. It returns the
// jobs of prev that keep their place and all jobs of prev.
func Kept(prev, days [][]routing.Route) (kept, compared int) {
	a, b := places(prev), places(days)
	for j, pa := range a {
		compared++
		if slices.Equal(pa, b[j]) {
			kept++
		}
	}
	return kept, compared
}

// Relabel numbers the vehicles of each day's routes so that a route keeps
// the vehicle of prev (same day and type) with which it shares the most
// jobs: pairs are taken greedily, most shared jobs first (ties: the earlier
// route, then the lower vehicle number); routes sharing no job with a free
// vehicle take the lowest numbers left. Each day's routes are then sorted by
// type and vehicle. Vehicles are interchangeable within a type and day, so
// costs do not change.
func Relabel(prev, days [][]routing.Route) {
	for d := range days {
		var before []routing.Route
		if d < len(prev) {
			before = prev[d]
		}
		relabelDay(before, days[d])
		slices.SortFunc(days[d], func(a, b routing.Route) int {
			return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Vehicle, b.Vehicle))
		})
	}
}

func relabelDay(prev, routes []routing.Route) {
	// A pair scores the jobs two routes share, then the visits they share
	// with the same amounts (two trucks may carry pieces of one split job:
	// the amounts tell them apart), so that an unchanged day gets its
	// vehicles back exactly.
	type pair struct{ shared, same, r, vehicle int }
	var pairs []pair
	for r, rt := range routes {
		jobs := map[int]bool{}
		for _, j := range rt.Jobs {
			jobs[j] = true
		}
		for _, pr := range prev {
			if pr.Type != rt.Type {
				continue
			}
			n := 0
			for _, j := range slices.Compact(slices.Sorted(slices.Values(pr.Jobs))) {
				if jobs[j] {
					n++
				}
			}
			if n > 0 {
				pairs = append(pairs, pair{n, sameVisits(pr, rt), r, pr.Vehicle})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(cmp.Compare(b.shared, a.shared), cmp.Compare(b.same, a.same), cmp.Compare(a.r, b.r), cmp.Compare(a.vehicle, b.vehicle))
	})
	type tv struct{ typ, vehicle int }
	used := map[tv]bool{}
	done := make([]bool, len(routes))
	for _, pr := range pairs {
		k := tv{routes[pr.r].Type, pr.vehicle}
		if done[pr.r] || used[k] {
			continue
		}
		done[pr.r], used[k] = true, true
		routes[pr.r].Vehicle = pr.vehicle
	}
	for r := range routes {
		if done[r] {
			continue
		}
		v := 0
		for used[tv{routes[r].Type, v}] {
			v++
		}
		used[tv{routes[r].Type, v}] = true
		routes[r].Vehicle = v
	}
}

// validatePrevious reports the first structural error in p.Previous: more
// days than the period, a vehicle type or job outside the problem, a
// vehicle number that is negative, at or above its type's Count, or used
// twice on a day, or trips that do not cut the route's jobs in order.
func (p *Problem) validatePrevious() error {
	if len(p.Previous) > p.Days {
		return fmt.Errorf("periodic: previous plan has %d days, period has %d", len(p.Previous), p.Days)
	}
	for d, routes := range p.Previous {
		seen := map[[2]int]bool{}
		for k, rt := range routes {
			where := fmt.Sprintf("periodic: previous plan, day %d, route %d", d+1, k)
			if rt.Type < 0 || rt.Type >= len(p.Vehicles) {
				return fmt.Errorf("%s: vehicle type %d outside 0..%d", where, rt.Type, len(p.Vehicles)-1)
			}
			if c := p.Vehicles[rt.Type].Count; rt.Vehicle < 0 || c > 0 && rt.Vehicle >= c {
				want := "a number >= 0"
				if c > 0 {
					want = fmt.Sprintf("0..%d", c-1)
				}
				return fmt.Errorf("%s: vehicle %d of type %s, want %s", where, rt.Vehicle, p.Vehicles[rt.Type].ID, want)
			}
			if seen[[2]int{rt.Type, rt.Vehicle}] {
				return fmt.Errorf("%s: vehicle %d of type %s has two routes", where, rt.Vehicle, p.Vehicles[rt.Type].ID)
			}
			seen[[2]int{rt.Type, rt.Vehicle}] = true
			for _, j := range rt.Jobs {
				if j < 0 || j >= len(p.Jobs) {
					return fmt.Errorf("%s: job %d outside 0..%d", where, j, len(p.Jobs)-1)
				}
			}
			at := 0
			for _, t := range rt.Trips {
				if t.From != at || t.To < t.From || t.To > len(rt.Jobs) {
					return fmt.Errorf("%s: trip %d..%d does not follow %d", where, t.From, t.To, at)
				}
				at = t.To
			}
			if len(rt.Trips) > 0 && at != len(rt.Jobs) {
				return fmt.Errorf("%s: trips end at visit %d of %d", where, at, len(rt.Jobs))
			}
		}
	}
	return nil
}

// previousPatterns returns each job's days in p.Previous when they form an
// allowed pattern and each of those days visits it as often as the model
// has pieces for it (0 otherwise: the job is placed afresh).
func (sv *search) previousPatterns() []uint32 {
	p := sv.p
	pat := make([]uint32, len(p.Jobs))
	count := make([]map[int]int, len(p.Previous))
	for d, routes := range p.Previous {
		count[d] = map[int]int{}
		for _, rt := range routes {
			for _, j := range rt.Jobs {
				count[d][j]++
				pat[j] |= 1 << uint(d)
			}
		}
	}
	for j := range pat {
		if pat[j] == 0 || !allowedPattern(p.Jobs[j].Patterns, pat[j]) {
			pat[j] = 0
			continue
		}
		for d := range count {
			if n := count[d][j]; n > 0 && n != sv.model.Visits(j) {
				pat[j] = 0
			}
		}
	}
	return pat
}

// keptRoutes are the routes of one previous day with only the jobs keep
// accepts on the route's vehicle type, empty trips and routes dropped; the amounts of the
// visits are kept when the route has them (the piece of a split job each
// visit collected).
func keptRoutes(routes []routing.Route, keep func(j, t int) bool) []routing.Route {
	var out []routing.Route
	for _, rt := range routes {
		trips := rt.Trips
		if len(trips) == 0 {
			trips = []routing.Trip{{From: 0, To: len(rt.Jobs)}}
		}
		nr := routing.Route{Type: rt.Type, Vehicle: rt.Vehicle}
		for _, t := range trips {
			from := len(nr.Jobs)
			for i := t.From; i < t.To; i++ {
				if j := rt.Jobs[i]; keep(j, rt.Type) {
					nr.Jobs = append(nr.Jobs, j)
					if len(rt.Amounts) == len(rt.Jobs) {
						nr.Amounts = append(nr.Amounts, rt.Amounts[i])
					}
				}
			}
			if len(nr.Jobs) > from {
				nr.Trips = append(nr.Trips, routing.Trip{From: from, To: len(nr.Jobs)})
			}
		}
		if len(nr.Jobs) > 0 {
			out = append(out, nr)
		}
	}
	return out
}

// warmStart sets every day to the previous plan's routes that still meet
// every limit (route by route when the whole day does not), then places
// the other jobs: on their previous days when those are still allowed and
// fit, else on any pattern that fits. It returns the jobs that fit nowhere.
func (sv *search) warmStart() []int {
	prev := sv.previousPatterns()
	sv.setHard(true)
	defer sv.setHard(false)
	refused := map[int]bool{}
	for d := 0; d < len(sv.p.Previous); d++ {
		routes := keptRoutes(sv.p.Previous[d], func(j, t int) bool { return prev[j] != 0 && sv.allowed(j, t) })
		if sv.plans[d].SetRoutes(routes) == nil {
			continue
		}
		var ok []routing.Route
		for _, rt := range routes {
			if sv.plans[d].SetRoutes(append(slices.Clone(ok), rt)) == nil {
				ok = append(ok, rt)
				continue
			}
			for _, j := range rt.Jobs {
				refused[j] = true
			}
		}
	}
	for j := range sv.pat {
		for d := range sv.plans {
			if sv.plans[d].Has(j) {
				sv.pat[j] |= 1 << uint(d)
			}
		}
		if refused[j] || sv.pat[j] != prev[j] {
			sv.dropJob(j) // a route of one of its days (or of a piece) was refused
		}
	}
	return sv.placeLeft(sv.unplaced(), prev, false)
}

// unplaced lists the jobs on no day, in construction order (hardest
// first).
func (sv *search) unplaced() []int {
	var out []int
	for _, j := range sv.jobOrder() {
		if sv.pat[j] == 0 {
			out = append(out, j)
		}
	}
	return out
}

// placeLeft inserts each of jobs (in their order) with the pattern whose
// cheapest insertions into its days, limits hard, cost least: the pattern of
// prefer when that is still allowed and fits, else any. With polish the
// routes around each inserted job are improved by routing's local search;
// without it (a warm start) the other jobs stay exactly where they were, so
// that inserting a new job moves no outlet off its truck (the search then
// moves them only when the saving pays the consistency charge). It returns
// the jobs that fit nowhere, sorted.
//
// Run at the end of every solve (Result.Unserved), it makes "unserved" mean
// that no allowed pattern fits the plan returned: a job left out early (the
// construction prices load, the fleet counts are hard) that the final plan
// has room for is served. Without it, a warm start from a week with such
// jobs served them and moved other outlets to do so, on unchanged data.
func (sv *search) placeLeft(jobs []int, prefer []uint32, polish bool) []int {
	if !sv.hard {
		sv.setHard(true)
		defer sv.setHard(false)
	}
	var out []int
	for _, j := range jobs {
		if sv.pat[j] != 0 {
			sv.dropJob(j)
		}
		try := func(only uint32) (uint32, []routing.Insertion) {
			bestPat, bestCost := uint32(0), math.Inf(1)
			var bestIns []routing.Insertion
			for _, pat := range sv.p.Jobs[j].Patterns {
				if only != 0 && pat != only {
					continue
				}
				if ins, cost, ok := sv.patternInsertions(j, pat, 0, bestCost); ok && cost < bestCost {
					bestPat, bestCost, bestIns = pat, cost, ins
				}
			}
			return bestPat, bestIns
		}
		var pat uint32
		var ins []routing.Insertion
		if prefer != nil && prefer[j] != 0 {
			pat, ins = try(prefer[j])
		}
		if pat == 0 {
			pat, ins = try(0)
		}
		if pat == 0 {
			out = append(out, j)
			continue
		}
		if !sv.insertPattern(j, pat, ins, polish) {
			out = append(out, j)
		}
	}
	sort.Ints(out)
	return slices.Compact(out)
}

// insertPattern applies the insertions ins of job j, off every day, into
// the days of pat (day order), improving the routes around it with polish;
// false (the job taken off again) when one no longer applies.
func (sv *search) insertPattern(j int, pat uint32, ins []routing.Insertion, polish bool) bool {
	i := 0
	for d := 0; d < sv.days; d++ {
		if pat&(1<<uint(d)) == 0 {
			continue
		}
		if !sv.plans[d].Insert(ins[i]) {
			sv.dropJob(j)
			return false
		}
		if polish {
			sv.plans[d].Improve(j)
		}
		i++
	}
	sv.pat[j] = pat
	return true
}

// runWarm is run from a previous plan: the warm start, then the pattern
// search and two joint routing solves, a joint solve kept only when its
// plan (consistency charge included) is cheaper; the best plan seen is
// returned, so with unchanged data the result costs at most the previous
// plan's cost.
func (sv *search) runWarm(at func(float64) time.Time) *Result {
	mi := sv.set.MaxIterations
	unserved := sv.warmStart()
	sv.markOut(unserved)
	best := sv.ils(at(0.2), mi, sv.snapshot())
	sv.restore(best)
	for _, ph := range []struct {
		until, after float64
		seed         int
		rounds       int
	}{{0.5, 0.6, 0, (mi + 1) / 2}, {0.9, 1, 1, (mi + 3) / 4}} {
		if !sv.stopped() && sv.joint(time.Until(at(ph.until)), sv.set.Seed+solver.Seed(ph.seed), false) {
			best = sv.snapshot()
		}
		best = sv.ils(at(ph.after), ph.rounds, best)
		sv.restore(best)
	}
	unserved = append(unserved, sv.repair(sv.homeless)...)
	return sv.finish(append(unserved, sv.makeFeasible()...))
}

// consistencyCharge counts the jobs of the previous plan that do not keep their place
// in days (renumbered as Relabel does), and returns the charge for them.
func (sv *search) consistencyCharge(days [][]routing.Route) float64 {
	if sv.p.Previous == nil || sv.set.ConsistencyCost == 0 {
		return 0
	}
	Relabel(sv.p.Previous, days)
	kept, compared := Kept(sv.p.Previous, days)
	return sv.set.ConsistencyCost * float64(compared-kept)
}

// currentCharge is consistencyCharge of the current state.
func (sv *search) currentCharge() float64 {
	if sv.p.Previous == nil || sv.set.ConsistencyCost == 0 {
		return 0
	}
	days := make([][]routing.Route, sv.days)
	for d, pl := range sv.plans {
		days[d] = pl.Routes()
	}
	return sv.consistencyCharge(days)
}

// patternCharge is the change of the consistency charge when job j moves
// from pattern cur to pat, counting days only (the vehicles follow from
// Relabel at the end).
func (sv *search) patternCharge(j int, cur, pat uint32) float64 {
	if sv.prevPat == nil || sv.set.ConsistencyCost == 0 || sv.prevPat[j] == 0 {
		return 0
	}
	moved := func(p uint32) float64 {
		if p != sv.prevPat[j] {
			return 1
		}
		return 0
	}
	return sv.set.ConsistencyCost * (moved(pat) - moved(cur))
}

// sameVisits counts the visits of b that a makes too, to the same job with
// the same amounts (a route without amounts carries each job whole).
func sameVisits(a, b routing.Route) int {
	type visit struct {
		job int
		amt string
	}
	key := func(rt routing.Route, i int) visit {
		v := visit{job: rt.Jobs[i]}
		if i < len(rt.Amounts) {
			v.amt = fmt.Sprint(rt.Amounts[i])
		}
		return v
	}
	have := map[visit]int{}
	for i := range a.Jobs {
		have[key(a, i)]++
	}
	n := 0
	for i := range b.Jobs {
		if k := key(b, i); have[k] > 0 {
			have[k]--
			n++
		}
	}
	return n
}
