package geo_test

import (
	"fmt"
	"os"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/rlplan/rlplan/geo"
)

func ExampleHaversine() {
	beijing := orb.Point{116.4074, 39.9042} // {lon, lat}
	shanghai := orb.Point{121.4737, 31.2304}
	fmt.Printf("%.1f km\n", geo.Haversine(beijing, shanghai))
	// Output: 1067.3 km
}

func ExampleRoad() {
	beijing := orb.Point{116.4074, 39.9042}
	tianjin := orb.Point{117.2010, 39.0842}
	d, err := geo.NewDetour(1.25)
	if err != nil {
		panic(err)
	}
	fmt.Printf("default %.1f km, detour %v: %.1f km\n",
		geo.Road(beijing, tianjin, geo.Detour{}), d, geo.Road(beijing, tianjin, d))
	_, err = geo.NewDetour(13)
	fmt.Println(err)
	// Output:
	// default 147.9 km, detour 1.25: 142.3 km
	// geo: detour factor 13 outside the valid range [1, 3] (road km per great-circle km)
}

func ExampleMatrix() {
	pts := []orb.Point{{116.4074, 39.9042}, {117.2010, 39.0842}, {114.5149, 38.0428}}
	m, err := geo.Matrix(pts, geo.Detour{}, 60)
	if err != nil {
		panic(err)
	}
	km, h := m.At(0, 2)
	fmt.Printf("Beijing-Shijiazhuang %.0f km, %.0f min\n", km, h.Minutes())
	// Output: Beijing-Shijiazhuang 343 km, 343 min
}

func ExampleBuildMatrix() {
	// A partial road matrix (as read from a user CSV) completed by the
	// haversine estimate.
	var road geo.MemoryMatrix
	road.Symmetric = true
	_ = road.Set("plant", "outlet-1", 31.5, 0.6)
	est := geo.HaversineSource{
		Points: map[string]orb.Point{"plant": {116.40, 39.90}, "outlet-1": {116.60, 40.05}, "outlet-2": {116.20, 39.75}},
		Speed:  50,
	}
	m, err := geo.BuildMatrix(geo.WithFallback(&road, est), []string{"plant", "outlet-1", "outlet-2"})
	if err != nil {
		panic(err)
	}
	for i := 0; i < m.N; i++ {
		for j := 0; j < m.N; j++ {
			km, _ := m.At(i, j)
			fmt.Printf("%6.1f", km)
		}
		fmt.Println()
	}
	// Output:
	//    0.0  31.5  31.0
	//   31.5   0.0  62.0
	//   31.0  62.0   0.0
}

func ExamplePointIndex() {
	outlets := []orb.Point{
		{116.40, 39.90}, // 0 Beijing
		{117.20, 39.08}, // 1 Tianjin
		{114.51, 38.04}, // 2 Shijiazhuang
		{121.47, 31.23}, // 3 Shanghai
	}
	ix, err := geo.NewPointIndex(outlets)
	if err != nil {
		panic(err)
	}
	baoding := orb.Point{115.46, 38.87}
	id, d, _ := ix.Nearest(baoding)
	fmt.Printf("nearest: %d at %.1f km\n", id, d)
	var buf []geo.Neighbor
	for _, n := range ix.KNearest(buf, baoding, 3) {
		fmt.Printf("%d %.1f km\n", n.ID, n.Dist)
	}
	fmt.Println("within 150 km:", len(ix.Within(buf, baoding, 150)))
	// Output:
	// nearest: 2 at 123.9 km
	// 2 123.9 km
	// 0 140.2 km
	// 1 152.2 km
	// within 150 km: 2
}

func ExampleCellsToMultiPolygon() {
	c, err := geo.Cell(orb.Point{116.4074, 39.9042}, 7)
	if err != nil {
		panic(err)
	}
	disk, err := geo.Disk(c, 2) // 19 cells
	if err != nil {
		panic(err)
	}
	area, err := geo.CellsToMultiPolygon(disk)
	if err != nil {
		panic(err)
	}
	hex, _ := geo.CellPolygon(c)
	fmt.Println(c, len(disk), "cells")
	fmt.Println("cell ring positions:", len(hex[0]))
	fmt.Println("service area polygons:", len(area), "rings:", len(area[0]), "positions:", len(area[0][0]))
	// Output:
	// 8731aa428ffffff 19 cells
	// cell ring positions: 7
	// service area polygons: 1 rings: 1 positions: 31
}

func ExampleEstimateCells() {
	n, _ := geo.EstimateCells(9.6e6, 15) // China at resolution 15
	fmt.Printf("%.1e cells: refuse\n", n)
	// Output: 1.1e+13 cells: refuse
}

func ExampleWriteFeatureCollection() {
	fc := geojson.NewFeatureCollection()
	outlet := geojson.NewFeature(orb.Point{116.40741234, 39.9042})
	outlet.ID = "BJ-001"
	outlet.Properties["type"] = "collection"
	outlet.Properties["capacity_t"] = 5
	fc.Append(outlet)
	// A clockwise square across the antimeridian: rewound and cut in two.
	fc.Append(geojson.NewFeature(orb.Polygon{{{179, 1}, {-179, 1}, {-179, -1}, {179, -1}}}))
	if err := geo.WriteFeatureCollection(os.Stdout, fc); err != nil {
		panic(err)
	}
	// Output:
	// {"type":"FeatureCollection","features":[
	// {"type":"Feature","id":"BJ-001","geometry":{"type":"Point","coordinates":[116.407412,39.9042]},"properties":{"capacity_t":5,"type":"collection"}},
	// {"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[180,1],[179,1],[179,-1],[180,-1],[180,1]]],[[[-180,-1],[-179,-1],[-179,1],[-180,1],[-180,-1]]]]},"properties":{}}
	// ]}
}

func ExampleCellsInPolygon() {
	// 1° x 1° around Beijing (9,500 km²) at resolution 5: cells average
	// 253 km² worldwide but are about 170 km² here.
	square := orb.Polygon{{{116, 39.5}, {117, 39.5}, {117, 40.5}, {116, 40.5}, {116, 39.5}}}
	cells, err := geo.CellsInPolygon(square, 5, 0)
	fmt.Println(len(cells), err)
	_, err = geo.CellsInPolygon(square, 15, 0)
	fmt.Println(err)
	// Output:
	// 57 <nil>
	// geo: polygon bounding boxes of 9493 km² hold about 1.06e+10 cells at resolution 15; the limit is 4000000 (use a coarser resolution or a smaller area)
}
