package location_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
)

func TestValidateRejects(t *testing.T) {
	good := func() *location.Problem {
		return &location.Problem{
			Weights:    []float64{1, 2},
			Facilities: []location.Facility{{}, {}},
			Dist:       location.DenseDistances([][]float64{{1, 2}, {3, 4}}, math.Inf(1)),
			P:          1,
		}
	}
	cases := map[string]func(p *location.Problem){
		"negative weight":   func(p *location.Problem) { p.Weights[0] = -1 },
		"NaN distance":      func(p *location.Problem) { p.Dist.Dist[1] = math.NaN() },
		"facility id":       func(p *location.Problem) { p.Dist.Facility[0] = 7 },
		"short Start":       func(p *location.Problem) { p.Dist.Start = p.Dist.Start[:2] },
		"negative capacity": func(p *location.Problem) { p.Facilities[1].Capacity = -1 },
		"negative P":        func(p *location.Problem) { p.P = -1 },
		"cover target":      func(p *location.Problem) { p.Objective = location.SetCover; p.CoverTarget = 1.5 },
		"objective":         func(p *location.Problem) { p.Objective = 9 },
		"no facilities":     func(p *location.Problem) { p.Facilities = nil },
	}
	for name, mutate := range cases {
		p := good()
		mutate(p)
		if _, err := location.Solve(context.Background(), p, nil); !errors.Is(err, location.ErrInvalid) {
			t.Errorf("%s: error %v, want ErrInvalid", name, err)
		}
	}
	if _, err := location.Solve(context.Background(), good(), nil); err != nil {
		t.Errorf("valid problem rejected: %v", err)
	}
}

func TestEdgeCases(t *testing.T) {
	// No demand at all.
	p := &location.Problem{Facilities: []location.Facility{{}, {}}, Dist: location.Distances{Start: []int{0}}, P: 1}
	res, err := location.Solve(context.Background(), p, nil)
	if err != nil || res.Cost != 0 || len(res.Open) != 1 {
		t.Errorf("empty demand: res %+v err %v, want cost 0 and one site", res, err)
	}
	// P larger than the candidates: all open; a demand listing nothing is unserved.
	p = &location.Problem{
		Weights:      []float64{1, 1},
		Facilities:   []location.Facility{{Open: true}, {}},
		Dist:         location.Distances{Start: []int{0, 1, 1}, Facility: []int32{0}, Dist: []float64{3}},
		P:            5,
		UnservedCost: 100,
	}
	res, err = location.Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, p, res)
	if !slices.Equal(res.Open, []int{1}) || res.Cost != 103 || res.Unserved != 1 || res.Assign[1] != -1 {
		t.Errorf("got open %v cost %v unserved %v assign %v, want [1] 103 1 [0 -1]", res.Open, res.Cost, res.Unserved, res.Assign)
	}
	// Set cover with an unreachable target.
	p.Objective = location.SetCover
	p.Radius = 5
	res, err = location.Solve(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != solver.Infeasible {
		t.Errorf("status %v, want infeasible (demand 1 lists no facility)", res.Status)
	}
}

func TestFixedOutletsStayOpenAndDeterminism(t *testing.T) {
	for _, obj := range []location.Objective{location.PMedian, location.MaxCover, location.FacilityLocation} {
		p := randomProblem(3, obj, 60, 20, 5, true, false)
		p.P = 4
		set := &location.Settings{MaxIterations: 30, Seed: 42}
		a, err := location.Solve(context.Background(), p, set)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := location.Solve(context.Background(), p, set)
		checkResult(t, p, a)
		if a.Cost != b.Cost || !slices.Equal(a.Open, b.Open) || !slices.Equal(a.Assign, b.Assign) {
			t.Errorf("%v: two runs with seed 42 differ: %v %v vs %v %v", obj, a.Cost, a.Open, b.Cost, b.Open)
		}
		for _, i := range a.Open {
			if p.Facilities[i].Open {
				t.Errorf("%v: existing outlet %d reported as new", obj, i)
			}
		}
		// Outlets are open: a demand whose nearest facility is an outlet
		// within its capacity may use it; the checker rejects closed ones.
		used := false
		for _, f := range a.Assign {
			if f >= 0 && p.Facilities[f].Open {
				used = true
			}
		}
		if !used {
			t.Errorf("%v: no demand uses the 5 existing outlets", obj)
		}
	}
}

