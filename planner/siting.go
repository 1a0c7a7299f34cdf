package planner

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/internal/csvin"
	"github.com/rlplan/rlplan/internal/memlimit"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/network"
	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
	"github.com/rlplan/rlplan/solver/location/validate"
)

// Siting objectives, as named on the command line.
const (
	ObjectiveCoverage    = "coverage"    // maximal covering: p new sites, most tonnes within the radius
	ObjectiveMedian      = "median"      // p-median: p new sites, least tonne-km to the nearest outlet
	ObjectiveCapacitated = "capacitated" // fixed + transport cost with outlet throughput limits
	ObjectiveCover       = "cover"       // fewest new sites so that a target share is within the radius
)

// SitingOptions describe a siting scenario.
type SitingOptions struct {
	Objective string
	New       int     // new sites to open (coverage, median)
	RadiusKm  float64 // service radius by road
	Detour    geo.Detour
	// CoverTarget is the share of tonnes to bring within the radius
	// (objective cover); 0 means 0.95.
	CoverTarget float64
	// Neighbours is how many nearest facilities each cell may be assigned
	// to beyond those within the radius (sparse distances); 0 means 16, or
	// 64 with capacities, where split demand must reach spare capacity
	// (with 16, dense cities leave tonnage unassignable and the answer is
	// far from its bound).
	Neighbours int
	// SiteCapacityKg is the storage limit of a new site; 0 means 5000 (a
	// collection outlet).
	SiteCapacityKg float64
	// SiteFixedCost is the yearly cost of a new site in CNY, for the
	// capacitated objective; 0 means 120,000.
	SiteFixedCost float64
	// CostPerTonneKm prices delivering a tonne one km to an outlet (the
	// owner's trip), for the capacitated objective; 0 means 2 CNY.
	CostPerTonneKm float64
	// UncollectedCost is what a tonne the capacitated objective leaves
	// without an outlet costs a year (CNY). 0 means the solver's default
	// (location.Problem.UnservedCost: more than any site could cost, so
	// every tonne that can be served is; on national data a tonne
	// nothing can take then weighs about 4e13 in the objective and the
	// gap reads 100 %): give a figure, or use the typed siting, whose
	// default is derived from the costs file.
	UncollectedCost float64
	// VisitsPerWeek is how often an outlet can be emptied: with the fill
	// target it turns a storage limit into yearly throughput; 0 means 1.
	VisitsPerWeek float64
	// FillTarget is the safety fill of storage; 0 means 0.8.
	FillTarget float64
	// Capacitated applies yearly throughput limits (storage x fill target
	// x visits per week x 52) to every outlet whatever the objective.
	Capacitated bool
	// Candidates are user-supplied candidate sites; nil means the defaults
	// (dense cells and unserved towns).
	Candidates []Outlet
	Settings   location.Settings
	// Roads, when set, measures cell-to-site distances and the coverage
	// before and after on this road graph instead of great circle x Detour.
	Roads *RoadNet
}

func (o *SitingOptions) defaults() {
	if o.CoverTarget == 0 {
		o.CoverTarget = 0.95
	}
	if o.Neighbours == 0 {
		o.Neighbours = 16
		if o.Capacitated || o.Objective == ObjectiveCapacitated {
			o.Neighbours = 64
		}
	}
	if o.SiteCapacityKg == 0 {
		o.SiteCapacityKg = 5000
	}
	if o.SiteFixedCost == 0 {
		o.SiteFixedCost = 120000
	}
	if o.CostPerTonneKm == 0 {
		o.CostPerTonneKm = 2
	}
	if o.VisitsPerWeek == 0 {
		o.VisitsPerWeek = 1
	}
	if o.FillTarget == 0 {
		o.FillTarget = 0.8
	}
}

// yearlyTonnes is the throughput an outlet of the given storage can handle.
func (o *SitingOptions) yearlyTonnes(capKg float64) float64 {
	return capKg / 1000 * o.FillTarget * o.VisitsPerWeek * 52
}

