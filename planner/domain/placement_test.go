package domain

import (
	"context"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// square is a province 2° x 2° around (113, 23).
const squareGeoJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"iso_3166_2":"CN-GD"},"geometry":{"type":"Polygon","coordinates":[[[112,22],[114,22],[114,24],[112,24],[112,22]]]}},
{"type":"Feature","properties":{"iso_3166_2":"CN-FJ"},"geometry":{"type":"Polygon","coordinates":[[[114,22],[118,22],[118,26],[114,26],[114,22]]]}}]}`

func TestCheckPlacement(t *testing.T) {
	in := &Inputs{ProvincesGeoJSON: []byte(squareGeoJSON)}
	in.Outlets = []Outlet{
		{ID: "inside", Province: "CN-GD", Point: orb.Point{113, 23}},
		{ID: "null", Province: "CN-GD", Point: orb.Point{0, 0}},
		{ID: "twin", Province: "CN-GD", Point: orb.Point{113, 23}},
		{ID: "neighbour", Province: "CN-GD", Point: orb.Point{116, 23}},     // 2° x 111.32 km x cos 23° = 205 km into CN-FJ
		{ID: "border", Province: "CN-GD", Point: orb.Point{114.1, 23}},      // 10 km into CN-FJ: tolerated
		{ID: "coast", Province: "CN-GD", Point: orb.Point{113, 21.5}},       // 55 km out to sea: tolerated
		{ID: "sea", Province: "CN-GD", Point: orb.Point{113, 20}},           // 2° x 110.57 km = 221 km out to sea
		{ID: "unknown", Province: "CN-XZ", Point: orb.Point{91, 29}},        // no boundary: not checked
		{ID: "fj", Province: "CN-FJ", Point: orb.Point{116, 24}},            // inside
		{ID: "fjtwin", Province: "CN-FJ", Point: orb.Point{116.000001, 24}}, // not the same point
	}
	fs, err := CheckPlacement(context.Background(), in, InputPaths{Outlets: "o.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Msg)
		if f.Input != InputOutlets || f.Province == "" {
			t.Errorf("finding %+v: want input outlets and a province", f)
		}
	}
	want := []string{
		`o.csv: outlet null is at 0,0 ("null island"`,
		"o.csv: outlet twin is at the same point (23, 113) as outlet inside",
		"o.csv: outlet neighbour at 23, 116 is labelled CN-GD but lies 205 km outside it (in CN-FJ)",
		"o.csv: outlet sea at 20, 113 is labelled CN-GD but lies 221 km outside it (outside every province",
	}
	if len(got) != len(want) {
		t.Fatalf("findings:\n%s\nwant %d like:\n%s", strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding %d:\n  %s\nwant it to start\n  %s", i, got[i], want[i])
		}
	}
	// Regions filter the findings; so do the kinds of input.
	gd, _ := ParseRegions(&Inputs{Outlets: in.Outlets}, []string{"CN-FJ"})
	if n := len(FindingsIn(fs, gd)); n != 0 {
		t.Errorf("%d findings kept for CN-FJ, want 0", n)
	}
	if n := len(FindingsIn(fs, Regions{}, InputStock, InputPlaces)); n != 0 {
		t.Errorf("%d findings kept for stock and places, want 0", n)
	}
	if n := len(FindingsIn(fs, Regions{}, InputOutlets)); n != 4 {
		t.Errorf("%d findings kept for outlets, want 4", n)
	}
}

// TestCheckPlacementCancelled: the check observes the context.
func TestCheckPlacementCancelled(t *testing.T) {
	in := &Inputs{ProvincesGeoJSON: []byte(squareGeoJSON)}
	for i := 0; i < 1000; i++ {
		in.Outlets = append(in.Outlets, Outlet{ID: "o", Province: "CN-GD", Point: orb.Point{113, 23}})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CheckPlacement(ctx, in, InputPaths{}); err != context.Canceled {
		t.Errorf("cancelled check: %v, want context.Canceled", err)
	}
}
