package roads

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// MatrixOptions control Matrix and Sparse. The zero value means the fastest
// routes, no bound, one worker per CPU and no progress.
type MatrixOptions struct {
	Metric Metric
	// MaxMinutes bounds each search of the Fastest metric and MaxKm each
	// search of the Shortest metric, on the road part of a route: pairs
	// beyond are reported with ReasonBound. 0 means no bound. Setting the
	// bound of the other metric is an error.
	MaxMinutes, MaxKm float64
	// Workers is the number of searches run in parallel; 0 means GOMAXPROCS.
	Workers int
	// Progress, when set, is told after each search how many of the total
	// are done. Calls are serialised.
	Progress func(done, total int)
}

// bound returns the search bound in the metric's unit (seconds or metres).
func (o *MatrixOptions) bound() (float64, error) {
	switch {
	case o.Metric == Fastest && o.MaxKm != 0:
		return 0, fmt.Errorf("roads: a fastest matrix is bounded by minutes, not by km")
	case o.Metric == Shortest && o.MaxMinutes != 0:
		return 0, fmt.Errorf("roads: a shortest matrix is bounded by km, not by minutes")
	case !(o.MaxMinutes >= 0) || !(o.MaxKm >= 0):
		return 0, fmt.Errorf("roads: search bound %g min / %g km: want >= 0", o.MaxMinutes, o.MaxKm)
	case o.MaxMinutes > 0:
		return o.MaxMinutes * 60, nil
	case o.MaxKm > 0:
		return o.MaxKm * 1000, nil
	}
	return math.Inf(1), nil
}

// Reasons a pair of points has no road value.
const (
	ReasonNotPlaced = "not_on_road"  // a point is not placed on the graph (see Place)
	ReasonNoPath    = "no_path"      // no route in the allowed directions
	ReasonBound     = "beyond_bound" // the route is longer than the search bound
)

const (
	whyNone uint8 = iota
	whyNotPlaced
	whyNoPath
	whyBound
)

var reasons = []string{"", ReasonNotPlaced, ReasonNoPath, ReasonBound}

// Pair is a pair of points without a road value.
type Pair struct {
	From, To int // indices into the from and to points
	Reason   string
}

// Matrix is the result of Graph.Matrix: road km and minutes from each of
// Rows points to each of Cols points, row-major, NaN where a pair has no
// value (then listed in Unreachable, in row-major order).
type Matrix struct {
	Rows, Cols  int
	Metric      Metric
	Km, Minutes []float64
	Unreachable []Pair
	// Searches is the number of Dijkstra searches run; Backward says they
	// ran from the targets over reversed arcs (when Cols < Rows).
	Searches int
	Backward bool
}

// At returns the km and minutes from row i to column j; ok is false when the
// pair has no value.
func (m *Matrix) At(i, j int) (km, minutes float64, ok bool) {
	k := i*m.Cols + j
	return m.Km[k], m.Minutes[k], !math.IsNaN(m.Km[k])
}

