package geo

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/paulmach/orb"
)

// region draws random points in a lon/lat rectangle.
type region struct {
	name                   string
	lon0, lon1, lat0, lat1 float64
}

var testRegions = []region{
	{"China", 73, 135, 18, 54},
	{"north pole", -180, 180, 80, 90},
	{"south pole", -180, 180, -90, -80},
	{"antimeridian", 170, 190, -60, 60}, // lon > 180 wraps below
	{"whole globe", -180, 180, -90, 90},
}

func (r region) point(rng *rand.Rand) orb.Point {
	lon := r.lon0 + rng.Float64()*(r.lon1-r.lon0)
	if lon > 180 {
		lon -= 360
	}
	// Uniform on the sphere within the band, so the poles are not oversampled.
	s0, s1 := math.Sin(r.lat0*deg2rad), math.Sin(r.lat1*deg2rad)
	lat := math.Asin(s0+rng.Float64()*(s1-s0)) / deg2rad
	return orb.Point{lon, lat}
}

func (r region) points(rng *rand.Rand, n int) []orb.Point {
	ps := make([]orb.Point, n)
	for i := range ps {
		ps[i] = r.point(rng)
	}
	return ps
}

// bruteNeighbors returns every point with its distance, sorted by distance
// then id.
func bruteNeighbors(pts []orb.Point, q orb.Point) []Neighbor {
	out := make([]Neighbor, len(pts))
	for i, p := range pts {
		out[i] = Neighbor{i, Haversine(q, p)}
	}
	sortNeighbors(out)
	return out
}

func bruteNearest(pts []orb.Point, q orb.Point) (int, Kilometers) {
	best, bd := -1, Kilometers(math.Inf(1))
	for i, p := range pts {
		if d := Haversine(q, p); d < bd {
			best, bd = i, d
		}
	}
	return best, bd
}

func TestNearestMatchesBruteForce(t *testing.T) {
	// 10,000 queries over China and 2,500 in each other region, against
	// 1,000 points (fewer under the race detector, which is 10x slower).
	n := 1000
	if testing.Short() || raceEnabled {
		n = 250
	}
	for ri, r := range testRegions {
		queries := 2500
		if ri == 0 {
			queries = 10000
		}
		t.Run(r.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(ri)))
			pts := r.points(rng, n)
			ix, err := NewPointIndex(pts)
			if err != nil {
				t.Fatal(err)
			}
			// Queries come from the same region and, one in four, from
			// anywhere, so that far queries are covered too.
			wrong := 0
			for k := 0; k < queries; k++ {
				q := r.point(rng)
				if k%4 == 3 {
					q = testRegions[len(testRegions)-1].point(rng)
				}
				id, d, ok := ix.Nearest(q)
				wid, wd := bruteNearest(pts, q)
				if !ok || id != wid || d != wd {
					wrong++
					if wrong <= 5 {
						t.Errorf("query %v: Nearest = (%d, %.9f km, %v), want brute force (%d, %.9f km)", q, id, d, ok, wid, wd)
					}
				}
			}
			if wrong > 0 {
				t.Errorf("%d of %d queries disagree with brute force, want 0", wrong, queries)
			}
		})
	}
}

// TestRawDegreeTreeIsWrong documents why PointIndex re-ranks: the plain
// rtree box distance in degrees picks a different point than haversine for
// a sizeable share of queries at Chinese latitudes.
func TestRawDegreeTreeIsWrong(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	pts := testRegions[0].points(rng, 2000)
	ix, err := NewPointIndex(pts)
	if err != nil {
		t.Fatal(err)
	}
	wrong := 0
	const queries = 2000
	for k := 0; k < queries; k++ {
		q := testRegions[0].point(rng)
		raw := -1
		c := [2]float64{q[0], q[1]}
		ix.tree.Nearby(func(min, max [2]float64, _ int, _ bool) float64 {
			// squared planar degree distance, as rtree.BoxDist
			dx := math.Max(0, math.Max(min[0]-c[0], c[0]-max[0]))
			dy := math.Max(0, math.Max(min[1]-c[1], c[1]-max[1]))
			return dx*dx + dy*dy
		}, func(_, _ [2]float64, id int, _ float64) bool { raw = id; return false })
		if want, _ := bruteNearest(pts, q); raw != want {
			wrong++
		}
	}
	t.Logf("raw-degree nearest differs from haversine nearest in %d of %d queries", wrong, queries)
	if wrong < queries/100 {
		t.Errorf("raw-degree nearest was wrong only %d of %d times; this test expects the known distortion (>1%%)", wrong, queries)
	}
}

func TestKNearestAndWithinMatchBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	var buf, wbuf []Neighbor
	for ri, r := range testRegions {
		pts := r.points(rng, 800)
		// Duplicates make exact ties, to check the id tie-break.
		for i := 0; i < 50; i++ {
			pts = append(pts, pts[rng.IntN(len(pts))])
		}
		ix, err := NewPointIndex(pts)
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < 300; k++ {
			q := r.point(rng)
			if k%10 == 0 {
				q = pts[rng.IntN(len(pts))] // distance 0, with ties
			}
			all := bruteNeighbors(pts, q)
			kk := []int{1, 2, 7, 64, 200, len(pts) + 5}[k%6]
			buf = ix.KNearest(buf, q, kk)
			want := all[:min(kk, len(all))]
			if !slices.Equal(buf, want) {
				t.Fatalf("region %d %s query %v: KNearest(k=%d) differs from brute force\n got %v\nwant %v", ri, r.name, q, kk, head(buf), head(want))
			}
			radius := all[min(len(all)-1, 3*k%len(all))].Dist // an exact point distance: boundary included
			wbuf = ix.Within(wbuf, q, radius)
			n := 0
			for n < len(all) && all[n].Dist <= radius {
				n++
			}
			if !slices.Equal(wbuf, all[:n]) {
				t.Fatalf("region %s query %v: Within(%.6f km) returned %d points, want %d from brute force", r.name, q, radius, len(wbuf), n)
			}
		}
	}
}

