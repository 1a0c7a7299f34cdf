package routing_test

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

// TestSolveHGS: with the population search on (pool_hgs.go, off by
// default), educated by the dedicated local search (cvrpls.go) or by the
// engine's, Solve's result on random CVRPs of 120 jobs passes the
// independent validator, serves every job, and is the same for the same
// seed and iteration budget.
func TestSolveHGS(t *testing.T) {
	defer func(on, fast bool) { *routing.HGSOn, *routing.HGSFast = on, fast }(*routing.HGSOn, *routing.HGSFast)
	*routing.HGSOn = true
	for _, fast := range []bool{true, false} {
		if !fast && testing.Short() {
			break // -short (the race step): the fast path, whose goroutine-free code is all that differs, is enough
		}
		*routing.HGSFast = fast
		solveHGS(t)
	}
}

// TestSolvePolish: with the dedicated local search on the annealing's new
// bests (cvrpls.go: bestLS, off by default), the same checks.
func TestSolvePolish(t *testing.T) {
	defer func(on bool) { *routing.CVRPPolish = on }(*routing.CVRPPolish)
	*routing.CVRPPolish = true
	// The polish is the plain annealing's alternative: without the localised
	// search (on by default, 20-30x dearer an iteration) the budget below
	// tests it as measured, and costs what it did under -race.
	defer func(on bool) { *routing.FiloOn = on }(*routing.FiloOn)
	*routing.FiloOn = false
	solveHGS(t)
}

// solveHGS solves random CVRPs of 120 jobs twice each and checks the
// results (validator, every job served, the same twice).
func solveHGS(t *testing.T) {
	iters := 20000
	if testing.Short() {
		iters = 4000 // -race runs with -short
	}
	for seed := uint64(1); seed <= 2; seed++ {
		rng := rand.New(rand.NewPCG(seed, 17))
		pts := make([][2]float64, 121)
		for k := 1; k < len(pts); k++ {
			pts[k] = [2]float64{float64(rng.IntN(200)), float64(rng.IntN(200))}
		}
		p := &routing.Problem{Distance: euclid(pts), Vehicles: []routing.VehicleType{{ID: "t", Capacity: []int64{60}, CostPerDistance: 1}}}
		for k := 1; k < len(pts); k++ {
			p.Jobs = append(p.Jobs, routing.Job{ID: string(rune(1000 + k)), Location: k, Amount: []int64{int64(1 + rng.IntN(12))}})
		}
		// Iterations must bind, even under -race on a loaded machine (CI
		// once met the 10 s default time limit here).
		set := &routing.Settings{MaxIterations: iters, Seed: solver.Seed(seed), TimeLimit: time.Hour}
		a := solveChecked(t, p, set)
		if err := validate.Complete(a); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if len(a.Unserved) > 0 || a.Status != solver.IterationLimit {
			t.Fatalf("seed %d: %d jobs unserved, status %v", seed, len(a.Unserved), a.Status)
		}
		b := solveChecked(t, p, set)
		if a.Cost != b.Cost || !reflect.DeepEqual(a.Routes, b.Routes) {
			t.Fatalf("seed %d: two runs differ: %v against %v", seed, a.Cost, b.Cost)
		}
	}
}
