package routing

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Visits on a line (lineCVRP: depot at 0, distance |a-b|), named by their
// index: a 10, b 20, c 30, d 40, e -10, f -20, g -30, h -40.
const (
	va, vb, vc, vd, ve, vf, vg, vh = 0, 1, 2, 3, 4, 5, 6, 7
)

var lineXs = []float64{10, 20, 30, 40, -10, -20, -30, -40}

// lineLS is the local search over lineXs with unit demands, capacity q,
// the given routes loaded at price lq, and a check that records each
// applied move's predicted change of cost.
func lineLS(t *testing.T, q int64, routes [][]int32, lq float64) (*cvrpLS, *inst, *[]float64) {
	t.Helper()
	dem := make([]int64, len(lineXs))
	for k := range dem {
		dem[k] = 1
	}
	in := newInst(lineCVRP(lineXs, dem, q))
	if !in.fastOK() {
		t.Fatal("the line instance is plain CVRP: fastOK must admit it")
	}
	ls := newCVRPLS(in, 8, rand.New(rand.NewPCG(1, 2)))
	ls.loadRoutes(routes, lq)
	var deltas []float64
	ls.check = func(d float64) { deltas = append(deltas, d) }
	return ls, in, &deltas
}

// pricedAll is the routes' cost from the problem's matrix (priced, not
// the local search's sums).
func pricedAll(in *inst, routes [][]int32, lq float64) float64 {
	c := 0.0
	for _, r := range routes {
		c += in.priced(r, lq)
	}
	return c
}

func (ls *cvrpLS) at(j int32) (int, int) {
	i := ls.idOf()[j]
	return int(ls.route[i]), int(ls.pos[i])
}

