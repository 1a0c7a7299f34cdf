package webmap_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/rlplan/rlplan/geo/webmap"
)

// A map with one choropleth layer of two cells and one outlet layer. The
// page holds a config element and one data element per layer.
func ExampleWrite() {
	cells := []byte(`{"type":"FeatureCollection","features":[
	 {"type":"Feature","properties":{"cell":"874a10720ffffff","tonnes":12.5},"geometry":{"type":"Polygon","coordinates":[[[113.25,23.12],[113.26,23.12],[113.26,23.13],[113.25,23.12]]]}},
	 {"type":"Feature","properties":{"cell":"874a10721ffffff","tonnes":3},"geometry":{"type":"Polygon","coordinates":[[[113.27,23.12],[113.28,23.12],[113.28,23.13],[113.27,23.12]]]}}]}`)
	outlets := []byte(`{"type":"FeatureCollection","features":[
	 {"type":"Feature","properties":{"name":"Guangzhou outlet 1"},"geometry":{"type":"Point","coordinates":[113.264,23.129]}}]}`)
	var page bytes.Buffer
	err := webmap.Write(&page, &webmap.Map{
		Title: "Guangzhou 2030",
		Layers: []webmap.Layer{
			{Name: "Retired packs", Features: cells, Visible: true, ColorBy: "tonnes", Legend: "t/yr", PopupFields: []string{"cell", "tonnes"}},
			{Name: "Outlets", Features: outlets, Visible: true},
		},
		Notes: []string{"Synthetic example data."},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Count(page.Bytes(), []byte(`<script type="application/json"`)), "data elements")
	fmt.Println(bytes.Contains(page.Bytes(), []byte("http://tile")), "tile server")
	// Output:
	// 3 data elements
	// false tile server
}

// Class breaks for a skewed quantity: quantiles put equal counts in each
// class, log breaks equal ratios.
func ExampleQuantileBreaks() {
	tonnes := []float64{0.2, 0.5, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55}
	fmt.Println(webmap.QuantileBreaks(tonnes, 4))
	fmt.Println(webmap.LogBreaks(tonnes, 4))
	// Output:
	// [1 5 21]
	// [0.814 3.32 13.5]
}

// Rounding coordinates for display keeps properties untouched.
func ExampleLimitPrecision() {
	fc := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"t":0.123456789},"geometry":{"type":"Point","coordinates":[113.264385123,23.129112456]}}]}`)
	out, err := webmap.LimitPrecision(fc, 5)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(out))
	// Output:
	// {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"t":0.123456789},"geometry":{"type":"Point","coordinates":[113.26439,23.12911]}}]}
}
