package roads

import (
	"math"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
)

// Snap is a point placed on the road graph: on segment Seg, Off metres from
// its A end along the shape, DistM metres (great circle) from the point.
// Seg is -1 when the point was not placed.
type Snap struct {
	Seg   int32
	Off   float64
	DistM float64
	At    orb.Point // the place on the road, {lon, lat}
	Point orb.Point // the point snapped
}

// Placed reports whether the point is on the graph.
func (s Snap) Placed() bool { return s.Seg >= 0 }

// snapSearchKm are the radii tried in turn: most points are within the
// first; a point farther than the last is not placed.
var snapSearchKm = []float64{1, 8, 64, 512}

// SnapPoints places each point on the nearest road of the largest strongly
// connected component to which points may snap (Profile.NoSnap excludes
// motorways by default). The nearest is by great-circle distance to the
// polyline, ties going to the segment listed first. A point more than 512 km
// from any such road is not placed (Seg -1). Cost: one pass over the road
// shape per search radius, O(shape + points).
func (g *Graph) SnapPoints(pts []orb.Point) []Snap {
	out := make([]Snap, len(pts))
	best := make([]bestPiece, len(pts))
	todo := make([]int32, 0, len(pts))
	for i := range pts {
		out[i] = Snap{Seg: -1, DistM: math.Inf(1), Point: pts[i]}
		best[i] = bestPiece{seg: -1, d2: math.Inf(1)}
		if p := pts[i]; !(math.Abs(p[1]) <= 90 && math.Abs(p[0]) <= 180) {
			continue // NaN or out of range: never placed
		}
		todo = append(todo, int32(i))
	}
	for _, r := range snapSearchKm {
		if len(todo) == 0 {
			break
		}
		g.snapPass(pts, todo, r, best)
		left := todo[:0]
		for _, i := range todo {
			// A piece found within r is the nearest: every piece within r
			// of the point was examined.
			if best[i].seg < 0 || best[i].km > r {
				best[i] = bestPiece{seg: -1, d2: math.Inf(1)}
				left = append(left, i)
			}
		}
		todo = left
	}
	for i := range pts {
		if best[i].seg >= 0 {
			out[i] = g.snapAt(pts[i], best[i])
		}
	}
	return out
}

// bestPiece is the nearest piece of road found so far for a point.
type bestPiece struct {
	seg   int32
	piece int32   // index of the piece's first node within the shape
	t     float64 // position along the piece, 0..1
	d2    float64 // squared planar distance, for ranking
	km    float64
}

// pointGrid buckets points into square cells for the pass over roads.
type pointGrid struct {
	minLat, minLon, cellLat, cellLon float64
	nx, ny                           int
	start                            []int32 // cell c holds idx[start[c]:start[c+1]]
	idx                              []int32
}

func newPointGrid(pts []orb.Point, todo []int32, rKm float64) *pointGrid {
	minLat, maxLat, minLon, maxLon := 90.0, -90.0, 180.0, -180.0
	for _, i := range todo {
		p := pts[i]
		minLat, maxLat = math.Min(minLat, p[1]), math.Max(maxLat, p[1])
		minLon, maxLon = math.Min(minLon, p[0]), math.Max(maxLon, p[0])
	}
	gr := &pointGrid{minLat: minLat, minLon: minLon}
	gr.cellLat = rKm / 111.0
	cosMax := math.Cos(math.Max(math.Abs(minLat), math.Abs(maxLat)) * math.Pi / 180)
	gr.cellLon = gr.cellLat / math.Max(cosMax, 0.01)
	// At most 2048 cells a side: wider cells for points spread far apart.
	gr.cellLat = math.Max(gr.cellLat, (maxLat-minLat)/2048)
	gr.cellLon = math.Max(gr.cellLon, (maxLon-minLon)/2048)
	gr.nx = int((maxLon-minLon)/gr.cellLon) + 1
	gr.ny = int((maxLat-minLat)/gr.cellLat) + 1
	count := make([]int32, gr.nx*gr.ny+1)
	for _, i := range todo {
		count[gr.cell(pts[i])+1]++
	}
	for c := 0; c < gr.nx*gr.ny; c++ {
		count[c+1] += count[c]
	}
	gr.start = count
	gr.idx = make([]int32, len(todo))
	pos := append([]int32(nil), count[:gr.nx*gr.ny]...)
	for _, i := range todo {
		c := gr.cell(pts[i])
		gr.idx[pos[c]] = i
		pos[c]++
	}
	return gr
}

func (gr *pointGrid) cell(p orb.Point) int {
	x := int((p[0] - gr.minLon) / gr.cellLon)
	y := int((p[1] - gr.minLat) / gr.cellLat)
	return y*gr.nx + x
}