// Site is a chosen new outlet.
type Site struct {
	Outlet
	Source         string  // how the candidate arose: "cell", "town <name>" or "file"
	CapturedTonnes float64 // tonnes assigned to it by the solver
	CapturedCells  int
	// SiteType is the catalogue's site type and YearlyCost its cost (CNY a
	// year), for a typed siting; empty and 0 otherwise.
	SiteType   string
	YearlyCost float64
}

// SitingResult is a solved siting scenario.
type SitingResult struct {
	Objective string
	Sites     []Site
	Before    CoverageKPI
	After     CoverageKPI
	// Cost is the solver's objective; Bound and Gap its proven bound and
	// relative gap when HasBound (both 0 otherwise), as location.Result
	// defines them.
	Cost       float64
	Bound      float64
	Gap        float64
	HasBound   bool
	Status     solver.Status
	Iterations int
	Candidates int
	// Unserved is the tonnage the solver left unassigned (capacities).
	Unserved float64
	// Typed is set for a siting with site types (package network): then
	// Upgrades lists the outlets upgraded, Outlets the outlets after siting
	// (every input outlet, upgraded ones changed, then the new sites),
	// YearlyCost what the sites and upgrades cost a year (CNY),
	// UncollectedCost the charge per tonne left over the model used, and
	// CatchBefore and CatchAfter the throughput-aware catchments of the
	// area's outlets before and after.
	Typed                   bool
	Upgrades                []UpgradedOutlet
	Outlets                 []Outlet
	YearlyCost              float64
	UncollectedCost         float64
	CatchBefore, CatchAfter *network.Catchment
	// AfterService is each cell's nearest outlet with the new sites
	// (aligned with the cells; outlet indices past the existing outlets
	// are sites), and AfterProvince the coverage per province: what the
	// map and the report show after siting.
	AfterService  []CellService
	AfterProvince []CoverageKPI
}

// DefaultCandidates proposes sites: the centres of the heaviest cells not
// within the radius of an outlet, and the towns without an outlet in reach,
// at most limit of them, heaviest first, one per cell.
func DefaultCandidates(cells []DensityCell, cov *Coverage, places []Place, reg Regions, res int, limit int) ([]Outlet, []string, error) {
	type cand struct {
		o      Outlet
		src    string
		weight float64
	}
	var cs []cand
	seen := map[h3.Cell]bool{}
	for i, c := range cells {
		if cov.Service[i].Km <= cov.RadiusKm*0.5 || c.Tonnes <= 0 {
			continue
		}
		seen[c.Cell] = true
		cs = append(cs, cand{Outlet{Point: c.Center, Province: c.Province}, "cell " + c.Cell.String(), c.Tonnes})
	}
	// Towns: weight them by the mass of their cell so they rank with cells.
	mass := map[h3.Cell]float64{}
	for _, c := range cells {
		mass[c.Cell] = c.Tonnes
	}
	for _, p := range places {
		if !reg.Keep(p.Province) {
			continue
		}
		cell, err := geo.Cell(p.Point, res)
		if err != nil {
			return nil, nil, err
		}
		if seen[cell] || mass[cell] <= 0 {
			continue
		}
		seen[cell] = true
		cs = append(cs, cand{Outlet{Name: p.Name, Point: p.Point, Province: p.Province}, "town " + p.Name, mass[cell]})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].weight > cs[j].weight })
	if limit < 0 {
		limit = 0
	}
	if len(cs) > limit {
		cs = cs[:limit]
	}
	out := make([]Outlet, len(cs))
	src := make([]string, len(cs))
	for i, c := range cs {
		out[i], src[i] = c.o, c.src
	}
	return out, src, nil
}

// Candidates reads candidate sites from path (outlets.csv format) or, when
// path is empty, proposes DefaultCandidates; it returns them with the
// source of each. Candidates of a file labelled with a province outside the
// planned regions are ignored with a warning (a site there could capture
// nothing of the planned demand); a file with none inside is an error.
// Suspicious placements (CheckCandidatePlacement) are warned about.
func Candidates(ctx context.Context, path string, warn func(string), in *Inputs, cells []DensityCell, cov *Coverage, reg Regions, res, limit int) ([]Outlet, []string, error) {
	if path == "" {
		return DefaultCandidates(cells, cov, in.Places, reg, res, limit)
	}
	all, err := ReadCandidates(path, warn)
	if err != nil {
		return nil, nil, err
	}
	return FileCandidates(ctx, path, all, warn, in, reg)
}

