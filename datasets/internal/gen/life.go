package main

import "math"

// life is the two-lives model of vehicle_types.csv: a pack leaves when it
// is worn out (pack Weibull) or when its vehicle is scrapped (vehicle
// Weibull), whichever is first; a share repl of the vehicles whose pack
// wears out first get a second pack, which leaves with the vehicle. The
// planner implements the same model (planner/domain.Lifetime); this copy is
// written independently so the two check each other through the tests.
type life struct {
	shape, packScale, vehScale, repl float64
}

// meanToScale converts a Weibull mean into its scale: mean = scale x Γ(1+1/k).
func meanToScale(mean, shape float64) float64 { return mean / math.Gamma(1+1/shape) }

// packsPerVehicle is the number of packs one vehicle of a cohort retires
// between ages a0 and a1 (0 <= a0 < a1).
func (l life) packsPerVehicle(a0, a1 float64) float64 {
	s := func(x float64) float64 { // first pack still in a running vehicle
		return (1 - weibullCDF(x, l.shape, l.packScale)) * (1 - weibullCDF(x, l.shape, l.vehScale))
	}
	packs := s(a0) - s(a1)
	// Second packs leave with vehicles scrapped in [a0, a1] whose first
	// pack wore out earlier: repl x ∫ F_pack(t) f_vehicle(t) dt, by the
	// trapezoid rule on 64 steps (the density is finite: shape > 1).
	const n = 64
	h := (a1 - a0) / n
	var integral float64
	for i := 0; i <= n; i++ {
		t := a0 + float64(i)*h
		w := 1.0
		if i == 0 || i == n {
			w = 0.5
		}
		integral += w * weibullCDF(t, l.shape, l.packScale) * weibullPDF(t, l.shape, l.vehScale)
	}
	return packs + l.repl*integral*h
}

// retiredKey memoises retired: it depends on the lifetime and the age only,
// and the generator asks for the same ages of the same few lifetimes for
// every one of tens of thousands of stock rows.
type retiredKey struct {
	l   life
	age int
}

// retiredMemo is used by the (single-threaded) generator only.
var retiredMemo = map[retiredKey]float64{}

// retired is the number of packs per registered vehicle that model year c
// retires in calendar year y (registrations at mid-year).
func (l life) retired(c, y int) float64 {
	a1 := float64(y-c) + 0.5
	if a1 <= 0 {
		return 0
	}
	k := retiredKey{l, y - c}
	if v, ok := retiredMemo[k]; ok {
		return v
	}
	v := l.packsPerVehicle(math.Max(0, a1-1), a1)
	retiredMemo[k] = v
	return v
}

// inUse is the share of a cohort's vehicles still registered at age x.
func (l life) inUse(x float64) float64 {
	if x <= 0 {
		return 1
	}
	fb := weibullCDF(x, l.shape, l.packScale)
	return (1 - weibullCDF(x, l.shape, l.vehScale)) * (1 - fb + l.repl*fb)
}

// weibullPDF is the Weibull density (k/λ)(x/λ)^(k-1) exp(-(x/λ)^k), 0 for x <= 0.
func weibullPDF(x, shape, scale float64) float64 {
	if x <= 0 {
		return 0
	}
	z := x / scale
	return shape / scale * math.Pow(z, shape-1) * math.Exp(-math.Pow(z, shape))
}
