package periodic

import (
	"math"
	"math/bits"
	"sort"

	"github.com/rlplan/rlplan/solver/routing"
)

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
			dayCap[k] += float64(vt.Count*vt.Trips()) * float64(vt.Capacity[k])
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

// construct inserts the jobs one by one, hardest first (fewest patterns,
// most visits, largest amount), each with the pattern whose cheapest
// insertions into its days cost least (preset, when not nil, fixes the
// pattern of the jobs it names; jobs already placed are left as they
// are). Excess load and time are priced, not
// forbidden, so only windows of jobs with several, vehicle types and the
// trip and fleet counts leave a job out; those jobs are returned.
func (sv *search) construct(preset []uint32) []int {
	var out []int
	for _, j := range sv.jobOrder() {
		if sv.pat[j] != 0 {
			continue // placed by a warm start
		}
		bestPat, bestCost := uint32(0), math.Inf(1)
		var bestIns []routing.Insertion
		for _, pat := range sv.p.Jobs[j].Patterns {
			if preset != nil && preset[j] != 0 && pat != preset[j] {
				continue
			}
			ins, cost, ok := sv.patternInsertions(j, pat, 0, bestCost)
			if ok && cost < bestCost {
				bestPat, bestCost, bestIns = pat, cost, ins
			}
		}
		if bestPat == 0 {
			out = append(out, j)
			continue
		}
		sv.changePattern(j, bestPat, bestIns)
	}
	sort.Ints(out)
	return out
}

// repair places jobs that routing left out: it takes them off every day
// and tries each pattern in turn by cheapest insertion. Jobs that fit
// nowhere are returned unserved (pattern 0).
func (sv *search) repair(jobs []int) []int {
	if !sv.hard {
		sv.setHard(true)
		defer sv.setHard(false)
	}
	seen := map[int]bool{}
	var out []int
	for _, j := range jobs {
		if seen[j] {
			continue
		}
		seen[j] = true
		sv.dropJob(j)
		placed := false
		for _, pat := range sv.p.Jobs[j].Patterns {
			if ins, _, ok := sv.patternInsertions(j, pat, 0, math.Inf(1)); ok && sv.changePattern(j, pat, ins) {
				placed = true
				break
			}
		}
		if !placed {
			out = append(out, j)
		}
	}
	sort.Ints(out)
	return out
}
