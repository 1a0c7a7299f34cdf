package routing

import (
	"math"
	"math/rand"
	"reflect"
	"slices"
	"testing"
)

// randomPlanProblem is 40 pickups at random points, three trucks with a
// duration limit and two trips each, services of 1..3: insertions must
// pass load, duration and trip checks; withWindows gives every fourth
// pickup two time windows.
func randomPlanProblem(rng *rand.Rand, withWindows bool) *Problem {
	n := 41
	xs, ys := make([]float64, n), make([]float64, n)
	for i := 1; i < n; i++ {
		xs[i], ys[i] = rng.Float64()*100-50, rng.Float64()*100-50
	}
	d := make([][]float64, n)
	for i := range d {
		d[i] = make([]float64, n)
		for j := range d[i] {
			d[i][j] = math.Hypot(xs[i]-xs[j], ys[i]-ys[j])
		}
	}
	p := &Problem{Distance: d, Vehicles: []VehicleType{{ID: "truck", Count: 3, Capacity: []int64{25}, CostPerDistance: 1, MaxDuration: 700, MaxTrips: 2, ReloadTime: 5}}}
	for k := 1; k < n; k++ {
		job := Job{ID: string(rune('A' + k)), Location: k, Amount: []int64{1 + rng.Int63n(4)}, Service: float64(1 + rng.Intn(3))}
		if withWindows && k%4 == 0 {
			// Two windows: places are priced exactly after an estimate.
			job.Windows = []TimeWindow{{Open: 0, Close: 150 + rng.Float64()*100}, {Open: 300, Close: 700}}
		}
		p.Jobs = append(p.Jobs, job)
	}
	return p
}

// TestBestInsertionBelowMatchesUnbounded checks, after random removals and
// insertions (hard and soft limits, jobs with one and two windows), that the bounded search returns
// BestInsertion's very place when it costs less than the limit, and
// nothing when it does not.
func TestBestInsertionBelowMatchesUnbounded(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	checked := 0
	for trial := 0; trial < 6; trial++ {
		p := randomPlanProblem(rng, trial >= 2)
		m, err := NewModel(p)
		if err != nil {
			t.Fatal(err)
		}
		pl := m.NewPlan(1)
		if trial%2 == 1 {
			pl.SetPenalties(2, 2)
		}
		for step := 0; step < 300; step++ {
			j := rng.Intn(len(p.Jobs))
			if pl.Has(j) {
				pl.Remove(j)
				continue
			}
			want, ok := pl.BestInsertion(j)
			for _, limit := range []float64{math.Inf(1), want.cost + 1e-6, want.cost, want.cost / 2} {
				got, gok := pl.BestInsertionBelow(j, limit)
				if gok != (ok && want.cost < limit) {
					t.Fatalf("trial %d step %d job %d limit %g: ok %v, unbounded %v at %g", trial, step, j, limit, gok, ok, want.cost)
				}
				if gok && !reflect.DeepEqual(got, want) {
					t.Fatalf("trial %d step %d job %d limit %g: %+v, unbounded %+v", trial, step, j, limit, got, want)
				}
				checked++
			}
			if ok && rng.Intn(3) > 0 && !pl.Insert(want) {
				t.Fatalf("job %d: Insert failed", j)
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d comparisons", checked)
	}
}

// TestRouteJobs checks that RouteJobs lists each route's jobs in visiting
// order (reloads left out), as Routes lays them out.
func TestRouteJobs(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	p := randomPlanProblem(rng, false)
	m, err := NewModel(p)
	if err != nil {
		t.Fatal(err)
	}
	pl := m.NewPlan(1)
	for j := 0; j < 30; j++ {
		if ins, ok := pl.BestInsertion(j); ok {
			pl.Insert(ins)
		}
	}
	if got := pl.RouteJobs(nil, 35); got != nil {
		t.Fatalf("job 35 is not in the plan, RouteJobs gave %v", got)
	}
	seen := 0
	for _, r := range pl.Routes() {
		want := r.Jobs
		for _, j := range want {
			if got := pl.RouteJobs([]int{-1}, j); !slices.Equal(got, append([]int{-1}, want...)) {
				t.Fatalf("RouteJobs(%d) = %v, route %v", j, got, want)
			}
			seen++
		}
	}
	if seen == 0 {
		t.Fatal("no job placed")
	}
}
