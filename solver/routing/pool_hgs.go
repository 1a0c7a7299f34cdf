package routing

import (
	"math"
	"time"
)

// A population search for plain CVRP (issue 17, wave 6): the hybrid genetic
// search of Vidal et al. (2012) as HGS-CVRP (Vidal 2022) runs it. Two
// parents chosen by binary tournament on biased fitness give a child by the
// OX crossover of their giant tours; Split cuts it into routes; the local
// search of the engine (ls.go, granular with HGS's 20 neighbours) educates
// it with load above capacity priced at lq per unit; an infeasible child is
// repaired half of the time (lq x10, then x100); feasible ones are polished
// with the hard-limit search (SWAP* included). Children join the feasible
// or the infeasible subpopulation; one grown to mu+lambda loses its worst
// biased fitness (clones first) down to mu. lq follows the share of
// load-feasible children towards 20 %. After hgsRestart children without a
// better feasible solution the population starts again (the best is kept).

// hgsOn runs the population search instead of the annealing on the
// problems hgsOK admits (bench harness: env HGS=1).
var hgsOn = false

// Settings of the population search (HGS-CVRP's defaults unless stated).
var (
	hgsMinJobs, hgsMaxJobs = 100, 600 // active visits where it runs
	hgsPar                 = hgsParams{mu: 25, lambda: 40, elite: 4, close: 5}
	hgsInit                = 100 // initial children, 4 mu
	hgsNear                = 20  // granular neighbours of its local search
	hgsTarget              = 0.2 // share of load-feasible children sought
	hgsRestart             = 20000
	hgsPolish              = true // hard-limit local search on feasible children
	// hgsUnit is the local-search visits (ls.go: lsState.visits) counted
	// as one iteration of the budget, so that MaxIterations bounds the
	// population search at about the CPU the annealing takes for as many
	// iterations (calibrated on X: BENCHMARKS.md, wave 6, hgs).
	hgsUnit = 2.8
	// hgsSA is the number of SISR iterations each feasible child also gets
	// (annealing at the temperature of the budget's progress; the
	// hybrid variant; 0: none).
	hgsSA = 0
	// hgsFast educates children with the dedicated plain-CVRP local
	// search (cvrpls.go) where it applies (inst.fastOK), in place of the
	// engine's; hgsFastUnit is its move evaluations (cvrpLS.evals) counted
	// as one iteration of the budget (calibrated on X: BENCHMARKS.md,
	// wave 7, fastls).
	hgsFast     = true
	hgsFastUnit = 135.0
	// hgsReport, when set, receives the number of children at the end of
	// a population search (bench harness: env HGSSTAT=1).
	hgsReport func(children int)
)

// hgsOK reports whether the population search replaces the annealing: a
// plain CVRP (one unrestricted vehicle type, unlimited fleet, one trip, no
// time aspect, vehicles not minimised), every visit mandatory, and a number
// of active visits in the measured range.
func (in *inst) hgsOK() bool {
	if !hgsOn || !in.plainCVRP() || in.types[0].count != maxCount {
		return false
	}
	n := 0
	for j, a := range in.active {
		if a {
			if !in.mandatory[j] {
				return false
			}
			n++
		}
	}
	return n >= hgsMinJobs && n <= hgsMaxJobs
}

// hgs is the population search's state.
type hgs struct {
	w            *worker
	feas, infeas subpop
	lq           float64
	hist         []bool // load feasibility of the children since the last adjustment
	best         *snapshot
	since        int // children since the best improved
	visits       int64
	used         []bool
	tour         []int32
	scratch      snapshot
	t0, tf       float64   // the annealing's temperatures (hgsSA)
	progress     float64   // share of the iteration budget spent (0 in time-limited runs)
	saIters      int       // SISR iterations since the last count
	xs, ys       []float64 // visits in the plane (hgsPolar)
	fls          *cvrpLS   // the dedicated local search (hgsFast), nil when off
	evals        int64     // fls.evals at the last count
	children     int
}

