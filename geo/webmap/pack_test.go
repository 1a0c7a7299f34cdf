package webmap

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// unpackGo mirrors unpack() in assets/rlplan.js, so that Go tests can read
// back what the page receives.
func unpackGo(t *testing.T, b []byte) any {
	t.Helper()
	var p struct {
		Packed int
		Scale  float64
		Keys   []string
		Props  []json.RawMessage
		Geom   []json.RawMessage
		IDs    []json.RawMessage `json:"ids"`
	}
	if err := json.Unmarshal(b, &p); err != nil || p.Packed != 2 || len(p.Props) != len(p.Geom) || p.IDs != nil && len(p.IDs) != len(p.Geom) {
		t.Fatalf("packed data: %v (version %d, %d props, %d geometries, %d ids)", err, p.Packed, len(p.Props), len(p.Geom), len(p.IDs))
	}
	var cx, cy int64 // first position of the previous run (format 2)
	run := func(raw json.RawMessage, ring bool) []any {
		var a []int64
		if err := json.Unmarshal(raw, &a); err != nil || len(a)%2 != 0 {
			t.Fatalf("run %s: %v", raw, err)
		}
		out := []any{}
		x, y := cx, cy
		for j := 0; j < len(a); j += 2 {
			x += a[j]
			y += a[j+1]
			if j == 0 {
				cx, cy = x, y
			}
			out = append(out, []any{float64(x) / p.Scale, float64(y) / p.Scale})
		}
		if ring && len(out) > 0 {
			out = append(out, out[0])
		}
		return out
	}
	runs := func(parts []json.RawMessage, ring bool) []any {
		out := []any{}
		for _, r := range parts {
			out = append(out, run(r, ring))
		}
		return out
	}
	types := []string{"", "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon"}
	var feats []any
	for i := range p.Geom {
		f := map[string]any{"type": "Feature"}
		var row []json.RawMessage
		if json.Unmarshal(p.Props[i], &row) == nil && row != nil {
			props := map[string]any{}
			for k, key := range p.Keys {
				props[key] = decode(t, "prop", row[k])
			}
			f["properties"] = props
		} else {
			f["properties"] = decode(t, "props", p.Props[i])
		}
		var g []json.RawMessage
		if err := json.Unmarshal(p.Geom[i], &g); err != nil || g == nil {
			f["geometry"] = decode(t, "geometry object", p.Geom[i]) // null or GeometryCollection
		} else {
			var c int
			json.Unmarshal(g[0], &c)
			var coords any
			switch c {
			case 1:
				var x, y int64
				json.Unmarshal(g[1], &x)
				json.Unmarshal(g[2], &y)
				cx, cy = cx+x, cy+y
				coords = []any{float64(cx) / p.Scale, float64(cy) / p.Scale}
			case 2, 4:
				coords = run(g[1], false)
			case 3, 5:
				coords = runs(g[1:], c == 3)
			case 6:
				ps := []any{}
				for _, poly := range g[1:] {
					var parts []json.RawMessage
					json.Unmarshal(poly, &parts)
					ps = append(ps, runs(parts, true))
				}
				coords = ps
			default:
				t.Fatalf("geometry code %d", c)
			}
			f["geometry"] = map[string]any{"type": types[c], "coordinates": coords}
		}
		if p.IDs != nil && string(p.IDs[i]) != "null" {
			f["id"] = decode(t, "id", p.IDs[i])
		}
		feats = append(feats, f)
	}
	if feats == nil {
		feats = []any{}
	}
	// Round-trip through JSON so numbers and containers compare like decode's.
	out, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
	return decode(t, "unpacked", out)
}

