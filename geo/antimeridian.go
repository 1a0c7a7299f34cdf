package geo

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Cutting geometries at the antimeridian (RFC 7946 §3.1.9). Geometries are
// first unwrapped so that longitudes are continuous (see unwrapPath); an
// unwrapped geometry that reaches past ±180 is then cut along the lines
// x = 180 + 360k and every piece is shifted back into [-180, 180].

// stripOf returns k such that x lies in the strip [-180+360k, 180+360k].
func stripOf(x float64) float64 { return math.Floor((x + 180) / 360) }

// splitLine cuts an unwrapped path at every x = 180 + 360k it crosses and
// returns the pieces shifted into [-180, 180]. Pieces share their cut
// positions (one at +180, the next at -180).
func splitLine(pts []orb.Point) []orb.LineString {
	if len(pts) < 2 {
		return []orb.LineString{slices.Clone(pts)}
	}
	// Insert the crossing positions so that every segment lies in one strip.
	aug := make([]orb.Point, 0, len(pts)+2)
	aug = append(aug, pts[0])
	for i := 1; i < len(pts); i++ {
		p, q := pts[i-1], pts[i]
		lo, hi := math.Min(p[0], q[0]), math.Max(p[0], q[0])
		first := 180 + 360*math.Ceil((lo-180)/360)
		cuts := []float64{}
		for c := first; c < hi; c += 360 {
			if c > lo {
				cuts = append(cuts, c)
			}
		}
		if q[0] < p[0] {
			slices.Reverse(cuts)
		}
		for _, c := range cuts {
			aug = append(aug, orb.Point{c, p[1] + (c-p[0])*(q[1]-p[1])/(q[0]-p[0])})
		}
		aug = append(aug, q)
	}
	var out []orb.LineString
	cur := orb.LineString{aug[0]}
	curK := math.NaN()
	for i := 1; i < len(aug); i++ {
		p, q := aug[i-1], aug[i]
		k := stripOf((p[0] + q[0]) / 2)
		if p[0] == q[0] && !math.IsNaN(curK) {
			k = curK // a vertical or empty segment on a cut stays with its piece
		}
		if !math.IsNaN(curK) && k != curK {
			out = append(out, shiftLine(cur, curK))
			cur = orb.LineString{p}
		}
		curK = k
		cur = append(cur, q)
	}
	return append(out, shiftLine(cur, curK))
}

func shiftLine(ls orb.LineString, k float64) orb.LineString {
	if k != 0 && !math.IsNaN(k) {
		for i := range ls {
			ls[i][0] -= 360 * k
		}
	}
	return ls
}

// splitPolygon cuts an unwrapped, oriented polygon (exterior CCW, holes CW,
// holes aligned with the exterior) at every x = 180 + 360k inside its
// longitude range and shifts the pieces into [-180, 180].
func splitPolygon(p orb.Polygon) ([]orb.Polygon, error) {
	if len(p) == 0 {
		return nil, nil
	}
	b := p[0].Bound()
	pieces := []orb.Polygon{p}
	for c := 180 + 360*math.Floor((b.Min[0]-180)/360+1); c < b.Max[0]; c += 360 {
		if c <= b.Min[0] {
			continue
		}
		var next []orb.Polygon
		for _, q := range pieces {
			l, r, err := splitAt(q, c)
			if err != nil {
				return nil, err
			}
			next = append(next, l...)
			next = append(next, r...)
		}
		pieces = next
	}
	for _, q := range pieces {
		qb := q[0].Bound()
		k := stripOf((qb.Min[0] + qb.Max[0]) / 2)
		if k != 0 {
			for _, r := range q {
				for i := range r {
					r[i][0] -= 360 * k
				}
			}
		}
	}
	return pieces, nil
}

// crossing is a point where a ring crosses the cut line.
type crossing struct {
	y          float64
	ring, seq  int // for a deterministic order of equal y
	partner    int
	startChain int // chain that starts here, -1 if none
}

// chain is a run of a ring on one side of the cut, from the crossing it
// starts at to the crossing it ends at (both included as positions).
type chain struct {
	pts        []orb.Point
	start, end int
	right      bool
}

