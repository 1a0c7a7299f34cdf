package roads

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
)

// triangle is n1 - n2 - n3 by way A (tags given) and n3 - n4 - n1 by a
// two-way residential street B. n1 and n3 are the only junctions.
func triangle(aTags ...string) (*mapData, [4]osm.NodeID) {
	m := newMap()
	var n [4]osm.NodeID
	n[0] = m.node(0, 0)
	n[1] = m.node(0, 0.01)
	n[2] = m.node(0, 0.02)
	n[3] = m.node(0.01, 0.01)
	m.way([]osm.NodeID{n[0], n[1], n[2]}, aTags...)
	m.way([]osm.NodeID{n[2], n[3], n[0]}, "highway", "residential")
	return m, n
}

func TestOneWayRules(t *testing.T) {
	m0, n := triangle()
	viaA := m0.metres(n[0], n[1], n[2]) // 2,223.9 m
	viaB := m0.metres(n[0], n[3], n[2]) // 3,144.9 m
	resid := minutesAt(viaB, 30)        // residential 30 km/h
	for _, c := range []struct {
		name     string
		tags     []string
		reverse  bool    // way A drawn n3 -> n1
		fwdKm    float64 // n1 -> n3
		fwdMin   float64
		backKm   float64 // n3 -> n1
		backMin  float64
		vertices int
	}{
		{"two-way primary", []string{"highway", "primary"}, false, viaA, minutesAt(viaA, 60), viaA, minutesAt(viaA, 60), 2},
		{"oneway=yes", []string{"highway", "primary", "oneway", "yes"}, false, viaA, minutesAt(viaA, 60), viaB, resid, 2},
		{"oneway=-1 drawn backwards", []string{"highway", "primary", "oneway", "-1"}, true, viaA, minutesAt(viaA, 60), viaB, resid, 2},
		{"oneway=-1 drawn forwards", []string{"highway", "primary", "oneway", "-1"}, false, viaB, resid, viaA, minutesAt(viaA, 60), 2},
		{"motorway implies oneway", []string{"highway", "motorway"}, false, viaA, minutesAt(viaA, 80), viaB, resid, 2},
		{"motorway oneway=no", []string{"highway", "motorway", "oneway", "no"}, false, viaA, minutesAt(viaA, 80), viaA, minutesAt(viaA, 80), 2},
		{"roundabout implies oneway", []string{"highway", "primary", "junction", "roundabout"}, false, viaA, minutesAt(viaA, 60), viaB, resid, 2},
		{"reversible is not used", []string{"highway", "primary", "oneway", "reversible"}, false, viaB, resid, viaB, resid, 2},
		{"access=no", []string{"highway", "primary", "access", "no"}, false, viaB, resid, viaB, resid, 2},
		{"access=no hgv=yes", []string{"highway", "primary", "access", "no", "hgv", "yes"}, false, viaA, minutesAt(viaA, 60), viaA, minutesAt(viaA, 60), 2},
		{"hgv=no", []string{"highway", "primary", "hgv", "no"}, false, viaB, resid, viaB, resid, 2},
		{"motor_vehicle=private", []string{"highway", "primary", "motor_vehicle", "private"}, false, viaB, resid, viaB, resid, 2},
		{"hazmat=no", []string{"highway", "primary", "hazmat", "no"}, false, viaB, resid, viaB, resid, 2},
		{"footway", []string{"highway", "footway"}, false, viaB, resid, viaB, resid, 2},
		{"maxspeed=40", []string{"highway", "primary", "maxspeed", "40"}, false, viaA, minutesAt(viaA, 40), viaA, minutesAt(viaA, 40), 2},
		{"maxspeed=20 mph", []string{"highway", "primary", "maxspeed", "20 mph"}, false, viaA, minutesAt(viaA, 32.18688), viaA, minutesAt(viaA, 32.18688), 2},
		{"maxspeed above the DG cap", []string{"highway", "primary", "maxspeed", "100"}, false, viaA, minutesAt(viaA, 60), viaA, minutesAt(viaA, 60), 2},
		{"maxspeed:hgv wins", []string{"highway", "primary", "maxspeed", "50", "maxspeed:hgv", "40"}, false, viaA, minutesAt(viaA, 40), viaA, minutesAt(viaA, 40), 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, n := triangle(c.tags...)
			if c.reverse {
				m = newMap()
				for _, id := range n {
					m.node(m0.at(id)[1], m0.at(id)[0])
				}
				m.way([]osm.NodeID{n[2], n[1], n[0]}, c.tags...)
				m.way([]osm.NodeID{n[2], n[3], n[0]}, "highway", "residential")
			}
			g := m.build(t, TruckProfile())
			if g.Info.Vertices != c.vertices {
				t.Errorf("%d vertices, want %d (pass-through nodes merged)", g.Info.Vertices, c.vertices)
			}
			p1, p3 := m.at(n[0]), m.at(n[2])
			mx := pairMatrix(t, g, []orb.Point{p1, p3}, []orb.Point{p3, p1}, nil)
			for _, w := range []struct {
				i, j     int
				km, min  float64
				from, to string
			}{{0, 0, c.fwdKm / 1000, c.fwdMin, "n1", "n3"}, {1, 1, c.backKm / 1000, c.backMin, "n3", "n1"}} {
				km, min, ok := mx.At(w.i, w.j)
				if !ok || !near(km, w.km, 1e-6) || !near(min, w.min, 1e-6) {
					t.Errorf("%s -> %s: %.6f km %.6f min (ok %v), want %.6f km %.6f min", w.from, w.to, km, min, ok, w.km, w.min)
				}
			}
			if km, min, ok := mx.At(0, 1); !ok || km != 0 || min != 0 {
				t.Errorf("n1 -> n1: %g km %g min, want 0", km, min)
			}
		})
	}
}

