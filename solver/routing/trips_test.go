package routing_test

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
)

// twoClusters: a plant (0) with two outlets 10 away (1, 2: 1 apart) and two
// 20 away (3, 4: 1 apart) on the other side; one truck holding 2.
func twoClusters() *routing.Problem {
	d := [][]float64{
		{0, 10, 10, 20, 20},
		{10, 0, 1, 30, 30},
		{10, 1, 0, 30, 30},
		{20, 30, 30, 0, 1},
		{20, 30, 30, 1, 0},
	}
	p := &routing.Problem{Distance: d}
	p.Vehicles = []routing.VehicleType{{ID: "truck", Count: 1, Capacity: []int64{2}, ShiftEnd: 100,
		MaxTrips: 2, ReloadTime: 5, FixedCost: 100, CostPerDistance: 1}}
	for l := 1; l <= 4; l++ {
		p.Jobs = append(p.Jobs, routing.Job{ID: string(rune('A' + l - 1)), Location: l, Amount: []int64{1}})
	}
	return p
}

// TestTwoTripsHandChecked: one truck, two trips: 0-1-2-0 (21) then, after 5
// of reload, 0-3-4-0 (41), in either order. Leaving at 0 with the near
// trip first: back at 21, away at 26, back at 67; the far trip first: back
// at 41, away at 46, back at 67. Cost 100 + 62.
func TestTwoTripsHandChecked(t *testing.T) {
	for _, exact := range []bool{true, false} {
		if !exact {
			noExact(t)
		}
		p := twoClusters()
		res := solveChecked(t, p, &routing.Settings{MaxIterations: 2000})
		if len(res.Unserved) != 0 || len(res.Routes) != 1 || res.Cost != 162 {
			t.Fatalf("exact=%v: %d routes, %d unserved, cost %g; want one truck, all served, 162", exact, len(res.Routes), len(res.Unserved), res.Cost)
		}
		r := res.Routes[0]
		if len(r.Trips) != 2 || r.Trips[0].To != 2 || r.Depart != 0 || r.Return != 67 || r.Duration != 67 {
			t.Fatalf("exact=%v: trips %+v, depart %g return %g; want 2 trips of 2, 0 to 67", exact, r.Trips, r.Depart, r.Return)
		}
		if got := r.Trips[1].Depart - r.Trips[0].Return; got != 5 {
			t.Errorf("exact=%v: second trip leaves %g after the first returns, want the reload time 5", exact, got)
		}
		for k, tr := range r.Trips {
			if tr.Load[0] != 2 {
				t.Errorf("exact=%v: trip %d load %v, want [2]", exact, k+1, tr.Load)
			}
		}
		if exact && (res.Status != solver.Optimal || !res.HasBound || res.Bound != 162) {
			t.Errorf("exact solve: status %v bound %g (has %v), want optimal with bound 162", res.Status, res.Bound, res.HasBound)
		}
	}
}

// TestTripsBindTheShift: with the shift ending at 60 one truck cannot make
// both trips (67); with a second truck it is two trucks of one trip each,
// and with a single truck two jobs stay out for lack of fleet.
func TestTripsBindTheShift(t *testing.T) {
	p := twoClusters()
	p.Vehicles[0].ShiftEnd = 60
	res := solveChecked(t, p, nil)
	if len(res.Routes) != 1 || len(res.Unserved) != 2 {
		t.Fatalf("%d routes, %d unserved; want one truck and the far pair left out", len(res.Routes), len(res.Unserved))
	}
	for _, u := range res.Unserved {
		if u.Reason != routing.ReasonFleetSize || p.Jobs[u.Job].Location < 3 {
			t.Errorf("unserved %+v, want the far outlets (3, 4) for fleet_size", u)
		}
	}
	p.Vehicles[0].Count = 2
	res = solveChecked(t, p, nil)
	if len(res.Routes) != 2 || len(res.Unserved) != 0 || res.Cost != 262 {
		t.Fatalf("%d routes, %d unserved, cost %g; want two trucks, all served, 262", len(res.Routes), len(res.Unserved), res.Cost)
	}
}

