package location

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// capSol is an evaluated site set under capacities.
type capSol struct {
	sites  []int32 // new sites, ascending
	cost   float64 // objective (minimisation form)
	assign []int   // major facility per demand, -1 unserved
	flows  []Flow  // splittable only
	// v is each demand's marginal unit cost and mu each facility's capacity
	// price (transportation duals; nil for single-source solutions).
	v, mu []float64
	work  int64 // network simplex effort of computing it
}

// capEval scores site sets exactly: a transportation problem (network
// simplex) when demand may be split, a generalised-assignment heuristic
// otherwise. Every cost is cached by site set; full solutions (assignment,
// flows, duals) only for the most recent few, so memory stays bounded on
// long runs: an older hit comes back "light" (sites and cost) and full()
// recomputes it when needed.
type capEval struct {
	m       *model
	costs   map[string]float64
	full    map[string]*capSol
	fifo    []string
	maxFull int
	evals   int
	work    int64 // effort of every evaluation so far (mcf.work)
}

func newCapEval(m *model) *capEval {
	return &capEval{m: m, costs: map[string]float64{}, full: map[string]*capSol{},
		maxFull: max(8, min(256, int(2e8/float64(32*(m.n+1)))))}
}

func siteKey(sites []int32) string {
	var b strings.Builder
	for _, s := range sites {
		b.WriteString(strconv.Itoa(int(s)))
		b.WriteByte(',')
	}
	return b.String()
}

// eval returns the solution for sites, or nil if stopped; it may be light
// (assign == nil) when the set was scored long ago.
func (ev *capEval) eval(sites []int32, stop func() bool) *capSol {
	sites = slices.Clone(sites)
	slices.Sort(sites)
	key := siteKey(sites)
	if s, ok := ev.full[key]; ok {
		return s
	}
	if c, ok := ev.costs[key]; ok {
		return &capSol{sites: sites, cost: c}
	}
	return ev.compute(sites, key, stop)
}

// materialize returns sol with its assignment, recomputing a light one.
func (ev *capEval) materialize(sol *capSol, stop func() bool) *capSol {
	if sol == nil || sol.assign != nil {
		return sol
	}
	return ev.compute(sol.sites, siteKey(sol.sites), stop)
}

func (ev *capEval) compute(sites []int32, key string, stop func() bool) *capSol {
	m := ev.m
	open := make([]bool, m.F)
	for i := range open {
		open[i] = m.fixed[i]
	}
	fc := 0.0
	for _, i := range sites {
		open[i] = true
		fc += m.fcost[i]
	}
	var sol *capSol
	if m.single {
		sol = ev.single(open)
	} else {
		sol = ev.split(open, stop)
	}
	if sol == nil {
		return nil
	}
	ev.evals++
	ev.work += sol.work
	sol.sites = sites
	sol.cost += fc
	ev.costs[key] = sol.cost
	if _, ok := ev.full[key]; !ok {
		ev.fifo = append(ev.fifo, key)
		if len(ev.fifo) > ev.maxFull {
			delete(ev.full, ev.fifo[0])
			ev.fifo = ev.fifo[1:]
		}
	}
	ev.full[key] = sol
	return sol
}

// options lists demand j's useful open facilities (entry indices): every
// capacitated one cheaper than the cheapest uncapacitated one and than
// leaving j unserved, plus that uncapacitated one.
func (m *model) options(j int, open []bool, buf []int) []int {
	buf = buf[:0]
	uc := m.ucost[j]
	for e := m.start[j]; e < m.start[j+1]; e++ {
		f := m.fac[e]
		if !open[f] {
			continue
		}
		if m.cost[e] > uc {
			break
		}
		buf = append(buf, e)
		if math.IsInf(m.capa[f], 1) {
			break
		}
	}
	return buf
}

// split solves the transportation problem demand -> open facility -> sink
// with an "unserved" arc per demand.
func (ev *capEval) split(open []bool, stop func() bool) *capSol {
	// Solve with each demand's few cheapest options first; LP optimality is
	// then checked on every omitted option with the final potentials, and
	// the problem is re-solved with all options if one prices out.
	return ev.m.transport(open, nil, stop)
}

// transport solves the transportation problem over the open facilities,
// each unit sent to facility i costing its distance cost plus sur[i] (nil:
// no surcharge). It solves with each demand's few cheapest options first;
// LP optimality is then checked on every omitted option with the final
// potentials, and the problem is re-solved with all options if one prices
// out. It returns nil when stopped.
func (m *model) transport(open []bool, sur []float64, stop func() bool) *capSol {
	first, ok := m.splitK(open, sur, stop, 8)
	if ok || first == nil {
		return first
	}
	sol, _ := m.splitK(open, sur, stop, math.MaxInt)
	if sol != nil {
		sol.work += first.work
	}
	return sol
}

