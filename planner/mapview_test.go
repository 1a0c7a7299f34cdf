package planner_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"

	"github.com/rlplan/rlplan/geo/webmap/webmaptest"
	"github.com/rlplan/rlplan/planner"
	"github.com/rlplan/rlplan/planner/report"
)

// Every reason the weekly plan can give has its colour and label on the map.
func TestUnservedReasonsOnMap(t *testing.T) {
	listed := map[string]bool{}
	for _, c := range report.Reasons {
		listed[c.Value] = true
	}
	for _, r := range []string{planner.UnservedStorage, planner.UnservedReach, planner.UnservedIntake, planner.UnservedCapacity,
		planner.UnservedShift, planner.UnservedHours, planner.UnservedFleet} {
		if !listed[r] {
			t.Errorf("unserved reason %q has no category in report.Reasons: the map would draw it as \"other\"", r)
		}
	}
}

var configRE = regexp.MustCompile(`<script type="application/json" id="rlplan-config">(.*?)</script>`)

// mapConfig is the part of the page's config these tests read.
type mapConfig struct {
	Layers []struct {
		Name       string
		Visible    bool
		Theme      bool
		Features   int
		Categories []struct {
			Value string
			Count int
		}
		Levels []struct {
			Data     string
			MinZoom  float64
			Label    string
			Features int
		}
	}
	Panel struct {
		Rows []struct{ Label, Value, Note string }
	}
}