// TestSplitPickupHandChecked: an outlet with 7 to collect, trucks holding 4.
// It is split into pieces of 4 and 3 (the fewest near-equal pieces that fit
// the smallest truck). With one small truck making two trips it costs
// 100 + 2*20; if the small truck makes one trip a day, the big truck
// (10, fixed 150, 2 per km) takes both pieces on one trip: 150 + 2*20 =
// 190, cheaper than a small and a big truck (100+20 + 150+40).
func TestSplitPickupHandChecked(t *testing.T) {
	base := func() *routing.Problem {
		return &routing.Problem{
			Distance: [][]float64{{0, 10}, {10, 0}},
			Vehicles: []routing.VehicleType{
				{ID: "small", Count: 1, Capacity: []int64{4}, MaxTrips: 2, ReloadTime: 30, FixedCost: 100, CostPerDistance: 1},
				{ID: "big", Count: 1, Capacity: []int64{10}, FixedCost: 150, CostPerDistance: 2},
			},
			Jobs: []routing.Job{{ID: "hub", Location: 1, Amount: []int64{7}, Service: 40, FixedService: 10, Splittable: true}},
		}
	}
	p := base()
	res := solveChecked(t, p, nil)
	if len(res.Routes) != 1 || res.Routes[0].Type != 0 || len(res.Routes[0].Trips) != 2 || res.Cost != 140 {
		t.Fatalf("routes %+v cost %g; want the small truck, two trips, 140", res.Routes, res.Cost)
	}
	r := res.Routes[0]
	if !reflect.DeepEqual(r.Amounts, [][]int64{{4}, {3}}) && !reflect.DeepEqual(r.Amounts, [][]int64{{3}, {4}}) {
		t.Errorf("amounts %v, want pieces 4 and 3", r.Amounts)
	}
	// service of a piece: 10 fixed + share * 30 (4/7 or 3/7 of it)
	if first := r.Start[0] + 10 + float64(r.Amounts[0][0])/7*30 + 10; math.Abs(r.Trips[0].Return-first) > 1e-9 {
		t.Errorf("first trip returns at %g, want %g (arrival 10, piece service, 10 back)", r.Trips[0].Return, first)
	}
	p = base()
	p.Vehicles[0].MaxTrips = 1
	res = solveChecked(t, p, nil)
	if len(res.Routes) != 1 || res.Routes[0].Type != 1 || len(res.Routes[0].Jobs) != 2 || res.Cost != 190 {
		t.Fatalf("routes %+v cost %g; want the big truck with both pieces, 190", res.Routes, res.Cost)
	}
}

// TestSplitPartlyServed: 12 to collect in pieces of 4 with one truck of 4
// making two trips: 8 collected, 4 reported unserved (fleet_size).
func TestSplitPartlyServed(t *testing.T) {
	p := &routing.Problem{
		Distance: [][]float64{{0, 10}, {10, 0}},
		Vehicles: []routing.VehicleType{{ID: "small", Count: 1, Capacity: []int64{4}, MaxTrips: 2, CostPerDistance: 1}},
		Jobs:     []routing.Job{{ID: "hub", Location: 1, Amount: []int64{12}, Splittable: true}},
	}
	res := solveChecked(t, p, nil)
	if len(res.Unserved) != 1 || !reflect.DeepEqual(res.Unserved[0].Amount, []int64{4}) || res.Unserved[0].Reason != routing.ReasonFleetSize {
		t.Fatalf("unserved %+v, want 4 left for fleet_size", res.Unserved)
	}
	if len(res.Routes) != 1 || res.Routes[0].Load[0] != 8 {
		t.Fatalf("routes %+v, want one truck collecting 8", res.Routes)
	}
}

// TestCheapestTypeThatFits: a mixed fleet at one depot; the cheap small
// type takes what fits it, the big one only what the small cannot hold.
func TestCheapestTypeThatFits(t *testing.T) {
	p := &routing.Problem{
		Distance: [][]float64{{0, 10, 10}, {10, 0, 15}, {10, 15, 0}},
		Vehicles: []routing.VehicleType{
			{ID: "big", Count: 2, Capacity: []int64{10, 30}, FixedCost: 300, CostPerDistance: 8},
			{ID: "small", Count: 2, Capacity: []int64{5, 14}, FixedCost: 200, CostPerDistance: 5},
		},
		Jobs: []routing.Job{
			{ID: "light", Location: 1, Amount: []int64{3, 10}},
			{ID: "heavy", Location: 2, Amount: []int64{7, 20}},
		},
	}
	res := solveChecked(t, p, nil)
	// small for light (200+5*20), big for heavy (300+8*20); together on a
	// big truck would be 300+8*35 = 580 < 760? No: 10 kg of 10 and 30
	// packs of 30 fit exactly, so one big truck is cheapest.
	if len(res.Routes) != 1 || res.Routes[0].Type != 0 || res.Cost != 580 {
		t.Fatalf("routes %+v cost %g; want one big truck for both, 580", res.Routes, res.Cost)
	}
	p.Jobs[0].Amount = []int64{4, 11} // no longer fits with heavy
	res = solveChecked(t, p, nil)
	if len(res.Routes) != 2 || res.Cost != 760 {
		t.Fatalf("routes %+v cost %g; want small for light and big for heavy, 760", res.Routes, res.Cost)
	}
	for _, r := range res.Routes {
		if want := map[string]int{"light": 1, "heavy": 0}[p.Jobs[r.Jobs[0]].ID]; r.Type != want {
			t.Errorf("%s rides type %d, want %d", p.Jobs[r.Jobs[0]].ID, r.Type, want)
		}
	}
}

// tripsProblem is a random tiny problem with one depot, one or two trucks
// making up to three trips, a reload time, windows and a shift end.
func tripsProblem(rng *rand.Rand, nj int) *routing.Problem {
	pts := make([][2]float64, nj+1)
	for i := range pts {
		pts[i] = [2]float64{float64(rng.IntN(60)), float64(rng.IntN(60))}
	}
	p := &routing.Problem{Distance: euclid(pts)}
	p.Vehicles = []routing.VehicleType{{ID: "t", Count: 1 + rng.IntN(2), Capacity: []int64{int64(3 + rng.IntN(3)), 4},
		ShiftEnd: float64(300 + rng.IntN(200)), MaxTrips: 1 + rng.IntN(3), ReloadTime: float64(rng.IntN(20)),
		FixedCost: 50, CostPerDistance: 1}}
	for j := 0; j < nj; j++ {
		job := routing.Job{Location: j + 1, Amount: []int64{int64(1 + rng.IntN(3)), int64(rng.IntN(2))}, Service: float64(rng.IntN(10))}
		if rng.IntN(2) == 0 {
			o := float64(rng.IntN(200))
			job.Windows = []routing.TimeWindow{{Open: o, Close: o + 60 + float64(rng.IntN(100))}}
		}
		p.Jobs = append(p.Jobs, job)
	}
	return p
}

// bruteTrips is the cost of vehicle type k serving trips (each a job order)
// in a day, +Inf when a limit breaks: written from the problem definition
// only (earliest service, reload at End between trips, load per trip,
// shift end on the last return).
func bruteTrips(p *routing.Problem, k int, trips [][]int) float64 {
	v := p.Vehicles[k]
	tm, at, dist := v.ShiftStart, v.Start, 0.0
	for n, trip := range trips {
		if n > 0 {
			tm += v.ReloadTime
		}
		load := make([]int64, len(v.Capacity))
		for _, j := range trip {
			job := p.Jobs[j]
			for d := range load {
				if load[d] += job.Amount[d]; load[d] > v.Capacity[d] {
					return math.Inf(1)
				}
			}
			arr := tm + p.Distance[at][job.Location]
			dist += p.Distance[at][job.Location]
			start := math.Inf(1)
			if len(job.Windows) == 0 {
				start = arr
			}
			for _, w := range job.Windows {
				if arr <= w.Close {
					start = math.Max(arr, w.Open)
					break
				}
			}
			if math.IsInf(start, 1) {
				return math.Inf(1)
			}
			tm, at = start+job.Service, job.Location
		}
		tm += p.Distance[at][v.End]
		dist += p.Distance[at][v.End]
		at = v.End
	}
	if len(trips) == 0 {
		return 0
	}
	if v.ShiftEnd != 0 && tm > v.ShiftEnd {
		return math.Inf(1)
	}
	return v.FixedCost + v.CostPerDistance*dist
}

