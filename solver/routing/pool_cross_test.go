package routing

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomCVRP is a capacity-only problem of n pickups on a 100x100 square
// with rounded Euclidean distances, one unlimited truck type.
func randomCVRP(seed uint64, n int) *Problem {
	rng := rand.New(rand.NewPCG(seed, 11))
	pts := make([][2]float64, n+1)
	for k := 1; k <= n; k++ {
		pts[k] = [2]float64{float64(rng.IntN(100)), float64(rng.IntN(100))}
	}
	p := &Problem{Distance: euclid(pts, true), Vehicles: []VehicleType{{ID: "t", Capacity: []int64{30}, CostPerDistance: 1}}}
	for k := 1; k <= n; k++ {
		p.Jobs = append(p.Jobs, Job{ID: string(rune(k)), Location: k, Amount: []int64{int64(1 + rng.IntN(9))}})
	}
	return p
}

// TestCrossChild: the child of two different trajectories serves every
// job once, within capacity, at the cost its routes add up to, and the
// same seed gives the same child.
func TestCrossChild(t *testing.T) {
	defer func(on bool) { crossOn = on }(crossOn)
	crossOn = true
	child := func(seed uint64) [][]int32 {
		w := newWorker(newInst(randomCVRP(seed, 80)), seed)
		w.recreate(0)
		p := newPool(w, 3)
		for k := 1; k < 3; k++ { // make the trajectories differ
			w.s = p.sols[k]
			for it := 0; it < 200; it++ {
				w.s.beginLog()
				w.ruin()
				w.recreate(sisrBlink)
				w.s.commit()
			}
		}
		w.s = p.sols[0]
		if !p.cross(1, 2, 0) {
			t.Fatalf("seed %d: the crossover did not apply", seed)
		}
		s, in := p.sols[0], w.in
		if len(s.out) > 0 {
			t.Fatalf("seed %d: child leaves out %v", seed, s.out)
		}
		seen := make([]bool, in.nj)
		sum := 0.0
		var routes [][]int32
		for _, r := range s.routes {
			if len(r.jobs) == 0 {
				continue
			}
			if r.load(in)[0] > in.types[0].capa[0] {
				t.Fatalf("seed %d: route %v over capacity", seed, r.jobs)
			}
			c, ok := in.seqCost(r.t, r.jobs)
			if !ok || math.Abs(c-r.cost) > 1e-9 {
				t.Fatalf("seed %d: route %v costs %v (ok %v), recorded %v", seed, r.jobs, c, ok, r.cost)
			}
			sum += c
			for _, j := range r.jobs {
				if seen[j] {
					t.Fatalf("seed %d: job %d twice", seed, j)
				}
				seen[j] = true
			}
			routes = append(routes, slices.Clone(r.jobs))
		}
		if math.Abs(sum-s.cost) > 1e-6 {
			t.Fatalf("seed %d: child cost %v, routes add up to %v", seed, s.cost, sum)
		}
		return routes
	}
	for seed := uint64(1); seed <= 5; seed++ {
		a, b := child(seed), child(seed)
		if !slices.EqualFunc(a, b, slices.Equal) {
			t.Fatalf("seed %d: two children differ", seed)
		}
	}
}

// euclid is the Euclidean distance matrix of pts, each entry rounded to the
// nearest integer when round is set (the tests' random problems).
// scatter returns n points: the depot at (50, 50), then n-1 drawn on the
// integer grid [0,100)^2 by rng.
func scatter(rng *rand.Rand, n int) [][2]float64 {
	pts := make([][2]float64, n)
	pts[0] = [2]float64{50, 50}
	for k := 1; k < n; k++ {
		pts[k] = [2]float64{float64(rng.IntN(100)), float64(rng.IntN(100))}
	}
	return pts
}

func euclid(pts [][2]float64, round bool) [][]float64 {
	d := make([][]float64, len(pts))
	for i, a := range pts {
		d[i] = make([]float64, len(pts))
		for j, b := range pts {
			d[i][j] = math.Hypot(a[0]-b[0], a[1]-b[1])
			if round {
				d[i][j] = math.Round(d[i][j])
			}
		}
	}
	return d
}
