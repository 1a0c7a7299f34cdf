package webmap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rlplan/rlplan/geo/webmap/webmaptest"
)

// scaleProp multiplies a numeric property of every feature by f, so that a
// coarse level carries the larger values an aggregation would.
func scaleProp(t testing.TB, fc []byte, key string, f float64) []byte {
	t.Helper()
	var c map[string]any
	if err := json.Unmarshal(fc, &c); err != nil {
		t.Fatal(err)
	}
	for _, ft := range c["features"].([]any) {
		p := ft.(map[string]any)["properties"].(map[string]any)
		p[key] = p[key].(float64) * f
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// boxes returns n side-by-side squares with a share property.
func boxes(n int, lon0, lat0 float64, shares []float64) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		x := lon0 + float64(i)*0.8
		fmt.Fprintf(&b, `{"type":"Feature","properties":{"name":"区 %d","share":%g},"geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}`,
			i, shares[i%len(shares)], x, lat0, x+0.8, lat0, x+0.8, lat0+2, x, lat0+2, x, lat0)
	}
	b.WriteString("]}")
	return b.Bytes()
}

var (
	reasons       = []string{"plant_intake", "fleet_size", "no_plant_in_reach"}
	reasonColours = []Category{{Value: "plant_intake", Label: "plant intake full", Color: "#e41a1c"}, {Value: "fleet_size", Color: "#377eb8"}, {Value: "no_plant_in_reach", Color: "#984ea3"}}
)