// bruteDay is the cheapest day of type k serving exactly the jobs of set:
// every order, every cut into at most MaxTrips trips.
func bruteDay(p *routing.Problem, k int, set []int) float64 {
	if len(set) == 0 {
		return 0
	}
	best := math.Inf(1)
	maxTrips := p.Vehicles[k].Trips()
	permute(set, func(order []int) {
		for cuts := 0; cuts < 1<<(len(order)-1); cuts++ {
			trips := [][]int{{order[0]}}
			for i := 1; i < len(order); i++ {
				if cuts&(1<<(i-1)) != 0 {
					trips = append(trips, nil)
				}
				trips[len(trips)-1] = append(trips[len(trips)-1], order[i])
			}
			if len(trips) <= maxTrips {
				best = math.Min(best, bruteTrips(p, k, trips))
			}
		}
	})
	return best
}

func permute(set []int, f func([]int)) {
	cur := make([]int, 0, len(set))
	used := make([]bool, len(set))
	var rec func()
	rec = func() {
		if len(cur) == len(set) {
			f(cur)
			return
		}
		for i, j := range set {
			if !used[i] {
				used[i] = true
				cur = append(cur, j)
				rec()
				cur = cur[:len(cur)-1]
				used[i] = false
			}
		}
	}
	rec()
}

// bruteFleet is the optimum serving every job with up to Count trucks of
// the one type (1 or 2), +Inf when impossible.
func bruteFleet(p *routing.Problem) float64 {
	nj := len(p.Jobs)
	all := make([]int, nj)
	for j := range all {
		all[j] = j
	}
	best := bruteDay(p, 0, all)
	if p.Vehicles[0].Count < 2 {
		return best
	}
	for mask := 1; mask < 1<<nj-1; mask++ {
		var a, b []int
		for j := 0; j < nj; j++ {
			if mask&(1<<j) != 0 {
				a = append(a, j)
			} else {
				b = append(b, j)
			}
		}
		best = math.Min(best, bruteDay(p, 0, a)+bruteDay(p, 0, b))
	}
	return best
}

// TestTripsBruteForce compares the search, and the exact enumeration, with
// the brute force of every assignment, order and cut into trips.
func TestTripsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 17))
	solved, multi := 0, 0
	for trial := 0; trial < 14; trial++ {
		p := tripsProblem(rng, 5+trial%2)
		opt := bruteFleet(p)
		if math.IsInf(opt, 1) {
			continue
		}
		solved++
		exact := solveChecked(t, p, nil)
		if exact.Status != solver.Optimal || len(exact.Unserved) != 0 || math.Abs(exact.Cost-opt) > 1e-6 {
			t.Errorf("trial %d: exact %v cost %.4f, %d unserved; brute force %.4f", trial, exact.Status, exact.Cost, len(exact.Unserved), opt)
		}
		for _, r := range exact.Routes {
			if len(r.Trips) > 1 {
				multi++
				break
			}
		}
		func() {
			noExact(t)
			res := solveChecked(t, p, &routing.Settings{MaxIterations: 3000, Seed: solver.Seed(trial)})
			if len(res.Unserved) != 0 || math.Abs(res.Cost-opt) > 1e-6 {
				t.Errorf("trial %d (%d trips max, %d trucks): search cost %.4f, %d unserved; brute force %.4f",
					trial, p.Vehicles[0].Trips(), p.Vehicles[0].Count, res.Cost, len(res.Unserved), opt)
			}
		}()
		*routing.ExactOn = true
	}
	if solved < 7 || multi < 3 {
		t.Fatalf("%d of 14 random problems feasible, %d optima with several trips; want 7 and 3", solved, multi)
	}
}