// splitK solves the transportation problem demand -> open facility -> sink
// with an "unserved" arc per demand, keeping at most k options per demand.
// ok is false when an omitted option has a negative reduced cost.
func (m *model) splitK(open []bool, sur []float64, stop func() bool, k int) (*capSol, bool) {
	sol := &capSol{assign: make([]int, m.n)}
	t := m.newTransportNet(open, sur)
	t.addDemandArcs(sol, k)
	t.warmStart()
	g := t.g
	if !g.solve(stop) {
		return nil, false
	}
	sol.work = g.work
	if t.pruned && t.omittedPricesIn() {
		return sol, false
	}
	t.setDuals(sol)
	t.readFlows(sol)
	return sol, true
}

// transportNet is the min-cost flow network of one transportation problem
// and the maps from its nodes and arcs back to demands and facilities.
type transportNet struct {
	m     *model
	open  []bool
	sur   []float64 // surcharge per unit at each facility; nil: none
	g     *mcf
	node  []int32 // facility -> network node, -1 if closed
	dnode []int32 // demand -> network node, -1 if weight 0
	sink  int
	gu    float64 // the charge per unit left unserved
	// lex: the unserved arcs are priced as a penalty on the first level
	// of the lexicographic costs rather than as gu.
	lex    bool
	refs   []transportRef // per arc added by addDemandArcs
	pruned bool           // some options were left out
	// rest lists the omitted options, by demand: restStart[j]..restStart[j+1].
	rest      []int
	restStart []int
}

// transportRef names the demand and facility of a transportation arc.
type transportRef struct {
	j int32
	f int32 // facility, -1 = unserved
}

// newTransportNet numbers the network's nodes (demands of positive weight,
// then open facilities, then the sink) and decides how unserved weight is
// priced.
func (m *model) newTransportNet(open []bool, sur []float64) *transportNet {
	t := &transportNet{m: m, open: open, sur: sur, g: &mcf{}}
	t.node = make([]int32, m.F)
	for i := range t.node {
		t.node[i] = -1
	}
	nd := 0
	t.dnode = make([]int32, m.n)
	for j := 0; j < m.n; j++ {
		t.dnode[j] = -1
		if m.w[j] > 0 {
			t.dnode[j] = int32(nd)
			nd++
		}
	}
	nodes := nd
	for i := 0; i < m.F; i++ {
		if open[i] {
			t.node[i] = int32(nodes)
			nodes++
		}
	}
	t.sink = nodes
	nodes++
	t.g.nodes = nodes
	t.g.supply = make([]float64, nodes)
	t.gu = m.gU()
	// When leaving a unit unserved costs more than any path of real arcs
	// could (gu > nodes · largest unit cost), the min-cost flow serves as
	// much as it can first: price the unserved arcs as a penalty of 1 on
	// the first level of the lexicographic costs, exactly, rather than as
	// gu (the default is of order 10^13, which would swamp the distances).
	maxUnit := m.maxUnit
	for _, x := range sur {
		maxUnit = max(maxUnit, m.maxUnit+x)
	}
	t.lex = t.gu > float64(nodes+1)*maxUnit
	return t
}

// arcCost is the unit cost of option e: its distance cost plus the
// facility's surcharge.
func (t *transportNet) arcCost(e int) float64 {
	m := t.m
	if t.sur != nil {
		return m.g(m.dist[e]) + t.sur[m.fac[e]]
	}
	return m.g(m.dist[e])
}

// addDemandArcs gives each demand its supply, arcs to its k cheapest open
// options and an unserved arc; a demand of weight 0 is assigned to its
// cheapest open option (or none) and left out of the network.
func (t *transportNet) addDemandArcs(sol *capSol, k int) {
	m, g := t.m, t.g
	var buf []int
	t.restStart = make([]int, m.n+1)
	for j := 0; j < m.n; j++ {
		t.restStart[j] = len(t.rest)
		buf = m.options(j, t.open, buf)
		if m.w[j] == 0 {
			sol.assign[j] = -1
			if len(buf) > 0 {
				sol.assign[j] = int(m.fac[buf[0]])
			}
			continue
		}
		if len(buf) > k {
			t.rest = append(t.rest, buf[k:]...)
			buf = buf[:k]
			t.pruned = true
		}
		u := int(t.dnode[j])
		g.supply[u] = m.w[j]
		g.supply[t.sink] -= m.w[j]
		for _, e := range buf {
			f := m.fac[e]
			g.addArc(u, int(t.node[f]), math.Inf(1), t.arcCost(e))
			t.refs = append(t.refs, transportRef{int32(j), f})
		}
		if t.lex {
			g.addPenaltyArc(u, t.sink, math.Inf(1), 1)
		} else {
			g.addArc(u, t.sink, math.Inf(1), t.gu)
		}
		t.refs = append(t.refs, transportRef{int32(j), -1})
	}
	t.restStart[m.n] = len(t.rest)
}

