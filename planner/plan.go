package planner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/bits"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/geo/webmap"
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
	in, err := loader.Load(s.Paths())
	if err != nil {
		return nil, err
	}
	reg, err := ParseRegions(in, s.Regions)
	if err != nil {
		return nil, err
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
	step(StepDensity)
	if p.Cells, err = Density(ctx, in, s.Year, s.Resolution, reg); err != nil {
		return nil, err
	}
	if len(p.Cells) == 0 {
		return nil, fmt.Errorf("plan: no retirements in %s in %d: nothing to plan", reg, s.Year)
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
	var newSites []Site
	if s.SitingOn() {
		step(StepSiting)
		opt := SitingOptions{Objective: s.Siting.Objective, New: s.Siting.NewSites, RadiusKm: s.RadiusKm, Detour: detour,
			CoverTarget: s.Siting.Target, SiteCapacityKg: s.Siting.SiteCapacityKg, SiteFixedCost: s.Siting.SiteCost,
			CostPerTonneKm: s.Siting.TonneKmCost, Capacitated: s.Siting.Capacitated,
			Settings: location.Settings{TimeLimit: s.Siting.TimeLimit.Duration, Seed: solver.Seed(s.Seed)}, Roads: net}
		var src []string
		if opt.Candidates, src, err = Candidates(s.Inputs.Candidates, loader.Warning, p.Cells, p.Coverage, in.Places, reg, s.Resolution, s.Siting.MaxCandidates); err != nil {
			return nil, err
		}
		if len(opt.Candidates) > 0 {
			p.Siting, err = ChooseSites(ctx, p.Cells, in.Outlets, opt.Candidates, src, opt)
			switch {
			case err != nil && ctx.Err() != nil:
				p.Siting, p.Interrupted = nil, true // stopped before the solver had a solution
			case err != nil:
				return nil, err
			default:
				newSites = p.Siting.Sites
				p.Interrupted = p.Interrupted || p.Siting.Status == solver.Interrupted
			}
		}
	}
	if s.CapacityOn() && ctx.Err() == nil {
		step(StepCapacity)
		if err := p.capacity(ctx, loader); err != nil {
			return nil, err
		}
	}
	if s.RoutesOn() && ctx.Err() == nil {
		step(StepRoutes)
		withNew := *p.Inputs // with capacity.apply, the plants as the investments build them
		withNew.Outlets = append(append([]Outlet(nil), in.Outlets...), sitesAsOutlets(newSites)...)
		var roads *RoadMatrix
		switch {
		case net != nil:
			if roads, p.Roads, err = net.DepotMatrix(ctx, &withNew, regionOutlets(withNew.Outlets, reg), nil); err != nil {
				return nil, err
			}
		case s.Inputs.Roads != "":
			if roads, err = ReadRoadMatrix(s.Inputs.Roads, in.PlaceIDs(), loader.Warning); err != nil {
				return nil, err
			}
		}
		opt := s.WeekOptions(detour, roads)
		if net != nil {
			opt.Catchments = net.Catchments(ctx)
		}
		if p.Schedule, err = PlanWeekCells(ctx, &withNew, reg, p.Cells, opt); err != nil {
			return nil, err
		}
		p.Interrupted = p.Interrupted || p.Schedule.Interrupted
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
	Siting         *SitingKPI   `json:"siting,omitempty"`
	Routes         *RoutesKPI   `json:"routes,omitempty"`
	Roads          *RoadsKPI    `json:"roads,omitempty"`
	Plants         []PlantKPI   `json:"plants,omitempty"`
	Capacity       *CapacityKPI `json:"capacity,omitempty"`
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
}

// RoutesKPI summarises the weekly schedule.
type RoutesKPI struct {
	Week              string         `json:"week"`
	Stops             int            `json:"stops"`
	VehicleDays       int            `json:"vehicle_days"`
	Trips             int            `json:"trips"`
	Km                float64        `json:"km"`
	Hours             float64        `json:"hours"`
	CostCNY           float64        `json:"cost_cny"`
	CO2Kg             float64        `json:"co2_kg"`
	CollectedTonnes   float64        `json:"collected_t"`
	CO2KgPerTonne     float64        `json:"co2_kg_per_t"`
	CostPerTonne      float64        `json:"cost_cny_per_t"`
	UnservedOutlets   int            `json:"unserved_outlets"`
	UnservedByReason  map[string]int `json:"unserved_by_reason"`
	UncollectedTonnes float64        `json:"uncollected_t_per_year"`
	Status            solver.Status  `json:"status"`
}

// PlantKPI compares a plant's planned weekly tonnes with its intake limit.
type PlantKPI struct {
	ID          string  `json:"id"`
	IntakeT     float64 `json:"intake_limit_t_per_week"`
	PlannedT    float64 `json:"planned_t_this_week"`
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
	if sch := p.Schedule; sch != nil {
		r := &RoutesKPI{Week: sch.Week, Stops: len(sch.Stops), VehicleDays: sch.VehicleDays, Trips: sch.Trips, Km: round(sch.Km, 1), Hours: round(sch.Hours, 2),
			CostCNY: round(sch.Cost, 0), CO2Kg: round(sch.CO2Kg, 1), CollectedTonnes: round(sch.CollectedKg/1000, 3),
			UnservedOutlets: len(sch.Unserved), UnservedByReason: map[string]int{}, UncollectedTonnes: round(sch.Uncollected.Tonnes, 1), Status: sch.Status}
		if sch.CollectedKg > 0 {
			r.CO2KgPerTonne = round(sch.CO2Kg/(sch.CollectedKg/1000), 3)
			r.CostPerTonne = round(sch.Cost/(sch.CollectedKg/1000), 2)
		}
		for _, u := range sch.Unserved {
			r.UnservedByReason[u.Reason]++
		}
		k.Routes = r
		planned := map[string]float64{}
		for _, pd := range sch.PlantDays {
			planned[pd.Plant] += pd.DeliveredTonnes
		}
		for _, pl := range p.Inputs.Plants {
			if t, ok := planned[pl.ID]; ok {
				k.Plants = append(k.Plants, PlantKPI{ID: pl.ID, IntakeT: round(pl.IntakeKgPerWeek/1000, 3), PlannedT: round(t, 3),
					IntakeShare: round(t*1000/pl.IntakeKgPerWeek, 4)})
			}
		}
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

// Layers returns the plan's GeoJSON layers by file name.
func (p *Plan) Layers() (map[string]*geojson.FeatureCollection, error) {
	out := map[string]*geojson.FeatureCollection{}
	var err error
	if out["density.geojson"], err = DensityLayer(p.Cells); err != nil {
		return nil, err
	}
	var outlets []Outlet
	byID := map[string]Outlet{}
	for _, o := range p.Inputs.Outlets {
		if p.Regions.Keep(o.Province) {
			outlets = append(outlets, o)
		}
		byID[o.ID] = o
	}
	catch := map[string]float64{}
	for i, s := range p.Coverage.Service {
		if s.Outlet >= 0 && s.Km <= p.Scenario.RadiusKm {
			catch[p.Inputs.Outlets[s.Outlet].ID] += p.Cells[i].Tonnes
		}
	}
	var sites []Site
	if p.Siting != nil {
		sites = p.Siting.Sites
		for _, s := range sites {
			byID[s.ID] = s.Outlet
			catch[s.ID] = s.CapturedTonnes
		}
	}
	var visits map[string]float64
	var delivered map[string]float64
	if p.Schedule != nil {
		visits, delivered = map[string]float64{}, map[string]float64{}
		for _, o := range p.Schedule.Outlets {
			v := float64(bits.OnesCount32(o.Pattern))
			if o.CycleWeeks > 1 {
				v = 1 / float64(o.CycleWeeks)
			}
			visits[o.Outlet.ID] = v
		}
		for _, pd := range p.Schedule.PlantDays {
			delivered[pd.Plant] += pd.DeliveredTonnes * 1000
		}
	}
	out["outlets.geojson"] = OutletsLayer(outlets, nil, catch, visits)
	out["new_sites.geojson"] = OutletsLayer(nil, sites, catch, visits)
	var plants []Plant
	plantByID := map[string]Plant{}
	for _, pl := range p.Inputs.Plants {
		plantByID[pl.ID] = pl
		if p.Regions.Keep(pl.Province) || delivered[pl.ID] > 0 {
			plants = append(plants, pl)
		}
	}
	out["plants.geojson"] = PlantsLayer(plants, delivered)
	groups, sets := []string{"existing"}, [][]Outlet{outlets}
	if len(sites) > 0 {
		groups = append(groups, "with new sites")
		sets = append(sets, append(append([]Outlet(nil), outlets...), sitesAsOutlets(sites)...))
	}
	if out["service_areas.geojson"], err = ServiceAreasLayer(groups, sets, p.Scenario.RadiusKm, p.Detour); err != nil {
		return nil, err
	}
	var unserved []UnservedOutlet
	if p.Schedule != nil {
		out["routes.geojson"] = RoutesLayer(p.Schedule, byID, plantByID, p.Schedule.Vehicles)
		unserved = p.Schedule.Unserved
	}
	out["unserved.geojson"] = UnservedLayer(byID, unserved, p.Coverage.Hotspots)
	if p.Capacity != nil {
		out["capacity.geojson"] = p.Capacity.View(p.Regions.Keep).Layer()
	}
	return out, nil
}

// encodeLayer renders a layer through geo's RFC 7946 writer.
func encodeLayer(fc *geojson.FeatureCollection) ([]byte, error) {
	var b bytes.Buffer
	if err := geo.WriteFeatureCollection(&b, fc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// mapLayerSpec says how each layer file is drawn on the HTML map.
var mapLayerSpec = []struct {
	file string
	l    webmap.Layer
}{
	{"density.geojson", webmap.Layer{Name: "Retirements (t/yr per cell)", ColorBy: "tonnes", Visible: true, PopupFields: []string{"h3", "tonnes", "packs", "province"}}},
	{"service_areas.geojson", webmap.Layer{Name: "Service areas", Outline: true, Visible: true, Color: "#2c7fb8", PopupFields: []string{"group", "radius_km", "outlets"}}},
	{"outlets.geojson", webmap.Layer{Name: "Existing outlets", Visible: true, Color: "#1f77b4", Radius: 3, PopupFields: []string{"id", "name", "type", "capacity_kg", "catchment_t_per_year", "visits_per_week"}}},
	{"new_sites.geojson", webmap.Layer{Name: "New sites", Visible: true, Color: "#2ca02c", Radius: 6, PopupFields: []string{"id", "name", "catchment_t_per_year", "visits_per_week"}}},
	{"routes.geojson", webmap.Layer{Name: "Routes", Visible: false, Color: "#1b9e77", PopupFields: []string{"day", "vehicle", "trips", "stops", "km", "load_kg", "hours"}}},
	{"plants.geojson", webmap.Layer{Name: "Plants", Visible: true, Color: "#000000", Radius: 7, PopupFields: []string{"id", "name", "intake_limit_t_per_week", "planned_t_this_week", "intake_used_share"}}},
	{"capacity.geojson", capacityMapLayer},
	{"unserved.geojson", webmap.Layer{Name: "Unserved / uncovered", Visible: true, Color: "#7b3294", Radius: 4, PopupFields: []string{"kind", "id", "reason", "detail", "tonnes", "week_kg"}}},
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
	if err := p.writeMap(&m, files); err != nil {
		return nil, fmt.Errorf("map.html: %w", err)
	}
	files["map.html"] = m.Bytes()
	return files, nil
}

// Map size control: national maps aggregate the outlet points and keep
// 5 decimals (about 1 m) of the layers' coordinates.
const (
	mapDecimals       = 5
	mapAggregateAbove = 3000 // points; larger point layers are merged on a grid
	mapAggregateDeg   = 0.1
)

func (p *Plan) writeMap(w io.Writer, files map[string][]byte) error {
	m := &webmap.Map{
		Title:    fmt.Sprintf("rlplan — %s, %s, %d", p.Scenario.Name, p.Regions, p.Scenario.Year),
		Base:     p.Inputs.ProvincesGeoJSON,
		BaseName: "Provinces",
		Notes: []string{
			"Boundaries: Natural Earth (public domain), de-facto lines; not the official standard map (标准地图) required for publication in mainland China.",
			dataNote(p.Inputs.Sources),
			fmt.Sprintf("Service radius %g km by road (great-circle x %g). Density: H3 resolution %d.", p.Scenario.RadiusKm, p.Scenario.Detour, p.Scenario.Resolution),
		},
	}
	for _, spec := range mapLayerSpec {
		b, ok := files[spec.file]
		if !ok {
			continue
		}
		l := spec.l
		l.Features = b
		if strings.Contains(spec.file, "outlets") && p.Regions.All() && len(p.Inputs.Outlets) > mapAggregateAbove {
			agg, err := webmap.AggregatePoints(b, mapAggregateDeg, []string{"catchment_t_per_year", "capacity_kg"})
			if err != nil {
				return err
			}
			l.Features, l.PopupFields, l.Name = agg, []string{"count", "catchment_t_per_year", "capacity_kg"}, l.Name+" (merged on a 0.1° grid)"
		}
		slim, err := webmap.Slim(l, mapDecimals)
		if err != nil {
			return err
		}
		m.Layers = append(m.Layers, slim)
	}
	return webmap.Write(w, m)
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
	}
	b.WriteString(p.capacityReport())
	if r := k.Routes; r != nil {
		fmt.Fprintf(&b, "\n## Weekly routes (%s)\n\n", r.Week)
		fmt.Fprintf(&b, "| stops | trips | truck-days | km | hours | cost (CNY) | CO2 (kg) | collected (t) | CO2 kg/t | CNY/t |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		fmt.Fprintf(&b, "| %d | %d | %d | %.0f | %.1f | %.0f | %.0f | %.2f | %.2f | %.1f |\n\n", r.Stops, r.Trips, r.VehicleDays, r.Km, r.Hours, r.CostCNY, r.CO2Kg, r.CollectedTonnes, r.CO2KgPerTonne, r.CostPerTonne)
		if r.UnservedOutlets == 0 {
			b.WriteString("Every due outlet is served within its storage limit.\n")
		} else {
			reasons := make([]string, 0, len(r.UnservedByReason))
			for reason, n := range r.UnservedByReason {
				reasons = append(reasons, fmt.Sprintf("%s: %d", reason, n))
			}
			sort.Strings(reasons)
			fmt.Fprintf(&b, "%d outlets are not served as required (%s); unserved.csv says which limit blocked each.\n", r.UnservedOutlets, strings.Join(reasons, ", "))
		}
		if r.UncollectedTonnes > 0 {
			fmt.Fprintf(&b, "\n%.0f t/yr retire beyond the radius of every outlet and are not collected.\n", r.UncollectedTonnes)
		}
		if len(k.Plants) > 0 {
			b.WriteString("\n| plant | planned t this week | intake limit t/week | used |\n|---|---:|---:|---:|\n")
			for _, pl := range k.Plants {
				fmt.Fprintf(&b, "| %s | %.2f | %.1f | %.1f %% |\n", pl.ID, pl.PlannedT, pl.IntakeT, 100*pl.IntakeShare)
			}
			b.WriteString(intakeNotes(k.Plants, p.Inputs.Plants))
		}
	}
	b.WriteString(p.roadSection())
	if p.Carbon != nil {
		b.WriteString(carbonReport(p.Carbon))
	}
	b.WriteString(inputsSection(p.Inputs.Sources))
	b.WriteString("\n## Files\n\nkpis.json, report.md, map.html (opens offline); layers density, outlets, new_sites, plants, service_areas, routes, unserved (.geojson); tables sites.csv, routes.csv, summary.csv, unserved.csv, visits.csv; plan.json, what `rlplan check` checks routes.csv against; transfer manifests manifests.csv and manifests/ (a printable page per truck-day, index.html).\n")
	return b.String()
}