// TestSplitMatchesExpandedBruteForce: a problem with a split job has the
// optimum of the same problem where the pieces are ordinary jobs (amounts
// 4|3 of 7 etc., each with its piece's service time), found by brute force.
func TestSplitMatchesExpandedBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 21))
	solved := 0
	for trial := 0; trial < 20; trial++ {
		p := tripsProblem(rng, 4)
		c := p.Vehicles[0].Capacity
		big := routing.Job{ID: "split", Location: 1 + rng.IntN(4), Amount: []int64{c[0] + 1 + rng.Int64N(c[0]-1), 2},
			Service: 20, FixedService: 5, Splittable: true}
		p.Jobs = append(p.Jobs, big)
		// the expansion: 2 pieces (amount < 2*capacity, packs 2 -> 1+1)
		q := *p
		q.Jobs = append([]routing.Job(nil), p.Jobs[:4]...)
		for i := int64(0); i < 2; i++ {
			a := []int64{big.Amount[0]/2 + (big.Amount[0]%2)*(1-i), 1}
			piece := routing.Job{Location: big.Location, Amount: a, Service: big.VisitService(a)}
			q.Jobs = append(q.Jobs, piece)
		}
		opt := bruteFleet(&q)
		if math.IsInf(opt, 1) {
			continue
		}
		solved++
		for _, exact := range []bool{true, false} {
			*routing.ExactOn = exact
			res := solveChecked(t, p, &routing.Settings{MaxIterations: 3000, Seed: solver.Seed(trial)})
			*routing.ExactOn = true
			if len(res.Unserved) != 0 || math.Abs(res.Cost-opt) > 1e-6 {
				t.Errorf("trial %d exact=%v: cost %.4f, %d unserved; brute force of the pieces %.4f", trial, exact, res.Cost, len(res.Unserved), opt)
			}
		}
	}
	if solved < 5 {
		t.Fatalf("only %d of 20 problems feasible", solved)
	}
}

// richTrips is a random problem with every feature of trips and splits:
// several depots and types, up to four trips, reload times, split jobs
// with fixed service, windows, penalties, allowed types, a duration matrix.
func richTrips(rng *rand.Rand) *routing.Problem {
	nloc := 2 + rng.IntN(30)
	dist := make([][]float64, nloc)
	dur := make([][]float64, nloc)
	for i := range dist {
		dist[i] = make([]float64, nloc)
		dur[i] = make([]float64, nloc)
		for j := range dist[i] {
			if i != j {
				dist[i][j] = float64(1 + rng.IntN(60))
				dur[i][j] = dist[i][j] * (0.5 + rng.Float64())
			}
		}
	}
	p := &routing.Problem{Distance: dist, Duration: dur}
	nt := 1 + rng.IntN(3)
	for k := 0; k < nt; k++ {
		depot := rng.IntN(nloc)
		v := routing.VehicleType{ID: string(rune('a' + k)), Count: rng.IntN(3), Capacity: []int64{int64(8 + rng.IntN(20)), int64(2 + rng.IntN(5))},
			Start: depot, End: depot, ShiftStart: float64(rng.IntN(50)), MaxTrips: rng.IntN(5), ReloadTime: float64(rng.IntN(30)),
			CostPerDistance: 1 + rng.Float64(), CostPerDuration: rng.Float64() / 2, FixedCost: float64(rng.IntN(100))}
		if rng.IntN(4) == 0 {
			v.End = rng.IntN(nloc)
		}
		if rng.IntN(2) == 0 {
			v.ShiftEnd = v.ShiftStart + float64(300+rng.IntN(600))
		}
		if rng.IntN(4) == 0 {
			v.MaxDuration = float64(200 + rng.IntN(400))
		}
		p.Vehicles = append(p.Vehicles, v)
	}
	nj := rng.IntN(30)
	for j := 0; j < nj; j++ {
		job := routing.Job{Location: rng.IntN(nloc), Amount: []int64{int64(rng.IntN(12)), int64(rng.IntN(3))}, Service: float64(rng.IntN(30))}
		if rng.IntN(4) == 0 {
			job.Amount[0] = int64(10 + rng.IntN(60))
			job.Splittable = rng.IntN(4) > 0
			job.FixedService = job.Service * rng.Float64()
		}
		o := float64(rng.IntN(500))
		for w := 0; w < rng.IntN(3); w++ {
			job.Windows = append(job.Windows, routing.TimeWindow{Open: o, Close: o + float64(rng.IntN(150))})
			o += 200 + float64(rng.IntN(100))
		}
		if rng.IntN(5) == 0 {
			job.Penalty = float64(rng.IntN(300))
		}
		if rng.IntN(5) == 0 {
			job.AllowedTypes = []int{rng.IntN(nt)}
		}
		p.Jobs = append(p.Jobs, job)
	}
	return p
}