// warmStart adds the facilities' arcs to the sink and gives the network a
// starting basis: each demand whole on its cheapest option with room left
// (strictly: a saturated tree arc would not be strongly feasible), the rest
// on its unserved arc; facilities hang below the sink.
func (t *transportNet) warmStart() {
	m, g := t.m, t.g
	g.initTree = make([]int32, g.nodes)
	g.initFlow = make([]float64, len(g.from), len(g.from)+m.F)
	load := make([]float64, m.F)
	placed := make([]bool, m.n)
	for k, ref := range t.refs {
		j := ref.j
		switch {
		case placed[j]:
		case ref.f >= 0:
			if load[ref.f]+m.w[j] < m.capa[ref.f] {
				load[ref.f] += m.w[j]
				placed[j] = true
				g.initTree[t.dnode[j]] = int32(k)
				g.initFlow[k] = m.w[j]
			}
		default: // the unserved arc comes last in j's group
			placed[j] = true
			g.initTree[t.dnode[j]] = int32(k)
			g.initFlow[k] = m.w[j]
		}
	}
	for i := 0; i < m.F; i++ {
		if t.open[i] {
			g.initTree[t.node[i]] = int32(g.addArc(int(t.node[i]), t.sink, m.capa[i], 0))
			g.initFlow = append(g.initFlow, load[i])
		}
	}
	g.initTree[t.sink] = -1
}

// omittedPricesIn reports whether an omitted option has a negative reduced
// cost at the solved network's potentials (the solution is then not
// optimal over all options).
func (t *transportNet) omittedPricesIn() bool {
	m, g := t.m, t.g
	for j := 0; j < m.n; j++ {
		if m.w[j] == 0 {
			continue
		}
		for _, e := range t.rest[t.restStart[j]:t.restStart[j+1]] {
			f := m.fac[e]
			u, v := t.dnode[j], t.node[f]
			if lexLess(g.piPen[u]-g.piPen[v], t.arcCost(e)+g.pi[u]-g.pi[v], 0, -g.eps, 0) {
				return true
			}
		}
	}
	return false
}

// dual is node x's potential difference to the sink, both levels folded
// with the penalty worth gu.
func (t *transportNet) dual(x int32) float64 {
	g, sink32 := t.g, int32(t.sink)
	return (g.piPen[sink32]-g.piPen[x])*t.gu + g.pi[sink32] - g.pi[x]
}

// setDuals fills sol's demand duals v and facility capacity duals mu.
func (t *transportNet) setDuals(sol *capSol) {
	m := t.m
	sol.v = make([]float64, m.n)
	sol.mu = make([]float64, m.F)
	for i := 0; i < m.F; i++ {
		if t.open[i] {
			sol.mu[i] = math.Max(0, t.dual(t.node[i]))
		}
	}
	for j := 0; j < m.n; j++ {
		if m.w[j] > 0 {
			sol.v[j] = t.dual(t.dnode[j])
		} else {
			sol.v[j] = t.gu
			if sol.assign[j] >= 0 {
				sol.v[j] = m.g(m.distOf(j, sol.assign[j]))
			}
		}
	}
}

// readFlows reads the solved flows into sol: its cost, the flows to
// facilities and each demand's main facility (the one taking its largest
// part).
func (t *transportNet) readFlows(sol *capSol) {
	m, g := t.m, t.g
	best := make([]float64, m.n)
	for j := range sol.assign {
		if m.w[j] > 0 {
			sol.assign[j] = -1
		}
	}
	for k, ref := range t.refs {
		fl := g.flow[k]
		// Every positive part on a facility is kept, however thin: dropped,
		// it would read as unserved weight, which the default charge of
		// 10^13 per unit turns into real money. The unserved arc's rounding
		// residue is not.
		if fl <= 0 || ref.f < 0 && fl <= 1e-12*m.w[ref.j] {
			continue
		}
		if ref.f >= 0 {
			sol.cost += fl * g.cost[k]
		} else {
			sol.cost += fl * t.gu
		}
		if ref.f >= 0 {
			sol.flows = append(sol.flows, Flow{Demand: int(ref.j), Facility: int(ref.f), Weight: fl})
			if fl > best[ref.j] {
				best[ref.j] = fl
				sol.assign[ref.j] = int(ref.f)
			}
		}
	}
}

// single assigns every demand whole (generalised assignment heuristic):
// largest demands first to their cheapest facility with room, then shift
// and swap moves until no move improves.
func (ev *capEval) single(open []bool) *capSol {
	m := ev.m
	order := make([]int, m.n)
	for j := range order {
		order[j] = j
	}
	// Several construction orders, each followed by the local search; the
	// random ones use a fixed seed so evaluation stays deterministic.
	slices.SortStableFunc(order, func(a, b int) int { return cmpF(m.w[b], m.w[a]) })
	best := ev.singleFrom(open, order)
	regret := make([]float64, m.n)
	for j := 0; j < m.n; j++ {
		c1, c2 := m.ucost[j], m.ucost[j]
		for e := m.start[j]; e < m.start[j+1]; e++ {
			if open[m.fac[e]] {
				if m.cost[e] < c1 {
					c1, c2 = m.cost[e], c1
				} else if m.cost[e] < c2 {
					c2 = m.cost[e]
				}
			}
		}
		regret[j] = c2 - c1
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpF(regret[b], regret[a]) })
	if s := ev.singleFrom(open, order); s.cost < best.cost {
		best = s
	}
	rng := rand.New(rand.NewPCG(uint64(m.n), uint64(m.F)))
	for range 6 {
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		if s := ev.singleFrom(open, order); s.cost < best.cost {
			best = s
		}
	}
	return best
}

