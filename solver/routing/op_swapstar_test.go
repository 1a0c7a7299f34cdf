package routing

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// manhattan returns the grid distance matrix of the points.
func manhattan(pts [][2]float64) [][]float64 {
	d := make([][]float64, len(pts))
	for i, p := range pts {
		d[i] = make([]float64, len(pts))
		for j, q := range pts {
			d[i][j] = math.Abs(p[0]-q[0]) + math.Abs(p[1]-q[1])
		}
	}
	return d
}

// starWorker builds a worker whose solution has the given routes (visit
// indexes).
func starWorker(t *testing.T, p *Problem, routes ...[]int32) *worker {
	t.Helper()
	w := newWorker(newInst(p), 1)
	for _, r := range routes {
		ri := w.s.spare[0]
		if ri < 0 {
			t.Fatal("no vehicle left")
		}
		w.s.replace(ri, r)
	}
	if len(w.s.out) > 0 {
		t.Fatalf("visits left out: %v", w.s.out)
	}
	return w
}

// TestSwapStarHandChecked: two full trucks (capacity 3) on a grid with
// Manhattan distances, depot at (0,0). Truck A serves (2,1), (2,4), (2,0)
// for 3+3+4+2 = 12; truck B serves (0,4), (0,2), (0,1) for 4+2+1+1 = 8;
// total 20. No relocation fits and no classic swap gains: putting (0,1) in
// the place of (2,4) and (2,4) in the place of (0,1) costs 10 + 16 = 26.
// SWAP* puts (0,1) first in A (0,1),(2,1),(2,0): 1+2+1+2 = 6, and (2,4)
// at its best place in B without (0,1), e.g. (2,4),(0,4),(0,2): 6+2+2+2 =
// 12; total 18.
func TestSwapStarHandChecked(t *testing.T) {
	pts := [][2]float64{{0, 0}, {2, 1}, {2, 4}, {2, 0}, {0, 4}, {0, 2}, {0, 1}}
	p := &Problem{Distance: manhattan(pts), Vehicles: []VehicleType{{ID: "t", Count: 2, Capacity: []int64{3}, CostPerDistance: 1}}}
	for k := 1; k < len(pts); k++ {
		p.Jobs = append(p.Jobs, Job{ID: string(rune('a' + k - 1)), Location: k, Amount: []int64{1}})
	}
	w := starWorker(t, p, []int32{0, 1, 2}, []int32{3, 4, 5})
	a, b := checkStarGrid(t, w)
	m := w.starBest(a, b)
	if m.i != 2 || m.j != 3 || m.delta != -2 {
		t.Fatalf("best SWAP* %+v, want visit 2 of A with visit 3 of B, delta -2", m)
	}
	if !w.starApply(a, b, m) {
		t.Fatal("the SWAP* move was not applied")
	}
	if w.s.cost != 18 {
		t.Errorf("cost after SWAP* %v, want 18", w.s.cost)
	}
	if w.s.jr[5] != int32(a) || w.s.jr[1] != int32(b) {
		t.Errorf("routes after SWAP* %v / %v, want (0,1) in A and (2,4) in B", w.s.routes[a].jobs, w.s.routes[b].jobs)
	}
	if w.s.jp[5] != 1 {
		t.Errorf("(0,1) at node %d of A, want first", w.s.jp[5])
	}
}

