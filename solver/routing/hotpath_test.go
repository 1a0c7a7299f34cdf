package routing

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The fast paths of wave 7 (rangeTimed, roomFor, ...) must leave the
// search where the plain code leaves it. These tests run the annealing's
// inner step, ruin and recreate with blinks then commit or undo, on two
// workers of the same seed, one with every fast path on and one with all
// off, and compare the whole solution after every step, bit for bit.

// setHotPaths turns the fast paths of the hot loop on or off.
func setHotPaths(on bool) {
	rangeTimedOn = on
	roomFirst = on
	fwCarry = on
	flatScan = on
	roomFlat = on
	flatOn = on
}

// hotProblem is a random problem for the comparison: kind 0 plain CVRP,
// kind 1 windows with one trip per vehicle and one type (Solomon's VRPTW),
// kind 2 windows, one trip, two types with shifts and a maximum duration,
// kind 3 speedProblem's kind 1 (trips, two windows, duration cost).
func hotProblem(rng *rand.Rand, nj, kind int) *Problem {
	switch kind {
	case 0:
		return speedProblem(rng, nj, 0)
	case 3:
		return speedProblem(rng, nj, 1)
	}
	p := speedProblem(rng, nj, 2)
	p.Vehicles[0].MaxTrips, p.Vehicles[0].ReloadTime = 1, 0
	if kind == 1 {
		p.Vehicles = p.Vehicles[:1]
		for j := range p.Jobs {
			p.Jobs[j].Amount = p.Jobs[j].Amount[:1]
		}
		p.Vehicles[0].Capacity = p.Vehicles[0].Capacity[:1]
	}
	return p
}

// TestHotPathsMatchPlain: ruin and recreate steps (blinks on, SISR's
// orders, annealing-like acceptance) with the fast paths on and off give
// the same solutions and the same random stream, step by step.
func TestHotPathsMatchPlain(t *testing.T) {
	defer setHotPaths(true)
	steps := 0
	for kind := 0; kind < 4; kind++ {
		for seed := uint64(1); seed <= 3; seed++ {
			if seed > 1 && testing.Short() {
				break // -short (the race step): one problem of each kind; single-threaded, the race detector has nothing to add
			}
			rng := rand.New(rand.NewPCG(seed, 40+uint64(kind)))
			nj := 40 + rng.IntN(60)
			if kind == 0 {
				nj = 150 + rng.IntN(50) // more than 16 routes: the neighbour scan
			}
			in := newInst(hotProblem(rng, nj, kind))
			fast, plain := newWorker(in, seed), newWorker(in, seed)
			for _, w := range []*worker{fast, plain} {
				setHotPaths(w == fast)
				w.recreate(0)
			}
			for step := 0; step < 300; step++ {
				var got [2][]insertion
				for k, w := range []*worker{fast, plain} {
					setHotPaths(w == fast)
					s := w.s
					cur := s.cost
					s.beginLog()
					w.ruin()
					// every left-out job's best place, as recreate's
					// first insertion would find it (cost to the bit)
					for _, j := range s.out {
						got[k] = append(got[k], w.bestInsert(j, sisrBlink))
					}
					w.recreate(sisrBlink)
					if s.cost < cur-2*math.Log(w.rng.Float64()) {
						s.commit()
					} else {
						s.undo()
					}
					if step%150 == 149 { // the local search reads the segments too
						w.localSearch(nil)
					}
				}
				for ri, r := range fast.s.routes {
					if !sameSegs(bwjSegs(in, r), bwjSegs(in, plain.s.routes[ri])) {
						t.Fatalf("kind %d seed %d step %d route %d: jobs-only segments differ with the fast paths", kind, seed, step, ri)
					}
				}
				steps++
				if !slices.EqualFunc(got[0], got[1], func(a, b insertion) bool {
					return a.ri == b.ri && a.pos == b.pos && a.kind == b.kind && sameF(a.cost, b.cost)
				}) {
					t.Fatalf("kind %d seed %d step %d: insertions %v with the fast paths, %v without", kind, seed, step, got[0], got[1])
				}
				if d := solDiff(fast.s, plain.s); d != "" {
					t.Fatalf("kind %d seed %d step %d: %s differs with the fast paths", kind, seed, step, d)
				}
			}
			if fast.rng.Uint64() != plain.rng.Uint64() || fast.blinkGap != plain.blinkGap {
				t.Fatalf("kind %d seed %d: random streams differ", kind, seed)
			}
		}
	}
	want := 3000 // 4 kinds x 3 seeds, up to 300 steps each
	if testing.Short() {
		want = 1000 // one seed of each kind
	}
	if steps < want {
		t.Fatalf("only %d steps compared, want at least %d", steps, want)
	}
}

// TestRoomForMatchesInsertFits: with one trip and hard limits, roomFor is
// false exactly where insertFits turns a route down.
func TestRoomForMatchesInsertFits(t *testing.T) {
	no, yes := 0, 0
	for _, kind := range []int{0, 1, 2} {
		rng := rand.New(rand.NewPCG(7, uint64(kind)))
		in := newInst(hotProblem(rng, 80, kind))
		w := newWorker(in, 1)
		w.recreate(0)
		var buf []int32
		for step := 0; step < 200; step++ {
			buf = randomEdit(rng, w.s, buf)
			j := int32(rng.IntN(in.nj))
			for ri := range w.s.routes {
				best := insertion{ri: -1, pos: -1, cost: inf}
				_, ok := w.insertFits(ri, j, &best)
				if got := w.roomFor(ri, j); got != ok || best.ri >= 0 {
					t.Fatalf("kind %d step %d job %d route %d: roomFor %v, insertFits %v (best %+v)", kind, step, j, ri, got, ok, best)
				}
				if ok {
					yes++
				} else {
					no++
				}
			}
		}
	}
	if no < 100 || yes < 100 {
		t.Fatalf("%d routes without room, %d with: both cases must occur", no, yes)
	}
}

// TestLoadLimitsMatchTripsFit: on one trip and one load dimension,
// loadLimits' own sum gives tripsFit's verdict and excess bit for bit,
// overloaded routes (priced limits) included.
func TestLoadLimitsMatchTripsFit(t *testing.T) {
	defer setHotPaths(true)
	over := 0
	for seed := uint64(1); seed <= 4; seed++ {
		rng := rand.New(rand.NewPCG(seed, 77))
		p := hotProblem(rng, 60, 0)
		p.Vehicles[0].Capacity = []int64{6} // tight: moves overload routes
		in := newInst(p)
		w := newWorker(in, seed)
		w.s.soft, w.s.lq, w.s.lt = true, 0.01, 0.01 // cheap excess: overloads happen
		w.recreate(0)
		var buf []int32
		for step := 0; step < 200; step++ {
			buf = randomEdit(rng, w.s, buf)
			for _, r := range w.s.routes {
				if len(r.jobs) == 0 {
					continue
				}
				a, b := *r, *r
				setHotPaths(true)
				in.loadLimits(&a)
				setHotPaths(false)
				in.loadLimits(&b)
				if a.feas != b.feas || !sameF(a.exLoad, b.exLoad) {
					t.Fatalf("seed %d step %d: feasible %v excess %v, tripsFit %v %v", seed, step, a.feas, a.exLoad, b.feas, b.exLoad)
				}
				if a.exLoad > 0 {
					over++
				}
			}
		}
	}
	if over < 50 {
		t.Fatalf("only %d overloaded routes checked", over)
	}
}
