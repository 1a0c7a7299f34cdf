package routing

// Diversity in the trajectory pool (issue 17, wave 5). A cull by cost alone
// removes the trajectory whose current solution is worst, which on Solomon
// is often the only one with a different number of routes: it has not been
// worked on as long in its structure, and it dies before it can show
// whether that structure is the better one. HGS (Vidal et al. 2012, 2022)
// ranks a population by a biased fitness instead: the rank of the cost plus
// a weighted rank of the diversity contribution, the broken-pairs distance
// to the closest other solutions. With divOn the cull removes the
// trajectory with the worst biased fitness, never the one with the best
// cost.
//
// Off: on Solomon at 55,000 iterations it was no better than the cull by
// cost over 10-14 seeds, with 7 or 15 culls, with or without route counts
// in the distance, and sparing a trajectory alone with its route count did
// not help either (README.md, "Measured choices of issue 17, wave 5").
// With four trajectories the broken-pairs distances of annealing
// trajectories are 0.1-0.6 whatever their route count (a copy of the best
// is 0.3 away again by the next cull), so the diversity rank carries little
// of the structure; and the runs above 2 % end in deep basins of the right
// route count that every trajectory shares (RC204 seed 1: four
// trajectories within 1 % of each other, 2.3 % above the best known).

// divOn culls by biased fitness on the problems divOK admits (bench
// harness: env DIV=1); divRoutes adds one to the distance of two solutions
// with different route counts, so a trajectory alone with its count is
// the most diverse (DIVROUTES=1); divElite is HGS's number of elite
// solutions, the weight of the diversity rank being 1 - divElite/n
// (DIVELITE); cullAtDiv is the number of culls spread over the budget
// when the cull is biased (DIVCULLS; 15, the best of the variants
// measured: seeds 1-14 0.365 % against 0.376 % for the cull by cost,
// better on 8 of 14 seeds, within the noise).
var (
	divOn     = false
	divRoutes = false
	divElite  = 1
	cullAtDiv = 15
)

// divOK reports whether the cull uses the biased fitness: problems with
// windows, one vehicle type open to every job, one trip per vehicle and
// hard limits (Solomon), where the route count decides the tail of the
// results. That is the class it was measured on; the periodic planner's
// joint solves (a vehicle type per day, jobs restricted to their days)
// keep the cull by cost.
func (p *pool) divOK() bool {
	in := p.w.in
	return divOn && in.anyWindows && in.nt == 1 && !in.restrict && !in.multiTrip && !p.w.s.soft
}

// adjacency is a solution's neighbours of each job: pred and succ hold the
// job before and after it in its route, depotEnd at the depot, and notIn
// for a job left out.
type adjacency struct{ pred, succ []int32 }

const (
	depotEnd int32 = -1
	notIn    int32 = -2
)

func (s *solution) adjacency(a *adjacency) {
	n := s.in.nj
	a.pred, a.succ = resize32(a.pred, n), resize32(a.succ, n)
	for j := range a.pred {
		a.pred[j], a.succ[j] = notIn, notIn
	}
	for _, r := range s.routes {
		for i, j := range r.jobs {
			a.pred[j], a.succ[j] = depotEnd, depotEnd
			if i > 0 {
				a.pred[j] = r.jobs[i-1]
			}
			if i+1 < len(r.jobs) {
				a.succ[j] = r.jobs[i+1]
			}
		}
	}
}

func resize32(b []int32, n int) []int32 {
	if cap(b) < n {
		return make([]int32, n)
	}
	return b[:n]
}

// brokenPairs is the broken-pairs distance of HGS between solutions a and b
// over the jobs active marks, as a share of them: a job counts once when its
// successor in a is next to it in neither direction in b (routes are
// compared as undirected sequences), and once more when it opens a route
// in a but is at neither end of a route in b, so that where routes start
// counts too. A job served in one solution and left out in the other counts
// once. The distance is 0 for equal solutions and at most 2.
func brokenPairs(a, b *adjacency, active []bool) float64 {
	diff, n := 0, 0
	for j, on := range active {
		if !on {
			continue
		}
		n++
		switch {
		case (a.succ[j] == notIn) != (b.succ[j] == notIn):
			diff++
			continue
		case a.succ[j] == notIn:
			continue
		}
		if a.succ[j] != b.succ[j] && a.succ[j] != b.pred[j] {
			diff++
		}
		if a.pred[j] == depotEnd && b.pred[j] != depotEnd && b.succ[j] != depotEnd {
			diff++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(diff) / float64(n)
}

// cullBiased returns the trajectory the cull replaces: the one with the
// worst biased fitness, cost rank plus (1 - divElite/n) times diversity
// rank (both scaled to [0, 1]; the diversity rank orders by the distance
// to the closest other trajectory, largest first), excluding best, the
// trajectory with the lowest cost. Ties go to the lowest index, so runs
// stay reproducible. The costs must be current (recompute).
func (p *pool) cullBiased(best int) int {
	n := len(p.sols)
	adj := make([]adjacency, n)
	for k, s := range p.sols {
		s.adjacency(&adj[k])
	}
	closest := make([]float64, n)
	for k := range closest {
		closest[k] = inf
	}
	for a := 0; a < n; a++ {
		for b := a + 1; b < n; b++ {
			d := brokenPairs(&adj[a], &adj[b], p.w.in.active)
			if divRoutes && p.sols[a].nRoutes() != p.sols[b].nRoutes() {
				d++
			}
			closest[a] = min(closest[a], d)
			closest[b] = min(closest[b], d)
		}
	}
	costRank := ranks(n, func(a, b int) bool { return p.sols[a].cost < p.sols[b].cost-1e-9 })
	divRank := ranks(n, func(a, b int) bool { return closest[a] > closest[b]+1e-12 })
	weight := 1 - float64(divElite)/float64(n)
	worst, worstFit := -1, 0.0
	for k := range p.sols {
		if k == best {
			continue
		}
		fit := (float64(costRank[k]) + weight*float64(divRank[k])) / float64(n-1)
		if worst < 0 || fit > worstFit+1e-12 {
			worst, worstFit = k, fit
		}
	}
	return worst
}

// ranks returns each of 0..n-1's position in the order before defines
// (ties by index): the rank of k is the number of items before it.
func ranks(n int, before func(a, b int) bool) []int {
	r := make([]int, n)
	for a := 0; a < n; a++ {
		for b := 0; b < n; b++ {
			if b != a && (before(b, a) || !before(a, b) && b < a) {
				r[a]++
			}
		}
	}
	return r
}