// snapPass examines every snappable piece of road within rKm of a point of
// todo (by its bounding box widened by rKm) and keeps each point's nearest.
func (g *Graph) snapPass(pts []orb.Point, todo []int32, rKm float64, best []bestPiece) {
	gr := newPointGrid(pts, todo, rKm)
	padLat := rKm / 111.0
	for s := range g.segA {
		if g.segFlag[s]&flagSnap == 0 || !g.inMain(g.segA[s]) || !g.inMain(g.segB[s]) {
			continue
		}
		sh := g.shape[g.shapeOff[s]:g.shapeOff[s+1]]
		for k := 0; k+1 < len(sh); k++ {
			a, b := sh[k], sh[k+1]
			lat0, lat1 := float64(g.lat[a])*1e-7, float64(g.lat[b])*1e-7
			lon0, lon1 := float64(g.lon[a])*1e-7, float64(g.lon[b])*1e-7
			loLat, hiLat := math.Min(lat0, lat1)-padLat, math.Max(lat0, lat1)+padLat
			c := math.Cos(math.Min(math.Max(math.Abs(loLat), math.Abs(hiLat)), 89.9) * math.Pi / 180)
			padLon := padLat / c
			loLon, hiLon := math.Min(lon0, lon1)-padLon, math.Max(lon0, lon1)+padLon
			x0 := int(math.Floor((loLon - gr.minLon) / gr.cellLon))
			x1 := int(math.Floor((hiLon - gr.minLon) / gr.cellLon))
			y0 := int(math.Floor((loLat - gr.minLat) / gr.cellLat))
			y1 := int(math.Floor((hiLat - gr.minLat) / gr.cellLat))
			if x1 < 0 || y1 < 0 || x0 >= gr.nx || y0 >= gr.ny {
				continue
			}
			x0, y0 = max(x0, 0), max(y0, 0)
			x1, y1 = min(x1, gr.nx-1), min(y1, gr.ny-1)
			for y := y0; y <= y1; y++ {
				for x := x0; x <= x1; x++ {
					c := y*gr.nx + x
					for _, i := range gr.idx[gr.start[c]:gr.start[c+1]] {
						p := pts[i]
						t, d2 := projectPiece(p, lon0, lat0, lon1, lat1)
						if d2 < best[i].d2 {
							km := float64(geo.Haversine(p, orb.Point{lon0 + t*(lon1-lon0), lat0 + t*(lat1-lat0)}))
							best[i] = bestPiece{seg: int32(s), piece: int32(k), t: t, d2: d2, km: km}
						}
					}
				}
			}
		}
	}
}

// projectPiece returns the position t in [0, 1] on the piece nearest to p
// and the squared distance in km², in a local equirectangular projection
// centred on p (exact enough at the scale of a snap).
func projectPiece(p orb.Point, lon0, lat0, lon1, lat1 float64) (t, d2 float64) {
	const kmPerDeg = float64(geo.EarthRadius) * math.Pi / 180
	c := math.Cos(p[1] * math.Pi / 180)
	ax, ay := (lon0-p[0])*c*kmPerDeg, (lat0-p[1])*kmPerDeg
	bx, by := (lon1-p[0])*c*kmPerDeg, (lat1-p[1])*kmPerDeg
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	if l2 > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
	}
	x, y := ax+t*dx, ay+t*dy
	return t, x*x + y*y
}

// snapEndM is how close to a segment's end a snap counts as at the end.
const snapEndM = 0.01

// snapAt turns the nearest piece into a Snap with its offset along the
// segment.
func (g *Graph) snapAt(p orb.Point, b bestPiece) Snap {
	sh := g.shape[g.shapeOff[b.seg]:g.shapeOff[b.seg+1]]
	var off float64
	for k := int32(1); k <= b.piece; k++ {
		off += float64(geo.Haversine(g.point(sh[k-1]), g.point(sh[k]))) * 1000
	}
	a, c := g.point(sh[b.piece]), g.point(sh[b.piece+1])
	at := orb.Point{a[0] + b.t*(c[0]-a[0]), a[1] + b.t*(c[1]-a[1])}
	// Summed as segLen is, so a point at the B end gets exactly its length.
	switch {
	case b.t == 1:
		off += float64(geo.Haversine(a, c)) * 1000
		at = c
	case b.t > 0:
		off += b.t * float64(geo.Haversine(a, c)) * 1000
	default:
		at = a
	}
	// Within a centimetre (the resolution of OSM coordinates) of an end is
	// at that end's vertex, where every road through it can be taken.
	switch L := g.segLen[b.seg]; {
	case off < snapEndM:
		off = 0
	case off > L-snapEndM:
		off = L
	}
	return Snap{Seg: b.seg, Off: off, DistM: b.km * 1000, At: at, Point: p}
}