func TestCancelledContextReturnsBestSoFar(t *testing.T) {
	p := randomProblem(5, location.PMedian, 200, 60, 3, false, false)
	p.P = 8
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := location.Solve(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != solver.Interrupted && res.Status != solver.Optimal {
		t.Errorf("status %v, want canceled", res.Status)
	}
	checkResult(t, p, res)
}

// TestRandomProperties solves many random instances with awkward data
// (duplicate row entries, zero weights, empty rows, tight capacities) and
// checks each result independently: feasibility, cost, bound <= cost.
func TestRandomProperties(t *testing.T) {
	objs := []location.Objective{location.PMedian, location.MaxCover, location.FacilityLocation, location.SetCover}
	for seed := uint64(1); seed <= 40; seed++ {
		obj := objs[seed%4]
		capped := seed%3 != 0
		single := capped && seed%5 == 0
		p := randomProblem(seed, obj, 30, 12, int(seed%4), capped, single)
		p.P = int(seed % 5)
		p.CoverTarget = 0.5
		// awkward data: a zero weight, an empty row, a duplicated entry
		p.Weights[3] = 0
		d := &p.Dist
		if d.Start[6] > d.Start[5] {
			d.Facility = append(d.Facility[:d.Start[5]:d.Start[5]], d.Facility[d.Start[6]:]...)
			d.Dist = append(d.Dist[:d.Start[5]:d.Start[5]], d.Dist[d.Start[6]:]...)
			k := d.Start[6] - d.Start[5]
			for j := 6; j < len(d.Start); j++ {
				d.Start[j] -= k
			}
		}
		if d.Start[1] > d.Start[0] { // duplicate demand 0's first entry with a longer distance
			e := d.Start[1]
			d.Facility = append(d.Facility[:e:e], append([]int32{d.Facility[0]}, d.Facility[e:]...)...)
			d.Dist = append(d.Dist[:e:e], append([]float64{d.Dist[0] + 7}, d.Dist[e:]...)...)
			for j := 1; j < len(d.Start); j++ {
				d.Start[j]++
			}
		}
		res, err := location.Solve(context.Background(), p, &location.Settings{MaxIterations: 20, Seed: solver.Seed(seed)})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkResult(t, p, res)
		if t.Failed() {
			t.Fatalf("seed %d (%v, capacitated %v, single %v) failed", seed, obj, capped, single)
		}
	}
}

func TestAllFacilitiesAlreadyOpen(t *testing.T) {
	for _, obj := range []location.Objective{location.PMedian, location.MaxCover, location.FacilityLocation, location.SetCover} {
		for _, capped := range []bool{false, true} {
			p := randomProblem(9, obj, 20, 5, 5, capped, false)
			p.CoverTarget = 0.1
			res, err := location.Solve(context.Background(), p, &location.Settings{MaxIterations: 5})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Open) != 0 {
				t.Errorf("%v: opened %v with no candidate", obj, res.Open)
			}
			checkResult(t, p, res)
		}
	}
}

// TestWorkers runs the parallel improvement phase (go test -race covers the
// sharing): results stay valid and, bounded by iterations, reproducible.
func TestWorkers(t *testing.T) {
	for _, capped := range []bool{false, true} {
		p := randomProblem(21, location.PMedian, 80, 25, 3, capped, false)
		p.P = 5
		if capped { // tight capacities keep a Lagrangian gap open
			p = randomProblem(22, location.FacilityLocation, 120, 30, 0, true, false)
			for i := range p.Facilities {
				p.Facilities[i].Capacity = math.Round(p.Facilities[i].Capacity / 4)
			}
		}
		// No bound: its reduced-cost fixing would settle these small
		// instances and leave nothing to search in parallel.
		set := &location.Settings{MaxIterations: 15, Seed: 3, Workers: 2, BoundIterations: -1}
		a, err := location.Solve(context.Background(), p, set)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := location.Solve(context.Background(), p, set)
		checkResult(t, p, a)
		if a.Iterations <= 15 {
			t.Errorf("capacitated=%v: %d iterations, want more than one worker's 15", capped, a.Iterations)
		}
		if a.Cost != b.Cost || !slices.Equal(a.Open, b.Open) {
			t.Errorf("capacitated=%v: two runs differ: %v %v vs %v %v", capped, a.Cost, a.Open, b.Cost, b.Open)
		}
	}
}