// storyMap exercises every feature of the page: a theme with three levels
// of detail, a second theme with fixed breaks, clustered and filterable
// categories, a layer with a zoom range, the KPI panel and CJK text.
func storyMap(t testing.TB) *Map {
	const r = 0.011
	return &Map{
		Title: "广东 story map",
		Base:  []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"box"},"geometry":{"type":"Polygon","coordinates":[[[111,21],[116,21],[116,26],[111,26],[111,21]]]}}]}`),
		Layers: []Layer{
			{Name: "Retirements", Theme: true, Visible: true, ColorBy: "tonnes", Levels: []Level{
				{MinZoom: 0, Label: "coarse", Features: scaleProp(t, hexGrid(50, 112.9, 22.6, r*math.Sqrt(40)), "tonnes", 40)},
				{MinZoom: 7, Label: "medium", Features: scaleProp(t, hexGrid(300, 112.9, 22.6, r*math.Sqrt(2000.0/300)), "tonnes", 7)},
				{MinZoom: 9, Label: "fine", Features: hexLayer(2000, 112.9, 22.6)},
			}, Fields: []Field{{Key: "cell", Label: "cell"}, {Key: "tonnes", Label: "retiring", Unit: "t/yr"}}},
			{Name: "Provinces: share", Theme: true, ColorBy: "share", Palette: RdYlGn, Breaks: []float64{0.5, 0.8, 0.95},
				Features: boxes(3, 112.4, 22.5, []float64{0.4, 0.953, 0.99}), Fields: []Field{{Key: "name", Label: "province"}, {Key: "share", Label: "covered", Percent: true}}},
			{Name: "Outlets", Visible: true, Color: "#1f77b4", CategoryBy: "kind", Radius: 3,
				Categories: []Category{{Value: "collection", Color: "#6baed6"}, {Value: "central", Color: "#08519c"}},
				Cluster:    &Cluster{Sum: "week_t", Unit: "t"}, Features: scatter(600, 112.6, 22.4, 2, 2, []string{"collection", "central"}),
				Fields: []Field{{Key: "id", Label: "outlet"}, {Key: "week_t", Label: "due this week", Unit: "t"}}},
			{Name: "Unserved", Visible: true, Color: "#7b3294", CategoryBy: "kind", Categories: reasonColours, Filter: true,
				Cluster: &Cluster{Sum: "week_t", Unit: "t"}, Features: scatter(300, 112.7, 22.5, 1.8, 1.8, reasons)},
			{Name: "Hubs", Visible: true, Color: "#000", Radius: 6, MinZoom: 8, Features: scatter(5, 113, 23, 1, 1, []string{"hub"})},
		},
		Panel: &Panel{Title: "Week 2030-W10", Rows: []PanelRow{{Label: "due", Value: "3,710 t"}, {Label: "collected", Value: "1,104 t", Note: "29.8 %"}}},
		Notes: []string{"Synthetic data for the tests."},
	}
}

func TestStoryConfig(t *testing.T) {
	m := storyMap(t)
	page := write(t, m)
	got := scripts(t, page)
	var cfg pageConfig
	if err := json.Unmarshal(got["rlplan-config"], &cfg); err != nil {
		t.Fatal(err)
	}
	// config, base, 3 + 1 + 1 + 1 + 1 level elements.
	if len(got) != 9 {
		t.Errorf("%d JSON elements %v, want 9", len(got), keys(got))
	}
	ret := cfg.Layers[0]
	if len(ret.Levels) != 3 || ret.Features != 2000 || ret.Levels[0].Features != 50 || ret.Levels[1].MinZoom != 7 || ret.Levels[2].Label != "fine" {
		t.Fatalf("levels %+v, want 3 (50, 300, 2000 features from zoom 0, 7, 9)", ret.Levels)
	}
	// Classes per level: the coarse level's values are 40 times larger,
	// and so are its breaks.
	for k, b := range ret.Levels[2].Breaks {
		if c := ret.Levels[0].Breaks[k]; c < 20*b {
			t.Errorf("coarse break %d = %g, fine %g: classes not recomputed per level", k, c, b)
		}
	}
	sh := cfg.Layers[1]
	if !reflect.DeepEqual(sh.Levels[0].Breaks, []float64{0.5, 0.8, 0.95}) || !reflect.DeepEqual(sh.Levels[0].Colors, []string{"#d7191c", "#fdae61", "#a6d96a", "#1a9641"}) || sh.Scale != "" {
		t.Errorf("fixed breaks: %v %v scale %q, want the given breaks, 4 RdYlGn colours and no scale", sh.Levels[0].Breaks, sh.Levels[0].Colors, sh.Scale)
	}
	un := cfg.Layers[3]
	wantCats := []categoryConfig{{"plant_intake", "plant intake full", "#e41a1c", 100}, {"fleet_size", "fleet_size", "#377eb8", 100}, {"no_plant_in_reach", "no_plant_in_reach", "#984ea3", 100}}
	if !reflect.DeepEqual(un.Categories, wantCats) || !un.Filter || un.Cluster == nil || un.Cluster.MaxZoom != 13 || un.Cluster.Sum != "week_t" {
		t.Errorf("unserved config %+v %+v, want 3 categories of 100, filter, cluster summing week_t up to zoom 13", un.Categories, un.Cluster)
	}
	if cfg.Panel == nil || len(cfg.Panel.Rows) != 2 || cfg.Panel.Rows[1].Note != "29.8 %" {
		t.Errorf("panel %+v", cfg.Panel)
	}
	if cfg.Glyphs != "广东区" {
		t.Errorf("glyph sample %q, want the CJK characters of the title and data, 广东区", cfg.Glyphs)
	}
	if !bytes.Contains(page, []byte("L.MarkerClusterGroup=")) || !bytes.Contains(page, []byte(".leaflet-cluster-anim")) {
		t.Errorf("Leaflet.markercluster is not inlined into a page with clustered layers")
	}
	if plain := write(t, testMap(nil)); bytes.Contains(plain, []byte("MarkerClusterGroup")) {
		t.Errorf("Leaflet.markercluster inlined into a page without clustered layers")
	}
}

func TestWriteRejectsStory(t *testing.T) {
	ok := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"t":1,"s":"x"},"geometry":{"type":"Point","coordinates":[1,2]}}]}`)
	lv := func(z ...float64) []Level {
		var out []Level
		for _, x := range z {
			out = append(out, Level{MinZoom: x, Features: ok})
		}
		return out
	}
	cat := []Category{{Value: "x", Color: "#f00"}}
	cases := []struct {
		name string
		l    []Layer
		want string
	}{
		{"levels out of order", []Layer{{Name: "a", Levels: lv(0, 6, 5)}}, "level 2: MinZoom 5: want 0..24, above the previous level's"},
		{"both data", []Layer{{Name: "a", Features: ok, Levels: lv(0)}}, "both Features and Levels set"},
		{"level data", []Layer{{Name: "a", Levels: []Level{{Features: []byte(`{}`)}}}}, `level 0: GeoJSON type ""`},
		{"level colorBy", []Layer{{Name: "a", ColorBy: "t", Levels: []Level{{Features: ok}, {MinZoom: 3, Features: []byte(`{"type":"FeatureCollection","features":[]}`)}}}}, `level 1: ColorBy "t": no feature of 0`},
		{"two themes", []Layer{{Name: "a", Theme: true, Visible: true, Features: ok}, {Name: "b", Theme: true, Visible: true, Features: ok}}, `layer "b": a second visible theme`},
		{"colour and category", []Layer{{Name: "a", ColorBy: "t", CategoryBy: "s", Categories: cat, Features: ok}}, "coloured by one of them"},
		{"category colour", []Layer{{Name: "a", CategoryBy: "s", Categories: []Category{{Value: "x", Color: "url(x)"}}, Features: ok}}, `value "x": Color "url(x)"`},
		{"category twice", []Layer{{Name: "a", CategoryBy: "s", Categories: append(cat, cat...), Features: ok}}, `value "x" listed twice`},
		{"no categories", []Layer{{Name: "a", CategoryBy: "s", Features: ok}}, `CategoryBy "s" without Categories`},
		{"filter alone", []Layer{{Name: "a", Filter: true, Features: ok}}, "Categories or Filter without CategoryBy"},
		{"zoom range", []Layer{{Name: "a", MinZoom: 8, MaxZoom: 6, Features: ok}}, "zoom range [8, 6)"},
		{"palette", []Layer{{Name: "a", ColorBy: "t", Palette: "Jet", Features: ok}}, `Palette "Jet"`},
		{"breaks", []Layer{{Name: "a", ColorBy: "t", Breaks: []float64{0.5, 0.5}, Features: ok}}, "strictly increasing"},
		{"opacity", []Layer{{Name: "a", Opacity: 2, Features: ok}}, "Opacity 2"},
		{"field", []Layer{{Name: "a", Fields: []Field{{Label: "x"}}, Features: ok}}, "Fields: empty Key"},
		{"cluster zoom", []Layer{{Name: "a", Cluster: &Cluster{MaxZoom: 30}, Features: ok}}, "Cluster.MaxZoom 30"},
		{"layer decimals", []Layer{{Name: "a", Decimals: 9, Features: ok}}, "Decimals 9"},
	}
	for _, c := range cases {
		var b bytes.Buffer
		err := Write(&b, &Map{Layers: c.l})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
		if b.Len() != 0 {
			t.Errorf("%s: %d bytes written before the error; want none", c.name, b.Len())
		}
	}
}

