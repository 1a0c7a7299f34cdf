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
