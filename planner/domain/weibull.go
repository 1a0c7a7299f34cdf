package domain

import "math"

// Weibull is a lifetime distribution: the share of packs retired by age x
// (years since registration) is F(x) = 1 - exp(-(x/Scale)^Shape).
// Shape about 3.5 with a mean life near 8 years is the common model for
// traction batteries (see datasets/README.md for the sources).
type Weibull struct{ Shape, Scale float64 }

// CDF returns the share retired by age x; 0 for x <= 0.
func (w Weibull) CDF(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return -math.Expm1(-math.Pow(x/w.Scale, w.Shape))
}

// Mean returns the mean life Scale * Gamma(1 + 1/Shape).
func (w Weibull) Mean() float64 { return w.Scale * math.Gamma(1+1/w.Shape) }

// Median returns the median life Scale * ln(2)^(1/Shape).
func (w Weibull) Median() float64 { return w.Scale * math.Pow(math.Ln2, 1/w.Shape) }

// RetiredShare is the share of a cohort registered during model year c that
// retires during calendar year y. Registrations are taken to fall on average
// at mid-year, so the cohort is y-c-0.5 years old when year y starts.
func (w Weibull) RetiredShare(c, y int) float64 {
	age := float64(y - c)
	return w.CDF(age+0.5) - w.CDF(age-0.5)
}

// Lifetime says when the packs of one vehicle class leave the road. A pack
// leaves when it is worn out (Pack) or when its vehicle is scrapped
// (Vehicle), whichever comes first. When the pack wears out first, a share
// Replacement of the vehicles get a second pack and stay on the road; that
// pack leaves with the vehicle. The others are scrapped with their first
// pack. At most one replacement per vehicle is counted: a second pack worn
// out before the vehicle is scrapped leaves when the vehicle does.
//
// The zero Vehicle (Shape or Scale 0) means the vehicle's life is not
// modelled: packs leave when worn out, one per vehicle, as with the Pack
// distribution alone. Pack and Vehicle are independent.
type Lifetime struct {
	Pack        Weibull // age at which a pack is worn out
	Vehicle     Weibull // age at which a vehicle is scrapped; zero: not modelled
	Replacement float64 // share of vehicles given a second pack, 0..1
}

// HasVehicle reports whether the vehicle's life is modelled.
func (l Lifetime) HasVehicle() bool { return l.Vehicle.Shape > 0 && l.Vehicle.Scale > 0 }

// survival returns the share of a cohort's vehicles still carrying their
// first pack at age x: neither the pack worn out nor the vehicle scrapped.
func (l Lifetime) survival(x float64) float64 {
	s := 1 - l.Pack.CDF(x)
	if l.HasVehicle() {
		s *= 1 - l.Vehicle.CDF(x)
	}
	return s
}

// secondPackSteps is the number of sub-intervals per year of the integral
// of second-pack retirements (error well under 0.1 % of a year's flow).
const secondPackSteps = 16

// packsBetween returns the packs leaving per vehicle registered at age 0
// between ages a0 and a1 (0 <= a0 <= a1): first packs (worn out, or with
// the scrapped vehicle) and second packs (with the scrapped vehicle).
func (l Lifetime) packsBetween(a0, a1 float64) float64 {
	first := l.survival(a0) - l.survival(a1)
	if l.Replacement == 0 {
		return first
	}
	// Second packs: vehicles scrapped in [a0, a1] whose first pack had worn
	// out, ∫ F_pack dF_vehicle, as a Stieltjes sum with exact increments of
	// F_vehicle (no density, so any shape is safe near age 0).
	var second float64
	h := (a1 - a0) / secondPackSteps
	prev := l.Vehicle.CDF(a0)
	for i := 1; i <= secondPackSteps; i++ {
		t := a0 + float64(i)*h
		cur := l.Vehicle.CDF(t)
		second += l.Pack.CDF(t-h/2) * (cur - prev)
		prev = cur
	}
	return first + l.Replacement*second
}

// RetiredShare is the number of packs per registered vehicle that a cohort
// registered during model year c retires during calendar year y. As with
// Weibull.RetiredShare, registrations fall on average at mid-year. Over a
// cohort's whole life the shares sum to 1 + Replacement x P(pack worn out
// before the vehicle is scrapped).
func (l Lifetime) RetiredShare(c, y int) float64 {
	if !l.HasVehicle() {
		return l.Pack.RetiredShare(c, y) // exactly the single-life model
	}
	a0, a1 := float64(y-c)-0.5, float64(y-c)+0.5
	if a1 <= 0 {
		return 0
	}
	return l.packsBetween(math.Max(a0, 0), a1)
}

// InUse is the share of a cohort's vehicles still registered at age x:
// not scrapped, and either on their first pack or given a second one.
func (l Lifetime) InUse(x float64) float64 {
	if x <= 0 {
		return 1
	}
	sp := 1 - l.Pack.CDF(x)
	if !l.HasVehicle() {
		return sp
	}
	return (1 - l.Vehicle.CDF(x)) * (sp + l.Replacement*(1-sp))
}