// Slim keeps what the page colours, filters and sums by, on every level.
func TestSlimLevels(t *testing.T) {
	fc := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1,"b":"x","c":2,"d":3,"e":4},"geometry":{"type":"Point","coordinates":[1.123456789,2]}}]}`)
	l, err := Slim(Layer{Name: "x", CategoryBy: "b", Cluster: &Cluster{Sum: "c"}, Fields: []Field{{Key: "a"}}, Levels: []Level{{Features: fc}, {MinZoom: 5, Features: fc}}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1,"b":"x","c":2},"geometry":{"type":"Point","coordinates":[1.123,2]}}]}`
	if len(l.Features) != 0 || len(l.Levels) != 2 || string(l.Levels[1].Features) != want {
		t.Errorf("Slim levels: features %q, level 1 %s; want no features and %s", l.Features, l.Levels[1].Features, want)
	}
}

// haveCJKFont asks fontconfig whether a Chinese font is installed; ok is
// false when fc-list is missing.
func haveCJKFont() (have, ok bool) {
	out, err := exec.Command("fc-list", ":lang=zh").Output()
	if err != nil {
		return false, false
	}
	return len(bytes.TrimSpace(out)) > 0, true
}

// TestStoryInBrowser drives the story map in headless Chromium: levels by
// zoom, a zoom range, clusters that add up, the category filter, the theme
// radio buttons, the KPI panel, popups with labels and units, and the CJK
// glyph check.
func TestStoryInBrowser(t *testing.T) {
	bin := webmaptest.Chrome(t)
	dir := t.TempDir()
	page := writePage(t, dir, "story.html", storyMap(t))
	br := webmaptest.Start(t, bin, dir, 60*time.Second)
	if err := br.Open(page, 30*time.Second); err != nil {
		t.Fatalf("open: %v", err)
	}
	// Centre on the data, then three zooms: coarse, medium, fine.
	if err := br.Eval(`window.rlplanMap.setView([23.2, 113.6], 5, {animate: false}); true`, new(bool)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		zoom         float64
		level, cells int
		hubs         int
	}{{5, 0, 50, 0}, {7.25, 1, 300, 0}, {9.5, 2, 2000, 5}} {
		v := br.View(t, c.zoom)
		if v.Levels["Retirements"] != c.level || v.Stats["Retirements"] != c.cells || v.Stats["Hubs"] != c.hubs {
			t.Errorf("zoom %g: level %d, %d cells, %d hubs drawn; want level %d, %d cells, %d hubs", c.zoom, v.Levels["Retirements"], v.Stats["Retirements"], v.Stats["Hubs"], c.level, c.cells, c.hubs)
		}
		if c.zoom == 5 && !contains(v.Notes, "zoom in to see it (from zoom 8)") {
			t.Errorf("zoom 5: legend notes %q, want the hubs' \"zoom in to see it (from zoom 8)\"", v.Notes)
		}
		if c.zoom == 5 && !contains(v.Notes, "coarse") {
			t.Errorf("zoom 5: legend notes %q lack the level label \"coarse\"", v.Notes)
		}
	}
	// Zoomed out, clusters stand for every point.
	v := br.View(t, 6)
	for name, n := range map[string]int{"Outlets": 600, "Unserved": 300} {
		c := v.Clusters[name]
		if c.Icons == 0 || c.Icons >= n || c.Points+c.Singles != n || v.Stats[name] != n {
			t.Errorf("zoom 6, %s: %d cluster icons for %d points + %d single markers, %d drawn; want a few icons standing for all %d", name, c.Icons, c.Points, c.Singles, v.Stats[name], n)
		}
	}
	// Filter: untick one reason; the clusters lose its 100 points.
	var after webmaptest.View
	if err := br.Eval(`document.querySelector('.rlplan-filter[data-value="fleet_size"]').click(); `+webmaptest.ViewJS(), &after); err != nil {
		t.Fatal(err)
	}
	if c := after.Clusters["Unserved"]; after.Stats["Unserved"] != 200 || c.Points+c.Singles != 200 {
		t.Errorf("after hiding fleet_size: %d drawn, clusters hold %d; want 200", after.Stats["Unserved"], c.Points+c.Singles)
	}
	// Themes are exclusive: choosing the share theme takes the hexagons off.
	var themed webmaptest.View
	if err := br.Eval(`(function () {
		var l = Array.from(document.querySelectorAll('.leaflet-control-layers-base label')).find(function (e) { return e.textContent.trim() === 'Provinces: share'; });
		l.querySelector('input').click();
		return `+webmaptest.ViewJS()+`; })()`, &themed); err != nil {
		t.Fatal(err)
	}
	if themed.Stats["Retirements"] != 0 || themed.Stats["Provinces: share"] != 3 || contains(themed.Legend, "Retirements (tonnes)") || !contains(themed.Legend, "Provinces: share (share)") {
		t.Errorf("after choosing the share theme: stats %v, legend %q", themed.Stats, themed.Legend)
	}
	var popup, panel string
	if err := br.Eval(`(function () {
		var hit = null;
		window.rlplanMap.eachLayer(function (l) { if (!hit && l.feature && l.feature.properties.share === 0.953) hit = l; });
		hit.openPopup();
		return document.querySelector('.leaflet-popup-content').textContent;
	})()`, &popup); err != nil {
		t.Fatal(err)
	}
	if popup != "Provinces: shareprovince区 1covered95.3 %" {
		t.Errorf("popup %q, want the labelled rows with the share as a percentage", popup)
	}
	if err := br.Eval(`document.querySelector('.rlplan-panel').textContent`, &panel); err != nil {
		t.Fatal(err)
	}
	if panel != "Week 2030-W10\u2212due3,710 tcollected1,104 t29.8 %" {
		t.Errorf("panel text %q", panel)
	}
	var glyphs struct{ Latin, PUA, Han, Note bool }
	if err := br.Eval(`({latin: rlplanGlyphsMissing('A'), pua: rlplanGlyphsMissing('\uE001'), han: rlplanGlyphsMissing('广东'), note: !!document.getElementById('rlplan-glyph-note')})`, &glyphs); err != nil {
		t.Fatal(err)
	}
	if glyphs.Latin || !glyphs.PUA {
		t.Errorf("glyph check: 'A' missing %v, U+E001 missing %v; want false, true", glyphs.Latin, glyphs.PUA)
	}
	if have, ok := haveCJKFont(); ok && (glyphs.Han == have || glyphs.Note == have) {
		t.Errorf("fontconfig has a Chinese font: %v; page says 广东 missing %v, shows the note %v", have, glyphs.Han, glyphs.Note)
	}
	// The page's unpack and the Go mirror read every element alike: the
	// story's data, then a page of every geometry type.
	sameUnpack := func(page []byte) {
		for id, raw := range scripts(t, page) {
			if id == "rlplan-config" {
				continue
			}
			var inPage any
			if err := br.Eval(fmt.Sprintf(`window.rlplanUnpack(%q)`, id), &inPage); err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(inPage)
			if got, want := decode(t, "page "+id, b), unpackGo(t, raw); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: the page unpacks other features than the Go mirror:\n page %.300s", id, b)
			}
		}
	}
	sameUnpack(write(t, storyMap(t)))
	all := &Map{Layers: []Layer{{Name: "all", Features: allGeometries, Visible: true}}}
	if err := br.Open(writePage(t, dir, "all.html", all), 20*time.Second); err != nil {
		t.Fatal(err)
	}
	sameUnpack(write(t, all))
	br.Check(t)
}

