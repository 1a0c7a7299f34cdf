package periodic

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"slices"
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

// TestRuinDayKeepsPatterns checks the one-day ruin on random states: the
// jobs it takes were on its day and leave that day only, keeping their
// patterns and their other days; the one-day recreate puts every one back
// on that day; undo returns the plan's cost.
func TestRuinDayKeepsPatterns(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	n := 24
	xs, ys := make([]float64, n+1), make([]float64, n+1)
	for i := 1; i <= n; i++ {
		xs[i], ys[i] = rng.Float64()*100-50, rng.Float64()*100-50
	}
	d := make([][]float64, n+1)
	for i := range d {
		d[i] = make([]float64, n+1)
		for j := range d[i] {
			d[i][j] = math.Hypot(xs[i]-xs[j], ys[i]-ys[j])
		}
	}
	p := &Problem{Days: 3, Distance: d, Vehicles: []routing.VehicleType{{ID: "truck", Count: 3, Capacity: []int64{10}, CostPerDistance: 1}}}
	all := [][]uint32{{0b001, 0b010, 0b100}, {0b011, 0b110}, {0b111}}
	for k := 1; k <= n; k++ {
		p.Jobs = append(p.Jobs, Job{Job: routing.Job{ID: fmt.Sprint(k), Location: k, Amount: []int64{1}}, Patterns: all[k%3]})
	}
	sv, err := newSearch(context.Background(), p, Settings{TimeLimit: time.Minute, MaxIterations: 1, RoutingIterations: 1, SearchIterations: 1, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	sv.setHard(true)
	if un := sv.construct(nil); len(un) > 0 {
		t.Fatalf("unserved %v", un)
	}
	multi := make([]int, n)
	for j := range multi {
		multi[j] = j
	}
	var removed []int
	sizes := 0
	for it := 0; it < 300; it++ {
		before, pats := sv.total(), slices.Clone(sv.pat)
		for _, pl := range sv.plans {
			pl.Begin()
		}
		var day int
		removed, day = sv.rrRuinDay(multi, removed[:0])
		sizes += len(removed)
		if len(removed) == 0 || !slices.Equal(pats, sv.pat) {
			t.Fatalf("it %d: removed %v, patterns %v -> %v", it, removed, pats, sv.pat)
		}
		for _, j := range removed {
			if pats[j]&(1<<uint(day)) == 0 {
				t.Fatalf("it %d: job %d was not on day %d", it, j, day)
			}
			for dd, pl := range sv.plans {
				if want := dd != day && pats[j]&(1<<uint(dd)) != 0; pl.Has(j) != want {
					t.Fatalf("it %d: job %d on day %d after ruin of day %d: %v", it, j, dd, day, pl.Has(j))
				}
			}
		}
		if !sv.rrRecreateDay(day, removed) {
			t.Fatalf("it %d: recreate failed", it)
		}
		for _, j := range removed {
			if !sv.plans[day].Has(j) {
				t.Fatalf("it %d: job %d not back on day %d", it, j, day)
			}
		}
		if sv.total() > before+1e-9 || rng.Intn(2) == 0 {
			for _, pl := range sv.plans {
				pl.Undo()
			}
			if math.Abs(sv.total()-before) > 1e-9 {
				t.Fatalf("it %d: cost %g after undo, was %g", it, sv.total(), before)
			}
		} else {
			for _, pl := range sv.plans {
				pl.Commit()
			}
		}
	}
	if sizes < 2*300 {
		t.Fatalf("mean %g jobs removed: the strings take too few", float64(sizes)/300)
	}
}
