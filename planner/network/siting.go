package network

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
)

// Siting with site types: places and types are chosen together, with the
// upgrades of existing outlets, by one capacitated facility-location model.
// Every site type at every candidate place is a facility with the type's
// throughput as its capacity and the type's yearly cost as its fixed cost;
// an upgrade is a facility on the outlet's own spot whose capacity is the
// throughput the upgrade adds (the same distances as the outlet: added
// capacity is exactly the larger outlet). Existing outlets stay open with
// their own throughput. Cells list only the facilities within the radius,
// so whatever a site absorbs it absorbs within its throughput: no site the
// siting opens is over its storage limit in the week.

// Objectives of the typed siting.
const (
	// SiteCost minimises the yearly cost of the sites and upgrades plus the
	// owners' delivery (tonne-km to the outlet), absorbing every tonne a
	// candidate can reach unless UncollectedCost says a tonne is worth less.
	SiteCost = "capacitated"
	// SiteCover opens the cheapest sites and upgrades (yearly cost) that
	// absorb at least Target of the retiring tonnes within the radius.
	SiteCover = "cover"
)

// Place is a candidate place for a new site.
type Place struct {
	Point    orb.Point
	Name     string
	Province string
	Source   string // how it arose: "cell <h3>", "town <name>", "file <id>"
}

// SitingProblem is a typed siting scenario.
type SitingProblem struct {
	Cells   []domain.DensityCell
	Outlets []domain.Outlet // existing: they stay open
	Places  []Place
	Catalogue
	Objective  string // SiteCost or SiteCover
	Target     float64
	RadiusKm   float64
	Detour     geo.Detour
	Throughput Throughput
	// CostPerTonneKm prices the owners' delivery of a tonne one km to an
	// outlet (SiteCost).
	CostPerTonneKm float64
	// UncollectedCost is what a tonne left unabsorbed costs a year, in CNY
	// (SiteCost): a site opens where it absorbs tonnes for less. 0 means
	// the existing network's own yearly cost per tonne it absorbs (each
	// outlet costing what the catalogue's type of its outlet type costs):
	// the network grows where a new site is no dearer per tonne than the
	// network already is (SitingResult.UncollectedCost says the figure).
	UncollectedCost float64
	// Reach measures road km from cells to places; nil means great-circle
	// x Detour.
	Reach ReachOf
	// Before is the catchment of the existing outlets, when known: only
	// outlets within the radius of a cell it leaves over capacity are
	// offered an upgrade (elsewhere an upgrade adds throughput nobody
	// needs). Nil offers every upgrade.
	Before   *Catchment
	Settings location.Settings
}

// NewSite is a site the siting opens.
type NewSite struct {
	domain.Outlet
	Site   SiteType
	Source string
	// AbsorbedT is what the site's catchment brings a year (t).
	AbsorbedT float64
}

// Upgraded is an existing outlet the siting upgrades.
type Upgraded struct {
	Outlet   int           // index into SitingProblem.Outlets
	Before   domain.Outlet // as it was
	After    domain.Outlet // type and storage after the upgrade
	Upgrade  Upgrade
	AddedT   float64 // throughput the upgrade adds, t/yr
	Absorbed float64 // what the upgraded outlet's catchment brings a year (t)
}

// SitingResult is the solved siting.
type SitingResult struct {
	Sites    []NewSite
	Upgrades []Upgraded
	// Outlets is the network after siting: the existing outlets (upgraded
	// ones with their new type and storage), then the new sites.
	Outlets []domain.Outlet
	// YearlyCost sums the new sites' and upgrades' yearly costs (CNY).
	YearlyCost float64
	// Objective value, bound and gap as location.Result reports them.
	Cost, Bound, Gap float64
	HasBound         bool
	Status           solver.Status
	Iterations       int
	Facilities       int // facilities the model chose from (types x places + upgrades)
	// UncollectedCost is the charge per tonne left over the model used
	// (SiteCost), CNY per tonne and year.
	UncollectedCost float64
	// After is the catchment of the network after siting.
	After *Catchment
}

// facility says what a facility of the siting model is.
type facility struct {
	outlet  int // existing outlet (or the outlet upgraded); -1 for a new site
	place   int // candidate place; -1 otherwise
	site    SiteType
	upgrade bool
	point   orb.Point
	capT    float64
	cost    float64 // CNY per year
}