// FileCandidates keeps the candidates read from path that lie in the
// planned regions (warning about the others, refusing a file with none) and
// warns about suspicious placements.
func FileCandidates(ctx context.Context, path string, all []Outlet, warn func(string), in *Inputs, reg Regions) ([]Outlet, []string, error) {
	var cands []Outlet
	var outside []string
	for _, c := range all {
		if reg.Keep(c.Province) {
			cands = append(cands, c)
		} else {
			outside = append(outside, c.ID+" ("+c.Province+")")
		}
	}
	if len(cands) == 0 {
		return nil, nil, &csvin.Error{File: path, Msg: fmt.Sprintf("none of its %d candidate sites lies in the planned regions %s (they are in %s): give candidates in those provinces, or plan their regions",
			len(all), reg, listSome(outside, 5))}
	}
	if len(outside) > 0 {
		warn(fmt.Sprintf("%s: %d candidate sites outside the planned regions %s are ignored: %s", path, len(outside), reg, listSome(outside, 5)))
	}
	findings, err := domain.CheckCandidatePlacement(ctx, in, path, cands)
	if err != nil {
		return nil, nil, err
	}
	for _, f := range domain.FindingsIn(findings, reg) {
		warn(f)
	}
	src := make([]string, len(cands))
	for i, c := range cands {
		src[i] = "file " + c.ID
	}
	return cands, src, nil
}

// listSome lists the first n items and how many more there are.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// ChooseSites chooses new outlets for the cells given the existing outlets, which
// stay open. It builds a sparse location problem (each cell linked to its
// nearest facilities by road distance), solves it and reports the sites, the
// coverage before and after, and the solver's bound and gap.
func ChooseSites(ctx context.Context, cells []DensityCell, outlets []Outlet, cands []Outlet, candSource []string, opt SitingOptions) (*SitingResult, error) {
	opt.defaults()
	if opt.Neighbours < 1 {
		return nil, fmt.Errorf("siting: %d neighbours per cell: want at least 1", opt.Neighbours)
	}
	if len(cands) == 0 {
		return nil, fmt.Errorf("siting: no candidate sites (all demand may already be served within %g km)", opt.RadiusKm)
	}
	if opt.RadiusKm <= 0 {
		return nil, fmt.Errorf("siting: radius %g km: want > 0", opt.RadiusKm)
	}
	facilities := make([]orb.Point, 0, len(outlets)+len(cands))
	for _, o := range outlets {
		facilities = append(facilities, o.Point)
	}
	for _, c := range cands {
		facilities = append(facilities, c.Point)
	}
	ix, err := geo.NewPointIndex(facilities)
	if err != nil {
		return nil, err
	}
	p, err := sitingProblem(outlets, cands, opt)
	if err != nil {
		return nil, err
	}
	if err := checkSitingSize(ctx, cells, ix, opt); err != nil {
		return nil, err
	}
	if err := neighbourhoods(ctx, p, cells, outlets, facilities, ix, &opt); err != nil {
		return nil, err
	}
	res, err := location.Solve(ctx, p, &opt.Settings)
	if err != nil {
		return nil, err
	}
	// Every answer goes through the independent validator before anyone
	// sees it: a failure is a solver bug, not a plan.
	if err := validate.Check(p, res); err != nil {
		return nil, fmt.Errorf("siting: the solver's answer fails validation (a bug, please report it): %w", err)
	}
	return sitingResult(cells, outlets, cands, candSource, opt, res)
}

