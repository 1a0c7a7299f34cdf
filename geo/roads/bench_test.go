package roads

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo/roads/roadstest"
)

// BenchmarkDelawareBuild parses and builds the Delaware graph without the
// cache: go test -run '^$' -bench DelawareBuild -benchtime 3x ./geo/roads
func BenchmarkDelawareBuild(b *testing.B) {
	path := roadstest.Delaware(b)
	for i := 0; i < b.N; i++ {
		if _, err := Build(context.Background(), path, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDelawareMatrix is a 150 x 1,000 fastest-route matrix between
// random points of the extract's area, on 2 workers:
// go test -run '^$' -bench DelawareMatrix -benchtime 3x ./geo/roads
func BenchmarkDelawareMatrix(b *testing.B) {
	path := roadstest.Delaware(b)
	g, _, err := Load(context.Background(), path, &LoadOptions{CacheDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	a := g.Info.Area()
	points := func(n int) ([]string, []orb.Point) {
		ids, pts := make([]string, n), make([]orb.Point, n)
		for i := range pts {
			ids[i] = fmt.Sprint(i)
			pts[i] = orb.Point{a.MinLon + r.Float64()*(a.MaxLon-a.MinLon), a.MinLat + r.Float64()*(a.MaxLat-a.MinLat)}
		}
		return ids, pts
	}
	opt := &PlaceOptions{MaxUnplacedShare: 1} // random points may fall in the sea
	fi, fp := points(150)
	ti, tp := points(1000)
	pf, err := g.Place(fi, fp, opt)
	if err != nil {
		b.Fatal(err)
	}
	pt, err := g.Place(ti, tp, opt)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := g.Matrix(context.Background(), pf.Snaps, pt.Snaps, &MatrixOptions{Workers: 2}); err != nil {
			b.Fatal(err)
		}
	}
}
