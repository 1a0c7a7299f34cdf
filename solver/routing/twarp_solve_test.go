package routing_test

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/rlplan/rlplan/solver/routing"
)

// solomonProblem is a random problem of Solomon's class (one vehicle type,
// capacity, one window per job, many of them tight, service times, a shift
// end), where the time warp is priced when routing.WarpOn is set.
func solomonProblem(seed uint64) *routing.Problem {
	rng := rand.New(rand.NewPCG(seed, 23))
	pts := make([][2]float64, 61)
	pts[0] = [2]float64{50, 50}
	for k := 1; k < len(pts); k++ {
		pts[k] = [2]float64{float64(rng.IntN(100)), float64(rng.IntN(100))}
	}
	p := &routing.Problem{Distance: euclid(pts), Vehicles: []routing.VehicleType{{ID: "v", Capacity: []int64{60}, CostPerDistance: 1, ShiftEnd: 500}}}
	for k := 1; k < len(pts); k++ {
		o := float64(rng.IntN(400))
		p.Jobs = append(p.Jobs, routing.Job{ID: string(rune('A' + k)), Location: k, Amount: []int64{int64(1 + rng.IntN(9))}, Service: 10,
			Windows: []routing.TimeWindow{{Open: o, Close: o + 10 + float64(rng.IntN(50))}}})
	}
	return p
}

// warpSolve solves p with routing.WarpOn set to on (restored after).
func warpSolve(t *testing.T, p *routing.Problem, on bool, set *routing.Settings) *routing.Result {
	t.Helper()
	old := *routing.WarpOn
	*routing.WarpOn = on
	defer func() { *routing.WarpOn = old }()
	return solveChecked(t, p, set)
}

// TestWarpSolveValid: Solve with the time warp priced (everywhere, or in
// route squeezing only) returns solutions
// the independent validator accepts on Solomon-class problems (the search
// visits late solutions; the best is kept among feasible ones only, and
// a cull copying a late trajectory must not make it best), with every job
// served that can be on time alone; problems outside the gate (two types, jobs with two windows,
// restricted types) give the same result with and without it.
func TestWarpSolveValid(t *testing.T) {
	set := &routing.Settings{MaxIterations: 3000, Seed: 3, TimeLimit: 600e9}
	for seed := uint64(1); seed <= 6; seed++ {
		if seed > 2 && testing.Short() {
			break // -short (the race step): two instances; make test runs six
		}
		p := solomonProblem(seed)
		hard := warpSolve(t, p, false, set)
		for _, sq := range []bool{false, true} {
			*routing.WarpSqueeze = sq
			old := *routing.SqueezeEvery
			if sq {
				*routing.SqueezeEvery = 512 // squeezes within the 3,000 iterations
			}
			res := warpSolve(t, p, true, set)
			*routing.WarpSqueeze, *routing.SqueezeEvery = false, old
			if len(res.Unserved) != len(hard.Unserved) {
				t.Errorf("seed %d, squeeze only %v: %d jobs unserved with unlimited vehicles, %d without the warp (those late alone)", seed, sq, len(res.Unserved), len(hard.Unserved))
			}
		}
		*routing.WarpMix = true // half the pool hard, half priced
		res := warpSolve(t, p, true, set)
		*routing.WarpMix = false
		if len(res.Unserved) != len(hard.Unserved) {
			t.Errorf("seed %d, mixed pool: %d jobs unserved, %d without the warp", seed, len(res.Unserved), len(hard.Unserved))
		}
	}
	for seed := uint64(1); seed <= 4; seed++ {
		p := tinyProblem(rand.New(rand.NewPCG(seed, 5)), 14)
		on := warpSolve(t, p, true, set)
		off := warpSolve(t, p, false, set)
		on.Elapsed, off.Elapsed = 0, 0
		if !reflect.DeepEqual(on, off) {
			t.Errorf("seed %d: a problem outside the gate solved differently with the warp on", seed)
		}
	}
}
