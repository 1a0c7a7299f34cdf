package webmap

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rlplan/rlplan/geo/webmap/webmaptest"
)

// TestBrowserDrawsEveryFeature opens a written map from file:// in headless
// Chromium and checks what the page itself reports: every feature drawn,
// no console error or exception, no request other than file: or data:, a
// legend, a layer control, and an inert "</script>" property value. It
// saves a screenshot (set RLPLAN_SCREENSHOT_DIR to keep a copy).
func TestBrowserDrawsEveryFeature(t *testing.T) {
	bin := webmaptest.FindChrome()
	if bin == "" {
		t.Skip("no Chromium/Chrome found (/usr/bin/chromium, chromium, google-chrome on PATH); install with: apt-get install -y chromium")
	}
	dir := t.TempDir()

	base, baseN := []byte(nil), 0
	if b, err := os.ReadFile("/work/shared/data/china_provinces_ne50m.geojson"); err == nil {
		base, baseN = b, 31
	} else {
		base, baseN = []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"box"},"geometry":{"type":"Polygon","coordinates":[[[108,19],[118,19],[118,27],[108,27],[108,19]]]}}]}`), 1
	}
	m := testMap(base)
	const evil = `</script><script>window.pwned=1</script><!--`
	m.Layers = append(m.Layers, Layer{
		Name: "Escapes", Visible: true, Color: "#000", Radius: 7,
		Features: []byte(`{"type":"FeatureCollection","features":[` +
			`{"type":"Feature","properties":{"name":"` + strings.ReplaceAll(evil, `"`, `\"`) + `"},"geometry":{"type":"Point","coordinates":[113.26,23.13]}},` +
			`{"type":"Feature","properties":{"name":"no geometry"},"geometry":null}]}`),
	})
	d, err := Slim(m.Layers[0], 5)
	if err != nil {
		t.Fatal(err)
	}
	m.Layers[0] = d
	// Routes start switched off: nothing of them is drawn.
	want := map[string]int{"Provinces": baseN, "Density (t/yr)": 2000, "Outlets": 300, "Routes": 0, "Escapes": 1}

	page := writePage(t, dir, "map.html", m)

	br := webmaptest.Start(t, bin, dir, 45*time.Second)
	start := time.Now()
	var (
		stats   map[string]int
		pwned   bool
		legend  []string
		toggles int
		popup   string
		png     []byte
	)
	err = br.Open(page, 25*time.Second)
	step := func(what, js string, dst any) {
		if err == nil {
			if err = br.Eval(js, dst); err != nil {
				err = fmt.Errorf("%s: %w", what, err)
			}
		}
	}
	step("stats", `window.rlplanStats`, &stats)
	step("pwned", `typeof window.pwned !== 'undefined'`, &pwned)
	step("legend", `Array.from(document.querySelectorAll('.rlplan-legend .rlplan-legend-title')).map(e => e.textContent)`, &legend)
	step("toggles", `document.querySelectorAll('.leaflet-control-layers-selector').length`, &toggles)
	if err == nil {
		png, err = chromedp.Run(br.Ctx, chromedp.CaptureScreenshot())
	}
	// Open the popup of the hostile point and read what it shows.
	step("popup", `(function () {
		var hit = null;
		window.rlplanMap.eachLayer(function (l) {
			if (!hit && l.feature && l.feature.properties && /pwned/.test(l.feature.properties.name)) hit = l;
		});
		if (!hit) return 'feature not found';
		hit.openPopup();
		var c = document.querySelector('.leaflet-popup-content');
		return c ? c.textContent : 'no popup';
	})()`, &popup)
	// Switch Routes on, and the base off and on again: the legend follows
	// the layer control and nothing may throw.
	var legend2 []string
	step("toggle", `(function () {
		var s = document.querySelectorAll('.leaflet-control-layers-selector');
		s[3].click(); s[0].click(); s[0].click();
		return Array.from(document.querySelectorAll('.rlplan-legend .rlplan-legend-title')).map(e => e.textContent);
	})()`, &legend2)
	if err != nil {
		t.Fatalf("browser run: %v", err)
	}
	t.Logf("Chromium %s: page ready and checked in %v", bin, time.Since(start).Round(time.Millisecond))

	shot := filepath.Join(dir, "map.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
	if keep := os.Getenv("RLPLAN_SCREENSHOT_DIR"); keep != "" {
		if err := os.WriteFile(filepath.Join(keep, "webmap_test.png"), png, 0o644); err != nil {
			t.Errorf("copy screenshot: %v", err)
		}
	}

	if !reflect.DeepEqual(stats, want) {
		t.Errorf("window.rlplanStats = %v, want %v", stats, want)
	}
	if pwned {
		t.Errorf("a </script> property value ran as script")
	}
	if popup != "Escapesname"+evil {
		t.Errorf("popup text = %q, want %q (layer name, then the property as text)", popup, "Escapesname"+evil)
	}
	wantLegend := []string{"Density (t/yr) (tonnes)", "Outlets", "Escapes"} // Routes start hidden
	if !reflect.DeepEqual(legend, wantLegend) {
		t.Errorf("legend titles = %q, want %q", legend, wantLegend)
	}
	if want := []string{"Density (t/yr) (tonnes)", "Outlets", "Routes", "Escapes"}; !reflect.DeepEqual(legend2, want) {
		t.Errorf("legend titles after switching Routes on = %q, want %q", legend2, want)
	}
	if toggles != 5 {
		t.Errorf("layer control has %d toggles, want 5 (base + 4 layers)", toggles)
	}
	if len(png) < 8 || string(png[1:4]) != "PNG" {
		t.Errorf("screenshot is not a PNG")
	}
	br.Check(t)
}

// writePage writes m to dir/name and returns the path.
func writePage(t *testing.T, dir, name string, m *Map) string {
	t.Helper()
	page := filepath.Join(dir, name)
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(f, m); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return page
}

// TestNationalInBrowser loads a 100,000-hexagon page (about 12 MB) in
// headless Chromium and logs the time until it is drawn. It takes 10–30 s on
// a loaded 2-core machine, so it runs only on request:
//
//	RLPLAN_WEBMAP_NATIONAL=1 go test -run NationalInBrowser -v ./geo/webmap/
func TestNationalInBrowser(t *testing.T) {
	if os.Getenv("RLPLAN_WEBMAP_NATIONAL") == "" {
		t.Skip("set RLPLAN_WEBMAP_NATIONAL=1 to load a 100,000-hexagon page in Chromium")
	}
	bin := webmaptest.FindChrome()
	if bin == "" {
		t.Skip("no Chromium/Chrome found (/usr/bin/chromium, chromium, google-chrome on PATH)")
	}
	dir := t.TempDir()
	page := writePage(t, dir, "national.html", nationalMap(t, true))
	st, _ := os.Stat(page)
	br, ready, stats, panMS := loadTimed(t, bin, dir, page)
	if stats["Density"] != 100000 || stats["Boundaries"] != 31 {
		t.Errorf("window.rlplanStats = %v, want Density 100000 and Boundaries 31", stats)
	}
	shot := screenshot(t, br, dir, "webmap_national.png")
	t.Logf("national page %d bytes: drawn %v after navigation starts; pan+redraw %.0f ms; screenshot %s", st.Size(), ready.Round(time.Millisecond), panMS, shot)
	br.Check(t)
}

// TestPageInBrowser loads any map page (a plan's map.html, say) in headless
// Chromium and logs its size, the features drawn per layer, the time until
// it is drawn and the time of one pan; console errors fail it. On request:
//
//	RLPLAN_WEBMAP_PAGE=$PWD/out/cn/map.html go test -run PageInBrowser -v ./geo/webmap/
func TestPageInBrowser(t *testing.T) {
	page := os.Getenv("RLPLAN_WEBMAP_PAGE")
	if page == "" {
		t.Skip("set RLPLAN_WEBMAP_PAGE to the absolute path of a map.html to measure it")
	}
	bin := webmaptest.FindChrome()
	if bin == "" {
		t.Skip("no Chromium/Chrome found (/usr/bin/chromium, chromium, google-chrome on PATH)")
	}
	page, err := filepath.Abs(page)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(page)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	br, ready, stats, panMS := loadTimed(t, bin, dir, page)
	timings := br.Timings(t)
	shot := screenshot(t, br, dir, "webmap_page.png")
	t.Logf("%s: %d bytes; features %v; drawn %v after navigation starts; pan+redraw %.0f ms; %s; screenshot %s",
		page, st.Size(), stats, ready.Round(time.Millisecond), panMS, timings, shot)
	// Zoom through the levels of detail: each level drawn whole at its zoom.
	for _, s := range br.Sweep(t) {
		t.Logf("zoom %5.2f: %s level %d, %d features drawn", s.Zoom, s.Layer, s.Level, s.Drawn)
	}
	t.Logf("after the sweep: %s", br.Timings(t))
	br.Check(t)
}

// loadTimed opens page in a fresh browser, waits until it is drawn and
// returns the browser, the time that took, the page's statistics and the
// time of one pan with a full redraw.
func loadTimed(t *testing.T, bin, dir, page string) (*webmaptest.Browser, time.Duration, map[string]int, float64) {
	t.Helper()
	br, ready := webmaptest.Load(t, bin, dir, page)
	stats, panMS := pageStats(t, br)
	return br, ready, stats, panMS
}

// pageStats reads window.rlplanStats (features drawn per layer) and times one
// pan with a full canvas redraw, as a feel for interaction.
func pageStats(t *testing.T, br *webmaptest.Browser) (map[string]int, float64) {
	t.Helper()
	var stats map[string]int
	if err := br.Eval(`window.rlplanStats`, &stats); err != nil {
		t.Fatal(err)
	}
	var panMS float64
	if err := br.Eval(`(function () {
		var t0 = performance.now();
		window.rlplanMap.panBy([200, 0], {animate: false});
		window.rlplanMap.getRenderer(window.rlplanMap)._redraw && window.rlplanMap.getRenderer(window.rlplanMap)._redraw();
		return performance.now() - t0;
	})()`, &panMS); err != nil {
		t.Fatal(err)
	}
	return stats, panMS
}

// screenshot captures the page into dir (and into $RLPLAN_SCREENSHOT_DIR as
// keep, when set) and returns the path under dir.
func screenshot(t *testing.T, br *webmaptest.Browser, dir, keep string) string {
	t.Helper()
	shot := filepath.Join(dir, keep)
	png := br.Screenshot(t, shot)
	if k := os.Getenv("RLPLAN_SCREENSHOT_DIR"); k != "" {
		if err := os.WriteFile(filepath.Join(k, keep), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return shot
}
