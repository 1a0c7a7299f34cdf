package geo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Planar helpers on lon/lat rings. GeoJSON treats coordinates as planar
// (RFC 7946 §3.1.1), so winding and the antimeridian are decided in the
// lon/lat plane.

// unwrapPath returns a copy of pts whose longitudes are continuous: each
// longitude is shifted by a multiple of 360 so that it differs from the
// previous one by at most 180. The first point keeps its longitude. This
// assumes, as RFC 7946 does, that no edge spans 180 degrees of longitude or
// more.
func unwrapPath(pts []orb.Point) []orb.Point {
	out := make([]orb.Point, len(pts))
	copy(out, pts)
	for i := 1; i < len(out); i++ {
		d := out[i][0] - out[i-1][0]
		if d > 180 || d < -180 {
			out[i][0] -= 360 * math.Round(d/360)
		}
	}
	return out
}

// closeRing returns r closed (last point equal to the first), reusing r
// when it already is.
func closeRing(r orb.Ring) orb.Ring {
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r[:len(r):len(r)], r[0])
	}
	return r
}

// unwrapRing closes r and makes its longitudes continuous. A ring that
// winds around a pole ends 360 degrees east or west of where it started;
// it is then closed through the pole of the hemisphere holding most of its
// points (by mean latitude), which is the usual lon/lat picture of a polar
// cap.
func unwrapRing(r orb.Ring) orb.Ring {
	r = closeRing(r)
	if len(r) == 0 {
		return nil
	}
	u := orb.Ring(unwrapPath(r))
	last := u[len(u)-1]
	if shift := last[0] - u[0][0]; math.Abs(shift) > 180 {
		var mean float64
		for _, p := range u[:len(u)-1] {
			mean += p[1]
		}
		pole := 90.0
		if mean < 0 {
			pole = -90
		}
		// Walk along the pole in steps of at most 90 degrees so that no
		// edge spans 180 degrees of longitude (the output stays valid input).
		steps := int(math.Ceil(math.Abs(shift) / 90))
		for i := 0; i <= steps; i++ {
			u = append(u, orb.Point{last[0] - shift*float64(i)/float64(steps), pole})
		}
		u = append(u, u[0])
	}
	return u
}

// alignRing shifts the (unwrapped) hole r by a multiple of 360 degrees of
// longitude so that it lies over the (unwrapped) exterior ext, in place.
func alignRing(r, ext orb.Ring) orb.Ring {
	if len(r) == 0 || len(ext) == 0 {
		return r
	}
	b := ext.Bound()
	shift := 360 * math.Round((r[0][0]-(b.Min[0]+b.Max[0])/2)/360)
	if shift != 0 {
		for i := range r {
			r[i][0] -= shift
		}
	}
	return r
}

// ringArea returns the signed shoelace area of a closed ring in square
// degrees: positive when counter-clockwise in the lon/lat plane.
func ringArea(r orb.Ring) float64 {
	a, _ := ringAreaBound(r)
	return a
}

// ringAreaBound returns the signed area and a bound on its rounding error.
// Positions are taken relative to the first one, so a small ring far from
// (0, 0) keeps its digits; the bound is n x machine epsilon x the sum of the
// products' magnitudes (the error bound of a plain sum).
func ringAreaBound(r orb.Ring) (area, bound float64) {
	if len(r) == 0 {
		return 0, 0
	}
	x0, y0 := r[0][0], r[0][1]
	var a, s float64
	for i := 0; i+1 < len(r); i++ {
		xi, yi := r[i][0]-x0, r[i][1]-y0
		xj, yj := r[i+1][0]-x0, r[i+1][1]-y0
		a += xi*yj - xj*yi
		s += math.Abs(xi*yj) + math.Abs(xj*yi)
	}
	const eps = 0x1p-52
	return a / 2, float64(len(r)) * eps * s
}

// degenerate reports whether a ring of rounded positions encloses no area.
// Its positions lie on the 1e-6 degree grid, so a ring that encloses any
// area encloses at least 0.5e-12 square degrees; below a quarter of that,
// or below the rounding error of the sum, the area is zero and its sign
// (the winding) is noise.
func degenerate(r orb.Ring) bool {
	a, bound := ringAreaBound(r)
	return math.Abs(a) <= math.Max(bound, 0.25e-12)
}

// orient returns r reversed in place when its winding is not the wanted
// one (ccw true for counter-clockwise).
func orient(r orb.Ring, ccw bool) orb.Ring {
	if a := ringArea(r); (a > 0) != ccw && a != 0 {
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
	}
	return r
}

// checkRing reports an error unless r is closed, has at least four
// positions and only finite coordinates.
func checkRing(r orb.Ring, what string) error {
	if len(r) < 4 {
		return fmt.Errorf("geo: %s has %d positions; want at least 4 (a closed triangle)", what, len(r))
	}
	if r[0] != r[len(r)-1] {
		return fmt.Errorf("geo: %s is not closed: first %v, last %v", what, r[0], r[len(r)-1])
	}
	for i, p := range r {
		if !finite(p[0]) || !finite(p[1]) {
			return fmt.Errorf("geo: %s position %d is %v; want finite coordinates", what, i, p)
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
