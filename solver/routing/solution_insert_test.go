package routing

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// solDiff names the first part of solution a that differs from b: the
// cost to the bit, the job index, the unassigned list in its order, the
// undo log, the fleet, and every route's jobs and derived data.
func solDiff(a, b *solution) string {
	switch {
	case !sameF(a.cost, b.cost):
		return "cost"
	case !slices.Equal(a.jr, b.jr) || !slices.Equal(a.jp, b.jp):
		return "job index"
	case !slices.Equal(a.out, b.out) || !slices.Equal(a.outPos, b.outPos):
		return "unassigned"
	case a.logOn != b.logOn || !slices.Equal(a.logRoute, b.logRoute) || !slices.Equal(a.logStart, b.logStart) || !slices.Equal(a.logPool, b.logPool):
		return "undo log"
	case a.stamp != b.stamp || !slices.Equal(a.touched, b.touched) || a.mods != b.mods:
		return "stamps"
	case !slices.Equal(a.used, b.used) || !slices.Equal(a.spare, b.spare) || len(a.routes) != len(b.routes):
		return "fleet"
	}
	for k, x := range a.routes {
		y := b.routes[k]
		switch {
		case !slices.Equal(x.jobs, y.jobs) || x.mod != y.mod:
			return "route jobs"
		case !slices.EqualFunc(x.cumD, y.cumD, sameF) || !slices.Equal(x.locs, y.locs) || !slices.Equal(x.cumL, y.cumL):
			return "route prefixes"
		case !sameSegs(fwSegs(x), fwSegs(y)) || !sameSegs(bwSegs(x), bwSegs(y)):
			return "route segments"
		case !sameF(x.cost, y.cost) || !sameF(x.dist, y.dist) || x.feas != y.feas:
			return "route totals"
		}
	}
	return ""
}

// TestInsertOneMatchesInsert: on one-trip problems with hard limits,
// capacity-only (8) and with windows, shift end, durations, fixed and
// time costs and barred types (4), insertOne (what recreate uses there)
// leaves the solution bit for bit as insert (through
// replace) leaves it, with and without the undo log, into used and empty
// routes, at every position, through random edits and undos; and the
// routes it leaves equal routes computed from scratch.
func TestInsertOneMatchesInsert(t *testing.T) {
	inserts, intoEmpty, logged := 0, 0, 0
	for seed := uint64(1); seed <= 12; seed++ {
		rng := rand.New(rand.NewPCG(seed, 31))
		p := speedProblem(rng, 20+rng.IntN(60), 0)
		if seed > 8 {
			p = twProblem(seed)
		}
		in := newInst(p)
		a, b := newWorker(in, seed), newWorker(in, seed)
		a.recreate(0)
		b.recreate(0)
		if !a.oneTripHard() || in.noTime != (seed <= 8) {
			t.Fatalf("seed %d: a one-trip problem with hard limits is not oneTripHard (or the windows are missing)", seed)
		}
		if d := solDiff(a.s, b.s); d != "" {
			t.Fatalf("seed %d: twin solutions differ before the test (%s)", seed, d)
		}
		var bufA, bufB []int32
		for step := 0; step < 300; step++ {
			x := rng.Uint64()
			bufA = randomEdit(rand.New(rand.NewPCG(x, 1)), a.s, bufA)
			bufB = randomEdit(rand.New(rand.NewPCG(x, 1)), b.s, bufB)
			log := step%4 == 0
			if log {
				a.s.beginLog()
				b.s.beginLog()
			}
			for k := 0; k < 1+rng.IntN(4) && len(a.s.out) > 0; k++ {
				j := a.s.out[rng.IntN(len(a.s.out))]
				ri := rng.IntN(len(a.s.routes))
				if sp := a.s.spare[0]; sp >= 0 && rng.IntN(4) == 0 {
					ri = sp
				}
				if len(a.s.routes[ri].jobs) == 0 {
					intoEmpty++
				}
				pos := rng.IntN(len(a.s.routes[ri].jobs) + 1)
				a.s.insertOne(ri, pos, j)
				bufB = b.s.insert(ri, pos, bufB, j)
				inserts++
				if d := solDiff(a.s, b.s); d != "" {
					t.Fatalf("seed %d step %d: job %d into route %d at %d: %s differs from insert", seed, step, j, ri, pos, d)
				}
				if d := routeDiff(in, a.s.routes[ri], false); d != "" {
					t.Fatalf("seed %d step %d: route %d: %s differs from a full update", seed, step, ri, d)
				}
			}
			if log {
				logged++
				if rng.IntN(2) == 0 {
					a.s.undo()
					b.s.undo()
				} else {
					a.s.commit()
					b.s.commit()
				}
				if d := solDiff(a.s, b.s); d != "" {
					t.Fatalf("seed %d step %d: after the undo log: %s differs", seed, step, d)
				}
			}
		}
	}
	if inserts < 1000 || intoEmpty < 20 || logged < 100 {
		t.Fatalf("too few cases: %d insertions, %d into empty routes, %d logged steps", inserts, intoEmpty, logged)
	}
}