func TestShortestMetric(t *testing.T) {
	// A: 2.2 km at 60 via n2; B: 3.1 km at 30 via n4 where A is slower
	// because of its posted limit: fastest and shortest routes differ.
	m, n := triangle("highway", "primary", "maxspeed", "10")
	g := m.build(t, TruckProfile())
	viaA, viaB := m.metres(n[0], n[1], n[2]), m.metres(n[0], n[3], n[2])
	p := []orb.Point{m.at(n[0])}
	q := []orb.Point{m.at(n[2])}
	fast := pairMatrix(t, g, p, q, &MatrixOptions{Metric: Fastest})
	short := pairMatrix(t, g, p, q, &MatrixOptions{Metric: Shortest})
	if km, min, _ := fast.At(0, 0); !near(km, viaB/1000, 1e-6) || !near(min, minutesAt(viaB, 30), 1e-6) {
		t.Errorf("fastest: %.4f km %.3f min, want street B %.4f km %.3f min", km, min, viaB/1000, minutesAt(viaB, 30))
	}
	if km, min, _ := short.At(0, 0); !near(km, viaA/1000, 1e-6) || !near(min, minutesAt(viaA, 10), 1e-6) {
		t.Errorf("shortest: %.4f km %.3f min, want way A %.4f km %.3f min", km, min, viaA/1000, minutesAt(viaA, 10))
	}
}

