package periodic_test

import (
	"context"
	"math"
	"math/rand"
	"reflect"
	"testing"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/periodic"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

// randomProblem draws a small multi-depot periodic problem with two vehicle
// types, optional windows, shift ends and duration limits, and random
// allowed patterns (some single-day only).
func randomProblem(rng *rand.Rand) *periodic.Problem {
	days := 2 + rng.Intn(3)
	nJobs := 6 + rng.Intn(10)
	n := nJobs + 2
	xy := make([][2]float64, n)
	for i := range xy {
		xy[i] = [2]float64{rng.Float64() * 100, rng.Float64() * 100}
	}
	d := make([][]float64, n)
	for i := range d {
		d[i] = make([]float64, n)
		for j := range d[i] {
			d[i][j] = math.Hypot(xy[i][0]-xy[j][0], xy[i][1]-xy[j][1])
		}
	}
	p := &periodic.Problem{Days: days, Distance: d}
	for k := 0; k < 2; k++ {
		vt := routing.VehicleType{ID: "t", Count: 1 + rng.Intn(2), Capacity: []int64{int64(20 + rng.Intn(30)), 5}, Start: k, End: k, CostPerDistance: 1, FixedCost: float64(rng.Intn(20))}
		if rng.Intn(2) == 0 {
			vt.MaxDuration = 250 + rng.Float64()*200
		}
		if rng.Intn(3) == 0 {
			vt.ShiftEnd = 400
		}
		p.Vehicles = append(p.Vehicles, vt)
	}
	full := uint32(1)<<uint(days) - 1
	for j := 0; j < nJobs; j++ {
		job := periodic.Job{Job: routing.Job{ID: "j", Location: 2 + j, Amount: []int64{int64(1 + rng.Intn(8)), int64(rng.Intn(2))}, Service: float64(rng.Intn(10))}}
		if rng.Intn(3) == 0 {
			o := rng.Float64() * 200
			job.Windows = []routing.TimeWindow{{Open: o, Close: o + 60 + rng.Float64()*100}}
		}
		if rng.Intn(4) == 0 {
			job.AllowedTypes = []int{rng.Intn(2)}
		}
		for a := 0; a < 1+rng.Intn(3); a++ {
			pat := uint32(rng.Intn(int(full))) + 1
			if rng.Intn(2) == 0 {
				pat = 1 << uint(rng.Intn(days))
			}
			dup := false
			for _, q := range job.Patterns {
				dup = dup || q == pat
			}
			if !dup {
				job.Patterns = append(job.Patterns, pat)
			}
		}
		p.Jobs = append(p.Jobs, job)
	}
	return p
}

// TestRandomProblemsValidate: whatever the solver returns on random small
// problems passes the independent validator, unserved jobs included.
func TestRandomProblemsValidate(t *testing.T) {
	rng := rand.New(rand.NewSource(42))
	n := 25
	if testing.Short() {
		n = 8 // -short (the race step); make test runs all 25
	}
	for i := 0; i < n; i++ {
		p := randomProblem(rng)
		r, err := periodic.Solve(context.Background(), p, &periodic.Settings{TimeLimit: time.Minute, MaxIterations: 5, RoutingIterations: 300, Seed: solver.Seed(i)})
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		if err := validate.CheckPeriodic(p, r); err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		for _, u := range r.Unserved {
			if r.Patterns[u.Job] != 0 || u.Reason == "" {
				t.Fatalf("instance %d: unserved %+v with pattern %b", i, u, r.Patterns[u.Job])
			}
		}
	}
}

// TestRandomTripsAndSplits: the same with trucks making several trips a
// day, a mixed fleet at one plant and split pickups: every result passes
// the validator (trips, reloads, pieces adding up to the job on each of its
// days), and the same seed gives the same plan.
func TestRandomTripsAndSplits(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	trips, pieces := 0, 0
	n := 20
	if testing.Short() {
		n = 8 // the race step: the first 8 of make test's 20
	}
	for i := 0; i < n; i++ {
		p := randomProblem(rng)
		for k := range p.Vehicles {
			p.Vehicles[k].Start, p.Vehicles[k].End = 0, 0 // one plant, two types
			p.Vehicles[k].MaxTrips = 1 + rng.Intn(3)
			p.Vehicles[k].ReloadTime = float64(rng.Intn(30))
		}
		p.Vehicles[1].Capacity[0] = p.Vehicles[0].Capacity[0] + 15
		for j := range p.Jobs {
			if rng.Intn(4) == 0 {
				p.Jobs[j].Amount[0] = p.Vehicles[0].Capacity[0] + int64(rng.Intn(40))
				p.Jobs[j].Splittable = true
				p.Jobs[j].FixedService = p.Jobs[j].Service / 2
			}
		}
		s := &periodic.Settings{TimeLimit: time.Minute, MaxIterations: 4, RoutingIterations: 200, Seed: solver.Seed(i)}
		r, err := periodic.Solve(context.Background(), p, s)
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		if err := validate.CheckPeriodic(p, r); err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		for _, routes := range r.Days {
			for _, rt := range routes {
				if len(rt.Trips) > 1 {
					trips++
				}
				for v, j := range rt.Jobs {
					if rt.Amounts[v][0] != p.Jobs[j].Amount[0] {
						pieces++
					}
				}
			}
		}
		if i%4 == 0 {
			again, _ := periodic.Solve(context.Background(), p, s)
			r.Elapsed, again.Elapsed = 0, 0
			if !reflect.DeepEqual(r, again) {
				t.Fatalf("instance %d: same seed, cost %.4f then %.4f", i, r.Cost, again.Cost)
			}
		}
	}
	if trips == 0 || pieces == 0 {
		t.Fatalf("%d days with several trips, %d pieces: the generator does not exercise them", trips, pieces)
	}
}
