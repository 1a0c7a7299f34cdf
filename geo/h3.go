package geo

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/uber/h3-go/v4"
)

// H3 helpers: points to cells, cells to GeoJSON-ready polygons, disks and
// merged service areas. Every function checks its resolution and cells
// first and returns an error that says what was wrong, because h3's own
// errors ("argument was outside of acceptable range") do not name the
// argument.
//
// Cell polygons are lon/lat rings, closed and counter-clockwise (RFC 7946
// right-hand rule). A cell that straddles the antimeridian keeps continuous
// longitudes (some beyond ±180) so that it is a valid planar polygon;
// WriteFeatureCollection splits it at ±180 as RFC 7946 §3.1.9 asks.

// MaxResolution is the finest H3 resolution (about 0.9 m² cells).
const MaxResolution = 15

// DefaultMaxCells is the CellsInPolygon limit used when the caller passes
// 0: 4 million cells, about 32 MB of ids, a resolution-7 grid (5 km² cells)
// over 20 million km², or resolution 8 over all of China.
const DefaultMaxCells = 4_000_000

func checkRes(res int) error {
	if res < 0 || res > MaxResolution {
		return fmt.Errorf("geo: H3 resolution %d outside 0..%d", res, MaxResolution)
	}
	return nil
}

func checkCell(c h3.Cell) error {
	if !c.IsValid() {
		return fmt.Errorf("geo: %#x is not a valid H3 cell", uint64(c))
	}
	return nil
}

// Cell returns the H3 cell of resolution res containing p (a {lon, lat}
// point in degrees).
func Cell(p orb.Point, res int) (h3.Cell, error) {
	if err := checkRes(res); err != nil {
		return 0, err
	}
	if err := checkPoint(p, "point"); err != nil {
		return 0, err
	}
	c, err := h3.LatLngToCell(h3.NewLatLng(p[1], p[0]), res)
	if err != nil {
		return 0, fmt.Errorf("geo: H3 cell of %v at resolution %d: %w", p, res, err)
	}
	return c, nil
}

// CellCenter returns the centre of c as a {lon, lat} point.
func CellCenter(c h3.Cell) (orb.Point, error) {
	if err := checkCell(c); err != nil {
		return orb.Point{}, err
	}
	ll, err := h3.CellToLatLng(c)
	if err != nil {
		return orb.Point{}, fmt.Errorf("geo: centre of cell %s: %w", c, err)
	}
	return orb.Point{ll.Lng, ll.Lat}, nil
}

// CellPolygon returns the boundary of c as a one-ring polygon: closed,
// counter-clockwise, 5 (pentagon) or 6 (hexagon) vertices plus the closing
// one, or up to 10 for cells whose edges cross an icosahedron face (h3 adds
// distortion vertices there at odd resolutions). Longitudes are continuous
// across the antimeridian; the ring of a cell containing a pole is closed
// along the pole. The polygon is newly allocated and owned by the caller.
func CellPolygon(c h3.Cell) (orb.Polygon, error) {
	if err := checkCell(c); err != nil {
		return nil, err
	}
	b, err := h3.CellToBoundary(c)
	if err != nil {
		return nil, fmt.Errorf("geo: boundary of cell %s: %w", c, err)
	}
	r := make(orb.Ring, len(b), len(b)+3)
	for i, ll := range b {
		r[i] = orb.Point{ll.Lng, ll.Lat}
	}
	return orb.Polygon{orient(unwrapRing(r), true)}, nil
}

// Disk returns the cells within k grid steps of c, c first, in h3's
// (deterministic) ring order: 1 + 3k(k+1) cells, fewer next to a pentagon.
func Disk(c h3.Cell, k int) ([]h3.Cell, error) {
	if err := checkCell(c); err != nil {
		return nil, err
	}
	if k < 0 {
		return nil, fmt.Errorf("geo: disk radius %d; want k >= 0 grid steps", k)
	}
	cells, err := h3.GridDisk(c, k)
	if err != nil {
		return nil, fmt.Errorf("geo: disk of %d steps around %s: %w", k, c, err)
	}
	return cells, nil
}

// EstimateCells returns about how many resolution-res cells cover an area
// of areaKm2 square kilometres (area over the mean hexagon area). Use it to
// refuse absurd requests before making them: resolution 15 over China's
// 9.6 million km² is about 10^13 cells.
func EstimateCells(areaKm2 float64, res int) (float64, error) {
	if err := checkRes(res); err != nil {
		return 0, err
	}
	if !(areaKm2 >= 0) || math.IsInf(areaKm2, 1) {
		return 0, fmt.Errorf("geo: area %v km²; want a finite non-negative area", areaKm2)
	}
	a, err := h3.HexagonAreaAvgKm2(res)
	if err != nil {
		return 0, fmt.Errorf("geo: mean cell area at resolution %d: %w", res, err)
	}
	return areaKm2 / a, nil
}