// sitingProblem sets up the facilities (existing outlets open, then the
// candidates) and the objective; the distance lists are added after.
func sitingProblem(outlets, cands []Outlet, opt SitingOptions) (*location.Problem, error) {
	p := &location.Problem{Radius: opt.RadiusKm, CoverTarget: opt.CoverTarget, P: opt.New}
	p.Facilities = make([]location.Facility, len(outlets)+len(cands))
	capacitated := opt.Capacitated || opt.Objective == ObjectiveCapacitated
	for i, o := range outlets {
		p.Facilities[i].Open = true
		if capacitated {
			p.Facilities[i].Capacity = opt.yearlyTonnes(o.CapacityKg)
		}
	}
	for i, c := range cands {
		f := &p.Facilities[len(outlets)+i]
		if capacitated {
			capKg := c.CapacityKg
			if capKg == 0 {
				capKg = opt.SiteCapacityKg
			}
			f.Capacity = opt.yearlyTonnes(capKg)
		}
	}
	switch opt.Objective {
	case ObjectiveCoverage:
		p.Objective = location.MaxCover
	case ObjectiveMedian:
		p.Objective = location.PMedian
	case ObjectiveCover:
		p.Objective = location.SetCover // FixedCost 0 everywhere: fewest sites
	case ObjectiveCapacitated:
		p.Objective = location.FacilityLocation
		// Weights are tonnes and distances km, so the objective is in
		// tonne-km; a site's yearly fixed cost is converted to the tonne-km
		// it is worth.
		for i := range cands {
			p.Facilities[len(outlets)+i].FixedCost = opt.SiteFixedCost / opt.CostPerTonneKm
		}
		p.UnservedCost = opt.UncollectedCost / opt.CostPerTonneKm
	default:
		return nil, fmt.Errorf("siting: objective %q: want coverage, median, capacitated or cover", opt.Objective)
	}
	return p, nil
}

// sitingResult turns the solver's answer into sites, with the coverage
// before and after and each site's catchment.
func sitingResult(cells []DensityCell, outlets, cands []Outlet, candSource []string, opt SitingOptions, res *location.Result) (*SitingResult, error) {
	out := &SitingResult{Objective: opt.Objective, Cost: res.Cost, Bound: res.Bound, Gap: res.Gap, HasBound: res.HasBound,
		Status: res.Status, Iterations: res.Iterations, Candidates: len(cands), Unserved: res.Unserved}
	for k, i := range res.Open {
		ci := i - len(outlets)
		if ci < 0 {
			continue
		}
		s := Site{Outlet: cands[ci], Source: candSource[ci]}
		s.ID = fmt.Sprintf("N%04d", k+1)
		if s.Type == "" {
			s.Type = OutletCollection
		}
		if s.CapacityKg == 0 {
			s.CapacityKg = opt.SiteCapacityKg
		}
		if s.Name == "" {
			s.Name = "new site " + s.ID
		}
		out.Sites = append(out.Sites, s)
	}
	// Coverage is measured to the end even when the run was interrupted:
	// the solver returned its best sites, which the report must describe.
	ctx := context.Background()
	before, err := AnalyzeCoverageBy(ctx, cells, outlets, opt.RadiusKm, opt.Detour, opt.Roads, 0, nil)
	if err != nil {
		return nil, err
	}
	all := append(append([]Outlet(nil), outlets...), sitesAsOutlets(out.Sites)...)
	after, err := AnalyzeCoverageBy(ctx, cells, all, opt.RadiusKm, opt.Detour, opt.Roads, 0, nil)
	if err != nil {
		return nil, err
	}
	out.Before, out.After = before.National, after.National
	out.AfterService, out.AfterProvince = after.Service, after.Province
	// A site captures the cells whose nearest outlet it becomes, within the
	// radius: its catchment, independent of how the solver breaks ties.
	for i, sv := range after.Service {
		if k := sv.Outlet - len(outlets); k >= 0 && sv.Km <= opt.RadiusKm {
			out.Sites[k].CapturedTonnes += cells[i].Tonnes
			out.Sites[k].CapturedCells++
		}
	}
	return out, nil
}

