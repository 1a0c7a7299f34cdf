package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlplan/rlplan/geo/roads/roadstest"
	"github.com/rlplan/rlplan/planner"
)

const delawareTowns = `id,lat,lon
WILMINGTON,39.7391,-75.5398
DOVER,39.1582,-75.5244
NEWARK,39.6837,-75.7497
`

const delawareOutlets = `id,lat,lon
LEWES,38.7746,-75.1393
MIDDLETOWN,39.4496,-75.7163
SEAFORD,38.6412,-75.6110
GEORGETOWN,38.6901,-75.3855
MILFORD,38.9126,-75.4277
SMYRNA,39.2998,-75.6047
MILTON,38.7776,-75.3099
HARRINGTON,38.9237,-75.5777
LAUREL,38.5565,-75.5713
CAMDEN,39.1134,-75.5413
`

func writeTestFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for n, s := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRoadsMatrixCommand(t *testing.T) {
	pbf := roadstest.Delaware(t)
	dir := writeTestFiles(t, map[string]string{
		"towns.csv":      delawareTowns,
		"outlets.csv":    delawareOutlets,
		"sea.csv":        delawareOutlets + "SEA,38.72,-74.98\n",
		"far.csv":        delawareOutlets + "GUANGZHOU,23.13,113.26\n",
		"bad.csv":        "id,lat,lon\nX,95,-75\n",
		"notpbf.osm.pbf": "id,lat,lon\n",
	})
	p := func(n string) string { return filepath.Join(dir, n) }
	ctx := context.Background()
	base := []string{"roads", "matrix", "--osm", pbf, "--cache-dir", dir, "--from", p("towns.csv")}

	code, _, stderr := runInProcess(ctx, append(base, "--to", p("outlets.csv"), "-o", p("m1.csv"))...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "OpenStreetMap contributors") {
		t.Errorf("stderr lacks the ODbL attribution:\n%s", stderr)
	}
	m1, _ := os.ReadFile(p("m1.csv"))
	if lines := strings.Count(string(m1), "\n"); lines != 1+3*10 {
		t.Errorf("%d lines, want a header and 30 pairs:\n%s", lines, m1)
	}
	// The matrix is what --roads reads.
	known := map[string]bool{}
	for _, s := range []string{delawareTowns, delawareOutlets} {
		for _, l := range strings.Split(s, "\n")[1:] {
			if id, _, ok := strings.Cut(l, ","); ok {
				known[id] = true
			}
		}
	}
	rm, err := planner.ReadRoadMatrix(p("m1.csv"), known, nil)
	if err != nil || rm.Len() != 30 {
		t.Fatalf("ReadRoadMatrix: %v, %d legs; want the 30 pairs", err, rm.Len())
	}
	km, min, ok, okMin := rm.Leg("WILMINGTON", "LEWES")
	if !ok || !okMin || km < 120 || km > 160 || min < 100 || min > 200 {
		t.Errorf("Wilmington -> Lewes %.1f km %.1f min: want the 120-160 km road trip at truck speeds", km, min)
	}
	// Same input, same bytes, whatever the number of workers and the cache.
	code, _, stderr = runInProcess(ctx, append(base, "--to", p("outlets.csv"), "-o", p("m2.csv"), "--workers", "1", "--no-cache")...)
	m2, _ := os.ReadFile(p("m2.csv"))
	if code != 0 || string(m1) != string(m2) {
		t.Errorf("second run (1 worker, no cache): exit %d, identical %v\n%s", code, string(m1) == string(m2), stderr)
	}

	t.Run("point at sea", func(t *testing.T) {
		code, _, stderr := runInProcess(ctx, append(base, "--to", p("sea.csv"), "-o", p("sea_m.csv"), "--max-unplaced", "0.5", "--unreachable", p("sea_u.csv"))...)
		if code != 0 || !strings.Contains(stderr, "SEA") || !strings.Contains(stderr, "not_on_road 3") {
			t.Fatalf("exit %d, stderr:\n%s\nwant SEA reported and its 3 pairs counted", code, stderr)
		}
		u, _ := os.ReadFile(p("sea_u.csv"))
		want := "from_id,to_id,reason\nWILMINGTON,SEA,not_on_road\nDOVER,SEA,not_on_road\nNEWARK,SEA,not_on_road\n"
		if string(u) != want {
			t.Errorf("unreachable file:\n%s\nwant\n%s", u, want)
		}
		code, _, stderr = runInProcess(ctx, append(base, "--to", p("sea.csv"), "-o", p("sea2.csv"), "--max-unplaced", "0.05")...)
		if code != 3 || !strings.Contains(stderr, "too fragmented") || !strings.Contains(stderr, "sea.csv") {
			t.Errorf("1 of 11 points off the road over a 5 %% limit: exit %d, stderr:\n%s", code, stderr)
		}
		if _, err := os.Stat(p("sea2.csv")); err == nil {
			t.Error("a failed run wrote its output")
		}
	})
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"outside the extract", []string{"--to", p("far.csv")}, 3, "GUANGZHOU (23.1300, 113.2600)"},
		{"bad points", []string{"--to", p("bad.csv")}, 3, "bad.csv:2:3: column \"lat\""},
		{"not a PBF", []string{"--to", p("outlets.csv"), "--osm", p("notpbf.osm.pbf")}, 3, "not an OpenStreetMap PBF file"},
		{"km bound on fastest", []string{"--to", p("outlets.csv"), "--max-km", "50"}, 2, "--max-minutes"},
		{"no osm", []string{"--to", p("outlets.csv"), "--osm", ""}, 2, "--osm"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := p(c.name + ".csv")
			code, _, stderr := runInProcess(ctx, append(append(base, c.args...), "-o", out)...)
			if code != c.code || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, c.code, c.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a failed run wrote its output")
			}
		})
	}
}
