package location_test

import (
	"math"
	"testing"

	"github.com/rlplan/rlplan/solver/location"
	"github.com/rlplan/rlplan/solver/location/validate"
)

// The tests check every result with the independent validator
// (solver/location/validate), which shares no code with the solver.

// unitUnserved is the documented UnservedCost default, for the brute-force
// and cbc references.
func unitUnserved(p *location.Problem) float64 {
	if p.UnservedCost > 0 {
		return p.UnservedCost
	}
	maxD := 0.0
	for _, d := range p.Dist.Dist {
		maxD = math.Max(maxD, d)
	}
	sumF := 0.0
	for _, f := range p.Facilities {
		if !f.Open {
			sumF += f.FixedCost
		}
	}
	minW := math.Inf(1)
	for _, w := range p.Weights {
		if w > 0 {
			minW = math.Min(minW, w)
		}
	}
	u := 10*maxD + 1
	if sumF > 0 && !math.IsInf(minW, 1) {
		u += sumF / minW
	}
	return u
}

// checked is what the validator recomputes.
type checked = validate.Values

// checkResult validates res against p and returns the recomputed values; it
// fails t on any violated rule.
func checkResult(t *testing.T, p *location.Problem, res *location.Result) checked {
	t.Helper()
	v, err := validate.Recompute(p, res)
	if err != nil {
		t.Errorf("validator: %v", err)
	}
	return v
}
