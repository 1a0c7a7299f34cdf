package report

import (
	"encoding/json"
	"sort"

	"github.com/rlplan/rlplan/geo/webmap"
	"github.com/rlplan/rlplan/planner/domain"
)

// Kind is one layer of the plan's map: a name (the base name of the
// GeoJSON file when the layer is also written as one) and how it is drawn.
type Kind struct {
	Name  string
	Layer webmap.Layer // style, legend and popup; the data comes from MapData
}

// Reasons are the reasons the weekly plan gives for an outlet it does not
// serve (planner.Unserved*), with the label and colour of the map's legend.
// Planner's tests check that every reason it can give is listed.
var Reasons = []webmap.Category{
	{Value: "plant_intake", Label: "plant intake full", Color: "#e41a1c"},
	{Value: "no_plant_in_reach", Label: "no plant in reach", Color: "#984ea3"},
	{Value: "storage_limit", Label: "storage fills too fast", Color: "#ff7f00"},
	{Value: "fleet_size", Label: "fleet too small", Color: "#377eb8"},
	{Value: "vehicle_capacity", Label: "pickup over truck capacity", Color: "#a65628"},
	{Value: "shift_length", Label: "beyond a shift", Color: "#f781bf"},
	{Value: "opening_hours", Label: "outside opening hours", Color: "#666666"},
}

// OutletTypes colours outlets and new sites by type (MIIT 2019 guide:
// collection outlets hold at most 5 t, central storage 30 t or more).
var OutletTypes = []webmap.Category{
	{Value: domain.OutletCollection, Label: "collection outlet", Color: "#6baed6"},
	{Value: domain.OutletCentral, Label: "central storage", Color: "#08519c"},
}

// Breaks of the share themes: fixed thresholds read better than quantiles
// ("under half", "95 % or more").
var (
	coverageBreaks  = []float64{0.5, 0.8, 0.9, 0.95, 0.99}
	collectedBreaks = []float64{0.25, 0.5, 0.75, 0.9, 0.95}
	intakeBreaks    = []float64{0.5, 0.75, 0.9, 0.99}
)

// Zooms from which layers that are noise on the national view are drawn:
// reach areas of 15-30 km are a few pixels wide below zoom 6, and 10,000
// outlets' clusters hide the provinces below 5.5 (the province popups
// count the outlets).
const (
	reachZoom   = 6
	outletsZoom = 5.5
)

// Popup rows shared by the density levels and the province overview; a
// row whose property a feature lacks is left out of its popup.
var areaFields = []webmap.Field{
	{Key: "name", Label: "province"}, {Key: "province", Label: "province code"}, {Key: "h3", Label: "H3 cell"},
	{Key: "cells", Label: "cells (res 7)"}, {Key: "tonnes", Label: "retiring", Unit: "t/yr"}, {Key: "packs", Label: "packs", Unit: "/yr"},
	{Key: "covered_before", Label: "within reach, existing outlets", Percent: true},
	{Key: "covered_share", Label: "within reach", Percent: true},
	{Key: "nearest_km", Label: "to the nearest outlet", Unit: "km by road"}, {Key: "mean_km", Label: "mean distance to an outlet", Unit: "km"},
	{Key: "outlets", Label: "outlets"}, {Key: "new_sites", Label: "new sites"},
	{Key: "beyond_reach_t", Label: "beyond every outlet's reach", Unit: "t/yr"},
	{Key: "due_t", Label: "due this week", Unit: "t"}, {Key: "collected_t", Label: "collected this week", Unit: "t"},
	{Key: "collected_share", Label: "collected share", Percent: true},
	{Key: "unserved_outlets", Label: "outlets not served"}, {Key: "unserved_t", Label: "waiting at them", Unit: "t"},
}

var outletFields = []webmap.Field{
	{Key: "id", Label: "id"}, {Key: "name", Label: "name"}, {Key: "type", Label: "type"}, {Key: "province", Label: "province"},
	{Key: "capacity_kg", Label: "storage limit", Unit: "kg"}, {Key: "catchment_t_per_year", Label: "catchment", Unit: "t/yr"},
	{Key: "kg_per_day", Label: "fills", Unit: "kg/day"}, {Key: "visits_per_week", Label: "visits per week"},
	{Key: "cycle_weeks", Label: "emptied every", Unit: "weeks"}, {Key: "plant", Label: "plant"}, {Key: "unserved", Label: "not served"},
	{Key: "source", Label: "chosen from"}, {Key: "captured_cells", Label: "cells captured"},
}

