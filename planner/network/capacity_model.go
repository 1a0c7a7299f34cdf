package network

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
	"github.com/rlplan/rlplan/solver/location/validate"
)

// site is a place capacity stands at: a listed plant or a candidate city.
type site struct {
	plant    int // index into the plants table, -1 for a city
	id, name string
	province string
	point    orb.Point
	listedT  float64   // listed capacity, t/yr (listed plants)
	modules  []float64 // the module sizes it may take
}

func (s *site) isPlant() bool { return s.plant >= 0 }

// column is a facility of one location problem: a listed plant's own
// capacity (size 0) or one module at a site.
type column struct {
	site int
	size float64 // module size, t/yr; 0 for a listed plant's own capacity
	cap  float64 // capacity in this problem, t/yr (> 0)
	// fixed marks a module built for sure: open in the solve, its cost
	// added outside the solver.
	fixed bool
}

// model holds what every solve shares.
type model struct {
	demand []Retiring
	sites  []site
	costs  CapacityCosts
	tkm    float64
	k      int // candidate sites per region (NewPlantNeighbours)
	// km[j][s] is the road km from demand j's seat to site s; near[j]
	// the candidate cities demand j may use.
	km   [][]float64
	near []map[int]bool
}

func newModel(demand []Retiring, plants []domain.Plant, cities []PlantSite, exp, nw []float64, opt *CapacityOptions) *model {
	m := &model{demand: demand, costs: opt.Costs, tkm: opt.Costs.CostPerTonneKm(), k: opt.neighbours()}
	for i, p := range plants {
		m.sites = append(m.sites, site{plant: i, id: p.ID, name: p.Name, province: p.Province, point: p.Point,
			listedT: p.IntakeKgPerWeek * WeeksPerYear / 1000, modules: exp})
	}
	for _, c := range cities {
		m.sites = append(m.sites, site{plant: -1, id: NewPlantID(c.ID), name: c.Name, province: c.Province, point: c.Point, modules: nw})
	}
	return m
}

// NewPlantID names the new plant proposed at a candidate city.
func NewPlantID(cityID string) string { return "NP-" + cityID }

// perT is a module's annualised cost per tonne a year of capacity at site s.
func (m *model) perT(s int) float64 {
	if m.sites[s].isPlant() {
		return m.costs.ExpansionYearlyPerT
	}
	return m.costs.NewYearlyPerT
}

// distances fills m.km and m.near and returns the longest leg a region may
// use.
func (m *model) distances(detour geo.Detour) float64 {
	longest := 0.0
	m.km = make([][]float64, len(m.demand))
	m.near = make([]map[int]bool, len(m.demand))
	var cities []int
	for j, r := range m.demand {
		row := make([]float64, len(m.sites))
		cities = cities[:0]
		for s := range m.sites {
			row[s] = float64(geo.Road(r.Point, m.sites[s].point, detour))
			if !m.sites[s].isPlant() {
				cities = append(cities, s)
			} else {
				longest = math.Max(longest, row[s])
			}
		}
		m.km[j] = row
		sort.SliceStable(cities, func(a, b int) bool { return row[cities[a]] < row[cities[b]] })
		cities = cities[:min(len(cities), m.k)]
		m.near[j] = make(map[int]bool, len(cities))
		for _, s := range cities {
			m.near[j][s] = true
			longest = math.Max(longest, row[s])
		}
	}
	return longest
}

// spec is one location problem over the model: its columns, each region's
// weight (a region of weight 0 is left out) and which columns a region may
// use.
type spec struct {
	name  string
	cols  []column
	w     []float64
	relax bool // modules open, charging their cost per tonne (step 2)
	lists func(j int, c column) bool
}

// Solved is one validated solve of the capacity model. Tonnes are a
// year's, costs CNY a year.
type Solved struct {
	// Cost is the objective: annualised investments, line-haul and the
	// unserved charge (for the relaxation, modules charge per tonne they
	// take). Bound and Gap are the solver's proven bound and relative gap
	// for this problem when HasBound.
	Cost, Bound, Gap float64
	HasBound         bool
	Status           solver.Status
	Iterations       int
	Elapsed          time.Duration
	// InvestYearly, Linehaul and UnservedCharge split Cost.
	InvestYearly, Linehaul, UnservedCharge float64
	// ProcessedT and UnprocessedT split the weight; TonneKm is the
	// line-haul tonne-km.
	ProcessedT, UnprocessedT, TonneKm float64

	cols  []column
	flows []flow   // by demand, then column
	built []column // the modules built (fixed or opened by the solver)
	byDem [][]flow // flows of each demand
	rows  []int    // the demands in the problem
	prob  *location.Problem
	res   *location.Result
}

// flow is the tonnes of a demand going to a column.
type flow struct {
	demand, col int
	t           float64
}