func (ev *capEval) singleFrom(open []bool, order []int) *capSol {
	m := ev.m
	sol := &capSol{assign: make([]int, m.n)}
	left := make([]float64, m.F)
	copy(left, m.capa)
	for j := range sol.assign {
		sol.assign[j] = -1
	}
	cur := make([]float64, m.n) // current cost of each demand
	for _, j := range order {
		cur[j] = m.ucost[j]
		for e := m.start[j]; e < m.start[j+1]; e++ {
			f := m.fac[e]
			if !open[f] || m.cost[e] >= m.ucost[j] {
				continue
			}
			if left[f] >= m.w[j] {
				sol.assign[j] = int(f)
				cur[j] = m.cost[e]
				left[f] -= m.w[j]
				break
			}
		}
	}
	// Improvement: shifts, then pairwise swaps between facilities.
	for pass := 0; pass < 50; pass++ {
		improved := false
		for j := 0; j < m.n; j++ {
			for e := m.start[j]; e < m.start[j+1]; e++ {
				f := int(m.fac[e])
				if !open[f] || f == sol.assign[j] || m.cost[e] >= cur[j]-1e-12 {
					continue
				}
				if left[f] >= m.w[j] {
					if a := sol.assign[j]; a >= 0 {
						left[a] += m.w[j]
					}
					left[f] -= m.w[j]
					sol.assign[j] = f
					cur[j] = m.cost[e]
					improved = true
					break
				}
			}
		}
		// swap j (at a) with k (at b): j -> b, k -> a
		for j := 0; j < m.n; j++ {
			a := sol.assign[j]
			for e := m.start[j]; e < m.start[j+1]; e++ {
				b := int(m.fac[e])
				if !open[b] || b == a {
					continue
				}
				cjb := m.cost[e]
				if cjb >= cur[j] {
					break // sorted: nothing cheaper for j further on
				}
				// find k at b whose move to a pays
				bestK, bestD := -1, -1e-9*math.Max(1, cur[j])
				for k2 := m.istart[b]; k2 < m.istart[b+1]; k2++ {
					k := int(m.idem[k2])
					if sol.assign[k] != b || k == j {
						continue
					}
					cka := m.ucost[k]
					if a >= 0 {
						cka = m.costOf(k, a)
						if math.IsInf(cka, 1) {
							continue
						}
					}
					if a >= 0 && left[a]+m.w[j]-m.w[k] < 0 {
						continue
					}
					if left[b]+m.w[k]-m.w[j] < 0 {
						continue
					}
					d := cjb + cka - cur[j] - cur[k]
					if d < bestD {
						bestK, bestD = k, d
					}
				}
				if bestK >= 0 {
					k := bestK
					if a >= 0 {
						left[a] += m.w[j] - m.w[k]
					}
					left[b] += m.w[k] - m.w[j]
					sol.assign[j], sol.assign[k] = b, a
					cur[k] = m.ucost[k]
					if a >= 0 {
						cur[k] = m.costOf(k, a)
					}
					cur[j] = cjb
					improved = true
					break
				}
			}
		}
		if !improved {
			break
		}
	}
	for j := 0; j < m.n; j++ {
		sol.cost += cur[j]
	}
	return sol
}

// capacitated searches site sets under capacities: a capacity-aware start
// from the uncapacitated fast interchange, the Lagrangian bound whose
// iterates feed Beasley's heuristic (repaired site sets scored exactly),
// reduced-cost fixing, then add/drop/swap local search and an iterated local
// search from perturbations of an elite pool.
func (r *run) capacitated(m *model) *Result {
	c := &capRun{r: r, m: m, ev: newCapEval(m)}
	lambda := c.start()
	lb := c.bound(lambda)
	r.capLS(c.m, c.ev, &c.best, c.consider, c.big)
	iters := c.improve(lb)
	return c.result(lb, iters)
}

// capRun is the state the stages of capacitated share.
type capRun struct {
	r    *run
	m    *model // the candidates shrink after reduced-cost fixing
	ev   *capEval
	best *capSol
	big  bool // exact evaluations are expensive: regions, a larger bound share
}

// consider scores a site set exactly and keeps it when it is the best.
func (c *capRun) consider(sites []int32) *capSol {
	sol := c.ev.eval(sites, c.r.stop)
	if sol != nil && (c.best == nil || sol.cost < c.best.cost-1e-9*math.Max(1, math.Abs(c.best.cost))) {
		c.best = sol
	}
	return sol
}