// hgsRun runs the population search from the worker's first solution,
// whose copy is best, until the budget (limit iterations, it used) is
// spent or stop. best ends as the best feasible solution found. It returns
// the iterations used and whether the budget ended the search.
func (w *worker) hgsRun(it, limit int, best *snapshot, stop func() bool, prog func(int)) (int, bool) {
	h := &hgs{w: w, best: best, lq: w.in.hgsPenalty(), used: make([]bool, w.in.nj), visits: w.ls.visits}
	w.ls.near, w.ls.memo = hgsNear, true
	w.ls.fast = w.in.plainCVRP() && w.in.types[0].fixed == 0
	defer func() {
		w.ls.near, w.ls.memo, w.ls.fast = 0, false, false
		w.reprice(false, 0)
		if hgsReport != nil {
			hgsReport(h.children)
		}
	}()
	h.t0, h.tf = w.in.tempRange(w.in.meanArc(w.s))
	if hgsPolar {
		h.xs, h.ys = w.in.planeAngles()
	}
	if hgsFast && w.in.fastOK() {
		h.fls = newCVRPLS(w.in, hgsNear, w.rng)
		if h.xs != nil {
			h.fls.setAngles(h.xs, h.ys)
		}
	}
	h.insert(h.capture())
	for {
		n := hgsInit
		if len(h.feas.xs)+len(h.infeas.xs) > 1 {
			n = math.MaxInt
		}
		for k := 0; k < n; k++ {
			if limit > 0 && it >= limit {
				return it, true
			}
			if stop() {
				return it, false
			}
			if limit > 0 {
				h.progress = float64(it) / float64(limit)
			}
			if n == hgsInit {
				h.educate(w.in.split(h.randomTour(), h.lq))
			} else {
				h.educate(w.in.split(h.child(), h.lq))
			}
			it = h.count(it)
			if prog != nil {
				prog(it)
			}
			if n != hgsInit && h.since >= hgsRestart {
				h.since = 0
				h.feas.xs, h.infeas.xs = nil, nil
				break
			}
		}
	}
}

// hgsProgress calls prog at most every 200 ms with the best cost (nil
// when prog is).
func hgsProgress(prog func(Progress), start time.Time, best *snapshot) func(int) {
	if prog == nil {
		return nil
	}
	last := time.Now()
	return func(it int) {
		if time.Since(last) > 200*time.Millisecond {
			last = time.Now()
			prog(Progress{Iterations: it, BestCost: best.pub, Elapsed: time.Since(start)})
		}
	}
}

// count adds the child's work to the iterations: one, plus the local
// search visits since the last count in units of hgsUnit.
func (h *hgs) count(it int) int {
	v := h.w.ls.visits
	it += 1 + int(float64(v-h.visits)/hgsUnit) + h.saIters
	if h.fls != nil {
		it += int(float64(h.fls.evals-h.evals) / hgsFastUnit)
		h.evals = h.fls.evals
	}
	h.saIters = 0
	h.visits = v
	return it
}

// hgsPenalty is HGS's first price of a unit of load above capacity: the
// largest cost of an arc over the largest demand, within [0.1, 1000].
func (in *inst) hgsPenalty() float64 {
	maxD := 0.0
	for _, d := range in.dist {
		maxD = max(maxD, d)
	}
	maxQ := int64(1)
	for j, a := range in.active {
		if a {
			for _, q := range in.visitAmt(int32(j)) {
				maxQ = max(maxQ, q)
			}
		}
	}
	return max(0.1, min(1000, in.types[0].cpd*maxD/float64(maxQ)))
}