// solve builds sp as a location problem, solves it, checks the answer
// with the independent validator and reads it back.
func (m *model) solve(ctx context.Context, sp spec, unserved float64, set location.Settings) (*Solved, error) {
	p, rows := m.problem(sp, unserved)
	res, err := location.Solve(ctx, p, &set)
	if err != nil {
		return nil, fmt.Errorf("capacity, %s solve: %w", sp.name, err)
	}
	vals, err := validate.Recompute(p, res)
	if err != nil {
		return nil, fmt.Errorf("capacity, %s solve: the location solver's answer fails the independent check: %w", sp.name, err)
	}
	fixed := 0.0
	for _, c := range sp.cols {
		if c.fixed {
			fixed += c.size * m.perT(c.site)
		}
	}
	s := &Solved{Cost: res.Cost + fixed, HasBound: res.HasBound, Status: res.Status, Iterations: res.Iterations, Elapsed: res.Elapsed,
		UnprocessedT: vals.Unserved, UnservedCharge: vals.Unserved * vals.UnservedCost, InvestYearly: fixed,
		cols: sp.cols, rows: rows, prob: p, res: res}
	if res.HasBound {
		s.Bound = res.Bound + fixed
		s.Gap = math.Max(0, s.Cost-s.Bound) / math.Max(math.Abs(s.Cost), 1e-12)
	}
	for _, c := range sp.cols {
		if c.fixed {
			s.built = append(s.built, c)
		}
	}
	for _, i := range res.Open {
		s.InvestYearly += p.Facilities[i].FixedCost
		s.built = append(s.built, sp.cols[i])
	}
	s.read(m, res, sp.relax)
	return s, nil
}

// problem builds the location problem of sp; rows maps its demand points
// to the model's demands.
func (m *model) problem(sp spec, unserved float64) (*location.Problem, []int) {
	p := &location.Problem{Objective: location.FacilityLocation, UnservedCost: unserved}
	p.Facilities = make([]location.Facility, len(sp.cols))
	charge := make([]float64, len(sp.cols))
	for i, c := range sp.cols {
		switch {
		case c.size == 0 || c.fixed:
			p.Facilities[i] = location.Facility{Open: true, Capacity: c.cap}
		case sp.relax:
			p.Facilities[i] = location.Facility{Open: true, Capacity: c.cap}
			charge[i] = m.perT(c.site)
		default:
			p.Facilities[i] = location.Facility{FixedCost: c.size * m.perT(c.site), Capacity: c.cap}
		}
	}
	var rows []int
	var ids []int32
	var d []float64
	p.Dist.Start = []int{0}
	for j, w := range sp.w {
		if w <= 0 {
			continue
		}
		rows = append(rows, j)
		p.Weights = append(p.Weights, w)
		ids, d = ids[:0], d[:0]
		for i, c := range sp.cols {
			if sp.lists(j, c) {
				ids = append(ids, int32(i))
				d = append(d, m.km[j][c.site]*m.tkm+charge[i])
			}
		}
		p.Dist.AppendRow(ids, d)
	}
	return p, rows
}

// read turns the solver's flows into the model's demands and columns.
func (s *Solved) read(m *model, res *location.Result, relax bool) {
	s.byDem = make([][]flow, len(m.demand))
	add := func(row, col int, t float64) {
		if t <= 0 {
			return
		}
		j, c := s.rows[row], s.cols[col]
		f := flow{j, col, t}
		s.flows = append(s.flows, f)
		s.byDem[j] = append(s.byDem[j], f)
		s.ProcessedT += t
		s.TonneKm += t * m.km[j][c.site]
		if relax && c.size > 0 {
			s.InvestYearly += t * m.perT(c.site)
		}
	}
	if res.Flows != nil {
		for _, f := range res.Flows {
			add(f.Demand, f.Facility, f.Weight)
		}
	} else {
		for row, i := range res.Assign {
			if i >= 0 {
				add(row, i, s.prob.Weights[row])
			}
		}
	}
	s.Linehaul = s.TonneKm * m.tkm
}

// colLoad returns the tonnes each column takes.
func (s *Solved) colLoad() []float64 {
	out := make([]float64, len(s.cols))
	for _, f := range s.flows {
		out[f.col] += f.t
	}
	return out
}

// ErrNoCapacityModel is returned when there is nothing to model: no
// retiring tonnes, or no listed plant and nothing to build.
var ErrNoCapacityModel = errors.New("capacity: nothing to model (no tonnes retiring, or no plant and nothing to build)")

