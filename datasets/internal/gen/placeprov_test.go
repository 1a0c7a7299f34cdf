package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// Two 1-degree squares side by side: a place labelled A but lying deep inside
// B is relabelled; one just across the border (coarse boundary) and one
// outside both (an island) keep their labels.
func TestCorrectProvinces(t *testing.T) {
	sq := func(x0 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x0, 30}, {x0 + 1, 30}, {x0 + 1, 31}, {x0, 31}, {x0, 30}}}}
	}
	far := func(x0 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x0, 30}, {x0 + 5, 30}, {x0 + 5, 31}, {x0, 31}, {x0, 30}}}}
	}
	shapes := map[string]orb.MultiPolygon{"CN-AA": sq(100), "CN-BB": far(101)}
	ps := []place{
		{id: "deep", province: "CN-AA", provZh: "甲", lat: 30.5, lon: 104.5}, // ~330 km east of A's vertices
		{id: "border", province: "CN-AA", provZh: "甲", lat: 30.5, lon: 101.2},
		{id: "island", province: "CN-AA", provZh: "甲", lat: 20, lon: 104.5},
		{id: "home", province: "CN-AA", provZh: "甲", lat: 30.5, lon: 100.5},
	}
	var log bytes.Buffer
	if n := correctProvinces(ps, shapes, &log); n != 1 {
		t.Fatalf("relabelled %d places, want 1; log:\n%s", n, log.String())
	}
	want := []string{"CN-BB", "CN-AA", "CN-AA", "CN-AA"}
	for i, p := range ps {
		if p.province != want[i] {
			t.Errorf("%s: province %s, want %s", p.id, p.province, want[i])
		}
	}
	if ps[0].provZh != "" || !strings.Contains(log.String(), "deep") || !strings.Contains(log.String(), "relabelled CN-BB") {
		t.Errorf("relabelled place keeps its Chinese province name %q or the log misses it:\n%s", ps[0].provZh, log.String())
	}
}

// On the shared GeoNames file, exactly Nierong (Nagqu, Xizang; GeoNames
// admin1 10, Hebei) is relabelled.
func TestSharedPlacesProvinces(t *testing.T) {
	shared := sharedDir(t)
	shapes, err := provinceShapes(shared)
	if err != nil {
		t.Fatal(err)
	}
	gn, err := readGeoNames(shared)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	n := correctProvinces(gn, shapes, &log)
	if n != 1 || !strings.Contains(log.String(), "GN8578912 Nierong is labelled CN-HE but lies inside CN-XZ") {
		t.Errorf("relabelled %d, want Nierong only:\n%s", n, log.String())
	}
}