func TestBarriers(t *testing.T) {
	for _, c := range []struct {
		name    string
		barrier []string
		blocked bool
	}{
		{"bollard", []string{"barrier", "bollard"}, true},
		{"gate", []string{"barrier", "gate"}, false},
		{"private gate", []string{"barrier", "gate", "access", "private"}, true},
		{"bollard open to hgv", []string{"barrier", "bollard", "hgv", "yes"}, false},
		{"unknown barrier", []string{"barrier", "yes"}, true},
		{"toll booth", []string{"barrier", "toll_booth"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := newMap()
			n1, n3, n4 := m.node(0, 0), m.node(0, 0.02), m.node(0.01, 0.01)
			n2 := m.node(0, 0.01, c.barrier...)
			m.way([]osm.NodeID{n1, n2, n3}, "highway", "primary")
			m.way([]osm.NodeID{n3, n4, n1}, "highway", "residential")
			g := m.build(t, TruckProfile())
			mx := pairMatrix(t, g, []orb.Point{m.at(n1)}, []orb.Point{m.at(n3)}, nil)
			want := m.metres(n1, n2, n3)
			if c.blocked {
				want = m.metres(n1, n4, n3)
			}
			if km, _, ok := mx.At(0, 0); !ok || !near(km, want/1000, 1e-6) {
				t.Errorf("n1 -> n3: %.4f km, want %.4f km (blocked %v)", km, want/1000, c.blocked)
			}
		})
	}
}

func TestMergePassThrough(t *testing.T) {
	for _, c := range []struct {
		name               string
		ways               func(n []osm.NodeID) [][]osm.NodeID
		tags               func(i int) []string
		vertices, segments int
	}{
		{"three ways, same tags", func(n []osm.NodeID) [][]osm.NodeID {
			return [][]osm.NodeID{{n[0], n[1]}, {n[1], n[2]}, {n[2], n[3], n[4]}}
		}, func(int) []string { return []string{"highway", "primary"} }, 2, 1},
		{"opposite drawing, two-way", func(n []osm.NodeID) [][]osm.NodeID {
			return [][]osm.NodeID{{n[0], n[1], n[2]}, {n[4], n[3], n[2]}}
		}, func(int) []string { return []string{"highway", "primary"} }, 2, 1},
		{"one-way chain", func(n []osm.NodeID) [][]osm.NodeID {
			return [][]osm.NodeID{{n[0], n[1], n[2]}, {n[2], n[3], n[4]}}
		}, func(int) []string { return []string{"highway", "primary", "oneway", "yes"} }, 2, 1},
		{"one-ways head to head", func(n []osm.NodeID) [][]osm.NodeID {
			return [][]osm.NodeID{{n[0], n[1], n[2]}, {n[4], n[3], n[2]}}
		}, func(int) []string { return []string{"highway", "primary", "oneway", "yes"} }, 3, 2},
		{"speed changes", func(n []osm.NodeID) [][]osm.NodeID {
			return [][]osm.NodeID{{n[0], n[1], n[2]}, {n[2], n[3], n[4]}}
		}, func(i int) []string { return []string{"highway", []string{"primary", "secondary"}[i]} }, 3, 2},
		{"branch", func(n []osm.NodeID) [][]osm.NodeID {
			return [][]osm.NodeID{{n[0], n[1], n[2], n[3], n[4]}, {n[2], n[5]}}
		}, func(int) []string { return []string{"highway", "primary"} }, 4, 3},
		{"closed ring", func(n []osm.NodeID) [][]osm.NodeID {
			return [][]osm.NodeID{{n[0], n[1], n[5], n[0]}}
		}, func(int) []string { return []string{"highway", "primary", "junction", "roundabout"} }, 1, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := newMap()
			var n []osm.NodeID
			for i := 0; i < 5; i++ {
				n = append(n, m.node(0, 0.01*float64(i)))
			}
			n = append(n, m.node(0.01, 0.02))
			for i, w := range c.ways(n) {
				m.way(w, c.tags(i)...)
			}
			g := m.build(t, TruckProfile())
			if g.Info.Vertices != c.vertices || g.Info.Segments != c.segments {
				t.Errorf("%d vertices and %d segments, want %d and %d", g.Info.Vertices, g.Info.Segments, c.vertices, c.segments)
			}
		})
	}
}