// start builds the first solution (the uncapacitated fast interchange's
// sites, repaired to enough capacity) and returns its unit costs as
// multipliers.
func (c *capRun) start() []float64 {
	m, r := c.m, c.r
	s := newSwapState(m)
	s.greedy(r.stop)
	s.localSearch(r.stop)
	c.consider(m.repair(s.sites(), nil))
	if c.best == nil { // stopped before the first evaluation finished
		c.best = c.ev.evalNoStop(m.repair(s.sites(), nil))
	}
	c.big = c.ev.big()
	return slices.Clone(s.c1)
}

// bound computes the lower bound: the multipliers start from the first
// solution's transportation duals (λ_j = w_j·v_j, capped by the unserved
// cost: the LP-optimal prices for that site set) or, when they give more,
// from the weak LP's (see weakLP); the Lagrangian's iterates feed the
// heuristic; reduced-cost fixing shrinks the candidates, and a short
// enumeration of the undecided sites may prove the best optimal.
func (c *capRun) bound(lambda []float64) float64 {
	m, r := c.m, c.r
	if c.best.v != nil {
		for j := range lambda {
			lambda[j] = math.Min(m.w[j]*c.best.v[j], m.ucost[j])
		}
	}
	share := capBoundShare
	if c.big {
		share = capBoundShareBig
	}
	lbWeak := noBound
	if m.p < 0 && r.set.BoundIterations > 0 && !r.stop() {
		if v, lam := m.weakLP(r.boundStop(share)); lam != nil {
			lbWeak = v
			if c.best.v == nil || m.lagrangeAt(lam) > m.lagrangeAt(lambda) {
				lambda = lam
			}
		}
	}
	lbStop := r.boundStop(share)
	lo := m.lagrange(r.set.BoundIterations, c.best.cost, lambda, lbStop, c.heuristic(lbStop), r.set.Workers)
	lb := max(lo.bound, lbWeak)
	if m.obj == MaxCover {
		// The coverage-form bound ignores capacities, which only lower
		// coverage, so it stays valid and is usually much tighter.
		ubCov, _ := m.coverBound(r.set.BoundIterations, m.totalW-c.best.cost, r.boundStop(share+0.1))
		lb = max(lb, m.totalW-ubCov)
	}
	if lo.rho != nil {
		lb = max(lb, c.fix(lo))
	}
	return roundBound(m, lb, m.integral())
}

// heuristic is Beasley's Lagrangian heuristic as lagrange's onSet: each
// iterate's site set, repaired with the closed sites cheapest per unit of
// capacity in Lagrangian terms, is scored exactly. It may spend on
// evaluations about as much time as the bound spends on its iterations,
// counted in work (entries visited, network-simplex work at three times the
// weight: about their relative cost per unit), not time, so that a run
// bounded by iterations stays reproducible. Small instances score nearly
// every iterate, national ones one in twenty or so.
func (c *capRun) heuristic(stop func() bool) func(sites []int32, rho []float64) float64 {
	m := c.m
	rhoOrder := slices.Clone(m.cands)
	var last string
	var boundWork int64
	heurWork0 := c.ev.work
	return func(sites []int32, rho []float64) float64 {
		boundWork += int64(2*len(m.fac) + m.n)
		key := siteKey(sites)
		if key == last || stop() || 3*(c.ev.work-heurWork0) > boundWork {
			return math.Inf(1)
		}
		last = key
		slices.SortStableFunc(rhoOrder, func(a, b int32) int {
			return cmpF(rho[a]/math.Min(m.capa[a], m.totalW), rho[b]/math.Min(m.capa[b], m.totalW))
		})
		if sol := c.consider(m.repair(sites, rhoOrder)); sol != nil {
			return sol.cost
		}
		return math.Inf(1)
	}
}

// fix applies reduced-cost fixing (insertion side only): sites that no
// solution better than the best can open leave the search's candidate list
// (c.m becomes a shallow copy sharing every array). When few sites remain
// undecided, enumerating them is a proof: every solution better than the
// best opens the locked sites, no excluded one, and some subset of the
// undecided; it then returns the best cost as a bound (noBound otherwise).
// A few dozen undecided sites on a small model go to branch and bound
// (branch.go), whose complete tree is the same proof.
// Single-source scores are heuristic, so no proof there.
func (c *capRun) fix(lo lagOut) float64 {
	m := c.m
	cands, locked := m.fixByReducedCost(lo.bound, lo.rho, c.best.cost, m.integral())
	if len(cands) < len(m.cands) {
		mm := *m
		mm.cands = cands
		c.m = &mm
	}
	var fixedOpen, und []int32
	for _, i := range cands {
		if locked != nil && locked[i] {
			fixedOpen = append(fixedOpen, i)
		} else {
			und = append(und, i)
		}
	}
	if c.m.branchable(len(und)) {
		if c.branch(fixedOpen, und, lo.lambda) {
			return c.best.cost
		}
		return noBound
	}
	if m.single || len(und) > enumMax || float64(int(1)<<len(und))*float64(len(m.fac)+m.n) > 5e7 {
		return noBound
	}
	for mask := 0; mask < 1<<len(und); mask++ {
		sites := withSubset(fixedOpen, und, mask)
		if m.p >= 0 && len(sites) != m.p {
			continue
		}
		if c.consider(sites) == nil {
			return noBound // stopped: no proof
		}
	}
	return c.best.cost
}