// PlanCapacity solves the capacity model (see the four steps above) and
// derives the use of each plant, the balance of each province and the
// investments. A cancelled ctx makes each solve return its best so far;
// the plan is then marked Interrupted.
func PlanCapacity(ctx context.Context, demand []Retiring, plants []domain.Plant, cities []PlantSite, opt CapacityOptions) (*CapacityPlan, error) {
	exp, nw, err := opt.check(demand)
	if err != nil {
		return nil, err
	}
	m := newModel(demand, plants, cities, exp, nw, &opt)
	total, room := 0.0, 0.0
	for _, r := range demand {
		total += r.TonnesPerYear
	}
	for _, s := range m.sites {
		room += s.listedT + sum(s.modules)
	}
	if total == 0 || room == 0 {
		return nil, ErrNoCapacityModel
	}
	unserved := opt.UnservedCostPerT
	if longest := m.distances(opt.Detour); unserved == 0 {
		unserved = DefaultUnservedCost(opt.Costs, longest)
	}
	cp := &CapacityPlan{UnservedCostPerT: unserved, CostPerTonneKm: m.tkm, ExpansionModules: exp, NewPlantModules: nw, Costs: opt.Costs, m: m}
	if err := cp.solveSteps(ctx, opt.Settings); err != nil {
		return nil, err
	}
	cp.derive(plants)
	return cp, nil
}

func (opt *CapacityOptions) check(demand []Retiring) (exp, nw []float64, err error) {
	if err := opt.Costs.check(); err != nil {
		return nil, nil, err
	}
	if exp, nw, err = opt.modules(); err != nil {
		return nil, nil, err
	}
	if !(opt.UnservedCostPerT >= 0) || math.IsInf(opt.UnservedCostPerT, 0) {
		return nil, nil, fmt.Errorf("capacity: unserved cost %v CNY/t: want a finite figure >= 0 (0 = default)", opt.UnservedCostPerT)
	}
	for _, r := range demand {
		if !(r.TonnesPerYear >= 0) || math.IsInf(r.TonnesPerYear, 0) {
			return nil, nil, fmt.Errorf("capacity: region %s: %v t/yr retiring: want a finite figure >= 0", r.ID, r.TonnesPerYear)
		}
	}
	return exp, nw, nil
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// solveSteps runs the four solves.
func (cp *CapacityPlan) solveSteps(ctx context.Context, set location.Settings) error {
	m, u := cp.m, cp.UnservedCostPerT
	w := make([]float64, len(m.demand))
	for j, r := range m.demand {
		w[j] = r.TonnesPerYear
	}
	listed := m.listedCols()
	all := func(int, column) bool { return true }
	var err error
	if len(listed) > 0 {
		if cp.Listed, err = m.solve(ctx, spec{name: "listed", cols: listed, w: w, lists: all}, u, set); err != nil {
			return err
		}
	} else {
		cp.Listed = m.nothing(u)
	}
	cols := append(slices.Clone(listed), m.moduleCols(func(int) bool { return true })...)
	reach := func(j int, c column) bool { return m.sites[c.site].isPlant() || m.near[j][c.site] }
	if cp.Relaxed, err = m.solve(ctx, spec{name: "relaxed", cols: cols, w: w, relax: true, lists: reach}, u, set); err != nil {
		return err
	}
	cp.Bound, cp.HasBound = cp.Relaxed.Bound, cp.Relaxed.HasBound
	mod := m.modular(cp.Relaxed)
	cp.Candidates = mod.cities
	cp.Invested = cp.Listed
	if len(mod.spec.cols) > 0 && anyPositive(mod.spec.w) {
		if cp.Modular, err = m.solve(ctx, mod.spec, u, set); err != nil {
			return err
		}
		if len(cp.Modular.built) > 0 {
			final := append(slices.Clone(listed), fixedAll(cp.Modular.built)...)
			if cp.Invested, err = m.solve(ctx, spec{name: "final", cols: final, w: w, lists: all}, u, set); err != nil {
				return err
			}
		}
	}
	if cp.Invested.Cost > cp.Listed.Cost {
		// Building nothing is always possible: never propose investments
		// that cost more than they save.
		cp.Invested = cp.Listed
	}
	if cp.HasBound {
		cp.Gap = math.Max(0, cp.Invested.Cost-cp.Bound) / math.Max(math.Abs(cp.Invested.Cost), 1e-12)
	}
	for _, s := range []*Solved{cp.Listed, cp.Relaxed, cp.Modular, cp.Invested} {
		if s != nil && s.Status == solver.Interrupted {
			cp.Interrupted = true
		}
	}
	return nil
}

func anyPositive(xs []float64) bool {
	for _, x := range xs {
		if x > 0 {
			return true
		}
	}
	return false
}

func fixedAll(cs []column) []column {
	out := slices.Clone(cs)
	for i := range out {
		out[i].fixed = true
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].site != out[b].site {
			return out[a].site < out[b].site
		}
		return out[a].size < out[b].size
	})
	return out
}