// Site solves the typed siting: which types at which places, which
// upgrades. The answer is checked by the independent validator; the
// network after siting is then assigned again (Assign) so that the
// catchments the week uses are the throughput-aware ones.
func Site(ctx context.Context, sp *SitingProblem) (*SitingResult, error) {
	if err := sp.check(); err != nil {
		return nil, err
	}
	if sp.Before == nil {
		before, err := sp.Assign(ctx, sp.Outlets)
		if err != nil {
			return nil, err
		}
		sp.Before = before
	}
	uncollected := sp.UncollectedCost
	if uncollected == 0 && sp.Objective == SiteCost {
		uncollected = sp.networkCostPerTonne()
	}
	facs := sp.facilities()
	p, err := sp.problem(facs, uncollected)
	if err != nil {
		return nil, err
	}
	out := &SitingResult{Status: solver.Optimal, Facilities: len(facs) - len(sp.Outlets), UncollectedCost: uncollected}
	m, err := sp.solve(ctx, p)
	if err != nil {
		return nil, err
	}
	out.Cost, out.Bound, out.Gap, out.HasBound, out.Status, out.Iterations = m.cost, m.bound, m.gap, m.hasBound, m.status, m.iterations
	for _, i := range m.open {
		out.open(sp, facs[i])
	}
	out.Outlets = append(out.Outlets, sp.Outlets...)
	for _, u := range out.Upgrades {
		out.Outlets[u.Outlet] = u.After
	}
	for _, s := range out.Sites {
		out.Outlets = append(out.Outlets, s.Outlet)
	}
	if out.After, err = sp.Assign(ctx, out.Outlets); err != nil {
		return nil, err
	}
	out.credit(len(sp.Outlets))
	return out, nil
}

// networkCostPerTonne is the existing outlets' yearly cost (by the
// catalogue's type of each outlet's type, the one nearest in storage) per
// tonne they absorb; 0 when they absorb nothing or the catalogue prices no
// outlet type.
func (sp *SitingProblem) networkCostPerTonne() float64 {
	cost := 0.0
	for _, o := range sp.Outlets {
		best, gap := -1.0, math.Inf(1)
		for _, t := range sp.Types {
			if g := math.Abs(t.StorageKg - o.CapacityKg); t.OutletType == o.Type && g < gap {
				best, gap = t.YearlyCost, g
			}
		}
		cost += math.Max(best, 0)
	}
	if !(sp.Before.AbsorbedT > 0) {
		return 0
	}
	return cost / sp.Before.AbsorbedT
}

// solve solves the model: component by component for SiteCost (a sum of
// independent parts), as one problem for SiteCover (its target couples
// them).
func (sp *SitingProblem) solve(ctx context.Context, p *location.Problem) (*merged, error) {
	if sp.Objective == SiteCost {
		return solveComponents(ctx, p, sp.Settings, "siting")
	}
	sub := joined(p)
	m := &merged{status: solver.Optimal, hasBound: true}
	if sub.p.CoverTarget = sp.subTarget(sub); sub.p.CoverTarget < 0 || len(sub.p.Facilities) == 0 {
		return m, nil // the existing outlets absorb the target already
	}
	res, err := location.Solve(ctx, sub.p, &sp.Settings)
	if err != nil {
		return nil, fmt.Errorf("siting: %w", err)
	}
	if err := validateResult(sub.p, res, "siting"); err != nil {
		return nil, err
	}
	for _, i := range res.Open {
		m.open = append(m.open, sub.fac[i])
	}
	slices.Sort(m.open)
	m.cost, m.bound, m.gap, m.hasBound, m.status, m.iterations = res.Cost, res.Bound, res.Gap, res.HasBound, res.Status, res.Iterations
	return m, nil
}

// open records a facility the model opened: a new site or an upgrade.
func (r *SitingResult) open(sp *SitingProblem, f facility) {
	r.YearlyCost += f.cost
	if f.upgrade {
		o := sp.Outlets[f.outlet]
		u := Upgraded{Outlet: f.outlet, Before: o, Upgrade: Upgrade{From: o.Type, To: f.site, YearlyCost: f.cost}, AddedT: f.capT}
		u.After = o
		u.After.Type, u.After.CapacityKg = f.site.OutletType, f.site.StorageKg
		r.Upgrades = append(r.Upgrades, u)
		return
	}
	pl := sp.Places[f.place]
	s := NewSite{Site: f.site, Source: pl.Source, Outlet: domain.Outlet{ID: fmt.Sprintf("N%04d", len(r.Sites)+1), Name: pl.Name,
		Point: pl.Point, Province: pl.Province, Type: f.site.OutletType, CapacityKg: f.site.StorageKg}}
	if s.Name == "" {
		s.Name = "new " + f.site.Name + " " + s.ID
	}
	r.Sites = append(r.Sites, s)
}