func readMapConfig(t *testing.T, page []byte) mapConfig {
	t.Helper()
	m := configRE.FindSubmatch(page)
	if m == nil {
		t.Fatal("no rlplan-config element in the page")
	}
	var c mapConfig
	if err := json.Unmarshal(m[1], &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPlanMap writes the map of a two-province plan whose week has
// consolidation hubs (Hainan has no plant in reach) and checks the story it
// tells: every kind in order, the province overview then the H3 levels
// down to every cell, shared data between themes, the hubs and line-haul
// legs as the schedule has them, unserved outlets by reason as the schedule
// has them (the layer is left out when every outlet is served), the KPI
// panel; then loads it in Chromium (when installed) and zooms through the
// levels.
func TestPlanMap(t *testing.T) {
	p := ogrPlan(t, []string{"CN-SH", "CN-HI"}, true)
	files, err := p.Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Schedule.Hubs) == 0 || len(p.Schedule.Linehaul) == 0 {
		t.Fatalf("%d hubs, %d line-haul legs: want Hainan's outlets emptied by hubs", len(p.Schedule.Hubs), len(p.Schedule.Linehaul))
	}
	var page bytes.Buffer
	if err := p.WriteMap(&page, files); err != nil {
		t.Fatal(err)
	}
	c := readMapConfig(t, page.Bytes())
	byName := map[string]int{}
	var names []string
	for i, l := range c.Layers {
		names = append(names, l.Name)
		byName[l.Name] = i
	}
	want := []string{"Retiring (t/yr)", "Within reach (share of t)", "Collected this week (share of due)", "Reach of existing outlets",
		"Reach added by new sites", "Plant catchments (intake used)", "Routes (truck-days)", "Hub catchments (outlets to their hub)", "Line-haul legs (hub to plant)", "Existing outlets",
		"New sites", "Consolidation hubs", "Plants (intake used)", "Plant capacity and investments", "Outlets not served (by reason)", "Heaviest cells beyond reach"}
	if len(p.Schedule.Unserved) == 0 {
		want = append(want[:len(want)-2:len(want)-2], want[len(want)-1])
	}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("map layers\n%q\nwant\n%q", names, want)
	}
	ret := c.Layers[0]
	if !ret.Theme || !ret.Visible || ret.Levels[0].Label != "by province" || ret.Levels[0].Features != 2 || ret.Levels[0].MinZoom != 0 {
		t.Errorf("retirements: first level %+v, want the 2 provinces from zoom 0", ret.Levels[0])
	}
	if n := len(ret.Levels); n != 5 || ret.Levels[n-1].Features != len(p.Cells) {
		t.Errorf("retirements: %d levels, finest with %d features; want provinces + H3 4..7, every one of the %d cells", n, ret.Levels[n-1].Features, len(p.Cells))
	}
	for j := 2; j < len(ret.Levels); j++ {
		if lv, prev := ret.Levels[j], ret.Levels[j-1]; lv.Features <= prev.Features || lv.MinZoom <= prev.MinZoom || prev.MinZoom < report.OverviewZoom && j > 1 {
			t.Errorf("retirements level %d: %d features from zoom %g after %d from %g; want more, finer cells later, hexagons from zoom %d", j, lv.Features, lv.MinZoom, prev.Features, prev.MinZoom, report.OverviewZoom)
		}
	}
	cov := c.Layers[1]
	if cov.Levels[0].Data != ret.Levels[0].Data || cov.Levels[1].Data != ret.Levels[1].Data {
		t.Errorf("coverage theme does not share the province and res-4 data with the retirements theme (%s %s vs %s %s)", cov.Levels[0].Data, cov.Levels[1].Data, ret.Levels[0].Data, ret.Levels[1].Data)
	}
	pairs := map[[2]string]bool{}
	for _, l := range p.Schedule.Linehaul {
		pairs[[2]string{l.Hub, l.Plant}] = true
	}
	if h, l := c.Layers[byName["Consolidation hubs"]], c.Layers[byName["Line-haul legs (hub to plant)"]]; h.Features != len(p.Schedule.Hubs) || l.Features != len(pairs) || !h.Visible || !l.Visible {
		t.Errorf("hubs %d, line-haul %d features; want the %d hubs and the %d hub-plant pairs of the week drawn", h.Features, l.Features, len(p.Schedule.Hubs), len(pairs))
	}
	// The capacity step's listed plants of the area (and any new plant it proposes there).
	if k, cl := len(p.Capacity.View(p.Regions.Keep).Plants), c.Layers[byName["Plant capacity and investments"]]; k == 0 || cl.Features < k || !cl.Visible {
		t.Errorf("capacity layer: %d features, visible %v; want the %d listed plants of the area at least", cl.Features, cl.Visible, k)
	}
	// Unserved by reason, as the schedule has them.
	byReason := map[string]int{}
	for _, u := range p.Schedule.Unserved {
		byReason[u.Reason]++
	}
	got := map[string]int{}
	for _, cat := range c.Layers[byName["Outlets not served (by reason)"]].Categories {
		if cat.Count > 0 {
			got[cat.Value] = cat.Count
		}
	}
	if !reflect.DeepEqual(got, byReason) && len(byReason) > 0 {
		t.Errorf("unserved on the map by reason %v, schedule %v", got, byReason)
	}
	k := p.KPIs.Routes
	var due float64
	for _, u := range p.Schedule.Unserved {
		due += u.WeekKg
	}
	due = (due + p.Schedule.CollectedKg + p.Schedule.HubOwnKg) / 1000
	if math.Abs(k.DueTonnes-due) > 0.001 || math.Abs(k.CollectedShare-k.CollectedTonnes/k.DueTonnes) > 1e-3 {
		t.Errorf("kpis due %g t, share %g; want collected + unserved week kg = %g t and collected/due", k.DueTonnes, k.CollectedShare, due)
	}
	rows := map[string]string{}
	for _, r := range c.Panel.Rows {
		rows[r.Label] = r.Value
	}
	if rows["Due this week"] != report.Thousands(k.DueTonnes, 0)+" t" || rows["Collected"] != report.Thousands(k.CollectedTonnes, 0)+" t" {
		t.Errorf("panel %v; want due %g t and collected %g t", rows, k.DueTonnes, k.CollectedTonnes)
	}

	bin := webmaptest.FindChrome()
	if bin == "" {
		t.Log("no Chromium: the page was checked, not drawn")
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "map.html")
	if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	br, _ := webmaptest.Load(t, bin, dir, path)
	steps := br.Sweep(t)
	if len(steps) != 5 {
		t.Errorf("zoom sweep of the retirements theme: %d steps, want 5", len(steps))
	}
	// Open one popup per layer switched on: every popup builds.
	var popups int
	if err := br.Eval(`(function () {
		var n = 0, seen = {};
		window.rlplanMap.setZoom(9, {animate: false});
		window.rlplanMap.eachLayer(function (l) {
			if (n < 300 && l.feature && l.getPopup && l.getPopup() && !seen[l._leaflet_id]) { seen[l._leaflet_id] = 1; l.openPopup(l.getLatLng ? l.getLatLng() : l.getBounds().getCenter()); n++; }
		});
		return n;
	})()`, &popups); err != nil {
		t.Fatal(err)
	}
	if popups == 0 {
		t.Errorf("no popup opened")
	}
	br.Check(t)
}
