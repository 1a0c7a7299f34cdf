package periodic

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/rlplan/rlplan/solver/routing"
)

// TestRuinRecreateFindsPatterns starts from the wrong patterns and checks
// that ruin and recreate alone changes them to the optimum. Depot at 0,
// a job at -10 every day, two one-day jobs at +10 and +11, one truck of
// capacity 3 a day on two days: split onto both days the east jobs cost
// 40 + 42 = 82, together on one day 20 + 42 = 62 (the optimum).
func TestRuinRecreateFindsPatterns(t *testing.T) {
	xs := []float64{0, -10, 10, 11}
	d := make([][]float64, len(xs))
	for i := range xs {
		d[i] = make([]float64, len(xs))
		for j := range xs {
			d[i][j] = math.Abs(xs[i] - xs[j])
		}
	}
	p := &Problem{
		Days: 2, Distance: d,
		Vehicles: []routing.VehicleType{{ID: "truck", Count: 1, Capacity: []int64{3}, CostPerDistance: 1}},
		Jobs: []Job{
			{Job: routing.Job{ID: "west", Location: 1, Amount: []int64{1}}, Patterns: []uint32{0b11}},
			{Job: routing.Job{ID: "east", Location: 2, Amount: []int64{1}}, Patterns: []uint32{0b01, 0b10}},
			{Job: routing.Job{ID: "far-east", Location: 3, Amount: []int64{1}}, Patterns: []uint32{0b01, 0b10}},
		},
	}
	for _, soft := range []bool{false, true} {
		set := Settings{TimeLimit: time.Minute, MaxIterations: 1, RoutingIterations: 1, SearchIterations: 200, Seed: 5}
		sv, err := newSearch(context.Background(), p, set)
		if err != nil {
			t.Fatal(err)
		}
		sv.bounded = true
		sv.soft = soft
		sv.setHard(!soft)
		if un := sv.construct([]uint32{0b11, 0b01, 0b10}); len(un) > 0 {
			t.Fatalf("unserved %v", un)
		}
		if c := sv.total(); c != 82 {
			t.Fatalf("start cost %g, want 82 (east jobs on different days)", c)
		}
		best := sv.rrLoop(time.Now().Add(time.Minute), set.SearchIterations, sv.snapshot())
		if best.cost != 62 || !best.feas || sv.total() != 62 || sv.pat[1] != sv.pat[2] || sv.pat[0] != 0b11 {
			t.Errorf("soft %v: best %g (feasible %v), state %g, patterns %b; want 62 with east and far-east on one day",
				soft, best.cost, best.feas, sv.total(), sv.pat)
		}
	}
}
