package planner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/network"
	"github.com/rlplan/rlplan/planner/report"
	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
)

// Plan is the outcome of a scenario run end to end.
type Plan struct {
	Scenario Scenario
	Inputs   *Inputs
	Regions  Regions
	Detour   geo.Detour
	Cells    []DensityCell
	Coverage *Coverage // existing outlets
	Siting   *SitingResult
	Schedule *Schedule
	// Capacity is the plant-capacity step's answer (national; see
	// capacity.go), nil when the step is off.
	Capacity *network.CapacityPlan
	// Roads describes the road legs when inputs.roads is an OSM extract.
	Roads *RoadLegs
	// Carbon is the carbon account of the week's collection (nil without
	// routes); see planner/report.
	Carbon *report.CarbonAccount
	// Interrupted is set when a cancelled context stopped a step: the
	// outputs hold the best results found so far.
	Interrupted bool
	KPIs        KPIs
	// Warnings are what the run found legal but suspicious in its inputs
	// and settings (points outside their province, a grid coarser than the
	// radius, plants without trucks); they were logged and are listed in
	// report.md.
	Warnings []string
}

// Step names reported to a progress callback.
const (
	StepLoad     = "load inputs"
	StepDensity  = "forecast and density"
	StepCoverage = "coverage"
	StepSiting   = "siting"
	StepRoutes   = "weekly routes"
)

