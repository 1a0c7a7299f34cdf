package network

import (
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/planner/domain"
)

// CapacityPlan is the answer of the capacity model: how the listed plants
// are used, where intake binds, and the investments that close it. Tonnes
// are a year's unless a name says otherwise.
type CapacityPlan struct {
	// UnservedCostPerT is the charge per unprocessed tonne in force and
	// CostPerTonneKm the line-haul cost per tonne-km (CNY).
	UnservedCostPerT, CostPerTonneKm float64
	// ExpansionModules and NewPlantModules are the module sizes offered,
	// Costs the cost figures used.
	ExpansionModules, NewPlantModules []float64
	Costs                             CapacityCosts
	// Listed, Relaxed, Modular and Invested are the four solves (see
	// PlanCapacity): Invested is the final one (the listed solve again
	// when nothing is built) and Modular nil when the relaxation builds
	// nothing. Candidates is the number of candidate cities step 3 offers.
	Listed, Relaxed, Modular, Invested *Solved
	Candidates                         int
	// Bound is the proven lower bound on the whole modular problem (the
	// relaxation's) and Gap the relative gap of Invested.Cost to it, when
	// HasBound.
	Bound, Gap float64
	HasBound   bool
	// Interrupted is set when a cancelled context stopped a solve.
	Interrupted bool
	// Plants are the listed plants in the plants table's order.
	Plants []PlantUse
	// Provinces are the provinces with retiring tonnes or plants, by code.
	Provinces []ProvinceUse
	// Investments are the expansions (by plant) then the new plants (by
	// city), each in its table's order.
	Investments []Investment

	m *model
}

// PlantUse is a listed plant in both solves.
type PlantUse struct {
	Plant domain.Plant
	// ListedT is the listed capacity (weekly intake x 52); UsedT the
	// tonnes it takes with the listed plants alone, and Binding whether
	// that is all of its capacity.
	ListedT, UsedT float64
	Binding        bool
	// ShortT is the plant's shortfall: tonnes retiring nearer to it than
	// to any other listed plant that it has no room for (they go farther,
	// or nowhere). It is 0 unless the plant binds.
	ShortT float64
	// AddedT is the capacity its expansions add; UsedAfterT what it takes
	// with the investments.
	AddedT, UsedAfterT float64
	// From and FromAfter are the tonnes it takes by province of origin.
	From, FromAfter map[string]float64
}

// ProvinceUse is a province's balance of retiring tonnes and intake.
type ProvinceUse struct {
	Province string
	// RetiringT retire in the province; ListedT is the listed capacity of
	// its plants. ShortT = max(0, RetiringT − ListedT) is what its own
	// plants could not take even if they took nothing else.
	RetiringT, ListedT, ShortT float64
	// Before and After are the province's flows with the listed plants
	// alone and with the investments.
	Before, After ProvinceFlows
	// AddedT is the capacity the investments add in the province.
	AddedT float64
}

// ProvinceFlows are where a province's retiring tonnes go, and what its
// plants take from elsewhere.
type ProvinceFlows struct {
	// LocalT are processed in the province, ExportT in other provinces,
	// UnprocessedT nowhere; ImportT are other provinces' tonnes its plants
	// take. MeanKm is the mean line-haul of its processed tonnes.
	LocalT, ExportT, UnprocessedT, ImportT, MeanKm float64
}

// Investment is capacity the plan proposes at one place: modules added to
// a listed plant, or a new plant at a candidate city.
type Investment struct {
	ID   string // "X-" + plant id for an expansion, NewPlantID(city) for a new plant
	Kind string // KindExpansion or KindNewPlant
	// PlantID is the listed plant expanded, or the new plant's id.
	PlantID, Name, Province string
	Point                   orb.Point
	// ModulesT are the module sizes built (t/yr), ascending; AddedT their
	// sum.
	ModulesT []float64
	AddedT   float64
	// CapexCNY is the capital cost, YearlyCNY the same annualised.
	CapexCNY, YearlyCNY float64
	// UnlockedT are the tonnes a year the added capacity takes: a new
	// plant's whole intake; for an expansion, the plant's intake beyond
	// its listed capacity. Never more than AddedT.
	UnlockedT float64
	// CostPerT is YearlyCNY / UnlockedT (0 when nothing is unlocked).
	CostPerT float64
	// From are the tonnes the site takes (all of its intake) by province
	// of origin.
	From map[string]float64
}

