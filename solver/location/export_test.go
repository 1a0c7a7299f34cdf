package location

// Hooks for the black-box tests of package location_test, which hold the
// brute-force references.

// LagrangianBoundAt is the Lagrangian bound at the multipliers lambda.
func LagrangianBoundAt(p *Problem, lambda []float64) float64 {
	return newModel(p).lagrangeAt(lambda)
}

// LagrangianBound runs iters subgradient steps from λ = 0 towards ub and
// returns the best bound.
func LagrangianBound(p *Problem, iters int, ub float64) float64 {
	m := newModel(p)
	return m.lagrange(iters, ub, make([]float64, m.n), func() bool { return false }, nil, 1).bound
}

// WeakLPBound is the weak linear relaxation's value (FacilityLocation).
func WeakLPBound(p *Problem) float64 {
	v, _ := newModel(p).weakLP(func() bool { return false })
	return v
}

// ForceRegionSearch makes the capacitated local search score its moves on
// regions whatever the instance size (as national instances do) until the
// returned function restores the threshold.
func ForceRegionSearch() (restore func()) {
	old := regionWork
	regionWork = -1
	return func() { regionWork = old }
}

// LagrangianBoundWorkers is LagrangianBound with the evaluations split
// between workers goroutines.
func LagrangianBoundWorkers(p *Problem, iters int, ub float64, workers int) float64 {
	m := newModel(p)
	return m.lagrange(iters, ub, make([]float64, m.n), func() bool { return false }, nil, workers).bound
}

// ForceBranch sends every capacitated case with undecided sites after
// reduced-cost fixing through branch and bound (no enumeration) until the
// returned function restores the threshold.
func ForceBranch() (restore func()) {
	old := enumMax
	enumMax = -1
	return func() { enumMax = old }
}

// AchievableCost is the least sum of candidate site costs at or above lb
// (capacitated SetCover's rounding of its bound).
func AchievableCost(p *Problem, lb float64) float64 {
	return newModel(p).achievable(lb)
}

// CoverBoundAt is the capacitated cover's Lagrangian (coverModel) at the
// multipliers lambda: a lower bound for any lambda >= 0.
func CoverBoundAt(p *Problem, lambda []float64) float64 {
	m := newModel(p)
	return m.coverModel(p.CoverTarget * m.totalW).lagrangeAt(lambda)
}
