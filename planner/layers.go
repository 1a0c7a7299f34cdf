package planner

import (
	"math"
	"sort"

	"github.com/paulmach/orb/geojson"
	"github.com/uber/h3-go/v4"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/report"
)

// round keeps d decimals, so that tables and layers do not carry float noise.
func round(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

// DensityLayer turns density cells into H3 hexagon features with properties
// h3, packs, tonnes and province.
func DensityLayer(cells []DensityCell) (*geojson.FeatureCollection, error) {
	fc := geojson.NewFeatureCollection()
	for _, c := range cells {
		poly, err := geo.CellPolygon(c.Cell)
		if err != nil {
			return nil, err
		}
		f := geojson.NewFeature(poly)
		f.Properties["h3"] = c.Cell.String()
		f.Properties["packs"] = round(c.Packs, 2)
		f.Properties["tonnes"] = round(c.Tonnes, 4)
		f.Properties["province"] = c.Province
		fc.Append(f)
	}
	return fc, nil
}

// OutletFigures are an outlet's figures on the map and in outlets.geojson.
type OutletFigures struct {
	CatchmentT    float64 // t/yr of the cells whose nearest outlet it is, within the radius
	VisitsPerWeek float64 // visits this week; 1/k for an outlet emptied every k weeks
	KgPerDay      float64
	CycleWeeks    int
	Plant         string // the plant whose trucks empty it
	Unserved      string // the reason it is not served as required, if so
}

// OutletsLayer draws existing outlets and new sites as points with their
// id, name, status (existing or new), type, province, storage limit,
// yearly catchment tonnes and, when week is set (a schedule was planned),
// visits per week, kg per day, cycle in weeks, plant and unserved reason.
// New sites add how they arose (source) and the cells they captured.
func OutletsLayer(outlets []Outlet, sites []Site, figs map[string]OutletFigures, week bool) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	add := func(o Outlet, status string) *geojson.Feature {
		f := geojson.NewFeature(o.Point)
		g := figs[o.ID]
		f.Properties["id"] = o.ID
		f.Properties["name"] = o.Name
		f.Properties["status"] = status
		f.Properties["type"] = o.Type
		f.Properties["province"] = o.Province
		f.Properties["capacity_kg"] = o.CapacityKg
		f.Properties["catchment_t_per_year"] = round(g.CatchmentT, 2)
		if week {
			f.Properties["visits_per_week"] = round(g.VisitsPerWeek, 2)
			f.Properties["kg_per_day"] = round(g.KgPerDay, 1)
			f.Properties["cycle_weeks"] = g.CycleWeeks
			f.Properties["plant"] = g.Plant
			f.Properties["unserved"] = g.Unserved
		}
		fc.Append(f)
		return f
	}
	for _, o := range outlets {
		add(o, "existing")
	}
	for _, s := range sites {
		f := add(s.Outlet, "new")
		f.Properties["source"] = s.Source
		f.Properties["captured_cells"] = s.CapturedCells
	}
	return fc
}

// PlantsLayer draws plants with their weekly intake limit and, when a
// schedule was planned (week not nil), the week's tonnes, the share of
// intake used, the outlets its trucks empty, truck-days, trips and km.
func PlantsLayer(plants []Plant, week map[string]report.PlantWeek) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, p := range plants {
		f := geojson.NewFeature(p.Point)
		f.Properties["id"] = p.ID
		f.Properties["name"] = p.Name
		f.Properties["province"] = p.Province
		f.Properties["intake_limit_t_per_week"] = round(p.IntakeKgPerWeek/1000, 3)
		if week != nil {
			w := week[p.ID]
			f.Properties["planned_t_this_week"] = round(w.PlannedT, 3)
			f.Properties["intake_used_share"] = round(w.PlannedT*1000/p.IntakeKgPerWeek, 4)
			f.Properties["outlets"] = w.Outlets
			f.Properties["truck_days"] = w.TruckDays
			f.Properties["trips"] = w.Trips
			f.Properties["km"] = round(w.Km, 0)
		}
		fc.Append(f)
	}
	return fc
}

