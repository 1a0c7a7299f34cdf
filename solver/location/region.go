package location

import (
	"math"
	"slices"
)

// regionWork is the effort (mcf.work) of one exact evaluation above which
// the capacitated local search scores its moves on regions: about a tenth
// of a second, where a national instance (3·10^4 demands, 1.5·10^4
// facilities, 2·10^6 listed pairs) takes a second or more per exact
// transportation problem (10^8) and a pass over thousands of moves would not
// end. A variable so that tests can force regions on small instances.
var regionWork = 1e7

// Region sizes: the nearest open options of each directly affected demand
// whose other customers may be moved to make room, and the most demands a
// region may hold.
const (
	regionRing = 4
	regionMax  = 3000
)

// regionSearch holds a split-demand capacitated solution as flows that
// moves patch locally. A move (open a site, close one, or both) is scored by
// re-solving the transportation problem of a region only: the demands it
// touches directly (those served by the closed site, those listing the
// opened one that pay more than its distance), and the other customers of
// the nearest open options of these, which may make room; every other flow
// stays fixed and the facilities keep what it leaves of their capacity. The
// region's optimum with the rest fixed is a feasible solution of the whole
// problem, so an improving region move is an improving move, and the
// patched flows are feasible at every step; the exact transportation
// problem of the whole site set is solved only when no move of the list
// improves, which re-optimises every flow at once and refreshes the duals
// that rank the moves. This is the restricted re-optimisation that keeps
// the local search of large instances at milliseconds per move.
type regionSearch struct {
	m     *model
	open  []bool // fixed or chosen
	in    []bool // chosen new site
	parts [][]rpart
	load  []float64
	cost  float64   // exact cost of the flows and the sites
	base  *capSol   // last exact solution: duals for the move ranking
	v     []float64 // marginal unit cost per demand: base.v, refreshed in patched regions

	stamp   int32
	dmark   []int32 // region membership per demand
	fmark   []int32 // local id stamp per facility
	floc    []int32 // local id per facility
	resid   []float64
	dem     []int32
	fglob   []int32
	sumW    []float64 // per demand: weight served
	scratch []rpart
}

// rpart is a part of a demand's weight on one listed facility: the row
// entry and the weight.
type rpart struct {
	e int32
	w float64
}

func newRegionSearch(m *model, sol *capSol) *regionSearch {
	rs := &regionSearch{m: m, open: make([]bool, m.F), in: make([]bool, m.F), parts: make([][]rpart, m.n),
		load: make([]float64, m.F), dmark: make([]int32, m.n), fmark: make([]int32, m.F), floc: make([]int32, m.F),
		resid: make([]float64, m.F), sumW: make([]float64, m.n)}
	rs.reset(sol)
	return rs
}

// reset adopts an exact solution (with its flows and duals).
func (rs *regionSearch) reset(sol *capSol) {
	m := rs.m
	rs.base = sol
	rs.cost = sol.cost
	rs.v = slices.Clone(sol.v)
	copy(rs.open, m.fixed)
	clear(rs.in)
	for _, i := range sol.sites {
		rs.open[i], rs.in[i] = true, true
	}
	clear(rs.load)
	for j := range rs.parts {
		rs.parts[j] = rs.parts[j][:0]
		rs.sumW[j] = 0
	}
	for _, fl := range sol.flows {
		rs.addPart(fl.Demand, int32(fl.Facility), fl.Weight)
	}
}

// addPart records w of demand j on facility f.
func (rs *regionSearch) addPart(j int, f int32, w float64) {
	m := rs.m
	for e := m.start[j]; e < m.start[j+1]; e++ {
		if m.fac[e] == f {
			rs.parts[j] = append(rs.parts[j], rpart{int32(e), w})
			rs.load[f] += w
			rs.sumW[j] += w
			return
		}
	}
}

// left is demand j's unserved weight, 0 when it is only the rounding of the
// sum of its parts (a few ulps of w_j, which the default unserved charge of
// 10^13 per unit would turn into a phantom cost).
func (rs *regionSearch) left(j int) float64 {
	l := rs.m.w[j] - rs.sumW[j]
	if l <= 4*0x1p-52*float64(len(rs.parts[j])+1)*rs.m.w[j] {
		return 0
	}
	return l
}

// demandCost is what demand j pays now: its parts and what is left unserved.
func (rs *regionSearch) demandCost(j int) float64 {
	m := rs.m
	c := 0.0
	for _, p := range rs.parts[j] {
		c += p.w * m.g(m.dist[p.e])
	}
	return c + rs.left(j)*m.gU()
}

// worstUnit is the dearest unit cost demand j pays now.
func (rs *regionSearch) worstUnit(j int) float64 {
	m := rs.m
	u := 0.0
	for _, p := range rs.parts[j] {
		u = max(u, m.g(m.dist[p.e]))
	}
	if rs.left(j) > 0 {
		u = m.gU()
	}
	return u
}

func (rs *regionSearch) serves(j int, f int32) bool {
	for _, p := range rs.parts[j] {
		if rs.m.fac[p.e] == f {
			return true
		}
	}
	return false
}

