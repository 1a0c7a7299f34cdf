package planner

import (
	"math"

	"github.com/paulmach/orb/geojson"
	"github.com/uber/h3-go/v4"

	"github.com/rlplan/rlplan/geo"
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

// OutletsLayer draws existing outlets and new sites as points with their
// type, storage limit, yearly catchment tonnes and visits per week (when a
// schedule is given).
func OutletsLayer(outlets []Outlet, sites []Site, catchment map[string]float64, visits map[string]float64) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	add := func(o Outlet, status string) {
		f := geojson.NewFeature(o.Point)
		f.Properties["id"] = o.ID
		f.Properties["name"] = o.Name
		f.Properties["status"] = status
		f.Properties["type"] = o.Type
		f.Properties["province"] = o.Province
		f.Properties["capacity_kg"] = o.CapacityKg
		f.Properties["catchment_t_per_year"] = round(catchment[o.ID], 2)
		if visits != nil {
			f.Properties["visits_per_week"] = round(visits[o.ID], 2)
		}
		fc.Append(f)
	}
	for _, o := range outlets {
		add(o, "existing")
	}
	for _, s := range sites {
		add(s.Outlet, "new")
	}
	return fc
}

// PlantsLayer draws plants with their weekly intake limit and, when a
// schedule is given, the tonnes planned for the week.
func PlantsLayer(plants []Plant, delivered map[string]float64) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, p := range plants {
		f := geojson.NewFeature(p.Point)
		f.Properties["id"] = p.ID
		f.Properties["name"] = p.Name
		f.Properties["province"] = p.Province
		f.Properties["intake_limit_t_per_week"] = round(p.IntakeKgPerWeek/1000, 3)
		if delivered != nil {
			f.Properties["planned_t_this_week"] = round(delivered[p.ID]/1000, 3)
			f.Properties["intake_used_share"] = round(delivered[p.ID]/p.IntakeKgPerWeek, 4)
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
// group ("existing", "with new sites").
func ServiceAreasLayer(groups []string, outlets [][]Outlet, radiusKm float64, detour geo.Detour) (*geojson.FeatureCollection, error) {
	fc := geojson.NewFeatureCollection()
	edge, err := h3.HexagonEdgeLengthAvgKm(ServiceAreaRes)
	if err != nil {
		return nil, err
	}
	k := int(math.Round(radiusKm / detour.Factor() / (edge * math.Sqrt(3))))
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
		mp, err := geo.CellsToMultiPolygon(cells)
		if err != nil {
			return nil, err
		}
		f := geojson.NewFeature(mp)
		f.Properties["group"] = name
		f.Properties["radius_km"] = radiusKm
		f.Properties["outlets"] = len(outlets[g])
		f.Properties["cells"] = len(cells)
		fc.Append(f)
	}
	return fc, nil
}

// UnservedLayer draws outlets not served as required (with the reason) and
// the heaviest cells beyond every outlet's reach.
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
		f.Properties["reason"] = u.Reason
		f.Properties["detail"] = u.Detail
		f.Properties["week_kg"] = round(u.WeekKg, 1)
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