// subTarget is the cover target of the subproblem: the share of its
// leftover tonnes it must absorb for the whole to reach Target, given
// what the existing outlets absorb already (Before). Negative when nothing
// more is needed.
func (sp *SitingProblem) subTarget(sub *subproblem) float64 {
	total, inside := 0.0, 0.0
	for _, c := range sp.Cells {
		total += c.Tonnes
	}
	for _, w := range sub.p.Weights {
		inside += w
	}
	need := sp.Target*total - sp.Before.AbsorbedT
	if need <= 0 || inside <= 0 {
		return -1
	}
	return math.Min(1, need/inside)
}

// credit gives each new site and upgrade what it absorbs after siting.
func (r *SitingResult) credit(existing int) {
	for k := range r.Sites {
		r.Sites[k].AbsorbedT = r.After.Absorbed[existing+k]
	}
	for k := range r.Upgrades {
		r.Upgrades[k].Absorbed = r.After.Absorbed[r.Upgrades[k].Outlet]
	}
}

// Assign is Assign of the problem's cells to outlets, by the problem's
// reach.
func (sp *SitingProblem) Assign(ctx context.Context, outlets []domain.Outlet) (*Catchment, error) {
	reach, err := reachOf(sp.Reach, sp.Detour)(points(outlets), sp.Cells, sp.RadiusKm)
	if err != nil {
		return nil, err
	}
	return Assign(ctx, sp.Cells, outlets, sp.RadiusKm, reach, sp.Throughput)
}

func (sp *SitingProblem) check() error {
	if err := sp.Throughput.Check(); err != nil {
		return err
	}
	if err := sp.Catalogue.Check(); err != nil {
		return err
	}
	switch {
	case !(sp.RadiusKm > 0) || math.IsInf(sp.RadiusKm, 0):
		return fmt.Errorf("siting: radius %g km: want a distance > 0", sp.RadiusKm)
	case sp.Objective != SiteCost && sp.Objective != SiteCover:
		return fmt.Errorf("siting: objective %q: want %s or %s with site types", sp.Objective, SiteCost, SiteCover)
	case sp.Objective == SiteCover && !(sp.Target > 0 && sp.Target <= 1):
		return fmt.Errorf("siting: target %g: want a share in (0, 1]", sp.Target)
	case sp.Objective == SiteCost && (!(sp.CostPerTonneKm > 0) || math.IsInf(sp.CostPerTonneKm, 0)):
		return fmt.Errorf("siting: tonne-km cost %g: want a cost > 0 CNY", sp.CostPerTonneKm)
	case !(sp.UncollectedCost >= 0) || math.IsInf(sp.UncollectedCost, 0):
		return fmt.Errorf("siting: uncollected cost %g: want a cost >= 0 CNY per tonne", sp.UncollectedCost)
	}
	return nil
}

// facilities lists the model's facilities: the existing outlets, the
// upgrades they may have, then every site type at every place.
func (sp *SitingProblem) facilities() []facility {
	tp := sp.Throughput
	var fs []facility
	for i, o := range sp.Outlets {
		fs = append(fs, facility{outlet: i, place: -1, point: o.Point, capT: tp.capacity(o.CapacityKg)})
	}
	useful := sp.upgradable()
	for i, o := range sp.Outlets {
		if u, ok := sp.upgradeOf(o); ok && useful(i) {
			if added := tp.capacity(u.To.StorageKg) - tp.capacity(o.CapacityKg); added > 0 {
				fs = append(fs, facility{outlet: i, place: -1, site: u.To, upgrade: true, point: o.Point, capT: added, cost: u.YearlyCost})
			}
		}
	}
	for k, pl := range sp.Places {
		for _, t := range sp.Types {
			fs = append(fs, facility{outlet: -1, place: k, site: t, point: pl.Point, capT: tp.capacity(t.StorageKg), cost: t.YearlyCost})
		}
	}
	return fs
}

