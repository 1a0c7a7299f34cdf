package roads

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/paulmach/orb"
)

// Bounds is a latitude/longitude box in degrees.
type Bounds struct {
	MinLat, MaxLat, MinLon, MaxLon float64
}

// Contains reports whether p (lon, lat) is inside b, widened by marginKm.
func (b Bounds) Contains(p orb.Point, marginKm float64) bool {
	dLat := marginKm / 111.2
	c := math.Cos(math.Max(math.Abs(b.MinLat), math.Abs(b.MaxLat)) * math.Pi / 180)
	dLon := dLat / math.Max(c, 0.01)
	return p[1] >= b.MinLat-dLat && p[1] <= b.MaxLat+dLat && p[0] >= b.MinLon-dLon && p[0] <= b.MaxLon+dLon
}

func (b Bounds) String() string {
	return fmt.Sprintf("lat %.4f..%.4f, lon %.4f..%.4f", b.MinLat, b.MaxLat, b.MinLon, b.MaxLon)
}

// Info describes a built graph.
type Info struct {
	Profile  string
	WaysKept int // OSM ways the profile uses
	Nodes    int // road nodes kept (segment shapes)
	Vertices int // junctions and ends after merging pass-through nodes
	Segments int // merged stretches of road between vertices
	Arcs     int // directed arcs
	RoadKm   float64
	// MainVertices is the size of the largest strongly connected component,
	// the part points are snapped to.
	MainVertices int
	// Missing counts way nodes the file does not hold (clipped extracts).
	Missing int
	// Roads is the box of the road nodes; Declared the box in the PBF
	// header, when it has one.
	Roads    Bounds
	Declared *Bounds
	// ParseTime and BuildTime are the time spent reading the file and
	// building the graph (zero for a graph loaded from the cache).
	ParseTime, BuildTime time.Duration
}

// Area returns the box points must lie in: the declared bounds when the file
// has them, else the box of its roads.
func (i Info) Area() Bounds {
	if i.Declared != nil {
		return *i.Declared
	}
	return i.Roads
}

// Segment flags.
const (
	flagFwd  = 1 // may be driven from A to B
	flagBwd  = 2 // may be driven from B to A
	flagSnap = 4 // points may snap to it
)

// arc is a directed arc of the CSR adjacency: its head vertex, length in
// metres and driving time in seconds.
type arc struct {
	head int32
	m, s float32
}

// Graph is a road network: segments of road between vertices (junctions,
// dead ends, barriers), each with its shape, length, speed and allowed
// directions, and the directed arcs they give. It is immutable and safe for
// concurrent use.
type Graph struct {
	Info Info

	lat, lon []int32 // shape nodes, 1e-7 degrees
	vNode    []int32 // vertex -> its shape node

	segA, segB []int32   // vertices at the ends
	segLen     []float64 // metres along the shape
	segKmh     []float32
	segFlag    []uint8
	shapeOff   []int32 // segment s has shape[shapeOff[s]:shapeOff[s+1]]
	shape      []int32 // node indices

	first []int32 // arcs out of v are arcs[first[v]:first[v+1]]
	arcs  []arc

	revOnce sync.Once
	rfirst  []int32 // arcs into v, as arcs whose head is the tail
	rarcs   []arc

	main []uint64 // bitset: vertex in the largest strongly connected component

	profileHash [32]byte
}

// numVertices is the number of vertices.
func (g *Graph) numVertices() int { return len(g.vNode) }

func (g *Graph) point(node int32) orb.Point {
	return orb.Point{float64(g.lon[node]) * 1e-7, float64(g.lat[node]) * 1e-7}
}

func (g *Graph) inMain(v int32) bool { return g.main[v>>6]&(1<<(uint(v)&63)) != 0 }

// segSeconds is the driving time along the whole of segment s.
func (g *Graph) segSeconds(s int32) float64 {
	return g.segLen[s] / (float64(g.segKmh[s]) / 3.6)
}

// reverse returns the reverse adjacency, built on first use.
func (g *Graph) reverse() ([]int32, []arc) {
	g.revOnce.Do(func() {
		n := g.numVertices()
		cnt := make([]int32, n+1)
		for _, a := range g.arcs {
			cnt[a.head+1]++
		}
		for v := 0; v < n; v++ {
			cnt[v+1] += cnt[v]
		}
		rarcs := make([]arc, len(g.arcs))
		pos := append([]int32(nil), cnt[:n]...)
		for v := 0; v < n; v++ {
			for _, a := range g.arcs[g.first[v]:g.first[v+1]] {
				rarcs[pos[a.head]] = arc{head: int32(v), m: a.m, s: a.s}
				pos[a.head]++
			}
		}
		g.rfirst, g.rarcs = cnt, rarcs
	})
	return g.rfirst, g.rarcs
}

// largestSCC marks the largest strongly connected component (iterative
// Tarjan; ties go to the component found first, which is deterministic).
func (g *Graph) largestSCC() {
	n := g.numVertices()
	index := make([]int32, n)
	low := make([]int32, n)
	for i := range index {
		index[i] = -1
	}
	onStack := make([]bool, n)
	var stack []int32
	type frame struct{ v, next int32 }
	var call []frame
	next := int32(0)
	var best []int32
	for root := 0; root < n; root++ {
		if index[root] >= 0 {
			continue
		}
		call = append(call[:0], frame{int32(root), g.first[root]})
		index[root], low[root] = next, next
		next++
		stack = append(stack, int32(root))
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.v
			if f.next < g.first[v+1] {
				w := g.arcs[f.next].head
				f.next++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, g.first[w]})
				} else if onStack[w] && index[w] < low[v] {
					low[v] = index[w]
				}
				continue
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				if u := call[len(call)-1].v; low[v] < low[u] {
					low[u] = low[v]
				}
			}
			if low[v] == index[v] {
				i := len(stack) - 1
				for stack[i] != v {
					i--
				}
				comp := stack[i:]
				for _, w := range comp {
					onStack[w] = false
				}
				if len(comp) > len(best) {
					best = append(best[:0], comp...)
				}
				stack = stack[:i]
			}
		}
	}
	g.main = make([]uint64, (n+63)/64)
	for _, v := range best {
		g.main[v>>6] |= 1 << (uint(v) & 63)
	}
	g.Info.MainVertices = len(best)
}
