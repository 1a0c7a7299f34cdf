package routing

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// granLine is a hand-checked instance: depot (0,0); route A visits
// (10,0), (20,0), (30,0); route B visits (0,10), (0,20), (0,30); visits
// j1 (21,5) and j2 (3,1) are unassigned. Amounts: 1 each, (30,0) and j1 2.
func granLine(capa int64) (*inst, *solution) {
	pts := [][2]float64{{0, 0}, {10, 0}, {20, 0}, {30, 0}, {0, 10}, {0, 20}, {0, 30}, {21, 5}, {3, 1}}
	n := len(pts)
	d := make([][]float64, n)
	for i := range d {
		d[i] = make([]float64, n)
		for k := range d[i] {
			d[i][k] = math.Hypot(pts[i][0]-pts[k][0], pts[i][1]-pts[k][1])
		}
	}
	p := &Problem{Distance: d, Vehicles: []VehicleType{{ID: "v", Capacity: []int64{capa}, CostPerDistance: 1}}}
	for l := 1; l < n; l++ {
		a := int64(1)
		if l == 3 || l == 7 {
			a = 2
		}
		p.Jobs = append(p.Jobs, Job{Location: l, Amount: []int64{a}})
	}
	in := newInst(p)
	s := newSolution(in)
	for _, jobs := range [][]int32{{0, 1, 2}, {3, 4, 5}} {
		ri := s.spare[0]
		for k, j := range jobs {
			s.insertOne(ri, k, j)
		}
	}
	return in, s
}

// TestGranHandChecked: with the 2 nearest neighbours, j1 (21,5) is tried
// before and after (20,0) and (30,0) (route 0, positions 1, 2, 2, 3: the
// depot, 21.6 away, is farther than the second neighbour) and in the
// empty route 2; the best is after (30,0): sqrt(106) + sqrt(466) - 30.
// j2 (3,1) is tried next to (10,0) and (0,10), at both ends of their
// routes (the depot, sqrt(10) away, is nearer than (0,10)) and in the
// empty route; the best is at the end of route 0, on its way back from
// (30,0) to the depot: sqrt(730) + sqrt(10) - 30 = 0.18 (before (10,0):
// sqrt(10) + sqrt(50) - 10 = 0.23; found only through the depot ends).
// With capacity 5, j1 no longer fits route 0 (load 4): its 2 nearest
// visits in a route it fits are (0,10) and (0,20), 21.6 and 25.8 away, so
// route 1 is tried at 0, 1, 1, 2 and at its ends 0 and 3 (the depot is
// nearer than (0,20)); the best is at its end, from (0,30) back to the
// depot: sqrt(1066) + sqrt(466) - 30. With capacity 4 no route fits and
// only the empty route is left: 2 sqrt(466). Each choice is also the
// full scan's.
func TestGranHandChecked(t *testing.T) {
	defer func(k int) { granK = k }(granK)
	granK = 2
	cases := []struct {
		capa int64
		j    int32
		pos  []granPos
		ri   int
		at   int
		cost float64
	}{
		{10, 6, []granPos{{0, 1}, {0, 2}, {0, 2}, {0, 3}, {2, 0}}, 0, 3, math.Sqrt(106) + math.Sqrt(466) - 30},
		{10, 7, []granPos{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0, 0}, {0, 3}, {1, 0}, {1, 3}, {2, 0}}, 0, 3, math.Sqrt(730) + math.Sqrt(10) - 30},
		{5, 6, []granPos{{1, 0}, {1, 1}, {1, 1}, {1, 2}, {1, 0}, {1, 3}, {2, 0}}, 1, 3, math.Sqrt(1066) + math.Sqrt(466) - 30},
		{4, 6, []granPos{{2, 0}}, 2, 0, 2 * math.Sqrt(466)},
	}
	for _, c := range cases {
		in, s := granLine(c.capa)
		w := newWorker(in, 1)
		w.s = s
		var tried []granPos
		w.gtrace = &tried
		ins := w.bestInsertGran(c.j, 0)
		if !slices.Equal(tried, c.pos) {
			t.Errorf("capacity %d, visit %d: positions tried %v, want %v", c.capa, c.j, tried, c.pos)
		}
		if ins.ri != c.ri || ins.pos != c.at || math.Abs(ins.cost-c.cost) > 1e-9 {
			t.Errorf("capacity %d, visit %d: chose route %d after node %d at %.6f, want route %d after node %d at %.6f",
				c.capa, c.j, ins.ri, ins.pos, ins.cost, c.ri, c.at, c.cost)
		}
		w.gtrace = nil
		if full := w.bestInsert(c.j, 0); full.ri != ins.ri || full.pos != ins.pos || !sameF(full.cost, ins.cost) {
			t.Errorf("capacity %d, visit %d: full scan chose route %d after node %d at %v, granular %d, %d at %v",
				c.capa, c.j, full.ri, full.pos, full.cost, ins.ri, ins.pos, ins.cost)
		}
	}
}