// improve runs the iterated local search, on Workers goroutines when there
// are several (each with its own evaluator and random stream, the best
// winning, ties to the lowest worker), and returns the rounds done.
func (c *capRun) improve(lb float64) int {
	r := c.r
	gapClosed := func(b *capSol) bool { return b.cost-lb <= optTol*math.Max(1, math.Abs(b.cost)) }
	if r.set.Workers <= 1 || gapClosed(c.best) {
		var iters int
		c.best, iters = c.ils(c.ev, r.rng, c.best, gapClosed)
		return iters
	}
	type out struct {
		best  *capSol
		iters int
	}
	outs := make([]out, r.set.Workers)
	var wg sync.WaitGroup
	start := c.best
	for w := range outs {
		wev, rng := c.ev, r.rng
		if w > 0 {
			wev = newCapEval(c.m)
			rng = rand.New(rand.NewPCG(uint64(r.set.Seed), uint64(w)))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, it := c.ils(wev, rng, start, gapClosed)
			outs[w] = out{b, it}
		}()
	}
	wg.Wait()
	iters := 0
	for w, o := range outs {
		iters += o.iters
		if w == 0 || o.best.cost < c.best.cost-1e-9*math.Max(1, math.Abs(c.best.cost)) {
			c.best = o.best
		}
	}
	return iters
}

// ils is the iterated local search of one worker: its own evaluator cache,
// elite pool and random stream; the model is shared read-only. An elite
// pool keeps the best distinct local optima; perturbations start from a
// random member so that the search does not circle one optimum.
func (c *capRun) ils(ev *capEval, rng *rand.Rand, best *capSol, gapClosed func(*capSol) bool) (*capSol, int) {
	m, r := c.m, c.r
	consider := func(sites []int32) *capSol {
		sol := ev.eval(sites, r.stop)
		if sol != nil && sol.cost < best.cost-1e-9*math.Max(1, math.Abs(best.cost)) {
			best = sol
		}
		return sol
	}
	elite := []*capSol{best}
	addElite := func(s *capSol) {
		for _, e := range elite {
			if slices.Equal(e.sites, s.sites) {
				return
			}
		}
		elite = append(elite, s)
		slices.SortStableFunc(elite, func(a, b *capSol) int { return cmpF(a.cost, b.cost) })
		if len(elite) > 6 {
			elite = elite[:6]
		}
	}
	iters := 0
	for len(m.cands) > 0 && iters < r.set.MaxIterations && !gapClosed(best) && !r.stop() {
		iters++
		base := elite[rng.IntN(len(elite))]
		sites, ok := c.kick(base, iters, rng)
		if !ok {
			break
		}
		// Repair in random order: a fixed order would refill the same site
		// after every closing flip.
		order := slices.Clone(m.cands)
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		sites = m.repair(sites, order)
		var cur *capSol
		if !m.single && c.big {
			if cur = r.regionRestart(m, ev, base, sites, consider); cur == nil {
				break
			}
		} else {
			sol := consider(sites)
			if sol == nil {
				break
			}
			if cur = ev.materialize(sol, r.stop); cur == nil {
				break
			}
			r.capLS(m, ev, &cur, consider, c.big)
		}
		addElite(cur)
		if best.cost < elite[0].cost {
			addElite(best)
		}
	}
	return best, iters
}

// kick perturbs base's sites: every other round k random flips, otherwise
// one of the best-estimated moves, although not improving, so that the
// search leaves the local optimum where it looks best. It reports false
// when there is no move at all.
func (c *capRun) kick(base *capSol, round int, rng *rand.Rand) ([]int32, bool) {
	m := c.m
	sites := slices.Clone(base.sites)
	if round%2 == 0 {
		return m.perturb(sites, 1+rng.IntN(4), rng.IntN), true
	}
	moves := m.rankMoves(base)
	if len(moves) == 0 {
		return nil, false
	}
	mv := moves[rng.IntN(min(len(moves), 40))]
	next := make([]int32, 0, len(sites)+1)
	for _, x := range sites {
		if x != mv.out {
			next = append(next, x)
		}
	}
	if mv.in >= 0 {
		next = append(next, mv.in)
	}
	return next, true
}

// result turns the best solution into a Result (its assignment recomputed
// if the cache kept only its cost).
func (c *capRun) result(lb float64, iters int) *Result {
	m := c.m
	best := c.best
	if best.assign == nil {
		best = c.ev.materialize(best, func() bool { return false })
	}
	res := &Result{Open: toInts(best.sites), Assign: best.assign, Iterations: iters}
	if !m.single {
		res.Flows = best.flows
		served := make([]float64, m.n)
		for _, f := range best.flows {
			served[f.Demand] += f.Weight
		}
		for j := 0; j < m.n; j++ {
			if m.w[j] > served[j] {
				res.Unserved += m.w[j] - served[j]
			}
		}
		res.Covered = m.coveredFlows(best.flows)
	} else {
		for j, f := range best.assign {
			if f < 0 {
				res.Unserved += m.w[j]
			}
		}
		res.Covered = m.covered(best.assign)
	}
	if res.Unserved < 1e-9*math.Max(1, m.totalW) {
		res.Unserved = 0
	}
	c.r.finish(m, res, best.cost, lb)
	return res
}

