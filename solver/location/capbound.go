package location

import "math"

// weakLP solves the weak linear relaxation of capacitated facility location
// (FacilityLocation with capacities): with x_ij <= y_i dropped, a candidate
// is opened exactly as far as its load needs, y_i = load_i / s_i, so its
// fixed cost becomes a surcharge f_i / s_i per unit and the relaxation is a
// single transportation problem with every facility open. Its optimum is a
// lower bound, and its duals (λ_j = w_j·v_j) are Lagrangian multipliers
// whose bound is at least as good: with them every facility's knapsack
// costs at least -s_i·μ_i, so L(λ) >= Σ w_j v_j - Σ s_i μ_i, the LP value.
// On the national instances it starts the subgradient where hundreds of
// its steps would not get. It returns the value and multipliers, or nil
// multipliers when stopped.
func (m *model) weakLP(stop func() bool) (float64, []float64) {
	open := make([]bool, m.F)
	sur := make([]float64, m.F)
	for i := range open {
		open[i] = true
		if !m.fixed[i] && !math.IsInf(m.capa[i], 1) && m.capa[i] > 0 {
			sur[i] = m.fcost[i] / m.capa[i]
		}
	}
	sol := m.transport(open, sur, stop)
	if sol == nil {
		return noBound, nil
	}
	lambda := make([]float64, m.n)
	for j := range lambda {
		lambda[j] = math.Min(m.w[j]*sol.v[j], m.ucost[j])
	}
	return sol.cost, lambda
}

// lagrangeAt is the Lagrangian bound at the multipliers lambda (one
// evaluation, no step).
func (m *model) lagrangeAt(lambda []float64) float64 {
	return newLagState(m, lambda).value()
}