// RunPlan runs a scenario: forecast -> density -> coverage -> siting ->
// weekly routes -> KPIs. A cancelled ctx stops the solvers, which return
// their best solution so far; the plan is then marked interrupted. step, when
// set, is told when each step starts.
func RunPlan(ctx context.Context, s Scenario, loader *Loader, step func(string)) (*Plan, error) {
	if step == nil {
		step = func(string) {}
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	step(StepLoad)
	in, err := loader.LoadContext(ctx, s.Paths())
	if err != nil {
		return nil, err
	}
	fileCands, roads, err := readPlanFiles(s, in, loader)
	if err != nil {
		return nil, err
	}
	var costs *domain.Costs
	if (s.SitingOn() && s.Siting.typed()) || (s.RoutesOn() && s.Network.Hubs) || s.CapacityOn() {
		if costs, err = loader.LoadCosts(s.Inputs.Costs); err != nil {
			return nil, err
		}
	}
	prev, err := s.warmStart(loader)
	if err != nil {
		return nil, err
	}
	reg, err := ParseRegions(in, s.Regions)
	if err != nil {
		return nil, err
	}
	var warnings []string
	warn := func(m string) {
		warnings = append(warnings, m)
		loader.Warning(m)
	}
	for _, f := range domain.FindingsIn(in.Findings, reg) {
		warn(f)
	}
	if w := ResolutionWarning(s.Resolution, s.RadiusKm); w != "" {
		warn(w)
	}
	if s.RoutesOn() {
		if w := NoTruckWarning(in, reg); w != "" {
			warn(w)
		}
	}
	if _, err := ProjectRegistrations(in, s.Registrations); err != nil {
		return nil, err
	}
	if !s.Registrations.On() {
		if m := MissingCohorts(in, s.Year, reg.Keep); m != "" {
			loader.Warning(m)
		}
	}
	detour, err := geo.NewDetour(s.Detour)
	if err != nil {
		return nil, err
	}
	p := &Plan{Scenario: s, Inputs: in, Regions: reg, Detour: detour}
	defer func() { p.Warnings = warnings }()
	step(StepDensity)
	if p.Cells, err = Density(ctx, in, s.Year, s.Resolution, reg); err != nil {
		return nil, err
	}
	if len(p.Cells) == 0 {
		return nil, fmt.Errorf("plan: no retirements in %s in %d: nothing to plan", reg, s.Year)
	}
	if err := checkPlanSize(len(p.Cells)); err != nil {
		return nil, err
	}
	var net *RoadNet
	if IsRoadGraph(s.Inputs.Roads) {
		step(StepRoads)
		if net, err = OpenRoadNet(ctx, s.Inputs.Roads, loader.Warning, nil); err != nil {
			return nil, err
		}
		p.Roads = net.legsInfo()
	}
	step(StepCoverage)
	if p.Coverage, err = AnalyzeCoverageBy(ctx, p.Cells, in.Outlets, s.RadiusKm, detour, net, 20, in.ProvinceNames()); err != nil {
		return nil, err
	}
	pf := &planFiles{cands: fileCands, roads: roads, costs: costs, net: net, prev: prev, warn: warn}
	if s.SitingOn() {
		step(StepSiting)
		if err := p.site(ctx, pf); err != nil {
			return nil, err
		}
	}
	if s.CapacityOn() && ctx.Err() == nil {
		step(StepCapacity)
		if err := p.capacity(ctx, costs); err != nil {
			return nil, err
		}
	}
	if s.RoutesOn() && ctx.Err() == nil {
		step(StepRoutes)
		if err := p.routes(ctx, pf); err != nil {
			return nil, err
		}
	}
	if ctx.Err() != nil {
		p.Interrupted = true
	}
	if p.Carbon, err = p.carbonAccount(); err != nil {
		return nil, err
	}
	p.KPIs = p.kpis()
	return p, nil
}

// planFiles are what the siting and routes steps read besides the plan:
// the candidates file's sites (nil without one), the road matrix (a CSV),
// the costs (typed siting, hubs, plant capacity), the road graph (an .osm.pbf) and the
// plan's warning sink.
type planFiles struct {
	cands []Outlet
	roads *RoadMatrix
	costs *domain.Costs
	net   *RoadNet
	prev  *Previous // the week to start from (routes.warm_start), or nil
	warn  func(string)
}

// site runs the siting step: typed (site types and upgrades, package
// network) or the single-type objectives of ChooseSites.
func (p *Plan) site(ctx context.Context, pf *planFiles) error {
	s := p.Scenario
	var err error
	if s.Siting.typed() {
		var cat network.Catalogue
		if cat, err = s.Catalogue(pf.costs); err != nil {
			return err
		}
		p.Siting, err = siteTyped(ctx, p, cat, pf, networkSettings(s))
	} else {
		opt := SitingOptions{Objective: s.Siting.Objective, New: s.Siting.NewSites, RadiusKm: s.RadiusKm, Detour: p.Detour,
			CoverTarget: s.Siting.Target, SiteCapacityKg: s.Siting.SiteCapacityKg, SiteFixedCost: s.Siting.SiteCost,
			CostPerTonneKm: s.Siting.TonneKmCost, Capacitated: s.Siting.Capacitated,
			Settings: location.Settings{TimeLimit: s.Siting.TimeLimit.Duration, Seed: solver.Seed(s.Seed)}, Roads: pf.net}
		var src []string
		if pf.cands != nil {
			opt.Candidates, src, err = FileCandidates(ctx, s.Inputs.Candidates, pf.cands, pf.warn, p.Inputs, p.Regions)
		} else {
			opt.Candidates, src, err = DefaultCandidates(p.Cells, p.Coverage, p.Inputs.Places, p.Regions, s.Resolution, s.Siting.MaxCandidates)
		}
		if err != nil {
			return err
		}
		if len(opt.Candidates) == 0 {
			return nil
		}
		if p.Siting, err = ChooseSites(ctx, p.Cells, p.Inputs.Outlets, opt.Candidates, src, opt); err == nil {
			p.Siting.Outlets = append(append([]Outlet(nil), p.Inputs.Outlets...), sitesAsOutlets(p.Siting.Sites)...)
		}
	}
	switch {
	case err != nil && ctx.Err() != nil:
		p.Siting, p.Interrupted = nil, true // stopped before the solver had a solution
	case err != nil:
		return err
	default:
		p.Interrupted = p.Interrupted || p.Siting.Status == solver.Interrupted
	}
	return nil
}

// routes plans the week on the outlets after siting, with the hub tier when
// the scenario asks for it; on a road graph (pf.net), its legs and
// catchments by road.
func (p *Plan) routes(ctx context.Context, pf *planFiles) error {
	s := p.Scenario
	withNew := *p.Inputs
	if p.Siting != nil {
		withNew.Outlets = p.Siting.Outlets
	}
	roads := pf.roads
	var err error
	if pf.net != nil {
		if roads, p.Roads, err = pf.net.DepotMatrix(ctx, &withNew, regionOutlets(withNew.Outlets, p.Regions), nil); err != nil {
			return err
		}
	}
	opt := s.WeekOptions(p.Detour, roads)
	opt.Previous = pf.prev
	if pf.net != nil {
		opt.Catchments = pf.net.roadThroughputs(ctx, &opt)
	}
	var hubs *NetworkOptions
	if s.Network.Hubs {
		hubs = &NetworkOptions{Hubs: true, Settings: networkSettings(s)}
		if hubs.Linehaul, err = s.LinehaulTruck(pf.costs); err != nil {
			return err
		}
		if len(s.Siting.SiteTypes) > 0 {
			if hubs.Catalogue, err = s.Catalogue(pf.costs); err != nil {
				return err
			}
		}
	}
	if p.Schedule, err = PlanNetworkWeek(ctx, &withNew, p.Regions, p.Cells, opt, hubs); err != nil {
		return err
	}
	p.Interrupted = p.Interrupted || p.Schedule.Interrupted
	return nil
}

// readPlanFiles reads the scenario's candidate sites and road matrix with
// the other inputs, so that a wrong file stops the run before any solving.
// A file for a step the scenario switches off is not read; a warning says
// it is ignored.
func readPlanFiles(s Scenario, in *Inputs, loader *Loader) (cands []Outlet, roads *RoadMatrix, err error) {
	switch {
	case s.Inputs.Candidates != "" && s.SitingOn():
		if cands, err = ReadCandidates(s.Inputs.Candidates, loader.Warning); err != nil {
			return nil, nil, err
		}
	case s.Inputs.Candidates != "":
		loader.Warning(fmt.Sprintf("candidates %s: not read, siting is switched off (siting.enabled: false)", s.Inputs.Candidates))
	}
	// A road graph (.osm.pbf) is opened after the density, for coverage,
	// siting and routes alike; a matrix serves the routes only.
	switch {
	case s.Inputs.Roads == "" || IsRoadGraph(s.Inputs.Roads):
	case s.RoutesOn():
		if roads, err = ReadRoadMatrix(s.Inputs.Roads, in.PlaceIDs(), loader.Warning); err != nil {
			return nil, nil, err
		}
	default:
		loader.Warning(fmt.Sprintf("roads %s: not read, the weekly routes are switched off (routes.enabled: false)", s.Inputs.Roads))
	}
	return cands, roads, nil
}

// KPIs are the headline figures of a plan (kpis.json). They hold no
// timings, so identical runs give identical files.
type KPIs struct {
	Scenario    string  `json:"scenario"`
	Regions     string  `json:"regions"`
	Year        int     `json:"year"`
	Seed        int64   `json:"seed"`
	Interrupted bool    `json:"interrupted"`
	RadiusKm    float64 `json:"radius_km"`
	Detour      float64 `json:"detour"`
	Resolution  int     `json:"resolution"`
	// Registrations is the projection of future registrations, if any.
	Registrations *Registrations `json:"registrations,omitempty"`
	Forecast      struct {
		Packs  float64 `json:"packs"`
		Tonnes float64 `json:"tonnes"`
		Cells  int     `json:"cells"`
	} `json:"forecast"`
	Outlets        int          `json:"outlets"`
	CoverageBefore CoverageKPI  `json:"coverage_before"`
	CoverageAfter  *CoverageKPI `json:"coverage_after,omitempty"`
	// Catchments split the retiring tonnes by what the outlets within the
	// radius and their throughput absorb, before and after siting (and the
	// week's network).
	Catchments *CatchmentsKPI `json:"catchments,omitempty"`
	Siting     *SitingKPI     `json:"siting,omitempty"`
	Routes     *RoutesKPI     `json:"routes,omitempty"`
	// Network is the hub tier of the week.
	Network *NetworkKPI `json:"network,omitempty"`
	Roads   *RoadsKPI   `json:"roads,omitempty"`
	Plants  []PlantKPI  `json:"plants,omitempty"`
	// Capacity is the plant-capacity step's figures (capacity_report.go).
	Capacity *CapacityKPI `json:"capacity,omitempty"`
	// Carbon is the carbon account (net_kg_co2e_per_t and its parts).
	Carbon *report.CarbonAccount `json:"carbon,omitempty"`
}

// SitingKPI summarises the siting step.
type SitingKPI struct {
	Objective  string  `json:"objective"`
	NewSites   int     `json:"new_sites"`
	Candidates int     `json:"candidates"`
	Value      float64 `json:"objective_value"`
	// Bound and GapPct are the solver's proven bound and gap when
	// HasBound, 0 otherwise.
	Bound    float64       `json:"bound"`
	GapPct   float64       `json:"gap_pct"`
	HasBound bool          `json:"has_bound"`
	Status   solver.Status `json:"status"`
	// With site types: the new sites by type, the outlets upgraded, what
	// they cost a year and the charge per tonne left over the model used.
	SitesByType     map[string]int `json:"sites_by_type,omitempty"`
	Upgrades        int            `json:"upgrades"`
	YearlyCostCNY   float64        `json:"yearly_cost_cny"`
	UncollectedCost float64        `json:"uncollected_cost_cny_per_t,omitempty"`
}

// RoutesKPI summarises the weekly schedule.
type RoutesKPI struct {
	Week        string  `json:"week"`
	Stops       int     `json:"stops"`
	VehicleDays int     `json:"vehicle_days"`
	Trips       int     `json:"trips"`
	Km          float64 `json:"km"`
	Hours       float64 `json:"hours"`
	CostCNY     float64 `json:"cost_cny"`
	CO2Kg       float64 `json:"co2_kg"`
	// CollectedTonnes is what the week collects: picked up at outlets by
	// the plants' and the hubs' trucks, and handed in at hubs. DueTonnes is
	// what the week's due outlets (and hubs) hold: collected plus what waits
	// at the outlets not served as required (BlockedTonnes, by reason);
	// CollectedShare is CollectedTonnes / DueTonnes.
	CollectedTonnes float64            `json:"collected_t"`
	DueTonnes       float64            `json:"due_t"`
	CollectedShare  float64            `json:"collected_share"`
	BlockedTonnes   map[string]float64 `json:"blocked_t"`
	// Km, Hours, CostCNY and CO2Kg are the collection trucks' (plants' and
	// hubs'); the per-tonne figures add the line-haul (see NetworkKPI).
	CO2KgPerTonne     float64        `json:"co2_kg_per_t"`
	CostPerTonne      float64        `json:"cost_cny_per_t"`
	UnservedOutlets   int            `json:"unserved_outlets"`
	UnservedByReason  map[string]int `json:"unserved_by_reason"`
	UncollectedTonnes float64        `json:"uncollected_t_per_year"`
	Status            solver.Status  `json:"status"`
	// Consistency compares the week with the plan it started from (only
	// with a warm start).
	Consistency *ConsistencyKPI `json:"consistency,omitempty"`
}

// ConsistencyKPI is Consistency as kpis.json prints it.
type ConsistencyKPI struct {
	From            string  `json:"from"`
	Outlets         int     `json:"outlets"`
	Kept            int     `json:"kept"`
	KeptShare       float64 `json:"kept_share"`
	NotDue          int     `json:"not_due"`
	PreviousCostCNY float64 `json:"previous_cost_cny"`
	CostChangeCNY   float64 `json:"cost_change_cny"`
	CostChangeShare float64 `json:"cost_change_share"`
	// ChargeCNY is the consistency charge per outlet moved the search used;
	// Added and Dropped the outlets visited by one sheet only; with either
	// above 0 the route costs price different work and the cost per tonne
	// (PerTonneChangeShare, from PreviousTonnes and Tonnes) compares.
	ChargeCNY           float64 `json:"charge_cny"`
	Added               int     `json:"added"`
	Dropped             int     `json:"dropped"`
	PreviousTonnes      float64 `json:"previous_tonnes"`
	Tonnes              float64 `json:"tonnes"`
	PerTonneChangeShare float64 `json:"per_tonne_change_share"`
}

// PlantKPI compares a plant's planned weekly tonnes with its intake limit.
type PlantKPI struct {
	ID      string  `json:"id"`
	IntakeT float64 `json:"intake_limit_t_per_week"`
	// PlannedT is what the plant receives this week: from its trucks and
	// by line-haul (LinehaulT of it).
	PlannedT    float64 `json:"planned_t_this_week"`
	LinehaulT   float64 `json:"linehaul_t_this_week"`
	IntakeShare float64 `json:"intake_used_share"`
}

func roundKPI(k CoverageKPI) CoverageKPI {
	k.Tonnes, k.Packs = round(k.Tonnes, 2), round(k.Packs, 1)
	k.CoveredTonnesShare = round(k.CoveredTonnesShare, 5)
	k.MeanKm, k.P95Km, k.MaxKm = round(k.MeanKm, 3), round(k.P95Km, 3), round(k.MaxKm, 3)
	return k
}

func (p *Plan) kpis() KPIs {
	s := p.Scenario
	k := KPIs{Scenario: s.Name, Regions: p.Regions.String(), Year: s.Year, Seed: s.Seed, Interrupted: p.Interrupted,
		RadiusKm: s.RadiusKm, Detour: s.Detour, Resolution: s.Resolution}
	if s.Registrations.On() {
		r := s.Registrations
		k.Registrations = &r
	}
	for _, c := range p.Cells {
		k.Forecast.Packs += c.Packs
		k.Forecast.Tonnes += c.Tonnes
	}
	k.Forecast.Packs, k.Forecast.Tonnes, k.Forecast.Cells = round(k.Forecast.Packs, 0), round(k.Forecast.Tonnes, 2), len(p.Cells)
	for _, o := range p.Inputs.Outlets {
		if p.Regions.Keep(o.Province) {
			k.Outlets++
		}
	}
	k.CoverageBefore = roundKPI(p.Coverage.National)
	k.Roads = p.roadsKPI()
	k.Carbon = p.Carbon
	if p.Siting != nil {
		after := roundKPI(p.Siting.After)
		k.CoverageAfter = &after
		k.Siting = &SitingKPI{Objective: p.Siting.Objective, NewSites: len(p.Siting.Sites), Candidates: p.Siting.Candidates,
			Value: round(p.Siting.Cost, 4), Bound: round(p.Siting.Bound, 4), GapPct: round(100*p.Siting.Gap, 4), HasBound: p.Siting.HasBound, Status: p.Siting.Status}
	}
	if p.Siting != nil && p.Siting.Typed {
		p.typedSitingKPIs(&k)
	}
	if sch := p.Schedule; sch != nil {
		k.Routes = WeekKPI(sch)
		k.Network = networkKPI(sch)
		k.Plants = plantKPIs(sch, p.Inputs.Plants)
		if k.Catchments == nil {
			k.Catchments = &CatchmentsKPI{}
		}
		k.Catchments.Week = catchmentKPI(k.Forecast.Tonnes, sch.Left)
	}
	k.Capacity = p.capacityKPI()
	return k
}

// RoutesLayer draws one LineString per vehicle and day: plant, the stops of
// each trip in order, back to the plant after each trip.
func RoutesLayer(sch *Schedule, outlets map[string]Outlet, plants map[string]Plant, vehicles []VehicleDay) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	type key struct {
		day     int
		vehicle string
	}
	lines := map[key]orb.LineString{}
	trip := map[key]int{}
	for _, st := range sch.Stops {
		k := key{st.Day, st.Vehicle}
		if _, ok := lines[k]; !ok {
			lines[k] = orb.LineString{plants[st.Plant].Point}
		} else if st.Trip != trip[k] {
			lines[k] = append(lines[k], plants[st.Plant].Point) // back to unload
		}
		trip[k] = st.Trip
		lines[k] = append(lines[k], outlets[st.Outlet].Point)
	}
	for _, v := range vehicles {
		ls, ok := lines[key{v.Day, v.Vehicle}]
		if !ok {
			continue
		}
		ls = append(ls, plants[v.Plant].Point)
		f := geojson.NewFeature(ls)
		f.Properties["day"] = v.Day
		f.Properties["vehicle"] = v.Vehicle
		f.Properties["plant"] = v.Plant
		f.Properties["trips"] = v.Trips
		f.Properties["stops"] = v.Stops
		f.Properties["km"] = round(v.Km, 1)
		f.Properties["load_kg"] = round(v.LoadKg, 1)
		f.Properties["hours"] = round(v.Hours, 2)
		fc.Append(f)
	}
	return fc
}