// TestNationalZoomsInBrowser loads a national-sized page (29,000 cells at
// full resolution with two coarser levels, 10,000 clustered outlets, 3,000
// clustered unserved outlets over the provinces) and counts what is drawn
// at three zooms: fewer, aggregated cells zoomed out, every cell zoomed in,
// with no console error. The time until drawn is logged, not asserted.
func TestNationalZoomsInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a national-sized page in Chromium")
	}
	bin := webmaptest.Chrome(t)
	const r, n = 0.011, 29000
	m := &Map{
		Title: "national zoom check",
		Base:  provinces(t),
		Layers: []Layer{
			{Name: "Retirements", Theme: true, Visible: true, ColorBy: "tonnes", Decimals: 4, Levels: []Level{
				{MinZoom: 0, Label: "res 5", Features: hexGrid(n/49, 110, 26, r*7)},
				{MinZoom: 6.25, Label: "res 6", Features: hexGrid(n/7, 110, 26, r*math.Sqrt(7))},
				{MinZoom: 9, Label: "res 7", Features: hexGrid(n, 110, 26, r)},
			}},
			{Name: "Outlets", Visible: true, CategoryBy: "kind", Categories: []Category{{Value: "collection", Color: "#6baed6"}, {Value: "central", Color: "#08519c"}},
				Cluster: &Cluster{Sum: "week_t", Unit: "t"}, Features: scatter(10000, 100, 20, 22, 20, []string{"collection", "central"})},
			{Name: "Unserved", Visible: true, CategoryBy: "kind", Categories: reasonColours, Filter: true,
				Cluster: &Cluster{Sum: "week_t", Unit: "t"}, Features: scatter(3000, 102, 22, 20, 18, reasons)},
		},
	}
	dir := t.TempDir()
	page := writePage(t, dir, "national.html", m)
	br, ready, _, _ := loadTimed(t, bin, dir, page)
	if err := br.Eval(`window.rlplanMap.setView([29, 112], 4.5, {animate: false}); true`, new(bool)); err != nil {
		t.Fatal(err)
	}
	var drawn []int
	for _, c := range []struct {
		zoom  float64
		level int
		cells int
	}{{4.5, 0, n / 49}, {7, 1, n / 7}, {9.5, 2, n}} {
		v := br.View(t, c.zoom)
		drawn = append(drawn, v.Stats["Retirements"])
		if v.Levels["Retirements"] != c.level || v.Stats["Retirements"] != c.cells {
			t.Errorf("zoom %g: level %d with %d cells drawn; want level %d with %d", c.zoom, v.Levels["Retirements"], v.Stats["Retirements"], c.level, c.cells)
		}
		if c.zoom == 4.5 {
			for name, want := range map[string]int{"Outlets": 10000, "Unserved": 3000} {
				cl := v.Clusters[name]
				if cl.Icons == 0 || cl.Icons > want/10 || cl.Points+cl.Singles != want {
					t.Errorf("zoom 4.5, %s: %d cluster icons standing for %d points and %d single markers; want a few icons for all %d", name, cl.Icons, cl.Points, cl.Singles, want)
				}
			}
		}
	}
	t.Logf("national-sized page drawn %v after navigation; cells drawn at zooms 4.5, 7, 9.5: %v", ready.Round(time.Millisecond), drawn)
	br.Check(t)
}

