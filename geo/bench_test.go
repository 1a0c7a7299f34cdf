package geo

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/uber/h3-go/v4"
)

// Run with:
//
//	go test -run '^$' -bench . -benchmem ./geo
//
// BenchmarkIndexBuild10k and BenchmarkNearest100kOver10k give the cost of
// the outlet index at China scale (about 10,000 registered outlets).

func BenchmarkIndexBuild10k(b *testing.B) {
	pts := testRegions[0].points(rand.New(rand.NewPCG(1, 1)), 10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewPointIndex(pts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNearest100kOver10k times one batch of 100,000 Nearest queries;
// ns/op is per batch, and the per-query figure is reported as ns/query.
func BenchmarkNearest100kOver10k(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	pts := testRegions[0].points(rng, 10000)
	qs := testRegions[0].points(rng, 100000)
	ix, err := NewPointIndex(pts)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range qs {
			if _, _, ok := ix.Nearest(q); !ok {
				b.Fatal("no nearest")
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(qs)), "ns/query")
}

func BenchmarkKNearest10Over10k(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 3))
	ix, err := NewPointIndex(testRegions[0].points(rng, 10000))
	if err != nil {
		b.Fatal(err)
	}
	qs := testRegions[0].points(rng, 1024)
	var buf []Neighbor
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		buf = ix.KNearest(buf, qs[i%len(qs)], 10)
		i++
	}
}

func BenchmarkMatrix1000(b *testing.B) {
	pts := testRegions[0].points(rand.New(rand.NewPCG(4, 4)), 1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Matrix(pts, Detour{}, 60); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCellPolygon times one cell boundary at resolution 7 (the
// density-grid resolution) over a fixed set of 4,096 cells around China.
func BenchmarkCellPolygon(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 5))
	cells := make([]h3.Cell, 4096)
	for i := range cells {
		c, err := Cell(testRegions[0].point(rng), 7)
		if err != nil {
			b.Fatal(err)
		}
		cells[i] = c
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := CellPolygon(cells[i%len(cells)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkCellsToMultiPolygonDisk10(b *testing.B) {
	c, _ := Cell(orb.Point{116.4, 39.9}, 7)
	disk, _ := Disk(c, 10) // 331 cells
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CellsToMultiPolygon(disk); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteHexLayer10k writes a density layer of 10,000 resolution-7
// hexagons with three properties each (one op = the whole collection).
func BenchmarkWriteHexLayer10k(b *testing.B) {
	c, _ := Cell(orb.Point{116.4, 39.9}, 7)
	disk, _ := Disk(c, 57) // 9,919 cells
	fc := geojson.NewFeatureCollection()
	for i, d := range disk {
		poly, err := CellPolygon(d)
		if err != nil {
			b.Fatal(err)
		}
		f := geojson.NewFeature(poly)
		f.Properties["h3"] = d.String()
		f.Properties["packs"] = float64(i) / 7
		f.Properties["province"] = "Beijing"
		fc.Append(f)
	}
	var n int64
	b.ReportAllocs()
	for b.Loop() {
		cw := &countWriter{}
		if err := WriteFeatureCollection(cw, fc); err != nil {
			b.Fatal(err)
		}
		n = cw.n
	}
	b.ReportMetric(float64(n), "bytes/layer")
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }
