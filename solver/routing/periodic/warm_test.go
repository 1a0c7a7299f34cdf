package periodic_test

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/periodic"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

// handWeek is a two-day week checked by hand. The depot is at (0,0), job A
// at (10,0) is visited on both days, C at (10,1) and B at (0,10) once, on
// either day. Two trucks of capacity 2, one trip each, cost 1 per unit of
// distance. A truck takes at most two jobs, and A is on both days, so each
// day's best is one route with A and another job: A+C costs
// 10+1+sqrt(101) = 21.05, A+B 10+sqrt(200)+10 = 34.14, against 20 per job
// alone (A+C+A alone+B alone = 61.05 > 55.19). The optimum is 55.19 with C
// and B on different days, either way round.
func handWeek() *periodic.Problem {
	xy := [][2]float64{{0, 0}, {10, 0}, {10, 1}, {0, 10}}
	d := make([][]float64, len(xy))
	for a := range xy {
		d[a] = make([]float64, len(xy))
		for b := range xy {
			d[a][b] = math.Hypot(xy[a][0]-xy[b][0], xy[a][1]-xy[b][1])
		}
	}
	job := func(id string, loc int, pats ...uint32) periodic.Job {
		return periodic.Job{Job: routing.Job{ID: id, Location: loc, Amount: []int64{1}}, Patterns: pats}
	}
	return &periodic.Problem{Days: 2, Distance: d,
		Vehicles: []routing.VehicleType{{ID: "truck", Count: 2, Capacity: []int64{2}, CostPerDistance: 1}},
		Jobs:     []periodic.Job{job("A", 1, 0b11), job("C", 2, 0b01, 0b10), job("B", 3, 0b01, 0b10)}}
}

// TestWarmStartReproducesHandPlan: last week's optimal plan, with truck 2
// (Vehicle 1) on both days and B before A, comes back exactly: same days,
// same truck numbers, same stop order, same cost; a cold start numbers the
// trucks from 0.
func TestWarmStartReproducesHandPlan(t *testing.T) {
	p := handWeek()
	p.Previous = [][]routing.Route{
		{{Type: 0, Vehicle: 1, Jobs: []int{0, 1}}}, // day 1: A, C
		{{Type: 0, Vehicle: 1, Jobs: []int{2, 0}}}, // day 2: B, A
	}
	want := 10 + 1 + math.Sqrt(101) + math.Sqrt(200) + 10 + 10
	s := &periodic.Settings{TimeLimit: time.Minute, MaxIterations: 20, RoutingIterations: 500, Seed: 3}
	r, err := periodic.Solve(context.Background(), p, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.CheckPeriodic(p, r); err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.Cost-want) > 1e-9 {
		t.Errorf("cost %.4f, want the previous plan's %.4f", r.Cost, want)
	}
	for d, routes := range p.Previous {
		if len(r.Days[d]) != 1 || r.Days[d][0].Vehicle != 1 || !reflect.DeepEqual(r.Days[d][0].Jobs, routes[0].Jobs) {
			t.Errorf("day %d: %+v, want vehicle 1 with jobs %v", d+1, r.Days[d], routes[0].Jobs)
		}
	}
	if r.Kept != 3 || r.Compared != 3 {
		t.Errorf("kept %d of %d jobs, want 3 of 3", r.Kept, r.Compared)
	}
	if want := []uint32{0b11, 0b01, 0b10}; !reflect.DeepEqual(r.Patterns, want) {
		t.Errorf("patterns %b, want %b", r.Patterns, want)
	}
	// The cold start finds the same cost on trucks numbered from 0.
	p.Previous = nil
	cold, err := periodic.Solve(context.Background(), p, s)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(cold.Cost-want) > 1e-9 || cold.Days[0][0].Vehicle != 0 {
		t.Errorf("cold start: cost %.4f (want %.4f), day 1 on vehicle %d (want 0)", cold.Cost, want, cold.Days[0][0].Vehicle)
	}
}