// Levels with the same data (a province layer under several themes) share
// one element of the page.
func TestSharedLevelData(t *testing.T) {
	fc := hexLayer(10, 113, 23)
	page := write(t, &Map{Layers: []Layer{
		{Name: "a", Theme: true, Visible: true, ColorBy: "tonnes", Features: fc},
		{Name: "b", Theme: true, ColorBy: "packs", Levels: []Level{{Features: fc}, {MinZoom: 6, Features: hexLayer(20, 113, 23)}}},
	}})
	got := scripts(t, page)
	var cfg pageConfig
	if err := json.Unmarshal(got["rlplan-config"], &cfg); err != nil {
		t.Fatal(err)
	}
	a, b := cfg.Layers[0].Levels, cfg.Layers[1].Levels
	if len(got) != 3 || a[0].Data != "rlplan-layer-0-0" || b[0].Data != a[0].Data || b[1].Data != "rlplan-layer-1-1" {
		t.Errorf("elements %v; data ids %q %q %q; want 3 elements, b's first level reading a's", keys(got), a[0].Data, b[0].Data, b[1].Data)
	}
	if len(b[0].Breaks) == 0 || reflect.DeepEqual(a[0].Breaks, b[0].Breaks) {
		t.Errorf("shared data, own classes: breaks %v and %v, want each layer's own (tonnes vs packs)", a[0].Breaks, b[0].Breaks)
	}
}