// upgradable reports which outlets an upgrade could help: those within the
// radius of a cell Before leaves over capacity (all when Before is nil).
func (sp *SitingProblem) upgradable() func(int) bool {
	if sp.Before == nil {
		return func(int) bool { return true }
	}
	reach, err := reachOf(sp.Reach, sp.Detour)(points(sp.Outlets), sp.Cells, sp.RadiusKm)
	if err != nil {
		return func(int) bool { return true }
	}
	near := map[int]bool{}
	var buf []Neighbour
	for c, cell := range sp.Cells {
		if c < len(sp.Before.CellLeft) && sp.Before.CellLeft[c] > 0 && !sp.Before.CellBeyond[c] {
			buf = reach(buf, cell.Center, sp.RadiusKm)
			for _, n := range buf {
				near[n.ID] = true
			}
		}
	}
	return func(i int) bool { return near[i] }
}

// problem builds the location problem over the facilities for the
// tonnes the existing outlets leave over (Before): existing outlets offer
// what throughput they have left, cells list the facilities within the
// radius; fixed costs in the objective's unit. The tonnes the existing
// outlets absorb keep their outlets here (the catchment after siting
// re-assigns every tonne, so they may still move to a new site nearer).
func (sp *SitingProblem) problem(facs []facility, uncollected float64) (*location.Problem, error) {
	pts := make([]orb.Point, len(facs))
	for i, f := range facs {
		pts[i] = f.point
	}
	reach, err := reachOf(sp.Reach, sp.Detour)(pts, sp.Cells, sp.RadiusKm)
	if err != nil {
		return nil, err
	}
	p := &location.Problem{Objective: location.FacilityLocation, Facilities: make([]location.Facility, len(facs)), CoverTarget: sp.Target, Radius: sp.RadiusKm}
	for i, f := range facs {
		lf := location.Facility{Capacity: f.capT}
		switch {
		case f.outlet >= 0 && !f.upgrade:
			lf.Open, lf.Capacity = true, math.Max(0, f.capT-sp.Before.Absorbed[f.outlet])
		case sp.Objective == SiteCost:
			lf.FixedCost = f.cost / sp.CostPerTonneKm // objective in tonne-km
		default:
			lf.FixedCost = f.cost
		}
		p.Facilities[i] = lf
	}
	left := func(ci int) float64 { return sp.Before.CellLeft[ci] }
	listReach(sp.Cells, left, sp.RadiusKm, reach, p, func(i int) bool { return p.Facilities[i].Capacity > 0 })
	switch sp.Objective {
	case SiteCover:
		p.Objective, p.UnservedCost = location.SetCover, 0
	case SiteCost:
		// An unserved charge of 0 would select the solver's default
		// (serve whatever can be served); a tonne worth nothing is not.
		p.UnservedCost = math.Max(uncollected, 1e-9) / sp.CostPerTonneKm
	}
	return p, nil
}

// DefaultPlaces proposes candidate places where the catchment of the
// existing outlets leaves tonnes over (beyond the radius or over
// capacity): the centre of each such cell, or the town in it, heaviest
// leftover first, at most limit of them.
func DefaultPlaces(cells []domain.DensityCell, before *Catchment, towns []domain.Place, keep func(province string) bool, res, limit int) ([]Place, error) {
	townIn := map[h3.Cell]domain.Place{}
	for _, t := range towns {
		if !keep(t.Province) {
			continue
		}
		c, err := geo.Cell(t.Point, res)
		if err != nil {
			return nil, err
		}
		if prev, ok := townIn[c]; !ok || t.Population > prev.Population {
			townIn[c] = t
		}
	}
	var idx []int
	for i := range cells {
		if before.CellLeft[i] > 0 {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return before.CellLeft[idx[a]] > before.CellLeft[idx[b]] })
	if len(idx) > max(limit, 0) {
		idx = idx[:max(limit, 0)]
	}
	out := make([]Place, len(idx))
	for k, i := range idx {
		c := cells[i]
		out[k] = Place{Point: c.Center, Province: c.Province, Source: "cell " + c.Cell.String()}
		if t, ok := townIn[c.Cell]; ok {
			out[k] = Place{Point: t.Point, Name: t.Name, Province: t.Province, Source: "town " + t.Name}
		}
	}
	return out, nil
}
