package routing

import (
	"context"
	"math"
	"testing"
	"time"
)

// TestConstructFast builds the first solution of random plain CVRPs with
// the dedicated local search (constructFast) and checks it: every client
// once, no route above capacity, the tracked cost equal to a recomputation,
// no dearer than the savings solution it started from, and a local optimum
// of that search (a second run applies no move). The engine's polish
// (constructFast off) is checked the same way, but for the last property.
func TestConstructFast(t *testing.T) {
	defer func(v bool) { constructFast = v }(constructFast)
	never := func() bool { return false }
	for seed := uint64(1); seed <= 6; seed++ {
		in := newInst(randomCVRP(seed, 80+20*int(seed)))
		if !in.fastOK() {
			t.Fatalf("seed %d: a random plain CVRP is not fastOK", seed)
		}
		sav := newWorker(in, seed)
		if !sav.savings() {
			t.Fatalf("seed %d: no savings solution", seed)
		}
		sav.s.recompute()
		for _, fast := range []bool{true, false} {
			constructFast = fast
			w := newWorker(in, seed)
			now := time.Now()
			w.construct(context.Background(), now, now.Add(time.Hour), 0, never)
			checkFirst(t, w)
			if w.s.cost > sav.s.cost+1e-6 {
				t.Fatalf("seed %d fast %v: first solution %.3f, dearer than the savings solution %.3f", seed, fast, w.s.cost, sav.s.cost)
			}
			if !fast {
				continue
			}
			before, applied := w.s.cost, w.fls.applied
			w.fastLS(nil)
			if w.fls.applied != applied || w.s.cost != before {
				t.Fatalf("seed %d: a second search applied %d moves (%.3f -> %.3f): the first solution is not its local optimum",
					seed, w.fls.applied-applied, before, w.s.cost)
			}
		}
	}
}

// checkFirst checks w's solution: each client once, loads within
// capacity, nobody left out, the tracked cost equal to a recomputation.
func checkFirst(t *testing.T, w *worker) {
	t.Helper()
	checkServedOnce(t, w)
	s := w.s
	if len(s.out) > 0 {
		t.Fatalf("%d jobs left out", len(s.out))
	}
	tracked := s.cost
	s.recompute()
	if math.Abs(tracked-s.cost) > 1e-6 {
		t.Fatalf("tracked cost %.6f, recomputed %.6f", tracked, s.cost)
	}
}