// derive fills Plants, Provinces and Investments from the solves.
func (cp *CapacityPlan) derive(plants []domain.Plant) {
	m := cp.m
	added := make([]float64, len(m.sites))
	mods := make([][]float64, len(m.sites))
	for _, c := range cp.Invested.built {
		added[c.site] += c.size
		mods[c.site] = append(mods[c.site], c.size)
	}
	before := m.siteLoads(cp.Listed, nil)
	after := m.siteLoads(cp.Invested, added)
	short := m.shortfalls(cp.Listed)
	for i, p := range plants {
		s := &m.sites[i]
		u := PlantUse{Plant: p, ListedT: s.listedT, UsedT: before.t[i], ShortT: short[i], AddedT: added[i], UsedAfterT: after.t[i],
			From: before.from[i], FromAfter: after.from[i]}
		u.Binding = s.listedT > 0 && u.UsedT >= s.listedT*(1-1e-6)
		cp.Plants = append(cp.Plants, u)
	}
	for si, ms := range mods {
		if len(ms) > 0 {
			cp.Investments = append(cp.Investments, cp.investment(si, ms, after))
		}
	}
	cp.Provinces = m.provinces(cp.Listed, cp.Invested, added)
}

// investment describes the modules built at site si.
func (cp *CapacityPlan) investment(si int, ms []float64, after loads) Investment {
	m := cp.m
	s := &m.sites[si]
	sort.Float64s(ms)
	inv := Investment{Kind: KindExpansion, ID: "X-" + s.id, PlantID: s.id, Name: s.name, Province: s.province, Point: s.point, ModulesT: ms, From: after.from[si]}
	capex := m.costs.ExpansionCapexPerT
	if !s.isPlant() {
		inv.Kind, inv.ID = KindNewPlant, s.id
		capex = m.costs.NewCapexPerT
	}
	inv.AddedT = sum(ms)
	inv.CapexCNY, inv.YearlyCNY = inv.AddedT*capex, inv.AddedT*m.perT(si)
	inv.UnlockedT = math.Min(inv.AddedT, math.Max(0, after.t[si]-s.listedT))
	if inv.UnlockedT > 0 {
		inv.CostPerT = inv.YearlyCNY / inv.UnlockedT
	}
	return inv
}

// loads are the tonnes each site takes, in total and by province of
// origin.
type loads struct {
	t    []float64
	from []map[string]float64
}

// siteLoads sums a solve's flows by site. Listed plants at the same point
// cannot be told apart by the model (same distances, same costs), so their
// joint load is shared in a fixed way: their listed capacity fills first,
// in proportion, then what added (the capacity built at each).
func (m *model) siteLoads(s *Solved, added []float64) loads {
	l := loads{t: make([]float64, len(m.sites)), from: make([]map[string]float64, len(m.sites))}
	for _, f := range s.flows {
		st := s.cols[f.col].site
		l.t[st] += f.t
		if l.from[st] == nil {
			l.from[st] = map[string]float64{}
		}
		l.from[st][m.demand[f.demand].Province] += f.t
	}
	for _, g := range m.colocated() {
		m.share(l, g, added)
	}
	return l
}

// colocated returns the groups of two or more listed plants at one point.
func (m *model) colocated() [][]int {
	at := map[orb.Point][]int{}
	var order []orb.Point
	for s := range m.sites {
		if !m.sites[s].isPlant() {
			continue
		}
		p := m.sites[s].point
		if _, ok := at[p]; !ok {
			order = append(order, p)
		}
		at[p] = append(at[p], s)
	}
	var out [][]int
	for _, p := range order {
		if len(at[p]) > 1 {
			out = append(out, at[p])
		}
	}
	return out
}