// Kinds lists the layers of the plan's map, bottom to top. A kind is drawn
// when MapData has data for it, so a new layer of the plan (hubs and
// line-haul legs from the network plan) reaches the map as data: under one
// of these names it gets its style, under a new name a plain one (see Map).
// Themes are exclusive fills (radio buttons); the rest are overlays.
var Kinds = []Kind{
	{"retirements", webmap.Layer{Name: "Retiring (t/yr)", Theme: true, Visible: true, ColorBy: "tonnes", Decimals: 4,
		Legend: "Retiring, t/yr (by province, then H3 cells as you zoom in)", Fields: areaFields}},
	{"coverage", webmap.Layer{Name: "Within reach (share of t)", Theme: true, ColorBy: "covered_share", Palette: webmap.RdYlGn, Breaks: coverageBreaks,
		Decimals: 4, Legend: "Share of tonnes within reach of an outlet (new sites included)", Fields: areaFields}},
	{"collected", webmap.Layer{Name: "Collected this week (share of due)", Theme: true, ColorBy: "collected_share", Palette: webmap.RdYlGn,
		Breaks: collectedBreaks, Decimals: 4, Legend: "Collected this week, share of the tonnes due", Fields: areaFields}},
	{"reach_existing", webmap.Layer{Name: "Reach of existing outlets", Visible: true, Outline: true, Color: "#2c7fb8", Weight: 1.2, MinZoom: reachZoom,
		Fields: []webmap.Field{{Key: "group", Label: "area"}, {Key: "radius_km", Label: "radius", Unit: "km by road"}, {Key: "outlets", Label: "outlets"}, {Key: "cells", Label: "H3 cells (res 6)"}}}},
	{"reach_added", webmap.Layer{Name: "Reach added by new sites", Visible: true, Color: "#1a9850", Opacity: 0.3, Weight: 0.5, MinZoom: reachZoom,
		Fields: []webmap.Field{{Key: "group", Label: "area"}, {Key: "radius_km", Label: "radius", Unit: "km by road"}, {Key: "outlets", Label: "new sites"}, {Key: "cells", Label: "H3 cells (res 6)"}}}},
	{"catchments", webmap.Layer{Name: "Plant catchments (intake used)", ColorBy: "intake_used_share", Breaks: intakeBreaks, Opacity: 0.45,
		Legend: "Plant catchments: share of weekly intake used", Fields: []webmap.Field{
			{Key: "name", Label: "plant"}, {Key: "plant", Label: "id"}, {Key: "province", Label: "province"}, {Key: "outlets", Label: "outlets emptied"},
			{Key: "planned_t", Label: "delivered this week", Unit: "t"}, {Key: "intake_limit_t", Label: "intake limit", Unit: "t/week"},
			{Key: "intake_used_share", Label: "intake used", Percent: true}, {Key: "truck_days", Label: "truck-days"}, {Key: "trips", Label: "trips"},
			{Key: "km", Label: "driven", Unit: "km"}, {Key: "cost_cny", Label: "cost", Unit: "CNY"}, {Key: "co2_kg", Label: "CO2", Unit: "kg"}}}},
	{"routes", webmap.Layer{Name: "Routes (truck-days)", Color: "#1b9e77", Weight: 2, Fields: []webmap.Field{
		{Key: "plant", Label: "plant"}, {Key: "vehicle", Label: "truck"}, {Key: "day", Label: "day"}, {Key: "trips", Label: "trips"}, {Key: "stops", Label: "stops"},
		{Key: "km", Label: "driven", Unit: "km"}, {Key: "load_kg", Label: "collected", Unit: "kg"}, {Key: "hours", Label: "on duty", Unit: "h"}}}},
	{"hub_catchments", webmap.Layer{Name: "Hub catchments (outlets to their hub)", Visible: true, Color: "#fdae6b", Weight: 1.5, Fields: []webmap.Field{
		{Key: "hub", Label: "hub"}, {Key: "outlets", Label: "outlets"}, {Key: "kg_per_day", Label: "received", Unit: "kg/day"}}}},
	{"linehaul", webmap.Layer{Name: "Line-haul legs (hub to plant)", Visible: true, Color: "#4d4d4d", Weight: 3.5, Fields: []webmap.Field{
		{Key: "hub", Label: "hub"}, {Key: "plant", Label: "plant"}, {Key: "legs", Label: "legs this week"}, {Key: "t", Label: "shipped", Unit: "t"},
		{Key: "km", Label: "one way", Unit: "km"}, {Key: "cost_cny", Label: "cost", Unit: "CNY"}, {Key: "co2_kg", Label: "CO2", Unit: "kg"}}}},
	{"outlets", webmap.Layer{Name: "Existing outlets", Visible: true, Color: "#1f77b4", Radius: 3, CategoryBy: "type", Categories: OutletTypes, MinZoom: outletsZoom,
		Cluster: &webmap.Cluster{Sum: "catchment_t_per_year", Unit: "t/yr"}, Fields: outletFields}},
	{"new_sites", webmap.Layer{Name: "New sites", Visible: true, Color: "#2ca02c", Radius: 6, CategoryBy: "type",
		Categories: []webmap.Category{{Value: domain.OutletCollection, Label: "new collection outlet", Color: "#31a354"}, {Value: domain.OutletCentral, Label: "new central storage", Color: "#006d2c"}},
		Fields:     outletFields}},
	{"hubs", webmap.Layer{Name: "Consolidation hubs", Visible: true, Color: "#ff7f00", Radius: 7, Fields: []webmap.Field{
		{Key: "name", Label: "name"}, {Key: "id", Label: "id"}, {Key: "storage_kg", Label: "storage limit", Unit: "kg"},
		{Key: "own_t_per_week", Label: "own catchment", Unit: "t/week"}, {Key: "outlets", Label: "outlets emptied"},
		{Key: "legs", Label: "line-haul legs"}, {Key: "shipped_t", Label: "shipped", Unit: "t"}}}},
	{"plants", webmap.Layer{Name: "Plants (intake used)", Visible: true, Color: "#000000", Radius: 7, ColorBy: "intake_used_share", Breaks: intakeBreaks,
		Legend: "Plants: share of weekly intake used", Fields: []webmap.Field{
			{Key: "name", Label: "name"}, {Key: "id", Label: "id"}, {Key: "province", Label: "province"},
			{Key: "intake_limit_t_per_week", Label: "intake limit", Unit: "t/week"}, {Key: "planned_t_this_week", Label: "delivered this week", Unit: "t"},
			{Key: "intake_used_share", Label: "intake used", Percent: true}, {Key: "outlets", Label: "outlets emptied"}, {Key: "truck_days", Label: "truck-days"},
			{Key: "trips", Label: "trips"}, {Key: "km", Label: "driven", Unit: "km"}}}},
	{"capacity", webmap.Layer{Name: "Plant capacity and investments", Visible: true, Color: "#d95f02", Radius: 8, CategoryBy: "kind",
		Categories: []webmap.Category{{Value: "listed", Label: "listed plant", Color: "#d95f02"}, {Value: "new_plant", Label: "proposed new plant", Color: "#e7298a"}},
		Fields: []webmap.Field{
			{Key: "name", Label: "name"}, {Key: "id", Label: "id"}, {Key: "province", Label: "province"}, {Key: "kind", Label: "kind"},
			{Key: "listed_t_per_week", Label: "listed intake", Unit: "t/week"}, {Key: "used_t_per_week", Label: "used in the year's model", Unit: "t/week"},
			{Key: "used_share", Label: "used", Percent: true}, {Key: "binding", Label: "binding"}, {Key: "short_t_per_week", Label: "short", Unit: "t/week"},
			{Key: "investment", Label: "investment"}, {Key: "modules_t_per_year", Label: "modules", Unit: "t/yr"},
			{Key: "added_t_per_week", Label: "added", Unit: "t/week"}, {Key: "unlocked_t_per_week", Label: "unlocked", Unit: "t/week"},
			{Key: "cost_cny_per_t", Label: "cost", Unit: "CNY/t"}}}},
	{"unserved", webmap.Layer{Name: "Outlets not served (by reason)", Visible: true, Color: "#7b3294", Radius: 4, CategoryBy: "reason", Categories: Reasons,
		Filter: true, Cluster: &webmap.Cluster{Sum: "week_t", Unit: "t"}, Fields: []webmap.Field{
			{Key: "id", Label: "outlet"}, {Key: "name", Label: "name"}, {Key: "province", Label: "province"}, {Key: "reason", Label: "reason"},
			{Key: "detail", Label: "what blocks it"}, {Key: "week_t", Label: "waiting this week", Unit: "t"}, {Key: "plant", Label: "plant"}}}},
	{"uncovered", webmap.Layer{Name: "Heaviest cells beyond reach", Visible: true, Color: "#252525", Radius: 5, Fields: []webmap.Field{
		{Key: "id", Label: "H3 cell"}, {Key: "tonnes", Label: "retiring", Unit: "t/yr"}, {Key: "nearest_km", Label: "to the nearest outlet", Unit: "km by road"}}}},
}