// TestCVRPLSMovesHand: each move once on routes of the line where it is the
// improvement, the change computed by hand (route costs in the comments),
// and the routes it leaves.
func TestCVRPLSMovesHand(t *testing.T) {
	type tc struct {
		name   string
		q      int64
		lq     float64
		routes [][]int32
		move   func(ls *cvrpLS) bool
		delta  float64
		want   [][]int32
	}
	id := func(ls *cvrpLS, j int32) int32 { return ls.idOf()[j] }
	cases := []tc{
		// [a c] 60 + [b] 40 -> [a b c] 60: -40.
		{"relocate 1", 10, 1, [][]int32{{va, vc}, {vb}}, func(ls *cvrpLS) bool {
			r, p := ls.at(va)
			return ls.relocate(id(ls, vb), r, p, 1, false)
		}, -40, [][]int32{{va, vb, vc}}},
		// [a d] 80 + [b c] 60 -> [a b c d] 80: -60.
		{"relocate 2", 10, 1, [][]int32{{va, vd}, {vb, vc}}, func(ls *cvrpLS) bool {
			r, p := ls.at(va)
			return ls.relocate(id(ls, vb), r, p, 2, false)
		}, -60, [][]int32{{va, vb, vc, vd}}},
		// [a d] 80 + [c b] 60 -> [a b c d] 80: -60 (not reversed: [a c b
		// d] 100, -40).
		{"relocate 2 reversed", 10, 1, [][]int32{{va, vd}, {vc, vb}}, func(ls *cvrpLS) bool {
			r, p := ls.at(va)
			return ls.relocate(id(ls, vc), r, p, 2, true)
		}, -60, [][]int32{{va, vb, vc, vd}}},
		// [a f] 10+30+20 + [e b] 10+30+20 -> [a b] 40 + [e f] 40: -40.
		{"swap 1-1", 10, 1, [][]int32{{va, vf}, {ve, vb}}, func(ls *cvrpLS) bool {
			return ls.swap(id(ls, vf), 1, id(ls, vb), 1)
		}, -40, [][]int32{{va, vb}, {ve, vf}}},
		// [a e f] 10+20+10+20 + [b] 40 -> [a b] 40 + [e f] 40: -20.
		{"swap 2-1", 10, 1, [][]int32{{va, ve, vf}, {vb}}, func(ls *cvrpLS) bool {
			return ls.swap(id(ls, ve), 2, id(ls, vb), 1)
		}, -20, [][]int32{{va, vb}, {ve, vf}}},
		// [a b g h] 10+10+50+10+40 + [e f c d] 10+10+50+10+40 -> [a b c
		// d] 80 + [e f g h] 80: -80.
		{"swap 2-2", 10, 1, [][]int32{{va, vb, vg, vh}, {ve, vf, vc, vd}}, func(ls *cvrpLS) bool {
			return ls.swap(id(ls, vg), 2, id(ls, vc), 2)
		}, -80, [][]int32{{va, vb, vc, vd}, {ve, vf, vg, vh}}},
		// [a c b d] 10+20+10+20+40 -> [a b c d] 80: -20.
		{"2-opt", 10, 1, [][]int32{{va, vc, vb, vd}}, func(ls *cvrpLS) bool {
			r, p := ls.at(vb)
			return ls.twoOpt(id(ls, va), r, p)
		}, -20, [][]int32{{va, vb, vc, vd}}},
		// [a e] 40 + [b f] 20+40+20 -> [a b] 40 + [e f] 40: -40
		// (heads joined: a-b and e-f replace a-e and b-f).
		{"2-opt* heads", 10, 1, [][]int32{{va, ve}, {vb, vf}}, func(ls *cvrpLS) bool {
			r, p := ls.at(vb)
			return ls.twoOpt(id(ls, va), r, p)
		}, -40, [][]int32{{va, vb}, {ve, vf}}},
		// [a e] 40 + [f b] 80 -> [a b] 40 + [f e] 40: -40 (heads
		// joined: a-f, e-b: no gain; crossed: a-b, f-e).
		{"2-opt* crossed", 10, 1, [][]int32{{va, ve}, {vf, vb}}, func(ls *cvrpLS) bool {
			r, p := ls.at(vf)
			return ls.twoOpt(id(ls, va), r, p)
		}, -40, [][]int32{{va, vb}, {vf, ve}}},
		// Capacity 2 priced at 10: [a b] 40 + [c] 60 -> [a b c] 60 +
		// 10 x 1: -30.
		{"relocate priced", 2, 10, [][]int32{{va, vb}, {vc}}, func(ls *cvrpLS) bool {
			r, p := ls.at(vb)
			return ls.relocate(id(ls, vc), r, p, 1, false)
		}, -30, [][]int32{{va, vb, vc}}},
		// At 50 a unit the same relocation costs +10: refused.
		{"relocate priced out", 2, 50, [][]int32{{va, vb}, {vc}}, func(ls *cvrpLS) bool {
			r, p := ls.at(vb)
			return ls.relocate(id(ls, vc), r, p, 1, false)
		}, 0, [][]int32{{va, vb}, {vc}}},
		// SWAP*, capacity 3 priced at 1000: [a f b] 10+30+40+20 + [e c
		// g] 10+40+60+30 = 240; f and c change routes, c at the end of
		// [a b] (60), f after g (60; between e and g ties at 60, and
		// v's own place wins only when strictly cheaper): -120. No
		// relocation fits (load 4), other pairs gain less (f, g: -40).
		{"SWAP*", 3, 1000, [][]int32{{va, vf, vb}, {ve, vc, vg}}, func(ls *cvrpLS) bool {
			return ls.swapStar(0, 1)
		}, -120, [][]int32{{va, vb, vc}, {ve, vg, vf}}},
	}
	for _, c := range cases {
		ls, in, deltas := lineLS(t, c.q, c.routes, c.lq)
		before := ls.cost()
		if want := pricedAll(in, c.routes, c.lq); math.Abs(before-want) > 1e-9 {
			t.Fatalf("%s: loaded cost %v, priced %v", c.name, before, want)
		}
		applied := c.move(ls)
		got := ls.routesOut()
		if applied != (c.delta != 0) || !slices.EqualFunc(got, c.want, slices.Equal) {
			t.Errorf("%s: applied %v, routes %v; want %v", c.name, applied, got, c.want)
			continue
		}
		if !applied {
			continue
		}
		if len(*deltas) != 1 || math.Abs((*deltas)[0]-c.delta) > 1e-9 {
			t.Errorf("%s: predicted %v, want %v", c.name, *deltas, c.delta)
		}
		if after := pricedAll(in, got, c.lq); math.Abs(after-before-c.delta) > 1e-9 || math.Abs(ls.cost()-after) > 1e-9 {
			t.Errorf("%s: cost %v -> %v (tracked %v), want a change of %v", c.name, before, after, ls.cost(), c.delta)
		}
	}
}

