package routing

import (
	"slices"
	"testing"
)

// TestSplitLongest: four visits on a line at 1, 2, 3, 4 from the depot,
// every one with a window [0, 100], one route 0-1-2-3-4-0 of length 8 and a
// second vehicle free. The split keeps 1, 2 (length 4) and puts 3, 4 on the
// free vehicle (length 8): cost 12. When the depot is 10 time units from
// 3 (durations without the triangle inequality) and 4 must be served by
// time 5 (reached at 4 alone or in the whole route), the second half would
// reach 4 at 11: nothing changes.
func TestSplitLongest(t *testing.T) {
	pts := [][2]float64{{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}}
	p := &Problem{Distance: manhattan(pts), Vehicles: []VehicleType{{ID: "t", Count: 2, Capacity: []int64{9}, CostPerDistance: 1}}}
	for k := 1; k < len(pts); k++ {
		p.Jobs = append(p.Jobs, Job{ID: string(rune('a' + k - 1)), Location: k, Amount: []int64{1}, Windows: []TimeWindow{{0, 100}}})
	}
	w := starWorker(t, p, []int32{0, 1, 2, 3})
	if w.s.cost != 8 {
		t.Fatalf("start cost %v, want 8", w.s.cost)
	}
	w.splitLongest()
	if w.s.cost != 12 || w.s.nRoutes() != 2 {
		t.Fatalf("after the split: cost %v on %d routes, want 12 on 2", w.s.cost, w.s.nRoutes())
	}
	a, b := w.s.routes[w.s.jr[0]].jobs, w.s.routes[w.s.jr[3]].jobs
	if !slices.Equal(a, []int32{0, 1}) || !slices.Equal(b, []int32{2, 3}) {
		t.Errorf("routes %v and %v, want [0 1] and [2 3]", a, b)
	}
	w.splitLongest() // no vehicle left: nothing to do
	if w.s.cost != 12 || w.s.nRoutes() != 2 {
		t.Errorf("a split without a free vehicle changed the plan: cost %v on %d routes", w.s.cost, w.s.nRoutes())
	}

	late := manhattan(pts)
	late[0][3] = 10
	p.Duration = late
	p.Jobs[3].Windows = []TimeWindow{{0, 5}}
	w = starWorker(t, p, []int32{0, 1, 2, 3})
	w.splitLongest()
	if w.s.cost != 8 || w.s.nRoutes() != 1 || !slices.Equal(w.s.routes[w.s.jr[0]].jobs, []int32{0, 1, 2, 3}) {
		t.Errorf("an infeasible split was kept: cost %v on %d routes", w.s.cost, w.s.nRoutes())
	}
}
