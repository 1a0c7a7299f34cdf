package routing

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// lineCVRP: a depot at 0 and jobs on a line at xs with the given demands,
// capacity q, distance |a-b|.
func lineCVRP(xs []float64, dem []int64, q int64) *Problem {
	pts := [][2]float64{{0, 0}}
	for _, x := range xs {
		pts = append(pts, [2]float64{x, 0})
	}
	p := &Problem{Distance: euclid(pts, false), Vehicles: []VehicleType{{ID: "t", Capacity: []int64{q}, CostPerDistance: 1}}}
	for k := range xs {
		p.Jobs = append(p.Jobs, Job{ID: string(rune('a' + k)), Location: k + 1, Amount: []int64{dem[k]}})
	}
	return p
}

// TestSplitHand: jobs at 10, 11, 12, 30 with demands 3, 3, 1, 3, capacity
// 6, tour 0 1 2 3. By hand, the eight ways to cut it cost
//
//	{0}{1}{2}{3} 126   {0}{1}{2,3} 102   {0}{1,2}{3} 104   {0}{1,2,3} 80+lq
//	{0,1}{2}{3} 106    {0,1}{2,3} 82     {0,1,2}{3} 84+lq  {0,1,2,3} 60+4lq
//
// (load 7 is one over, load 10 four over). The whole tour in one route
// (load 10 above 1.5 x 6) is never considered, as in HGS, so at lq = 1
// the best is {0}{1,2,3} at 81 (not the excluded 64), at lq = 10 the
// feasible {0,1}{2,3} at 82, at lq = 1.5 {0}{1,2,3} at 81.5 against 82.
func TestSplitHand(t *testing.T) {
	in := newInst(lineCVRP([]float64{10, 11, 12, 30}, []int64{3, 3, 1, 3}, 6))
	tour := []int32{0, 1, 2, 3}
	for _, c := range []struct {
		lq   float64
		want [][]int32
	}{
		{1, [][]int32{{0}, {1, 2, 3}}},
		{10, [][]int32{{0, 1}, {2, 3}}},
		{1.5, [][]int32{{0}, {1, 2, 3}}},
		{2.5, [][]int32{{0, 1}, {2, 3}}},
	} {
		got := in.split(tour, c.lq)
		if !slices.EqualFunc(got, c.want, slices.Equal) {
			t.Errorf("lq %v: split %v, want %v", c.lq, got, c.want)
		}
	}
	// another order: 3 0 1 2 costs {3}{0,1,2} 60+24+lq, {3,0}{1,2} (30+20+10)+(11+1+12)=84,
	// {3,0,1}{2}: load 9, 30+20+1+11=62+3lq, +24
	got := in.split([]int32{3, 0, 1, 2}, 10)
	want := [][]int32{{3, 0}, {1, 2}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("tour 3 0 1 2, lq 10: split %v, want %v", got, want)
	}
}