// TestRandomTripsValid: whatever the problem, every result passes the
// independent validator (trips, reloads, pieces, amounts, unserved
// remainders), every job is collected in full or its remainder listed, and
// the same seed gives the same result.
func TestRandomTripsValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 34))
	trips, splits := 0, 0
	trials := 3 * randomTrials
	if testing.Short() {
		trials = randomTrials
	}
	for trial := 0; trial < trials; trial++ {
		p := richTrips(rng)
		s := &routing.Settings{MaxIterations: 400, Seed: solver.Seed(trial), Workers: 1 + trial%2, TimeLimit: time.Hour} // iterations bind
		res := solveChecked(t, p, s)
		for _, r := range res.Routes {
			if len(r.Trips) > 1 {
				trips++
			}
			for i, j := range r.Jobs {
				if !reflect.DeepEqual(r.Amounts[i], p.Jobs[j].Amount) {
					splits++
				}
			}
		}
		if trial%5 == 0 {
			again := solveChecked(t, p, s)
			res.Elapsed, again.Elapsed = 0, 0
			if !reflect.DeepEqual(res, again) {
				t.Errorf("trial %d: same seed, different results (cost %.4f vs %.4f)", trial, res.Cost, again.Cost)
			}
		}
	}
	if trips == 0 || splits == 0 {
		t.Fatalf("%d multi-trip routes and %d pieces over all trials: the generator does not exercise trips and splits", trips, splits)
	}
}

// visitsOf turns a route back into LayOut's input.
func visitsOf(r routing.Route) [][]routing.Visit {
	var trips [][]routing.Visit
	for _, tr := range r.Trips {
		var vs []routing.Visit
		for i := tr.From; i < tr.To; i++ {
			vs = append(vs, routing.Visit{Job: r.Jobs[i], Amount: r.Amounts[i]})
		}
		trips = append(trips, vs)
	}
	return trips
}

// TestLayOutReproducesSolve: laying out a solved route from its departure
// gives back the route the solver reported, to the last bit: one forward
// pass for the solver and for callers.
func TestLayOutReproducesSolve(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	n := 0
	for trial := 0; trial < randomTrials; trial++ {
		p := richTrips(rng)
		res := solveChecked(t, p, &routing.Settings{MaxIterations: 200, Seed: solver.Seed(trial)})
		for _, r := range res.Routes {
			got, err := p.LayOut(r.Type, visitsOf(r), r.Depart)
			if err != nil {
				t.Fatalf("trial %d: LayOut of a solved route: %v", trial, err)
			}
			got.Vehicle = r.Vehicle
			if !reflect.DeepEqual(got, r) {
				t.Fatalf("trial %d: LayOut\n%+v\nSolve\n%+v", trial, got, r)
			}
			n++
		}
	}
	if n < 20 {
		t.Fatalf("only %d routes compared", n)
	}
}

