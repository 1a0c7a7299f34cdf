// Command roadsbench writes benchmark points for scripts/roads-bench.sh:
// n random nodes of two-way-accessible trunk to residential ways inside the
// PBF's declared bounds, as id,lat,lon CSV on stdout.
//
//	go run ./scripts/roadsbench FILE.osm.pbf N SEED
package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"

	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: roadsbench FILE.osm.pbf N SEED")
		os.Exit(2)
	}
	n, err1 := strconv.Atoi(os.Args[2])
	seed, err2 := strconv.ParseUint(os.Args[3], 10, 64)
	f, err := os.Open(os.Args[1])
	if err != nil || err1 != nil || err2 != nil {
		fmt.Fprintln(os.Stderr, "roadsbench:", err, err1, err2)
		os.Exit(1)
	}
	defer f.Close()
	s := osmpbf.New(context.Background(), f, 2)
	s.SkipRelations = true
	h, err := s.Header()
	if err != nil {
		fmt.Fprintln(os.Stderr, "roadsbench:", err)
		os.Exit(1)
	}
	type pt struct {
		id       osm.NodeID
		lat, lon float64
	}
	want := map[osm.NodeID]bool{}
	var nodes []pt
	for s.Scan() {
		switch o := s.Object().(type) {
		case *osm.Node:
			if b := h.Bounds; b == nil || o.Lat >= b.MinLat && o.Lat <= b.MaxLat && o.Lon >= b.MinLon && o.Lon <= b.MaxLon {
				nodes = append(nodes, pt{o.ID, o.Lat, o.Lon})
			}
		case *osm.Way:
			switch o.Tags.Find("highway") {
			case "trunk", "primary", "secondary", "tertiary", "unclassified", "residential":
				if o.Tags.Find("access") == "" {
					for _, wn := range o.Nodes {
						want[wn.ID] = true
					}
				}
			}
		}
	}
	if err := s.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "roadsbench:", err)
		os.Exit(1)
	}
	var pts []pt
	for _, p := range nodes {
		if want[p.id] {
			pts = append(pts, p)
		}
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].id < pts[j].id })
	r := rand.New(rand.NewPCG(seed, 3))
	fmt.Println("id,lat,lon")
	for i := 0; i < n; i++ {
		p := pts[r.IntN(len(pts))]
		fmt.Printf("N%d_%d,%.7f,%.7f\n", i, p.id, p.lat, p.lon)
	}
}
