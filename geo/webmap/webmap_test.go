package webmap

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

var jsonScript = regexp.MustCompile(`(?s)<script type="application/json" id="([^"]+)">(.*?)</script>`)

// scripts returns the JSON script elements of page by id. The non-greedy
// match is exact only because escaping keeps "</script" out of the data —
// which TestEscapesScriptClose checks independently.
func scripts(t *testing.T, page []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, m := range jsonScript.FindAllSubmatch(page, -1) {
		out[string(m[1])] = m[2]
	}
	return out
}

func decode(t *testing.T, what string, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: not valid JSON: %v\n%.200s", what, err, b)
	}
	return v
}

func write(t *testing.T, m *Map) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, m); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.Bytes()
}

func TestWriteEmbedsEveryLayer(t *testing.T) {
	base := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Box"},"geometry":{"type":"Polygon","coordinates":[[[112,22],[115,22],[115,25],[112,25],[112,22]]]}}]}`)
	m := testMap(base)
	page := write(t, m)
	s := string(page)

	if !strings.HasPrefix(s, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">") || !strings.HasSuffix(s, "</body>\n</html>\n") {
		t.Errorf("page does not start with a doctype and UTF-8 head, or does not end with </html>: %q ... %q", s[:80], s[len(s)-40:])
	}
	for _, tag := range []string{"html", "head", "body", "style", "title", "header", "footer"} {
		if o, c := strings.Count(s, "<"+tag+">")+strings.Count(s, "<"+tag+" "), strings.Count(s, "</"+tag+">"); o != c || o == 0 {
			t.Errorf("<%s> opened %d times, closed %d times; want equal and > 0", tag, o, c)
		}
	}
	// Scripts: config, base, 3 layers, Leaflet, page script.
	if o, c := strings.Count(s, "<script"), strings.Count(s, "</script>"); o != 7 || c != 7 {
		t.Errorf("<script> opened %d, closed %d; want 7 and 7", o, c)
	}
	if !strings.Contains(s, "<title>Guangdong — retired packs 2030 &lt;test&gt;</title>") {
		t.Errorf("title not HTML-escaped in <title>")
	}
	if !strings.Contains(s, "<p>Cities: World Cities Database by SimpleMaps.com (https://simplemaps.com/data/world-cities), CC BY 4.0.</p>") {
		t.Errorf("note missing from the footer")
	}
	if !strings.Contains(s, "Leaflet 1.9.4, a JS library for interactive maps") || !strings.Contains(s, "window.rlplanReady = true") {
		t.Errorf("Leaflet or the page script is not inlined")
	}

	got := scripts(t, page)
	if len(got) != 5 {
		t.Fatalf("found %d JSON script elements %v; want 5 (config, base, 3 layers)", len(got), keys(got))
	}
	// Each layer as given, at 5 decimals, with only the properties the
	// page shows (the density layer's popup leaves "year" out).
	want := map[string][]byte{"rlplan-base": base}
	shown := map[string][]string{}
	for i, l := range m.Layers {
		id := fmt.Sprintf("rlplan-layer-%d-0", i)
		want[id], shown[id] = l.Features, l.shown()
	}
	for id, in := range want {
		lp, err := LimitPrecision(in, 5)
		if err != nil {
			t.Fatal(err)
		}
		if shown[id] != nil {
			if lp, err = KeepProperties(lp, shown[id]); err != nil {
				t.Fatal(err)
			}
		}
		if !reflect.DeepEqual(unpackGo(t, got[id]), decode(t, "input "+id, lp)) {
			t.Errorf("%s: embedded layer differs from the input at 5 decimals with the shown properties", id)
		}
	}
	if bytes.Contains(got["rlplan-layer-0-0"], []byte(`"year"`)) {
		t.Errorf("the density layer carries \"year\", which its popup does not show")
	}

	var cfg pageConfig
	if err := json.Unmarshal(got["rlplan-config"], &cfg); err != nil {
		t.Fatalf("config: %v", err)
	}
	if cfg.Base == nil || cfg.Base.Name != "Provinces" || cfg.Base.Features != 1 {
		t.Errorf("config base = %+v, want Provinces with 1 feature", cfg.Base)
	}
	wantN := []int{2000, 300, 12}
	for i, lc := range cfg.Layers {
		if lc.Name != m.Layers[i].Name || lc.Features != wantN[i] || lc.Visible != m.Layers[i].Visible {
			t.Errorf("config layer %d = %q, %d features, visible %v; want %q, %d, %v", i, lc.Name, lc.Features, lc.Visible, m.Layers[i].Name, wantN[i], m.Layers[i].Visible)
		}
	}
	d, lv := cfg.Layers[0], cfg.Layers[0].Levels[0]
	if len(lv.Breaks) != 5 || len(lv.Colors) != 6 || d.Legend != "Density (t/yr) (tonnes)" || d.Scale != "quantile" {
		t.Errorf("choropleth config: %d breaks, %d colours, legend %q, scale %q; want 5, 6, \"Density (t/yr) (tonnes)\", quantile", len(lv.Breaks), len(lv.Colors), d.Legend, d.Scale)
	}
	if lv.Min < 0.05 || lv.Min > 0.0501 || lv.Max > 100 || lv.Max < 99 {
		t.Errorf("tonnes range [%g, %g], want about [0.05, 100] (the synthetic layer spans 0.05 x 2000^[0,1))", lv.Min, lv.Max)
	}
	// The first view fits the data layers, not the base box (112..115).
	var wantBox []float64
	for _, l := range m.Layers {
		wantBox = unionBox(wantBox, extent(t, l.Features))
	}
	for k := range wantBox {
		if d := cfg.Bounds[k] - wantBox[k]; d > 1e-5 || d < -1e-5 {
			t.Errorf("bounds %v, want the data layers' extent %v", cfg.Bounds, wantBox)
			break
		}
	}
}

