package routing

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// lineProblem is n pickups on a line (job k at k+1, depot at 0) with one
// roomy truck type: routes of any order are feasible.
func lineProblem(n int) *Problem {
	pts := make([][2]float64, n+1)
	for k := range pts {
		pts[k] = [2]float64{float64(k), 0}
	}
	p := &Problem{Distance: manhattan(pts), Vehicles: []VehicleType{{ID: "t", Capacity: []int64{100}, CostPerDistance: 1}}}
	for k := 1; k <= n; k++ {
		p.Jobs = append(p.Jobs, Job{ID: string(rune('a' + k - 1)), Location: k, Amount: []int64{1}})
	}
	return p
}

// withRoutes loads routes into a fresh solution of in.
func withRoutes(in *inst, routes ...[]int32) *solution {
	s := newSolution(in)
	snap := snapshot{}
	for _, r := range routes {
		snap.types = append(snap.types, 0)
		snap.jobs = append(snap.jobs, r)
	}
	s.load(&snap)
	s.recompute()
	return s
}

// TestBrokenPairsHandChecked: a = [0 1 2] [3 4 5], b = [2 1 0 3] [4 5].
// Job by job (successor in a; next to it in b?): 0 -> 1, 1 is before 0 in
// b: kept; but 0 opens a route in a and is at no end in b (1 and 3 around
// it): broken once. 1 -> 2: 2 before 1 in b, kept. 2 -> depot: 2 opens b's
// first route, kept. 3 -> 4: 3 is between 0 and the depot in b: broken; 3
// opens a route in a and ends one in b: no second count. 4 -> 5 and 5 ->
// depot: kept. 2 of 6: 1/3. From b to a: 0 -> 3 broken, 4 opens a route
// in b and is at no end in a: 2 of 6. With job 5 left out (c = [0 1 2]
// [3 4]): 4 -> 5 broken, 5 served in a only: 2 of 6; from c to a, 4 ->
// depot broken (3 and 5 around 4 in a), 5 served in a only: 2 of 6.
func TestBrokenPairsHandChecked(t *testing.T) {
	in := newInst(lineProblem(6))
	a := withRoutes(in, []int32{0, 1, 2}, []int32{3, 4, 5})
	b := withRoutes(in, []int32{2, 1, 0, 3}, []int32{4, 5})
	c := withRoutes(in, []int32{0, 1, 2}, []int32{3, 4})
	var aa, ab, ac adjacency
	a.adjacency(&aa)
	b.adjacency(&ab)
	c.adjacency(&ac)
	for _, tc := range []struct {
		name string
		x, y *adjacency
		want float64
	}{
		{"a-a", &aa, &aa, 0},
		{"a-b", &aa, &ab, 2.0 / 6},
		{"a-c", &aa, &ac, 2.0 / 6},
		{"b-a", &ab, &aa, 2.0 / 6},
		{"c-a", &ac, &aa, 2.0 / 6},
	} {
		if got := brokenPairs(tc.x, tc.y, in.active); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: broken pairs %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestCullBiasedHandChecked: four trajectories on the line of six pickups
// (job k at k+1): A = [0 1 2] [3 4 5] (cost 6 + 12 = 18), B a copy of A,
// C = [1 0 2] [3 4 5] (20), D = [0 3] [1 4] [2 5] (8 + 10 + 12 = 30).
// Distances to the closest other (TestBrokenPairsHandChecked's rules,
// from the lower index): A 0 (B), B 0, C 2/6 (from A), D 4/6 (from A, B
// and C). Cost ranks A0 B1 C2 D3, diversity ranks D0 C1 A2 B3. With one
// elite the diversity weighs 3/4: B 1 + 2.25, C 2 + 0.75, D 3 + 0: the
// copy B goes, the far and worst D stays. With two elites (1/2): B 2.5,
// C 2.5, D 3: D goes; with four (0), the worst cost D goes.
func TestCullBiasedHandChecked(t *testing.T) {
	defer func(e int) { divElite = e }(divElite)
	in := newInst(lineProblem(6))
	w := newWorker(in, 1)
	p := &pool{w: w, sols: []*solution{
		withRoutes(in, []int32{0, 1, 2}, []int32{3, 4, 5}),
		withRoutes(in, []int32{0, 1, 2}, []int32{3, 4, 5}),
		withRoutes(in, []int32{1, 0, 2}, []int32{3, 4, 5}),
		withRoutes(in, []int32{0, 3}, []int32{1, 4}, []int32{2, 5}),
	}}
	for k, want := range []float64{18, 18, 20, 30} {
		if c := p.sols[k].cost; math.Abs(c-want) > 1e-9 {
			t.Fatalf("trajectory %d costs %v, want %v", k, c, want)
		}
	}
	for _, tc := range []struct{ elite, want int }{{1, 1}, {2, 3}, {4, 3}} {
		divElite = tc.elite
		if got := p.cullBiased(0); got != tc.want {
			t.Errorf("%d elite: cull %d, want %d", tc.elite, got, tc.want)
		}
	}
}

// TestCullKeepsBest: on random problems with windows and one vehicle
// type, after trajectories of different lengths, a cull (by biased
// fitness, with and without route counts in the distance, one to four
// elites) leaves the trajectory of lowest cost as it was, replaces exactly
// one other by a copy of it and leaves the rest alone.
func TestCullKeepsBest(t *testing.T) {
	defer func(on, r bool, e int) { divOn, divRoutes, divElite = on, r, e }(divOn, divRoutes, divElite)
	divOn = true
	for seed := uint64(1); seed <= 24; seed++ {
		divRoutes, divElite = seed%2 == 0, 1+int(seed%4)
		pr := twProblem(seed) // one vehicle type open to all: Solomon's class
		pr.Vehicles = pr.Vehicles[:1]
		for k := range pr.Jobs {
			pr.Jobs[k].AllowedTypes = nil
		}
		w := newWorker(newInst(pr), seed)
		w.recreate(0)
		p := newPool(w, 4)
		if !p.divOK() {
			t.Fatal("windows, one open type, one trip, hard limits: the biased cull should apply")
		}
		for k := 1; k < 4; k++ {
			w.s = p.sols[k]
			for it := 0; it < 40*k*int(1+seed%3); it++ {
				w.s.beginLog()
				w.ruin()
				w.recreate(sisrBlink)
				w.s.commit()
			}
		}
		w.s = p.sols[0]
		before := make([]snapshot, 4)
		best := 0
		for k, s := range p.sols {
			s.recompute()
			s.save(&before[k])
			if s.cost < p.sols[best].cost-1e-9 {
				best = k
			}
		}
		p.cull()
		changed := 0
		for k, s := range p.sols {
			var now snapshot
			s.save(&now)
			switch {
			case k == best && !sameRoutes(&now, &before[best]):
				t.Fatalf("seed %d: the best trajectory %d changed", seed, k)
			case sameRoutes(&now, &before[k]):
			case sameRoutes(&now, &before[best]):
				changed++
			default:
				t.Fatalf("seed %d: trajectory %d is neither itself nor a copy of the best", seed, k)
			}
		}
		if changed != 1 && !allSameCost(before) {
			t.Fatalf("seed %d: %d trajectories replaced, want 1", seed, changed)
		}
	}
}

// sameRoutes compares the routes of two snapshots as a set (a loaded copy
// may hold them at other indexes).
func sameRoutes(a, b *snapshot) bool {
	key := func(s *snapshot) []string {
		var k []string
		for i, r := range s.jobs {
			k = append(k, fmt.Sprint(s.types[i], r))
		}
		slices.Sort(k)
		return k
	}
	return slices.Equal(key(a), key(b))
}

func allSameCost(s []snapshot) bool {
	for _, x := range s {
		if math.Abs(x.cost-s[0].cost) > 1e-9 {
			return false
		}
	}
	return true
}
