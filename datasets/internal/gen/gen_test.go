package main

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// repoRoot walks up from the test's directory to the directory of go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// TestGeneratorReproducesCommittedData regenerates the dataset from
// ../shared/data into a temporary directory and requires it to be
// byte-identical to datasets/data: the generator is deterministic and the
// committed files are not stale.
func TestGeneratorReproducesCommittedData(t *testing.T) {
	root := repoRoot(t)
	shared := filepath.Join(root, "..", "shared", "data")
	if env := os.Getenv("RLPLAN_SHARED_DATA"); env != "" {
		shared = env // a worktree that does not sit next to shared/
	}
	if _, err := os.Stat(filepath.Join(shared, "china_official_figures.csv")); err != nil {
		t.Skipf("shared reference data not found at %s: %v", shared, err)
	}
	tmp := t.TempDir()
	if err := run(shared, tmp, io.Discard); err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join(root, "datasets", "data")
	got, want := listDir(t, tmp), listDir(t, committed)
	if !equalStrings(got, want) {
		t.Fatalf("generated files %v, committed files %v", got, want)
	}
	for _, n := range got {
		a, err := os.ReadFile(filepath.Join(tmp, n))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(committed, n))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: regenerated file (%d bytes) differs from the committed one (%d bytes); run go generate ./datasets", n, len(a), len(b))
		}
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLargestRemainder(t *testing.T) {
	cases := []struct {
		total int64
		w     []float64
		want  []int64
	}{
		{10, []float64{1, 1, 1}, []int64{4, 3, 3}},        // tie goes to the lower index
		{7, []float64{0.5, 0.25, 0.25}, []int64{3, 2, 2}}, // quotas 3.5, 1.75, 1.75
		{5, []float64{0, 1, 0}, []int64{0, 5, 0}},
		{0, []float64{1, 2}, []int64{0, 0}},
		{3, []float64{0, 0}, []int64{0, 0}}, // no weight: nothing to split
	}
	for _, c := range cases {
		got := largestRemainder(c.total, c.w)
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("largestRemainder(%d, %v) = %v, want %v", c.total, c.w, got, c.want)
				break
			}
		}
	}
	// Property: the parts always sum to the total and stay within 1 of the quota.
	w := []float64{3.3, 0.01, 7, 2.2, 0.5, 11}
	for total := int64(1); total < 500; total += 37 {
		var sum int64
		for i, v := range largestRemainder(total, w) {
			sum += v
			q := float64(total) * w[i] / 24.01
			if math.Abs(float64(v)-q) >= 1 {
				t.Errorf("total %d: part %d = %d, quota %.3f", total, i, v, q)
			}
		}
		if sum != total {
			t.Errorf("total %d: parts sum to %d", total, sum)
		}
	}
}

func TestWeibullCDF(t *testing.T) {
	if got := weibullCDF(0, 3.5, 9); got != 0 {
		t.Errorf("F(0) = %v, want 0", got)
	}
	if got := weibullCDF(-1, 3.5, 9); got != 0 {
		t.Errorf("F(-1) = %v, want 0", got)
	}
	// At x = scale the CDF is 1 - 1/e whatever the shape.
	if got, want := weibullCDF(9, 3.5, 9), 1-math.Exp(-1); math.Abs(got-want) > 1e-12 {
		t.Errorf("F(scale) = %v, want %v", got, want)
	}
}

// TestBEVShares checks the derived BEV shares against hand computation from
// the official figures (BEV and NEV stock increments).
func TestBEVShares(t *testing.T) {
	fs := facts{
		{metric: "nev_stock", scope: "CN", asOf: "2020-12-31", value: 4.92e6, note: "BEV ~4.00M (secondary source)"},
		{metric: "nev_stock", scope: "CN", asOf: "2021-12-31", value: 7.84e6, note: "BEV 6.40M = 81.63%"},
		{metric: "nev_stock", scope: "CN", asOf: "2022-12-31", value: 13.10e6, note: "BEV 10.45M = 79.78%"},
		{metric: "nev_stock", scope: "CN", asOf: "2023-09-30", value: 18.21e6, note: "BEV 14.01M"},
		{metric: "nev_stock", scope: "CN", asOf: "2024-06-30", value: 24.72e6, note: "BEV 18.13M"},
		{metric: "nev_stock", scope: "CN", asOf: "2024-12-31", value: 31.40e6},
		{metric: "bev_stock", scope: "CN", asOf: "2024-12-31", value: 22.09e6},
		{metric: "nev_stock", scope: "CN", asOf: "2025-12-31", value: 43.97e6},
		{metric: "bev_stock", scope: "CN", asOf: "2025-12-31", value: 30.22e6},
	}
	got, err := bevShares(fs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]float64{
		2016: 4.00 / 4.92,
		2021: 2.40 / 2.92,
		2022: 4.05 / 5.26,
		2023: 0.75*3.56/5.11 + 0.25*4.12/6.51,
		2024: 0.5*4.12/6.51 + 0.5*3.96/6.68,
		2025: 8.13 / 12.57,
	}
	for y, w := range want {
		if g := got[y-firstYear]; math.Abs(g-w) > 1e-9 {
			t.Errorf("BEV share %d = %.6f, want %.6f", y, g, w)
		}
	}
	fs[2].note = "changed"
	if _, err := bevShares(fs); err == nil {
		t.Error("bevShares accepted a row whose note no longer states the BEV stock")
	}
}

func TestDedupKeepsLarger(t *testing.T) {
	ps := []place{
		{id: "A", lat: 30, lon: 120, pop: 10},
		{id: "B", lat: 30.01, lon: 120, pop: 100}, // 1.1 km from A: absorbs A
		{id: "C", lat: 30.1, lon: 120, pop: 5},    // 10 km away: kept
	}
	kept, absorbed := dedup(ps, 3)
	if len(kept) != 2 || kept[0].id != "B" || kept[1].id != "C" || absorbed["A"] != "B" {
		t.Errorf("dedup kept %v absorbed %v, want B and C kept, A absorbed by B", kept, absorbed)
	}
}
