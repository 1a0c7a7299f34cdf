package routing

import (
	"math"
	"slices"
	"testing"
)

// twoClusters: eight pickups on a line, four at x = 5..8 and four at
// x = -5..-8 (visits 0-3 and 4-7), the depot at 0, one roomy truck type.
func twoClusters() *Problem {
	xs := []float64{0, 5, 6, 7, 8, -5, -6, -7, -8}
	pts := make([][2]float64, len(xs))
	for k, x := range xs {
		pts[k] = [2]float64{x, 0}
	}
	p := &Problem{Distance: manhattan(pts), Vehicles: []VehicleType{{ID: "t", Capacity: []int64{100}, CostPerDistance: 1}}}
	for k := 1; k < len(xs); k++ {
		p.Jobs = append(p.Jobs, Job{ID: string(rune('a' + k - 1)), Location: k, Amount: []int64{1}})
	}
	return p
}

// TestCutLongestHandChecked: one route 5 6 7 8 -8 -7 -6 -5 (visits 0 1 2
// 3 7 6 5 4), length 5+3+16+3+5 = 32. Cuts that leave both parts two to
// six visits add d(a,0) + d(0,b) - d(a,b) with a the last visit kept, b
// the first moved: after 7 (x=6 -> 7) 6+7-1 = 12, after 8 (7 -> 8) 14,
// after the fourth (8 -> -8) 8+8-16 = 0, then 14 and 12. The cut goes
// after the fourth: [0 1 2 3] and [7 6 5 4], 16 each, total 32, and the
// floor becomes two routes. A route of three visits is not cut.
func TestCutLongestHandChecked(t *testing.T) {
	in := newInst(twoClusters())
	s := withRoutes(in, []int32{0, 1, 2, 3, 7, 6, 5, 4})
	if at := cutPoint(in, s.routes[0]); at != 4 {
		t.Fatalf("cut point %d, want 4", at)
	}
	if !s.cutLongest() {
		t.Fatal("no cut")
	}
	var got [][]int32
	for _, r := range s.routes {
		if len(r.jobs) > 0 {
			got = append(got, r.jobs)
		}
	}
	want := [][]int32{{0, 1, 2, 3}, {7, 6, 5, 4}}
	if len(got) != 2 || !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) {
		t.Fatalf("routes %v, want %v", got, want)
	}
	s.recompute()
	if math.Abs(s.cost-32) > 1e-9 || s.floor != 2 || !s.keepsFloor() {
		t.Fatalf("cost %v floor %d, want 32 and 2", s.cost, s.floor)
	}
	// one route fewer than the floor is refused, the local search's
	// closing of a route on a new best lowers it
	s.replace(1, nil)
	if s.keepsFloor() {
		t.Fatal("one route kept the floor of two")
	}
	s.settleFloor()
	if s.floor != 1 || !s.keepsFloor() {
		t.Fatalf("floor %d after settling on one route, want 1", s.floor)
	}
	short := withRoutes(in, []int32{0, 1, 2}, []int32{4, 5, 6})
	if short.cutLongest() || short.floor != 0 || short.nRoutes() != 2 {
		t.Fatal("a route of three visits was cut")
	}
}

