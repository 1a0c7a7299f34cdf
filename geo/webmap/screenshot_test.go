package webmap

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rlplan/rlplan/geo/webmap/webmaptest"
)

// TestScreenshot saves a PNG of a map page as drawn by headless Chromium
// (1280 x 900), for the README; scripts/screenshots.sh runs it:
//
//	RLPLAN_SCREENSHOT_PAGE=$PWD/out/gd/map.html RLPLAN_SCREENSHOT_OUT=$PWD/docs/map-gd.png \
//	  go test -run Screenshot -v ./geo/webmap/
//
// RLPLAN_SCREENSHOT_VIEW="lat,lon,zoom" sets the view (default: the page's
// own fit), RLPLAN_SCREENSHOT_THEME picks a theme by its label. The page
// must draw without console errors.
func TestScreenshot(t *testing.T) {
	page, out := os.Getenv("RLPLAN_SCREENSHOT_PAGE"), os.Getenv("RLPLAN_SCREENSHOT_OUT")
	if page == "" || out == "" {
		t.Skip("set RLPLAN_SCREENSHOT_PAGE (a map.html) and RLPLAN_SCREENSHOT_OUT (a .png) to take a screenshot")
	}
	bin := webmaptest.Chrome(t)
	page, err := filepath.Abs(page)
	if err != nil {
		t.Fatal(err)
	}
	br, ready := webmaptest.Load(t, bin, t.TempDir(), page)
	if theme := os.Getenv("RLPLAN_SCREENSHOT_THEME"); theme != "" {
		var ok bool
		js := fmt.Sprintf(`(function () {
			var l = Array.from(document.querySelectorAll('.leaflet-control-layers-base label')).find(function (e) { return e.textContent.trim() === %q; });
			if (!l) return false;
			l.querySelector('input').click();
			return true;
		})()`, theme)
		if err := br.Eval(js, &ok); err != nil || !ok {
			t.Fatalf("theme %q: not in the layer control (%v)", theme, err)
		}
	}
	if v := os.Getenv("RLPLAN_SCREENSHOT_VIEW"); v != "" {
		p := strings.Split(v, ",")
		var f [3]float64
		for i := range f {
			if len(p) != 3 {
				t.Fatalf("RLPLAN_SCREENSHOT_VIEW %q: want lat,lon,zoom", v)
			}
			if f[i], err = strconv.ParseFloat(strings.TrimSpace(p[i]), 64); err != nil {
				t.Fatalf("RLPLAN_SCREENSHOT_VIEW %q: %v", v, err)
			}
		}
		js := fmt.Sprintf(`window.rlplanMap.setView([%g, %g], %g, {animate: false}); true`, f[0], f[1], f[2])
		if err := br.Eval(js, new(bool)); err != nil {
			t.Fatal(err)
		}
	}
	if err := br.Settle(); err != nil {
		t.Fatal(err)
	}
	br.Screenshot(t, out)
	v := br.View(t, 0)
	t.Logf("%s: drawn %v after navigation; zoom %g, features %v; saved %s", page, ready.Round(1e6), v.Zoom, v.Stats, out)
	br.Check(t)
}
