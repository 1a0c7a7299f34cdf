package geo

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// FuzzNormalizeStar checks the antimeridian cut on valid, often concave
// polygons (with or without a hole) anywhere on the globe: the pieces are
// RFC 7946 shaped, cover the same area and the same sample points, and
// Normalize is idempotent. Run longer with
//
//	go test -run '^$' -fuzz FuzzNormalizeStar -fuzztime 60s ./geo
func FuzzNormalizeStar(f *testing.F) {
	f.Add(uint64(1), 179.0, 0.0, 5.0, uint8(12), true)
	f.Add(uint64(2), -179.5, 60.0, 1.0, uint8(40), false)
	f.Add(uint64(3), 180.0, -30.0, 20.0, uint8(5), true)
	f.Fuzz(func(t *testing.T, seed uint64, cx, cy, radius float64, n uint8, hole bool) {
		if !finite(cx) || !finite(cy) || !finite(radius) {
			return
		}
		cx = math.Mod(cx, 360)
		cy = math.Max(-70, math.Min(70, cy))
		radius = math.Max(0.001, math.Min(19, math.Abs(radius)))
		rng := rand.New(rand.NewPCG(seed, seed))
		p := starPolygon(rng, orb.Point{cx, cy}, radius, 3+int(n%60), hole)
		checkSplit(t, p, rng)
	})
}

// FuzzWriteArbitraryRing feeds arbitrary coordinates (NaN, Inf, huge,
// self-intersecting) through the writer: it must never panic, and either
// report an error or write GeoJSON that orb decodes, with closed, correctly
// wound rings inside [-180, 180], that re-encodes to the same bytes.
//
//	go test -run '^$' -fuzz FuzzWriteArbitraryRing -fuzztime 60s ./geo
func FuzzWriteArbitraryRing(f *testing.F) {
	enc := func(vals ...float64) []byte {
		b := make([]byte, 8*len(vals))
		for i, v := range vals {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
		}
		return b
	}
	f.Add(enc(170, -10, -170, -10, -170, 10, 170, 10), false)
	f.Add(enc(0, 0, 10, 10, 10, 0, 0, 10), true) // a bow tie
	f.Add(enc(179, 80, -179, 80, 0, 85, math.NaN(), 1), false)
	f.Fuzz(func(t *testing.T, data []byte, line bool) {
		var pts []orb.Point
		for len(data) >= 16 && len(pts) < 64 {
			x := math.Float64frombits(binary.LittleEndian.Uint64(data))
			y := math.Float64frombits(binary.LittleEndian.Uint64(data[8:]))
			pts = append(pts, orb.Point{x, y})
			data = data[16:]
		}
		for _, p := range pts {
			if finite(p[0]) && math.Abs(p[0]) > 1e6 {
				return // far beyond any longitude; unwrapping loses precision
			}
		}
		var g orb.Geometry = orb.Polygon{orb.Ring(pts)}
		if line {
			g = orb.LineString(pts)
		}
		fc := geojson.NewFeatureCollection().Append(geojson.NewFeature(g))
		var out bytes.Buffer
		if err := WriteFeatureCollection(&out, fc); err != nil {
			return
		}
		back, err := geojson.UnmarshalFeatureCollection(out.Bytes())
		if err != nil {
			t.Fatalf("orb cannot decode %s: %v", out.Bytes(), err)
		}
		var again bytes.Buffer
		if err := WriteFeatureCollection(&again, back); err != nil || !bytes.Equal(again.Bytes(), out.Bytes()) {
			t.Fatalf("re-encoding is not identical (err %v):\n%s\n%s", err, out.Bytes(), again.Bytes())
		}
		if line {
			return
		}
		switch g := back.Features[0].Geometry.(type) {
		case orb.Polygon, orb.MultiPolygon:
			checkRFC(t, g)
		default:
			t.Fatalf("polygon came back as %T", g)
		}
	})
}
