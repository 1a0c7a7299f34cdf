package routing

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSwapStarTWHandChecked is TestSwapStarHandChecked's grid (two full
// trucks of capacity 3, Manhattan distances, travel time = distance, no
// service time) with one window: (0,4) must be served by time 4. A serves
// (2,1), (2,4), (2,0) for 12; B serves (0,4) at time 4, (0,2), (0,1) for
// 8. Without the window SWAP* puts (0,1) first in A (cost 6) and (2,4)
// first in B without (0,1): (2,4),(0,4),(0,2) = 6+2+2+2 = 12, tied with
// (0,4),(2,4),(0,2) = 4+2+4+2 = 12 and found first. With the window the
// first place reaches (0,4) at time 8, too late, so the move must put (2,4)
// after (0,4) (node 1 of B): total 6 + 12 = 18, delta -2. Every classic
// move still loses (they did without the window).
func TestSwapStarTWHandChecked(t *testing.T) {
	pts := [][2]float64{{0, 0}, {2, 1}, {2, 4}, {2, 0}, {0, 4}, {0, 2}, {0, 1}}
	p := &Problem{Distance: manhattan(pts), Vehicles: []VehicleType{{ID: "t", Count: 2, Capacity: []int64{3}, CostPerDistance: 1}}}
	for k := 1; k < len(pts); k++ {
		p.Jobs = append(p.Jobs, Job{ID: string(rune('a' + k - 1)), Location: k, Amount: []int64{1}})
	}
	p.Jobs[3].Windows = []TimeWindow{{0, 4}}
	w := starWorker(t, p, []int32{0, 1, 2}, []int32{3, 4, 5})
	w.starTW = true
	if !w.starTWOK() || w.starOK() {
		t.Fatal("SWAP* with windows should apply here, the capacity-only one not")
	}
	a, b := checkStarGrid(t, w)
	m := w.starBestTW(a, b)
	want := starMove{i: 2, j: 3, pu: 1, pv: 0, delta: -2}
	if m != want {
		t.Fatalf("best SWAP* %+v, want %+v ((2,4) after (0,4) in B, (0,1) first in A)", m, want)
	}
	if !w.starApply(a, b, m) {
		t.Fatal("the SWAP* move was not applied")
	}
	if w.s.cost != 18 {
		t.Errorf("cost after SWAP* %v, want 18", w.s.cost)
	}
	if got := w.s.routes[b].jobs; !slices.Equal(got, []int32{3, 1, 4}) {
		t.Errorf("route B after SWAP* %v, want [3 1 4]: (0,4), (2,4), (0,2)", got)
	}
	if got := w.s.routes[a].jobs; !slices.Equal(got, []int32{5, 0, 2}) {
		t.Errorf("route A after SWAP* %v, want [5 0 2]: (0,1), (2,1), (2,0)", got)
	}
}

// twProblem is a random problem with one window per job, service times,
// two vehicle types (capacities, rates, a duration cost and limit on one)
// and some jobs barred from a type.
func twProblem(seed uint64) *Problem {
	rng := rand.New(rand.NewPCG(seed, 11))
	pts := scatter(rng, 51)
	d := euclid(pts, false)
	p := &Problem{Distance: d, Vehicles: []VehicleType{
		{ID: "small", Capacity: []int64{30}, CostPerDistance: 1, ShiftEnd: 400},
		{ID: "big", Capacity: []int64{60}, CostPerDistance: 1.2, CostPerDuration: 0.1, FixedCost: 10, ShiftEnd: 400, MaxDuration: 300}}}
	for k := 1; k < len(pts); k++ {
		open := float64(rng.IntN(250))
		j := Job{ID: string(rune(k)), Location: k, Amount: []int64{int64(1 + rng.IntN(9))}, Service: 5,
			Windows: []TimeWindow{{open, open + 30 + float64(rng.IntN(90))}}}
		if k%7 == 0 {
			j.AllowedTypes = []int{1}
		}
		p.Jobs = append(p.Jobs, j)
	}
	return p
}

// twRouteFeasible recomputes a route from the Problem alone (a forward pass
// written here, sharing no code with the solver): its distance, and whether
// every window, the shift end and the capacity hold (leaving at the shift
// start; waiting where a window is not open yet).
func twRouteFeasible(p *Problem, typ int, jobs []int32) (dist float64, ok bool) {
	vt := p.Vehicles[typ]
	tm, at, load := vt.ShiftStart, vt.Start, int64(0)
	for _, j := range jobs {
		job := p.Jobs[j]
		tm += p.Distance[at][job.Location]
		dist += p.Distance[at][job.Location]
		w := job.Windows[0]
		if tm > w.Close+1e-9 {
			return dist, false
		}
		tm = max(tm, w.Open) + job.Service
		at = job.Location
		load += job.Amount[0]
	}
	tm += p.Distance[at][vt.End]
	dist += p.Distance[at][vt.End]
	return dist, load <= vt.Capacity[0] && (vt.ShiftEnd == 0 || tm <= vt.ShiftEnd+1e-9)
}

// TestSwapStarTWPredictedDelta: on random problems with windows, every
// SWAP* move found improving is applied, lowers the cost by exactly its
// predicted delta, and leaves both routes feasible by a forward pass of
// this test's own (windows, shift end, capacity, allowed types) with the
// distance the solver reports, until no move is left.
func TestSwapStarTWPredictedDelta(t *testing.T) {
	moves := 0
	for seed := uint64(1); seed <= 20; seed++ {
		p := twProblem(seed)
		w := newWorker(newInst(p), seed)
		w.starTW = true
		w.recreate(0)
		// the running cost is a sum over routes: rounding only (1e-6)
		moves += applyStarMoves(t, w, seed, w.starBestTW, 1e-6, func(r *route) {
			dist, ok := twRouteFeasible(p, r.t, r.jobs)
			if !ok || math.Abs(dist-r.dist) > 1e-9 {
				t.Fatalf("seed %d: route %v: feasible %v, distance %v (solver %v)", seed, r.jobs, ok, dist, r.dist)
			}
		})
	}
	if moves < 20 {
		t.Errorf("only %d SWAP* moves over 20 greedy solutions; the test checks too little", moves)
	}
}