// region lists the demands a move (add, drop; -1 = none) re-optimises.
func (rs *regionSearch) region(add, drop int32) []int32 {
	m := rs.m
	rs.stamp++
	st := rs.stamp
	rs.dem = rs.dem[:0]
	take := func(j int32) {
		if m.w[j] > 0 && rs.dmark[j] != st && len(rs.dem) < regionMax {
			rs.dmark[j] = st
			rs.dem = append(rs.dem, j)
		}
	}
	if drop >= 0 {
		for k := m.istart[drop]; k < m.istart[drop+1]; k++ {
			if j := m.idem[k]; rs.serves(int(j), drop) {
				take(j)
			}
		}
	}
	if add >= 0 {
		for k := m.istart[add]; k < m.istart[add+1]; k++ {
			j := m.idem[k]
			if m.w[j] > 0 && m.icost[k]/m.w[j] < rs.worstUnit(int(j)) {
				take(j)
			}
		}
	}
	direct := len(rs.dem)
	for _, j := range rs.dem[:direct] {
		n := 0
		for e := m.start[j]; e < m.start[j+1] && n < regionRing; e++ {
			f := m.fac[e]
			if f == drop || !rs.open[f] && f != add {
				continue
			}
			n++
			if rs.fmark[f] == st {
				continue
			}
			rs.fmark[f] = st
			for k := m.istart[f]; k < m.istart[f+1]; k++ {
				if j2 := m.idem[k]; rs.serves(int(j2), f) {
					take(j2)
				}
			}
		}
	}
	return rs.dem
}

// evalMove scores a move on its region: the change of the objective and the
// region's new flows (nil when stopped).
func (rs *regionSearch) evalMove(add, drop int32, stop func() bool) (float64, []int32, []Flow) {
	m := rs.m
	dem := slices.Clone(rs.region(add, drop))
	openAfter := func(f int32) bool { return f == add || rs.open[f] && f != drop }
	// Residual capacity: what the flows outside the region leave.
	rs.stamp++
	st := rs.stamp
	rs.fglob = rs.fglob[:0]
	for _, j := range dem {
		for e := m.start[j]; e < m.start[j+1]; e++ {
			f := m.fac[e]
			if rs.fmark[f] != st && openAfter(f) {
				rs.fmark[f] = st
				rs.resid[f] = m.capa[f] - rs.load[f]
				if f == add {
					rs.resid[f] = m.capa[f]
				}
			}
		}
	}
	old := 0.0
	for _, j := range dem {
		old += rs.demandCost(int(j))
		for _, p := range rs.parts[j] {
			if f := m.fac[p.e]; rs.fmark[f] == st {
				rs.resid[f] += p.w
			}
		}
	}
	sub := &Problem{Objective: m.obj, Radius: m.radius, UnservedCost: m.unitU, Weights: make([]float64, len(dem))}
	var ids []int32
	var ds []float64
	for k, j := range dem {
		sub.Weights[k] = m.w[j]
		ids, ds = ids[:0], ds[:0]
		for e := m.start[j]; e < m.start[j+1]; e++ {
			f := m.fac[e]
			if rs.fmark[f] != st || rs.resid[f] <= 1e-12*math.Max(1, m.capa[f]) && !math.IsInf(m.capa[f], 1) {
				continue
			}
			if rs.floc[f] < 0 || int(rs.floc[f]) >= len(rs.fglob) || rs.fglob[rs.floc[f]] != f {
				rs.floc[f] = int32(len(rs.fglob))
				rs.fglob = append(rs.fglob, f)
			}
			ids = append(ids, rs.floc[f])
			ds = append(ds, m.dist[e])
		}
		sub.Dist.AppendRow(ids, ds)
	}
	if len(dem) == 0 {
		sub.Dist.Start = []int{0}
	}
	sub.Facilities = make([]Facility, len(rs.fglob))
	for k, f := range rs.fglob {
		sub.Facilities[k].Open = true
		if !math.IsInf(m.capa[f], 1) {
			sub.Facilities[k].Capacity = rs.resid[f]
		}
	}
	if len(sub.Facilities) == 0 {
		sub.Facilities = []Facility{{Open: true}} // no option at all: every region demand stays unserved
		sub.Dist = Distances{Start: make([]int, len(dem)+1)}
	}
	sm := newModel(sub)
	allOpen := make([]bool, sm.F)
	for k := range allOpen {
		allOpen[k] = true
	}
	sol := sm.transport(allOpen, nil, stop)
	if sol == nil {
		return 0, nil, nil
	}
	flows := make([]Flow, 0, len(sol.flows))
	for _, fl := range sol.flows {
		flows = append(flows, Flow{Demand: int(dem[fl.Demand]), Facility: int(rs.fglob[fl.Facility]), Weight: fl.Weight})
	}
	delta := sol.cost - old
	if add >= 0 {
		delta += m.fcost[add]
	}
	if drop >= 0 {
		delta -= m.fcost[drop]
	}
	return delta, dem, flows
}

