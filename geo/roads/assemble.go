package roads

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/osm"

	"github.com/rlplan/rlplan/geo"
)

// pieces are stretches of one way between two vertex nodes.
type pieces struct {
	a, b  []int32 // end nodes
	rule  []uint16
	off   []int32 // piece i has shape[off[i]:off[i+1]]
	shape []int32
}

func (p *pieces) n() int { return len(p.a) }

// nodeSet is the road nodes with their coordinates; barrier copies are
// appended at the end.
type nodeSet struct {
	lat, lon []int32
	blocked  []bool
}

func (ns *nodeSet) copyOf(n int32) int32 {
	ns.lat = append(ns.lat, ns.lat[n])
	ns.lon = append(ns.lon, ns.lon[n])
	ns.blocked = append(ns.blocked, false)
	return int32(len(ns.lat) - 1)
}

// assemble turns the kept ways and their nodes into a Graph: ways are cut
// at junctions, way ends, barriers and missing nodes; stretches that meet
// at a node no other road touches, with the same speed, snapping and
// directions, are merged into one segment; vertices are ordered along a
// Z-order curve so that searches touch nearby memory.
func assemble(ctx context.Context, rw *rawWays, ids []osm.NodeID, rn *rawNodes) (*Graph, error) {
	if len(ids) >= math.MaxInt32/2 {
		return nil, fmt.Errorf("roads: %d road nodes: more than this graph format holds", len(ids))
	}
	ns := &nodeSet{lat: rn.lat, lon: rn.lon, blocked: rn.blocked}
	refs := make([]int32, len(rw.refs))
	missing := 0
	for i, id := range rw.refs {
		k, _ := slices.BinarySearch(ids, id)
		if !rn.have[k] {
			refs[i] = -1
			missing++
			continue
		}
		refs[i] = int32(k)
	}
	rw.refs = nil // the ids are no longer needed
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	p := cutWays(rw, refs, ns)
	if p.n() == 0 {
		return nil, &InputError{Err: ErrNoRoads, Msg: "the kept ways have no two consecutive nodes with coordinates"}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	m := mergePieces(p, rw.rules, len(ns.lat))
	g := finish(m, ns)
	g.Info.Missing = missing
	return g, nil
}

// runsOf calls f with each run of a way's nodes that have coordinates, with
// repeated consecutive nodes collapsed, when the run has two nodes or more.
func runsOf(way []int32, buf []int32, f func(run []int32)) []int32 {
	run := buf[:0]
	flush := func() {
		if len(run) >= 2 {
			f(run)
		}
		run = run[:0]
	}
	for _, n := range way {
		switch {
		case n < 0:
			flush()
		case len(run) > 0 && run[len(run)-1] == n:
		default:
			run = append(run, n)
		}
	}
	flush()
	return run
}

// cutWays cuts every way into pieces between vertex nodes: run ends, nodes
// used more than once, and barriers. A piece ending at a barrier ends at a
// copy of it of its own, so nothing connects through the barrier.
func cutWays(rw *rawWays, refs []int32, ns *nodeSet) *pieces {
	n := len(ns.lat)
	occ := make([]uint8, n)
	isV := make([]bool, n)
	var buf []int32
	for w := range rw.rule {
		buf = runsOf(refs[rw.start[w]:rw.start[w+1]], buf, func(run []int32) {
			isV[run[0]], isV[run[len(run)-1]] = true, true
			for _, v := range run {
				if occ[v] < 2 {
					occ[v]++
				}
			}
		})
	}
	for v := 0; v < n; v++ {
		isV[v] = isV[v] || occ[v] >= 2 || ns.blocked[v]
	}
	p := &pieces{off: []int32{0}}
	for w := range rw.rule {
		r := rw.rule[w]
		buf = runsOf(refs[rw.start[w]:rw.start[w+1]], buf, func(run []int32) {
			startAt := len(p.shape)
			p.shape = append(p.shape, run[0])
			for _, v := range run[1:] {
				p.shape = append(p.shape, v)
				if !isV[v] {
					continue
				}
				s := p.shape[startAt:]
				if ns.blocked[s[0]] {
					s[0] = ns.copyOf(s[0])
				}
				if ns.blocked[v] {
					s[len(s)-1] = ns.copyOf(v)
				}
				p.a = append(p.a, s[0])
				p.b = append(p.b, s[len(s)-1])
				p.rule = append(p.rule, r)
				p.off = append(p.off, int32(len(p.shape)))
				startAt = len(p.shape)
				p.shape = append(p.shape, v)
			}
			p.shape = p.shape[:startAt] // the trailing start node of no piece
		})
	}
	return p
}

// merged are the segments after merging pieces through pass-through nodes.
type merged struct {
	a, b  []int32
	flag  []uint8
	kmh   []float32
	off   []int32
	shape []int32
}

// oriented returns the direction flags of a piece traversed from its end
// `from` (0: from a to b, 1: from b to a).
func oriented(r wayRule, from int32) (fwd, bwd bool) {
	if from == 0 {
		return r.fwd, r.bwd
	}
	return r.bwd, r.fwd
}

// mergePieces joins pieces through nodes where exactly two pieces meet with
// the same speed, snapping and (oriented) directions.
func mergePieces(p *pieces, rules []wayRule, nNodes int) *merged {
	deg := make([]int32, nNodes+1)
	for i := range p.a {
		deg[p.a[i]+1]++
		deg[p.b[i]+1]++
	}
	for v := 0; v < nNodes; v++ {
		deg[v+1] += deg[v]
	}
	inc := make([]int32, 2*p.n()) // piece<<1 | end (0: a, 1: b)
	pos := append([]int32(nil), deg[:nNodes]...)
	for i := range p.a {
		inc[pos[p.a[i]]] = int32(i) << 1
		pos[p.a[i]]++
		inc[pos[p.b[i]]] = int32(i)<<1 | 1
		pos[p.b[i]]++
	}
	pos = nil
	through := make([]bool, nNodes)
	for v := 0; v < nNodes; v++ {
		if deg[v+1]-deg[v] != 2 {
			continue
		}
		e1, e2 := inc[deg[v]], inc[deg[v]+1]
		p1, p2 := e1>>1, e2>>1
		if p1 == p2 || p.a[p1] == p.b[p1] || p.a[p2] == p.b[p2] {
			continue
		}
		r1, r2 := rules[p.rule[p1]], rules[p.rule[p2]]
		// p1 traversed into v starts from its other end; p2 leaves from v.
		f1, b1 := oriented(r1, 1-(e1&1))
		f2, b2 := oriented(r2, e2&1)
		through[v] = f1 == f2 && b1 == b2 && r1.kmh == r2.kmh && r1.snap == r2.snap
	}
	m := &merged{off: []int32{0}}
	used := make([]bool, p.n())
	walk := func(start int32, e int32) {
		pi, from := e>>1, e&1
		r := rules[p.rule[pi]]
		fwd, bwd := oriented(r, from)
		var fl uint8
		if fwd {
			fl |= flagFwd
		}
		if bwd {
			fl |= flagBwd
		}
		if r.snap {
			fl |= flagSnap
		}
		m.shape = append(m.shape, start)
		at := start
		for {
			used[pi] = true
			s := p.shape[p.off[pi]:p.off[pi+1]]
			if from == 0 {
				m.shape = append(m.shape, s[1:]...)
				at = p.b[pi]
			} else {
				for k := len(s) - 2; k >= 0; k-- {
					m.shape = append(m.shape, s[k])
				}
				at = p.a[pi]
			}
			if !through[at] {
				break
			}
			next := inc[deg[at]]
			if next>>1 == pi {
				next = inc[deg[at]+1]
			}
			pi, from = next>>1, next&1
		}
		m.a = append(m.a, start)
		m.b = append(m.b, at)
		m.flag = append(m.flag, fl)
		m.kmh = append(m.kmh, r.kmh)
		m.off = append(m.off, int32(len(m.shape)))
	}
	for v := int32(0); v < int32(nNodes); v++ {
		if through[v] {
			continue
		}
		for _, e := range inc[deg[v]:deg[v+1]] {
			if !used[e>>1] {
				walk(v, e)
			}
		}
	}
	// Rings of pass-through nodes only (an isolated roundabout): open each
	// at its first node.
	for i := range p.a {
		if !used[i] {
			through[p.a[i]] = false
			walk(p.a[i], int32(i)<<1)
		}
	}
	return m
}

// morton interleaves the bits of two 32-bit values.
func morton(x, y uint32) uint64 {
	spread := func(v uint32) uint64 {
		u := uint64(v)
		u = (u | u<<16) & 0x0000FFFF0000FFFF
		u = (u | u<<8) & 0x00FF00FF00FF00FF
		u = (u | u<<4) & 0x0F0F0F0F0F0F0F0F
		u = (u | u<<2) & 0x3333333333333333
		u = (u | u<<1) & 0x5555555555555555
		return u
	}
	return spread(x) | spread(y)<<1
}

// finish numbers vertices and shape nodes, measures segments and lays out
// the arcs.
func finish(m *merged, ns *nodeSet) *Graph {
	// Shape nodes in order of first use; unused nodes (missing, cut) go.
	newNode := make([]int32, len(ns.lat))
	for i := range newNode {
		newNode[i] = -1
	}
	g := &Graph{}
	for k, v := range m.shape {
		if newNode[v] < 0 {
			newNode[v] = int32(len(g.lat))
			g.lat = append(g.lat, ns.lat[v])
			g.lon = append(g.lon, ns.lon[v])
		}
		m.shape[k] = newNode[v]
	}
	g.shape, g.shapeOff = m.shape, m.off
	// Vertices: segment ends, in Z-order of their coordinates.
	isEnd := make([]bool, len(g.lat))
	var vs []int32
	for i := range m.a {
		for _, v := range []int32{newNode[m.a[i]], newNode[m.b[i]]} {
			if !isEnd[v] {
				isEnd[v] = true
				vs = append(vs, v)
			}
		}
	}
	key := func(n int32) uint64 {
		return morton(uint32(int64(g.lon[n])+1800000000), uint32(int64(g.lat[n])+900000000))
	}
	sort.Slice(vs, func(i, j int) bool {
		ki, kj := key(vs[i]), key(vs[j])
		return ki < kj || ki == kj && vs[i] < vs[j]
	})
	vertexOf := make([]int32, len(g.lat))
	for i, n := range vs {
		vertexOf[n] = int32(i)
	}
	g.vNode = vs
	ns.lat, ns.lon = nil, nil
	nSeg := len(m.a)
	g.segA, g.segB = make([]int32, nSeg), make([]int32, nSeg)
	g.segLen = make([]float64, nSeg)
	g.segKmh, g.segFlag = m.kmh, m.flag
	for s := 0; s < nSeg; s++ {
		g.segA[s], g.segB[s] = vertexOf[newNode[m.a[s]]], vertexOf[newNode[m.b[s]]]
		sh := g.shape[g.shapeOff[s]:g.shapeOff[s+1]]
		var d float64
		for k := 1; k < len(sh); k++ {
			d += float64(geo.Haversine(g.point(sh[k-1]), g.point(sh[k]))) * 1000
		}
		g.segLen[s] = d
		g.Info.RoadKm += d / 1000
	}
	g.layoutArcs()
	g.largestSCC()
	g.Info.Nodes, g.Info.Vertices, g.Info.Segments, g.Info.Arcs = len(g.lat), len(g.vNode), nSeg, len(g.arcs)
	g.Info.Roads = g.nodeBounds()
	return g
}

// layoutArcs builds the CSR adjacency from the segments, arcs of a vertex
// sorted by head then length for a layout that does not depend on the
// order of the ways in the file beyond the segments themselves.
func (g *Graph) layoutArcs() {
	type tarc struct {
		tail int32
		a    arc
	}
	var all []tarc
	for s := range g.segA {
		a, b := g.segA[s], g.segB[s]
		if a == b {
			continue // a loop never shortens a path; it stays for snapping
		}
		m := float32(g.segLen[s])
		sec := float32(g.segSeconds(int32(s)))
		if g.segFlag[s]&flagFwd != 0 {
			all = append(all, tarc{a, arc{b, m, sec}})
		}
		if g.segFlag[s]&flagBwd != 0 {
			all = append(all, tarc{b, arc{a, m, sec}})
		}
	}
	sort.Slice(all, func(i, j int) bool {
		x, y := all[i], all[j]
		if x.tail != y.tail {
			return x.tail < y.tail
		}
		if x.a.head != y.a.head {
			return x.a.head < y.a.head
		}
		if x.a.s != y.a.s {
			return x.a.s < y.a.s
		}
		return x.a.m < y.a.m
	})
	n := g.numVertices()
	g.first = make([]int32, n+1)
	g.arcs = make([]arc, len(all))
	for i, t := range all {
		g.first[t.tail+1]++
		g.arcs[i] = t.a
	}
	for v := 0; v < n; v++ {
		g.first[v+1] += g.first[v]
	}
}

func (g *Graph) nodeBounds() Bounds {
	b := Bounds{MinLat: 90, MaxLat: -90, MinLon: 180, MaxLon: -180}
	for i := range g.lat {
		la, lo := float64(g.lat[i])*1e-7, float64(g.lon[i])*1e-7
		b.MinLat, b.MaxLat = math.Min(b.MinLat, la), math.Max(b.MaxLat, la)
		b.MinLon, b.MaxLon = math.Min(b.MinLon, lo), math.Max(b.MaxLon, lo)
	}
	return b
}
