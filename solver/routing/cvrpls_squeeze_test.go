package routing

import "testing"

// TestSqueezeSoftByHand: four clients of demand 5 with capacity 10, two to
// the east of the depot and two to the west (rounded Euclidean: 10, 10 and
// 1 between the two of a side), each in its own route. Priced squeezes
// bring them to two routes (the capacity bound), each one fewer at least
// (the search may empty a route of one client itself): the two sides'
// round trips of 21 each; one more squeeze fails and leaves the solution
// as it was.
func TestSqueezeSoftByHand(t *testing.T) {
	pts := [][2]float64{{0, 0}, {10, 0}, {10, 1}, {-10, 0}, {-10, 1}}
	p := &Problem{Distance: euclid(pts, true), Vehicles: []VehicleType{{ID: "t", Capacity: []int64{10}, CostPerDistance: 1}}}
	for k := 1; k <= 4; k++ {
		p.Jobs = append(p.Jobs, Job{ID: string(rune('a' + k)), Location: k, Amount: []int64{5}})
	}
	in := newInst(p)
	if !in.fastOK() {
		t.Fatal("the instance is not plain CVRP")
	}
	w := newWorker(in, 1)
	w.s.load(&snapshot{types: []int{0, 0, 0, 0}, jobs: [][]int32{{0}, {1}, {2}, {3}}})
	w.s.recompute()
	if w.s.nRoutes() != 4 || w.s.cost != 80 {
		t.Fatalf("start: %d routes at %.1f, want 4 at 80", w.s.nRoutes(), w.s.cost)
	}
	for w.s.nRoutes() > 2 {
		n := w.s.nRoutes()
		if !w.squeezeSoft() {
			t.Fatalf("no squeeze from %d routes", n)
		}
		checkFirst(t, w)
		if w.s.nRoutes() >= n {
			t.Fatalf("squeezed %d -> %d routes", n, w.s.nRoutes())
		}
	}
	if w.s.cost != 42 {
		t.Fatalf("two routes at %.1f, want 42 (21 a side)", w.s.cost)
	}
	if w.squeezeSoft() {
		t.Fatalf("squeezed below the capacity bound: %d routes", w.s.nRoutes())
	}
	if w.s.nRoutes() != 2 || w.s.cost != 42 {
		t.Fatalf("a failed squeeze left %d routes at %.1f, want 2 at 42", w.s.nRoutes(), w.s.cost)
	}
}

// TestSqueezeSoftRandom squeezes random plain CVRPs, from routes of three
// clients each, until a squeeze fails: each success serves every client
// once within capacity on fewer routes, at the cost its routes add up to;
// a failure leaves the solution unchanged.
func TestSqueezeSoftRandom(t *testing.T) {
	succeeded := 0
	for seed := uint64(1); seed <= 6; seed++ {
		in := newInst(randomCVRP(seed, 60+20*int(seed)))
		w := newWorker(in, seed)
		var start snapshot // three clients a route (demands of 1-9, capacity 30)
		for j := int32(0); j < int32(in.nj); j += 3 {
			start.jobs = append(start.jobs, []int32{j, j + 1, j + 2}[:min(3, in.nj-int(j))])
			start.types = append(start.types, 0)
		}
		w.s.load(&start)
		w.s.recompute()
		for {
			var before snapshot
			w.s.save(&before)
			n := w.s.nRoutes()
			if !w.squeezeSoft() {
				var after snapshot
				w.s.save(&after)
				if !sameRoutes(&before, &after) || after.cost != before.cost {
					t.Fatalf("seed %d: a failed squeeze changed the solution", seed)
				}
				break
			}
			succeeded++
			checkFirst(t, w)
			if w.s.nRoutes() >= n {
				t.Fatalf("seed %d: squeezed %d -> %d routes", seed, n, w.s.nRoutes())
			}
		}
	}
	if succeeded == 0 {
		t.Fatal("no squeeze succeeded on six random instances")
	}
	t.Logf("%d squeezes succeeded", succeeded)
}
