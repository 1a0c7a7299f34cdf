package roads

import (
	"context"
	"math"
)

// Metric is what a search minimises.
type Metric int

const (
	// Fastest minimises driving time (what a truck driver does); the km
	// reported are those of the fastest route.
	Fastest Metric = iota
	// Shortest minimises road distance; the minutes reported are those of
	// the shortest route.
	Shortest
)

func (m Metric) String() string {
	if m == Shortest {
		return "shortest"
	}
	return "fastest"
}

// label is a vertex's cost: key is the metric minimised, alt the other one
// along the same route (metres or seconds).
type label struct{ key, alt float64 }

func (a label) less(b label) bool { return a.key < b.key || a.key == b.key && a.alt < b.alt }

// searcher holds the per-vertex state of Dijkstra's algorithm for one
// goroutine. Only the vertices a search touches are reset afterwards, so a
// bounded search costs what it explores, not the size of the graph.
type searcher struct {
	g       *Graph
	lab     []label
	pos     []int32 // heap position; -1 untouched, -2 settled
	heap    []int32
	touched []int32
	metric  Metric
	wait    []int32 // scratch for the vertices a search waits for
	// owner, when not nil, is the seed each label comes from, for
	// multi-source searches.
	owner []int32
}

func newSearcher(g *Graph, m Metric) *searcher {
	n := g.numVertices()
	s := &searcher{g: g, lab: make([]label, n), pos: make([]int32, n), metric: m}
	for i := range s.pos {
		s.pos[i] = -1
	}
	return s
}

func (s *searcher) reset() {
	for _, v := range s.touched {
		s.pos[v] = -1
	}
	s.touched = s.touched[:0]
	s.heap = s.heap[:0]
}

// settled returns the final label of v, ok=false when the search did not
// settle it.
func (s *searcher) settled(v int32) (label, bool) {
	if s.pos[v] != -2 {
		return label{}, false
	}
	return s.lab[v], true
}

// relax offers label l to v and reports whether v took it.
func (s *searcher) relax(v int32, l label) bool {
	switch p := s.pos[v]; {
	case p == -2:
		return false
	case p == -1:
		s.touched = append(s.touched, v)
		s.lab[v] = l
		s.pos[v] = int32(len(s.heap))
		s.heap = append(s.heap, v)
		s.up(int(s.pos[v]))
		return true
	case l.less(s.lab[v]):
		s.lab[v] = l
		s.up(int(p))
		return true
	}
	return false
}

func (s *searcher) up(i int) {
	h := s.heap
	v := h[i]
	for i > 0 {
		parent := (i - 1) / 2
		if !s.lab[v].less(s.lab[h[parent]]) {
			break
		}
		h[i] = h[parent]
		s.pos[h[i]] = int32(i)
		i = parent
	}
	h[i] = v
	s.pos[v] = int32(i)
}

func (s *searcher) pop() int32 {
	h := s.heap
	top := h[0]
	last := h[len(h)-1]
	h = h[:len(h)-1]
	s.heap = h
	s.pos[top] = -2
	if len(h) == 0 {
		return top
	}
	i, n := 0, len(h)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && s.lab[h[c+1]].less(s.lab[h[c]]) {
			c++
		}
		if !s.lab[h[c]].less(s.lab[last]) {
			break
		}
		h[i] = h[c]
		s.pos[h[i]] = int32(i)
		i = c
	}
	h[i] = last
	s.pos[last] = int32(i)
	return top
}

// run settles vertices from the seeded heap, over the forward arcs or, when
// backward, the reverse arcs, until every vertex of wait is settled, the
// heap is empty or the next label exceeds bound. It reports whether the
// bound stopped it. ctx is checked every few thousand vertices.
func (s *searcher) run(ctx context.Context, backward bool, wait []int32, bound float64) (bounded bool, err error) {
	first, arcs := s.g.first, s.g.arcs
	if backward {
		first, arcs = s.g.reverse()
	}
	need := make(map[int32]bool, len(wait))
	for _, v := range wait {
		if s.pos[v] != -2 {
			need[v] = true
		}
	}
	left := len(need)
	shortest := s.metric == Shortest
	for n := 0; len(s.heap) > 0 && left > 0; n++ {
		if n&4095 == 4095 && ctx.Err() != nil {
			return false, ctx.Err()
		}
		if s.lab[s.heap[0]].key > bound {
			return true, nil
		}
		v := s.pop()
		if need[v] {
			delete(need, v)
			left--
		}
		l := s.lab[v]
		for _, a := range arcs[first[v]:first[v+1]] {
			nl := label{l.key + float64(a.s), l.alt + float64(a.m)}
			if shortest {
				nl = label{l.key + float64(a.m), l.alt + float64(a.s)}
			}
			if s.relax(a.head, nl) && s.owner != nil {
				s.owner[a.head] = s.owner[v]
			}
		}
	}
	return false, nil
}

