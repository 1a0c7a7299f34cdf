package domain

import (
	"math"
	"testing"
)

// With no vehicle life the lifetime is the pack's Weibull alone.
func TestLifetimeWithoutVehicleIsPackWeibull(t *testing.T) {
	w := Weibull{Shape: 3.5, Scale: 9}
	l := Lifetime{Pack: w, Replacement: 1} // a replacement share without a vehicle life changes nothing
	for y := 2015; y < 2050; y++ {
		if got, want := l.RetiredShare(2015, y), w.RetiredShare(2015, y); got != want {
			t.Fatalf("year %d: %g, want the pack Weibull's %g", y, got, want)
		}
	}
	if got, want := l.InUse(7), 1-w.CDF(7); got != want {
		t.Errorf("InUse(7) = %g, want %g", got, want)
	}
}

// exponential lifetimes (shape 1) have closed forms: with pack rate b and
// vehicle rate v, P(pack worn out first) = b/(b+v), first packs leave at
// rate b+v, and second packs between ages a0 and a1 are
// r [(e^{-v a0} - e^{-v a1}) - v/(b+v) (e^{-(b+v) a0} - e^{-(b+v) a1})].
func TestLifetimeExponentialClosedForm(t *testing.T) {
	const b, v, r = 1.0 / 5, 1.0 / 10, 0.6
	l := Lifetime{Pack: Weibull{Shape: 1, Scale: 5}, Vehicle: Weibull{Shape: 1, Scale: 10}, Replacement: r}
	e := math.Exp
	for _, age := range []int{0, 1, 3, 8} {
		a0, a1 := math.Max(float64(age)-0.5, 0), float64(age)+0.5
		first := e(-(b+v)*a0) - e(-(b+v)*a1)
		second := (e(-v*a0) - e(-v*a1)) - v/(b+v)*(e(-(b+v)*a0)-e(-(b+v)*a1))
		want := first + r*second
		if got := l.RetiredShare(2020, 2020+age); math.Abs(got-want) > 1e-4*want {
			t.Errorf("age %d: %.6f packs per vehicle, want %.6f", age, got, want)
		}
	}
	var sum float64
	for y := 2020; y < 2400; y++ {
		sum += l.RetiredShare(2020, y)
	}
	if want := 1 + r*b/(b+v); math.Abs(sum-want) > 1e-4 {
		t.Errorf("packs per vehicle over the cohort's life %.6f, want 1 + r·b/(b+v) = %.6f", sum, want)
	}
	// Registered vehicles: scrapped ones are gone, and of those whose pack
	// wore out only the share r stays.
	x := 4.0
	if got, want := l.InUse(x), e(-v*x)*(e(-b*x)+r*(1-e(-b*x))); math.Abs(got-want) > 1e-12 {
		t.Errorf("InUse(%g) = %g, want %g", x, got, want)
	}
}

// Without replacement every vehicle retires exactly one pack, whatever the
// two lives, and earlier than with the pack life alone.
func TestLifetimeNoReplacementOnePackPerVehicle(t *testing.T) {
	l := Lifetime{Pack: Weibull{Shape: 3.5, Scale: 7}, Vehicle: Weibull{Shape: 0.8, Scale: 12}}
	var sum, earlyBoth, earlyPack float64
	for y := 2020; y < 2200; y++ {
		s := l.RetiredShare(2020, y)
		if s < 0 || math.IsNaN(s) {
			t.Fatalf("year %d: share %g", y, s) // shape < 1: infinite density at age 0 must not leak
		}
		sum += s
		if y < 2026 {
			earlyBoth += s
			earlyPack += l.Pack.RetiredShare(2020, y)
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("packs per vehicle %g, want 1", sum)
	}
	if earlyBoth <= earlyPack {
		t.Errorf("by 2025 %g packs per vehicle with scrapping, %g without; want more with", earlyBoth, earlyPack)
	}
}
