package routing

import (
	"cmp"
	"math"
	"slices"
)

// hgsPolar orders the routes of a giant tour by the polar angle of their
// barycentre around the depot, as HGS-CVRP does, in a plane recovered from
// the distance matrix (classical multidimensional scaling: Problem carries
// no coordinates); off, routes are chained by nearest ends (giantTour).
// On since wave 7 (measured better in wave 6); the plane also gives the
// dedicated local search its SWAP* sectors (cvrpls_swapstar.go).
var hgsPolar = true

// planeAngles returns, per visit, its angle around the start depot of type
// 0 in the plane of classical MDS over the depot and the active visits
// (distances symmetrised; the two leading eigenvectors of the doubly
// centred squared distances by power iteration, a fixed number of steps
// from a fixed start, so the result is deterministic), and per visit its
// plane coordinates.
func (in *inst) planeAngles() (xs, ys []float64) {
	locs := []int{int(in.types[0].start)}
	idx := make([]int, in.nj)
	for j, a := range in.active {
		idx[j] = -1
		if a {
			idx[j] = len(locs)
			locs = append(locs, int(in.loc[j]))
		}
	}
	m := len(locs)
	b := make([]float64, m*m)
	for i, li := range locs {
		for k, lk := range locs {
			d := (in.dist[li*in.n+lk] + in.dist[lk*in.n+li]) / 2
			b[i*m+k] = d * d
		}
	}
	doubleCentre(b, m)
	v1, l1 := powerIter(b, m, nil)
	v2, l2 := powerIter(b, m, v1)
	xs, ys = make([]float64, in.nj), make([]float64, in.nj)
	s1, s2 := math.Sqrt(max(l1, 0)), math.Sqrt(max(l2, 0))
	for j, k := range idx {
		if k >= 0 {
			xs[j], ys[j] = s1*(v1[k]-v1[0]), s2*(v2[k]-v2[0])
		}
	}
	return xs, ys
}

// doubleCentre turns squared distances into the Gram matrix -J B J / 2.
func doubleCentre(b []float64, m int) {
	row := make([]float64, m)
	all := 0.0
	for i := 0; i < m; i++ {
		for k := 0; k < m; k++ {
			row[i] += b[i*m+k]
		}
		all += row[i]
		row[i] /= float64(m)
	}
	all /= float64(m * m)
	for i := 0; i < m; i++ {
		for k := 0; k < m; k++ {
			b[i*m+k] = -(b[i*m+k] - row[i] - row[k] + all) / 2
		}
	}
}

// powerIter returns the leading unit eigenvector of the symmetric b and its
// eigenvalue, orthogonal to off when given (deflation by projection).
func powerIter(b []float64, m int, off []float64) ([]float64, float64) {
	v := make([]float64, m)
	for i := range v {
		v[i] = 1 + float64(i%7)/7
	}
	w := make([]float64, m)
	lam := 0.0
	for it := 0; it < 100; it++ {
		if off != nil {
			project(v, off)
		}
		for i := 0; i < m; i++ {
			s := 0.0
			for k, x := range v {
				s += b[i*m+k] * x
			}
			w[i] = s
		}
		n := math.Sqrt(dot(w, w))
		if n == 0 {
			break
		}
		lam = dot(v, w) / dot(v, v)
		for i := range v {
			v[i] = w[i] / n
		}
	}
	return v, lam
}

func project(v, u []float64) {
	c := dot(v, u)
	for i := range v {
		v[i] -= c * u[i]
	}
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// polarTour concatenates routes in the order of the polar angle of their
// barycentres in the plane xs, ys (ties: the order given).
func polarTour(dst []int32, routes [][]int32, xs, ys []float64) []int32 {
	type ra struct {
		a float64
		k int
	}
	order := make([]ra, 0, len(routes))
	for k, r := range routes {
		if len(r) == 0 {
			continue
		}
		x, y := 0.0, 0.0
		for _, j := range r {
			x += xs[j]
			y += ys[j]
		}
		order = append(order, ra{math.Atan2(y, x), k})
	}
	slices.SortStableFunc(order, func(p, q ra) int { return cmp.Compare(p.a, q.a) })
	dst = dst[:0]
	for _, o := range order {
		dst = append(dst, routes[o.k]...)
	}
	return dst
}