// ServiceAreaRes is the H3 resolution of service-area outlines: cells of
// about 36 km², enough for areas of 5 km radius or more.
const ServiceAreaRes = 6

// ServiceAreasLayer draws the area within radiusKm by road of the outlets
// (great-circle radius/detour) as merged H3 disks, one MultiPolygon per
// group ("existing", "with new sites"). With two groups a third feature,
// "added by new sites", holds the cells of the second not in the first:
// what the new sites bring within reach.
func ServiceAreasLayer(groups []string, outlets [][]Outlet, radiusKm float64, detour geo.Detour) (*geojson.FeatureCollection, error) {
	fc := geojson.NewFeatureCollection()
	edge, err := h3.HexagonEdgeLengthAvgKm(ServiceAreaRes)
	if err != nil {
		return nil, err
	}
	k := int(math.Round(radiusKm / detour.Factor() / (edge * math.Sqrt(3))))
	var sets []map[h3.Cell]bool
	add := func(name string, cells []h3.Cell, n int) error {
		mp, err := geo.CellsToMultiPolygon(cells)
		if err != nil {
			return err
		}
		f := geojson.NewFeature(mp)
		f.Properties["group"] = name
		f.Properties["radius_km"] = radiusKm
		f.Properties["outlets"] = n
		f.Properties["cells"] = len(cells)
		fc.Append(f)
		return nil
	}
	for g, name := range groups {
		seen := map[h3.Cell]bool{}
		var cells []h3.Cell
		for _, o := range outlets[g] {
			c, err := geo.Cell(o.Point, ServiceAreaRes)
			if err != nil {
				return nil, err
			}
			if seen[c] {
				continue
			}
			disk, err := geo.Disk(c, k)
			if err != nil {
				return nil, err
			}
			for _, d := range disk {
				if !seen[d] {
					seen[d] = true
					cells = append(cells, d)
				}
			}
		}
		if err := add(name, cells, len(outlets[g])); err != nil {
			return nil, err
		}
		sets = append(sets, seen)
	}
	if len(groups) == 2 {
		var added []h3.Cell
		for c := range sets[1] {
			if !sets[0][c] {
				added = append(added, c)
			}
		}
		sort.Slice(added, func(i, j int) bool { return added[i] < added[j] })
		if err := add(GroupAdded, added, len(outlets[1])-len(outlets[0])); err != nil {
			return nil, err
		}
	}
	return fc, nil
}

// GroupAdded names the service-area feature of what new sites add.
const GroupAdded = "added by new sites"

// UnservedLayer draws outlets not served as required (kind "outlet": id,
// name, province, plant, reason, detail, week_kg and week_t) and the
// heaviest cells beyond every outlet's reach (kind "uncovered_cell": id,
// reason beyond_radius, tonnes per year, nearest_km).
func UnservedLayer(outlets map[string]Outlet, unserved []UnservedOutlet, hotspots []Hotspot) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, u := range unserved {
		o, ok := outlets[u.Outlet]
		if !ok {
			continue
		}
		f := geojson.NewFeature(o.Point)
		f.Properties["kind"] = "outlet"
		f.Properties["id"] = u.Outlet
		f.Properties["name"] = u.Name
		f.Properties["province"] = u.Province
		f.Properties["plant"] = u.Plant
		f.Properties["reason"] = u.Reason
		f.Properties["detail"] = u.Detail
		f.Properties["week_kg"] = round(u.WeekKg, 1)
		f.Properties["week_t"] = round(u.WeekKg/1000, 3)
		fc.Append(f)
	}
	for _, h := range hotspots {
		f := geojson.NewFeature(h.Center)
		f.Properties["kind"] = "uncovered_cell"
		f.Properties["id"] = h.Cell
		f.Properties["reason"] = "beyond_radius"
		f.Properties["tonnes"] = round(h.Tonnes, 3)
		f.Properties["nearest_km"] = round(h.NearestKm, 2)
		fc.Append(f)
	}
	return fc
}
