package routing_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

// euclid builds a rounded Euclidean matrix from points.
func euclid(pts [][2]float64) [][]float64 {
	m := make([][]float64, len(pts))
	for i := range pts {
		m[i] = make([]float64, len(pts))
		for j := range pts {
			m[i][j] = math.Round(math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1]))
		}
	}
	return m
}

// solveChecked solves and runs the independent validator.
func solveChecked(t *testing.T, p *routing.Problem, s *routing.Settings) *routing.Result {
	t.Helper()
	res, err := routing.Solve(context.Background(), p, s)
	if err != nil {
		t.Fatalf("Solve: %v", err)
	}
	if err := validate.Check(p, res); err != nil {
		t.Fatalf("validator rejects the solution: %v", err)
	}
	return res
}

// tinyProblem: 2 vehicles (one per type, different depots and capacities),
// nj jobs with windows (some with two), amounts and service times.
func tinyProblem(rng *rand.Rand, nj int) *routing.Problem {
	pts := make([][2]float64, nj+2)
	for i := range pts {
		pts[i] = [2]float64{float64(rng.IntN(100)), float64(rng.IntN(100))}
	}
	p := &routing.Problem{Distance: euclid(pts)}
	p.Vehicles = []routing.VehicleType{
		{ID: "a", Count: 1, Capacity: []int64{14, 3}, Start: 0, End: 0, ShiftEnd: 500, CostPerDistance: 1, FixedCost: 5},
		{ID: "b", Count: 1, Capacity: []int64{12, 4}, Start: 1, End: 1, ShiftEnd: 500, CostPerDistance: 1.5},
	}
	for j := 0; j < nj; j++ {
		job := routing.Job{ID: string(rune('A' + j)), Location: j + 2,
			Amount:  []int64{int64(1 + rng.IntN(5)), int64(rng.IntN(2))},
			Service: float64(rng.IntN(10))}
		switch rng.IntN(3) {
		case 0:
			o := float64(rng.IntN(300))
			job.Windows = []routing.TimeWindow{{Open: o, Close: o + 60 + float64(rng.IntN(100))}}
		case 1:
			o := float64(rng.IntN(150))
			job.Windows = []routing.TimeWindow{{Open: o, Close: o + 30}, {Open: o + 150, Close: o + 200}}
		}
		if rng.IntN(5) == 0 {
			job.AllowedTypes = []int{rng.IntN(2)}
		}
		p.Jobs = append(p.Jobs, job)
	}
	return p
}

// bruteEvalDur is bruteEval with a duration cost and limit: it tries every
// integer departure time (all data are integers, so an optimal departure is
// an integer) and keeps the cheapest feasible schedule.
func bruteEvalDur(p *routing.Problem, k int, seq []int) float64 {
	if len(seq) == 0 {
		return 0
	}
	v := p.Vehicles[k]
	best := math.Inf(1)
	for dep := v.ShiftStart; dep <= v.ShiftEnd; dep++ {
		q := *p
		q.Vehicles = append([]routing.VehicleType(nil), p.Vehicles...)
		q.Vehicles[k].ShiftStart = dep
		q.Vehicles[k].CostPerDuration = 0
		c := bruteEval(&q, k, seq)
		if math.IsInf(c, 1) {
			break // later departures only arrive later
		}
		// bruteEval serves each job as early as possible from dep; the
		// return time follows from the same pass
		ret := bruteReturn(&q, k, seq)
		if v.MaxDuration > 0 && ret-dep > v.MaxDuration {
			continue
		}
		best = math.Min(best, c+v.CostPerDuration*(ret-dep))
	}
	return best
}

func bruteReturn(p *routing.Problem, k int, seq []int) float64 {
	v := p.Vehicles[k]
	tm, prev := v.ShiftStart, v.Start
	for _, j := range seq {
		job := p.Jobs[j]
		arr := tm + p.Distance[prev][job.Location]
		start := arr
		for _, w := range job.Windows {
			if arr <= w.Close {
				start = math.Max(arr, w.Open)
				break
			}
		}
		tm = start + job.Service
		prev = job.Location
	}
	return tm + p.Distance[prev][v.End]
}

