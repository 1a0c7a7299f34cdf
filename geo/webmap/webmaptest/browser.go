// Package webmaptest drives pages written by package webmap in headless
// Chromium for tests: it opens a page from disk, waits until it is drawn,
// reads what the page reports about itself (window.rlplanStats,
// rlplanView(), rlplanTimings), zooms through the levels of detail, takes
// screenshots, and fails the test on any console error, exception or
// request other than file: and data:. Tests that use it skip when no
// Chromium is installed (see FindChrome).
package webmaptest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// FindChrome returns a Chromium or Chrome binary, or "" when none is
// installed (Debian: apt-get install -y chromium).
func FindChrome() string {
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

// Chrome returns FindChrome's binary or skips the test with how to install one.
func Chrome(t testing.TB) string {
	t.Helper()
	bin := FindChrome()
	if bin == "" {
		t.Skip("no Chromium/Chrome found (/usr/bin/chromium, chromium, google-chrome on PATH); install with: apt-get install -y chromium")
	}
	return bin
}

// Browser is one headless Chromium tab with what it reported.
type Browser struct {
	Ctx      context.Context
	mu       sync.Mutex
	problems []string // console errors and warnings, exceptions, log errors
	requests []string // every URL the page asked for
}

// Start launches bin (1280 x 900) with a fresh profile under dir; the
// browser stops when the test ends or after limit.
func Start(t testing.TB, bin, dir string, limit time.Duration) *Browser {
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
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() { bcancel(); acancel(); cancel() })
	b := &Browser{Ctx: bctx}
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

// Open loads a page from disk and waits for window.rlplanReady.
func (b *Browser) Open(path string, wait time.Duration) error {
	return chromedp.Do(b.Ctx,
		chromedp.Navigate("file://"+path),
		chromedp.Poll[chromedp.Void](`window.rlplanReady === true`, chromedp.WithPollingTimeout(wait)),
	)
}

// Load starts a browser, opens page and returns it with the time from
// navigation to the page drawn.
func Load(t testing.TB, bin, dir, page string) (*Browser, time.Duration) {
	t.Helper()
	br := Start(t, bin, dir, 180*time.Second)
	start := time.Now()
	if err := br.Open(page, 120*time.Second); err != nil {
		t.Fatalf("open %s: %v", page, err)
	}
	return br, time.Since(start)
}

// Eval runs js in the page and decodes its JSON value into dst.
func (b *Browser) Eval(js string, dst any) error {
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]byte](js))
	if err != nil {
		return err
	}
	return json.Unmarshal(v, dst)
}

// Check reports console problems and any request other than file: or data:.
func (b *Browser) Check(t testing.TB) {
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

// Screenshot captures the viewport as PNG and writes it to path when path
// is not empty.
func (b *Browser) Screenshot(t testing.TB, path string) []byte {
	t.Helper()
	png, err := chromedp.Run(b.Ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if path != "" {
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return png
}

// View is what the page reports about its state.
type View struct {
	Zoom     float64
	On       map[string]bool // layers switched on
	Levels   map[string]int  // level drawn per layer, -1 for none
	Clusters map[string]struct{ Icons, Points, Singles int }
	Stats    map[string]int // features drawn per layer
	Legend   []string       // legend headings
	Notes    []string       // legend notes (level labels, zoom hints)
}

const viewJS = `(function () {
	var v = window.rlplanView();
	v.stats = JSON.parse(JSON.stringify(window.rlplanStats));
	v.legend = Array.from(document.querySelectorAll('.rlplan-legend .rlplan-legend-title')).map(function (e) { return e.textContent; });
	v.notes = Array.from(document.querySelectorAll('.rlplan-legend .rlplan-legend-note')).map(function (e) { return e.textContent; });
	return v;
})()`

// View reads the page's state after setting zoom (when zoom > 0; the
// centre stays).
func (b *Browser) View(t testing.TB, zoom float64) View {
	t.Helper()
	var v View
	js := viewJS
	if zoom > 0 {
		js = fmt.Sprintf(`window.rlplanMap.setZoom(%g, {animate: false}); %s`, zoom, viewJS)
	}
	if err := b.Eval(js, &v); err != nil {
		t.Fatalf("view at zoom %g: %v", zoom, err)
	}
	return v
}

// ViewJS returns the script that reads the page's state (for scripts that
// act on the page first, then read it).
func ViewJS() string { return viewJS }

// Timings reads window.rlplanTimings: milliseconds spent in the page
// script and per layer level built.
func (b *Browser) Timings(t testing.TB) string {
	t.Helper()
	var tm struct {
		Script int
		Build  map[string]int
	}
	if err := b.Eval(`window.rlplanTimings`, &tm); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("script %d ms; builds %v", tm.Script, tm.Build)
}

// Step is one zoom of Sweep.
type Step struct {
	Layer    string
	Level    int     // the level the zoom selects
	Zoom     float64 // the zoom set
	Drawn    int     // features the page drew
	Features int     // features of the level in the page's config
}

// Sweep zooms, for every layer with several levels of detail that is
// switched on, to the first zoom of each level (its MinZoom rounded up to
// the page's quarter steps) and reads what is drawn. Every level must be
// the one drawn at its zoom with all its features.
func (b *Browser) Sweep(t testing.TB) []Step {
	t.Helper()
	var cfg struct {
		Layers []struct {
			Name    string
			MinZoom float64
			Levels  []struct {
				MinZoom  float64
				Features int
			}
		}
	}
	if err := b.Eval(`JSON.parse(document.getElementById('rlplan-config').textContent)`, &cfg); err != nil {
		t.Fatal(err)
	}
	var steps []Step
	for _, l := range cfg.Layers {
		if len(l.Levels) < 2 {
			continue
		}
		for j, lv := range l.Levels {
			z := math.Ceil(math.Max(math.Max(lv.MinZoom, l.MinZoom), 2)*4) / 4
			v := b.View(t, z)
			if !v.On[l.Name] {
				break // switched off: nothing is drawn at any zoom
			}
			steps = append(steps, Step{Layer: l.Name, Level: v.Levels[l.Name], Zoom: v.Zoom, Drawn: v.Stats[l.Name], Features: lv.Features})
			if v.Levels[l.Name] != j || v.Stats[l.Name] != lv.Features {
				t.Errorf("%s at zoom %g: level %d with %d features drawn; want level %d with %d", l.Name, v.Zoom, v.Levels[l.Name], v.Stats[l.Name], j, lv.Features)
			}
		}
	}
	return steps
}

// Settle waits two animation frames: Leaflet redraws its canvas on the
// next frame after a change of view or layers.
func (b *Browser) Settle() error {
	_, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](
		`new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(function () { r(true); }); }); })`,
		chromedp.EvalAwaitPromise))
	return err
}