// randomTour is a uniformly shuffled tour of the active visits.
func (h *hgs) randomTour() []int32 {
	in := h.w.in
	h.tour = h.tour[:0]
	for j, a := range in.active {
		if a {
			h.tour = append(h.tour, int32(j))
		}
	}
	h.w.rng.Shuffle(len(h.tour), func(a, b int) { h.tour[a], h.tour[b] = h.tour[b], h.tour[a] })
	return h.tour
}

// child is the OX crossover of two parents chosen by binary tournament.
func (h *hgs) child() []int32 {
	h.feas.rank(hgsPar, h.lq)
	h.infeas.rank(hgsPar, h.lq)
	a, b := h.tournament(), h.tournament()
	rng := h.w.rng
	n := len(a.tour)
	from := rng.IntN(n)
	to := rng.IntN(n)
	for to == from && n > 1 {
		to = rng.IntN(n)
	}
	h.tour = orderedCrossover(h.tour, a.tour, b.tour, from, to, h.used)
	return h.tour
}

// tournament returns the fitter of two members drawn at random from both
// subpopulations (fitness as last ranked).
func (h *hgs) tournament() *indiv {
	n1, n2 := len(h.feas.xs), len(h.infeas.xs)
	pick := func() *indiv {
		k := h.w.rng.IntN(n1 + n2)
		if k < n1 {
			return h.feas.xs[k]
		}
		return h.infeas.xs[k-n1]
	}
	a, b := pick(), pick()
	if b.fit < a.fit {
		return b
	}
	return a
}

// educate loads the routes into the worker's solution, runs the penalised
// local search and adds the result to the population; an infeasible result
// is repaired half of the time, and added again when that makes it
// feasible.
func (h *hgs) educate(routes [][]int32) {
	h.children++
	if h.fls != nil {
		h.educateFast(routes)
		return
	}
	w := h.w
	h.place(routes)
	w.localSearch(nil)
	x := h.capture()
	h.record(x.feasible())
	if x.feasible() {
		h.insert(h.anneal(h.polish(x)))
		return
	}
	h.insert(x)
	if w.rng.IntN(2) != 0 {
		return
	}
	for _, m := range [...]float64{10, 100} {
		w.reprice(true, h.lq*m)
		w.localSearch(nil)
		if w.s.loadExcess() == 0 {
			h.insert(h.anneal(h.polish(h.capture())))
			return
		}
	}
}

// educateFast is educate with the dedicated local search (cvrpls.go): no
// polish, since a load-feasible local optimum of the priced search is one
// of the hard search too (same neighbourhoods, no penalty to lose).
func (h *hgs) educateFast(routes [][]int32) {
	routes = h.fls.run(routes, h.lq)
	x := h.load(routes)
	h.record(x.feasible())
	if x.feasible() {
		h.insert(h.anneal(x))
		return
	}
	h.insert(x)
	if h.w.rng.IntN(2) != 0 {
		return
	}
	for _, m := range [...]float64{10, 100} {
		routes = h.fls.run(routes, h.lq*m)
		if h.fls.excess() == 0 {
			h.insert(h.anneal(h.load(routes)))
			return
		}
	}
}

// load makes an individual of routes through the worker's solution (load
// excess priced at lq when there is some).
func (h *hgs) load(routes [][]int32) *indiv {
	h.place(routes)
	return h.capture()
}

// place puts routes into the worker's solution, load excess priced at lq.
func (h *hgs) place(routes [][]int32) {
	snap := &h.scratch
	snap.types = append(snap.types[:0], make([]int, len(routes))...)
	snap.jobs = routes
	h.w.s.soft, h.w.s.lq = true, h.lq
	h.w.s.load(snap)
}

// polish runs the hard-limit local search on a feasible x, in the worker's
// solution, when hgsPolish is set, and returns the result.
func (h *hgs) polish(x *indiv) *indiv {
	if !hgsPolish {
		return x
	}
	h.w.reprice(false, 0)
	h.w.localSearch(nil)
	return h.capture()
}

