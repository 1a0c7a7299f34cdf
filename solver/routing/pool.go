package routing

// pool runs several annealing trajectories of one worker side by side, in
// turns of trajTurn iterations, so that one trajectory caught in a poor
// region (a wrong route structure it cannot leave at low temperature) does
// not decide the result: at fixed points of the budget the trajectory with
// the worst current solution restarts from a copy of the best current one
// (go with the winners; with crossOn, from a crossover of the two best:
// pool_cross.go). The temperature is shared: it follows the
// progress of the whole budget.
type pool struct {
	w      *worker
	sols   []*solution
	best   *snapshot // the run's best solution (eliteCopy)
	probes []bool    // per trajectory: a route-count probe, never culled (pool_probe.go)
	cur    int
	culls  int // culls done; the next one is due at progress (culls+1)/(at+1)
	at     int // culls spread over the budget
}

// cullAt and cullAtCross are the numbers of culls spread evenly over the
// budget, without and with the crossover (README.md: 31 copies of the best
// were no better than seven; 31 crossovers beat seven).
var cullAt, cullAtCross = 7, 31

// Measured on CVRPLIB X at 300,000 iterations (README.md): four
// trajectories gain on 100-400 customers and lose on 700-800, where one
// trajectory is still far from converged.
const (
	trajFew     = 4
	trajMaxJobs = 450
)

// trajectories is how many trajectories a worker runs on this instance.
func (in *inst) trajectories() int {
	if trajectories > 0 {
		return trajectories
	}
	n := 0
	for _, a := range in.active {
		if a {
			n++
		}
	}
	if n <= trajMaxJobs {
		return trajFew
	}
	return 1
}

func newPool(w *worker, k int) *pool {
	p := &pool{w: w, sols: []*solution{w.s}, at: cullAt}
	switch {
	case p.crossOK():
		p.at = cullAtCross
	case p.divOK():
		p.at = cullAtDiv
	}
	if k <= 1 {
		return p
	}
	var snap snapshot
	w.s.save(&snap)
	for len(p.sols) < k {
		s := newSolution(w.in)
		s.load(&snap)
		p.sols = append(p.sols, s)
	}
	p.priceTrajectories() // twarp.go
	return p
}

// turn hands the worker the next trajectory, after a cull when one is due.
// A cull may spend iterations (route-count probes: pool_probe.go), at most
// left of them (left < 0: no limit) at temperature temp; turn returns them.
func (p *pool) turn(progress float64, left int, temp float64, stop func() bool) int {
	if len(p.sols) < 2 {
		return 0
	}
	used := 0
	p.sols[p.cur] = p.w.s
	p.priceTrajectories() // twarp.go
	if progress >= float64(p.culls+1)/float64(p.at+1) && p.culls < p.at {
		p.culls++
		if p.probeOK() {
			if left < 0 {
				left = probeSqueeze
			}
			used = p.probe(left, temp, stop)
		} else {
			p.cull()
		}
		p.priceTrajectories() // a copy carries its source's pricing
	}
	p.cur = (p.cur + 1) % len(p.sols)
	p.w.s = p.sols[p.cur]
	return used
}

// cull replaces the trajectory with the worst current cost (with windows,
// the worst biased fitness: pool_div.go) by a copy of the one with the
// best, or with crossOn by a crossover of the best and the second best
// where it applies (ties: lowest index, so runs stay reproducible).
func (p *pool) cull() {
	bi, wi := 0, 0
	for k, s := range p.sols {
		s.recompute()
		if s.cost < p.sols[bi].cost-1e-9 {
			bi = k
		}
		if s.cost > p.sols[wi].cost+1e-9 && !p.probing(k) || p.probing(wi) {
			wi = k
		}
	}
	if bi == wi {
		return
	}
	if bi = p.cullSource(bi); bi < 0 || bi == wi { // twarp.go
		return
	}
	if p.divOK() {
		wi = p.cullBiased(bi)
	}
	si := -1
	for k, s := range p.sols {
		if k != bi && (si < 0 || s.cost < p.sols[si].cost-1e-9) {
			si = k
		}
	}
	if crossOn && p.cross(bi, si, wi) {
		return
	}
	if p.eliteCopy(bi, wi) {
		return
	}
	var snap snapshot
	p.sols[bi].save(&snap)
	p.sols[wi].load(&snap)
}

// eliteFrom: from this cull on (0: never) the worst trajectory restarts
// from the run's best solution when no current one is as good, on
// Solomon-class problems (eliteOK). Late in the budget the trajectories
// wander 0.3-0.8 % above the run's best at the annealing's temperature, and
// a copy of the best current one restarts the worst from there. Measured
// (README.md, wave 8): Solomon at 55,000 iterations, seeds 1-28, from cull
// 4 the mean gap 0.269 -> 0.239 % (paired -0.029 point, SE 0.007; 21 of 28
// seeds better), runs above 2 % 9 -> 7, CPU equal: on (bench env ELITE=0
// turns it off).
var eliteFrom = 4

// eliteOK: windows, one vehicle type open to every job, one trip, hard
// limits, no time-warp price (the class it was measured on; plain CVRP
// keeps the copy of the best current solution).
func (p *pool) eliteOK() bool {
	in := p.w.in
	return eliteFrom > 0 && p.culls >= eliteFrom && p.best != nil && in.anyWindows && in.nt == 1 &&
		!in.restrict && !in.multiTrip && !p.w.s.soft && p.w.tw == nil
}

// eliteCopy loads the run's best into trajectory wi when that is due and
// better than trajectory bi's current solution.
func (p *pool) eliteCopy(bi, wi int) bool {
	if !p.eliteOK() || p.best.cost >= p.sols[bi].cost-1e-9 {
		return false
	}
	p.sols[wi].load(p.best)
	return true
}