// bruteEval returns the cost of serving seq with vehicle type k, or +Inf.
// It is written from the problem definition only: earliest service in the
// first reachable window, capacity, shift end, distance and fixed cost
// (these problems have no duration cost or limit).
func bruteEval(p *routing.Problem, k int, seq []int) float64 {
	if len(seq) == 0 {
		return 0
	}
	v := p.Vehicles[k]
	load := make([]int64, len(v.Capacity))
	tm, prev, dist := v.ShiftStart, v.Start, 0.0
	for _, j := range seq {
		job := p.Jobs[j]
		if len(job.AllowedTypes) > 0 && job.AllowedTypes[0] != k {
			return math.Inf(1)
		}
		for d := range load {
			load[d] += job.Amount[d]
			if load[d] > v.Capacity[d] {
				return math.Inf(1)
			}
		}
		arr := tm + p.Distance[prev][job.Location]
		dist += p.Distance[prev][job.Location]
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
		tm = start + job.Service
		prev = job.Location
	}
	if v.ShiftEnd != 0 && tm+p.Distance[prev][v.End] > v.ShiftEnd {
		return math.Inf(1)
	}
	dist += p.Distance[prev][v.End]
	return v.FixedCost + v.CostPerDistance*dist
}

// bruteOptimum enumerates every split of the jobs over the two vehicles
// and every order on each.
func bruteOptimum(p *routing.Problem) float64 { return bruteOptimumWith(p, bruteEval) }

func bruteOptimumWith(p *routing.Problem, eval func(*routing.Problem, int, []int) float64) float64 {
	nj := len(p.Jobs)
	best := math.Inf(1)
	var perm func(k int, set []int, cur []int, used []bool, f func([]int))
	perm = func(k int, set []int, cur []int, used []bool, f func([]int)) {
		if len(cur) == len(set) {
			f(cur)
			return
		}
		for i, j := range set {
			if !used[i] {
				used[i] = true
				perm(k, set, append(cur, j), used, f)
				used[i] = false
			}
		}
	}
	for mask := 0; mask < 1<<nj; mask++ {
		var a, b []int
		for j := 0; j < nj; j++ {
			if mask&(1<<j) != 0 {
				a = append(a, j)
			} else {
				b = append(b, j)
			}
		}
		ba, bb := math.Inf(1), math.Inf(1)
		perm(0, a, nil, make([]bool, len(a)), func(s []int) { ba = math.Min(ba, eval(p, 0, s)) })
		if math.IsInf(ba, 1) {
			continue
		}
		perm(1, b, nil, make([]bool, len(b)), func(s []int) { bb = math.Min(bb, eval(p, 1, s)) })
		best = math.Min(best, ba+bb)
	}
	return best
}

// noExact makes tiny problems go through the search instead of the exact
// enumeration, so that the brute-force tests check the metaheuristic.
func noExact(t *testing.T) {
	*routing.ExactOn = false
	t.Cleanup(func() { *routing.ExactOn = true })
}

func TestBruteForceOptimum(t *testing.T) {
	noExact(t)
	rng := rand.New(rand.NewPCG(7, 11))
	solved := 0
	for trial := 0; trial < 16; trial++ {
		nj := 6 + trial%2
		p := tinyProblem(rng, nj)
		opt := bruteOptimum(p)
		if math.IsInf(opt, 1) {
			continue // not every job can be served: covered by other tests
		}
		solved++
		res := solveChecked(t, p, &routing.Settings{MaxIterations: 3000, Seed: solver.Seed(trial)})
		if len(res.Unserved) != 0 {
			t.Errorf("trial %d: %d jobs unserved, brute force serves all (optimum %.2f)", trial, len(res.Unserved), opt)
			continue
		}
		if math.Abs(res.Cost-opt) > 1e-6 {
			t.Errorf("trial %d (%d jobs): cost %.4f, brute-force optimum %.4f", trial, nj, res.Cost, opt)
		}
	}
	if solved < 8 {
		t.Fatalf("only %d of 16 random tiny problems were feasible; the generator is too tight", solved)
	}
}

