package solver

import "fmt"

// Status tells why a solver stopped. The zero value is Unknown (a Result
// that was never filled in).
type Status int

const (
	// Unknown: not set.
	Unknown Status = iota
	// Optimal: the cost meets the proven bound (within the solver's stated
	// tolerance).
	Optimal
	// IterationLimit: the iteration budget was spent; the search path, and so
	// the result, is reproducible.
	IterationLimit
	// TimeLimit: the time limit ran out; the best solution found is returned.
	TimeLimit
	// Interrupted: the context was cancelled (Ctrl-C, a caller's deadline);
	// the best solution found is returned.
	Interrupted
	// Infeasible: no solution satisfies the hard constraints; the Result
	// says what could be done.
	Infeasible
)

var statusNames = [...]string{
	Unknown:        "unknown",
	Optimal:        "optimal",
	IterationLimit: "iteration_limit",
	TimeLimit:      "time_limit",
	Interrupted:    "interrupted",
	Infeasible:     "infeasible",
}

// String returns the status name used in every report, table and kpis.json:
// unknown, optimal, iteration_limit, time_limit, interrupted, infeasible.
func (s Status) String() string {
	if s >= 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// MarshalText writes the name, so JSON and CSV carry "time_limit", not 3.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a name written by MarshalText.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if n == string(b) {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("unknown solver status %q; want one of unknown, optimal, iteration_limit, time_limit, interrupted, infeasible", b)
}

// Stopped reports whether the run ended before its search was done (a time
// limit or an interruption): the result is the best found, not the final one.
func (s Status) Stopped() bool { return s == TimeLimit || s == Interrupted }

// Seed seeds a solver's pseudo-random streams. Every value, 0 included, is a
// valid seed; the same seed with the same problem and settings gives the
// same search path.
type Seed uint64