// MapData is what the plan's map shows, by kind name.
type MapData struct {
	Title string
	Notes []string
	// Boundaries are the province outlines drawn in grey underneath.
	Boundaries []byte
	Panel      *webmap.Panel
	// Layers holds each kind's GeoJSON FeatureCollection; Levels the kinds
	// drawn with levels of detail. A kind has one or the other.
	Layers map[string][]byte
	Levels map[string][]webmap.Level
}

// Map turns d into the page: the kinds of Kinds that have data, in order,
// then any other kind in name order with a plain style (points clustered
// when there are more than 500), so that new data is never left off the
// map. A ColorBy property no feature carries (plants without a planned
// week) falls back to the kind's plain colour. (webmap.Write keeps only the
// properties a layer's legend and popups show.)
func Map(d *MapData) (*webmap.Map, error) {
	m := &webmap.Map{Title: d.Title, Notes: d.Notes, Base: d.Boundaries, BaseName: "Provinces", Panel: d.Panel, Decimals: 5}
	known := map[string]bool{}
	var kinds []Kind
	for _, k := range Kinds {
		known[k.Name] = true
		kinds = append(kinds, k)
	}
	var extra []string
	for name := range d.Layers {
		if !known[name] {
			extra = append(extra, name)
		}
	}
	for name := range d.Levels {
		if !known[name] && d.Layers[name] == nil {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		kinds = append(kinds, Kind{Name: name, Layer: webmap.Layer{Name: name, Visible: true}})
	}
	for _, k := range kinds {
		l := k.Layer
		l.Features, l.Levels = d.Layers[k.Name], d.Levels[k.Name]
		if len(l.Features) == 0 && len(l.Levels) == 0 {
			continue
		}
		if !known[k.Name] && len(l.Features) > 0 && points(l.Features) > 500 {
			l.Cluster = &webmap.Cluster{}
		}
		if l.ColorBy != "" && !anyNumber(l, l.ColorBy) {
			l.ColorBy, l.Breaks, l.Legend = "", nil, ""
		}
		m.Layers = append(m.Layers, l)
	}
	return m, nil
}

// anyNumber reports whether some feature of l (any level) has a numeric
// property key.
func anyNumber(l webmap.Layer, key string) bool {
	fcs := [][]byte{l.Features}
	for _, lv := range l.Levels {
		fcs = append(fcs, lv.Features)
	}
	for _, b := range fcs {
		var fc struct {
			Features []struct {
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		if json.Unmarshal(b, &fc) != nil {
			continue
		}
		for _, f := range fc.Features {
			if _, ok := f.Properties[key].(float64); ok {
				return true
			}
		}
	}
	return false
}

// points counts the Point features of a collection.
func points(b []byte) int {
	var fc struct {
		Features []struct {
			Geometry *struct {
				Type string `json:"type"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if json.Unmarshal(b, &fc) != nil {
		return 0
	}
	n := 0
	for _, f := range fc.Features {
		if f.Geometry != nil && f.Geometry.Type == "Point" {
			n++
		}
	}
	return n
}