// TestLayOutLimits: each limit of a vehicle's day is named with its trip
// and visit.
func TestLayOutLimits(t *testing.T) {
	p := twoClusters()
	near := []routing.Visit{{Job: 0}, {Job: 1}}
	far := []routing.Visit{{Job: 2}, {Job: 3}}
	r, err := p.LayOut(0, [][]routing.Visit{near, far}, 0)
	if err != nil || r.Return != 67 || r.Cost != 162 || len(r.Trips) != 2 || r.Trips[1].Depart != 26 {
		t.Fatalf("route %+v, %v; want back at 67, cost 162, second trip at 26", r, err)
	}
	cases := []struct {
		name  string
		edit  func(p *routing.Problem) ([][]routing.Visit, float64)
		limit string
		trip  int
		visit int
	}{
		{"three trips", func(p *routing.Problem) ([][]routing.Visit, float64) {
			return [][]routing.Visit{near[:1], near[1:], far}, 0
		}, routing.LimitTrips, 2, -1},
		{"overloaded trip", func(p *routing.Problem) ([][]routing.Visit, float64) {
			return [][]routing.Visit{{near[0], near[1], far[0]}, far[1:]}, 0
		}, routing.LimitCapacity, 0, -1},
		{"before the shift", func(p *routing.Problem) ([][]routing.Visit, float64) {
			p.Vehicles[0].ShiftStart = 5
			return [][]routing.Visit{near, far}, 0
		}, routing.LimitShiftStart, 0, -1},
		{"window closed", func(p *routing.Problem) ([][]routing.Visit, float64) {
			p.Jobs[3].Windows = []routing.TimeWindow{{Open: 0, Close: 40}}
			return [][]routing.Visit{near, far}, 0
		}, routing.LimitTimeWindow, 1, 3},
		{"after the shift", func(p *routing.Problem) ([][]routing.Visit, float64) {
			p.Vehicles[0].ShiftEnd = 66
			return [][]routing.Visit{near, far}, 0
		}, routing.LimitShiftEnd, 1, -1},
		{"too long", func(p *routing.Problem) ([][]routing.Visit, float64) {
			p.Vehicles[0].MaxDuration = 60
			return [][]routing.Visit{near, far}, 10
		}, routing.LimitMaxDuration, 1, -1},
	}
	for _, tc := range cases {
		p := twoClusters()
		trips, dep := tc.edit(p)
		_, err := p.LayOut(0, trips, dep)
		le, ok := err.(*routing.LimitError)
		if !ok || le.Limit != tc.limit || le.Trip != tc.trip || le.Visit != tc.visit {
			t.Errorf("%s: %v, want %s at trip %d visit %d", tc.name, err, tc.limit, tc.trip, tc.visit)
		}
	}
}

// TestShiftEndIsShiftLength: a job served inside its window but from which
// no vehicle is back before the shift ends is unserved for the shift, not
// for its window.
func TestShiftEndIsShiftLength(t *testing.T) {
	p := &routing.Problem{
		Distance: [][]float64{{0, 50}, {50, 0}},
		Vehicles: []routing.VehicleType{{ID: "v", Capacity: []int64{1}, ShiftEnd: 90}},
		Jobs: []routing.Job{
			{ID: "far", Location: 1, Amount: []int64{1}, Windows: []routing.TimeWindow{{Open: 0, Close: 60}}},
			{ID: "late", Location: 1, Amount: []int64{1}, Windows: []routing.TimeWindow{{Open: 0, Close: 40}}},
		},
	}
	res := solveChecked(t, p, nil)
	got := map[string]routing.Reason{}
	for _, u := range res.Unserved {
		got[p.Jobs[u.Job].ID] = u.Reason
	}
	if got["far"] != routing.ReasonShiftLength || got["late"] != routing.ReasonTimeWindow {
		t.Fatalf("reasons %v, want far: shift_length (back at 100 > 90), late: time_window (arrives 50 > 40)", got)
	}
}