// capture makes an individual of the worker's solution.
func (h *hgs) capture() *indiv {
	s := h.w.s
	s.recompute()
	x := &indiv{excess: s.loadExcess()}
	s.save(&x.snap)
	x.obj = s.cost
	if s.soft {
		x.obj -= s.lq * x.excess
	}
	if h.xs != nil {
		x.tour = polarTour(nil, x.snap.jobs, h.xs, h.ys)
	} else {
		x.tour = h.w.in.giantTour(nil, x.snap.jobs)
	}
	s.adjacency(&x.adj)
	return x
}

// insert adds x to its subpopulation and keeps the best feasible solution.
func (h *hgs) insert(x *indiv) {
	h.since++
	if !x.feasible() {
		h.infeas.add(x, hgsPar, h.w.in.active, h.lq)
		return
	}
	if x.obj < h.best.cost-1e-9-1e-12*math.Abs(h.best.cost) {
		copySnapshot(h.best, &x.snap)
		h.best.cost = x.obj
		h.since = 0
	}
	h.feas.add(x, hgsPar, h.w.in.active, h.lq)
}

// record notes a child's load feasibility and every 100 children moves the
// price of load excess towards hgsTarget feasible children (x1.2 when
// fewer, x0.85 when more, 0.05 either side tolerated; within [0.1,
// 100000]), as HGS-CVRP does.
func (h *hgs) record(feasible bool) {
	h.hist = append(h.hist, feasible)
	if len(h.hist) < 100 {
		return
	}
	f := 0
	for _, b := range h.hist {
		if b {
			f++
		}
	}
	share := float64(f) / float64(len(h.hist))
	switch {
	case share < hgsTarget-0.05:
		h.lq = min(h.lq*1.2, 100000)
	case share > hgsTarget+0.05:
		h.lq = max(h.lq*0.85, 0.1)
	}
	h.hist = h.hist[:0]
}

// reprice reloads the worker's solution with limits soft (load priced at
// lq) or hard.
func (w *worker) reprice(soft bool, lq float64) {
	var snap snapshot
	w.s.save(&snap)
	w.s.soft, w.s.lq = soft, lq
	w.s.load(&snap)
}

// loadExcess is the load above capacity summed over routes.
func (s *solution) loadExcess() float64 {
	e := 0.0
	for _, r := range s.routes {
		e += r.exLoad
	}
	return e
}

func copySnapshot(dst, src *snapshot) {
	dst.types = append(dst.types[:0], src.types...)
	dst.jobs = dst.jobs[:0]
	for _, r := range src.jobs {
		dst.jobs = append(dst.jobs, append([]int32(nil), r...))
	}
	dst.cost, dst.pub = src.cost, src.pub
}

// anneal runs hgsSA SISR iterations on the worker's solution, which is x
// (feasible, hard limits), accepting by simulated annealing at the
// temperature of the budget's progress; the local search polishes each new
// best. It returns the best solution met (x when none is better).
func (h *hgs) anneal(x *indiv) *indiv {
	if hgsSA <= 0 {
		return x
	}
	w := h.w
	s := w.s
	temp := temperature(h.t0, h.tf, h.progress)
	bestCost := s.cost
	var best snapshot
	improved := false
	for k := 0; k < hgsSA; k++ {
		cur := s.cost
		s.beginLog()
		w.ruin()
		w.recreate(sisrBlink)
		if s.cost < cur-temp*math.Log(w.rng.Float64()) {
			s.commit()
			if s.cost < bestCost-1e-9 {
				w.lsJobs = w.lsJobs[:0]
				for _, ri := range s.logRoute {
					w.lsJobs = append(w.lsJobs, s.routes[ri].jobs...)
				}
				w.localSearch(w.lsJobs)
				s.recompute()
				bestCost = s.cost
				s.save(&best)
				improved = true
			}
		} else {
			s.undo()
		}
	}
	h.saIters += hgsSA
	if !improved {
		return x
	}
	s.load(&best)
	return h.capture()
}