func TestRoundaboutRing(t *testing.T) {
	// An isolated one-way ring is one loop segment: a trip from its first
	// node to the opposite one goes round in the drawn direction.
	m := newMap()
	a, b, c, d := m.node(0, 0), m.node(0, 0.01), m.node(0.01, 0.01), m.node(0.01, 0)
	m.way([]osm.NodeID{a, b, c, d, a}, "highway", "primary", "junction", "roundabout")
	g := m.build(t, TruckProfile())
	mx := pairMatrix(t, g, []orb.Point{m.at(a), m.at(c)}, []orb.Point{m.at(c), m.at(a)}, nil)
	there, back := m.metres(a, b, c), m.metres(c, d, a)
	if km, _, ok := mx.At(0, 0); !ok || !near(km, there/1000, 1e-6) {
		t.Errorf("a -> c: %.4f km, want %.4f", km, there/1000)
	}
	if km, _, ok := mx.At(1, 1); !ok || !near(km, back/1000, 1e-6) {
		t.Errorf("c -> a: %.4f km, want %.4f", km, back/1000)
	}
}

func TestSnapping(t *testing.T) {
	m := newMap()
	w0, w1, w2 := m.node(0, 0), m.node(0, 0.01), m.node(0, 0.02)
	m.way([]osm.NodeID{w0, w1, w2}, "highway", "residential")
	// A motorway closer to the point than the street: never snapped to.
	m0, m1 := m.node(0.0015, 0), m.node(0.0015, 0.02)
	m.way([]osm.NodeID{m0, m1}, "highway", "motorway", "oneway", "no")
	g := m.build(t, TruckProfile())
	p := orb.Point{0.005, 0.001} // 0.001 deg north of the street at lon 0.005
	q := orb.Point{0.015, -0.002}
	s := g.SnapPoints([]orb.Point{p, q})
	degM := m.metres(w0, w1) / 0.01 // metres per degree on the equator
	if !s[0].Placed() || !near(s[0].DistM, 0.001*degM, 1e-6) || !near(s[0].Off, 0.005*degM, 1e-6) {
		t.Errorf("p snapped %.3f m away at offset %.3f m, want %.3f and %.3f (the street, not the motorway)", s[0].DistM, s[0].Off, 0.001*degM, 0.005*degM)
	}
	if math.Abs(s[0].At[0]-0.005) > 1e-12 || math.Abs(s[0].At[1]) > 1e-12 {
		t.Errorf("p snapped at %v, want (0.005, 0)", s[0].At)
	}
	mx, err := g.Matrix(context.Background(), s[:1], s[1:], nil)
	if err != nil {
		t.Fatal(err)
	}
	// Along the street 0.01 deg, plus the two access legs.
	want := (0.01 + 0.001 + 0.002) * degM
	if km, min, ok := mx.At(0, 0); !ok || !near(km, want/1000, 1e-6) || !near(min, minutesAt(want, 30), 1e-6) {
		t.Errorf("p -> q: %.5f km %.4f min, want %.5f km %.4f min", km, min, want/1000, minutesAt(want, 30))
	}
}

