package webmap

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// provinceMap is a province-sized map: 40,000 hexagons (Guangdong, 180,000
// km², is about 35,000 H3 resolution-7 cells), 3,000 outlets, 60 routes and
// the 31 province outlines.
func provinceMap(t testing.TB) *Map {
	return &Map{
		Title: "province size check",
		Base:  provinces(t),
		Layers: []Layer{
			{Name: "Density", Features: hexLayer(40000, 109.7, 20.2), Visible: true, ColorBy: "tonnes"},
			{Name: "Outlets", Features: pointLayer(3000, 110, 21), Visible: true},
			{Name: "Routes", Features: lineLayer(60, 113.3, 23.1)},
		},
	}
}

// TestProvinceMapUnder8MB checks the size budget with every property kept
// (no Slim): the packed encoding alone must keep a province under 8 MB.
func TestProvinceMapUnder8MB(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 40,000-hexagon page")
	}
	m := provinceMap(t)
	var b bytes.Buffer
	start := time.Now()
	if err := Write(&b, m); err != nil {
		t.Fatal(err)
	}
	in := 0
	for _, l := range m.Layers {
		in += len(l.Features)
	}
	t.Logf("province map: %d bytes of GeoJSON in, %d bytes of HTML out, written in %v", in, b.Len(), time.Since(start).Round(time.Millisecond))
	if b.Len() >= 8<<20 {
		t.Errorf("province map is %d bytes, want < 8 MiB", b.Len())
	}
}

// BenchmarkWriteNational writes a 100,000-hexagon layer over the provinces
// and reports the page size:
//
//	go test -run '^$' -bench WriteNational -benchtime 3x ./geo/webmap/
//
// With RLPLAN_WEBMAP_PAGE=/path/map.html it also saves the page, to open in
// a browser (TestNationalInBrowser does that headless).
func BenchmarkWriteNational(b *testing.B) {
	for _, c := range []struct {
		name string
		slim bool
	}{{"all-properties", false}, {"slim", true}} {
		b.Run(c.name, func(b *testing.B) {
			m := nationalMap(b, c.slim)
			var buf bytes.Buffer
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				buf.Reset()
				if err := Write(&buf, m); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len())/1e6, "MB/page")
			b.ReportMetric(float64(len(m.Layers[0].Features))/1e6, "MB-GeoJSON-in")
			if p := os.Getenv("RLPLAN_WEBMAP_PAGE"); p != "" && c.slim {
				if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// nationalMap is 100,000 hexagons; slim keeps only cell and tonnes.
func nationalMap(t testing.TB, slim bool) *Map {
	l := Layer{Name: "Density", Features: hexLayer(100000, 100, 25), Visible: true, ColorBy: "tonnes", PopupFields: []string{"cell", "tonnes"}}
	if slim {
		var err error
		if l, err = Slim(l, 5); err != nil {
			t.Fatal(err)
		}
	}
	return &Map{Title: "national size check", Base: provinces(t), Layers: []Layer{l}}
}
