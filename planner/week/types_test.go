package week

import (
	"strings"
	"testing"

	"github.com/rlplan/rlplan/solver"
)

// TestTimeLimitNote: only a week whose time limit ended a search (and that
// was not interrupted, which says so itself) carries the note.
func TestTimeLimitNote(t *testing.T) {
	for _, c := range []struct {
		status      solver.Status
		interrupted bool
		want        bool
	}{
		{solver.IterationLimit, false, false},
		{solver.Optimal, false, false},
		{solver.TimeLimit, false, true},
		{solver.TimeLimit, true, false},
		{solver.Interrupted, true, false},
	} {
		sch := &Schedule{Status: c.status, Interrupted: c.interrupted}
		note := sch.TimeLimitNote()
		if got := note != ""; got != c.want {
			t.Errorf("status %s, interrupted %v: note %q, want one: %v", c.status, c.interrupted, note, c.want)
		}
		if c.want && !strings.Contains(note, "--time-limit") {
			t.Errorf("the note does not say which setting to raise: %q", note)
		}
	}
}
