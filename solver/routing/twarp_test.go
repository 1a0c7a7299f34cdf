package routing

import (
	"math"
	"math/rand/v2"
	"testing"
)

// withWarp runs f with warpOn set, restoring it after.
func withWarp(t *testing.T, on bool, f func()) {
	t.Helper()
	old := warpOn
	warpOn = on
	defer func() { warpOn = old }()
	f()
}

// warpLine is the problem of TestWarpPriceHandChecked: the depot at 0 and
// jobs a, b, c, d at 10, 20, 30, 40 with windows [25,100], [0,30],
// [45,50], [0,100], travel time = distance, capacity 10, shift end 80.
func warpLine() *Problem {
	xs := []float64{0, 10, 20, 30, 40}
	d := make([][]float64, len(xs))
	for i := range xs {
		d[i] = make([]float64, len(xs))
		for j := range xs {
			d[i][j] = math.Abs(xs[i] - xs[j])
		}
	}
	p := &Problem{Distance: d, Vehicles: []VehicleType{{ID: "v", Capacity: []int64{10}, CostPerDistance: 1, ShiftEnd: 80}}}
	for k, w := range []TimeWindow{{25, 100}, {0, 30}, {45, 50}, {0, 100}} {
		p.Jobs = append(p.Jobs, Job{ID: string(rune('a' + k)), Location: k + 1, Amount: []int64{1}, Windows: []TimeWindow{w}})
	}
	return p
}

// TestWarpPriceHandChecked: the depot at 0 and jobs a, b, c, d on a line
// at 10, 20, 30 and 40, travel time = distance, no service, shift end 80.
// Route a, b, c: a is reached at 10 and waits for 25; b must start by 30
// but is reached at 35: 5 of time warp (the schedule goes back to 30); c
// is reached at 40, waits for 45, and the vehicle is back at 75. Distance
// 60, time warp 5: at lw = 2 the route costs 70. Inserting d (window
// [0,100]) first adds 40+30-10 = 60 of distance and reaches a at 70, b at
// 80: warp 50 (+45), 60 + 90 = 150; after a: +40 distance, d at 55, b at
// 75: warp 45 (+40), 120; after c: +20 distance, d at 55, back at 95: 15
// of warp at the shift end (+15), 50.
func TestWarpPriceHandChecked(t *testing.T) {
	p := warpLine()
	withWarp(t, true, func() {
		w := newWorker(newInst(p), 1)
		if !w.warpOK() {
			t.Fatal("warpOK false on a one-type problem with single windows")
		}
		w.startWarp()
		w.s.setWarp(2)
		ri := w.s.spare[0]
		w.s.replace(ri, []int32{0, 1, 2})
		r := w.s.routes[ri]
		if r.dist != 60 || r.warp != 5 || r.cost != 70 || w.s.cost != 70+w.in.pen[3] {
			t.Fatalf("dist %v warp %v cost %v (solution %v), want 60, 5, 70", r.dist, r.warp, r.cost, w.s.cost)
		}
		if w.s.nWarp != 1 || r.feas {
			t.Fatalf("nWarp %d feas %v, want 1 late route", w.s.nWarp, r.feas)
		}
		e := posEval{w: w, r: r, t: &w.in.types[0], ri: ri, j: 3, warp: true}
		for pos, want := range map[int]float64{0: 150, 1: 120, 3: 50} {
			best := insertion{ri: -1, cost: math.Inf(1)}
			e.rangeWarp(pos, pos+1, &best)
			if best.pos != pos || best.cost != want {
				t.Errorf("d after node %d: %+v, want cost %v", pos, best, want)
			}
		}
		w.s.setWarp(0.5) // the price changes: 60 + 2.5
		if r.cost != 62.5 || w.s.cost != 62.5+w.in.pen[3] {
			t.Errorf("cost at lw 0.5: %v (solution %v), want 62.5", r.cost, w.s.cost)
		}
	})
}

// solomonLike is a random problem of Solomon's class: one vehicle type,
// capacity, one window per job (some tight), service times, a shift end.
func solomonLike(seed uint64) *Problem {
	rng := rand.New(rand.NewPCG(seed, 17))
	pts := scatter(rng, 41)
	p := &Problem{Distance: euclid(pts, false), Vehicles: []VehicleType{{ID: "v", Capacity: []int64{50}, CostPerDistance: 1, ShiftEnd: 400}}}
	for k := 1; k < len(pts); k++ {
		open := float64(rng.IntN(300))
		p.Jobs = append(p.Jobs, Job{ID: string(rune('A' + k)), Location: k, Amount: []int64{int64(1 + rng.IntN(9))}, Service: 10,
			Windows: []TimeWindow{{open, open + 10 + float64(rng.IntN(60))}}})
	}
	return p
}

// forwardWarp is a route's time warp by a forward pass of this test's own
// (Nagata et al.'s definition: arriving after a window closes, the
// schedule goes back to the close and the difference is warp), leaving at
// the shift start.
func forwardWarp(p *Problem, jobs []int32) float64 {
	vt := p.Vehicles[0]
	tm, at, warp := vt.ShiftStart, vt.Start, 0.0
	for _, j := range jobs {
		job := p.Jobs[j]
		tm += p.Distance[at][job.Location]
		if w := job.Windows[0]; tm > w.Close {
			warp += tm - w.Close
			tm = w.Close
		} else {
			tm = max(tm, w.Open)
		}
		tm += job.Service
		at = job.Location
	}
	tm += p.Distance[at][vt.End]
	return warp + max(tm-vt.ShiftEnd, 0)
}

