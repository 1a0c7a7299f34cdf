package webmap

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"strconv"
	"testing"
)

// Synthetic layers with known feature counts, shaped like the planner's
// exports: H3-like hexagons with full float64 coordinates and a handful of
// properties, outlet points, and routes.

// hexLayer returns n pointy hexagons on a grid starting at (lon0, lat0),
// edge about 1.2 km (H3 resolution 7), each with properties cell, tonnes,
// packs and year. tonnes spans three orders of magnitude.
func hexLayer(n int, lon0, lat0 float64) []byte {
	return hexGrid(n, lon0, lat0, 0.011) // about the circumradius of a res-7 cell
}

// hexGrid is hexLayer with circumradius r degrees: n cells in a square
// patch of side about sqrt(n)·r·1.7.
func hexGrid(n int, lon0, lat0, r float64) []byte {
	cols := int(math.Ceil(math.Sqrt(float64(n))))
	dx := r * math.Sqrt(3)
	dy := r * 1.5
	var b bytes.Buffer
	b.Grow(n * 330)
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := 0; i < n; i++ {
		row, col := i/cols, i%cols
		cx := lon0 + float64(col)*dx + float64(row%2)*dx/2
		cy := lat0 + float64(row)*dy
		if i > 0 {
			b.WriteByte(',')
		}
		tonnes := math.Exp(float64((i*7919)%1000)/1000*math.Log(2000)) * 0.05
		fmt.Fprintf(&b, `{"type":"Feature","properties":{"cell":"87%013x","tonnes":%s,"packs":%d,"year":2030},"geometry":{"type":"Polygon","coordinates":[[`,
			0x4a1072000000+i, strconv.FormatFloat(tonnes, 'g', -1, 64), int(tonnes*4))
		for k := 0; k <= 6; k++ {
			a := math.Pi/6 + float64(k%6)*math.Pi/3
			// cos(lat) stretch keeps the cells roughly regular on the ground.
			x := cx + r*math.Cos(a)/math.Cos(cy*math.Pi/180)
			y := cy + r*math.Sin(a)
			if k > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "[%s,%s]", strconv.FormatFloat(x, 'g', -1, 64), strconv.FormatFloat(y, 'g', -1, 64))
		}
		b.WriteString("]]}}")
	}
	b.WriteString("]}")
	return b.Bytes()
}

// pointLayer returns n outlet points spread over [lon0, lon0+2] x [lat0, lat0+2].
func pointLayer(n int, lon0, lat0 float64) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		// A multiplicative hash scatters the points without math/rand.
		h := uint32(i+1) * 2654435761
		x := lon0 + float64(h%2003)/1001
		y := lat0 + float64((h>>11)%1999)/999
		kind, capT := "collection", 5
		if i%5 == 0 {
			kind, capT = "centralized", 30
		}
		fmt.Fprintf(&b, `{"type":"Feature","id":%d,"properties":{"name":"outlet %d","type":%q,"capacity_t":%d},"geometry":{"type":"Point","coordinates":[%g,%g]}}`,
			i, i, kind, capT, x, y)
	}
	b.WriteString("]}")
	return b.Bytes()
}

// lineLayer returns n three-stop routes fanning out from (lon0, lat0).
func lineLayer(n int, lon0, lat0 float64) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		a := float64(i) * 2 * math.Pi / float64(n)
		fmt.Fprintf(&b, `{"type":"Feature","properties":{"vehicle":"V%02d","km":%d},"geometry":{"type":"LineString","coordinates":[[%g,%g],[%g,%g],[%g,%g]]}}`,
			i, 40+i*7, lon0, lat0, lon0+0.6*math.Cos(a), lat0+0.6*math.Sin(a), lon0+1.1*math.Cos(a+0.3), lat0+1.1*math.Sin(a+0.3))
	}
	b.WriteString("]}")
	return b.Bytes()
}

// provinces reads the shared Natural Earth province file when present;
// tests that need it skip otherwise.
func provinces(t testing.TB) []byte {
	t.Helper()
	const path = "/work/shared/data/china_provinces_ne50m.geojson"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("province base map not available (%v); it is only used as a realistic base layer", err)
	}
	return b
}

// testMap is a province-scale map: 2,000 hexes around Guangzhou, 300
// outlets, 12 routes, over the given base.
func testMap(base []byte) *Map {
	return &Map{
		Title:    "Guangdong — retired packs 2030 <test>",
		Base:     base,
		BaseName: "Provinces",
		Layers: []Layer{
			{Name: "Density (t/yr)", Features: hexLayer(2000, 112.9, 22.6), Visible: true, ColorBy: "tonnes", PopupFields: []string{"cell", "tonnes", "packs"}},
			{Name: "Outlets", Features: pointLayer(300, 112.6, 22.4), Visible: true, Color: "#1f77b4"},
			{Name: "Routes", Features: lineLayer(12, 113.3, 23.1), Visible: false, Color: "#d62728"},
		},
		Notes: []string{
			"Boundaries: Natural Earth (public domain); de-facto boundaries, not the official standard map (审图号) — internal analysis only.",
			"Cities: World Cities Database by SimpleMaps.com (https://simplemaps.com/data/world-cities), CC BY 4.0.",
		},
	}
}

// scatter returns n points over [lon0, lon0+w] x [lat0, lat0+h] with
// properties id, kind (cycling through kinds) and week_t (0.1 to 5.0 t).
func scatter(n int, lon0, lat0, w, h float64, kinds []string) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		hx := uint32(i+1) * 2654435761
		hy := uint32(i+7) * 40503
		x := lon0 + w*float64(hx%10007)/10007
		y := lat0 + h*float64((hy*2246822519)%9973)/9973
		fmt.Fprintf(&b, `{"type":"Feature","properties":{"id":"P%05d","kind":%q,"week_t":%g},"geometry":{"type":"Point","coordinates":[%.5f,%.5f]}}`,
			i, kinds[i%len(kinds)], float64(1+i%50)/10, x, y)
	}
	b.WriteString("]}")
	return b.Bytes()
}
