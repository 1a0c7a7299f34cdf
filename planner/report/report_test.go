package report

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/geo/webmap"
)

// LevelZoom by hand: resolution 7 has an average edge of 1.4065 km, so a
// hexagon is √3 × 1.4065 = 2.436 km wide; at 23° N a pixel at zoom z spans
// 156,543 × cos 23° / 2^z m, and 6 pixels span 2.436 km at
// z = log2(156,543 × 0.9205 × 6 / 2,436) = log2(354.9) = 8.47 -> 8.5.
// Resolution 4 (edge 26.07 km, 45.16 km wide): log2(19.15) = 4.26 -> 4.25.
// At 60° N (cos 0.5) resolution 7: log2(192.8) = 7.59 -> 7.5.
func TestLevelZoom(t *testing.T) {
	for _, c := range []struct {
		res  int
		lat  float64
		want float64
	}{{7, 23, 8.5}, {4, 23, 4.25}, {6, 23, 7}, {7, 60, 7.5}} {
		got, err := LevelZoom(c.res, c.lat)
		if err != nil || got != c.want {
			t.Errorf("LevelZoom(%d, %g) = %g, %v; want %g", c.res, c.lat, got, err, c.want)
		}
	}
	if _, err := LevelZoom(16, 0); err == nil {
		t.Errorf("LevelZoom(16): no error for a resolution H3 does not have")
	}
}

type feature struct {
	Properties map[string]any `json:"properties"`
	Geometry   struct {
		Type string `json:"type"`
	} `json:"geometry"`
}

func features(t *testing.T, b []byte) []feature {
	t.Helper()
	var fc struct{ Features []feature }
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	return fc.Features
}

// Four res-7 cells: three under one res-5 parent, one far away.
// Parent sums by hand: tonnes 1 + 2 + 4 = 7; within reach 1 + 2 = 3 of 7
// (0.4286); mean km weighted by tonnes over cells with an outlet
// (5 × 1 + 10 × 2) / 3 = 8.33 -> 8.3; province CN-GX (4 t) over CN-GD (3 t).
func TestDensityLevels(t *testing.T) {
	c0, err := geo.Cell(orb.Point{113.26, 23.13}, 7)
	if err != nil {
		t.Fatal(err)
	}
	p5, _ := c0.Parent(5)
	kids, err := p5.Children(7)
	if err != nil {
		t.Fatal(err)
	}
	far, _ := geo.Cell(orb.Point{116.4, 39.9}, 7)
	cells := []Cell{
		{Cell: kids[0], Province: "CN-GD", Tonnes: 1, Packs: 3, Km: 5, Covered: true},
		{Cell: kids[1], Province: "CN-GD", Tonnes: 2, Packs: 6, Km: 10, Covered: true},
		{Cell: kids[2], Province: "CN-GX", Tonnes: 4, Packs: 12, Km: math.NaN()},
		{Cell: far, Province: "CN-BJ", Tonnes: 0.0012345, Packs: 0, Km: 40},
	}
	levels, err := DensityLevels(cells, 7, 4, 23)
	if err != nil {
		t.Fatal(err)
	}
	if len(levels) != 4 {
		t.Fatalf("%d levels, want 4 (resolutions 4 to 7)", len(levels))
	}
	// Zooms: res 4 (4.25) and res 5 (5.75) are clamped to OverviewZoom 5
	// and stay increasing; res 6 at 7, res 7 at 8.5.
	var zooms []float64
	for _, l := range levels {
		zooms = append(zooms, l.MinZoom)
	}
	if !reflect.DeepEqual(zooms, []float64{5, 5.75, 7, 8.5}) {
		t.Errorf("level zooms %v, want [5 5.75 7 8.5]", zooms)
	}
	if !strings.Contains(levels[1].Label, "resolution 5") || !strings.Contains(levels[1].Label, "250 km²") {
		t.Errorf("level label %q, want resolution 5 and about 250 km²", levels[1].Label)
	}
	fs := features(t, levels[1].Features)
	if len(fs) != 2 {
		t.Fatalf("resolution 5: %d parents, want 2", len(fs))
	}
	var p map[string]any
	for _, f := range fs {
		if f.Properties["h3"] == p5.String() {
			p = f.Properties
		}
	}
	want := map[string]any{"h3": p5.String(), "province": "CN-GX", "cells": 3.0, "tonnes": 7.0, "packs": 21.0, "covered_share": 0.4286, "mean_km": 8.3}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("parent %v, want %v", p, want)
	}
	full := features(t, levels[3].Features)
	if len(full) != 4 || full[3].Properties["tonnes"] != 0.00123 || full[2].Properties["nearest_km"] != nil || full[0].Properties["covered_share"] != 1.0 {
		t.Errorf("full resolution: %v; want every cell, tonnes to 3 significant digits, no distance without an outlet", full)
	}
	if _, err := DensityLevels([]Cell{{Cell: p5}}, 7, 4, 23); err == nil {
		t.Errorf("a res-5 cell among res-7 cells: no error")
	}
}