// TestWarpInsertDelta: in warp mode, ruin and recreate on random Solomon-
// like problems at several prices; every insertion changes the solution's
// cost by exactly its predicted cost minus the job's left-out penalty, each
// route's time warp equals an independent forward pass, the count of late
// routes is right, and the running cost equals its sum from scratch.
func TestWarpInsertDelta(t *testing.T) {
	ins, late := 0, 0
	withWarp(t, true, func() {
		for seed := uint64(1); seed <= 12; seed++ {
			p := solomonLike(seed)
			w := newWorker(newInst(p), seed)
			w.recreate(0)
			w.startWarp()
			if w.tw == nil {
				t.Fatal("warp not started on a Solomon-like problem")
			}
			s := w.s
			for it := 0; it < 40; it++ {
				s.setWarp([]float64{0.05, 0.3, 1, 4}[it%4])
				w.ruin()
				for _, j := range s.unassigned(nil) {
					b := w.bestInsert(j, 0)
					if b.ri < 0 {
						continue
					}
					before := s.cost
					s.insert(b.ri, b.pos, nil, j)
					ins++
					if got, want := s.cost-before, b.cost-w.in.pen[j]; math.Abs(got-want) > 1e-6*max(1, math.Abs(want)) {
						t.Fatalf("seed %d: inserting %d changed the cost by %v, predicted %v", seed, j, got, want)
					}
				}
				n, sum := 0, 0.0
				for _, r := range s.routes {
					if len(r.jobs) == 0 {
						continue
					}
					fw := forwardWarp(p, r.jobs)
					if math.Abs(fw-r.warp) > 1e-6 {
						t.Fatalf("seed %d: route %v warp %v, forward pass %v", seed, r.jobs, r.warp, fw)
					}
					if fw > eps {
						n++
					}
					sum += r.dist + s.lw*fw
				}
				late += n
				for _, j := range s.out {
					sum += w.in.pen[j]
				}
				if n != s.nWarp || math.Abs(sum-s.cost) > 1e-6*sum {
					t.Fatalf("seed %d: %d late routes (counted %d), cost %v from scratch %v", seed, n, s.nWarp, s.cost, sum)
				}
			}
		}
	})
	if ins < 1000 || late < 50 {
		t.Errorf("%d insertions, %d late routes seen: the test checks too little", ins, late)
	}
}

// TestWarpMixPool: with warpMix, the pool's even trajectories keep hard
// windows and the odd ones carry the price, and a cull copies the best
// on-time trajectory, never a late one, even when the late one is the
// cheapest at its price. The line of TestWarpPriceHandChecked: route
// a, b, c is 5 late (distance 60); b, a, c is on time (60). Trajectories:
// 0 = [b a] [c] [d] (on time, 40+60+80 = 180), 1 = [a b c] [d] (60+80
// plus 5 late at 0.5: 142.5), 2 and 3 = [b] [a] [c] [d] (200). The cull
// replaces trajectory 2 (the first of the worst) by a copy of 0.
func TestWarpMixPool(t *testing.T) {
	p := warpLine()
	oldMix := warpMix
	warpMix = true
	defer func() { warpMix = oldMix }()
	withWarp(t, true, func() {
		w := newWorker(newInst(p), 1)
		w.startWarp()
		w.tw.lw = 0.5
		sols := []*solution{
			withRoutes(w.in, []int32{1, 0}, []int32{2}, []int32{3}),
			withRoutes(w.in, []int32{0, 1, 2}, []int32{3}),
			withRoutes(w.in, []int32{1}, []int32{0}, []int32{2}, []int32{3}),
			withRoutes(w.in, []int32{1}, []int32{0}, []int32{2}, []int32{3}),
		}
		w.s = sols[0]
		pl := &pool{w: w, sols: sols, at: 1}
		pl.priceTrajectories()
		for k, s := range sols {
			if s.warp != (k%2 == 1) || (s.warp && s.lw != 0.5) {
				t.Errorf("trajectory %d: warp %v at %v, want priced (0.5) only on odd ones", k, s.warp, s.lw)
			}
		}
		if sols[1].cost != 142.5 || sols[1].nWarp != 1 || sols[0].cost != 180 {
			t.Fatalf("costs %v (late routes %d) and %v, want 142.5 (1) and 180", sols[1].cost, sols[1].nWarp, sols[0].cost)
		}
		if src := pl.cullSource(1); src != 0 {
			t.Errorf("cull source %d, want 0 (the best on time)", src)
		}
		pl.cull()
		pl.priceTrajectories()
		var a, b snapshot
		sols[0].save(&a)
		sols[2].save(&b)
		if !sameRoutes(&a, &b) || sols[2].nWarp != 0 || sols[2].warp || sols[2].cost != 180 {
			t.Errorf("trajectory 2 after the cull: cost %v, late routes %d, priced %v; want a hard copy of trajectory 0 (180)", sols[2].cost, sols[2].nWarp, sols[2].warp)
		}
		if sols[1].cost != 142.5 || sols[3].cost != 200 {
			t.Errorf("the cull changed others: %v %v", sols[1].cost, sols[3].cost)
		}
	})
}
