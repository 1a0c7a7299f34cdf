package planner

import (
	"fmt"
	"io"
	"maps"
	"math"
	"math/bits"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/rlplan/rlplan/geo/webmap"
	"github.com/rlplan/rlplan/planner/report"
)

// weekView gathers what the map and the layers show of the weekly
// schedule: per-outlet figures, per-plant weeks and the pickups behind the
// plant catchments.
type weekView struct {
	outlets map[string]OutletFigures
	plants  map[string]report.PlantWeek
	pickups []report.Pickup
}

func (p *Plan) week(byID map[string]Outlet) *weekView {
	sch := p.Schedule
	if sch == nil {
		return nil
	}
	w := &weekView{outlets: map[string]OutletFigures{}, plants: map[string]report.PlantWeek{}}
	for _, o := range sch.Outlets {
		v := float64(bits.OnesCount32(o.Pattern))
		if o.CycleWeeks > 1 {
			v = 1 / float64(o.CycleWeeks)
		}
		w.outlets[o.Outlet.ID] = OutletFigures{VisitsPerWeek: v, KgPerDay: o.KgPerDay, CycleWeeks: o.CycleWeeks, Plant: o.Plant}
	}
	for _, u := range sch.Unserved {
		f := w.outlets[u.Outlet]
		f.Unserved = u.Reason
		w.outlets[u.Outlet] = f
	}
	type key struct{ outlet, plant string }
	kg := map[key]float64{}
	served := map[string]map[string]bool{}
	for _, st := range sch.Stops {
		kg[key{st.Outlet, st.Plant}] += st.PickupKg
		if served[st.Plant] == nil {
			served[st.Plant] = map[string]bool{}
		}
		served[st.Plant][st.Outlet] = true
	}
	keys := make([]key, 0, len(kg))
	for k := range kg {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].outlet != keys[j].outlet {
			return keys[i].outlet < keys[j].outlet
		}
		return keys[i].plant < keys[j].plant
	})
	for _, k := range keys {
		if o, ok := byID[k.outlet]; ok {
			w.pickups = append(w.pickups, report.Pickup{Point: o.Point, Plant: k.plant, Kg: kg[k]})
		}
	}
	for _, pl := range p.Inputs.Plants {
		w.plants[pl.ID] = report.PlantWeek{ID: pl.ID, Name: pl.Name, Province: pl.Province, IntakeT: pl.IntakeKgPerWeek / 1000, Outlets: len(served[pl.ID])}
	}
	for _, pd := range sch.PlantDays {
		pw := w.plants[pd.Plant]
		pw.PlannedT += pd.DeliveredTonnes
		w.plants[pd.Plant] = pw
	}
	for _, v := range sch.Vehicles {
		pw := w.plants[v.Plant]
		pw.TruckDays++
		pw.Trips += v.Trips
		pw.Km += v.Km
		pw.CostCNY += v.Cost
		pw.CO2Kg += v.CO2Kg
		w.plants[v.Plant] = pw
	}
	return w
}

// Layers returns the plan's GeoJSON layers by file name: density, outlets,
// new_sites, plants, service_areas, catchments, unserved, routes when a
// week was planned (with hubs: hubs, hub_catchments and linehaul), and
// capacity when the plant-capacity step ran.
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
	var sites []Site
	if p.Siting != nil {
		sites = p.Siting.Sites
		for _, s := range sites {
			byID[s.ID] = s.Outlet
		}
	}
	w := p.week(byID)
	figs := map[string]OutletFigures{}
	if w != nil {
		figs = w.outlets
	}
	for i, s := range p.Coverage.Service {
		if s.Outlet >= 0 && s.Km <= p.Scenario.RadiusKm {
			id := p.Inputs.Outlets[s.Outlet].ID
			f := figs[id]
			f.CatchmentT += p.Cells[i].Tonnes
			figs[id] = f
		}
	}
	for _, s := range sites {
		f := figs[s.ID]
		f.CatchmentT = s.CapturedTonnes
		figs[s.ID] = f
	}
	out["outlets.geojson"] = OutletsLayer(outlets, nil, figs, w != nil)
	out["new_sites.geojson"] = OutletsLayer(nil, sites, figs, w != nil)
	var plants []Plant
	plantByID := map[string]Plant{}
	var plantWeeks map[string]report.PlantWeek
	var weeks []report.PlantWeek
	if w != nil {
		plantWeeks = w.plants
	}
	for _, pl := range p.Inputs.Plants {
		plantByID[pl.ID] = pl
		if p.Regions.Keep(pl.Province) || plantWeeks[pl.ID].PlannedT > 0 {
			plants = append(plants, pl)
			weeks = append(weeks, plantWeeks[pl.ID])
		}
	}
	out["plants.geojson"] = PlantsLayer(plants, plantWeeks)
	groups, sets := []string{"existing"}, [][]Outlet{outlets}
	if len(sites) > 0 {
		groups = append(groups, "with new sites")
		sets = append(sets, append(append([]Outlet(nil), outlets...), sitesAsOutlets(sites)...))
	}
	if out["service_areas.geojson"], err = ServiceAreasLayer(groups, sets, p.Scenario.RadiusKm, p.Detour); err != nil {
		return nil, err
	}
	out["catchments.geojson"] = geojson.NewFeatureCollection()
	var unserved []UnservedOutlet
	if p.Schedule != nil {
		depots := maps.Clone(plantByID)
		for _, h := range p.Schedule.Hubs { // hubs are their trucks' depots
			depots[h.ID] = Plant{ID: h.ID, Point: orb.Point{h.Lon, h.Lat}}
		}
		out["routes.geojson"] = RoutesLayer(p.Schedule, byID, depots, p.Schedule.Vehicles)
		unserved = p.Schedule.Unserved
		if len(p.Schedule.Hubs) > 0 {
			out["hubs.geojson"] = HubsLayer(p.Schedule, byID)
			out["hub_catchments.geojson"] = HubCatchmentsLayer(p.Schedule)
			out["linehaul.geojson"] = LinehaulLayer(p.Schedule, plantByID)
		}
		if out["catchments.geojson"], err = report.CatchmentLayer(w.pickups, weeks); err != nil {
			return nil, err
		}
	}
	out["unserved.geojson"] = UnservedLayer(byID, unserved, p.Coverage.Hotspots)
	if p.Capacity != nil {
		out["capacity.geojson"] = p.Capacity.View(p.Regions.Keep).Layer()
	}
	return out, nil
}