// extent returns [west, south, east, north] of every position in a
// FeatureCollection, read generically (no code shared with pack.go).
func extent(t *testing.T, fc []byte) []float64 {
	t.Helper()
	var box []float64
	var walk func(v any)
	walk = func(v any) {
		a, ok := v.([]any)
		if !ok {
			return
		}
		if len(a) >= 2 {
			x, okx := a[0].(float64)
			y, oky := a[1].(float64)
			if okx && oky {
				box = unionBox(box, []float64{x, y, x, y})
				return
			}
		}
		for _, e := range a {
			walk(e)
		}
	}
	var c struct {
		Features []struct {
			Geometry struct{ Coordinates any }
		}
	}
	if err := json.Unmarshal(fc, &c); err != nil {
		t.Fatal(err)
	}
	for _, f := range c.Features {
		walk(f.Geometry.Coordinates)
	}
	return box
}

func unionBox(a, b []float64) []float64 {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	return []float64{min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])}
}

func keys(m map[string][]byte) []string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	return k
}

func TestEscapesScriptClose(t *testing.T) {
	evil := `</script><script>window.pwned=1</script><!-- & </SCRIPT > ` + "\u2028"
	name, _ := json.Marshal(evil)
	fc := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":` + string(name) +
		`,"tonnes":3},"geometry":{"type":"Point","coordinates":[113,23]}}]}`)
	page := write(t, &Map{Title: evil, Layers: []Layer{{Name: evil, Features: fc, ColorBy: "tonnes", PopupFields: []string{"name"}}}, Notes: []string{evil}})
	s := strings.ToLower(string(page))
	// Exactly the four script elements close: config, layer, Leaflet, page.
	if n := strings.Count(s, "</script"); n != 4 {
		t.Errorf("found %d \"</script\" in the page, want 4 (one per script element)", n)
	}
	if strings.Contains(s, "<!--") {
		t.Errorf("page contains \"<!--\", which switches a script element into escaped mode")
	}
	if strings.Contains(s, "window.pwned") && strings.Contains(s, "<script>window.pwned") {
		t.Errorf("injected script element survived")
	}
	got := scripts(t, page)
	var back struct {
		Features []struct {
			Properties struct{ Name string }
		}
	}
	u, _ := json.Marshal(unpackGo(t, got["rlplan-layer-0-0"]))
	if err := json.Unmarshal(u, &back); err != nil || len(back.Features) != 1 || back.Features[0].Properties.Name != evil {
		t.Fatalf("property did not round-trip through the page: %v %+v", err, back)
	}
	var cfg pageConfig
	if err := json.Unmarshal(got["rlplan-config"], &cfg); err != nil || cfg.Layers[0].Name != evil {
		t.Fatalf("layer name did not round-trip through the config: %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	base := []byte(`{"type":"FeatureCollection","features":[]}`)
	a, b := write(t, testMap(base)), write(t, testMap(base))
	if !bytes.Equal(a, b) {
		t.Fatalf("two writes of the same map differ (%d and %d bytes)", len(a), len(b))
	}
	l1, err := Slim(testMap(nil).Layers[0], 5)
	if err != nil {
		t.Fatal(err)
	}
	l2, _ := Slim(testMap(nil).Layers[0], 5)
	if !bytes.Equal(l1.Features, l2.Features) {
		t.Fatalf("Slim is not deterministic")
	}
	p1, _ := AggregatePoints(pointLayer(500, 100, 30), 0.25, []string{"capacity_t"})
	p2, _ := AggregatePoints(pointLayer(500, 100, 30), 0.25, []string{"capacity_t"})
	if !bytes.Equal(p1, p2) {
		t.Fatalf("AggregatePoints is not deterministic")
	}
}

// knownURLs are the only http(s) strings in Leaflet 1.9.4's dist file: the
// SVG namespace (a name, never fetched) and the attribution link in the
// licence comment and the default attribution prefix, which the page
// replaces with plain text.
var knownURLs = map[string]int{
	"http://www.w3.org/2000/svg": 3,
	"https://leafletjs.com":      2,
}

var urlRE = regexp.MustCompile(`https?://[^\s"'()<>\\]+`)

func TestNoExternalLoads(t *testing.T) {
	m := testMap(nil)
	page := write(t, m)
	s := string(page)
	lj := string(stripSourceMap(leafletJS))
	i := strings.Index(s, lj)
	if i < 0 {
		t.Fatal("Leaflet is not inlined verbatim")
	}
	outside := s[:i] + s[i+len(lj):]
	// Leaflet's CSS cites two browser bug trackers in comments; comments
	// load nothing, so they are left out of the scan.
	css := inlineLeafletCSS()
	outside = strings.Replace(outside, css, regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(css, ""), 1)
	// Outside Leaflet, URLs appear only in the notes footer (attribution).
	foot := regexp.MustCompile(`(?s)<footer id="notes">.*?</footer>`)
	rest := foot.ReplaceAllString(outside, "")
	if u := urlRE.FindAllString(rest, -1); len(u) != 0 {
		t.Errorf("URLs outside Leaflet and the attribution notes: %q", u)
	}
	counts := map[string]int{}
	for _, u := range urlRE.FindAllString(lj, -1) {
		counts[strings.TrimRight(u, ".,;")]++
	}
	if !reflect.DeepEqual(counts, knownURLs) {
		t.Errorf("URLs in the vendored Leaflet = %v, want %v", counts, knownURLs)
	}
	// No element or stylesheet may load anything: no src attributes, no
	// link but the data: icon, and CSS url() only for data: or VML.
	if regexp.MustCompile(`<[a-z]+[^>]*\ssrc\s*=`).MatchString(rest) {
		t.Errorf("an element outside Leaflet has a src attribute")
	}
	if l := regexp.MustCompile(`<link[^>]*>`).FindAllString(s, -1); len(l) != 1 || l[0] != `<link rel="icon" href="data:,">` {
		t.Errorf("link elements = %q, want only the data: favicon", l)
	}
	for _, u := range regexp.MustCompile(`url\(([^)]*)\)`).FindAllStringSubmatch(inlineLeafletCSS()+string(pageCSS), -1) {
		if !strings.HasPrefix(u[1], "data:") && u[1] != "#default#VML" {
			t.Errorf("CSS loads %q", u[1])
		}
	}
	if strings.Contains(s, "@import") {
		t.Errorf("CSS @import in page")
	}
}

func TestWriteRejects(t *testing.T) {
	ok := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"t":1,"s":"x"},"geometry":{"type":"Point","coordinates":[1,2]}}]}`)
	cases := []struct {
		name string
		m    Map
		want string
	}{
		{"empty name", Map{Layers: []Layer{{Features: ok}}}, "layer 0: empty Name"},
		{"duplicate", Map{Layers: []Layer{{Name: "a", Features: ok}, {Name: "a", Features: ok}}}, `layer 1: name "a" used twice`},
		{"clash with base", Map{Base: ok, Layers: []Layer{{Name: "Boundaries", Features: ok}}}, `name "Boundaries" used twice`},
		{"not a collection", Map{Layers: []Layer{{Name: "a", Features: []byte(`{"type":"Feature"}`)}}}, `GeoJSON type "Feature", want "FeatureCollection"`},
		{"syntax", Map{Layers: []Layer{{Name: "a", Features: []byte("{\"type\":\n  \"FeatureCollection\",]")}}}, "GeoJSON line 2, column 23"},
		{"no features", Map{Layers: []Layer{{Name: "a", Features: []byte(`{"type":"FeatureCollection"}`)}}}, `without a "features" array`},
		{"feature type", Map{Layers: []Layer{{Name: "a", Features: []byte(`{"type":"FeatureCollection","features":[{"type":"Point"}]}`)}}}, `feature 0: type "Point", want "Feature"`},
		{"colour", Map{Layers: []Layer{{Name: "a", Features: ok, Color: "red;x"}}}, `Color "red;x"`},
		{"classes", Map{Layers: []Layer{{Name: "a", Features: ok, ColorBy: "t", Classes: 4}}}, "Classes 4: want 5, 6 or 7"},
		{"non-numeric colorBy", Map{Layers: []Layer{{Name: "a", Features: ok, ColorBy: "s"}}}, `ColorBy "s": no feature of 1 has a numeric value`},
		{"scale", Map{Layers: []Layer{{Name: "a", Features: ok, ColorBy: "t", Scale: 9}}}, "Scale 9"},
		{"radius", Map{Layers: []Layer{{Name: "a", Features: ok, Radius: -1}}}, "Radius -1"},
		{"base", Map{Base: []byte(`[]`)}, "webmap: base: GeoJSON line 1, column 1"},
		{"decimals", Map{Decimals: 8}, "Decimals 8"},
		{"empty", Map{Layers: []Layer{{Name: "a"}}}, `layer "a": GeoJSON is empty, want a FeatureCollection`},
	}
	for _, c := range cases {
		var b bytes.Buffer
		err := Write(&b, &c.m)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
		if b.Len() != 0 {
			t.Errorf("%s: %d bytes written before the error; want none", c.name, b.Len())
		}
	}
}

func TestBreaks(t *testing.T) {
	seq := make([]float64, 100)
	for i := range seq {
		seq[i] = float64(100 - i) // 100..1, unsorted on purpose
	}
	cases := []struct {
		name string
		got  []float64
		want []float64
	}{
		{"quantile 1..100 in 5", QuantileBreaks(seq, 5), []float64{21, 41, 61, 81}},
		{"quantile rounds to 3 digits", QuantileBreaks([]float64{1.23456, 2.34567, 3.45678, 4.56789, 5.67891}, 5), []float64{2.34, 3.45, 4.56, 5.67}},
		{"quantile ties keep contrast", QuantileBreaks([]float64{0, 0, 0, 0, 0, 0, 0, 1, 2}, 6), []float64{1, 2}},
		{"quantile all equal", QuantileBreaks([]float64{5, 5, 5}, 6), nil},
		{"log decades", LogBreaks([]float64{1, 10000, 0, -3, 50}, 4), []float64{10, 100, 1000}},
		{"log rounds", LogBreaks([]float64{1, 1000}, 5), []float64{3.98, 15.8, 63.1, 251}},
		{"quantile never passes max", QuantileBreaks([]float64{1, 2, 3, 9.996}, 4), []float64{2, 3, 9.99}},
		{"quantile power of ten", QuantileBreaks([]float64{0.5, 100.4, 1000, 1000.9}, 4), []float64{100, 1000}},
		{"quantile negative", QuantileBreaks([]float64{-5, -1.2345, 0, 1}, 4), []float64{-1.24, 0, 1}},
		{"log single positive", LogBreaks([]float64{0, 7}, 5), nil},
	}
	for _, c := range cases {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	if seq[0] != 100 {
		t.Errorf("QuantileBreaks sorted its input in place")
	}
}

// A zero minimum must reach the page: the legend prints it.
func TestConfigKeepsZeroMinimum(t *testing.T) {
	fc := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"t":0},"geometry":null},{"type":"Feature","properties":{"t":4},"geometry":null}]}`)
	page := write(t, &Map{Layers: []Layer{{Name: "a", Features: fc, ColorBy: "t"}}})
	var cfg pageConfig
	raw := scripts(t, page)["rlplan-config"]
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(`"min":0,"max":4`)) || !reflect.DeepEqual(cfg.Layers[0].Levels[0].Breaks, []float64{4}) {
		t.Errorf("config %s: want min 0, max 4 and one break at 4", raw)
	}
}

