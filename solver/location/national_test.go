package location_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/rlplan/rlplan/solver/location"
	"github.com/rlplan/rlplan/solver/location/validate"
)

// nationalInstance generates a deterministic, clustered national-scale
// instance in a 3000 × 3000 km plane: 300 "cities" of log-normal size,
// demand cells and outlets drawn around them (denser where the city is
// bigger), rows listing each demand's k nearest facilities through a
// uniform grid. Facilities 0..fixed-1 are existing outlets.
func nationalInstance(nDemand, nCand, nFixed, k int, seed uint64) *location.Problem {
	rng := rand.New(rand.NewPCG(seed, 2024))
	const side = 3000.0
	type city struct{ x, y, r, w float64 }
	cities := make([]city, 300)
	cum := make([]float64, len(cities))
	tot := 0.0
	for c := range cities {
		w := math.Exp(rng.NormFloat64() * 1.1)
		cities[c] = city{rng.Float64() * side, rng.Float64() * side, 15 + 40*math.Sqrt(w), w}
		tot += w
		cum[c] = tot
	}
	draw := func() (float64, float64) {
		if rng.Float64() < 0.15 { // rural background
			return rng.Float64() * side, rng.Float64() * side
		}
		c, _ := slices.BinarySearch(cum, rng.Float64()*tot)
		c = min(c, len(cities)-1)
		x := cities[c].x + rng.NormFloat64()*cities[c].r
		y := cities[c].y + rng.NormFloat64()*cities[c].r
		return math.Min(math.Max(x, 0), side), math.Min(math.Max(y, 0), side)
	}
	F := nFixed + nCand
	fx, fy := make([]float64, F), make([]float64, F)
	for i := range F {
		fx[i], fy[i] = draw()
	}
	// grid of facilities
	const cell = 20.0
	g := int(side/cell) + 1
	grid := make([][]int32, g*g)
	at := func(x, y float64) (int, int) { return min(int(x/cell), g-1), min(int(y/cell), g-1) }
	for i := range F {
		cx, cy := at(fx[i], fy[i])
		grid[cy*g+cx] = append(grid[cy*g+cx], int32(i))
	}
	p := &location.Problem{Weights: make([]float64, nDemand), Facilities: make([]location.Facility, F)}
	for i := range nFixed {
		p.Facilities[i].Open = true
	}
	type nb struct {
		i int32
		d float64
	}
	var buf []nb
	ids := make([]int32, 0, k)
	ds := make([]float64, 0, k)
	for j := range nDemand {
		x, y := draw()
		p.Weights[j] = math.Round(10*math.Exp(rng.NormFloat64()*0.8)) / 10
		cx, cy := at(x, y)
		buf = buf[:0]
		for r := 0; r < g; r++ {
			for yy := cy - r; yy <= cy+r; yy++ {
				for xx := cx - r; xx <= cx+r; xx++ {
					if yy < 0 || xx < 0 || yy >= g || xx >= g || (max(abs(yy-cy), abs(xx-cx)) != r) {
						continue
					}
					for _, i := range grid[yy*g+xx] {
						buf = append(buf, nb{i, math.Hypot(fx[i]-x, fy[i]-y)})
					}
				}
			}
			// every point outside the searched square is farther than r·cell
			if len(buf) >= k {
				slices.SortFunc(buf, func(a, b nb) int {
					if a.d < b.d {
						return -1
					}
					if a.d > b.d {
						return 1
					}
					return int(a.i - b.i)
				})
				if buf[k-1].d <= float64(r)*cell {
					break
				}
			}
		}
		ids, ds = ids[:0], ds[:0]
		for _, e := range buf[:min(k, len(buf))] {
			ids = append(ids, e.i)
			ds = append(ds, math.Round(e.d*1000)/1000)
		}
		p.Dist.AppendRow(ids, ds)
	}
	return p
}

func abs(a int) int {
	if a < 0 {
		return -a
	}
	return a
}

// benchNational runs one objective at national scale: 100,000 demand cells,
// 20,000 candidates, 10,000 existing outlets, P = 1,000, 40 nearest
// facilities per cell. Run with
//
//	go test -run '^$' -bench National -benchtime 1x ./solver/location/
func benchNational(b *testing.B, obj location.Objective) {
	if testing.Short() {
		b.Skip("national-scale benchmark skipped in -short")
	}
	p := nationalInstance(100_000, 20_000, 10_000, 40, 1)
	p.Objective = obj
	p.P = 1000
	p.Radius = 10
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		res, err := location.Solve(context.Background(), p, &location.Settings{TimeLimit: 45 * time.Second, MaxIterations: 50, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.Cost, "cost")
		b.ReportMetric(res.Bound, "bound")
		b.ReportMetric(100*res.Gap, "gap%")
		b.ReportMetric(float64(res.Iterations), "rounds")
		b.Logf("%v: cost %.1f bound %.1f gap %.3f%% covered %.1f rounds %d status %v in %v",
			obj, res.Cost, res.Bound, 100*res.Gap, res.Covered, res.Iterations, res.Status, time.Since(t0))
	}
}

func BenchmarkNationalPMedian(b *testing.B)  { benchNational(b, location.PMedian) }
func BenchmarkNationalMaxCover(b *testing.B) { benchNational(b, location.MaxCover) }

// BenchmarkNationalCapacitated is capacitated facility location at national
// scale, demand split between facilities: 30,000 demand cells, 5,000
// candidate sites and 10,000 open outlets, 64 nearest facilities per cell
// (the shape of `rlplan site --region CN --objective capacitated`), every
// facility holding 6 units (weights are log-normal, mean 1.4, so the
// outlets hold 1.5 times the demand but not where it is dense), a site
// costing 40 units of weighted distance. Iteration-bounded (400 bound
// iterations, 5 restarts) so that its answer is reproducible; run it with
// /usr/bin/time to see the peak memory:
//
//	go test -c -o loc.test ./solver/location && /usr/bin/time -v ./loc.test -test.run '^$' -test.bench '^BenchmarkNationalCapacitated$' -test.benchtime 1x
func BenchmarkNationalCapacitated(b *testing.B) {
	if testing.Short() {
		b.Skip("national-scale benchmark skipped in -short")
	}
	p := nationalInstance(30_000, 5_000, 10_000, 64, 1)
	p.Objective = location.FacilityLocation
	for i := range p.Facilities {
		p.Facilities[i].Capacity = 6
		if !p.Facilities[i].Open {
			p.Facilities[i].FixedCost = 40
		}
	}
	workers := 1
	if s := os.Getenv("RLPLAN_BENCH_WORKERS"); s != "" {
		fmt.Sscan(s, &workers)
	}
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		res, err := location.Solve(context.Background(), p, &location.Settings{TimeLimit: time.Hour, MaxIterations: 5, BoundIterations: 400, Seed: 1, Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		if err := validate.Check(p, res); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.Cost, "cost")
		b.ReportMetric(res.Bound, "bound")
		b.ReportMetric(100*res.Gap, "gap%")
		b.Logf("capacitated: cost %.1f bound %.1f gap %.3f%% sites %d unserved %.1f rounds %d status %v in %v (workers %d)",
			res.Cost, res.Bound, 100*res.Gap, len(res.Open), res.Unserved, res.Iterations, res.Status, time.Since(t0), workers)
	}
}
