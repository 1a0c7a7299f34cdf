package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestCustodyEndToEnd runs the chain of custody on the default data, as a
// logistics team would: plan -> manifests -> trace simulate -> a scan file
// with one fault of each kind -> reconcile finds exactly those faults and
// nothing else; the clean scan file reconciles with exit code 0.
func TestCustodyEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("plans the default scenario on Shanghai (a few seconds)")
	}
	dir := t.TempDir()
	plan := filepath.Join(dir, "sh")
	run := func(want int, args ...string) string {
		t.Helper()
		code, out, errOut := runInProcess(context.Background(), args...)
		if code != want {
			t.Fatalf("rlplan %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out, errOut)
		}
		return out
	}
	run(exitOK, "plan", "--region", "CN-SH", "--out", plan) // Shanghai: the default data, a seventh of Guangdong's time

	// The plan wrote its manifests; `manifests DIR` on the written folder
	// gives the same files, byte for byte.
	again := filepath.Join(dir, "again")
	run(exitOK, "manifests", plan, "-o", again)
	sheet := readCSV(t, filepath.Join(plan, "routes.csv"))
	manifests := readCSV(t, filepath.Join(plan, "manifests.csv"))
	if len(manifests) != len(sheet) {
		t.Errorf("manifests.csv has %d rows, routes.csv %d: want one per stop", len(manifests), len(sheet))
	}
	requireSameFiles(t, filepath.Join(plan, "manifests.csv"), filepath.Join(again, "manifests.csv"))
	pages := listDir(t, filepath.Join(plan, "manifests"))
	truckDays := map[string]bool{}
	for _, r := range sheet[1:] {
		truckDays[r[1]+"/"+r[3]] = true
	}
	if len(pages) != len(truckDays)+1 {
		t.Errorf("%d manifest pages, want one per truck-day (%d) and index.html", len(pages), len(truckDays))
	}
	for _, p := range pages {
		requireSameFiles(t, filepath.Join(plan, "manifests", p), filepath.Join(again, "manifests", p))
	}

	// A faultless week, twice: the same files.
	out := run(exitOK, "trace", "simulate", plan)
	if !strings.Contains(out, "scan events") {
		t.Errorf("simulate printed:\n%s", out)
	}
	twice := filepath.Join(dir, "twice")
	run(exitOK, "trace", "simulate", plan, "-o", twice)
	requireSameFiles(t, filepath.Join(plan, "scans.csv"), filepath.Join(twice, "scans.csv"))
	requireSameFiles(t, filepath.Join(plan, "inventory.csv"), filepath.Join(twice, "inventory.csv"))
	run(exitError, "trace", "simulate", plan) // refuses to overwrite

	// Manifests with the inventory: every pack the trucks carry is due.
	codes := filepath.Join(dir, "codes")
	run(exitOK, "manifests", plan, "--inventory", filepath.Join(plan, "inventory.csv"), "-o", codes)
	due := readCSV(t, filepath.Join(codes, "manifest_packs.csv"))
	pickups := 0
	for _, r := range readCSV(t, filepath.Join(plan, "scans.csv"))[1:] {
		if r[1] == "pickup" {
			pickups++
		}
	}
	if len(due)-1 != pickups {
		t.Errorf("%d codes due, want the %d packs picked up in the faultless week", len(due)-1, pickups)
	}

	// The clean week reconciles.
	cleanOut := filepath.Join(dir, "clean")
	out = run(exitOK, "reconcile", "--plan", plan, "--scans", filepath.Join(plan, "scans.csv"), "-o", cleanOut)
	if !strings.Contains(out, "No discrepancies") {
		t.Errorf("clean reconcile printed:\n%s", out)
	}
	if rows := readCSV(t, filepath.Join(cleanOut, "discrepancies.csv")); len(rows) != 1 {
		t.Errorf("clean week: %d discrepancies", len(rows)-1)
	}

	// One fault of each kind: exactly those.
	faulty := filepath.Join(dir, "faulty")
	run(exitOK, "trace", "simulate", plan, "--faults", "lost,weight,unplanned,duplicate,malformed,overdue", "-o", faulty)
	found := filepath.Join(dir, "found")
	out = run(exitError, "reconcile", "--plan", plan, "--scans", filepath.Join(faulty, "scans.csv"), "--inventory", filepath.Join(faulty, "inventory.csv"), "-o", found)
	var want, got []string
	for _, f := range readCSV(t, filepath.Join(faulty, "faults.csv"))[1:] {
		want = append(want, f[1]+" "+f[2]+" "+f[3]) // rule, code, place
	}
	for _, d := range readCSV(t, filepath.Join(found, "discrepancies.csv"))[1:] {
		got = append(got, d[0]+" "+d[1]+" "+d[3]) // rule, code, outlet
	}
	sort.Strings(want)
	sort.Strings(got)
	if len(want) != 6 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("reconcile found\n  %s\nwant exactly the injected faults\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if !strings.Contains(out, "6 discrepancies:") {
		t.Errorf("summary:\n%s", out)
	}
	var layer struct {
		Type     string `json:"type"`
		Features []struct {
			Geometry *struct {
				Type string `json:"type"`
			} `json:"geometry"`
		} `json:"features"`
	}
	b, err := os.ReadFile(filepath.Join(found, "discrepancies.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &layer); err != nil || layer.Type != "FeatureCollection" || len(layer.Features) != 6 {
		t.Errorf("discrepancies.geojson: %v, %s with %d features", err, layer.Type, len(layer.Features))
	}
	for _, f := range layer.Features {
		if f.Geometry == nil || f.Geometry.Type != "Point" {
			t.Errorf("a discrepancy without a point: %+v", f)
		}
	}

	// kpis.json carries the carbon account.
	var k struct {
		Routes struct {
			CO2Kg float64 `json:"co2_kg"`
		} `json:"routes"`
		Carbon struct {
			Net        float64 `json:"net_kg_co2e_per_t"`
			Collection float64 `json:"collection_kg_co2e"`
			CollectedT float64 `json:"collected_t"`
		} `json:"carbon"`
	}
	b, err = os.ReadFile(filepath.Join(plan, "kpis.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &k); err != nil {
		t.Fatal(err)
	}
	// With the flat factors of the default fleet, the account's collection
	// emissions are the schedule's CO2 (same km, same g/km).
	if d := k.Carbon.Collection - k.Routes.CO2Kg; d > 1 || d < -1 || k.Carbon.CollectedT <= 0 || k.Carbon.Net >= 0 {
		t.Errorf("carbon: collection %v kg vs routes %v kg, %v t, net %v kg/t", k.Carbon.Collection, k.Routes.CO2Kg, k.Carbon.CollectedT, k.Carbon.Net)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func requireSameFiles(t *testing.T, a, b string) {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(x, y) {
		t.Errorf("%s and %s differ: %s", a, b, firstDifference(x, y))
	}
}