// share spreads a group's joint load over its plants.
func (m *model) share(l loads, g []int, added []float64) {
	total, listed, extra := 0.0, 0.0, 0.0
	from := map[string]float64{}
	for _, s := range g {
		total += l.t[s]
		listed += m.sites[s].listedT
		if added != nil {
			extra += added[s]
		}
		for k, v := range l.from[s] {
			from[k] += v
		}
	}
	if total == 0 {
		return
	}
	for _, s := range g {
		var t float64
		switch {
		case total <= listed || extra == 0:
			if listed > 0 {
				t = total * m.sites[s].listedT / listed
			}
		default:
			t = m.sites[s].listedT + (total-listed)*added[s]/extra
		}
		l.t[s] = t
		l.from[s] = nil
		if t > 0 {
			l.from[s] = map[string]float64{}
			for k, v := range from {
				l.from[s][k] = v * t / total
			}
		}
	}
}

// shortfalls returns, for each listed plant, the tonnes retiring nearer to
// it than to any other listed plant with capacity that the listed solve
// sends elsewhere or leaves unprocessed. Plants at one point share their
// nearest tonnes' shortfall in proportion to their capacity.
func (m *model) shortfalls(s *Solved) []float64 {
	short := make([]float64, len(m.sites))
	got := make([]float64, len(m.sites))
	for j, r := range m.demand {
		nearKm := math.Inf(1)
		for si := range m.sites {
			if m.sites[si].listedT > 0 {
				nearKm = math.Min(nearKm, m.km[j][si])
			}
		}
		var group []int
		listed := 0.0
		for si := range m.sites {
			if m.sites[si].listedT > 0 && m.km[j][si] <= nearKm {
				group = append(group, si)
				listed += m.sites[si].listedT
			}
		}
		if len(group) == 0 {
			continue
		}
		for _, si := range group {
			got[si] = 0
		}
		in := 0.0
		for _, f := range s.byDem[j] {
			if st := s.cols[f.col].site; slices.Contains(group, st) {
				in += f.t
			}
		}
		gap := r.TonnesPerYear - in
		if gap <= 1e-9*math.Max(1, r.TonnesPerYear) {
			continue
		}
		for _, si := range group {
			short[si] += gap * m.sites[si].listedT / listed
		}
	}
	return short
}

// provinces balances each province's retiring tonnes against its plants.
func (m *model) provinces(before, after *Solved, added []float64) []ProvinceUse {
	by := map[string]*ProvinceUse{}
	get := func(code string) *ProvinceUse {
		p := by[code]
		if p == nil {
			p = &ProvinceUse{Province: code}
			by[code] = p
		}
		return p
	}
	for _, r := range m.demand {
		get(r.Province).RetiringT += r.TonnesPerYear
	}
	for si := range m.sites {
		s := &m.sites[si]
		if s.isPlant() {
			get(s.province).ListedT += s.listedT
		}
		if added[si] > 0 {
			get(s.province).AddedT += added[si]
		}
	}
	bf, af := m.flowsByProvince(before), m.flowsByProvince(after)
	out := make([]ProvinceUse, 0, len(by))
	for code, p := range by {
		p.ShortT = math.Max(0, p.RetiringT-p.ListedT)
		p.Before, p.After = bf[code], af[code]
		out = append(out, *p)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Province < out[b].Province })
	return out
}

func (m *model) flowsByProvince(s *Solved) map[string]ProvinceFlows {
	out := map[string]ProvinceFlows{}
	tkm := map[string]float64{}
	for j, r := range m.demand {
		var local, export float64
		left := r.TonnesPerYear
		for _, fl := range s.byDem[j] {
			st := s.cols[fl.col].site
			left -= fl.t
			tkm[r.Province] += fl.t * m.km[j][st]
			to := m.sites[st].province
			if to == r.Province {
				local += fl.t
				continue
			}
			export += fl.t
			g := out[to]
			g.ImportT += fl.t
			out[to] = g
		}
		f := out[r.Province]
		f.LocalT += local
		f.ExportT += export
		f.UnprocessedT += math.Max(0, left)
		out[r.Province] = f
	}
	for code, f := range out {
		if done := f.LocalT + f.ExportT; done > 0 {
			f.MeanKm = tkm[code] / done
			out[code] = f
		}
	}
	return out
}
