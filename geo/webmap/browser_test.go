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
	want := map[string]int{"Provinces": baseN, "Density (t/yr)": 2000, "Outlets": 300, "Routes": 12, "Escapes": 1}

	page := filepath.Join(dir, "map.html")
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
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	var (
		mu       sync.Mutex
		problems []string
		requests []string
	)
	// Listen starts the browser and sees every event in arrival order.
	err = chromedp.Listen(bctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				problems = append(problems, fmt.Sprintf("console.%s: %s", e.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			desc := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				desc += " " + e.ExceptionDetails.Exception.Description
			}
			problems = append(problems, fmt.Sprintf("exception at %d:%d: %s", e.ExceptionDetails.LineNumber, e.ExceptionDetails.ColumnNumber, desc))
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				problems = append(problems, fmt.Sprintf("log %s (%s): %s %s", e.Entry.Level, e.Entry.Source, e.Entry.Text, e.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			requests = append(requests, e.Request.URL)
		}
	})
	if err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}

	start := time.Now()
	eval := func(what, js string, dst any) {
		t.Helper()
		if err != nil {
			return
		}
		var v []byte
		v, err = chromedp.Run(bctx, chromedp.Evaluate[[]byte](js))
		if err == nil {
			err = json.Unmarshal(v, dst)
		}
		if err != nil {
			err = fmt.Errorf("%s: %w", what, err)
		}
	}
	var (
		stats   map[string]int
		pwned   bool
		legend  []string
		toggles int
		popup   string
		png     []byte
	)
	err = chromedp.Do(bctx,
		chromedp.Navigate("file://"+page),
		chromedp.Poll[chromedp.Void](`window.rlplanReady === true`, chromedp.WithPollingTimeout(25*time.Second)),
	)
	eval("stats", `window.rlplanStats`, &stats)
	eval("pwned", `typeof window.pwned !== 'undefined'`, &pwned)
	eval("legend", `Array.from(document.querySelectorAll('.rlplan-legend .rlplan-legend-title')).map(e => e.textContent)`, &legend)
	eval("toggles", `document.querySelectorAll('.leaflet-control-layers-selector').length`, &toggles)
	if err == nil {
		png, err = chromedp.Run(bctx, chromedp.CaptureScreenshot())
	}
	// Open the popup of the hostile point and read what it shows.
	eval("popup", `(function () {
		var hit = null;
		window.rlplanMap.eachLayer(function (l) {
			if (!hit && l.feature && l.feature.properties && /pwned/.test(l.feature.properties.name)) hit = l;
		});
		if (!hit) return 'feature not found';
		hit.openPopup();
		var c = document.querySelector('.leaflet-popup-content');
		return c ? c.textContent : 'no popup';
	})()`, &popup)
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
	if popup != "name"+evil {
		t.Errorf("popup text = %q, want %q (property shown as text)", popup, "name"+evil)
	}
	wantLegend := []string{"Density (t/yr) (tonnes)", "Outlets", "Escapes"} // Routes start hidden
	if !reflect.DeepEqual(legend, wantLegend) {
		t.Errorf("legend titles = %q, want %q", legend, wantLegend)
	}
	if toggles != 5 {
		t.Errorf("layer control has %d toggles, want 5 (base + 4 layers)", toggles)
	}
	if len(png) < 8 || string(png[1:4]) != "PNG" {
		t.Errorf("screenshot is not a PNG")
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser reported: %s", p)
	}
	for _, u := range requests {
		if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
			t.Errorf("page requested %s; want only file: and data: URLs", u)
		}
	}
	if len(requests) == 0 {
		t.Errorf("no request recorded: network events not received, so the URL check proved nothing")
	}
}