// TestWarmStartReplacesWhatNoLongerFits: a previous route that breaks a
// limit now (the truck's capacity fell to 1) is not kept; its jobs are
// placed afresh, and the jobs whose routes still fit keep their place.
func TestWarmStartReplacesWhatNoLongerFits(t *testing.T) {
	p := handWeek()
	p.Vehicles[0].Capacity = []int64{1}
	p.Vehicles[0].Count = 3
	p.Previous = [][]routing.Route{
		{{Type: 0, Vehicle: 1, Jobs: []int{0, 1}}}, // A, C: now too heavy
		{{Type: 0, Vehicle: 2, Jobs: []int{2}}, {Type: 0, Vehicle: 0, Jobs: []int{0}}},
	}
	r, err := periodic.Solve(context.Background(), p, &periodic.Settings{TimeLimit: time.Minute, MaxIterations: 10, RoutingIterations: 300})
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.CheckPeriodic(p, r); err != nil {
		t.Fatal(err)
	}
	if len(r.Unserved) != 0 {
		t.Fatalf("unserved %+v", r.Unserved)
	}
	// Every route is one job at 20 (or 2*sqrt(101) for C): the days do not
	// change the cost, so B keeps truck 2 (Vehicle 2) on day 2.
	if r.Patterns[2] != 0b10 {
		t.Errorf("B on days %b, want day 2 as before", r.Patterns[2])
	}
	found := false
	for _, rt := range r.Days[1] {
		found = found || rt.Vehicle == 2 && reflect.DeepEqual(rt.Jobs, []int{2})
	}
	if !found {
		t.Errorf("day 2 routes %+v: B left vehicle 2", r.Days[1])
	}
}

// TestPreviousValidate: a previous plan that does not fit the problem is a
// structural error naming the day and route.
func TestPreviousValidate(t *testing.T) {
	for _, c := range []struct {
		prev [][]routing.Route
		want string
	}{
		{[][]routing.Route{{}, {}, {}}, "3 days, period has 2"},
		{[][]routing.Route{{{Type: 1, Jobs: []int{0}}}}, "day 1, route 0: vehicle type 1"},
		{[][]routing.Route{{}, {{Type: 0, Vehicle: 2, Jobs: []int{0}}}}, "day 2, route 0: vehicle 2 of type truck, want 0..1"},
		{[][]routing.Route{{{Type: 0, Jobs: []int{0}}, {Type: 0, Jobs: []int{1}}}}, "vehicle 0 of type truck has two routes"},
		{[][]routing.Route{{{Type: 0, Jobs: []int{7}}}}, "job 7 outside 0..2"},
		{[][]routing.Route{{{Type: 0, Jobs: []int{0, 1}, Trips: []routing.Trip{{From: 0, To: 1}}}}}, "trips end at visit 1 of 2"},
	} {
		p := handWeek()
		p.Previous = c.prev
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("previous %+v: error %v, want %q", c.prev, err, c.want)
		}
	}
}

// TestKeptAndRelabel: Relabel gives each route the vehicle it shares most
// jobs with, and Kept counts a job kept only with the same days and
// vehicles.
func TestKeptAndRelabel(t *testing.T) {
	prev := [][]routing.Route{{{Type: 0, Vehicle: 0, Jobs: []int{0, 1}}, {Type: 0, Vehicle: 1, Jobs: []int{2, 3, 4}}}}
	days := [][]routing.Route{{{Type: 0, Vehicle: 0, Jobs: []int{3, 2}}, {Type: 0, Vehicle: 1, Jobs: []int{1, 0, 4}}}}
	if k, n := periodic.Kept(prev, days); k != 1 || n != 5 {
		t.Fatalf("before relabelling: kept %d of %d, want 1 of 5 (job 4)", k, n)
	}
	periodic.Relabel(prev, days)
	// Route {3,2} shares 2 jobs with vehicle 1, route {1,0,4} 2 with
	// vehicle 0 and 1 with vehicle 1: 3,2 -> 1 (earlier route first at a
	// tie), then 1,0,4 -> 0. Job 4 moved to vehicle 0.
	want := [][]routing.Route{{{Type: 0, Vehicle: 0, Jobs: []int{1, 0, 4}}, {Type: 0, Vehicle: 1, Jobs: []int{3, 2}}}}
	if !reflect.DeepEqual(days, want) {
		t.Fatalf("relabelled %+v, want %+v", days, want)
	}
	if k, n := periodic.Kept(prev, days); k != 4 || n != 5 {
		t.Fatalf("kept %d of %d, want 4 of 5", k, n)
	}
}

// warmInstance is a seeded random week of 60 jobs at one depot, visited
// once to three times, with trips and split pickups.
func warmInstance(seed int64) *periodic.Problem {
	rng := rand.New(rand.NewSource(seed))
	const n, days = 60, 5
	xy := make([][2]float64, n+1)
	for i := range xy {
		xy[i] = [2]float64{rng.Float64() * 100, rng.Float64() * 100}
	}
	xy[0] = [2]float64{50, 50}
	d := make([][]float64, n+1)
	for i := range d {
		d[i] = make([]float64, n+1)
		for j := range d[i] {
			d[i][j] = math.Hypot(xy[i][0]-xy[j][0], xy[i][1]-xy[j][1])
		}
	}
	p := &periodic.Problem{Days: days, Distance: d, Vehicles: []routing.VehicleType{
		{ID: "small", Count: 4, Capacity: []int64{40, 10}, CostPerDistance: 1, FixedCost: 30, MaxTrips: 2, ReloadTime: 10, ShiftEnd: 600},
		{ID: "large", Count: 3, Capacity: []int64{70, 16}, CostPerDistance: 1.4, FixedCost: 45, MaxTrips: 2, ReloadTime: 10, ShiftEnd: 600},
	}}
	byFreq := map[int][]uint32{1: {1, 2, 4, 8, 16}, 2: {0b00101, 0b01010, 0b10100, 0b01001, 0b10010}, 3: {0b10101, 0b01011, 0b11010}}
	for j := 0; j < n; j++ {
		f := 1 + rng.Intn(3)
		job := periodic.Job{Job: routing.Job{ID: "j", Location: j + 1, Amount: []int64{int64(3 + rng.Intn(20)), int64(1 + rng.Intn(4))},
			Service: 5, FixedService: 3, Splittable: true}, Patterns: byFreq[f]}
		if rng.Intn(12) == 0 {
			job.Amount[0] = 45 + int64(rng.Intn(30)) // split on small trucks
		}
		p.Jobs = append(p.Jobs, job)
	}
	return p
}

// TestWarmStartKeepsMost: a week planned, then planned again from its plan
// with the same data and another seed, never costs more than the first
// plan (the warm search keeps the best plan it sees, the previous one
// included). With a consistency charge of 10 per job moved (about an
// eighth of a job's share of the week's cost), at least 90 % of the jobs
// keep their days and vehicles. Without a charge the warm search is free
// to move jobs for any saving: on these instances, whose first plans are
// short searches, it moves 15-70 % of them for savings of 0.2-1.7 %. The
// warm solve is reproducible and validated.
func TestWarmStartKeepsMost(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		if seed > 1 && testing.Short() {
			break // -short (the race step): one instance; make test runs all three
		}
		p := warmInstance(seed)
		s := &periodic.Settings{TimeLimit: 5 * time.Minute, MaxIterations: 6, RoutingIterations: 400, Seed: solver.Seed(seed)}
		first, err := periodic.Solve(context.Background(), p, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(first.Unserved) != 0 {
			t.Fatalf("seed %d: unserved %+v: the instance should fit", seed, first.Unserved)
		}
		p.Previous = first.Days
		for _, cc := range []float64{0, 10} {
			w := *s
			w.Seed++
			w.ConsistencyCost = cc
			r, err := periodic.Solve(context.Background(), p, &w)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate.CheckPeriodic(p, r); err != nil {
				t.Fatalf("seed %d, charge %g: %v", seed, cc, err)
			}
			share := float64(r.Kept) / float64(r.Compared)
			t.Logf("seed %d, charge %g: kept %d of %d (%.1f %%), cost %.2f -> %.2f", seed, cc, r.Kept, r.Compared, 100*share, first.Cost, r.Cost)
			if r.Compared != len(p.Jobs) || cc > 0 && share < 0.9 {
				t.Errorf("seed %d, charge %g: kept %d of %d jobs, want at least 90 %% of %d", seed, cc, r.Kept, r.Compared, len(p.Jobs))
			}
			if r.Cost > first.Cost+1e-6 || len(r.Unserved) != 0 {
				t.Errorf("seed %d, charge %g: cost %.4f (%d unserved), want at most the previous %.4f, all served", seed, cc, r.Cost, len(r.Unserved), first.Cost)
			}
			if seed == 1 {
				again, _ := periodic.Solve(context.Background(), p, &w)
				r.Elapsed, again.Elapsed = 0, 0
				if !reflect.DeepEqual(r, again) {
					t.Errorf("charge %g: same seed, cost %.4f then %.4f", cc, r.Cost, again.Cost)
				}
			}
		}
	}
}

