package planner

import (
	"context"
	"math"
	"testing"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/geo"
)

func loadDefault(t testing.TB) *Inputs {
	t.Helper()
	in, err := (&Loader{Defaults: datasets.FS}).Load(InputPaths{})
	if err != nil {
		t.Fatalf("embedded dataset: %v", err)
	}
	return in
}

func TestDensityConservesMass(t *testing.T) {
	in := loadDefault(t)
	reg, err := ParseRegions(in, []string{"CN-GD", "CN-HI"})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := Forecast(in, 2030, 2030, reg.Keep)
	if err != nil {
		t.Fatal(err)
	}
	var wantT, wantP float64
	for _, r := range rows {
		wantT += r.Tonnes
		wantP += r.Packs
	}
	for _, res := range []int{5, 7} {
		cells, err := Density(context.Background(), in, 2030, res, reg)
		if err != nil {
			t.Fatal(err)
		}
		var gotT, gotP float64
		for i, c := range cells {
			if i > 0 && cells[i-1].Cell >= c.Cell {
				t.Fatalf("res %d: cells not sorted and unique at %d", res, i)
			}
			if c.Cell.Resolution() != res {
				t.Fatalf("cell %s has resolution %d, want %d", c.Cell, c.Cell.Resolution(), res)
			}
			if c.Province != "CN-GD" && c.Province != "CN-HI" {
				t.Fatalf("cell %s in province %q, outside the selection", c.Cell, c.Province)
			}
			gotT += c.Tonnes
			gotP += c.Packs
		}
		if math.Abs(gotT-wantT) > 1e-9*wantT || math.Abs(gotP-wantP) > 1e-9*wantP {
			t.Errorf("res %d: cells sum to %.6f t %.6f packs, regions to %.6f t %.6f packs", res, gotT, gotP, wantT, wantP)
		}
		if wantT < 1000 {
			t.Errorf("Guangdong+Hainan 2030: %.0f t, implausibly small", wantT)
		}
	}
}

func TestDensityDeterministicAndLayerValid(t *testing.T) {
	in := loadDefault(t)
	reg, _ := ParseRegions(in, []string{"CN-HI"})
	a, err := Density(context.Background(), in, 2030, 7, reg)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Density(context.Background(), in, 2030, 7, reg)
	if len(a) != len(b) {
		t.Fatalf("two runs: %d vs %d cells", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("two runs differ at cell %d: %+v vs %+v", i, a[i], b[i])
		}
	}
	fc, err := DensityLayer(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fc.Features {
		for _, key := range []string{"h3", "packs", "tonnes", "province"} {
			if _, ok := f.Properties[key]; !ok {
				t.Fatalf("feature lacks property %q", key)
			}
		}
	}
}

func TestDensityRefusesAbsurdGrid(t *testing.T) {
	in := loadDefault(t)
	_, err := Density(context.Background(), in, 2030, 15, Regions{})
	if err == nil {
		t.Fatal("resolution 15 for the whole country accepted")
	}
	t.Log(err)
}

// Nearest outlet from the index equals brute force on real outlets.
func TestCoverageNearestIsExact(t *testing.T) {
	in := loadDefault(t)
	reg, _ := ParseRegions(in, []string{"CN-ZJ"})
	cells, err := Density(context.Background(), in, 2030, 6, reg)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := geo.NewDetour(1.3)
	cov, err := AnalyzeCoverage(cells, in.Outlets, 15, d, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cells {
		best := math.Inf(1)
		for _, o := range in.Outlets {
			best = math.Min(best, float64(geo.Haversine(c.Center, o.Point))*1.3)
		}
		if math.Abs(best-cov.Service[i].Km) > 1e-9 {
			t.Fatalf("cell %d: index says %.6f km, brute force %.6f km", i, cov.Service[i].Km, best)
		}
	}
	if s := cov.National.CoveredTonnesShare; s <= 0 || s > 1 {
		t.Errorf("covered share %g outside (0, 1]", s)
	}
}
