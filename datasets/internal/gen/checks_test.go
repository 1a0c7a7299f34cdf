package main

import (
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir returns the shared reference data or skips the test.
func sharedDir(t *testing.T) string {
	t.Helper()
	shared := filepath.Join(repoRoot(t), "..", "shared", "data")
	if env := os.Getenv("RLPLAN_SHARED_DATA"); env != "" {
		shared = env
	}
	if _, err := os.Stat(filepath.Join(shared, "china_official_figures.csv")); err != nil {
		t.Skipf("shared reference data not found at %s (set RLPLAN_SHARED_DATA): %v", shared, err)
	}
	return shared
}

// The self-checks fail when the calibration is pushed off the published
// record: a 2023 target outside 400-620 kt, or pack lives that leave the
// published service life (here narrowed to 6.4-6.6 years around the same
// midpoint, which the calibrated 5.95 years leaves).
func TestSelfChecksFailOffTheRecord(t *testing.T) {
	shared := sharedDir(t)
	for _, c := range []struct {
		set  map[string]float64
		want string
	}{
		{map[string]float64{"retired_2023_target": 700e3}, "national retirement 2023 700000 t is outside"},
		{map[string]float64{"retired_2023_target": 380e3}, "national retirement 2023 380000 t is outside"},
		{map[string]float64{"pack_service_life_min": 6.4, "pack_service_life_max": 6.6}, "leaves the published"},
	} {
		in, err := readInputs(shared, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range c.set {
			f := in.figures[k]
			f.value = v
			in.figures[k] = f
		}
		m, err := buildModel(in, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		err = selfChecks(in, m, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("figures %v: self-check error %v, want one containing %q", c.set, err, c.want)
		}
	}
}

// The calibrated model reproduces its targets: the MoT segment stocks and
// the 2023 retirement.
func TestCalibrationHitsTargets(t *testing.T) {
	in, err := readInputs(sharedDir(t), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m, err := buildModel(in, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	coh, err := m.plan.cohorts()
	if err != nil {
		t.Fatal(err)
	}
	lv := m.plan.lives()
	for _, c := range []struct {
		date  float64
		key   string
		types []int
	}{{2017, "bus_stock_2016", []int{tBus, tBusPHEV}}, {2017, "taxi_stock_2016", []int{tOperatingBEV}},
		{2023, "bus_stock_2022", []int{tBus, tBusPHEV}}, {2024, "logistics_stock_2023", []int{tCommercial}}} {
		if got, want := stockOf(coh, lv, c.date, c.types...), in.figures.mustGet(c.key); math.Abs(got/want-1) > 1e-6 {
			t.Errorf("%s: %.0f modelled, want %.0f", c.key, got, want)
		}
	}
	if got, _ := retiredNational(coh, m.types, lv, 2023); math.Abs(got/in.figures.mustGet("retired_2023_target")-1) > 1e-6 {
		t.Errorf("2023 retirement %.0f t, want the target %.0f", got, in.figures.mustGet("retired_2023_target"))
	}
}

// With exponential lives (shape 1) the packs of a year have a closed form
// (see planner/domain's test of the same model): first packs leave at rate
// b+v; second packs are repl ∫ (1-e^{-bt}) v e^{-vt} dt.
func TestLifeExponentialClosedForm(t *testing.T) {
	const b, v, r = 0.2, 0.1, 0.6
	l := life{shape: 1.0001, packScale: 1 / b, vehScale: 1 / v, repl: r} // shape just above 1 keeps the density finite at 0
	e := math.Exp
	for _, age := range []int{1, 3, 8} {
		a0, a1 := float64(age)-0.5, float64(age)+0.5
		want := e(-(b+v)*a0) - e(-(b+v)*a1) + r*((e(-v*a0)-e(-v*a1))-v/(b+v)*(e(-(b+v)*a0)-e(-(b+v)*a1)))
		if got := l.retired(2020, 2020+age); math.Abs(got-want) > 2e-3*want {
			t.Errorf("age %d: %.6f packs per vehicle, want %.6f", age, got, want)
		}
	}
	x := 4.0
	if got, want := l.inUse(x), e(-v*x)*(e(-b*x)+r*(1-e(-b*x))); math.Abs(got-want) > 1e-3 {
		t.Errorf("inUse(%g) = %g, want %g", x, got, want)
	}
}
