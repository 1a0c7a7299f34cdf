package roads

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// MatrixOptions control Matrix. The zero value means the fastest routes,
// no bound, one worker per CPU and no progress.
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

// Reasons a pair of points has no road value.
const (
	ReasonNotPlaced = "not_on_road"  // a point is not placed on the graph (see Place)
	ReasonNoPath    = "no_path"      // no route in the allowed directions
	ReasonBound     = "beyond_bound" // the route is longer than the search bound
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

// Matrix computes road km and minutes from every from snap to every to snap
// by one Dijkstra search per point of the smaller side (forward from the
// sources, or backward over reversed arcs from the targets), each stopped as
// soon as every vertex needed to price the other side is settled or the
// bound is passed. Searches run in parallel on opt.Workers goroutines; the
// result does not depend on their number or timing.
//
// A value is the road route between the two places on the road plus the
// straight access legs from each point to its place (counted at that road's
// speed). Cost: each search is O(E log V) at worst for the part of the graph
// it explores; memory is O(V) per worker plus the matrix. A cancelled ctx
// returns ctx's error and no matrix.
func (g *Graph) Matrix(ctx context.Context, from, to []Snap, opt *MatrixOptions) (*Matrix, error) {
	if opt == nil {
		opt = &MatrixOptions{}
	}
	bound := math.Inf(1)
	switch {
	case opt.Metric == Fastest && opt.MaxKm != 0, opt.Metric == Shortest && opt.MaxMinutes != 0:
		return nil, fmt.Errorf("roads: a %s matrix is bounded by %s, not by %s", opt.Metric,
			map[Metric]string{Fastest: "minutes", Shortest: "km"}[opt.Metric], map[Metric]string{Fastest: "km", Shortest: "minutes"}[opt.Metric])
	case opt.MaxMinutes < 0 || opt.MaxKm < 0 || math.IsNaN(opt.MaxMinutes+opt.MaxKm):
		return nil, fmt.Errorf("roads: search bound %g min / %g km: want >= 0", opt.MaxMinutes, opt.MaxKm)
	case opt.MaxMinutes > 0:
		bound = opt.MaxMinutes * 60
	case opt.MaxKm > 0:
		bound = opt.MaxKm * 1000
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
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(jobs)))
	var (
		next, done atomic.Int64
		mu         sync.Mutex
		firstErr   error
		wg         sync.WaitGroup
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newSearcher(g, opt.Metric)
			var wait []int32
			for {
				k := int(next.Add(1) - 1)
				if k >= len(jobs) || ctx.Err() != nil {
					return
				}
				if err := g.searchRow(ctx, s, origins[jobs[k]], jobs[k], others, m, why, bound, &wait); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				d := int(done.Add(1))
				if opt.Progress != nil {
					mu.Lock()
					opt.Progress(d, len(jobs))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if firstErr != nil {
		return nil, firstErr
	}
	for i, o := range origins {
		if o.Placed() {
			continue
		}
		for j := range others {
			m.set(i, j, why, 1)
		}
	}
	for k, r := range why {
		if r != 0 {
			m.Unreachable = append(m.Unreachable, Pair{From: k / m.Cols, To: k % m.Cols, Reason: reasons[r]})
		}
	}
	return m, nil
}

// set records reason code r (0: none) for origin i and other point j, in
// the matrix's own orientation.
func (m *Matrix) set(i, j int, why []uint8, r uint8) {
	k := i*m.Cols + j
	if m.Backward {
		k = j*m.Cols + i
	}
	why[k] = r
	if r != 0 {
		m.Km[k], m.Minutes[k] = math.NaN(), math.NaN()
	}
}

// searchRow runs the search from origin o (index i) and prices every other
// point.
func (g *Graph) searchRow(ctx context.Context, s *searcher, o Snap, i int, others []Snap, m *Matrix, why []uint8, bound float64, wait *[]int32) error {
	s.reset()
	s.seed(o, m.Backward)
	w := (*wait)[:0]
	for _, q := range others {
		if q.Placed() {
			w = g.ends(q, m.Backward, w)
		}
	}
	*wait = w
	bounded, err := s.run(ctx, m.Backward, w, bound)
	if err != nil {
		return err
	}
	for j, q := range others {
		if !q.Placed() {
			m.set(i, j, why, 1)
			continue
		}
		l := s.price(o, q, m.Backward)
		switch {
		case math.IsInf(l.key, 1) && !bounded:
			m.set(i, j, why, 2)
			continue
		case math.IsInf(l.key, 1) || l.key > bound:
			m.set(i, j, why, 3)
			continue
		}
		l = l.plus(s.cost(o.Seg, o.DistM)).plus(s.cost(q.Seg, q.DistM))
		metres, sec := l.key, l.alt
		if s.metric == Fastest {
			metres, sec = l.alt, l.key
		}
		k := i*m.Cols + j
		if m.Backward {
			k = j*m.Cols + i
		}
		m.Km[k], m.Minutes[k] = metres/1000, sec/60
	}
	return nil
}
