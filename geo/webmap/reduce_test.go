package webmap

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestLimitPrecision(t *testing.T) {
	in := []byte(`{"type":"FeatureCollection","name":"x","features":[
	 {"type":"Feature","id":"a","properties":{"v":0.123456789,"s":"[1.234567]"},
	  "geometry":{"type":"LineString","bbox":[116.123456789,-0.0000001,116.2,39.9876549],
	   "coordinates":[[116.123456789, 39.987654321],[-0.000001,1e-7],[116.2,39.9876549]]}},
	 {"type":"Feature","properties":null,"geometry":null},
	 {"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1.000004,2.999996]}]}}]}`)
	got, err := LimitPrecision(in, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"FeatureCollection","features":[` +
		`{"type":"Feature","id":"a","properties":{"v":0.123456789,"s":"[1.234567]"},` +
		`"geometry":{"type":"LineString","bbox":[116.12346,0,116.2,39.98765],"coordinates":[[116.12346,39.98765],[0,0],[116.2,39.98765]]}},` +
		`{"type":"Feature","properties":null,"geometry":null},` +
		`{"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,3]}]}}]}`
	if string(got) != want {
		t.Errorf("LimitPrecision(5):\n got %s\nwant %s", got, want)
	}
	if _, err := LimitPrecision(in, 16); err == nil {
		t.Errorf("decimals 16 accepted")
	}
}

func TestKeepProperties(t *testing.T) {
	in := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1,"b":{"x":[1, 2]},"c":"</script>"},"geometry":null},{"type":"Feature","properties":{"a":2},"geometry":null}]}`)
	got, err := KeepProperties(in, []string{"c", "b", "zz"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"c":"</script>","b":{"x":[1,2]}},"geometry":null},{"type":"Feature","properties":{},"geometry":null}]}`
	if string(got) != want {
		t.Errorf("KeepProperties:\n got %s\nwant %s", got, want)
	}
}

func TestSlimKeepsWhatThePageShows(t *testing.T) {
	l := Layer{Name: "d", Features: hexLayer(50, 113, 23), ColorBy: "tonnes", PopupFields: []string{"cell"}}
	s, err := Slim(l, 4)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any
			Geometry   struct{ Coordinates [][][]float64 }
		}
	}
	if err := json.Unmarshal(s.Features, &fc); err != nil || len(fc.Features) != 50 {
		t.Fatalf("slimmed layer: %v, %d features", err, len(fc.Features))
	}
	for i, f := range fc.Features {
		if len(f.Properties) != 2 || f.Properties["cell"] == nil || f.Properties["tonnes"] == nil {
			t.Fatalf("feature %d properties %v, want exactly cell and tonnes", i, f.Properties)
		}
		for _, p := range f.Geometry.Coordinates[0] {
			for _, x := range p {
				if r := x * 1e4; r != float64(int64(r+0.5*sign(r))) && abs(r-float64(int64(r+0.5*sign(r)))) > 1e-6 {
					t.Fatalf("feature %d coordinate %v has more than 4 decimals", i, x)
				}
			}
		}
	}
	if len(s.Features)*4 > len(l.Features)*3 {
		t.Errorf("Slim(4) kept %d of %d bytes; want less than 3/4", len(s.Features), len(l.Features))
	}
	if !bytes.Equal(l.Features, hexLayer(50, 113, 23)) {
		t.Errorf("Slim modified its input")
	}
}

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

func abs(x float64) float64 { return x * sign(x) }

func TestAggregatePoints(t *testing.T) {
	in := []byte(`{"type":"FeatureCollection","features":[
	 {"type":"Feature","properties":{"t":1.5},"geometry":{"type":"Point","coordinates":[113.05,23.05]}},
	 {"type":"Feature","properties":{"t":2},"geometry":{"type":"Point","coordinates":[113.15,23.25]}},
	 {"type":"Feature","properties":{"t":"n/a"},"geometry":{"type":"Point","coordinates":[113.6,22.9]}},
	 {"type":"Feature","properties":null,"geometry":null},
	 {"type":"Feature","properties":{"t":4},"geometry":{"type":"Point","coordinates":[-0.1,-0.1]}}]}`)
	got, err := AggregatePoints(in, 0.5, []string{"t"})
	if err != nil {
		t.Fatal(err)
	}
	// Cells: (-1,-1) holds the point near 0,0; row 45 (22.5..23) col 227
	// (113.5..114) the n/a point; row 46 col 226 the first two.
	want := `{"type":"FeatureCollection","features":[` +
		`{"type":"Feature","properties":{"count":1,"t":4},"geometry":{"type":"Point","coordinates":[-0.1,-0.1]}},` +
		`{"type":"Feature","properties":{"count":1,"t":0},"geometry":{"type":"Point","coordinates":[113.6,22.9]}},` +
		`{"type":"Feature","properties":{"count":2,"t":3.5},"geometry":{"type":"Point","coordinates":[113.1,23.15]}}]}`
	if string(got) != want {
		t.Errorf("AggregatePoints:\n got %s\nwant %s", got, want)
	}
	if _, err := AggregatePoints(lineLayer(2, 0, 0), 1, nil); err == nil {
		t.Errorf("line features accepted by AggregatePoints")
	}
	if _, err := AggregatePoints(in, 0, nil); err == nil {
		t.Errorf("cell size 0 accepted")
	}
}
