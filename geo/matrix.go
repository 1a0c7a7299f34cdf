package geo

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// DistMatrix holds road distances and travel times between N locations.
//
// Storage is flat and row-major: the leg from i to j is Km[i*N+j] and
// H[i*N+j]. One allocation per slice keeps a 2,000 x 2,000 matrix (64 MB)
// cache friendly and cheap to build; memory is 16*N*N bytes, so callers should
// refuse N much beyond 10,000 (1.6 GB). Legs may be asymmetric when the matrix
// comes from a MatrixSource. A DistMatrix is safe for concurrent readers.
type DistMatrix struct {
	N  int
	Km []Kilometers
	H  []Hours
}

// NewDistMatrix returns an n x n matrix of zeros.
func NewDistMatrix(n int) *DistMatrix {
	return &DistMatrix{N: n, Km: make([]Kilometers, n*n), H: make([]Hours, n*n)}
}

// At returns the distance and travel time of the leg from i to j. It panics
// if i or j is outside [0, N).
func (m *DistMatrix) At(i, j int) (Kilometers, Hours) {
	if uint(i) >= uint(m.N) || uint(j) >= uint(m.N) {
		panic(fmt.Sprintf("geo: DistMatrix.At(%d, %d) outside a %d x %d matrix", i, j, m.N, m.N))
	}
	k := i*m.N + j
	return m.Km[k], m.H[k]
}

// Rows copies the matrix into row slices of plain float64 (kilometres and
// hours), the layout of routing.Problem.Distance and Duration. The two results
// share no memory with m.
func (m *DistMatrix) Rows() (km, hours [][]float64) {
	n := m.N
	flatK := make([]float64, n*n)
	flatH := make([]float64, n*n)
	km = make([][]float64, n)
	hours = make([][]float64, n)
	for i := 0; i < n; i++ {
		rowK, rowH := flatK[i*n:(i+1)*n:(i+1)*n], flatH[i*n:(i+1)*n:(i+1)*n]
		for j := 0; j < n; j++ {
			rowK[j] = float64(m.Km[i*n+j])
			rowH[j] = float64(m.H[i*n+j])
		}
		km[i], hours[i] = rowK, rowH
	}
	return km, hours
}

// Matrix builds the estimated road matrix between points: distance is
// Road(points[i], points[j], detour) and time is that distance at the mean
// speed. Location i of the matrix is points[i]. It is symmetric with a zero
// diagonal. Cost is O(n^2) time and 16*n^2 bytes.
//
// It reports an error for a speed that is not positive and finite, or for a
// point outside the longitude/latitude ranges.
func Matrix(points []orb.Point, detour Detour, speed KmPerHour) (*DistMatrix, error) {
	if !(speed > 0) || math.IsInf(float64(speed), 1) {
		return nil, fmt.Errorf("geo: matrix speed %v km/h; want a positive finite speed", float64(speed))
	}
	for i, p := range points {
		if err := checkPoint(p, fmt.Sprintf("matrix point %d", i)); err != nil {
			return nil, err
		}
	}
	n := len(points)
	m := NewDistMatrix(n)
	f := detour.Factor()
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			d := Haversine(points[i], points[j]) * Kilometers(f)
			t := speed.TimeFor(d)
			m.Km[i*n+j], m.Km[j*n+i] = d, d
			m.H[i*n+j], m.H[j*n+i] = t, t
		}
	}
	return m, nil
}

// ErrNoLeg is wrapped by MatrixSource errors when the source has no value for
// a pair of ids.
var ErrNoLeg = errors.New("no leg in the matrix")

// MatrixSource gives the road distance and travel time between two locations
// named by id. A source backed by a road-network matrix (read from a CSV by the
// planner) replaces the haversine estimate; see BuildMatrix and WithFallback.
// Implementations must be safe for concurrent calls to Leg once built.
type MatrixSource interface {
	// Leg returns the distance and time from one id to another. An error
	// wrapping ErrNoLeg means the source does not know the pair.
	Leg(from, to string) (Kilometers, Hours, error)
}