// ExampleRelabel: this week's routes renumbered after last week's trucks,
// then the jobs that kept their day and truck counted.
func ExampleRelabel() {
	lastWeek := [][]routing.Route{{
		{Type: 0, Vehicle: 0, Jobs: []int{0, 1, 2}},
		{Type: 0, Vehicle: 1, Jobs: []int{3, 4}},
	}}
	thisWeek := [][]routing.Route{{
		{Type: 0, Vehicle: 0, Jobs: []int{4, 3}},
		{Type: 0, Vehicle: 1, Jobs: []int{0, 2, 1}},
	}}
	periodic.Relabel(lastWeek, thisWeek)
	kept, of := periodic.Kept(lastWeek, thisWeek)
	fmt.Println(thisWeek[0][0].Vehicle, thisWeek[0][0].Jobs, thisWeek[0][1].Vehicle, thisWeek[0][1].Jobs)
	fmt.Printf("%d of %d jobs keep their day and truck\n", kept, of)
	// Output:
	// 0 [0 2 1] 1 [4 3]
	// 5 of 5 jobs keep their day and truck
}

// TestWarmStartTypeNoLongerAllowed: a job on a vehicle type it may no
// longer ride is placed afresh on an allowed one; the plan stays valid.
// C now rides only the van (2 per unit of distance). The previous day 1
// (truck: A, C) loses C; the best week is then A and C on the van on day 1
// (2 x 21.05 = 42.10, cheaper than A alone on the truck, 20, plus C alone
// on the van, 40.20) and day 2 as before (B, A: 34.14): B keeps its day
// and truck, A leaves its day-1 truck.
func TestWarmStartTypeNoLongerAllowed(t *testing.T) {
	p := handWeek()
	p.Vehicles = append(p.Vehicles, routing.VehicleType{ID: "van", Count: 1, Capacity: []int64{2}, CostPerDistance: 2})
	p.Jobs[1].AllowedTypes = []int{1}
	p.Previous = [][]routing.Route{{{Type: 0, Vehicle: 0, Jobs: []int{0, 1}}}, {{Type: 0, Vehicle: 0, Jobs: []int{2, 0}}}}
	r, err := periodic.Solve(context.Background(), p, &periodic.Settings{TimeLimit: time.Minute, MaxIterations: 5, RoutingIterations: 200})
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.CheckPeriodic(p, r); err != nil {
		t.Fatal(err)
	}
	want := 2*(10+1+math.Sqrt(101)) + 10 + math.Sqrt(200) + 10
	if math.Abs(r.Cost-want) > 1e-9 || len(r.Unserved) != 0 {
		t.Errorf("cost %.4f (%d unserved), want %.4f, all served", r.Cost, len(r.Unserved), want)
	}
	if len(r.Days[0]) != 1 || r.Days[0][0].Type != 1 || len(r.Days[0][0].Jobs) != 2 {
		t.Errorf("day 1: %+v, want A and C on the van", r.Days[0])
	}
	if r.Kept != 1 || r.Compared != 3 {
		t.Errorf("kept %d of %d, want B's 1 of 3", r.Kept, r.Compared)
	}
}

// tightInstance is warmInstance with a fleet too small for every job, so
// that some are left unserved (fleet_size).
func tightInstance(seed int64) *periodic.Problem {
	p := warmInstance(seed)
	p.Vehicles[0].Count, p.Vehicles[1].Count = 2, 1
	return p
}

// fitsSomewhere reports whether job j of p has an allowed pattern whose
// every day can take it (cheapest insertion, limits hard) in the plan days.
func fitsSomewhere(t *testing.T, p *periodic.Problem, days [][]routing.Route, j int) bool {
	t.Helper()
	rp := &routing.Problem{Distance: p.Distance, Duration: p.Duration, Vehicles: p.Vehicles}
	for _, job := range p.Jobs {
		rp.Jobs = append(rp.Jobs, job.Job)
	}
	m, err := routing.NewModel(rp)
	if err != nil {
		t.Fatal(err)
	}
	fits := make([]bool, p.Days)
	for d := range fits {
		pl := m.NewPlan(0)
		if err := pl.SetRoutes(days[d]); err != nil {
			t.Fatalf("day %d of the result: %v", d+1, err)
		}
		_, fits[d] = pl.BestInsertion(j)
	}
	for _, pat := range p.Jobs[j].Patterns {
		ok := true
		for d := 0; d < p.Days; d++ {
			ok = ok && (pat&(1<<uint(d)) == 0 || fits[d])
		}
		if ok {
			return true
		}
	}
	return false
}