func TestCatchmentLayer(t *testing.T) {
	a := orb.Point{113.26, 23.13}
	b := orb.Point{116.4, 39.9}
	fc, err := CatchmentLayer([]Pickup{{a, "P2", 100}, {a, "P1", 100}, {b, "P2", 50}, {b, "P1", 20}},
		[]PlantWeek{{ID: "P1", Name: "一", IntakeT: 100, PlannedT: 95}, {ID: "P2", IntakeT: 0, PlannedT: 1}, {ID: "P3"}})
	if err != nil {
		t.Fatal(err)
	}
	// The tie at a goes to the smaller id P1; b to P2 (50 kg over 20);
	// P3 has no pickup and no feature; P2 has no intake and no share.
	if len(fc.Features) != 2 {
		t.Fatalf("%d catchments, want 2", len(fc.Features))
	}
	p1, p2 := fc.Features[0].Properties, fc.Features[1].Properties
	if p1["plant"] != "P1" || p1["cells"] != 1 || p1["intake_used_share"] != 0.95 || p1["name"] != "一" {
		t.Errorf("P1 catchment %v, want 1 cell and 95 %% of intake used", p1)
	}
	if p2["plant"] != "P2" || p2["cells"] != 1 || p2["intake_used_share"] != nil {
		t.Errorf("P2 catchment %v, want 1 cell and no share", p2)
	}
	cb, _ := geo.Cell(b, CatchmentRes)
	poly, _ := geo.CellPolygon(cb)
	if mp, ok := fc.Features[1].Geometry.(orb.MultiPolygon); !ok || len(mp) != 1 || math.Abs(geoArea(mp[0])-geoArea(poly)) > 1e-9 {
		t.Errorf("P2 catchment geometry %T, want the one res-%d cell around b", fc.Features[1].Geometry, CatchmentRes)
	}
}

// geoArea is the planar area of a polygon's outer ring in square degrees.
func geoArea(p orb.Polygon) float64 {
	r := p[0]
	s := 0.0
	for i := range r {
		j := (i + 1) % len(r)
		s += r[i][0]*r[j][1] - r[j][0]*r[i][1]
	}
	return math.Abs(s) / 2
}