// granExpect lists, from the problem's definition, the positions granular
// insertion must try for visit j: among its walk nearest visits
// (distance, then index), the first k in routes it fits, before and after
// each; both route ends when
// the depot is not farther than the k-th; the empty route.
func granExpect(in *inst, s *solution, j int32, k, walk int) (ps []granPos, depot bool) {
	p := in.p
	d := func(a int32) float64 {
		return min(p.Distance[p.Jobs[j].Location][p.Jobs[a].Location], p.Distance[p.Jobs[a].Location][p.Jobs[j].Location])
	}
	capa := p.Vehicles[0].Capacity[0]
	fits := func(ri int32) bool {
		load := int64(0)
		for _, x := range s.routes[ri].jobs {
			load += p.Jobs[x].Amount[0]
		}
		return load+p.Jobs[j].Amount[0] <= capa
	}
	var near []int32
	for a := range p.Jobs {
		if int32(a) != j {
			near = append(near, int32(a))
		}
	}
	slices.SortFunc(near, func(a, b int32) int {
		if c := cmp.Compare(d(a), d(b)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	var others []int32
	for _, a := range near[:min(walk, len(near))] {
		if s.jr[a] >= 0 && fits(s.jr[a]) && len(others) < k {
			others = append(others, a)
		}
	}
	var routes []int32
	for _, v := range others {
		ri := s.jr[v]
		if !slices.Contains(routes, ri) {
			routes = append(routes, ri)
		}
		at := int32(slices.Index(s.routes[ri].jobs, v))
		ps = append(ps, granPos{ri, at}, granPos{ri, at + 1})
	}
	depot = len(others) > 0 && p.Distance[0][p.Jobs[j].Location] <= d(others[len(others)-1])
	if depot {
		for _, ri := range routes {
			ps = append(ps, granPos{ri, 0}, granPos{ri, int32(len(s.routes[ri].jobs))})
		}
	}
	if sp := s.spare[0]; sp >= 0 {
		ps = append(ps, granPos{int32(sp), 0})
	}
	return ps, depot
}

// TestGranCostIsFullCost: on random capacity-only problems, through random
// edits and ruin-and-recreate steps with granular insertion, for every
// unassigned visit the positions tried are those of the definition
// (granExpect), the choice is the cheapest of them, its cost is bit for
// bit the full evaluation of that position (rangeNoTime), it fits the
// route, and no insertion found by trying every position of every route
// is cheaper than it is not; the solution stays consistent (each route as
// computed from scratch, loads within capacity, the cost the sum of the
// routes and penalties).
func TestGranCostIsFullCost(t *testing.T) {
	defer func(k, walk int) { granK, granWalk = k, walk }(granK, granWalk)
	checked, worse, depotEnds := 0, 0, 0
	for seed := uint64(1); seed <= 10; seed++ {
		rng := rand.New(rand.NewPCG(seed, 77))
		granK = []int{3, 5, 10, 20}[seed%4]
		granWalk = []int{149, 40, 10, 25, 149}[seed%5]
		p := speedProblem(rng, 30+rng.IntN(50), 0)
		in := newInst(p)
		w := newWorker(in, seed)
		w.gran = true
		if !w.granOK() {
			t.Fatalf("seed %d: granular insertion does not apply to a capacity-only problem", seed)
		}
		w.recreate(0)
		var buf []int32
		for step := 0; step < 60; step++ {
			buf = granEdit(rng, w.s, buf)
			for _, j := range slices.Clone(w.s.out) {
				var tried []granPos
				w.gtrace = &tried
				ins := w.bestInsertGran(j, 0)
				w.gtrace = nil
				want, depot := granExpect(in, w.s, j, granK, granWalk)
				if !slices.Equal(tried, want) {
					t.Fatalf("seed %d step %d: visit %d tried %v, want %v", seed, step, j, tried, want)
				}
				if depot {
					depotEnds++
				}
				minC, minAt := math.Inf(1), -1
				for k, gp := range tried {
					var b insertion
					b.cost = math.Inf(1)
					r := w.s.routes[gp.ri]
					e := posEval{w: w, r: r, t: &in.types[r.t], ri: int(gp.ri), j: j}
					if len(r.jobs) == 0 {
						e.extra = in.types[r.t].fixed + in.routeW
					}
					e.rangeNoTime(int(gp.pos), int(gp.pos)+1, &b)
					if b.cost < minC {
						minC, minAt = b.cost, k
					}
				}
				if minAt < 0 || ins.ri != int(tried[minAt].ri) || ins.pos != int(tried[minAt].pos) || !sameF(ins.cost, minC) {
					t.Fatalf("seed %d step %d: visit %d: chose %+v, the cheapest tried is %v at %v", seed, step, j, ins, tried[max(minAt, 0)], minC)
				}
				all := insertion{ri: -1, cost: in.pen[j]}
				for ri := range w.s.routes {
					w.evalInsert(ri, j, 0, &all)
				}
				if all.cost > ins.cost {
					t.Fatalf("seed %d step %d: visit %d: granular %v beats every position's best %v", seed, step, j, ins.cost, all.cost)
				}
				if all.cost < ins.cost {
					worse++
				}
				checked++
			}
			w.s.beginLog()
			w.ruin()
			w.recreate(0.2)
			if rng.IntN(3) == 0 {
				w.s.undo()
			} else {
				w.s.commit()
			}
			granConsistent(t, in, w.s, seed, step)
		}
	}
	if checked < 500 || worse == 0 || depotEnds == 0 {
		t.Fatalf("too few cases: %d insertions checked, %d worse than every position's best, %d with depot ends", checked, worse, depotEnds)
	}
}

// granConsistent checks every route against one computed from scratch,
// its load against the capacity, and the solution's cost against the sum
// of route costs and penalties.
func granConsistent(t *testing.T, in *inst, s *solution, seed uint64, step int) {
	t.Helper()
	total := 0.0
	for ri, r := range s.routes {
		if d := routeDiff(in, r, false); d != "" {
			t.Fatalf("seed %d step %d: route %d: %s differs from a full update", seed, step, ri, d)
		}
		load := int64(0)
		for _, x := range r.jobs {
			load += in.p.Jobs[x].Amount[0]
			if s.jr[x] != int32(ri) {
				t.Fatalf("seed %d step %d: visit %d in route %d indexed in %d", seed, step, x, ri, s.jr[x])
			}
		}
		if load > in.p.Vehicles[0].Capacity[0] {
			t.Fatalf("seed %d step %d: route %d carries %d over capacity %d", seed, step, ri, load, in.p.Vehicles[0].Capacity[0])
		}
		total += r.cost
	}
	for _, j := range s.out {
		total += in.pen[j]
	}
	if math.Abs(total-s.cost) > 1e-6*max(1, math.Abs(total)) {
		t.Fatalf("seed %d step %d: cost %v, routes and penalties sum to %v", seed, step, s.cost, total)
	}
}

// granEdit changes one route at random and keeps every load within
// capacity: a string of it removed or reversed, or the route emptied.
func granEdit(rng *rand.Rand, s *solution, buf []int32) []int32 {
	ri := rng.IntN(len(s.routes))
	L := len(s.routes[ri].jobs)
	if L == 0 {
		return buf
	}
	buf = append(buf[:0], s.routes[ri].jobs...)
	a := rng.IntN(L)
	b := a + 1 + rng.IntN(min(L-a, 4))
	switch rng.IntN(3) {
	case 0:
		buf = slices.Delete(buf, a, b)
	case 1:
		slices.Reverse(buf[a:b])
	default:
		buf = buf[:0]
	}
	s.replace(ri, buf)
	return buf
}
