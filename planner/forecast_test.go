package planner

import (
	"math"
	"testing"
)

func TestWeibullClosedForm(t *testing.T) {
	w := Weibull{Shape: 3.5, Scale: 8.89}
	cases := []struct {
		x, want float64
	}{
		// F(x) = 1 - exp(-(x/λ)^k), evaluated by hand.
		{0, 0},
		{-1, 0},
		{8.89, 1 - math.Exp(-1)}, // at the scale, always 1 - 1/e
		{4.445, 1 - math.Exp(-math.Pow(0.5, 3.5))},
		{17.78, 1 - math.Exp(-math.Pow(2, 3.5))},
	}
	for _, c := range cases {
		if got := w.CDF(c.x); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("CDF(%g) = %.15f, want %.15f", c.x, got, c.want)
		}
	}
	// Mean life 8 years for scale 8.89: Gamma(1 + 1/3.5) = 0.8997 (reference row).
	if m := w.Mean(); math.Abs(m-8.0) > 0.01 {
		t.Errorf("Mean = %g, want 8.00 ± 0.01", m)
	}
	if f := w.CDF(w.Median()); math.Abs(f-0.5) > 1e-12 {
		t.Errorf("CDF(Median) = %g, want 0.5", f)
	}
	// The mean equals the integral of the survival function.
	var integral float64
	const h = 0.001
	for x := h / 2; x < 60; x += h {
		integral += (1 - w.CDF(x)) * h
	}
	if math.Abs(integral-w.Mean()) > 1e-4 {
		t.Errorf("integral of survival = %g, Mean() = %g", integral, w.Mean())
	}
}

func TestRetiredSharesSumToOne(t *testing.T) {
	w := Weibull{Shape: 3.5, Scale: 9}
	var sum float64
	for y := 2020; y < 2100; y++ {
		s := w.RetiredShare(2020, y)
		if s < 0 {
			t.Fatalf("negative share %g in %d", s, y)
		}
		sum += s
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("shares of one cohort sum to %g over its life, want 1", sum)
	}
	if got, want := w.RetiredShare(2020, 2020), w.CDF(0.5); got != want {
		t.Errorf("first-year share %g, want F(0.5) = %g", got, want)
	}
}

func TestForecastHandChecked(t *testing.T) {
	w := Weibull{Shape: 2, Scale: 10}
	in := &Inputs{
		VehicleTypes: map[string]VehicleType{"bev": {Name: "bev", PackKg: 400, Life: Lifetime{Pack: w}}},
		Stock: []StockRow{
			{RegionID: "A", Province: "CN-GD", ModelYear: 2020, VehicleType: "bev", Vehicles: 1000},
			{RegionID: "B", Province: "CN-SH", ModelYear: 2022, VehicleType: "bev", Vehicles: 500},
		},
	}
	rows, err := Forecast(in, 2030, 2030, func(p string) bool { return p == "CN-GD" })
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].RegionID != "A" {
		t.Fatalf("rows = %+v, want only region A", rows)
	}
	// Age 9.5..10.5: exp(-0.9025) - exp(-1.1025) = 0.405555 - 0.332075.
	wantPacks := 1000 * (math.Exp(-0.9025) - math.Exp(-1.1025))
	if math.Abs(rows[0].Packs-wantPacks) > 1e-9 || math.Abs(rows[0].Tonnes-wantPacks*0.4) > 1e-9 {
		t.Errorf("A 2030: %g packs %g t, want %g packs %g t", rows[0].Packs, rows[0].Tonnes, wantPacks, wantPacks*0.4)
	}
	all, _ := Forecast(in, 2025, 2027, nil)
	nat, _ := Aggregate(all, "nation")
	if len(nat) != 3 {
		t.Fatalf("national rows %d, want 3 years", len(nat))
	}
	var sum float64
	for _, r := range all {
		if r.Year == 2026 {
			sum += r.Tonnes
		}
	}
	if math.Abs(nat[1].Tonnes-sum) > 1e-9 || nat[1].Year != 2026 {
		t.Errorf("national 2026 = %+v, want %g t", nat[1], sum)
	}
	if _, err := Forecast(in, 2030, 2020, nil); err == nil {
		t.Error("from > to accepted")
	}
}
