package webmap

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// findChrome returns a Chromium or Chrome binary, or "" when none is
// installed (Debian: apt-get install -y chromium).
func findChrome() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowserDrawsEveryFeature opens a written map from file:// in headless
// Chromium and checks what the page itself reports: every feature drawn,
// no console error or exception, no request other than file: or data:, a
// legend, a layer control, and an inert "</script>" property value. It
// saves a screenshot (set RLPLAN_SCREENSHOT_DIR to keep a copy).
func TestBrowserDrawsEveryFeature(t *testing.T) {
	bin := findChrome()
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

	br := startBrowser(t, bin, dir, 45*time.Second)
	start := time.Now()
	var (
		stats   map[string]int
		pwned   bool
		legend  []string
		toggles int
		popup   string
		png     []byte
	)
	err = br.open(page, 25*time.Second)
	step := func(what, js string, dst any) {
		if err == nil {
			if err = br.eval(js, dst); err != nil {
				err = fmt.Errorf("%s: %w", what, err)
			}
		}
	}
	step("stats", `window.rlplanStats`, &stats)
	step("pwned", `typeof window.pwned !== 'undefined'`, &pwned)
	step("legend", `Array.from(document.querySelectorAll('.rlplan-legend .rlplan-legend-title')).map(e => e.textContent)`, &legend)
	step("toggles", `document.querySelectorAll('.leaflet-control-layers-selector').length`, &toggles)
	if err == nil {
		png, err = chromedp.Run(br.ctx, chromedp.CaptureScreenshot())
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
	br.check(t)
}

// browser is one headless Chromium tab with what it reported.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string // console errors and warnings, exceptions, log errors
	requests []string // every URL the page asked for
}

// startBrowser launches bin with a fresh profile under dir; the browser
// stops when the test ends or after limit.
func startBrowser(t *testing.T, bin, dir string, limit time.Duration) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() { bcancel(); acancel(); cancel() })
	b := &browser{ctx: bctx}
	// Listen starts the browser and sees every event in arrival order.
	err := chromedp.Listen(bctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				b.problems = append(b.problems, fmt.Sprintf("console.%s: %s", e.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			desc := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				desc += " " + e.ExceptionDetails.Exception.Description
			}
			b.problems = append(b.problems, fmt.Sprintf("exception at %d:%d: %s", e.ExceptionDetails.LineNumber, e.ExceptionDetails.ColumnNumber, desc))
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				b.problems = append(b.problems, fmt.Sprintf("log %s (%s): %s %s", e.Entry.Level, e.Entry.Source, e.Entry.Text, e.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			b.requests = append(b.requests, e.Request.URL)
		}
	})
	if err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	return b
}

// open loads a page from disk and waits for window.rlplanReady.
func (b *browser) open(path string, wait time.Duration) error {
	return chromedp.Do(b.ctx,
		chromedp.Navigate("file://"+path),
		chromedp.Poll[chromedp.Void](`window.rlplanReady === true`, chromedp.WithPollingTimeout(wait)),
	)
}

// eval runs js in the page and decodes its JSON value into dst.
func (b *browser) eval(js string, dst any) error {
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]byte](js))
	if err != nil {
		return err
	}
	return json.Unmarshal(v, dst)
}

// check reports console problems and any request other than file: or data:.
func (b *browser) check(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Errorf("browser reported: %s", p)
	}
	for _, u := range b.requests {
		if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
			t.Errorf("page requested %s; want only file: and data: URLs", u)
		}
	}
	if len(b.requests) == 0 {
		t.Errorf("no request recorded: network events not received, so the URL check proved nothing")
	}
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
	bin := findChrome()
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
	br.check(t)
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
	bin := findChrome()
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
	shot := screenshot(t, br, dir, "webmap_page.png")
	t.Logf("%s: %d bytes; features %v; drawn %v after navigation starts; pan+redraw %.0f ms; screenshot %s",
		page, st.Size(), stats, ready.Round(time.Millisecond), panMS, shot)
	br.check(t)
}

// loadTimed opens page in a fresh browser, waits until it is drawn and
// returns the browser, the time that took and the page's statistics.
func loadTimed(t *testing.T, bin, dir, page string) (*browser, time.Duration, map[string]int, float64) {
	t.Helper()
	br := startBrowser(t, bin, dir, 120*time.Second)
	start := time.Now()
	if err := br.open(page, 90*time.Second); err != nil {
		t.Fatalf("open %s: %v", page, err)
	}
	ready := time.Since(start)
	stats, panMS := pageStats(t, br)
	return br, ready, stats, panMS
}

// pageStats reads window.rlplanStats (features drawn per layer) and times one
// pan with a full canvas redraw, as a feel for interaction.
func pageStats(t *testing.T, br *browser) (map[string]int, float64) {
	t.Helper()
	var stats map[string]int
	if err := br.eval(`window.rlplanStats`, &stats); err != nil {
		t.Fatal(err)
	}
	var panMS float64
	if err := br.eval(`(function () {
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
func screenshot(t *testing.T, br *browser, dir, keep string) string {
	t.Helper()
	png, err := chromedp.Run(br.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, keep)
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	if k := os.Getenv("RLPLAN_SCREENSHOT_DIR"); k != "" {
		if err := os.WriteFile(filepath.Join(k, keep), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return shot
}