// TestBruteForceDuration adds a cost per unit of route duration (waiting
// included) and a maximum duration, which exercises the minimum-duration
// schedule (leave late enough not to wait).
func TestBruteForceDuration(t *testing.T) {
	noExact(t)
	rng := rand.New(rand.NewPCG(5, 9))
	solved := 0
	for trial := 0; trial < 8; trial++ {
		p := tinyProblem(rng, 6)
		p.Vehicles[0].CostPerDuration = 0.5
		p.Vehicles[0].MaxDuration = 260
		p.Vehicles[1].CostPerDuration = 0.3
		p.Vehicles[1].ShiftStart = 20
		opt := bruteOptimumWith(p, bruteEvalDur)
		if math.IsInf(opt, 1) {
			continue
		}
		solved++
		res := solveChecked(t, p, &routing.Settings{MaxIterations: 3000, Seed: solver.Seed(trial)})
		if len(res.Unserved) != 0 {
			t.Errorf("trial %d: %d jobs unserved, brute force serves all (optimum %.2f)", trial, len(res.Unserved), opt)
			continue
		}
		if math.Abs(res.Cost-opt) > 1e-6 {
			t.Errorf("trial %d: cost %.4f, brute-force optimum %.4f", trial, res.Cost, opt)
		}
	}
	if solved < 4 {
		t.Fatalf("only %d of 8 problems feasible", solved)
	}
}

// TestExactMatchesBruteForce: with at most 8 jobs Solve enumerates and
// claims optimality; its cost must equal the brute force of the test.
func TestExactMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := 0; trial < 6; trial++ {
		p := tinyProblem(rng, 6+trial%2)
		if trial%2 == 1 {
			p.Vehicles[0].CostPerDuration = 0.5
			p.Vehicles[1].MaxDuration = 300
		}
		eval := bruteEval
		if trial%2 == 1 {
			eval = bruteEvalDur
		}
		opt := bruteOptimumWith(p, eval)
		res := solveChecked(t, p, nil)
		if math.IsInf(opt, 1) {
			continue
		}
		if res.Status != solver.Optimal || math.Abs(res.Cost-opt) > 1e-6 || !res.HasBound || math.Abs(res.Bound-opt) > 1e-6 || res.Gap != 0 {
			t.Errorf("trial %d: status %v cost %.4f bound %.4f (has %v, gap %g), brute force %.4f", trial, res.Status, res.Cost, res.Bound, res.HasBound, res.Gap, opt)
		}
	}
}

// mediumProblem: 80 jobs with windows and two depots, for determinism and
// interruption tests.
func mediumProblem(seed uint64) *routing.Problem {
	rng := rand.New(rand.NewPCG(seed, 3))
	n := 82
	pts := make([][2]float64, n)
	for i := range pts {
		pts[i] = [2]float64{rng.Float64() * 100, rng.Float64() * 100}
	}
	p := &routing.Problem{Distance: euclid(pts)}
	p.Vehicles = []routing.VehicleType{
		{ID: "west", Capacity: []int64{50}, Start: 0, End: 0, ShiftEnd: 1000, CostPerDistance: 1, FixedCost: 20},
		{ID: "east", Count: 3, Capacity: []int64{80}, Start: 1, End: 1, ShiftEnd: 1000, MaxDuration: 400, CostPerDistance: 1, CostPerDuration: 0.1},
	}
	for j := 0; j < n-2; j++ {
		o := float64(rng.IntN(700))
		p.Jobs = append(p.Jobs, routing.Job{Location: j + 2, Amount: []int64{int64(1 + rng.IntN(10))}, Service: 5,
			Windows: []routing.TimeWindow{{Open: o, Close: o + 100}}})
	}
	return p
}