// TestUnservedFitsNowhere: a job reported unserved has no allowed pattern
// whose days the returned plan has room for (checked with routing's own
// insertion on the result's days, rebuilt from scratch). Before, a job left
// out by the construction stayed out even when the final plan had room,
// and a warm start from that plan served it by moving other jobs.
func TestUnservedFitsNowhere(t *testing.T) {
	some := 0
	for _, seed := range []int64{1, 2, 3} {
		if seed > 1 && testing.Short() {
			break // -short (the race step): one instance; make test runs all three
		}
		p := tightInstance(seed)
		r, err := periodic.Solve(context.Background(), p, &periodic.Settings{TimeLimit: 5 * time.Minute, MaxIterations: 6, RoutingIterations: 400, Seed: solver.Seed(seed)})
		if err != nil {
			t.Fatal(err)
		}
		if err := validate.CheckPeriodic(p, r); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		some += len(r.Unserved)
		for _, u := range r.Unserved {
			if fitsSomewhere(t, p, r.Days, u.Job) {
				t.Errorf("seed %d: job %d reported unserved (%s), yet the plan has room for it", seed, u.Job, u.Reason)
			}
		}
	}
	if some == 0 {
		t.Fatal("no job unserved on the tight instances: the test checks nothing")
	}
}

// TestWarmStartFixedPoint: a week with jobs it cannot serve, planned again
// from its own plan with a charge above any saving, keeps it: every job
// keeps its days and trucks, the same jobs are unserved, at no more cost
// (the order of a truck's stops may still improve). And a job missing from
// the previous plan (a new outlet) is inserted without moving any other:
// with that charge, every job of the previous plan keeps its place, and no
// more jobs are unserved than before (the room the job left may go to a
// harder job that was unserved: the count is what the solver minimises
// first).
func TestWarmStartFixedPoint(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		if seed > 1 && testing.Short() {
			break // -short (the race step): one instance; make test runs all three
		}
		p := tightInstance(seed)
		s := &periodic.Settings{TimeLimit: 5 * time.Minute, MaxIterations: 6, RoutingIterations: 400, Seed: solver.Seed(seed)}
		first, err := periodic.Solve(context.Background(), p, s)
		if err != nil {
			t.Fatal(err)
		}
		w := *s
		w.Seed++
		w.ConsistencyCost = 1e6
		p.Previous = first.Days
		r, err := periodic.Solve(context.Background(), p, &w)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate.CheckPeriodic(p, r); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if r.Kept != r.Compared || !reflect.DeepEqual(r.Unserved, first.Unserved) || r.Cost > first.Cost+1e-6 {
			t.Errorf("seed %d: kept %d of %d, %d unserved, cost %.4f; want all kept, the first plan's %d unserved and at most its cost %.4f",
				seed, r.Kept, r.Compared, len(r.Unserved), r.Cost, len(first.Unserved), first.Cost)
		}
		// Take a served job out of the previous plan: it is new this week.
		newJob := first.Days[0][0].Jobs[0]
		p.Previous = without(first.Days, newJob)
		r, err = periodic.Solve(context.Background(), p, &w)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate.CheckPeriodic(p, r); err != nil {
			t.Fatalf("seed %d, job %d new: %v", seed, newJob, err)
		}
		if r.Kept != r.Compared || r.Compared != len(p.Jobs)-len(first.Unserved)-1 || len(r.Unserved) > len(first.Unserved) {
			t.Errorf("seed %d, job %d new: kept %d of %d, %d unserved; want all %d others kept, at most %d unserved",
				seed, newJob, r.Kept, r.Compared, len(r.Unserved), len(p.Jobs)-len(first.Unserved)-1, len(first.Unserved))
		}
	}
}

// without is days with job j taken off every route (trips renumbered,
// routes left empty dropped).
func without(days [][]routing.Route, j int) [][]routing.Route {
	out := make([][]routing.Route, len(days))
	for d, routes := range days {
		for _, rt := range routes {
			nr := routing.Route{Type: rt.Type, Vehicle: rt.Vehicle}
			for _, tr := range rt.Trips {
				from := len(nr.Jobs)
				for i := tr.From; i < tr.To; i++ {
					if rt.Jobs[i] == j {
						continue
					}
					nr.Jobs = append(nr.Jobs, rt.Jobs[i])
					if rt.Amounts != nil {
						nr.Amounts = append(nr.Amounts, rt.Amounts[i])
					}
				}
				if len(nr.Jobs) > from {
					nr.Trips = append(nr.Trips, routing.Trip{From: from, To: len(nr.Jobs)})
				}
			}
			if len(nr.Jobs) > 0 {
				out[d] = append(out[d], nr)
			}
		}
	}
	return out
}