func (ev *capEval) evalNoStop(sites []int32) *capSol {
	return ev.eval(sites, func() bool { return false })
}

func (m *model) coveredFlows(flows []Flow) float64 {
	if m.obj != MaxCover && m.obj != SetCover && m.radius == 0 {
		return 0
	}
	t := 0.0
	for _, fl := range flows {
		for e := m.start[fl.Demand]; e < m.start[fl.Demand+1]; e++ {
			if int(m.fac[e]) == fl.Facility {
				if m.dist[e] <= m.radius {
					t += fl.Weight
				}
				break
			}
		}
	}
	return t
}

// repair makes a site set admissible: exactly P sites with a cardinality
// (dropping the last / adding in order), and for FacilityLocation enough
// capacity for the total weight when every facility is capacitated (adding
// closed candidates in the given order, or by largest capacity per fixed
// cost).
func (m *model) repair(sites []int32, order []int32) []int32 {
	sites = slices.Clone(sites)
	in := make(map[int32]bool, len(sites))
	for _, s := range sites {
		in[s] = true
	}
	if order == nil {
		order = slices.Clone(m.cands)
		slices.SortStableFunc(order, func(a, b int32) int {
			ra := m.capa[a] / math.Max(m.fcost[a], 1e-12)
			rb := m.capa[b] / math.Max(m.fcost[b], 1e-12)
			switch {
			case ra > rb:
				return -1
			case ra < rb:
				return 1
			}
			return 0
		})
	}
	if m.p >= 0 {
		for len(sites) > m.p {
			delete(in, sites[len(sites)-1])
			sites = sites[:len(sites)-1]
		}
		for _, i := range order {
			if len(sites) >= m.p {
				break
			}
			if !in[i] {
				in[i] = true
				sites = append(sites, i)
			}
		}
		return sites
	}
	capSum := 0.0
	for i := 0; i < m.F; i++ {
		if m.fixed[i] || in[int32(i)] {
			capSum += m.capa[i]
		}
	}
	for _, i := range order {
		if capSum >= m.totalW {
			break
		}
		if !in[i] {
			in[i] = true
			sites = append(sites, i)
			capSum += m.capa[i]
		}
	}
	return sites
}

// perturb applies k random flips (swaps with a cardinality).
func (m *model) perturb(sites []int32, k int, pick func(int) int) []int32 {
	in := make(map[int32]bool, len(sites))
	for _, s := range sites {
		in[s] = true
	}
	nc := len(m.cands)
	for range k {
		c := m.cands[pick(nc)]
		if m.p >= 0 {
			if in[c] || len(sites) == 0 {
				continue
			}
			x := pick(len(sites))
			delete(in, sites[x])
			sites[x] = c
			in[c] = true
			continue
		}
		if in[c] {
			x := slices.Index(sites, c)
			sites = slices.Delete(sites, x, x+1)
			delete(in, c)
		} else {
			sites = append(sites, c)
			in[c] = true
		}
	}
	return sites
}

// capMove is a candidate move of the capacitated local search.
type capMove struct {
	in, out int32 // -1 = none
	est     float64
}

// rankMoves estimates every add, drop and swap from the duals of the
// current solution (marginal cost v_j of each demand, capacity price mu_f):
// opening i saves Σ_j max(0, v_j - c_ij)·w_j over the best demands its
// capacity can take; closing r costs, for each unit it serves, the step to
// the next cheapest option min_{f≠r}(c_jf + mu_f). A swap adds both.
// Single-source solutions use their current unit costs as v and mu = 0.
func (m *model) rankMoves(c *capSol) []capMove {
	in := make([]bool, m.F)
	for _, s := range c.sites {
		in[s] = true
	}
	open := func(f int32) bool { return m.fixed[f] || in[f] }
	v, mu := c.v, c.mu
	if v == nil {
		v = make([]float64, m.n)
		mu = make([]float64, m.F)
		for j, f := range c.assign {
			v[j] = m.gU()
			if f >= 0 {
				v[j] = m.g(m.distOf(j, f))
			}
		}
	}
	// served[f] lists (demand, weight) at open new site f
	type part struct {
		j int
		w float64
	}
	served := make(map[int32][]part)
	if c.flows != nil {
		for _, fl := range c.flows {
			if in[int32(fl.Facility)] {
				served[int32(fl.Facility)] = append(served[int32(fl.Facility)], part{fl.Demand, fl.Weight})
			}
		}
	} else {
		for j, f := range c.assign {
			if f >= 0 && in[int32(f)] {
				served[int32(f)] = append(served[int32(f)], part{j, m.w[j]})
			}
		}
	}
	gu := m.gU()
	drop := make(map[int32]float64, len(c.sites))
	for _, r := range c.sites {
		inc := 0.0
		for _, pt := range served[r] {
			alt := gu
			for e := m.start[pt.j]; e < m.start[pt.j+1]; e++ {
				f := m.fac[e]
				if f == r || !open(f) {
					continue
				}
				alt = math.Min(alt, m.g(m.dist[e])+mu[f])
			}
			inc += pt.w * math.Max(0, alt-v[pt.j])
		}
		drop[r] = m.fcost[r] - inc
	}
	type sv struct{ per, w float64 }
	var items []sv
	var moves []capMove
	add := make(map[int32]float64)
	for _, i := range m.cands {
		if in[i] {
			continue
		}
		items = items[:0]
		for k := m.istart[i]; k < m.istart[i+1]; k++ {
			j := m.idem[k]
			if m.w[j] == 0 {
				continue
			}
			if d := v[j] - m.icost[k]/m.w[j]; d > 0 {
				items = append(items, sv{d, m.w[j]})
			}
		}
		slices.SortFunc(items, func(a, b sv) int { return cmpF(b.per, a.per) })
		left, save := m.capa[i], 0.0
		for _, it := range items {
			t := math.Min(it.w, left)
			save += t * it.per
			left -= t
			if left <= 0 {
				break
			}
		}
		add[i] = save - m.fcost[i]
		if m.p < 0 {
			moves = append(moves, capMove{i, -1, add[i]})
		}
	}
	// Swaps pair every open site with every closed one, or on large
	// instances the best 60 of each by estimate.
	swapIn := make([]int32, 0, len(add))
	for _, i := range m.cands {
		if !in[i] {
			swapIn = append(swapIn, i)
		}
	}
	swapOut := slices.Clone(c.sites)
	if len(swapIn)*len(swapOut) > 20000 {
		const K = 60
		slices.SortStableFunc(swapIn, func(a, b int32) int { return cmpF(add[b], add[a]) })
		slices.SortStableFunc(swapOut, func(a, b int32) int { return cmpF(drop[b], drop[a]) })
		swapIn, swapOut = swapIn[:min(K, len(swapIn))], swapOut[:min(K, len(swapOut))]
	}
	if m.p < 0 {
		for _, r := range c.sites {
			moves = append(moves, capMove{-1, r, drop[r]})
		}
	}
	for _, r := range swapOut {
		for _, i := range swapIn {
			moves = append(moves, capMove{i, r, add[i] + drop[r]})
		}
	}
	slices.SortStableFunc(moves, func(a, b capMove) int { return cmpF(b.est, a.est) })
	return moves
}

// big reports whether an exact evaluation costs more than regionWork on
// average (national instances).
func (ev *capEval) big() bool {
	return ev.evals > 0 && float64(ev.work)/float64(ev.evals) > regionWork
}

// capLS runs the local search that fits the instance: moves scored exactly,
// or on regions when an exact evaluation is expensive (big, see
// capEval.big) and demand may be split.
func (r *run) capLS(m *model, ev *capEval, cur **capSol, consider func([]int32) *capSol, big bool) {
	if !m.single && big {
		r.regionLocalSearch(m, ev, cur, consider)
		return
	}
	r.capLocalSearchFrom(m, ev, cur, consider)
}

// capLocalSearchFrom improves *cur by first-improvement add, drop and swap
// moves (swaps only with a cardinality), tried in the order of their dual
// estimates and scored exactly; on large instances only the most promising
// moves are scored.
func (r *run) capLocalSearchFrom(m *model, ev *capEval, cur **capSol, consider func([]int32) *capSol) {
	for !r.stop() {
		c := *cur
		eps := 1e-9 * math.Max(1, math.Abs(c.cost))
		moves := m.rankMoves(c)
		limit := len(moves)
		if len(m.cands) > 60 {
			limit = min(limit, 3*len(m.cands)/2)
		}
		improved := false
		for _, mv := range moves[:limit] {
			if r.stop() {
				return
			}
			next := make([]int32, 0, len(c.sites)+1)
			for _, s := range c.sites {
				if s != mv.out {
					next = append(next, s)
				}
			}
			if mv.in >= 0 {
				next = append(next, mv.in)
			}
			sol := consider(next)
			if sol != nil && sol.cost < c.cost-eps {
				if sol = ev.materialize(sol, r.stop); sol == nil {
					return
				}
				*cur = sol
				improved = true
				break
			}
		}
		if !improved {
			return
		}
	}
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// capBoundShare is the share of the time limit the Lagrangian bound (with
// its heuristic) may use before the local search takes over; on instances
// whose exact evaluations are expensive (capEval.big) it is
// capBoundShareBig: there the region search converges in a few seconds and
// restarts rarely gain, while every bound iteration counts (at national
// scale the gap after 100 iterations is several percent, after 400 a
// tenth of one).
const (
	capBoundShare    = 0.2
	capBoundShareBig = 0.5
)