// BuildMatrix asks src for every ordered pair of ids and returns the matrix
// whose location i is ids[i]. The diagonal is zero without asking src. It
// reports the first failing pair.
func BuildMatrix(src MatrixSource, ids []string) (*DistMatrix, error) {
	n := len(ids)
	m := NewDistMatrix(n)
	for i, from := range ids {
		for j, to := range ids {
			if i == j {
				continue
			}
			d, t, err := src.Leg(from, to)
			if err != nil {
				return nil, fmt.Errorf("geo: matrix entry (%d, %d) from %q to %q: %w", i, j, from, to, err)
			}
			m.Km[i*n+j], m.H[i*n+j] = d, t
		}
	}
	return m, nil
}

type legKey struct{ from, to string }

type leg struct {
	km Kilometers
	h  Hours
}

// MemoryMatrix is a MatrixSource held in memory, keyed by (from, to) ids. It
// is what the planner fills from a user-supplied road matrix CSV.
//
// Set is not safe for concurrent use; Leg is safe for concurrent readers once
// no more Set calls happen. The zero value is ready to use.
type MemoryMatrix struct {
	// Symmetric makes Leg(a, b) fall back to the value set for (b, a) when
	// (a, b) was not set, for files that list each pair once.
	Symmetric bool
	legs      map[legKey]leg
}

// Set records the leg from one id to another, replacing any earlier value.
// It reports an error for a negative or non-finite distance or time.
func (m *MemoryMatrix) Set(from, to string, km Kilometers, h Hours) error {
	if !(km >= 0) || math.IsInf(float64(km), 1) || !(h >= 0) || math.IsInf(float64(h), 1) {
		return fmt.Errorf("geo: leg from %q to %q has distance %v km and time %v h; want finite non-negative values", from, to, float64(km), float64(h))
	}
	if m.legs == nil {
		m.legs = make(map[legKey]leg)
	}
	m.legs[legKey{from, to}] = leg{km, h}
	return nil
}

// Len returns the number of legs set.
func (m *MemoryMatrix) Len() int { return len(m.legs) }

// Leg implements MatrixSource. A leg from an id to itself is zero unless set.
func (m *MemoryMatrix) Leg(from, to string) (Kilometers, Hours, error) {
	if l, ok := m.legs[legKey{from, to}]; ok {
		return l.km, l.h, nil
	}
	if m.Symmetric {
		if l, ok := m.legs[legKey{to, from}]; ok {
			return l.km, l.h, nil
		}
	}
	if from == to {
		return 0, 0, nil
	}
	return 0, 0, fmt.Errorf("geo: %w from %q to %q", ErrNoLeg, from, to)
}

// HaversineSource is the estimated MatrixSource: Road distance between the
// ids' points at a constant mean speed. It is safe for concurrent readers as
// long as Points is not modified.
type HaversineSource struct {
	Points map[string]orb.Point
	Detour Detour
	Speed  KmPerHour
}

// Leg implements MatrixSource. Unknown ids give an error wrapping ErrNoLeg.
func (s HaversineSource) Leg(from, to string) (Kilometers, Hours, error) {
	a, ok := s.Points[from]
	if !ok {
		return 0, 0, fmt.Errorf("geo: %w: id %q has no point", ErrNoLeg, from)
	}
	b, ok := s.Points[to]
	if !ok {
		return 0, 0, fmt.Errorf("geo: %w: id %q has no point", ErrNoLeg, to)
	}
	d := Road(a, b, s.Detour)
	return d, s.Speed.TimeFor(d), nil
}

// WithFallback returns a source that asks primary first and, only when
// primary has no such leg (an error wrapping ErrNoLeg), asks fallback. Other
// primary errors are returned as they are. Use it to complete a partial road
// matrix with haversine estimates.
func WithFallback(primary, fallback MatrixSource) MatrixSource {
	return fallbackSource{primary, fallback}
}

type fallbackSource struct{ primary, fallback MatrixSource }

func (f fallbackSource) Leg(from, to string) (Kilometers, Hours, error) {
	d, t, err := f.primary.Leg(from, to)
	if err == nil || !errors.Is(err, ErrNoLeg) {
		return d, t, err
	}
	return f.fallback.Leg(from, to)
}