// runSearches calls search for jobs 0..n-1 on up to workers goroutines,
// each with its own searcher, and returns the first error (or ctx's).
func (g *Graph) runSearches(ctx context.Context, n, workers int, metric Metric, progress func(done, total int), search func(s *searcher, job int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	var (
		next, done atomic.Int64
		mu         sync.Mutex
		firstErr   error
		wg         sync.WaitGroup
	)
	for w := 0; w < workers && n > 0; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newSearcher(g, metric)
			for {
				k := int(next.Add(1) - 1)
				if k >= n || ctx.Err() != nil {
					return
				}
				if err := search(s, k); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				d := int(done.Add(1))
				if progress != nil {
					mu.Lock()
					progress(d, n)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return firstErr
}

// Matrix computes road km and minutes from every from snap to every to snap
// by one Dijkstra search per point of the smaller side (forward from the
// sources, or backward over reversed arcs from the targets), each stopped as
// soon as every vertex needed to price the other side is settled or the
// bound is passed. Searches run in parallel on opt.Workers goroutines; the
// result does not depend on their number or timing.
//
// A value is the road route between the two places on the road plus the
// straight access legs from each point to its place (counted at that road's
// speed); a point to itself is 0. Cost: each search is O(E log V) at worst
// for the part of the graph it explores; memory is O(V) per worker plus the
// matrix. A cancelled ctx returns ctx's error and no matrix.
func (g *Graph) Matrix(ctx context.Context, from, to []Snap, opt *MatrixOptions) (*Matrix, error) {
	if opt == nil {
		opt = &MatrixOptions{}
	}
	bound, err := opt.bound()
	if err != nil {
		return nil, err
	}
	m := &Matrix{Rows: len(from), Cols: len(to), Metric: opt.Metric, Backward: len(to) < len(from)}
	m.Km, m.Minutes = make([]float64, m.Rows*m.Cols), make([]float64, m.Rows*m.Cols)
	why := make([]uint8, m.Rows*m.Cols)
	origins, others := from, to
	if m.Backward {
		origins, others = to, from
	}
	var jobs []int
	for i, o := range origins {
		if o.Placed() {
			jobs = append(jobs, i)
		}
	}
	m.Searches = len(jobs)
	at := func(i, j int) int {
		if m.Backward {
			return j*m.Cols + i
		}
		return i*m.Cols + j
	}
	all := make([]int32, len(others))
	for j := range all {
		all[j] = int32(j)
	}
	err = g.runSearches(ctx, len(jobs), opt.Workers, opt.Metric, opt.Progress, func(s *searcher, job int) error {
		i := jobs[job]
		return g.searchFrom(ctx, s, origins[i], others, all, m.Backward, bound, func(j int, km, min float64, r uint8) {
			k := at(i, j)
			m.Km[k], m.Minutes[k], why[k] = km, min, r
		})
	})
	if err != nil {
		return nil, err
	}
	for i, o := range origins {
		if !o.Placed() {
			for j := range others {
				k := at(i, j)
				m.Km[k], m.Minutes[k], why[k] = math.NaN(), math.NaN(), whyNotPlaced
			}
		}
	}
	for k, r := range why {
		if r != whyNone {
			m.Unreachable = append(m.Unreachable, Pair{From: k / m.Cols, To: k % m.Cols, Reason: reasons[r]})
		}
	}
	return m, nil
}

// searchFrom runs the search from origin o and prices the others listed in
// want, reporting each with put (NaN values and a reason code when the pair
// has no value).
func (g *Graph) searchFrom(ctx context.Context, s *searcher, o Snap, others []Snap, want []int32, backward bool, bound float64, put func(j int, km, min float64, why uint8)) error {
	s.reset()
	s.seed(o, backward)
	w := s.wait[:0]
	for _, j := range want {
		if q := others[j]; q.Placed() {
			w = g.ends(q, backward, w)
		}
	}
	s.wait = w
	bounded, err := s.run(ctx, backward, w, bound)
	if err != nil {
		return err
	}
	nan := math.NaN()
	for _, j := range want {
		q := others[j]
		switch {
		case !q.Placed():
			put(int(j), nan, nan, whyNotPlaced)
			continue
		case q.Point == o.Point:
			put(int(j), 0, 0, whyNone)
			continue
		}
		l := s.price(o, q, backward)
		switch {
		case math.IsInf(l.key, 1) && !bounded:
			put(int(j), nan, nan, whyNoPath)
			continue
		case math.IsInf(l.key, 1) || l.key > bound:
			put(int(j), nan, nan, whyBound)
			continue
		}
		l = l.plus(s.cost(o.Seg, o.DistM)).plus(s.cost(q.Seg, q.DistM))
		metres, sec := l.key, l.alt
		if s.metric == Fastest {
			metres, sec = l.alt, l.key
		}
		put(int(j), metres/1000, sec/60, whyNone)
	}
	return nil
}

// Value is one road value of a Sparse result.
type Value struct {
	Km, Minutes float64
	// Reason is "" for a value, else why the pair has none (Reason*).
	Reason string
}

// Sparse computes the road values between each origin i and the targets
// listed in want[i] (indices into targets): from the origin to each target,
// or, with backward, from each target to the origin (one search per origin
// over reversed arcs). Each search stops once its own targets are settled,
// so lists of near targets cost little. out[i][k] is the value of want[i][k].
// Searches run in parallel as in Matrix; the result does not depend on it.
func (g *Graph) Sparse(ctx context.Context, origins, targets []Snap, want [][]int32, backward bool, opt *MatrixOptions) ([][]Value, error) {
	if opt == nil {
		opt = &MatrixOptions{}
	}
	bound, err := opt.bound()
	if err != nil {
		return nil, err
	}
	if len(want) != len(origins) {
		return nil, fmt.Errorf("roads: %d target lists for %d origins", len(want), len(origins))
	}
	out := make([][]Value, len(origins))
	for i := range out {
		out[i] = make([]Value, len(want[i]))
		for _, j := range want[i] {
			if j < 0 || int(j) >= len(targets) {
				return nil, fmt.Errorf("roads: origin %d lists target %d of %d", i, j, len(targets))
			}
		}
	}
	err = g.runSearches(ctx, len(origins), opt.Workers, opt.Metric, opt.Progress, func(s *searcher, i int) error {
		pos := map[int]int{}
		for k, j := range want[i] {
			pos[int(j)] = k
		}
		if !origins[i].Placed() {
			for k := range want[i] {
				out[i][k] = Value{math.NaN(), math.NaN(), ReasonNotPlaced}
			}
			return nil
		}
		return g.searchFrom(ctx, s, origins[i], targets, want[i], backward, bound, func(j int, km, min float64, r uint8) {
			out[i][pos[j]] = Value{km, min, reasons[r]}
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Nearest is a target's nearest source.
type Nearest struct {
	Source      int // index into the sources; -1 when none is reachable
	Km, Minutes float64
}

// NearestSource finds, for every target, the source that is nearest by the
// metric along the road, with one multi-source search: from the sources
// (towards targets) or, with toSource, over reversed arcs (the route from
// each target to its nearest source, as an owner drives to an outlet). Ties
// are broken deterministically (the label reached first). Values include
// access legs like Matrix; a target at a source's very point gets 0.
// Unplaced targets and sources are ignored (Source -1).
func (g *Graph) NearestSource(ctx context.Context, sources, targets []Snap, toSource bool, metric Metric) ([]Nearest, error) {
	s := newSearcher(g, metric)
	s.owner = make([]int32, g.numVertices())
	onSeg := map[int32][]int{}
	// Seeds in index order: relax keeps the first of equal labels.
	for i, src := range sources {
		if !src.Placed() {
			continue
		}
		s.seedOwned(src, toSource, int32(i))
		onSeg[src.Seg] = append(onSeg[src.Seg], i)
	}
	var wait []int32
	for _, q := range targets {
		if q.Placed() {
			wait = g.ends(q, toSource, wait)
		}
	}
	if _, err := s.run(ctx, toSource, wait, math.Inf(1)); err != nil {
		return nil, err
	}
	out := make([]Nearest, len(targets))
	for j, q := range targets {
		out[j] = Nearest{Source: -1, Km: math.NaN(), Minutes: math.NaN()}
		if !q.Placed() {
			continue
		}
		best, owner := s.priceOwned(q, toSource)
		for _, i := range onSeg[q.Seg] {
			// Along the shared segment: price from the source itself.
			src := sources[i]
			if l := s.along(src, q, toSource).plus(s.cost(src.Seg, src.DistM)); l.less(best) || l == best && int32(i) < owner {
				best, owner = l, int32(i)
			}
		}
		if owner < 0 {
			continue
		}
		if sources[owner].Point == q.Point {
			out[j] = Nearest{Source: int(owner)}
			continue
		}
		l := best.plus(s.cost(q.Seg, q.DistM))
		metres, sec := l.key, l.alt
		if metric == Fastest {
			metres, sec = l.alt, l.key
		}
		out[j] = Nearest{Source: int(owner), Km: metres / 1000, Minutes: sec / 60}
	}
	return out, nil
}