// coarsestLevel is how many H3 resolutions below the grid's the map's
// density levels start: resolution 7 cells are shown at 4, 5, 6 and 7.
const coarsestLevel = 3

// mapCells returns the density cells with their reach after siting, and
// the tonnes-weighted mean latitude (which sets the zooms of the levels).
func (p *Plan) mapCells() ([]report.Cell, float64) {
	service, radius := p.Coverage.Service, p.Scenario.RadiusKm
	if p.Siting != nil && len(p.Siting.AfterService) == len(p.Cells) {
		service = p.Siting.AfterService
	}
	cells := make([]report.Cell, len(p.Cells))
	var lat, w float64
	for i, c := range p.Cells {
		km := math.NaN()
		if service[i].Outlet >= 0 {
			km = service[i].Km
		}
		cells[i] = report.Cell{Cell: c.Cell, Province: c.Province, Tonnes: c.Tonnes, Packs: c.Packs, Km: km, Covered: km <= radius}
		lat += c.Center[1] * c.Tonnes
		w += c.Tonnes
	}
	if w > 0 {
		lat /= w
	}
	return cells, lat
}

// provinceFigures sums the plan per province of the area, in the order of
// the coverage analysis.
func (p *Plan) provinceFigures(cells []report.Cell) []report.Province {
	after := map[string]CoverageKPI{}
	if p.Siting != nil {
		for _, k := range p.Siting.AfterProvince {
			after[k.Area] = k
		}
	}
	figs := make([]report.Province, 0, len(p.Coverage.Province))
	idx := map[string]int{}
	for _, k := range p.Coverage.Province {
		a, ok := after[k.Area]
		if !ok {
			a = k
		}
		idx[k.Area] = len(figs)
		figs = append(figs, report.Province{Code: k.Area, Name: k.Name, Tonnes: k.Tonnes, Packs: k.Packs, Cells: k.Cells,
			CoveredBefore: k.CoveredTonnesShare, CoveredAfter: a.CoveredTonnesShare, MeanKm: a.MeanKm, Week: p.Schedule != nil})
	}
	at := func(code string) *report.Province {
		if i, ok := idx[code]; ok {
			return &figs[i]
		}
		return nil
	}
	for _, c := range cells {
		if f := at(c.Province); f != nil && !c.Covered {
			f.BeyondReach += c.Tonnes
		}
	}
	for _, o := range p.Inputs.Outlets {
		if f := at(o.Province); f != nil {
			f.Outlets++
		}
	}
	if p.Siting != nil {
		for _, s := range p.Siting.Sites {
			if f := at(s.Province); f != nil {
				f.NewSites++
			}
		}
	}
	if sch := p.Schedule; sch != nil {
		prov := map[string]string{}
		for _, o := range sch.Outlets {
			prov[o.Outlet.ID] = o.Outlet.Province
		}
		for _, st := range sch.Stops {
			if f := at(prov[st.Outlet]); f != nil {
				f.CollectedT += st.PickupKg / 1000
			}
		}
		for _, u := range sch.Unserved {
			if f := at(u.Province); f != nil {
				f.UnservedOutlets++
				f.UnservedT += u.WeekKg / 1000
			}
		}
		for i := range figs {
			figs[i].DueT = figs[i].CollectedT + figs[i].UnservedT
		}
	}
	return figs
}