// The vendored files are the ones the README lists (npm leaflet@1.9.4).
func TestVendoredLeafletMatchesReadme(t *testing.T) {
	readme, err := os.ReadFile("assets/leaflet/README.md")
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"leaflet.js": leafletJS, "leaflet.css": []byte(leafletCSS), "images/layers.png": layersPNG, "images/layers-2x.png": layers2xPNG} {
		line := fmt.Sprintf("%x  %s", sha256.Sum256(b), name)
		if !bytes.Contains(readme, []byte(line)) {
			t.Errorf("assets/leaflet/README.md lacks %q: the vendored file changed without the README", line)
		}
	}
	if !bytes.Contains(readme, []byte("Leaflet "+LeafletVersion)) {
		t.Errorf("README does not name Leaflet %s", LeafletVersion)
	}
}

func TestPickColors(t *testing.T) {
	if got := pickColors(2, 6, YlOrRd); !reflect.DeepEqual(got, []string{"#ffffb2", "#bd0026"}) {
		t.Errorf("2 classes of 6 = %v, want the two ends of the ramp", got)
	}
	if got := pickColors(7, 7, YlOrRd); len(got) != 7 || got[6] != "#b10026" {
		t.Errorf("7 of 7 = %v", got)
	}
}

func TestStripSourceMap(t *testing.T) {
	for _, js := range [][]byte{leafletJS, markerClusterJS} {
		got := stripSourceMap(js)
		if bytes.Contains(got, []byte("sourceMappingURL")) || !bytes.HasPrefix(js, got) || len(js)-len(got) > 80 {
			t.Errorf("stripSourceMap kept the comment or cut more than its last line (%d of %d bytes kept)", len(got), len(js))
		}
	}
	mid := []byte("a()\n//# sourceMappingURL=x.map\nb()\n")
	if got := stripSourceMap(mid); !bytes.Equal(got, mid) {
		t.Errorf("a source-map comment followed by code was cut: %q", got)
	}
}