// splitAt cuts polygon p along the vertical line x = c into the polygons
// left (x <= c) and right (x >= c) of it. Positions on the line count as
// left. It works for concave exteriors (giving several pieces on one side)
// and for holes that cross the line (they become part of the pieces'
// exteriors). The polygon must be oriented (exterior CCW, holes CW).
//
// Along the line, sorted by latitude, crossings alternate between the
// bottom and the top of a segment inside the polygon; an oriented boundary
// leaves the left side at the bottom of such a segment and enters it at the
// top. So each chain that ends at a crossing continues, after walking along
// the line, with the chain that starts at its partner crossing.
func splitAt(p orb.Polygon, c float64) (left, right []orb.Polygon, err error) {
	b := p[0].Bound()
	if b.Max[0] <= c {
		return []orb.Polygon{p}, nil, nil
	}
	if b.Min[0] >= c {
		return nil, []orb.Polygon{p}, nil
	}
	var xs []crossing
	var chains []chain
	type loose struct {
		ring  orb.Ring
		right bool
	}
	var holes []loose
	for ri, r := range p {
		n := len(r) - 1 // r is closed
		side := func(i int) bool { return r[i%n][0] > c }
		s := -1
		for i := 1; i <= n; i++ {
			if side(i) != side(i-1) {
				s = i % n
				break
			}
		}
		if s < 0 {
			if ri == 0 {
				// The exterior straddles c by its bound but never crosses it:
				// impossible for a closed ring; keep it whole, by side.
				if side(0) {
					return nil, []orb.Polygon{p}, nil
				}
				return []orb.Polygon{p}, nil, nil
			}
			holes = append(holes, loose{r, side(0)})
			continue
		}
		cross := func(i, j int) int {
			a, bb := r[i%n], r[j%n]
			y := a[1] + (c-a[0])*(bb[1]-a[1])/(bb[0]-a[0])
			if a[0] == c {
				y = a[1]
			}
			xs = append(xs, crossing{y: y, ring: ri, seq: len(xs), startChain: -1})
			return len(xs) - 1
		}
		first := cross(s+n-1, s)
		cur := chain{pts: []orb.Point{{c, xs[first].y}}, start: first, right: side(s)}
		for k := 0; k < n; k++ {
			j := (s + k) % n
			cur.pts = append(cur.pts, r[j])
			if side(j) != side(j+1) {
				id := first
				if (j+1)%n != s {
					id = cross(j, j+1)
				}
				cur.end = id
				cur.pts = append(cur.pts, orb.Point{c, xs[id].y})
				chains = append(chains, cur)
				cur = chain{pts: []orb.Point{{c, xs[id].y}}, start: id, right: side(j + 1)}
			}
		}
	}
	if len(xs)%2 != 0 {
		return nil, nil, fmt.Errorf("geo: polygon crosses longitude %g an odd number of times (%d); it is not a valid closed polygon", c, len(xs))
	}
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if v := cmp.Compare(xs[a].y, xs[b].y); v != 0 {
			return v
		}
		if v := cmp.Compare(xs[a].ring, xs[b].ring); v != 0 {
			return v
		}
		return cmp.Compare(xs[a].seq, xs[b].seq)
	})
	for i := 0; i < len(order); i += 2 {
		xs[order[i]].partner, xs[order[i+1]].partner = order[i+1], order[i]
	}
	for i, ch := range chains {
		xs[ch.start].startChain = i
	}
	used := make([]bool, len(chains))
	for i := range chains {
		if used[i] {
			continue
		}
		var ring orb.Ring
		for j := i; ; {
			if used[j] {
				return nil, nil, fmt.Errorf("geo: cannot cut polygon at longitude %g: its rings cross themselves or are not oriented", c)
			}
			used[j] = true
			ring = append(ring, chains[j].pts...)
			next := xs[xs[chains[j].end].partner].startChain
			if next == i {
				break
			}
			if next < 0 || chains[next].right != chains[i].right {
				return nil, nil, fmt.Errorf("geo: cannot cut polygon at longitude %g: its rings cross themselves or are not oriented", c)
			}
			j = next
		}
		ring = append(ring, ring[0])
		if chains[i].right {
			right = append(right, orb.Polygon{ring})
		} else {
			left = append(left, orb.Polygon{ring})
		}
	}
	// Holes that do not cross the line go to the piece that contains them.
	for _, h := range holes {
		pieces := left
		if h.right {
			pieces = right
		}
		probe, ok := offLine(h.ring, c)
		if !ok {
			continue // a hole lying on the line has no area
		}
		for k := range pieces {
			if ringContains(pieces[k][0], probe) {
				pieces[k] = append(pieces[k], h.ring)
				break
			}
		}
	}
	return left, right, nil
}

// offLine returns a position of r not on the line x = c.
func offLine(r orb.Ring, c float64) (orb.Point, bool) {
	for _, p := range r {
		if p[0] != c {
			return p, true
		}
	}
	return orb.Point{}, false
}

// ringContains is the even-odd point-in-ring test in the lon/lat plane.
func ringContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}