// TestProbeTrajectories: on a windowed problem with one vehicle type, the
// probe turns the worst trajectory into the best at one route more (floor
// held) and the second worst into the best at one route fewer (its fleet
// capped) when the squeeze succeeds; the culls after it replace neither.
func TestProbeTrajectories(t *testing.T) {
	p := twProblem(3)
	p.Vehicles = p.Vehicles[:1]
	for k := range p.Jobs {
		p.Jobs[k].AllowedTypes = nil
	}
	w := newWorker(newInst(p), 7)
	w.recreate(0)
	w.localSearch(nil)
	if len(w.s.out) > 0 {
		t.Fatalf("first solution leaves out %v", w.s.out)
	}
	pl := newPool(w, 4)
	// make the costs differ: trajectory k gets k ruins and recreates kept
	// whatever they cost, so the first is the best
	for k, s := range pl.sols {
		w.s = s
		for i := 0; i < 40*k; i++ {
			s.beginLog()
			w.ruin()
			w.recreate(sisrBlink)
			if w.acceptable() && len(s.out) == 0 {
				s.commit()
			} else {
				s.undo()
			}
		}
		s.recompute()
	}
	w.s = pl.sols[0]
	order := pl.byCost()
	best := pl.sols[order[0]]
	m, bestCost := best.nRoutes(), best.cost
	stop := func() bool { return false }
	probeOn, probeFrom = true, 1
	defer func() { probeOn, probeFrom = false, 7 }()
	pl.culls = 1
	if !pl.probeOK() {
		t.Fatal("probes not applicable to a one-type windowed problem")
	}
	pl.probe(2000, 50, stop)
	up, down := pl.sols[order[3]], pl.sols[order[2]]
	if up.nRoutes() != m+1 || up.floor != m+1 {
		t.Errorf("probe up: %d routes, floor %d, want %d", up.nRoutes(), up.floor, m+1)
	}
	switch n := down.nRoutes(); {
	case n == m-1:
		if down.limit[0] != m-1 {
			t.Errorf("probe down on %d routes, fleet limit %d", n, down.limit[0])
		}
	case n == m:
		down.recompute()
		if math.Abs(down.cost-bestCost) > 1e-6 || down.limit[0] != w.in.types[0].count {
			t.Errorf("failed squeeze: cost %v limit %d, want a copy of the best (%v)", down.cost, down.limit[0], bestCost)
		}
	default:
		t.Errorf("probe down on %d routes from %d", n, m)
	}
	for _, k := range []int{order[2], order[3]} {
		if !pl.probing(k) {
			t.Errorf("trajectory %d not marked as a probe", k)
		}
		if s := pl.sols[k]; len(s.out) > 0 {
			t.Errorf("probe %d leaves out %v", k, s.out)
		}
		for _, r := range pl.sols[k].routes {
			if !r.feas {
				t.Errorf("probe %d: infeasible route %v", k, r.jobs)
			}
		}
	}
	// the other two become copies of the best, so a probe is the worst
	// (the cut added to the best's cost); a cull must take a third one
	var snap snapshot
	best.save(&snap)
	for _, k := range []int{order[0], order[1]} {
		pl.sols[k].load(&snap)
	}
	if up.recompute(); up.cost <= bestCost+1e-9 {
		t.Fatalf("cut cost %v, best %v: no worse", up.cost, bestCost)
	}
	upJobs := routesOf(up)
	downJobs := routesOf(down)
	pl.cull()
	if !slices.EqualFunc(routesOf(up), upJobs, slices.Equal) || !slices.EqualFunc(routesOf(down), downJobs, slices.Equal) {
		t.Error("a cull replaced a probe")
	}
}

// routesOf lists a solution's non-empty routes.
func routesOf(s *solution) [][]int32 {
	var out [][]int32
	for _, r := range s.routes {
		if len(r.jobs) > 0 {
			out = append(out, slices.Clone(r.jobs))
		}
	}
	return out
}

// TestEliteCopy: on the line of six pickups (lineProblem: job k at k+1),
// trajectories A = [0 1 2] [3 4 5] (cost 18), B = [1 0 2] [3 4 5] (20),
// C = [0 3] [1 4] [2 5] (30), D = [0 3] [2 5] [1 4] (30) and the run's
// best [0 1 2 3 4 5] (12), better than every current one: the cull
// replaces the worst (C, the lower index of the two at 30) by the run's
// best, not by a copy of A. With the run's best no better than A (18),
// before cull eliteFrom, or without windows (plain CVRP keeps its copies),
// C becomes a copy of A.
func TestEliteCopy(t *testing.T) {
	lp := lineProblem(6)
	for k := range lp.Jobs { // windows that bind nothing: the class eliteOK admits
		lp.Jobs[k].Windows = []TimeWindow{{0, 1000}}
	}
	in := newInst(lp)
	run := withRoutes(in, []int32{0, 1, 2, 3, 4, 5})
	var best snapshot
	run.save(&best)
	a := [][]int32{{0, 1, 2}, {3, 4, 5}}
	defer func(v int) { eliteFrom = v }(eliteFrom)
	for _, tc := range []struct {
		name      string
		from, cul int
		bestCost  float64
		want      [][]int32
	}{
		{"run's best", 1, 1, 12, [][]int32{{0, 1, 2, 3, 4, 5}}},
		{"before eliteFrom", 4, 3, 12, a},
		{"off", 0, 7, 12, a},
		{"run's best no better", 1, 1, 18, a},
		{"no windows", 1, 1, 12, a},
	} {
		in := in
		if tc.name == "no windows" {
			in = newInst(lineProblem(6))
		}
		w := newWorker(in, 1)
		p := &pool{w: w, at: cullAt, culls: tc.cul, best: &best}
		p.sols = []*solution{
			withRoutes(in, a...),
			withRoutes(in, []int32{1, 0, 2}, []int32{3, 4, 5}),
			withRoutes(in, []int32{0, 3}, []int32{1, 4}, []int32{2, 5}),
			withRoutes(in, []int32{0, 3}, []int32{2, 5}, []int32{1, 4}),
		}
		if got := p.sols[1].cost; math.Abs(got-20) > 1e-9 {
			t.Fatalf("B costs %v, want 20", got)
		}
		best.cost = tc.bestCost
		eliteFrom = tc.from
		p.cull()
		if got := routesOf(p.sols[2]); !slices.EqualFunc(got, tc.want, slices.Equal) {
			t.Errorf("%s: C became %v, want %v", tc.name, got, tc.want)
		}
		if got := routesOf(p.sols[3]); len(got) != 3 {
			t.Errorf("%s: D changed to %v", tc.name, got)
		}
	}
}
