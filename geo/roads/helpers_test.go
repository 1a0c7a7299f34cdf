package roads

import (
	"context"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"

	"github.com/rlplan/rlplan/geo"
)

// mapData is a hand-made OSM extract: nodes and ways built in Go and fed
// to the builder through a scanner over the objects, as a PBF pass would.
type mapData struct {
	objs []osm.Object
	pts  map[osm.NodeID]orb.Point
	next int64
}

func newMap() *mapData { return &mapData{pts: map[osm.NodeID]orb.Point{}} }

func tagsOf(kv []string) osm.Tags {
	var t osm.Tags
	for i := 0; i+1 < len(kv); i += 2 {
		t = append(t, osm.Tag{Key: kv[i], Value: kv[i+1]})
	}
	return t
}

// node adds a node at lat, lon with tags given as key, value, ...
func (m *mapData) node(lat, lon float64, kv ...string) osm.NodeID {
	m.next++
	id := osm.NodeID(m.next)
	// Coordinates at the 1e-7 degree resolution of OSM, as a PBF stores
	// them, so that distances in the tests and in the graph agree.
	lat, lon = math.Round(lat*1e7)/1e7, math.Round(lon*1e7)/1e7
	m.objs = append(m.objs, &osm.Node{ID: id, Lat: lat, Lon: lon, Tags: tagsOf(kv)})
	m.pts[id] = orb.Point{lon, lat}
	return id
}

// way adds a way through nodes with tags key, value, ...
func (m *mapData) way(nodes []osm.NodeID, kv ...string) {
	m.next++
	w := &osm.Way{ID: osm.WayID(m.next), Tags: tagsOf(kv)}
	for _, n := range nodes {
		w.Nodes = append(w.Nodes, osm.WayNode{ID: n})
	}
	m.objs = append(m.objs, w)
}

type sliceScanner struct {
	objs []osm.Object
	i    int
}

func (s *sliceScanner) Scan() bool         { s.i++; return s.i <= len(s.objs) }
func (s *sliceScanner) Object() osm.Object { return s.objs[s.i-1] }
func (s *sliceScanner) Err() error         { return nil }
func (s *sliceScanner) Close() error       { return nil }

func (m *mapData) opener() opener {
	return func(ctx context.Context, p pass, _ func(*osm.Way) bool, _ func(*osm.Node) bool) (osm.Scanner, func() int64, error) {
		return &sliceScanner{objs: m.objs}, func() int64 { return 0 }, nil
	}
}

func (m *mapData) build(t *testing.T, prof Profile) *Graph {
	t.Helper()
	g, err := build(context.Background(), m.opener(), prof, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// at returns a node's point.
func (m *mapData) at(id osm.NodeID) orb.Point { return m.pts[id] }

// metres is the great-circle length in metres of a polyline of nodes.
func (m *mapData) metres(ids ...osm.NodeID) float64 {
	var d float64
	for i := 1; i < len(ids); i++ {
		d += float64(geo.Haversine(m.pts[ids[i-1]], m.pts[ids[i]])) * 1000
	}
	return d
}

// minutesAt is the time in minutes to drive metres at kmh.
func minutesAt(metres, kmh float64) float64 { return metres / 1000 / kmh * 60 }

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

// pairMatrix places two lists of points (which must all be placed) and
// returns the matrix between them.
func pairMatrix(t *testing.T, g *Graph, from, to []orb.Point, opt *MatrixOptions) *Matrix {
	t.Helper()
	fs, ts := g.SnapPoints(from), g.SnapPoints(to)
	for i, s := range append(append([]Snap(nil), fs...), ts...) {
		if !s.Placed() {
			t.Fatalf("point %d not placed", i)
		}
	}
	m, err := g.Matrix(context.Background(), fs, ts, opt)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