// encodeLayer renders a layer through geo's RFC 7946 writer.
func encodeLayer(fc *geojson.FeatureCollection) ([]byte, error) {
	var b bytes.Buffer
	if err := geo.WriteFeatureCollection(&b, fc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Files renders every output of the plan by file name: GeoJSON layers, CSV
// tables, kpis.json, report.md and map.html. Nothing in them depends on the
// clock, so identical runs give identical bytes.
func (p *Plan) Files() (map[string][]byte, error) {
	layers, err := p.Layers()
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for name, fc := range layers {
		if files[name], err = encodeLayer(fc); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	tables := map[string]any{}
	if p.Siting != nil {
		tables["sites.csv"] = SiteRecords(p.Siting.Sites)
		if p.Siting.Typed {
			tables["sites.csv"] = TypedSiteRecords(p.Siting.Sites, p.Siting.Upgrades)
		}
	}
	for n, t := range p.capacityTables() {
		tables[n] = t
	}
	if p.Schedule != nil {
		sf, err := ScheduleFiles(p.Schedule)
		if err != nil {
			return nil, err
		}
		for n, b := range sf {
			files[n] = b
		}
	}
	for n, t := range p.roadTables() {
		tables[n] = t
	}
	if p.Schedule != nil {
		mf, err := ManifestFiles(p.Schedule, p.Inputs, siteList(p.Siting))
		if err != nil {
			return nil, err
		}
		for n, b := range mf {
			files[n] = b
		}
	}
	for n, t := range tables {
		var b bytes.Buffer
		if err := WriteCSV(&b, t); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		files[n] = b.Bytes()
	}
	k, err := json.MarshalIndent(p.KPIs, "", "  ")
	if err != nil {
		return nil, err
	}
	files["kpis.json"] = append(k, '\n')
	files["report.md"] = []byte(p.Report())
	var m bytes.Buffer
	if err := p.WriteMap(&m, files); err != nil {
		return nil, fmt.Errorf("map.html: %w", err)
	}
	files["map.html"] = m.Bytes()
	return files, nil
}

// Report renders report.md: the scenario and its KPIs before and after
// siting, the week's routes, cost and CO2.
func (p *Plan) Report() string {
	k := p.KPIs
	var b strings.Builder
	fmt.Fprintf(&b, "# rlplan report: %s\n\n", k.Scenario)
	if k.Interrupted {
		b.WriteString("> **Interrupted**: the results are the best found before the run was stopped.\n\n")
	}
	if p.Schedule != nil {
		if note := p.Schedule.TimeLimitNote(); note != "" {
			fmt.Fprintf(&b, "> %s\n\n", note)
		}
	}
	fmt.Fprintf(&b, "Area %s, year %d, H3 resolution %d, service radius %g km by road (%s), seed %d.\n\n",
		k.Regions, k.Year, k.Resolution, k.RadiusKm, p.distanceNote(), k.Seed)
	fmt.Fprintf(&b, "## Retirements\n\n%.0f packs, %.0f t retiring in %d, spread over %d cells; %d existing outlets.",
		k.Forecast.Packs, k.Forecast.Tonnes, k.Year, k.Forecast.Cells, k.Outlets)
	if r := k.Registrations; r != nil {
		fmt.Fprintf(&b, " Registrations after the stock's newest model year are projected up to %d at %+g %% a year.", r.Until, r.GrowthPct)
	} else {
		b.WriteString(" Only vehicles in the stock count (no projection of later registrations).")
	}
	b.WriteString("\n\n")
	b.WriteString("## Coverage\n\n| | within radius (share of t) | mean km | p95 km | max km |\n|---|---:|---:|---:|---:|\n")
	row := func(name string, c CoverageKPI) {
		fmt.Fprintf(&b, "| %s | %.2f %% | %.2f | %.2f | %.1f |\n", name, 100*c.CoveredTonnesShare, c.MeanKm, c.P95Km, c.MaxKm)
	}
	row("existing outlets", k.CoverageBefore)
	if k.CoverageAfter != nil {
		row(fmt.Sprintf("with %d new sites", k.Siting.NewSites), *k.CoverageAfter)
	}
	if s := k.Siting; s != nil {
		bound := "no bound (the solver stopped before proving one)"
		if s.HasBound {
			bound = fmt.Sprintf("bound %.6g, gap %.3f %%", s.Bound, s.GapPct)
		}
		fmt.Fprintf(&b, "\n## Siting\n\nObjective %s: %d new sites chosen from %d candidates. Objective value %.6g, %s (%s). See sites.csv and new_sites.geojson.\n",
			s.Objective, s.NewSites, s.Candidates, s.Value, bound, s.Status)
		b.WriteString(typedSitingLine(s))
	}
	b.WriteString(catchmentSection(&k))
	b.WriteString(p.capacityReport())
	if r := k.Routes; r != nil {
		b.WriteString(weekSection(&k))
		if len(k.Plants) > 0 {
			b.WriteString("\n| plant | planned t this week | of it by line-haul | intake limit t/week | used |\n|---|---:|---:|---:|---:|\n")
			for _, pl := range k.Plants {
				fmt.Fprintf(&b, "| %s | %.2f | %.2f | %.1f | %.1f %% |\n", pl.ID, pl.PlannedT, pl.LinehaulT, pl.IntakeT, 100*pl.IntakeShare)
			}
			b.WriteString(intakeNotes(k.Plants, p.Inputs.Plants))
		}
	}
	b.WriteString(p.roadSection())
	if p.Carbon != nil {
		b.WriteString(carbonReport(p.Carbon))
	}
	if len(p.Warnings) > 0 {
		b.WriteString("\n## Input warnings\n\nLegal but suspicious; check before relying on the figures above.\n\n")
		for _, w := range p.Warnings {
			fmt.Fprintf(&b, "- %s\n", w)
		}
	}
	b.WriteString(inputsSection(p.Inputs.Sources))
	b.WriteString("\n## Files\n\nkpis.json, report.md, map.html (opens offline); layers density, outlets, new_sites, plants, service_areas, catchments, routes, unserved (.geojson), with hubs hubs, hub_catchments, linehaul (.geojson); tables sites.csv, routes.csv, linehaul.csv (with hubs), summary.csv, unserved.csv, visits.csv; plan.json, what `rlplan check` checks routes.csv and linehaul.csv against; transfer manifests manifests.csv and manifests/ (a printable page per truck-day, index.html).\n")
	return b.String()
}