func head(ns []Neighbor) []Neighbor { return ns[:min(len(ns), 8)] }

func TestIndexTiesAndEdgeCases(t *testing.T) {
	p := orb.Point{116.4, 39.9}
	pts := []orb.Point{{120, 30}, p, {100, 20}, p, p}
	ix, err := NewPointIndex(pts)
	if err != nil {
		t.Fatal(err)
	}
	for rep := 0; rep < 3; rep++ {
		if id, d, ok := ix.Nearest(p); !ok || id != 1 || d != 0 {
			t.Errorf("Nearest among three identical points = (%d, %v, %v), want the smallest id 1 at 0 km", id, d, ok)
		}
	}
	got := ix.KNearest(nil, p, 2)
	if want := []Neighbor{{1, 0}, {3, 0}}; !slices.Equal(got, want) {
		t.Errorf("KNearest(k=2) with a three-way tie = %v, want %v (smallest ids)", got, want)
	}
	if got := ix.Within(nil, p, 0); len(got) != 3 || got[0].ID != 1 || got[2].ID != 4 {
		t.Errorf("Within(0 km) = %v, want ids 1, 3, 4", got)
	}
	if got := ix.KNearest(nil, p, 0); len(got) != 0 {
		t.Errorf("KNearest(k=0) = %v, want empty", got)
	}
	if _, _, ok := ix.Nearest(orb.Point{math.NaN(), 0}); ok {
		t.Errorf("Nearest(NaN) ok = true, want false")
	}
	if got := ix.Within(nil, p, -1); len(got) != 0 {
		t.Errorf("Within(-1 km) = %v, want empty", got)
	}
	empty, err := NewPointIndex(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := empty.Nearest(p); ok {
		t.Errorf("Nearest on an empty index ok = true, want false")
	}
	if got := empty.KNearest(nil, p, 3); len(got) != 0 {
		t.Errorf("KNearest on an empty index = %v, want empty", got)
	}
	for _, bad := range []orb.Point{{181, 0}, {0, 90.5}, {math.Inf(1), 0}, {0, math.NaN()}} {
		if _, err := NewPointIndex([]orb.Point{{0, 0}, bad}); err == nil {
			t.Errorf("NewPointIndex with point %v: no error, want a range error", bad)
		}
	}
	// The index copies its input.
	pts[1] = orb.Point{0, 0}
	if ix.Point(1) != p {
		t.Errorf("Point(1) changed with the caller's slice: %v, want %v", ix.Point(1), p)
	}
}

func TestIndexConcurrentReaders(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	pts := testRegions[0].points(rng, 1000)
	qs := testRegions[0].points(rng, 400)
	ix, err := NewPointIndex(pts)
	if err != nil {
		t.Fatal(err)
	}
	want := make([][]Neighbor, len(qs))
	for i, q := range qs {
		want[i] = ix.KNearest(nil, q, 5)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []Neighbor
			for i, q := range qs {
				buf = ix.KNearest(buf, q, 5)
				if !slices.Equal(buf, want[i]) {
					errs <- "concurrent KNearest differs from sequential"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestBoxBoundIsLowerBound(t *testing.T) {
	// Random boxes and queries: the bound never exceeds the distance to
	// sampled points inside the box, and for small boxes it is tight (within
	// a grid cell plus 5 % of the best sample) so the search prunes well.
	rng := rand.New(rand.NewPCG(9, 9))
	globe := testRegions[len(testRegions)-1]
	for k := 0; k < 2000; k++ {
		a, b, q := globe.point(rng), globe.point(rng), globe.point(rng)
		if k%3 == 0 { // small boxes
			b = orb.Point{math.Min(180, a[0]+rng.Float64()*2), math.Min(90, a[1]+rng.Float64()*2)}
		}
		lo := [2]float64{math.Min(a[0], b[0]), math.Min(a[1], b[1])}
		hi := [2]float64{math.Max(a[0], b[0]), math.Max(a[1], b[1])}
		bb := boxBound{q: q, cosLat: math.Cos(q[1] * deg2rad)}
		lb := havKm(bb.lower(lo, hi))
		best := Kilometers(math.Inf(1))
		const g = 40
		for i := 0; i <= g; i++ {
			for j := 0; j <= g; j++ {
				p := orb.Point{lo[0] + (hi[0]-lo[0])*float64(i)/g, lo[1] + (hi[1]-lo[1])*float64(j)/g}
				d := Haversine(q, p)
				if d < lb {
					t.Fatalf("box %v-%v query %v: bound %.9f km exceeds distance %.9f km to %v", lo, hi, q, lb, d, p)
				}
				best = min(best, d)
			}
		}
		// Grid spacing limits tightness: allow the distance across one cell.
		cell := Haversine(lo, orb.Point{lo[0] + (hi[0]-lo[0])/g, lo[1] + (hi[1]-lo[1])/g})
		if k%3 == 0 && best-lb > cell+best/20 {
			t.Errorf("box %v-%v query %v: bound %.6f km is loose, best sampled %.6f km (grid cell %.6f km)", lo, hi, q, lb, best, cell)
		}
	}
}