// CellsInPolygon returns the sorted resolution-res cells whose centres lie
// in g, an orb.Polygon or orb.MultiPolygon in {lon, lat} degrees (holes
// respected). Rings need not be closed or oriented, and may cross the
// antimeridian either with a longitude jump or with continuous longitudes
// beyond ±180 (as CellPolygon and CellsToMultiPolygon produce).
//
// h3 sizes its work buffer from each polygon's bounding box, so the request
// is refused, before any allocation, when the bounding boxes hold more than
// maxCells cells by EstimateCells (maxCells <= 0 means DefaultMaxCells).
func CellsInPolygon(g orb.Geometry, res int, maxCells int) ([]h3.Cell, error) {
	if err := checkRes(res); err != nil {
		return nil, err
	}
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	default:
		return nil, fmt.Errorf("geo: CellsInPolygon got a %T; want orb.Polygon or orb.MultiPolygon", g)
	}
	if maxCells <= 0 {
		maxCells = DefaultMaxCells
	}
	var boxKm2 float64
	loops := make([][]h3.GeoLoop, len(polys))
	for i, p := range polys {
		for j, r := range p {
			for k, pt := range r {
				if !finite(pt[0]) || !finite(pt[1]) || pt[1] < -90 || pt[1] > 90 {
					return nil, fmt.Errorf("geo: polygon %d ring %d position %d is %v; want finite {lon, lat} with latitude in [-90, 90]", i, j, k, pt)
				}
			}
			if len(r) == 0 {
				if j == 0 {
					break // no exterior: the polygon is empty
				}
				continue
			}
			u := unwrapRing(r)
			if j == 0 {
				// The unwrapped box: a polygon across the antimeridian is
				// small, not a band around the globe.
				boxKm2 += orbgeo.Area(u.Bound()) / 1e6
			}
			loops[i] = append(loops[i], toGeoLoop(u))
		}
	}
	est, err := EstimateCells(boxKm2, res)
	if err != nil {
		return nil, err
	}
	if est > float64(maxCells) {
		return nil, fmt.Errorf("geo: polygon bounding boxes of %.0f km² hold about %.3g cells at resolution %d; the limit is %d (use a coarser resolution or a smaller area)", boxKm2, est, res, maxCells)
	}
	var out []h3.Cell
	for i, ls := range loops {
		if len(ls) == 0 {
			continue
		}
		cells, err := h3.PolygonToCells(h3.GeoPolygon{GeoLoop: ls[0], Holes: ls[1:]}, res)
		if err != nil {
			return nil, fmt.Errorf("geo: cells of polygon %d at resolution %d: %w", i, res, err)
		}
		out = append(out, cells...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// toGeoLoop converts a closed lon/lat ring to an h3 loop: lat/lng, not
// closed, longitudes wrapped into [-180, 180] (h3 recognises a loop that
// crosses the antimeridian by its longitude jump).
func toGeoLoop(r orb.Ring) h3.GeoLoop {
	if len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	loop := make(h3.GeoLoop, len(r))
	for i, p := range r {
		lon := p[0]
		if lon < -180 || lon > 180 {
			lon -= 360 * math.Round(lon/360)
		}
		loop[i] = h3.NewLatLng(p[1], lon)
	}
	return loop
}

// CellsToMultiPolygon returns the outline of the union of cells, for
// example a merged service area: one polygon per connected group of cells,
// each with its holes. Exterior rings are counter-clockwise and holes
// clockwise (RFC 7946), rings are closed and checked, and longitudes are
// continuous across the antimeridian. Duplicate cells are ignored; cells
// must share one resolution. The result is deterministic for a given set of
// cells whatever their order. An empty input gives an empty result.
func CellsToMultiPolygon(cells []h3.Cell) (orb.MultiPolygon, error) {
	if len(cells) == 0 {
		return orb.MultiPolygon{}, nil
	}
	set := slices.Clone(cells)
	slices.Sort(set)
	set = slices.Compact(set)
	res := -1
	for _, c := range set {
		if err := checkCell(c); err != nil {
			return nil, err
		}
		if res < 0 {
			res = c.Resolution()
		} else if c.Resolution() != res {
			return nil, fmt.Errorf("geo: cells of resolutions %d and %d (%s); want one resolution", res, c.Resolution(), c)
		}
	}
	gps, err := h3.CellsToMultiPolygon(set)
	if err != nil {
		return nil, fmt.Errorf("geo: outline of %d cells: %w", len(set), err)
	}
	mp := make(orb.MultiPolygon, 0, len(gps))
	for i, gp := range gps {
		poly := make(orb.Polygon, 0, 1+len(gp.Holes))
		for j, loop := range append([]h3.GeoLoop{gp.GeoLoop}, gp.Holes...) {
			r := make(orb.Ring, len(loop), len(loop)+3)
			for k, ll := range loop {
				r[k] = orb.Point{ll.Lng, ll.Lat}
			}
			r = unwrapRing(r)
			if j > 0 {
				r = alignRing(r, poly[0])
			}
			r = orient(r, j == 0)
			if err := checkRing(r, fmt.Sprintf("outline polygon %d ring %d", i, j)); err != nil {
				return nil, err
			}
			poly = append(poly, r)
		}
		mp = append(mp, poly)
	}
	return mp, nil
}
