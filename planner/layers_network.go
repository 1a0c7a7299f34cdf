package planner

import (
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// The hub tier on the map: hubs.geojson (the hubs), hub_catchments.geojson
// (each hub's spokes to the outlets its trucks empty) and linehaul.geojson
// (one line per hub and plant with the week's legs between them). They are
// written only for a week with hubs.

// HubsLayer draws each hub with its storage, its own catchment, the
// outlets it empties, and what its legs ship this week.
func HubsLayer(sch *Schedule, outlets map[string]Outlet) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	served := map[string]int{}
	for _, o := range sch.Outlets {
		served[o.Plant]++
	}
	legs, shipped := map[string]int{}, map[string]float64{}
	for _, l := range sch.Linehaul {
		legs[l.Hub]++
		shipped[l.Hub] += l.LoadKg / 1000
	}
	for _, h := range sch.Hubs {
		f := geojson.NewFeature(orb.Point{h.Lon, h.Lat})
		f.Properties["id"] = h.ID
		f.Properties["name"] = outlets[h.ID].Name
		f.Properties["storage_kg"] = h.StorageKg
		f.Properties["own_t_per_week"] = round(h.KgPerDay*7/1000, 3)
		f.Properties["outlets"] = served[h.ID]
		f.Properties["legs"] = legs[h.ID]
		f.Properties["shipped_t"] = round(shipped[h.ID], 3)
		fc.Append(f)
	}
	return fc
}

// HubCatchmentsLayer draws, for each hub, a MultiLineString of spokes from
// the hub to every outlet its trucks empty (by visit rule), with the kg a
// day they bring.
func HubCatchmentsLayer(sch *Schedule) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, h := range sch.Hubs {
		hub := orb.Point{h.Lon, h.Lat}
		var spokes orb.MultiLineString
		kg := 0.0
		for _, o := range sch.Outlets {
			if o.Plant == h.ID {
				spokes = append(spokes, orb.LineString{hub, o.Outlet.Point})
				kg += o.KgPerDay
			}
		}
		if len(spokes) == 0 {
			continue
		}
		f := geojson.NewFeature(spokes)
		f.Properties["hub"] = h.ID
		f.Properties["outlets"] = len(spokes)
		f.Properties["kg_per_day"] = round(kg, 1)
		fc.Append(f)
	}
	return fc
}

// LinehaulLayer draws one line per hub and plant with the week's legs
// between them: count, tonnes, km one way, cost and CO2 (there and back).
func LinehaulLayer(sch *Schedule, plants map[string]Plant) *geojson.FeatureCollection {
	type key struct{ hub, plant string }
	type agg struct {
		legs             int
		t, km, cost, co2 float64
		from             orb.Point
	}
	by := map[key]*agg{}
	var keys []key
	hubAt := map[string]orb.Point{}
	for _, h := range sch.Hubs {
		hubAt[h.ID] = orb.Point{h.Lon, h.Lat}
	}
	for _, l := range sch.Linehaul {
		k := key{l.Hub, l.Plant}
		a := by[k]
		if a == nil {
			a = &agg{from: hubAt[l.Hub]}
			by[k] = a
			keys = append(keys, k)
		}
		a.legs++
		a.t += l.LoadKg / 1000
		a.km = l.Km
		a.cost += l.CostCNY
		a.co2 += l.CO2Kg
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].hub != keys[j].hub {
			return keys[i].hub < keys[j].hub
		}
		return keys[i].plant < keys[j].plant
	})
	fc := geojson.NewFeatureCollection()
	for _, k := range keys {
		a := by[k]
		f := geojson.NewFeature(orb.LineString{a.from, plants[k.plant].Point})
		f.Properties["hub"] = k.hub
		f.Properties["plant"] = k.plant
		f.Properties["legs"] = a.legs
		f.Properties["t"] = round(a.t, 3)
		f.Properties["km"] = round(a.km, 1)
		f.Properties["cost_cny"] = round(a.cost, 0)
		f.Properties["co2_kg"] = round(a.co2, 1)
		fc.Append(f)
	}
	return fc
}