// mapData gathers the map's layers by kind (see report.Kinds) from the
// layer files and the plan.
func (p *Plan) mapData(files map[string][]byte) (*report.MapData, error) {
	d := &report.MapData{
		Title:      fmt.Sprintf("rlplan — %s, %s, %d", p.Scenario.Name, p.Regions, p.Scenario.Year),
		Boundaries: p.Inputs.ProvincesGeoJSON,
		Layers:     map[string][]byte{},
		Levels:     map[string][]webmap.Level{},
		Notes: []string{
			"Boundaries: Natural Earth (public domain), de-facto lines; not the official standard map (标准地图) required for publication in mainland China.",
			dataNote(p.Inputs.Sources),
			fmt.Sprintf("Service radius %g km by road (great-circle x %g). Density: H3 resolution %d, shown by province when zoomed out and at coarser H3 resolutions (tonnes summed) until the cells are %d pixels wide.",
				p.Scenario.RadiusKm, p.Scenario.Detour, p.Scenario.Resolution, report.MinCellPixels),
		},
	}
	cells, lat := p.mapCells()
	provinces, err := report.ProvinceLayer(p.Inputs.ProvincesGeoJSON, p.provinceFigures(cells))
	if err != nil {
		return nil, err
	}
	prov, err := encodeLayer(provinces)
	if err != nil {
		return nil, err
	}
	hex, err := report.DensityLevels(cells, p.Scenario.Resolution, max(0, p.Scenario.Resolution-coarsestLevel), lat)
	if err != nil {
		return nil, err
	}
	d.Levels["retirements"] = append([]webmap.Level{{Label: "by province", Features: prov}}, hex...)
	// Coverage: provinces, then the two coarsest hexagon levels, which
	// stay drawn when zooming further in.
	d.Levels["coverage"] = append([]webmap.Level{{Label: "by province", Features: prov}}, hex[:min(2, len(hex))]...)
	if p.Schedule != nil {
		d.Layers["collected"] = prov
	}
	for name, b := range files {
		base, ok := strings.CutSuffix(name, ".geojson")
		if !ok || base == "density" {
			continue
		}
		d.Layers[base] = b
	}
	if err := splitLayer(d, "service_areas", "group", map[string]string{"existing": "reach_existing", GroupAdded: "reach_added"}); err != nil {
		return nil, err
	}
	if err := splitLayer(d, "unserved", "kind", map[string]string{"outlet": "unserved", "uncovered_cell": "uncovered"}); err != nil {
		return nil, err
	}
	d.Panel = report.Panel(p.panelFigures())
	return d, nil
}

// splitLayer replaces the layer from by one layer per value of property
// key (named by to); features of other values are dropped from the map.
func splitLayer(d *report.MapData, from, key string, to map[string]string) error {
	b, ok := d.Layers[from]
	if !ok {
		return nil
	}
	delete(d.Layers, from)
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return fmt.Errorf("%s: %w", from, err)
	}
	parts := map[string]*geojson.FeatureCollection{}
	for _, f := range fc.Features {
		v, _ := f.Properties[key].(string)
		name, ok := to[v]
		if !ok {
			continue
		}
		if parts[name] == nil {
			parts[name] = geojson.NewFeatureCollection()
		}
		parts[name].Append(f)
	}
	for name, part := range parts {
		if d.Layers[name], err = encodeLayer(part); err != nil {
			return err
		}
	}
	return nil
}

// panelFigures are the KPIs the map's panel shows.
func (p *Plan) panelFigures() report.Figures {
	k := p.KPIs
	f := report.Figures{Area: k.Regions, Year: k.Year, RadiusKm: k.RadiusKm, RetiringT: k.Forecast.Tonnes,
		CoveredBefore: k.CoverageBefore.CoveredTonnesShare, InterruptedPartialPlan: k.Interrupted}
	if k.CoverageAfter != nil && k.Siting != nil {
		f.Sited, f.CoveredAfter, f.NewSites = true, k.CoverageAfter.CoveredTonnesShare, k.Siting.NewSites
	}
	if r := k.Routes; r != nil {
		f.Week, f.DueT, f.CollectedT, f.CostPerT, f.CO2KgPerT = r.Week, r.DueTonnes, r.CollectedTonnes, r.CostPerTonne, r.CO2KgPerTonne
		f.UnservedOutlets, f.BeyondReachTPerYear = r.UnservedOutlets, r.UncollectedTonnes
	}
	return f
}

// WriteMap writes the plan's HTML map from its layer files (as Files
// renders them): the layers of report.Kinds found among the files, by base
// name, plus the density levels, the province overview and the KPI panel.
// A layer file whose name is not a known kind is drawn too, plainly: adding
// a layer to the plan (hubs.geojson, linehaul.geojson) puts it on the map.
func (p *Plan) WriteMap(w io.Writer, files map[string][]byte) error {
	d, err := p.mapData(files)
	if err != nil {
		return err
	}
	m, err := report.Map(d)
	if err != nil {
		return err
	}
	return webmap.Write(w, m)
}
