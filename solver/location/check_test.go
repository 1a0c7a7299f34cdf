package location_test

import (
	"testing"

	"github.com/rlplan/rlplan/solver/location"
	"github.com/rlplan/rlplan/solver/location/validate"
)

// The tests check every result with the independent validator
// (solver/location/validate), which shares no code with the solver.

// unitUnserved is the documented UnservedCost default, as the validator
// computes it, for the brute-force and cbc references.
var unitUnserved = validate.UnservedCost

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