// neighbourhoods fills p's weights and sparse distance rows. Each cell
// lists every facility within the radius (so coverage is exact), its k
// nearest (so distances beyond the radius are known for the median
// objectives), and always its nearest existing outlet (so the solver never
// mistakes a served cell for an unserved one when candidates crowd the
// nearest list). Facilities are the outlets, then the candidates, indexed
// by ix. With a road graph the distances are road km.
func neighbourhoods(ctx context.Context, p *location.Problem, cells []DensityCell, outlets []Outlet, facilities []orb.Point, ix *geo.PointIndex, opt *SitingOptions) error {
	f := opt.Detour.Factor()
	if opt.Roads != nil {
		f = 1 // road km >= great-circle km: the great-circle radius finds every site in reach by road
	}
	existing, err := OutletIndex(outlets)
	if err != nil {
		return err
	}
	p.Weights = make([]float64, len(cells))
	var near, within []geo.Neighbor
	ids := make([]int32, 0, opt.Neighbours)
	ds := make([]float64, 0, opt.Neighbours)
	listed := map[int]bool{}
	for j, c := range cells {
		if j%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		p.Weights[j] = c.Tonnes
		ids, ds = ids[:0], ds[:0]
		clear(listed)
		add := func(id int, d geo.Kilometers) {
			if !listed[id] {
				listed[id] = true
				ids = append(ids, int32(id))
				ds = append(ds, float64(d)*f)
			}
		}
		within = ix.Within(within[:0], c.Center, geo.Kilometers(opt.RadiusKm/f))
		for _, n := range within {
			add(n.ID, n.Dist)
		}
		near = ix.KNearest(near[:0], c.Center, opt.Neighbours)
		for _, n := range near {
			add(n.ID, n.Dist)
		}
		if id, d, ok := existing.Nearest(c.Center); ok {
			add(id, d) // outlets come first among the facilities: same ids
		}
		p.Dist.AppendRow(ids, ds)
	}
	if len(cells) == 0 {
		p.Dist.Start = []int{0}
	}
	if opt.Roads != nil {
		if err := opt.Roads.SiteDistances(ctx, cells, facilities, &p.Dist); err != nil {
			return err
		}
	}
	return nil
}

// Memory of the siting problem per entry of its distance lists (one cell
// and one facility within its reach) and per cell, measured on national
// runs (BENCHMARKS.md, "Siting memory"): the lists themselves take 12 bytes
// an entry; the solver's working copies (by facility, assignments, bounds)
// several times that.
const (
	sitingBytesPerEntry = 64
	sitingBytesPerCell  = 2048
	// sitingSampleCells is how many cells the estimate queries.
	sitingSampleCells = 1024
)

// checkSitingSize estimates, before anything is allocated, the memory of
// the distance lists ChooseSites would build (every facility within the
// radius of every cell, plus each cell's nearest ones), by querying a sample
// of cells, and refuses a problem larger than the machine can hold.
func checkSitingSize(ctx context.Context, cells []DensityCell, ix *geo.PointIndex, opt SitingOptions) error {
	if len(cells) == 0 {
		return nil
	}
	stride := max(1, len(cells)/sitingSampleCells)
	var within []geo.Neighbor
	var listed, sampled float64
	for j := 0; j < len(cells); j += stride {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		within = ix.Within(within[:0], cells[j].Center, geo.Kilometers(opt.RadiusKm/opt.Detour.Factor()))
		listed += float64(max(len(within), min(opt.Neighbours, ix.Len())) + 1)
		sampled++
	}
	perCell := listed / sampled
	need := float64(len(cells)) * (perCell*sitingBytesPerEntry + sitingBytesPerCell)
	budget := float64(memoryBudget())
	if need <= budget {
		return nil
	}
	return &TooLargeError{
		What: fmt.Sprintf("siting: %d cells would each list about %.0f of the %d outlets and candidates within %g km, about %s of memory, more than the %s this run can use (free memory, cgroup or GOMEMLIMIT)",
			len(cells), perCell, ix.Len(), opt.RadiusKm, memlimit.Format(need), memlimit.Format(budget)),
		Changes: []Change{{SettingRadius, "a smaller"}, {SettingRegions, "fewer"}, {SettingResolution, "a coarser"}, {SettingMaxCandidates, "fewer"}},
	}
}

func sitesAsOutlets(s []Site) []Outlet {
	out := make([]Outlet, len(s))
	for i := range s {
		out[i] = s[i].Outlet
	}
	return out
}
