package planner

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

// projInputs: two cities, two vehicle types, model years 2024 and 2025.
func projInputs() *Inputs {
	return &Inputs{
		VehicleTypes: map[string]VehicleType{
			"bev": {Name: "bev", PackKg: 400, Life: Lifetime{Pack: Weibull{Shape: 3.5, Scale: 8.9}}},
			"bus": {Name: "bus", PackKg: 2000, Life: Lifetime{Pack: Weibull{Shape: 3.5, Scale: 6}}},
		},
		Stock: []StockRow{
			{RegionID: "R2", Province: "CN-SH", ModelYear: 2025, VehicleType: "bev", Vehicles: 1000},
			{RegionID: "R1", Province: "CN-GD", ModelYear: 2024, VehicleType: "bev", Vehicles: 500},
			{RegionID: "R1", Province: "CN-GD", ModelYear: 2025, VehicleType: "bev", Vehicles: 800},
			{RegionID: "R1", Province: "CN-GD", ModelYear: 2025, VehicleType: "bus", Vehicles: 10},
			// A city with no 2025 registrations gets no projection.
			{RegionID: "R3", Province: "CN-HI", ModelYear: 2024, VehicleType: "bev", Vehicles: 300},
		},
	}
}

func TestProjectRegistrationsHandChecked(t *testing.T) {
	in := projInputs()
	n, err := ProjectRegistrations(in, Registrations{Until: 2027, GrowthPct: 10})
	if err != nil {
		t.Fatal(err)
	}
	// Three (region, type) pairs have a 2025 row, two years each.
	if n != 6 || len(in.Stock) != 11 {
		t.Fatalf("added %d rows (stock %d), want 6 (11)", n, len(in.Stock))
	}
	want := []struct {
		region, vtype string
		year          int
		vehicles      float64
	}{
		{"R1", "bev", 2026, 880}, {"R1", "bev", 2027, 968},
		{"R1", "bus", 2026, 11}, {"R1", "bus", 2027, 12.1},
		{"R2", "bev", 2026, 1100}, {"R2", "bev", 2027, 1210},
	}
	for i, w := range want {
		got := in.Stock[5+i]
		if got.RegionID != w.region || got.VehicleType != w.vtype || got.ModelYear != w.year || math.Abs(got.Vehicles-w.vehicles) > 1e-9 {
			t.Errorf("row %d = %s %s %d %g, want %s %s %d %g", 5+i, got.RegionID, got.VehicleType, got.ModelYear, got.Vehicles,
				w.region, w.vtype, w.year, w.vehicles)
		}
	}
	if in.Stock[5].Province != "CN-GD" || in.Stock[9].Province != "CN-SH" {
		t.Errorf("projected rows lost their province: %+v", in.Stock[5:])
	}
}

// The forecast of a projected stock equals the cohort sum written out by
// hand, and the warning for the unprojected stock names exactly the tonnes
// a flat projection adds.
func TestProjectionForecastAndWarning(t *testing.T) {
	const year = 2030
	base := projInputs()
	msg := MissingCohorts(base, year, nil)
	before := forecastTonnes(t, base, year)

	in := projInputs()
	if _, err := ProjectRegistrations(in, Registrations{Until: year}); err != nil {
		t.Fatal(err)
	}
	after := forecastTonnes(t, in, year)
	var hand float64
	for _, s := range base.Stock {
		vt := base.VehicleTypes[s.VehicleType]
		hand += s.Vehicles * vt.Life.RetiredShare(s.ModelYear, year) * vt.PackKg / 1000
		if s.ModelYear == 2025 {
			for c := 2026; c <= year; c++ {
				hand += s.Vehicles * vt.Life.RetiredShare(c, year) * vt.PackKg / 1000
			}
		}
	}
	if math.Abs(after-hand) > 1e-9*hand {
		t.Errorf("projected forecast %g t, by hand %g t", after, hand)
	}
	added := after - before
	if !(added > 0) {
		t.Fatalf("projection added %g t", added)
	}
	// Registrations past 2030 retire nothing in 2030: projecting further
	// changes nothing.
	far := projInputs()
	if _, err := ProjectRegistrations(far, Registrations{Until: 2040}); err != nil {
		t.Fatal(err)
	}
	if got := forecastTonnes(t, far, year); math.Abs(got-after) > 1e-9*after {
		t.Errorf("projecting to 2040 gives %g t in 2030, to 2030 gives %g t", got, after)
	}
	for _, want := range []string{"up to 2025 only", "in 2030 it retires " + fmtT(before) + " t", "add about " + fmtT(added) + " t"} {
		if !strings.Contains(msg, want) {
			t.Errorf("warning %q lacks %q", msg, want)
		}
	}
	// Quiet where nothing is missing: the stock's own years, and years when
	// later cohorts retire less than 1 % of the recorded tonnes.
	for _, y := range []int{2024, 2025, 2026} {
		if m := MissingCohorts(base, y, nil); m != "" {
			t.Errorf("MissingCohorts(%d) = %q, want quiet", y, m)
		}
	}
	// keep: a province without 2025 registrations misses nothing.
	if m := MissingCohorts(base, year, func(p string) bool { return p == "CN-HI" }); m != "" {
		t.Errorf("CN-HI only: %q, want quiet", m)
	}
}

