package periodic_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/bench"
	"github.com/rlplan/rlplan/solver/routing/periodic"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

// line builds a distance matrix of points on a line.
func line(xs ...float64) [][]float64 {
	m := make([][]float64, len(xs))
	for i := range xs {
		m[i] = make([]float64, len(xs))
		for j := range xs {
			m[i][j] = math.Abs(xs[i] - xs[j])
		}
	}
	return m
}

// twoSides: depot at 0, customers at -10 (every day), +10 and +11 (one day
// of two each, capacity 2). One truck per day. The optimum visits -10 every
// day (20 per day) and puts +10 and +11 on the same day (22): 62.
func twoSides() *periodic.Problem {
	return &periodic.Problem{
		Days:     2,
		Distance: line(0, -10, 10, 11),
		Vehicles: []routing.VehicleType{{ID: "truck", Count: 1, Capacity: []int64{3}, CostPerDistance: 1}},
		Jobs: []periodic.Job{
			{Job: routing.Job{ID: "west", Location: 1, Amount: []int64{1}}, Patterns: []uint32{0b11}},
			{Job: routing.Job{ID: "east", Location: 2, Amount: []int64{1}}, Patterns: []uint32{0b01, 0b10}},
			{Job: routing.Job{ID: "far-east", Location: 3, Amount: []int64{1}}, Patterns: []uint32{0b01, 0b10}},
		},
	}
}

func settings() *periodic.Settings {
	return &periodic.Settings{TimeLimit: time.Minute, MaxIterations: 20, RoutingIterations: 300, Seed: 7}
}

func TestSolveSmallOptimum(t *testing.T) {
	p := twoSides()
	r, err := periodic.Solve(context.Background(), p, settings())
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.CheckPeriodic(p, r); err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.Cost-62) > 1e-9 || r.Patterns[0] != 0b11 || r.Patterns[1] != r.Patterns[2] {
		t.Fatalf("cost %g patterns %b, want 62 with east and far-east on the same day", r.Cost, r.Patterns)
	}
}

// benchDir is the shared pvrp folder beside the checkout: ../shared of the
// repository, or of the folder of worktrees (/work/wt/NAME).
func benchDir() string {
	for _, up := range []int{4, 5} {
		parts := []string{}
		for i := 0; i < up; i++ {
			parts = append(parts, "..")
		}
		dir := filepath.Join(append(parts, "shared", "bench", "pvrp")...)
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
	}
	return filepath.Join("..", "..", "..", "..", "shared", "bench", "pvrp")
}

func TestSolveDeterministic(t *testing.T) {
	dir := benchDir()
	p, err := bench.ReadPVRP(filepath.Join(dir, "p14.txt"))
	if err != nil {
		t.Skipf("shared bench not available: %v", err)
	}
	s := &periodic.Settings{TimeLimit: time.Minute, MaxIterations: 5, RoutingIterations: 500, Seed: 3}
	a, err := periodic.Solve(context.Background(), p, s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := periodic.Solve(context.Background(), p, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.CheckPeriodic(p, a); err != nil {
		t.Fatal(err)
	}
	a.Elapsed, b.Elapsed = 0, 0
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed, different results: cost %g vs %g", a.Cost, b.Cost)
	}
	// p14's best known is 954.81; a short run must be close.
	if gap := 100 * (a.Cost - 954.81) / 954.81; gap > 5 || gap < -0.01 {
		t.Errorf("p14 cost %.2f, gap %.2f%%, want within 5%% of 954.81", a.Cost, gap)
	}
}

func TestSolveCVRPInDisguise(t *testing.T) {
	// p03 = CMT1: every customer once on any of 5 days, one vehicle a
	// day; optimum 524.61.
	dir := benchDir()
	p, err := bench.ReadPVRP(filepath.Join(dir, "p03.txt"))
	if err != nil {
		t.Skipf("shared bench not available: %v", err)
	}
	r, err := periodic.Solve(context.Background(), p, &periodic.Settings{TimeLimit: time.Minute, RoutingIterations: 3000, MaxIterations: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.CheckPeriodic(p, r); err != nil {
		t.Fatal(err)
	}
	if r.Cost > 524.61*1.03 {
		t.Errorf("p03 cost %.2f, want within 3%% of 524.61", r.Cost)
	}
}

func TestSolveUnserved(t *testing.T) {
	p := twoSides()
	p.Jobs = append(p.Jobs, periodic.Job{Job: routing.Job{ID: "heavy", Location: 2, Amount: []int64{9}}, Patterns: []uint32{0b01}})
	r, err := periodic.Solve(context.Background(), p, settings())
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.CheckPeriodic(p, r); err != nil {
		t.Fatal(err)
	}
	if len(r.Unserved) != 1 || r.Unserved[0].Job != 3 || r.Unserved[0].Reason != routing.ReasonCapacity || r.Patterns[3] != 0 {
		t.Fatalf("unserved %+v patterns %b, want job 3 for capacity", r.Unserved, r.Patterns)
	}
	// Two daily visits of 2 units each do not fit a truck of 3 together
	// with west: one east-side job cannot be placed.
	p = twoSides()
	p.Jobs[1].Amount = []int64{2}
	p.Jobs[2].Amount = []int64{2}
	p.Jobs[1].Patterns = []uint32{0b01}
	p.Jobs[2].Patterns = []uint32{0b01}
	r, err = periodic.Solve(context.Background(), p, settings())
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.CheckPeriodic(p, r); err != nil {
		t.Fatal(err)
	}
	if len(r.Unserved) != 1 || r.Unserved[0].Reason != routing.ReasonFleetSize {
		t.Fatalf("unserved %+v, want one job for fleet size", r.Unserved)
	}
}

func TestSolveCancelled(t *testing.T) {
	p := twoSides()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := periodic.Solve(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != solver.Interrupted {
		t.Errorf("status %v, want interrupted", r.Status)
	}
	if err := validate.CheckPeriodic(p, r); err != nil && len(r.Unserved) == 0 {
		t.Errorf("cancelled result invalid: %v", err)
	}
}

func TestSolveRejectsMalformed(t *testing.T) {
	for name, mutate := range map[string]func(*periodic.Problem){
		"no days":         func(p *periodic.Problem) { p.Days = 0 },
		"pattern too big": func(p *periodic.Problem) { p.Jobs[1].Patterns = []uint32{0b100} },
		"no pattern":      func(p *periodic.Problem) { p.Jobs[1].Patterns = nil },
		"penalty":         func(p *periodic.Problem) { p.Jobs[1].Penalty = 5 },
		"bad location":    func(p *periodic.Problem) { p.Jobs[1].Location = 9 },
	} {
		p := twoSides()
		mutate(p)
		if _, err := periodic.Solve(context.Background(), p, settings()); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	var ve *validate.Error
	_ = errors.As(nil, &ve)
}