// cost returns the label of travelling metres along segment seg at its
// speed, in the searcher's metric.
func (s *searcher) cost(seg int32, metres float64) label {
	sec := metres / (float64(s.g.segKmh[seg]) / 3.6)
	if s.metric == Shortest {
		return label{metres, sec}
	}
	return label{sec, metres}
}

func (l label) plus(o label) label { return label{l.key + o.key, l.alt + o.alt} }

var noLabel = label{math.Inf(1), math.Inf(1)}

// seed starts a search at snap p: forward, with the vertices p drives to
// along its segment; backward, with those from which p is reached along it.
func (s *searcher) seed(p Snap, backward bool) { s.seedOwned(p, backward, -1) }

// seedOwned is seed for a multi-source search: labels taken record owner.
func (s *searcher) seedOwned(p Snap, backward bool, owner int32) {
	g := s.g
	L, f := g.segLen[p.Seg], g.segFlag[p.Seg]
	a, b := g.segA[p.Seg], g.segB[p.Seg]
	access := label{}
	if owner >= 0 {
		access = s.cost(p.Seg, p.DistM) // each source's own access leg
	}
	put := func(v int32, l label) {
		if s.relax(v, l.plus(access)) && owner >= 0 {
			s.owner[v] = owner
		}
	}
	// A snap at an end of its segment is at that vertex, whatever the
	// segment's directions.
	if p.Off == 0 {
		put(a, label{})
	}
	if p.Off == L {
		put(b, label{})
	}
	fwd, bwd := f&flagFwd != 0, f&flagBwd != 0
	if backward {
		// The vertices from which p is reached along its segment.
		if fwd {
			put(a, s.cost(p.Seg, p.Off))
		}
		if bwd {
			put(b, s.cost(p.Seg, L-p.Off))
		}
		return
	}
	if fwd {
		put(b, s.cost(p.Seg, L-p.Off))
	}
	if bwd {
		put(a, s.cost(p.Seg, p.Off))
	}
}

// ends returns the vertices a search must settle to price the route to
// (forward) or from (backward) snap q.
func (g *Graph) ends(q Snap, backward bool, buf []int32) []int32 {
	f := g.segFlag[q.Seg]
	a, b := g.segA[q.Seg], g.segB[q.Seg]
	if q.Off == 0 {
		buf = append(buf, a)
	}
	if q.Off == g.segLen[q.Seg] {
		buf = append(buf, b)
	}
	// Forward: q is entered from A (driving A->B) or from B (B->A).
	// Backward: q leaves towards B (A->B) or towards A (B->A).
	if f&flagFwd != 0 {
		if backward {
			buf = append(buf, b)
		} else {
			buf = append(buf, a)
		}
	}
	if f&flagBwd != 0 {
		if backward {
			buf = append(buf, a)
		} else {
			buf = append(buf, b)
		}
	}
	return buf
}

// price returns the best settled route between the search's origin snap o
// and snap q: from o to q when forward, from q to o when backward.
func (s *searcher) price(o, q Snap, backward bool) label {
	best, _ := s.priceOwned(q, backward)
	if o.Seg == q.Seg {
		if c := s.along(o, q, backward); c.less(best) {
			best = c
		}
	}
	return best
}

// priceOwned returns the best settled route between the search's origin(s)
// and snap q through a vertex, and the owner of the vertex it goes through
// (-1 without owners or without a route).
func (s *searcher) priceOwned(q Snap, backward bool) (label, int32) {
	g := s.g
	best, owner := noLabel, int32(-1)
	L, f := g.segLen[q.Seg], g.segFlag[q.Seg]
	a, b := g.segA[q.Seg], g.segB[q.Seg]
	try := func(v int32, metres float64) {
		if l, ok := s.settled(v); ok {
			if c := l.plus(s.cost(q.Seg, metres)); c.less(best) {
				best = c
				if s.owner != nil {
					owner = s.owner[v]
				}
			}
		}
	}
	if q.Off == 0 {
		try(a, 0)
	}
	if q.Off == L {
		try(b, 0)
	}
	fwd, bwd := f&flagFwd != 0, f&flagBwd != 0
	if backward {
		// From q out of its segment, then on to the origin.
		if fwd {
			try(b, L-q.Off)
		}
		if bwd {
			try(a, q.Off)
		}
	} else {
		if fwd {
			try(a, q.Off)
		}
		if bwd {
			try(b, L-q.Off)
		}
	}
	return best, owner
}

// along returns the route between o and q on their shared segment without
// passing a vertex (from o to q, or from q to o when backward), or noLabel
// when the segment's directions forbid it.
func (s *searcher) along(o, q Snap, backward bool) label {
	from, to := o.Off, q.Off
	if backward {
		from, to = q.Off, o.Off
	}
	f := s.g.segFlag[q.Seg]
	if to >= from && f&flagFwd != 0 || to <= from && f&flagBwd != 0 {
		return s.cost(q.Seg, math.Abs(to-from))
	}
	return noLabel
}