func fmtT(tonnes float64) string { return fmt.Sprintf("%.0f", tonnes) }

func forecastTonnes(t *testing.T, in *Inputs, year int) float64 {
	t.Helper()
	rows, err := Forecast(in, year, year, nil)
	if err != nil {
		t.Fatal(err)
	}
	var s float64
	for _, r := range rows {
		s += r.Tonnes
	}
	return s
}

func TestProjectionOrderAndLimits(t *testing.T) {
	// The stock's row order does not change the projected rows.
	a, b := projInputs(), projInputs()
	for i, j := 0, len(b.Stock)-1; i < j; i, j = i+1, j-1 {
		b.Stock[i], b.Stock[j] = b.Stock[j], b.Stock[i]
	}
	r := Registrations{Until: 2031, GrowthPct: -3.5}
	na, _ := ProjectRegistrations(a, r)
	nb, _ := ProjectRegistrations(b, r)
	if na != nb {
		t.Fatalf("added %d vs %d rows", na, nb)
	}
	for i := 0; i < na; i++ {
		if a.Stock[5+i] != b.Stock[5+i] {
			t.Errorf("row %d differs with the stock reversed: %+v vs %+v", i, a.Stock[5+i], b.Stock[5+i])
		}
	}
	// Nothing to do: no projection, or up to the stock's own newest year.
	for _, r := range []Registrations{{}, {Until: 2025}, {Until: 2025, GrowthPct: 50}} {
		in := projInputs()
		if n, err := ProjectRegistrations(in, r); n != 0 || err != nil || len(in.Stock) != 5 {
			t.Errorf("%+v: added %d, err %v", r, n, err)
		}
	}
	bad := []struct {
		r   Registrations
		key string
		msg string
	}{
		{Registrations{Until: 2024}, "until", "records model years up to 2025"},
		{Registrations{Until: 2076}, "until", "at most 50 years"},
		{Registrations{Until: 2030, GrowthPct: -100}, "growth_pct", "greater than -100"},
		{Registrations{Until: 2030, GrowthPct: 101}, "growth_pct", "at most 100"},
		{Registrations{Until: 2030, GrowthPct: math.NaN()}, "growth_pct", "NaN"},
		{Registrations{GrowthPct: math.Inf(1)}, "growth_pct", "+Inf"},
	}
	for _, c := range bad {
		in := projInputs()
		_, err := ProjectRegistrations(in, c.r)
		var pe *ProjectionError
		if !errors.As(err, &pe) || pe.Key != c.key || !strings.Contains(err.Error(), c.msg) || pe.ExitCode() != 2 {
			t.Errorf("%+v: err %v, want a ProjectionError on %s mentioning %q", c.r, err, c.key, c.msg)
		}
		if len(in.Stock) != 5 {
			t.Errorf("%+v: stock changed on error (%d rows)", c.r, len(in.Stock))
		}
	}
}

// The default scenario projects the embedded stock's registrations; a
// scenario with a stock of its own projects only what it asks for.
func TestScenarioRegistrationsDefault(t *testing.T) {
	if got := DefaultScenario().Registrations; got != DefaultRegistrations || !got.On() {
		t.Errorf("default scenario projects %+v, want %+v", got, DefaultRegistrations)
	}
	cases := []struct {
		name, yaml string
		want       Registrations
	}{
		{"embedded stock", "name: x\n", DefaultRegistrations},
		{"own stock", "inputs:\n  stock: my.csv\n", Registrations{}},
		{"own stock, projection asked", "inputs:\n  stock: my.csv\nregistrations:\n  until: 2030\n", Registrations{Until: 2030, GrowthPct: DefaultRegistrations.GrowthPct}},
		{"embedded stock, projection off", "registrations:\n  until: 0\n", Registrations{GrowthPct: DefaultRegistrations.GrowthPct}},
	}
	for _, c := range cases {
		s, err := ParseScenario(c.name, strings.NewReader(c.yaml))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if s.Registrations != c.want {
			t.Errorf("%s: registrations %+v, want %+v", c.name, s.Registrations, c.want)
		}
	}
}