func TestDeterministic(t *testing.T) {
	p := mediumProblem(1)
	for _, workers := range []int{1, 2} {
		s := &routing.Settings{MaxIterations: 1500, Seed: 42, Workers: workers, TimeLimit: time.Hour} // iterations must bind, even under -race on a loaded machine
		a := solveChecked(t, p, s)
		b := solveChecked(t, p, s)
		a.Elapsed, b.Elapsed = 0, 0
		if !reflect.DeepEqual(a, b) {
			t.Errorf("workers=%d: two solves with the same seed and iteration limit differ: cost %.6f vs %.6f", workers, a.Cost, b.Cost)
		}
		if a.Status != solver.IterationLimit || a.Iterations != 1500 {
			t.Errorf("workers=%d: status %v after %d iterations, want iteration_limit after 1500", workers, a.Status, a.Iterations)
		}
		if len(a.Unserved) != 0 {
			t.Errorf("workers=%d: %d jobs unserved, want all served (unlimited west fleet)", workers, len(a.Unserved))
		}
	}
}

func TestInterrupt(t *testing.T) {
	p := mediumProblem(2)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(150 * time.Millisecond)
		cancel()
	}()
	res, err := routing.Solve(ctx, p, &routing.Settings{TimeLimit: time.Minute, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != solver.Interrupted {
		t.Errorf("status %v, want interrupted", res.Status)
	}
	if err := validate.Check(p, res); err != nil {
		t.Fatalf("interrupted result invalid: %v", err)
	}
	if len(res.Unserved) != 0 || len(res.Routes) == 0 {
		t.Errorf("interrupted result serves %d routes, %d unserved; want a complete best-so-far solution", len(res.Routes), len(res.Unserved))
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	p := mediumProblem(6)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := routing.Solve(ctx, p, &routing.Settings{TimeLimit: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != solver.Interrupted || len(res.Routes) == 0 {
		t.Errorf("status %v with %d routes, want interrupted with the first solution", res.Status, len(res.Routes))
	}
	if err := validate.Check(p, res); err != nil {
		t.Fatalf("invalid: %v", err)
	}
}

func TestUnservedReasons(t *testing.T) {
	// depot 0; jobs at 1..5; distances on a line
	pts := [][2]float64{{0, 0}, {10, 0}, {20, 0}, {150, 0}, {40, 0}, {50, 0}}
	p := &routing.Problem{Distance: euclid(pts)}
	p.Vehicles = []routing.VehicleType{
		{ID: "small", Count: 1, Capacity: []int64{5000}, ShiftEnd: 500, MaxDuration: 200, CostPerDistance: 1},
		{ID: "van", Count: 1, Capacity: []int64{100}, ShiftEnd: 500, CostPerDistance: 1},
	}
	p.Jobs = []routing.Job{
		{ID: "heavy", Location: 1, Amount: []int64{6200}},
		{ID: "late", Location: 2, Amount: []int64{1}, Windows: []routing.TimeWindow{{Open: 0, Close: 15}}},
		{ID: "far", Location: 3, Amount: []int64{1}, AllowedTypes: []int{0}},
		{ID: "ok", Location: 4, Amount: []int64{4000}},
		{ID: "crowd", Location: 5, Amount: []int64{4000}},
		{ID: "optional", Location: 3, Amount: []int64{1}, AllowedTypes: []int{1}, Penalty: 10},
	}
	res := solveChecked(t, p, &routing.Settings{MaxIterations: 500})
	want := map[string]routing.Reason{
		"heavy": routing.ReasonCapacity, "late": routing.ReasonTimeWindow, "far": routing.ReasonShiftLength,
		"crowd": routing.ReasonFleetSize, "optional": routing.ReasonPenalty,
	}
	got := map[string]routing.Unserved{}
	for _, u := range res.Unserved {
		got[p.Jobs[u.Job].ID] = u
	}
	// ok and crowd are interchangeable: exactly one of them fits the one truck
	if u, ok := got["ok"]; ok {
		got["crowd"] = u
		delete(got, "ok")
	}
	for id, r := range want {
		u, ok := got[id]
		if !ok {
			t.Errorf("job %s served, want unserved with reason %s", id, r)
			continue
		}
		if u.Reason != r {
			t.Errorf("job %s: reason %s (%s), want %s", id, u.Reason, u.Detail, r)
		}
	}
	if d := got["heavy"].Detail; !strings.Contains(d, "6200") || !strings.Contains(d, "5000") {
		t.Errorf("capacity detail %q should name the amount 6200 and the largest capacity 5000", d)
	}
	if len(res.Unserved) != len(want) {
		t.Errorf("%d unserved jobs, want %d: %+v", len(res.Unserved), len(want), res.Unserved)
	}
	// cost = one route 0->4->0 (80) + optional penalty 10
	if math.Abs(res.Cost-90) > 1e-9 {
		t.Errorf("cost %.3f, want 90 (route of 80 plus penalty 10)", res.Cost)
	}
}

func TestMultiDepotHeterogeneous(t *testing.T) {
	// Two depots at x=0 and x=1000 with three jobs near each. Type A cannot
	// carry the second dimension at all, so "bulky" (near depot A) must ride
	// with B, whose first dimension is then full: A serves its three jobs.
	pts := [][2]float64{{0, 0}, {1000, 0}, {10, 0}, {0, 10}, {10, 10}, {990, 0}, {1000, 10}, {990, 10}, {5, 5}}
	p := &routing.Problem{Distance: euclid(pts)}
	p.Vehicles = []routing.VehicleType{
		{ID: "A", Count: 1, Capacity: []int64{10, 0}, Start: 0, End: 0, CostPerDistance: 1},
		{ID: "B", Count: 1, Capacity: []int64{4, 5}, Start: 1, End: 1, CostPerDistance: 1},
	}
	for l := 2; l <= 7; l++ {
		p.Jobs = append(p.Jobs, routing.Job{Location: l, Amount: []int64{1, 0}})
	}
	p.Jobs[5].AllowedTypes = []int{1} // restricted, and near B anyway
	p.Jobs = append(p.Jobs, routing.Job{ID: "hazard", Location: 8, Amount: []int64{1, 2}})
	res := solveChecked(t, p, &routing.Settings{MaxIterations: 500})
	if len(res.Unserved) != 0 || len(res.Routes) != 2 {
		t.Fatalf("%d routes, %d unserved; want 2 routes serving all", len(res.Routes), len(res.Unserved))
	}
	for _, r := range res.Routes {
		for _, j := range r.Jobs {
			near := 0
			if pts[p.Jobs[j].Location][0] > 500 {
				near = 1
			}
			if p.Jobs[j].ID != "hazard" && near != r.Type {
				t.Errorf("job %d at x=%g served from depot %d, want the nearer depot", j, pts[p.Jobs[j].Location][0], r.Type)
			}
			if p.Jobs[j].ID == "hazard" && r.Type != 1 {
				t.Errorf("hazard served by type %d, only type 1 is allowed", r.Type)
			}
		}
	}
	// A: 0->(10,0)->(10,10)->(0,10)->0 = 40; B: 1000->990->hazard(5,5)->... optimum
	// computed by brute force below.
	if opt := bruteOptimum(p); math.Abs(res.Cost-opt) > 1e-6 {
		t.Errorf("cost %.3f, brute-force optimum %.3f", res.Cost, opt)
	}
}

func TestMinimizeVehicles(t *testing.T) {
	// Four jobs on a cross; capacity 2 per vehicle. Distance-optimal uses
	// ... with MinimizeVehicles the solver must use exactly 2 vehicles.
	pts := [][2]float64{{0, 0}, {10, 0}, {-10, 0}, {0, 10}, {0, -10}}
	p := &routing.Problem{Distance: euclid(pts)}
	p.Vehicles = []routing.VehicleType{{ID: "v", Capacity: []int64{2}, CostPerDistance: 1}}
	for l := 1; l <= 4; l++ {
		p.Jobs = append(p.Jobs, routing.Job{Location: l, Amount: []int64{1}})
	}
	// The 2 jobs at -10,0 and 10,0 prefer separate routes when one has a
	// window that forces an early visit: give job at (10,0) window [0,10]
	// and the job at (-10,0) window [0,10]. One vehicle cannot do both
	// (needs 10 + 20 > 10), so at least 2 routes; 2 are enough.
	p.Jobs[0].Windows = []routing.TimeWindow{{Open: 0, Close: 10}}
	p.Jobs[1].Windows = []routing.TimeWindow{{Open: 0, Close: 10}}
	p.MinimizeVehicles = true
	res := solveChecked(t, p, &routing.Settings{MaxIterations: 500})
	if len(res.Routes) != 2 || len(res.Unserved) != 0 {
		t.Fatalf("%d routes, %d unserved; want 2 routes", len(res.Routes), len(res.Unserved))
	}
}

func TestCheckError(t *testing.T) {
	p := &routing.Problem{Distance: [][]float64{{0, 1}, {1}}, Vehicles: []routing.VehicleType{{}}}
	if _, err := routing.Solve(context.Background(), p, nil); err == nil || !strings.Contains(err.Error(), "row 1") {
		t.Fatalf("error %v, want the malformed Distance row reported", err)
	}
}

func TestNoJobs(t *testing.T) {
	p := &routing.Problem{Distance: [][]float64{{0}}, Vehicles: []routing.VehicleType{{ID: "v"}}}
	res := solveChecked(t, p, nil)
	if res.Status != solver.Optimal || res.Cost != 0 || len(res.Routes) != 0 {
		t.Fatalf("got %+v, want an empty optimal result", res)
	}
}

func TestProgressAndDefaults(t *testing.T) {
	p := mediumProblem(3)
	var calls []routing.Progress
	res := solveChecked(t, p, &routing.Settings{TimeLimit: 700 * time.Millisecond, MaxIterations: -1, Progress: func(pr routing.Progress) { calls = append(calls, pr) }})
	if res.Status != solver.TimeLimit {
		t.Errorf("status %v, want time_limit", res.Status)
	}
	if len(calls) == 0 {
		t.Fatal("Progress never called in a 700 ms solve (it reports every 200 ms)")
	}
	if last := calls[len(calls)-1].BestCost; last < res.Cost-1e-6 {
		t.Errorf("last progress reports cost %.3f, below the final result %.3f", last, res.Cost)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i].BestCost > calls[i-1].BestCost || calls[i].Iterations < calls[i-1].Iterations {
			t.Errorf("progress %d: best %.2f after %.2f, iterations %d after %d: want non-increasing cost, non-decreasing iterations",
				i, calls[i].BestCost, calls[i-1].BestCost, calls[i].Iterations, calls[i-1].Iterations)
		}
	}
	// every route field is filled and consistent
	for k, r := range res.Routes {
		if len(r.Arrival) != len(r.Jobs) || len(r.Start) != len(r.Jobs) || len(r.Load) != 1 {
			t.Fatalf("route %d: %d arrivals, %d starts, %d load dims for %d jobs", k, len(r.Arrival), len(r.Start), len(r.Load), len(r.Jobs))
		}
		if math.Abs(r.Duration-(r.Return-r.Depart)) > 1e-9 || r.Cost <= 0 || r.Distance <= 0 {
			t.Errorf("route %d: duration %.3f, return-depart %.3f, cost %.3f, distance %.3f", k, r.Duration, r.Return-r.Depart, r.Cost, r.Distance)
		}
	}
}

// TestDefaultIterationLimit: a zero MaxIterations is the documented default
// (never "no limit"), so a small solve with default settings ends on
// iterations (reproducible: TestDeterministic).
func TestDefaultIterationLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 iterations")
	}
	p := tinyProblem(rand.New(rand.NewPCG(5, 5)), 12)
	a := solveChecked(t, p, &routing.Settings{TimeLimit: time.Hour})
	if a.Status != solver.IterationLimit || a.Iterations != routing.DefaultMaxIterations || a.HasBound {
		t.Fatalf("status %v after %d iterations, has bound %v: want iteration_limit after %d, no bound",
			a.Status, a.Iterations, a.HasBound, routing.DefaultMaxIterations)
	}
}

var randomTrials = 25

// TestRandomRich solves random problems mixing every feature (asymmetric
// matrices with a separate duration matrix, several windows, optional jobs,
// limited fleets, allowed types, shift and duration limits, two capacity
// dimensions) and lets the validator check each result.
func TestRandomRich(t *testing.T) {
	rng := rand.New(rand.NewPCG(99, 1))
	for trial := 0; trial < randomTrials; trial++ {
		nloc := 3 + rng.IntN(40)
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
		p := &routing.Problem{Distance: dist, Duration: dur, MinimizeVehicles: rng.IntN(4) == 0}
		nt := 1 + rng.IntN(3)
		for k := 0; k < nt; k++ {
			v := routing.VehicleType{ID: fmt.Sprint("t", k), Count: rng.IntN(4), Capacity: []int64{int64(10 + rng.IntN(30)), int64(rng.IntN(5))},
				Start: rng.IntN(nloc), End: rng.IntN(nloc), ShiftStart: float64(rng.IntN(50)), CostPerDistance: 1, CostPerDuration: rng.Float64(),
				FixedCost: float64(rng.IntN(50))}
			if rng.IntN(2) == 0 {
				v.ShiftEnd = v.ShiftStart + float64(200+rng.IntN(600))
			}
			if rng.IntN(3) == 0 {
				v.MaxDuration = float64(100 + rng.IntN(300))
			}
			p.Vehicles = append(p.Vehicles, v)
		}
		nj := rng.IntN(35)
		for j := 0; j < nj; j++ {
			job := routing.Job{Location: rng.IntN(nloc), Amount: []int64{int64(rng.IntN(12)), int64(rng.IntN(3))}, Service: float64(rng.IntN(15))}
			o := float64(rng.IntN(500))
			for w := 0; w < rng.IntN(4); w++ {
				job.Windows = append(job.Windows, routing.TimeWindow{Open: o, Close: o + float64(rng.IntN(80))})
				o += 100 + float64(rng.IntN(100))
			}
			if rng.IntN(4) == 0 {
				job.Penalty = float64(rng.IntN(200))
			}
			if rng.IntN(4) == 0 {
				job.AllowedTypes = []int{rng.IntN(nt)}
			}
			p.Jobs = append(p.Jobs, job)
		}
		res := solveChecked(t, p, &routing.Settings{MaxIterations: 300, Seed: solver.Seed(trial), Workers: 1 + trial%2})
		seen := make([]int, nj)
		for _, r := range res.Routes {
			for _, j := range r.Jobs {
				seen[j]++
			}
		}
		for _, u := range res.Unserved {
			seen[u.Job]++
			if u.Reason == "" || u.Detail == "" {
				t.Errorf("trial %d: job %d unserved without reason or detail: %+v", trial, u.Job, u)
			}
		}
		for j, c := range seen {
			if c != 1 {
				t.Errorf("trial %d: job %d appears %d times in routes and Unserved, want exactly once", trial, j, c)
			}
		}
	}
}

// TestLongRunsValid runs long enough to reach the periodic phases (route
// elimination and squeezing) on a tight CVRP and a VRPTW with
// MinimizeVehicles, and validates the results.
func TestLongRunsValid(t *testing.T) {
	if raceOn {
		t.Skip("single-goroutine run; too slow under -race")
	}
	rng := rand.New(rand.NewPCG(4, 4))
	pts := make([][2]float64, 61)
	for i := range pts {
		pts[i] = [2]float64{float64(rng.IntN(100)), float64(rng.IntN(100))}
	}
	p := &routing.Problem{Distance: euclid(pts)}
	p.Vehicles = []routing.VehicleType{{ID: "v", Capacity: []int64{100}, CostPerDistance: 1}}
	total := int64(0)
	for j := 1; j <= 60; j++ {
		a := int64(5 + rng.IntN(25))
		total += a
		p.Jobs = append(p.Jobs, routing.Job{Location: j, Amount: []int64{a}})
	}
	res := solveChecked(t, p, &routing.Settings{MaxIterations: 10000, Seed: 3})
	if lb := int((total + 99) / 100); len(res.Routes) < lb || len(res.Unserved) != 0 {
		t.Errorf("%d routes (capacity bound %d), %d unserved", len(res.Routes), lb, len(res.Unserved))
	}
	q := mediumProblem(5)
	q.MinimizeVehicles = true
	free := solveChecked(t, mediumProblem(5), &routing.Settings{MaxIterations: 5000, Seed: 3})
	minv := solveChecked(t, q, &routing.Settings{MaxIterations: 5000, Seed: 3})
	if len(minv.Routes) > len(free.Routes) {
		t.Errorf("MinimizeVehicles uses %d routes, the cost-only solve %d", len(minv.Routes), len(free.Routes))
	}
}
