package routing

import (
	"math"
	"slices"
	"testing"
)

// TestFiloStepExact runs ruin and recreate followed by the localised
// search, accepting or undoing at random as the annealing would, and
// checks after each step: the solution's cost equals a recomputation from
// its routes and never exceeds the cost recreate left, every route holds
// its capacity, every job is served once, the mirror holds the solution's
// routes, and an undo restores the cost before the ruin. A state with a
// client left out is not searched.
func TestFiloStepExact(t *testing.T) {
	defer func(k int) { filoStarK = k }(filoStarK)
	for _, tc := range []struct {
		seed        uint64
		cheap, full bool
		starK       int
	}{{1, false, false, 5}, {2, false, false, 0}, {3, true, false, 5}, {4, false, true, 5}} {
		in := newInst(randomCVRP(tc.seed, 150))
		if !in.fastOK() {
			t.Fatal("randomCVRP is plain CVRP: fastOK must admit it")
		}
		defer func(c, r bool) { filoCheap, filoRoutes = c, r }(filoCheap, filoRoutes)
		filoCheap, filoRoutes, filoStarK = tc.cheap, tc.full, tc.starK
		w := newWorker(in, tc.seed)
		w.recreate(0)
		fs := w.newFilo()
		s := w.s
		improved := 0
		for it := 0; it < filoSteps(); it++ {
			cur := s.cost
			s.beginLog()
			w.ruin()
			fs.noteRuin(s)
			w.recreate(sisrBlink)
			if it%50 == 49 {
				// a client left out, as a blink may leave one: the step
				// must not run on it (the mirror has no place for it)
				ri := s.jr[fs.rem[0]]
				s.replace(int(ri), slices.DeleteFunc(slices.Clone(s.routes[ri].jobs), func(j int32) bool { return j == fs.rem[0] }))
				if fs.step(s) {
					t.Fatalf("seed %d it %d: the step ran with a client left out", tc.seed, it)
				}
				s.undo()
				continue
			}
			before := s.cost
			if fs.step(s) {
				improved++
			}
			after := s.cost
			s.recompute()
			if math.Abs(s.cost-after) > 1e-6 {
				t.Fatalf("seed %d it %d: tracked cost %.6f, recomputed %.6f", tc.seed, it, after, s.cost)
			}
			if after > before+1e-6 {
				t.Fatalf("seed %d it %d: the local search raised the cost %.6f -> %.6f", tc.seed, it, before, after)
			}
			checkFiloState(t, w, fs)
			if w.rng.IntN(2) == 0 {
				s.commit()
			} else {
				s.undo()
				if math.Abs(s.cost-cur) > 1e-6 {
					t.Fatalf("seed %d it %d: undo left cost %.6f, want %.6f", tc.seed, it, s.cost, cur)
				}
			}
		}
		t.Logf("seed %d: improved %d of 400", tc.seed, improved)
		if improved < 20 {
			t.Fatalf("seed %d: the local search improved only %d of 400 recreated solutions: the test tests little", tc.seed, improved)
		}
	}
}

// checkFiloState: capacity, every job once, and the mirror of every route
// whose stamp it holds equal to the route.
func checkFiloState(t *testing.T, w *worker, fs *filoState) {
	t.Helper()
	checkServedOnce(t, w)
	s, ls := w.s, fs.ls
	for ri, r := range s.routes {
		if ri < len(fs.mod) && fs.mod[ri] == r.mod {
			var got []int32
			for _, i := range ls.seq[ri][1 : len(ls.seq[ri])-1] {
				got = append(got, ls.vis[i])
			}
			if !slices.Equal(got, r.jobs) && len(got)+len(r.jobs) > 0 {
				t.Fatalf("route %d: mirror %v, solution %v", ri, got, r.jobs)
			}
		}
	}
}

// checkServedOnce fails when a route of w's solution carries more than the
// capacity or an active job is not on exactly one route.
func checkServedOnce(t *testing.T, w *worker) {
	t.Helper()
	s, in := w.s, w.in
	seen := make([]int, in.nj)
	for ri, r := range s.routes {
		var load int64
		for _, j := range r.jobs {
			load += in.visitAmt(j)[0]
			seen[j]++
		}
		if load > in.types[0].capa[0] {
			t.Fatalf("route %d carries %d above capacity %d", ri, load, in.types[0].capa[0])
		}
	}
	for j, n := range seen {
		if in.active[j] && n != 1 {
			t.Fatalf("job %d served %d times", j, n)
		}
	}
}

// filoSteps is TestFiloStepExact's iterations per case: fewer with -short
// (the race step: the step is single-threaded, nothing for the race
// detector), all 400 in make test.
func filoSteps() int {
	if testing.Short() {
		return 100
	}
	return 400
}