// TestOXHand: the child keeps a's positions from..to and takes the rest in
// b's order from to+1 on, both around the end of the tour.
func TestOXHand(t *testing.T) {
	a := []int32{1, 2, 3, 4, 5, 6, 7, 8}
	b := []int32{3, 7, 5, 1, 6, 8, 2, 4}
	used := make([]bool, 9)
	for _, c := range []struct {
		from, to int
		want     []int32
	}{
		// keeps 3 4 5 at 2..4; b from 5 on: 8 2 (4) (3) 7 (5) 1 6 -> positions 5 6 7 0 1
		{2, 4, []int32{1, 6, 3, 4, 5, 8, 2, 7}},
		// keeps 7 8 1 2 at 6, 7, 0, 1; b from 2 on: 5 (1) 6 (8) (2) 4 3 (7) -> positions 2..5
		{6, 1, []int32{1, 2, 5, 6, 4, 3, 7, 8}},
	} {
		got := orderedCrossover(nil, a, b, c.from, c.to, used)
		if !slices.Equal(got, c.want) {
			t.Errorf("from %d to %d: child %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

// TestHGSChildrenProperty: on random problems, every OX child of two
// random tours holds each visit exactly once, Split's routes hold the
// child exactly once in its order and cost what Bellman's recursion says
// when priced again route by route, for several prices of excess.
func TestHGSChildrenProperty(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		in := newInst(randomCVRP(seed, 60))
		rng := rand.New(rand.NewPCG(seed, 3))
		a := make([]int32, in.nj)
		for j := range a {
			a[j] = int32(j)
		}
		b := slices.Clone(a)
		rng.Shuffle(len(a), func(x, y int) { a[x], a[y] = a[y], a[x] })
		rng.Shuffle(len(b), func(x, y int) { b[x], b[y] = b[y], b[x] })
		child := orderedCrossover(nil, a, b, rng.IntN(len(a)), rng.IntN(len(a)), make([]bool, in.nj))
		if got := slices.Sorted(slices.Values(child)); !slices.Equal(got, slices.Sorted(slices.Values(a))) {
			t.Fatalf("seed %d: child %v is not a permutation of the visits", seed, child)
		}
		for _, lq := range []float64{0.1, 1, 100} {
			routes := in.split(child, lq)
			if got := slices.Concat(routes...); !slices.Equal(got, child) {
				t.Fatalf("seed %d lq %v: routes %v do not hold the tour %v in order", seed, lq, routes, child)
			}
			// no route merged with its successor is cheaper when both fit 1.5 Q
			for k := 0; k+1 < len(routes); k++ {
				c1, c2, cm := in.priced(routes[k], lq), in.priced(routes[k+1], lq), in.priced(slices.Concat(routes[k], routes[k+1]), lq)
				if cm < c1+c2-1e-9 && float64(in.loadOf(slices.Concat(routes[k], routes[k+1]))) <= 1.5*float64(in.types[0].capa[0]) {
					t.Fatalf("seed %d lq %v: routes %v and %v cost %v merged, %v apart", seed, lq, routes[k], routes[k+1], cm, c1+c2)
				}
			}
		}
	}
}

func (in *inst) loadOf(r []int32) int64 {
	l := int64(0)
	for _, j := range r {
		l += in.visitAmt(j)[0]
	}
	return l
}

// priced is a route's distance plus lq times its load above capacity,
// from the problem's matrix (not Split's sums).
func (in *inst) priced(r []int32, lq float64) float64 {
	t := in.types[0]
	c := in.dist[int(t.start)*in.n+int(in.loc[r[0]])] + in.dist[int(in.loc[r[len(r)-1]])*in.n+int(t.end)]
	for k := 1; k < len(r); k++ {
		c += in.dist[int(in.loc[r[k-1]])*in.n+int(in.loc[r[k]])]
	}
	return c + lq*float64(max(in.loadOf(r)-t.capa[0], 0))
}

// TestHGSRank: four members with costs 10, 11, 12, 10.5 and broken-pairs
// distances AB .5, AC .3, AD 0, BC .6, BD .5, CD .3; diversity over the 2
// closest: A .15, B .5, C .3, D .15; one elite of four weighs diversity
// 0.75. Cost ranks A 0, D 1/3, B 2/3, C 1; diversity ranks (most diverse
// first, ties by order) B 0, C 1/3, A 2/3, D 1. Fitness A 0.5, B 2/3,
// C 1.25, D 13/12. C is the worst, but A and D are clones, and the worse
// of the two clones, D, goes first (HGS).
func TestHGSRank(t *testing.T) {
	names := "ABCD"
	xs := []*indiv{{obj: 10}, {obj: 11}, {obj: 12}, {obj: 10.5}}
	dm := [4][4]float64{{0, .5, .3, 0}, {.5, 0, .6, .5}, {.3, .6, 0, .3}, {0, .5, .3, 0}}
	for a := range xs {
		for b := range xs {
			if a != b {
				xs[a].close = insertDist(xs[a].close, indivDist{dm[a][b], xs[b]})
			}
		}
	}
	p := &subpop{xs: slices.Clone(xs)}
	hp := hgsParams{mu: 3, lambda: 0, elite: 1, close: 2}
	p.rank(hp, 1)
	want := []float64{0.5, 2.0 / 3, 1.25, 13.0 / 12}
	for k, x := range xs {
		if math.Abs(x.fit-want[k]) > 1e-12 {
			t.Errorf("%c: fitness %v, want %v", names[k], x.fit, want[k])
		}
	}
	p.removeWorst(hp, 1)
	if len(p.xs) != 3 || slices.Contains(p.xs, xs[3]) {
		t.Fatalf("removeWorst kept %d members, D among them: %v", len(p.xs), slices.Contains(p.xs, xs[3]))
	}
	for k, x := range p.xs {
		for _, e := range x.close {
			if e.o == xs[3] {
				t.Errorf("member %d still lists D as a neighbour", k)
			}
		}
	}
	// without clones the worst fitness goes: C
	xs[0].close[0].d = 0.2
	p.removeWorst(hp, 1)
	if slices.Contains(p.xs, xs[2]) {
		t.Errorf("removeWorst kept C, the worst fitness, when there was no clone")
	}
}

// TestHGSPopulation: the population search on random problems keeps the
// subpopulations within mu+lambda, serves every job once within capacity,
// returns the best feasible solution it recorded, and the same seed gives
// the same routes.
func TestHGSPopulation(t *testing.T) {
	defer func(on bool, lo, ini int) { hgsOn, hgsMinJobs, hgsInit = on, lo, ini }(hgsOn, hgsMinJobs, hgsInit)
	hgsOn, hgsMinJobs, hgsInit = true, 10, 30
	run := func(seed uint64) snapshot {
		in := newInst(randomCVRP(seed, 70))
		if !in.hgsOK() || !in.fastOK() {
			t.Fatalf("seed %d: the population search or its dedicated local search does not apply", seed)
		}
		w := newWorker(in, seed)
		w.ls.checkFn = func() bool { return false }
		w.savings()
		w.localSearch(nil)
		var best snapshot
		w.s.recompute()
		w.s.save(&best)
		first := best.cost
		it, atLimit := w.hgsRun(0, 4000, &best, func() bool { return false }, nil)
		if !atLimit || it < 4000 {
			t.Fatalf("seed %d: stopped at %d iterations, limit reached %v", seed, it, atLimit)
		}
		if best.cost > first+1e-9 {
			t.Fatalf("seed %d: best %v worse than the first solution %v", seed, best.cost, first)
		}
		s := newSolution(in)
		s.load(&best)
		if len(s.out) > 0 || math.Abs(s.cost-best.cost) > 1e-6 {
			t.Fatalf("seed %d: best leaves %v out, costs %v, recorded %v", seed, s.out, s.cost, best.cost)
		}
		for _, r := range s.routes {
			if len(r.jobs) > 0 && (!r.feas || r.load(in)[0] > in.types[0].capa[0]) {
				t.Fatalf("seed %d: route %v infeasible", seed, r.jobs)
			}
		}
		return best
	}
	for seed := uint64(1); seed <= 3; seed++ {
		if seed > 1 && testing.Short() {
			break // -short (the race step; the population is single-threaded and off by default): one seed
		}
		a, b := run(seed), run(seed)
		if a.cost != b.cost || !slices.EqualFunc(a.jobs, b.jobs, slices.Equal) {
			t.Fatalf("seed %d: two runs differ (%v, %v)", seed, a.cost, b.cost)
		}
	}
}

// TestPlaneAngles: from Euclidean distances alone, classical MDS gives
// back a plane where every distance between visits and to the depot is the
// true one (exact up to rotation and reflection), and polarTour orders
// routes around the depot: four routes at 10, 100, 190 and 280 degrees come
// out as a cyclic rotation of that order, or of its reverse (8 of the 24
// orders).
func TestPlaneAngles(t *testing.T) {
	pts := [][2]float64{{3, -2}}
	for k := 0; k < 8; k++ {
		a := float64(10+90*(k/2)) * math.Pi / 180
		r := 5 + 3*float64(k%2)
		pts = append(pts, [2]float64{3 + r*math.Cos(a), -2 + r*math.Sin(a)})
	}
	p := &Problem{Distance: euclid(pts, false), Vehicles: []VehicleType{{ID: "t", Capacity: []int64{10}, CostPerDistance: 1}}}
	for k := 1; k < len(pts); k++ {
		p.Jobs = append(p.Jobs, Job{ID: string(rune('a' + k)), Location: k, Amount: []int64{1}})
	}
	in := newInst(p)
	xs, ys := in.planeAngles()
	for a := 0; a < in.nj; a++ {
		if d := math.Hypot(xs[a], ys[a]); math.Abs(d-p.Distance[0][a+1]) > 1e-6 {
			t.Fatalf("visit %d: %v from the depot in the plane, %v in the matrix", a, d, p.Distance[0][a+1])
		}
		for b := 0; b < in.nj; b++ {
			if d := math.Hypot(xs[a]-xs[b], ys[a]-ys[b]); math.Abs(d-p.Distance[a+1][b+1]) > 1e-6 {
				t.Fatalf("visits %d, %d: %v apart in the plane, %v in the matrix", a, b, d, p.Distance[a+1][b+1])
			}
		}
	}
	routes := [][]int32{{4, 5}, {0, 1}, {6, 7}, {2, 3}} // at 190, 10, 280, 100 degrees
	got := polarTour(nil, routes, xs, ys)
	first := []int32{got[0], got[2], got[4], got[6]}
	ok := false
	for s := 0; s < 4; s++ {
		fw, bw := make([]int32, 4), make([]int32, 4)
		for k := range 4 {
			fw[k] = int32(2 * ((s + k) % 4))
			bw[k] = int32(2 * ((s + 4 - k) % 4))
		}
		ok = ok || slices.Equal(first, fw) || slices.Equal(first, bw)
	}
	if !ok || len(got) != 8 {
		t.Fatalf("polar tour %v: routes not in angular order", got)
	}
}