// listedCols are the listed plants with intake, each with its capacity.
func (m *model) listedCols() []column {
	var out []column
	for s := range m.sites {
		if m.sites[s].listedT > 0 {
			out = append(out, column{site: s, cap: m.sites[s].listedT})
		}
	}
	return out
}

// moduleCols are the modules of the sites keep accepts, site by site.
func (m *model) moduleCols(keep func(s int) bool) []column {
	var out []column
	for s := range m.sites {
		if !keep(s) {
			continue
		}
		for _, x := range m.sites[s].modules {
			out = append(out, column{site: s, size: x, cap: x})
		}
	}
	return out
}

// nothing is the listed solve when no plant has intake: every tonne is
// unprocessed.
func (m *model) nothing(unserved float64) *Solved {
	s := &Solved{Status: solver.Optimal, HasBound: true, byDem: make([][]flow, len(m.demand))}
	for _, r := range m.demand {
		s.UnprocessedT += r.TonnesPerYear
	}
	s.UnservedCharge = s.UnprocessedT * unserved
	s.Cost, s.Bound = s.UnservedCharge, s.UnservedCharge
	return s
}

// modularSpec is step 3's problem and how many candidate cities it offers.
type modularSpec struct {
	spec   spec
	cities int
}

// modular builds step 3 from the relaxation: each region's tonnes the
// relaxation sends to modules, the listed plants with the room it leaves,
// and at each site where it builds, the modules it fills for sure (fixed)
// and the site's other modules (candidates) when it builds beyond them.
// Sites come by what the relaxation builds there, largest first, so that
// the solver's capacity repair meets them in that order.
func (m *model) modular(relaxed *Solved) modularSpec {
	load := relaxed.colLoad()
	buy := make([]float64, len(m.sites))
	room := make([]float64, len(m.sites))
	for i, c := range relaxed.cols {
		if c.size == 0 {
			room[c.site] = c.cap - load[i]
		} else {
			buy[c.site] += load[i]
		}
	}
	w := make([]float64, len(m.demand))
	for _, f := range relaxed.flows {
		if relaxed.cols[f.col].size > 0 {
			w[f.demand] += f.t
		}
	}
	var cols []column
	for s := range m.sites {
		if room[s] > 1e-9*math.Max(1, m.sites[s].listedT) {
			cols = append(cols, column{site: s, cap: room[s]})
		}
	}
	var picked []int
	for s := range m.sites {
		if buy[s] > 1e-9 {
			picked = append(picked, s)
		}
	}
	sort.SliceStable(picked, func(a, b int) bool { return buy[picked[a]] > buy[picked[b]] })
	cities := 0
	for _, s := range picked {
		mods := m.moduleCols(func(x int) bool { return x == s })
		fix := fillWithin(mods, buy[s])
		built := 0.0
		for k := range mods {
			if fix>>k&1 == 1 {
				mods[k].fixed = true
				built += mods[k].size
			}
		}
		topUp := buy[s]-built > 1e-6*math.Max(1, buy[s])
		for _, c := range mods {
			if c.fixed || topUp {
				cols = append(cols, c)
			}
		}
		if !m.sites[s].isPlant() {
			cities++
		}
	}
	nearest := m.nearestSites(picked)
	for _, f := range relaxed.flows {
		if c := relaxed.cols[f.col]; c.size > 0 {
			nearest[f.demand][c.site] = true // where the relaxation builds for it
		}
	}
	lists := func(j int, c column) bool { return c.size == 0 || nearest[j][c.site] }
	return modularSpec{spec: spec{name: "modular", cols: cols, w: w, lists: lists}, cities: cities}
}

// nearestSites returns, for each region, the NewPlantNeighbours sites of
// sites nearest to it.
func (m *model) nearestSites(sites []int) []map[int]bool {
	out := make([]map[int]bool, len(m.demand))
	for j := range m.demand {
		c := slices.Clone(sites)
		sort.SliceStable(c, func(a, b int) bool { return m.km[j][c[a]] < m.km[j][c[b]] })
		out[j] = make(map[int]bool, m.k)
		for _, s := range c[:min(len(c), m.k)] {
			out[j][s] = true
		}
	}
	return out
}

// fillWithin returns the subset (a bit mask) of the modules with the
// largest total at most amount, the fewest modules among ties.
func fillWithin(mods []column, amount float64) int {
	best, bestT, bestN := 0, 0.0, 0
	for mask := 1; mask < 1<<len(mods); mask++ {
		t, n := 0.0, 0
		for k, c := range mods {
			if mask>>k&1 == 1 {
				t += c.size
				n++
			}
		}
		if t <= amount*(1+1e-9) && (t > bestT || (t == bestT && n < bestN)) {
			best, bestT, bestN = mask, t, n
		}
	}
	return best
}