// packed is what Write embeds for fc with the given decimals.
func packed(t *testing.T, fc []byte, decimals int) []byte {
	t.Helper()
	c, err := parseFC(fc)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := pack(&b, c, float64(pow10(decimals)), nil, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pow10(n int) int64 {
	p := int64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

// allGeometries has every geometry type, ids, odd property sets, an
// altitude, an empty polygon and a null geometry.
var allGeometries = []byte(`{"type":"FeatureCollection","features":[
	 {"type":"Feature","id":7,"properties":{"a":1,"b":"x"},"geometry":{"type":"Point","coordinates":[116.123456789,-39.987654321,12.5]}},
	 {"type":"Feature","properties":{"b":"y","a":2},"geometry":{"type":"LineString","coordinates":[[0,0],[0.000004,-0.000006],[-179.999999,89.5]]}},
	 {"type":"Feature","id":"p","properties":{"a":3,"b":"</script>"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0.2,0.2],[0.4,0.2],[0.4,0.4],[0.2,0.2]]]}},
	 {"type":"Feature","properties":null,"geometry":{"type":"MultiPoint","coordinates":[[1,2],[3,4]]}},
	 {"type":"Feature","properties":{},"geometry":{"type":"MultiLineString","coordinates":[[[1,2],[3,4]],[[5,6],[7,8]]]}},
	 {"type":"Feature","properties":{"a":4},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]],[[5.2,5.2],[5.4,5.2],[5.4,5.4],[5.2,5.2]]]]}},
	 {"type":"Feature","properties":{"a":5,"b":null},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1.0000049,2]}]}},
	 {"type":"Feature","properties":{"a":6,"b":"z"},"geometry":{"type":"Polygon","coordinates":[]}},
	 {"type":"Feature","properties":{"a":7,"b":"w"},"geometry":null}]}`)

// Packing is lossless apart from rounding: unpacking gives exactly what
// LimitPrecision gives, for every geometry type, ids, odd property sets.
func TestPackRoundTrip(t *testing.T) {
	all := allGeometries
	for _, tc := range []struct {
		name string
		fc   []byte
		dec  int
	}{
		{"all geometry types", all, 5},
		{"all geometry types, 3 decimals", all, 3},
		{"hexagons", hexLayer(300, 112, 22), 5},
		{"points", pointLayer(200, 100, 30), 4},
		{"lines", lineLayer(9, 113, 23), 6},
		{"empty", []byte(`{"type":"FeatureCollection","features":[]}`), 5},
	} {
		want, err := LimitPrecision(tc.fc, tc.dec)
		if err != nil {
			t.Fatal(err)
		}
		// LimitPrecision keeps altitudes; the page drops them.
		want = bytes.Replace(want, []byte("[116.12346,-39.98765,12.5]"), []byte("[116.12346,-39.98765]"), 1)
		want = bytes.Replace(want, []byte("[116.123,-39.988,12.5]"), []byte("[116.123,-39.988]"), 1)
		got := unpackGo(t, packed(t, tc.fc, tc.dec))
		if w := decode(t, "want", want); !reflect.DeepEqual(got, w) {
			g, _ := json.Marshal(got)
			t.Errorf("%s: unpacked differs from LimitPrecision(%d):\n got %.600s\nwant %.600s", tc.name, tc.dec, g, want)
		}
	}
}

func TestPackRejects(t *testing.T) {
	for _, c := range []struct{ fc, want string }{
		{`{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":{"type":"Circle","coordinates":[1,2]}}]}`, `feature 0: geometry: type "Circle"`},
		{`{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":{"type":"Point","coordinates":[1]}}]}`, "Point with 1 numbers"},
		{`{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":{"type":"Polygon","coordinates":[[[1,2],[3]]]}}]}`, "position 1 has 1 numbers"},
		{`{"type":"FeatureCollection","features":[{"type":"Feature","properties":[1],"geometry":null}]}`, "feature 0: properties: found ["},
	} {
		var b bytes.Buffer
		err := Write(&b, &Map{Layers: []Layer{{Name: "x", Features: []byte(c.fc)}}})
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(c.want)) {
			t.Errorf("error %v, want it to contain %q", err, c.want)
		}
	}
}

// The packed form is what makes a province fit: check the ratio on hexagons.
func TestPackIsSmallerThanGeoJSON(t *testing.T) {
	fc := hexLayer(2000, 112, 22)
	lp, _ := LimitPrecision(fc, 5)
	pk := packed(t, fc, 5)
	if len(pk)*2 > len(lp) {
		t.Errorf("packed %d bytes vs %d GeoJSON bytes at 5 decimals; want less than half", len(pk), len(lp))
	}
	t.Logf("2000 hexagons: GeoJSON %d B, 5 decimals %d B, packed %d B (%.0f B/cell)", len(fc), len(lp), len(pk), float64(len(pk))/2000)
}
