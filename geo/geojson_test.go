package geo

import (
	"bytes"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/rlplan/rlplan/internal/atomicfile"
)

func writeString(t *testing.T, fc *geojson.FeatureCollection) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteFeatureCollection(&b, fc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWriteFeatureCollectionExact(t *testing.T) {
	fc := geojson.NewFeatureCollection()
	f := geojson.NewFeature(orb.Point{116.40741234567, 39.9042})
	f.ID = "outlet-1"
	f.Properties["name"] = "A<&>"
	f.Properties["kg"] = 1500
	f.Properties["b"] = map[string]any{"z": 1, "a": []int{1, 2}}
	fc.Append(f)
	// Clockwise square with the closing point missing.
	g := geojson.NewFeature(orb.Polygon{{{0, 0}, {0, 1e-7}, {1, 1}, {1, 0}}})
	fc.Append(g)
	fc.ExtraMembers = geojson.Properties{"name": "layer", "type": "ignored"}
	got := writeString(t, fc)
	want := `{"type":"FeatureCollection","name":"layer","features":[
{"type":"Feature","id":"outlet-1","geometry":{"type":"Point","coordinates":[116.407412,39.9042]},"properties":{"b":{"a":[1,2],"z":1},"kg":1500,"name":"A\u003c\u0026\u003e"}},
{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},"properties":{}}
]}
`
	if got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

func TestWriteFeatureCollectionDeterministic(t *testing.T) {
	fc := geojson.NewFeatureCollection()
	for i := 0; i < 50; i++ {
		f := geojson.NewFeature(orb.Point{float64(i), float64(i) / 3})
		for k := 0; k < 20; k++ {
			f.Properties[string(rune('a'+k))] = map[string]any{"x": k, "y": float64(i) / 7, "n": string(rune('z' - k))}
		}
		fc.Append(f)
	}
	first := writeString(t, fc)
	for rep := 0; rep < 20; rep++ {
		if got := writeString(t, fc); got != first {
			t.Fatalf("run %d differs from the first run; want byte-identical output", rep)
		}
	}
}

func TestWriteFeatureCollectionRoundTrip(t *testing.T) {
	fc := geojson.NewFeatureCollection()
	geoms := []orb.Geometry{
		orb.Point{121.4737, 31.2304},
		orb.MultiPoint{{1, 2}, {190, 3}},
		orb.LineString{{116, 40}, {117.5, 39.25}, {118, 39}},
		orb.Polygon{
			{{110, 30}, {112, 30}, {112, 32}, {110, 32}, {110, 30}},
			{{110.5, 30.5}, {111.5, 30.5}, {111.5, 31.5}, {110.5, 31.5}, {110.5, 30.5}},
		},
		orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, {{{5, 5}, {6, 5}, {6, 6}, {5, 5}}}},
		orb.Collection{orb.Point{1, 1}, orb.LineString{{0, 0}, {1, 1}}},
		nil,
	}
	for i, g := range geoms {
		f := geojson.NewFeature(g)
		f.ID = i
		f.Properties["i"] = i
		f.Properties["tonnes"] = 12.5
		fc.Append(f)
	}
	out := writeString(t, fc)
	back, err := geojson.UnmarshalFeatureCollection([]byte(out))
	if err != nil {
		t.Fatalf("orb cannot decode our output: %v\n%s", err, out)
	}
	if len(back.Features) != len(geoms) {
		t.Fatalf("decoded %d features, want %d", len(back.Features), len(geoms))
	}
	for i, g := range geoms {
		want, err := Normalize(g)
		if err != nil {
			t.Fatal(err)
		}
		bf := back.Features[i]
		if want == nil {
			if bf.Geometry != nil {
				t.Errorf("feature %d: decoded geometry %v, want null", i, bf.Geometry)
			}
			continue
		}
		if !orb.Equal(bf.Geometry, want) {
			t.Errorf("feature %d: decoded %#v, want %#v", i, bf.Geometry, want)
		}
		if bf.Properties["i"] != float64(i) || bf.Properties["tonnes"] != 12.5 || bf.ID != float64(i) {
			t.Errorf("feature %d: decoded id %v properties %v, want id %d, i=%d, tonnes=12.5", i, bf.ID, bf.Properties, i, i)
		}
		// Encoding the decoded collection again gives the same bytes.
	}
	if again := writeString(t, back); again != out {
		t.Errorf("re-encoding the decoded collection changed the output:\n%s\nvs\n%s", again, out)
	}
}

func TestNormalizeWindingAndRounding(t *testing.T) {
	cases := []struct {
		name string
		in   orb.Geometry
		want orb.Geometry
	}{
		{"clockwise exterior, counter-clockwise hole", orb.Polygon{
			{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}},
			{{2, 2}, {4, 2}, {4, 4}, {2, 4}, {2, 2}},
		}, orb.Polygon{
			{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
			{{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}},
		}},
		{"open ring closed", orb.Ring{{0, 0}, {1, 0}, {1, 1}}, orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}},
		{"rounding, -0 and tiny values", orb.LineString{{116.1234564999, -0.0000001}, {-16.1234565001, 1e-7}},
			orb.LineString{{116.123456, 0}, {-16.123457, 0}}},
		{"point longitude wrapped", orb.Point{190, 10}, orb.Point{-170, 10}},
		{"point at 180 kept", orb.Point{180, 10}, orb.Point{180, 10}},
		{"bound to polygon", orb.Bound{Min: orb.Point{1, 2}, Max: orb.Point{3, 4}},
			orb.Polygon{{{1, 2}, {3, 2}, {3, 4}, {1, 4}, {1, 2}}}},
		{"duplicate positions dropped", orb.Polygon{{{0, 0}, {1, 0}, {1, 0.0000001}, {1, 1}, {0, 0}}},
			orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}},
	}
	for _, c := range cases {
		got, err := Normalize(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !orb.Equal(got, c.want) {
			t.Errorf("%s: Normalize = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestNormalizeRejects(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name string
		in   orb.Geometry
		want string
	}{
		{"NaN point", orb.Point{nan, 0}, "finite"},
		{"Inf in a line", orb.LineString{{0, 0}, {inf, 1}}, "position 1"},
		{"latitude 91", orb.Point{0, 91}, "latitude in [-90, 90]"},
		{"one-position line", orb.LineString{{0, 0}}, "at least 2"},
		{"two-point ring", orb.Polygon{{{0, 0}, {1, 1}, {0, 0}}}, "distinct positions"},
		{"NaN in a hole", orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}, {{0.1, 0.1}, {nan, 0.2}, {0.2, 0.2}}}, "ring 1"},
		{"empty polygon", orb.Polygon{}, "no rings"},
	}
	for _, c := range cases {
		_, err := Normalize(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	// NaN or Inf in properties, bbox or a bad id: an error, nothing invalid written.
	bad := []func(f *geojson.Feature){
		func(f *geojson.Feature) { f.Properties["x"] = nan },
		func(f *geojson.Feature) { f.Properties["x"] = map[string]any{"y": inf} },
		func(f *geojson.Feature) { f.BBox = geojson.BBox{0, 0, nan, 1} },
		func(f *geojson.Feature) { f.ID = []int{1} },
		func(f *geojson.Feature) { f.Geometry = orb.Point{0, nan} },
	}
	for i, mut := range bad {
		f := geojson.NewFeature(orb.Point{1, 1})
		mut(f)
		fc := geojson.NewFeatureCollection().Append(f)
		var b bytes.Buffer
		err := WriteFeatureCollection(&b, fc)
		if err == nil {
			t.Errorf("case %d: no error, want one", i)
		}
		if strings.Contains(b.String(), "NaN") || strings.Contains(b.String(), "Inf") {
			t.Errorf("case %d: output contains NaN or Inf: %s", i, b.String())
		}
	}
}

// checkRFC asserts the RFC 7946 shape of a normalized (multi)polygon and
// returns its pieces.
func checkRFC(t *testing.T, g orb.Geometry) []orb.Polygon {
	t.Helper()
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	default:
		t.Fatalf("normalized polygon is a %T", g)
	}
	for i, p := range polys {
		for j, r := range p {
			if err := checkRing(r, "ring"); err != nil {
				t.Errorf("piece %d ring %d: %v", i, j, err)
			}
			if a := ringArea(r); (a > 0) != (j == 0) {
				t.Errorf("piece %d ring %d: signed area %g, want exterior CCW and holes CW", i, j, a)
			}
			for _, q := range r {
				if q[0] < -180 || q[0] > 180 {
					t.Errorf("piece %d ring %d: longitude %v outside [-180, 180]", i, j, q[0])
				}
			}
			for k := 1; k < len(r); k++ {
				if math.Abs(r[k][0]-r[k-1][0]) > 180 {
					t.Errorf("piece %d ring %d: edge %v-%v crosses the antimeridian", i, j, r[k-1], r[k])
				}
			}
		}
	}
	return polys
}

func polysArea(ps []orb.Polygon) float64 {
	var a float64
	for _, p := range ps {
		for _, r := range p {
			a += ringArea(r)
		}
	}
	return a
}

func TestAntimeridianPolygon(t *testing.T) {
	// A square from 170°E to 170°W written with the jump, as data usually has it.
	sq := orb.Polygon{{{170, -10}, {-170, -10}, {-170, 10}, {170, 10}, {170, -10}}}
	g, err := Normalize(sq)
	if err != nil {
		t.Fatal(err)
	}
	ps := checkRFC(t, g)
	if len(ps) != 2 {
		t.Fatalf("square across 180°: %d pieces, want 2: %v", len(ps), g)
	}
	want := orb.MultiPolygon{
		{{{180, 10}, {170, 10}, {170, -10}, {180, -10}, {180, 10}}},
		{{{-180, -10}, {-170, -10}, {-170, 10}, {-180, 10}, {-180, -10}}},
	}
	if !orb.Equal(g, want) {
		t.Errorf("square across 180° = %v, want %v", g, want)
	}
	// The same square written with continuous longitudes gives the same result.
	g2, err := Normalize(orb.Polygon{{{170, -10}, {190, -10}, {190, 10}, {170, 10}, {170, -10}}})
	if err != nil || !orb.Equal(g2, want) {
		t.Errorf("square 170..190 = %v (%v), want %v", g2, err, want)
	}

	// A U open to the west across 180°: on the east side two separate arms.
	u := orb.Polygon{{{175, 0}, {185, 0}, {185, 10}, {175, 10}, {175, 7}, {183, 7}, {183, 3}, {175, 3}, {175, 0}}}
	g, err = Normalize(u)
	if err != nil {
		t.Fatal(err)
	}
	ps = checkRFC(t, g)
	if len(ps) != 3 {
		t.Errorf("U across 180°: %d pieces, want 3 (two arms west of 180°, the base east): %v", len(ps), g)
	}
	if a, w := polysArea(ps), ringArea(u[0]); math.Abs(a-w) > 1e-9 {
		t.Errorf("U across 180°: pieces area %g, want %g", a, w)
	}

	// A hole that crosses 180° becomes part of the pieces' boundaries.
	holed := orb.Polygon{
		{{170, -10}, {190, -10}, {190, 10}, {170, 10}, {170, -10}},
		{{178, -2}, {178, 2}, {182, 2}, {182, -2}, {178, -2}},
		{{172, -1}, {172, 1}, {173, 1}, {173, -1}, {172, -1}}, // stays a hole
	}
	g, err = Normalize(holed)
	if err != nil {
		t.Fatal(err)
	}
	ps = checkRFC(t, g)
	holes := 0
	for _, p := range ps {
		holes += len(p) - 1
	}
	if len(ps) != 2 || holes != 1 {
		t.Errorf("holed square across 180°: %d pieces with %d holes, want 2 pieces and the 1 hole that does not cross: %v", len(ps), holes, g)
	}
	if a, w := polysArea(ps), 400.0-16-2; math.Abs(a-w) > 1e-9 {
		t.Errorf("holed square across 180°: area %g, want %g", a, w)
	}
}

func TestAntimeridianLineAndPole(t *testing.T) {
	g, err := Normalize(orb.LineString{{178, 0}, {-178, 4}, {-170, 4}})
	if err != nil {
		t.Fatal(err)
	}
	want := orb.MultiLineString{{{178, 0}, {180, 2}}, {{-180, 2}, {-178, 4}, {-170, 4}}}
	if !orb.Equal(g, want) {
		t.Errorf("line across 180° = %v, want %v", g, want)
	}
	g, err = Normalize(orb.LineString{{-178, 0}, {178, 4}})
	want2 := orb.MultiLineString{{{-178, 0}, {-180, 2}}, {{180, 2}, {178, 4}}}
	if err != nil || !orb.Equal(g, want2) {
		t.Errorf("line across 180° westwards = %v (%v), want %v", g, err, want2)
	}
	// A ring around the north pole becomes a cap closed along latitude 90.
	var cap orb.Ring
	for lon := -180.0; lon < 180; lon += 30 {
		cap = append(cap, orb.Point{lon + 15, 80})
	}
	g, err = Normalize(orb.Polygon{cap})
	if err != nil {
		t.Fatal(err)
	}
	ps := checkRFC(t, g)
	if a := polysArea(ps); math.Abs(a-3600) > 1e-6 {
		t.Errorf("polar cap above 80°N: planar area %g square degrees, want 360 x 10 = 3600: %v", a, g)
	}
}

// starPolygon makes a random star-shaped (often concave) polygon around c,
// with a star-shaped hole when hole is true.
func starPolygon(rng *rand.Rand, c orb.Point, radius float64, n int, hole bool) orb.Polygon {
	ring := func(rmin, rmax float64, ccw bool) orb.Ring {
		r := make(orb.Ring, 0, n+1)
		for i := 0; i < n; i++ {
			a := 2 * math.Pi * float64(i) / float64(n)
			if !ccw {
				a = -a
			}
			d := radius * (rmin + (rmax-rmin)*rng.Float64())
			r = append(r, orb.Point{c[0] + d*math.Cos(a), c[1] + d*math.Sin(a)})
		}
		return append(r, r[0])
	}
	p := orb.Polygon{ring(0.5, 1, true)}
	if hole {
		p = append(p, ring(0.1, 0.45, false))
	}
	return p
}

// checkSplit checks that the normalized pieces of p cover exactly the same
// area and the same sample points as p itself (modulo 360° of longitude).
func checkSplit(t *testing.T, p orb.Polygon, rng *rand.Rand) {
	t.Helper()
	g, err := Normalize(p)
	if err != nil {
		t.Fatalf("Normalize(%v): %v", p, err)
	}
	ps := checkRFC(t, g)
	if again, err := Normalize(g); err != nil || !orb.Equal(again, g) {
		t.Fatalf("Normalize is not idempotent (err %v):\n%v\n%v", err, g, again)
	}
	want := math.Abs(ringArea(p[0]))
	for _, h := range p[1:] {
		want -= math.Abs(ringArea(h))
	}
	// Rounding to 1e-6 moves each edge by up to ~1e-6 degrees.
	var perim float64
	for _, r := range p {
		for k := 1; k < len(r); k++ {
			perim += math.Hypot(r[k][0]-r[k-1][0], r[k][1]-r[k-1][1])
		}
	}
	if got := polysArea(ps); math.Abs(got-want) > perim*2e-6+1e-9 {
		t.Fatalf("pieces area %.9f, want %.9f (polygon %v, pieces %v)", got, want, p, g)
	}
	b := p.Bound()
	for k := 0; k < 200; k++ {
		q := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		in := ringContains(p[0], q)
		for _, h := range p[1:] {
			if ringContains(h, q) {
				in = false
			}
		}
		qs := orb.Point{q[0] - 360*stripOf(q[0]), q[1]}
		got := false
		for _, piece := range ps {
			if polygonContains(piece, qs) {
				got = true
			}
		}
		if got != in && distToPolygon(p, q) > 1e-5 {
			t.Fatalf("sample %v (shifted %v): inside pieces %v, inside polygon %v\npolygon %v\npieces %v", q, qs, got, in, p, g)
		}
	}
}

func polygonContains(p orb.Polygon, q orb.Point) bool {
	if !ringContains(p[0], q) {
		return false
	}
	for _, h := range p[1:] {
		if ringContains(h, q) {
			return false
		}
	}
	return true
}

func distToPolygon(p orb.Polygon, q orb.Point) float64 {
	d := math.Inf(1)
	for _, r := range p {
		for k := 1; k < len(r); k++ {
			d = math.Min(d, segDist(r[k-1], r[k], q))
		}
	}
	// Samples near the cut line are ambiguous only within rounding.
	c := 180 + 360*math.Round((q[0]-180)/360)
	return math.Min(d, math.Abs(q[0]-c))
}

func segDist(a, b, q orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := ((q[0]-a[0])*dx + (q[1]-a[1])*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(q[0]-a[0]-t*dx, q[1]-a[1]-t*dy)
}

func TestAntimeridianRandomPolygons(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 21))
	for k := 0; k < 300; k++ {
		c := orb.Point{170 + 20*rng.Float64(), -60 + 120*rng.Float64()}
		p := starPolygon(rng, c, 1+15*rng.Float64(), 5+rng.IntN(40), k%2 == 0)
		checkSplit(t, p, rng)
	}
}

func TestWriteFileAtomicNoPartialFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "layer.geojson")
	fc := geojson.NewFeatureCollection()
	for i := 0; i < 5000; i++ { // more than the 32 KiB flush threshold
		fc.Append(geojson.NewFeature(orb.Point{100 + float64(i)/100, 30}))
	}
	bad := geojson.NewFeature(orb.Point{100, 30})
	bad.Properties["share"] = math.NaN()
	fc.Append(bad)
	err := atomicfile.WriteFile(path, func(w io.Writer) error { return WriteFeatureCollection(w, fc) })
	if err == nil || !strings.Contains(err.Error(), "feature 5000") {
		t.Errorf("error %v, want one naming feature 5000", err)
	}
	if _, statErr := os.Stat(path); !errors.Is(statErr, os.ErrNotExist) {
		t.Errorf("after a failed write %s exists (stat error %v), want no file", path, statErr)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Errorf("directory holds %d entries, want none", len(es))
	}
}

// A ring that encloses no area (a spike out and back, found by the fuzzer)
// is an error rather than a ring whose winding is rounding noise; the
// smallest ring the 1e-6 degree grid allows, far from (0, 0), is kept and
// wound counter-clockwise.
func TestZeroAreaRing(t *testing.T) {
	spike := orb.Polygon{{{-0.12182904411673756, -0.12401960784313724}, {-0.12401960784313724, -0.12401960784313724},
		{-0.12401960784313724, -2.388530764362601e-35}, {-0.12401960784313724, -0.12401960784313724}, {-0.12182904411673756, -0.12401960784313724}}}
	if _, err := Normalize(spike); err == nil || !strings.Contains(err.Error(), "encloses no area") {
		t.Errorf("spike: err %v, want one saying it encloses no area", err)
	}
	tiny := orb.Polygon{{{179.999998, 89.5}, {179.999998, 89.500001}, {179.999999, 89.500001}, {179.999999, 89.5}, {179.999998, 89.5}}}
	g, err := Normalize(tiny)
	if err != nil {
		t.Fatalf("1e-6 degree square: %v", err)
	}
	var ring orb.Ring
	switch g := g.(type) {
	case orb.Polygon:
		ring = g[0]
	case orb.MultiPolygon:
		ring = g[0][0]
	}
	if a := ringArea(ring); !(a > 0) || math.Abs(a-1e-12) > 1e-14 {
		t.Errorf("1e-6 degree square: area %g, want +1e-12 (counter-clockwise)", a)
	}
}