// apply makes a scored move: the region's flows replace its old ones.
func (rs *regionSearch) apply(add, drop int32, delta float64, dem []int32, flows []Flow) {
	m := rs.m
	for _, j := range dem {
		for _, p := range rs.parts[j] {
			rs.load[m.fac[p.e]] -= p.w
		}
		rs.parts[j] = rs.parts[j][:0]
		rs.sumW[j] = 0
	}
	for _, fl := range flows {
		rs.addPart(fl.Demand, int32(fl.Facility), fl.Weight)
	}
	for _, j := range dem {
		// The marginal cost of a re-optimised demand is now about its
		// dearest part: rank the next moves with it, not with stale duals.
		rs.v[j] = rs.worstUnit(int(j))
	}
	if add >= 0 {
		rs.open[add], rs.in[add] = true, true
	}
	if drop >= 0 {
		rs.open[drop], rs.in[drop] = m.fixed[drop], false
	}
	rs.cost += delta
}

// sites lists the chosen new sites, ascending.
func (rs *regionSearch) sites() []int32 {
	var s []int32
	for _, i := range rs.m.cands {
		if rs.in[i] {
			s = append(s, i)
		}
	}
	slices.Sort(s)
	return s
}

// view is the current solution as rankMoves reads it: the patched flows and
// sites, the duals of the last exact solution refreshed where patched.
func (rs *regionSearch) view() *capSol {
	c := &capSol{sites: rs.sites(), cost: rs.cost, v: rs.v, mu: rs.base.mu}
	for j, ps := range rs.parts {
		for _, p := range ps {
			c.flows = append(c.flows, Flow{Demand: j, Facility: int(rs.m.fac[p.e]), Weight: p.w})
		}
	}
	return c
}

// regionMoves is how many of the best-ranked moves a region pass scores
// before it falls back on an exact re-optimisation.
const regionMoves = 300

// regionLocalSearch improves *cur (an exact split-demand solution with
// flows) by first-improvement moves scored on regions, in the order of
// their dual estimates; when none of the best regionMoves improves it solves
// the whole transportation problem of the site set, and goes on while that
// gains. *cur ends as the exact solution of the final site set.
func (r *run) regionLocalSearch(m *model, ev *capEval, cur **capSol, consider func([]int32) *capSol) {
	rs := newRegionSearch(m, *cur)
	if sol := r.regionDescent(rs, ev, consider); sol != nil && sol.cost <= (*cur).cost {
		*cur = sol
	}
}

// regionDescent runs the region local search from rs's state and returns
// the exact solution of its final site set (nil when stopped).
func (r *run) regionDescent(rs *regionSearch, ev *capEval, consider func([]int32) *capSol) *capSol {
	m := rs.m
	for !r.stop() {
		eps := 1e-9 * math.Max(1, math.Abs(rs.cost))
		moves := m.rankMoves(rs.view())
		improved := false
		for _, mv := range moves[:min(len(moves), regionMoves)] {
			if r.stop() {
				break
			}
			delta, dem, flows := rs.evalMove(mv.in, mv.out, r.stop)
			if flows != nil && delta < -eps {
				rs.apply(mv.in, mv.out, delta, dem, flows)
				improved = true
				break
			}
		}
		if improved {
			continue
		}
		sol := consider(rs.sites())
		if sol == nil {
			break
		}
		if sol = ev.materialize(sol, r.stop); sol == nil {
			break
		}
		gain := sol.cost < rs.cost-eps
		rs.reset(sol)
		if !gain {
			break
		}
	}
	return ev.materialize(consider(rs.sites()), r.stop)
}

// regionRestart is an iterated-local-search round on regions: base's
// flows, the kick's site changes applied as region moves whatever they
// cost (closings paired with openings where both occur), then the region
// descent. It saves the exact transportation problem of the kicked set,
// which is most of a round's time at national scale.
func (r *run) regionRestart(m *model, ev *capEval, base *capSol, sites []int32, consider func([]int32) *capSol) *capSol {
	base = ev.materialize(base, r.stop)
	if base == nil {
		return nil
	}
	rs := newRegionSearch(m, base)
	in := make(map[int32]bool, len(sites))
	for _, i := range sites {
		in[i] = true
	}
	var adds, drops []int32
	for _, i := range sites {
		if !rs.in[i] {
			adds = append(adds, i)
		}
	}
	for _, i := range base.sites {
		if !in[i] {
			drops = append(drops, i)
		}
	}
	for len(adds) > 0 || len(drops) > 0 {
		add, drop := int32(-1), int32(-1)
		if len(adds) > 0 {
			add, adds = adds[0], adds[1:]
		}
		if len(drops) > 0 {
			drop, drops = drops[0], drops[1:]
		}
		delta, dem, flows := rs.evalMove(add, drop, r.stop)
		if flows == nil {
			return nil
		}
		rs.apply(add, drop, delta, dem, flows)
	}
	return r.regionDescent(rs, ev, consider)
}