// TestSwapStarPredictedDelta: on random capacity-only problems (two truck
// types with their own capacity and rate, some jobs barred from one type),
// every SWAP* move found improving is applied, lowers the cost by exactly
// its predicted delta and leaves every route within its capacity, until no
// move is left.
func TestSwapStarPredictedDelta(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		pts := make([][2]float64, 61)
		for k := 1; k < len(pts); k++ {
			pts[k] = [2]float64{float64(rng.IntN(100)), float64(rng.IntN(100))}
		}
		d := euclid(pts, true)
		p := &Problem{Distance: d, Vehicles: []VehicleType{
			{ID: "small", Capacity: []int64{25, 9}, CostPerDistance: 1},
			{ID: "big", Capacity: []int64{40, 14}, CostPerDistance: 1.5, FixedCost: 10}}}
		for k := 1; k < len(pts); k++ {
			j := Job{ID: string(rune(k)), Location: k, Amount: []int64{int64(1 + rng.IntN(9)), int64(rng.IntN(4))}}
			if k%7 == 0 {
				j.AllowedTypes = []int{1}
			}
			p.Jobs = append(p.Jobs, j)
		}
		w := newWorker(newInst(p), seed)
		w.recreate(0)
		checkStarMoves(t, w, seed)
	}
}

// checkStarGrid checks the start of the hand-checked grid (routes A = jobs
// 0-2 and B = jobs 3-5, cost 20) and that no classic swap or relocation
// between A and B improves it; it returns A's and B's route indices.
func checkStarGrid(t *testing.T, w *worker) (a, b int) {
	t.Helper()
	if w.s.cost != 20 {
		t.Fatalf("start cost %v, want 20", w.s.cost)
	}
	a, b = int(w.s.jr[0]), int(w.s.jr[3])
	for u := int32(0); u < 3; u++ {
		for v := int32(3); v < 6; v++ {
			if w.swapChains(u, 1, v, 1) || w.relocate(u, 1, v, true) || w.relocate(v, 1, u, false) {
				t.Fatalf("a classic move of %d and %d improved: cost %v", u, v, w.s.cost)
			}
		}
	}
	return a, b
}

// checkStarMoves applies improving SWAP* moves over all route pairs until
// none is left, checking each.
func checkStarMoves(t *testing.T, w *worker, seed uint64) {
	t.Helper()
	in := w.in
	moves := applyStarMoves(t, w, seed, w.starBest, 1e-9, func(r *route) {
		for dim, c := range in.types[r.t].capa {
			if l := r.load(in)[dim]; l > c {
				t.Fatalf("seed %d: route %v loads %d > %d", seed, r.jobs, l, c)
			}
		}
	})
	if moves == 0 {
		t.Errorf("seed %d: no SWAP* move on a greedy solution", seed)
	}
}

// applyStarMoves applies the improving moves best finds over all route
// pairs until none is left (at most 100 rounds): each must apply, change
// the cost by its predicted delta within tol, keep every visit on an
// allowed type, and pass check on both routes. It returns the moves made.
func applyStarMoves(t *testing.T, w *worker, seed uint64, best func(a, b int) starMove, tol float64, check func(r *route)) int {
	t.Helper()
	s, in := w.s, w.in
	moves := 0
	for round := 0; round < 100; round++ {
		any := false
		for a := range s.routes {
			for b := range s.routes {
				if a == b || len(s.routes[a].jobs) == 0 || len(s.routes[b].jobs) == 0 {
					continue
				}
				m := best(a, b)
				if m.delta >= -lsImprove {
					continue
				}
				before := s.cost
				ja, jb := slices.Clone(s.routes[a].jobs), slices.Clone(s.routes[b].jobs)
				if !w.starApply(a, b, m) {
					t.Fatalf("seed %d: move %+v between %v and %v predicted improving, not applied", seed, m, ja, jb)
				}
				if got := s.cost - before; math.Abs(got-m.delta) > tol {
					t.Fatalf("seed %d: move %+v changed the cost by %v, predicted %v", seed, m, got, m.delta)
				}
				for _, ri := range []int{a, b} {
					r := s.routes[ri]
					check(r)
					for _, j := range r.jobs {
						if !in.allowed[int(j)*in.nt+r.t] {
							t.Fatalf("seed %d: visit %d on a barred type", seed, j)
						}
					}
				}
				moves++
				any = true
			}
		}
		if !any {
			break
		}
	}
	return moves
}
