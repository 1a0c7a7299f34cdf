package solver

import "testing"

func TestStatusNamesRoundTrip(t *testing.T) {
	for s := Unknown; s <= Infeasible; s++ {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Status
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Fatalf("%v -> %q -> %v, %v", s, b, back, err)
		}
	}
	if got := TimeLimit.String(); got != "time_limit" {
		t.Fatalf("TimeLimit is %q, want time_limit", got)
	}
	var s Status
	if err := s.UnmarshalText([]byte("time-limit")); err == nil {
		t.Fatal("the hyphenated name must be refused: one vocabulary")
	}
	if !Interrupted.Stopped() || Optimal.Stopped() {
		t.Fatal("Stopped: want true only for time_limit and interrupted")
	}
}