// TestCVRPLSProperty: on random CVRPs (rounded distances, so the triangle
// inequality may fail by a unit), from random routes over and under
// capacity, at several prices: every applied move lowers the priced cost
// (recomputed from the problem's matrix) by exactly its predicted change,
// the tracked cost ends equal to the recomputed one, every visit is served
// once, no client gains by moving right after one of its neighbours, and
// the same seed gives the same routes.
func TestCVRPLSProperty(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		n := 30 + int(seed)*3
		in := newInst(randomCVRP(seed, n))
		rng := rand.New(rand.NewPCG(seed, 5))
		tour := make([]int32, in.nj)
		for j := range tour {
			tour[j] = int32(j)
		}
		rng.Shuffle(len(tour), func(a, b int) { tour[a], tour[b] = tour[b], tour[a] })
		var routes [][]int32
		for k := 0; k < len(tour); {
			l := 1 + rng.IntN(9)
			routes = append(routes, slices.Clone(tour[k:min(k+l, len(tour))]))
			k += l
		}
		lq := []float64{0.5, 5, 50}[seed%3]
		run := func() ([][]int32, int64) {
			ls := newCVRPLS(in, 1+int(seed)%20, rand.New(rand.NewPCG(seed, 9)))
			prev := pricedAll(in, routes, lq)
			ls.check = func(d float64) {
				now := pricedAll(in, ls.routesOut(), lq)
				if d >= -cvrpEps || math.Abs(now-prev-d) > 1e-6 {
					t.Fatalf("seed %d: a move predicted %v changed the cost by %v", seed, d, now-prev)
				}
				prev = now
			}
			out := ls.run(routes, lq)
			if c := pricedAll(in, out, lq); math.Abs(c-ls.cost()) > 1e-6 {
				t.Fatalf("seed %d: tracked cost %v, recomputed %v", seed, ls.cost(), c)
			}
			if got := slices.Sorted(slices.Values(slices.Concat(out...))); !slices.Equal(got, slices.Sorted(slices.Values(tour))) {
				t.Fatalf("seed %d: routes %v do not serve every visit once", seed, out)
			}
			ls.checkRelocateOptimal(t, lq)
			return out, ls.applied
		}
		a, moves := run()
		if moves == 0 {
			t.Fatalf("seed %d: no move applied to random routes", seed)
		}
		if b, _ := run(); !slices.EqualFunc(a, b, slices.Equal) {
			t.Fatalf("seed %d: two runs differ", seed)
		}
	}
}

// checkRelocateOptimal fails when moving a client right after one of its
// neighbours (or first in its neighbour's route) lowers the priced cost,
// evaluated from route costs recomputed from scratch.
func (ls *cvrpLS) checkRelocateOptimal(t *testing.T, lq float64) {
	t.Helper()
	routeCost := func(s []int32) float64 {
		c, l := 0.0, int64(0)
		for p := 1; p < len(s); p++ {
			c += ls.c(s[p-1], s[p])
			l += ls.dem[s[p]]
		}
		return c + lq*float64(max(l-ls.capa, 0))
	}
	for u := int32(1); u < int32(ls.m); u++ {
		ru := int(ls.route[u])
		su := ls.seq[ru]
		without := slices.Delete(slices.Clone(su), int(ls.pos[u]), int(ls.pos[u])+1)
		for _, v := range ls.near[u] {
			rv := int(ls.route[v])
			for _, after := range []int32{v, ls.seq[rv][ls.pos[v]-1]} {
				var old, neu float64
				if rv == ru {
					if after == u || ls.seq[ru][ls.pos[u]-1] == after {
						continue
					}
					k := slices.Index(without, after)
					old, neu = routeCost(su), routeCost(slices.Insert(slices.Clone(without), k+1, u))
				} else {
					sv := ls.seq[rv]
					k := slices.Index(sv, after)
					if after == 0 {
						k = 0
					}
					old = routeCost(su) + routeCost(sv)
					neu = routeCost(without) + routeCost(slices.Insert(slices.Clone(sv), k+1, u))
				}
				if after != v && after != 0 {
					continue // only the depot case of the predecessor
				}
				if neu < old-cvrpEps-1e-9 {
					t.Fatalf("client %d after %d: %v -> %v, an improving relocation left", u, after, old, neu)
				}
			}
		}
	}
}
