package routing

import (
	"math"
	"testing"
)

// TestGainWindow: no state is hopeless before filoGainWarm gains are known;
// then one is when its cost less the largest gain of the window is at or
// above the threshold; the window keeps the last filoGainWindow gains.
func TestGainWindow(t *testing.T) {
	defer func(n int) { filoGainWindow = n }(filoGainWindow)
	filoGainWindow = 64
	var gw gainWindow
	for k := 1; k < filoGainWarm; k++ {
		gw.note(float64(k))
	}
	if gw.hopeless(1e9, 0) {
		t.Fatalf("hopeless after %d gains, before the %d a bound needs", len(gw.g), filoGainWarm)
	}
	gw.note(0) // 32 gains, the largest 31
	for _, tc := range []struct {
		c, thr float64
		want   bool
	}{{100, 69, true}, {100, 69.5, false}, {100, 10, true}, {31, 0, true}, {30.9, 0, false}} {
		if got := gw.hopeless(tc.c, tc.thr); got != tc.want {
			t.Errorf("cost %g, threshold %g, largest gain 31: hopeless %v, want %v", tc.c, tc.thr, got, tc.want)
		}
	}
	filoGainWindow = 4
	gw = gainWindow{}
	for _, g := range []float64{50, 1, 2, 3} {
		gw.note(g)
	}
	if gw.hopeless(60, 10.5) || !gw.hopeless(60, 10) {
		t.Errorf("window 50 1 2 3: the largest gain must be 50")
	}
	gw.note(4) // pushes 50 out
	if !gw.hopeless(60, 56) || gw.hopeless(60, 56.5) {
		t.Errorf("window 1 2 3 4 after 50 left: the largest gain must be 4, got %v", gw.g)
	}
}

// TestFiloSkipSound runs the annealing's iteration by hand at the final
// temperature, after plain annealing, the acceptance threshold drawn first: a spared state is
// never one already below its threshold and is left as recreate made it;
// the steps searched after spared ones still find the mirror equal to the
// solution (checkFiloState), and their costs equal a recomputation. It also
// runs the search on each spared state to count how many it would have
// brought below the threshold (logged: the price of sparing).
func TestFiloSkipSound(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		in := newInst(randomCVRP(seed, 150))
		w := newWorker(in, seed)
		w.recreate(0)
		s := w.s
		_, temp := in.tempRange(in.meanArc(s))
		for k := 0; k < 5000; k++ { // plain annealing first, to where most recreated states are rejected
			cur := s.cost
			s.beginLog()
			w.ruin()
			w.recreate(sisrBlink)
			if len(s.out) == 0 && s.cost < cur-temp*math.Log(w.rng.Float64()) {
				s.commit()
			} else {
				s.undo()
			}
		}
		fs := w.newFilo()
		spared, missed, accepted := 0, 0, 0
		for it := 0; it < 2*filoSteps(); it++ {
			cur := s.cost
			thr := cur - temp*math.Log(w.rng.Float64())
			s.beginLog()
			w.ruin()
			fs.noteRuin(s)
			w.recreate(sisrBlink)
			c, before := s.cost, fs.gains.spared
			fs.stepUnless(s, thr)
			if fs.gains.spared > before {
				spared++
				if c < thr || s.cost != c {
					t.Fatalf("seed %d it %d: spared a state of cost %.4f (threshold %.4f), left at %.4f", seed, it, c, thr, s.cost)
				}
				if fs.step(s) && s.cost < thr {
					missed++
				}
				s.undo()
				continue
			}
			after := s.cost
			s.recompute()
			if math.Abs(s.cost-after) > 1e-6 {
				t.Fatalf("seed %d it %d: tracked cost %.6f, recomputed %.6f", seed, it, after, s.cost)
			}
			if len(s.out) == 0 {
				checkFiloState(t, w, fs)
			}
			if len(s.out) == 0 && s.cost < thr {
				accepted++
				s.commit()
			} else {
				s.undo()
			}
		}
		t.Logf("seed %d: %d steps, %d spared (%d of them the search would have brought below the threshold), %d accepted", seed, fs.gains.steps, spared, missed, accepted)
		if spared == 0 || spared == fs.gains.steps || accepted == 0 {
			t.Fatalf("seed %d: %d of %d steps spared, %d accepted: the test tests little", seed, spared, fs.gains.steps, accepted)
		}
	}
}