func TestDisconnectedParts(t *testing.T) {
	m := newMap()
	a, b, c := m.node(0, 0), m.node(0, 0.01), m.node(0, 0.02)
	m.way([]osm.NodeID{a, b, c}, "highway", "primary")
	// An island 0.5 deg (55 km) north, not connected.
	i1, i2 := m.node(0.5, 0), m.node(0.5, 0.01)
	m.way([]osm.NodeID{i1, i2}, "highway", "primary")
	g := m.build(t, TruckProfile())
	if g.Info.MainVertices != 2 || g.Info.Vertices != 4 {
		t.Fatalf("main part %d of %d vertices, want 2 of 4", g.Info.MainVertices, g.Info.Vertices)
	}
	pts := []orb.Point{m.at(a), m.at(c), {0.005, 0.5005}}
	ids := []string{"A", "C", "ISLAND"}
	if _, err := g.Place(ids, pts, nil); !errors.Is(err, ErrFragmented) || !strings.Contains(err.Error(), "ISLAND") {
		t.Fatalf("error %v, want ErrFragmented naming ISLAND (1 of 3 points unplaced > 10 %%)", err)
	}
	pl, err := g.Place(ids, pts, &PlaceOptions{MaxUnplacedShare: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Unplaced) != 1 || pl.Unplaced[0].ID != "ISLAND" || !near(pl.Unplaced[0].Km, 55.6, 0.01) {
		t.Fatalf("unplaced %+v, want ISLAND about 55.6 km from the main part", pl.Unplaced)
	}
	mx, err := g.Matrix(context.Background(), pl.Snaps, pl.Snaps, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []Pair
	for _, u := range mx.Unreachable {
		got = append(got, u)
	}
	if len(got) != 5 {
		t.Fatalf("unreachable %+v, want the 5 pairs with ISLAND", got)
	}
	for _, u := range got {
		if (u.From != 2 && u.To != 2) || u.Reason != ReasonNotPlaced {
			t.Errorf("unreachable %+v: want only pairs with ISLAND, reason %s", u, ReasonNotPlaced)
		}
	}
	if km, _, ok := mx.At(0, 1); !ok || !near(km, m.metres(a, b, c)/1000, 1e-6) {
		t.Errorf("A -> C %.4f km, want %.4f", km, m.metres(a, b, c)/1000)
	}
	if _, err := g.Place([]string{"FAR"}, []orb.Point{{10, 10}}, nil); !errors.Is(err, ErrOutside) || !strings.Contains(err.Error(), "FAR") {
		t.Errorf("error %v, want ErrOutside naming FAR", err)
	}
}

func TestSearchBound(t *testing.T) {
	m := newMap()
	var n []osm.NodeID
	for i := 0; i <= 10; i++ {
		n = append(n, m.node(0, 0.01*float64(i)))
	}
	m.way(n, "highway", "primary")
	g := m.build(t, TruckProfile())
	from := []orb.Point{m.at(n[0])}
	to := []orb.Point{m.at(n[1]), m.at(n[10])}
	// 1.11 km takes 1.11 min at 60 km/h; 11.1 km takes 11.1 min.
	mx := pairMatrix(t, g, from, to, &MatrixOptions{MaxMinutes: 5})
	if _, _, ok := mx.At(0, 0); !ok {
		t.Error("the near point is unreachable within a 5-minute bound")
	}
	if len(mx.Unreachable) != 1 || mx.Unreachable[0].To != 1 || mx.Unreachable[0].Reason != ReasonBound {
		t.Errorf("unreachable %+v, want the far point beyond the bound", mx.Unreachable)
	}
	if _, err := g.Matrix(context.Background(), nil, nil, &MatrixOptions{MaxKm: 3}); err == nil {
		t.Error("a fastest matrix accepted a km bound")
	}
}

func TestBackwardSearchesAgree(t *testing.T) {
	// More sources than targets runs backward searches; each pair must
	// equal the forward search from its source alone.
	m, _ := randomGrid(7, 3)
	g := m.build(t, TruckProfile())
	var pts []orb.Point
	for id := osm.NodeID(1); id <= 49; id += 4 {
		pts = append(pts, m.at(id))
	}
	to := pts[:2]
	back := pairMatrix(t, g, pts, to, nil)
	if !back.Backward {
		t.Fatal("expected backward searches")
	}
	for i := range pts {
		fwd := pairMatrix(t, g, pts[i:i+1], to, nil)
		for j := range to {
			k1, m1, ok1 := back.At(i, j)
			k2, m2, ok2 := fwd.At(0, j)
			if ok1 != ok2 || ok1 && (!near(k1, k2, 1e-6) || !near(m1, m2, 1e-6)) {
				t.Errorf("pair %d -> %d: backward %.6f km %.6f min (%v), forward %.6f km %.6f min (%v)", i, j, k1, m1, ok1, k2, m2, ok2)
			}
		}
	}
}