func TestProvinceLayer(t *testing.T) {
	bounds := []byte(`{"type":"FeatureCollection","features":[
	 {"type":"Feature","properties":{"iso_3166_2":"CN-GD","name":"Guangdong"},"geometry":{"type":"Polygon","coordinates":[[[110,20],[117,20],[117,25],[110,25],[110,20]]]}},
	 {"type":"Feature","properties":{"iso_3166_2":"CN-GX","name":"Guangxi"},"geometry":{"type":"Polygon","coordinates":[[[104,21],[110,21],[110,26],[104,26],[104,21]]]}}]}`)
	fc, err := ProvinceLayer(bounds, []Province{{Code: "CN-GD", Name: "Guangdong", Tonnes: 193138.04, CoveredBefore: 0.97521, CoveredAfter: 0.99587,
		Week: true, DueT: 3710.3, CollectedT: 1104.4, UnservedOutlets: 396}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 1 {
		t.Fatalf("%d provinces, want only the one with figures", len(fc.Features))
	}
	p := fc.Features[0].Properties
	if p["province"] != "CN-GD" || p["tonnes"] != 193138.0 || p["covered_share"] != 0.9959 || p["covered_before"] != 0.9752 ||
		p["collected_share"] != 0.2977 || p["unserved_outlets"] != 396 {
		t.Errorf("properties %v", p)
	}
	if _, err := ProvinceLayer(bounds, []Province{{Code: "CN-XZ"}}); err == nil || !strings.Contains(err.Error(), "CN-XZ has figures but no boundary") {
		t.Errorf("a province without boundary: error %v", err)
	}
}

func fcOf(features ...string) []byte {
	return []byte(`{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`)
}

func pt(lon, lat float64, props string) string {
	b, _ := json.Marshal([]float64{lon, lat})
	return `{"type":"Feature","properties":` + props + `,"geometry":{"type":"Point","coordinates":` + string(b) + `}}`
}

// Hubs and line-haul legs come from the network plan: as data under their
// kind names they are drawn with their style; a kind nobody styled yet is
// drawn plainly, clustered when it has many points.
func TestMapKinds(t *testing.T) {
	var many []string
	for i := 0; i < 600; i++ {
		many = append(many, pt(100+float64(i)/100, 30, `{"i":1}`))
	}
	d := &MapData{
		Title: "t",
		Layers: map[string][]byte{
			"linehaul": fcOf(`{"type":"Feature","properties":{"hub":"H1","plant":"P1","legs":3},"geometry":{"type":"LineString","coordinates":[[113,23],[114,24]]}}`),
			"hubs":     fcOf(pt(113, 23, `{"id":"H1"}`)),
			"plants":   fcOf(pt(114, 24, `{"id":"P1","name":"x"}`)),
			"zz_new":   fcOf(many...),
			"outlets":  fcOf(pt(113.1, 23.1, `{"id":"O1","type":"central","catchment_t_per_year":5}`)),
		},
		Levels: map[string][]webmap.Level{"retirements": {{Features: fcOf(pt(113, 23, `{"tonnes":1}`))}}},
	}
	m, err := Map(d)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range m.Layers {
		names = append(names, l.Name)
	}
	want := []string{"Retiring (t/yr)", "Line-haul legs (hub to plant)", "Existing outlets", "Consolidation hubs", "Plants (intake used)", "zz_new"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("layers %q, want %q (kinds in order, then new ones)", names, want)
	}
	last := m.Layers[len(m.Layers)-1]
	if last.Cluster == nil || !last.Visible {
		t.Errorf("a new kind with 600 points: cluster %v, visible %v; want clustered and shown", last.Cluster, last.Visible)
	}
	if pl := m.Layers[4]; pl.ColorBy != "" {
		t.Errorf("plants without intake_used_share keep ColorBy %q; want the plain colour", pl.ColorBy)
	}
	if ol := m.Layers[2]; ol.Cluster == nil || ol.CategoryBy != "type" {
		t.Errorf("outlets: cluster %v, category %q", ol.Cluster, ol.CategoryBy)
	}
	// The page takes it as is.
	var page strings.Builder
	if err := webmap.Write(&page, m); err != nil {
		t.Fatal(err)
	}
}

func TestPanel(t *testing.T) {
	p := Panel(Figures{Area: "CN-GD", Year: 2030, RadiusKm: 15, RetiringT: 193138.4, CoveredBefore: 0.97521, CoveredAfter: 0.99587, Sited: true, NewSites: 25,
		Week: "2030-W10", DueT: 3710.3, CollectedT: 1104.4, CostPerT: 184.6, CO2KgPerT: 7.48, UnservedOutlets: 396, BeyondReachTPerYear: 787.2})
	var got []string
	for _, r := range p.Rows {
		got = append(got, r.Label+": "+r.Value+" ("+r.Note+")")
	}
	want := []string{
		"Retiring: 193,138 t/yr ()", "Within 15 km: 97.5 % → 99.6 % (with 25 new sites)", "Beyond reach: 787 t/yr ()",
		"Due this week: 3,710 t (collected + waiting)", "Collected: 1,104 t (29.8 % of due)", "Cost: 185 CNY/t (collection transport)",
		"CO₂: 7.5 kg/t (collection transport)", "Outlets not served: 396 (by reason on the map)",
	}
	if p.Title != "CN-GD 2030, week 2030-W10" || !reflect.DeepEqual(got, want) {
		t.Errorf("panel %q\n%q\nwant %q", p.Title, got, want)
	}
	for x, s := range map[float64]string{0: "0", 999.5: "1,000", -1234567: "-1,234,567", 1e6: "1,000,000", -0.2: "0"} {
		if g := Thousands(x, 0); g != s {
			t.Errorf("Thousands(%g) = %q, want %q", x, g, s)
		}
	}
}
