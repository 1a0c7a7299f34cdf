package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Precision is the number of decimals written for coordinates: 1e-6
// degrees, about 0.11 m, as RFC 7946 §11.2 suggests.
const Precision = 6

// Normalize returns g made ready for RFC 7946: rings closed, exterior rings
// counter-clockwise and holes clockwise, longitudes continuous along each
// line and ring and then cut at the antimeridian with every piece shifted
// into [-180, 180] (RFC 7946 §3.1.9), coordinates rounded to Precision
// decimals. A cut Polygon becomes a MultiPolygon and a cut LineString a
// MultiLineString; orb.Ring and orb.Bound become Polygons. Pieces that
// rounding reduces to nothing (slivers along a cut) are dropped. g is not
// modified.
//
// It reports an error for a non-finite coordinate, a latitude outside
// [-90, 90], a ring with fewer than three distinct positions, a polygon that
// encloses no area once rounded, a LineString with fewer than two
// positions, or a polygon whose rings cross each other
// in a way that makes the cut impossible. Edges are taken to span less than
// 180 degrees of longitude, as RFC 7946 assumes.
func Normalize(g orb.Geometry) (orb.Geometry, error) {
	switch g := g.(type) {
	case nil:
		return nil, nil
	case orb.Point:
		return normPoint(g)
	case orb.MultiPoint:
		out := make(orb.MultiPoint, len(g))
		for i, p := range g {
			q, err := normPoint(p)
			if err != nil {
				return nil, fmt.Errorf("point %d: %w", i, err)
			}
			out[i] = q
		}
		return out, nil
	case orb.LineString:
		lines, err := normLine(g)
		if err != nil {
			return nil, err
		}
		if len(lines) == 1 {
			return lines[0], nil
		}
		return orb.MultiLineString(lines), nil
	case orb.MultiLineString:
		out := orb.MultiLineString{}
		for i, l := range g {
			lines, err := normLine(l)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", i, err)
			}
			out = append(out, lines...)
		}
		return out, nil
	case orb.Ring:
		return Normalize(orb.Polygon{g})
	case orb.Bound:
		return Normalize(g.ToPolygon())
	case orb.Polygon:
		polys, err := normPolygon(g)
		if err != nil {
			return nil, err
		}
		if len(polys) == 1 {
			return polys[0], nil
		}
		return orb.MultiPolygon(polys), nil
	case orb.MultiPolygon:
		out := orb.MultiPolygon{}
		for i, p := range g {
			polys, err := normPolygon(p)
			if err != nil {
				return nil, fmt.Errorf("polygon %d: %w", i, err)
			}
			out = append(out, polys...)
		}
		return out, nil
	case orb.Collection:
		out := make(orb.Collection, len(g))
		for i, m := range g {
			n, err := Normalize(m)
			if err != nil {
				return nil, fmt.Errorf("geometry %d: %w", i, err)
			}
			out[i] = n
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported geometry type %T", g)
}

func round6(x float64) float64 {
	r := math.Round(x*1e6) / 1e6
	if r == 0 {
		return 0 // no "-0"
	}
	return r
}

func checkPos(p orb.Point, i int) error {
	if !finite(p[0]) || !finite(p[1]) || p[1] < -90 || p[1] > 90 {
		return fmt.Errorf("position %d is [%v, %v]; want finite [longitude, latitude] with latitude in [-90, 90]", i, p[0], p[1])
	}
	return nil
}

func normPoint(p orb.Point) (orb.Point, error) {
	if err := checkPos(p, 0); err != nil {
		return p, err
	}
	lon := p[0]
	if lon < -180 || lon > 180 {
		lon -= 360 * math.Round(lon/360)
	}
	return orb.Point{round6(lon), round6(p[1])}, nil
}

func normLine(l orb.LineString) ([]orb.LineString, error) {
	if len(l) < 2 {
		return nil, fmt.Errorf("line has %d positions; want at least 2", len(l))
	}
	for i, p := range l {
		if err := checkPos(p, i); err != nil {
			return nil, err
		}
	}
	// Pieces that rounding collapses to one position (slivers at a cut)
	// are dropped unless the whole line is that short.
	var out, short []orb.LineString
	for _, piece := range splitLine(unwrapPath(l)) {
		for i, p := range piece {
			piece[i] = orb.Point{round6(p[0]), round6(p[1])}
		}
		if allSame(piece) {
			short = append(short, piece)
		} else {
			out = append(out, piece)
		}
	}
	if len(out) == 0 {
		out = short[:1]
	}
	return out, nil
}

func allSame(ls orb.LineString) bool {
	for _, p := range ls[1:] {
		if p != ls[0] {
			return false
		}
	}
	return true
}

func normPolygon(p orb.Polygon) ([]orb.Polygon, error) {
	if len(p) == 0 {
		return nil, fmt.Errorf("polygon has no rings")
	}
	u := make(orb.Polygon, 0, len(p))
	for j, r := range p {
		for i, pt := range r {
			if err := checkPos(pt, i); err != nil {
				return nil, fmt.Errorf("ring %d: %w", j, err)
			}
		}
		r = unwrapRing(r)
		if distinct(r) < 3 {
			return nil, fmt.Errorf("ring %d has %d distinct positions; want at least 3", j, distinct(r))
		}
		if j > 0 {
			r = alignRing(r, u[0])
		}
		u = append(u, orient(r, j == 0))
	}
	pieces, err := splitPolygon(u)
	if err != nil {
		return nil, err
	}
	out := make([]orb.Polygon, 0, len(pieces))
	for _, q := range pieces {
		var poly orb.Polygon
		for j, r := range q {
			r = roundRing(r)
			if len(r) < 4 || degenerate(r) {
				if j == 0 {
					break // the exterior vanished: drop the piece
				}
				continue
			}
			poly = append(poly, orient(r, j == 0))
		}
		if len(poly) > 0 {
			out = append(out, poly)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("polygon encloses no area at 1e-6 degree precision (its rings are lines or points)")
	}
	return out, nil
}

// distinct counts the distinct positions of a closed ring, ignoring the
// closing one.
func distinct(r orb.Ring) int {
	if len(r) < 2 {
		return len(r)
	}
	seen := map[orb.Point]bool{}
	for _, p := range r[:len(r)-1] {
		seen[p] = true
	}
	return len(seen)
}

// roundRing rounds positions, drops consecutive duplicates and closes.
func roundRing(r orb.Ring) orb.Ring {
	out := make(orb.Ring, 0, len(r))
	for _, p := range r {
		q := orb.Point{round6(p[0]), round6(p[1])}
		if len(out) == 0 || out[len(out)-1] != q {
			out = append(out, q)
		}
	}
	for len(out) > 1 && out[len(out)-1] == out[0] {
		out = out[:len(out)-1]
	}
	if len(out) > 0 {
		out = append(out, out[0])
	}
	return out
}

// WriteFeatureCollection writes fc to w as RFC 7946 GeoJSON, deterministically:
// the same input gives byte-identical output on every run and platform.
//
//   - Every geometry goes through Normalize (winding, closed rings,
//     antimeridian cuts, coordinates rounded to Precision decimals).
//   - Members are written in a fixed order ("type", "id", "bbox",
//     "geometry", "properties", then foreign members sorted by key), and
//     properties with sorted keys at every level (encoding/json sorts map
//     keys; struct values keep their field order). Empty properties are
//     written as {} so web clients need no null check.
//   - NaN and ±Inf anywhere (coordinates, bbox, properties) are an error,
//     never written; so is a feature id that is not a string or a number.
//
// The output is one feature per line. The collection's and the features'
// bbox members are written as given (rounded); fc is not modified. On error
// part of the collection may already be written: write files through
// atomicfile.WriteFile so that no partial file is left. Cost is linear in
// the number of positions; memory is one feature at a time.
func WriteFeatureCollection(w io.Writer, fc *geojson.FeatureCollection) error {
	if fc == nil {
		return fmt.Errorf("geo: nil feature collection")
	}
	var buf bytes.Buffer
	buf.WriteString(`{"type":"FeatureCollection"`)
	if err := writeBBox(&buf, fc.BBox); err != nil {
		return fmt.Errorf("geo: feature collection bbox: %w", err)
	}
	if err := writeMembers(&buf, fc.ExtraMembers, "type", "bbox", "features"); err != nil {
		return fmt.Errorf("geo: feature collection: %w", err)
	}
	buf.WriteString(`,"features":[`)
	for i, f := range fc.Features {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
		if err := writeFeature(&buf, f); err != nil {
			return fmt.Errorf("geo: feature %d%s: %w", i, featureName(f), err)
		}
		if buf.Len() > 32<<10 {
			if _, err := w.Write(buf.Bytes()); err != nil {
				return err
			}
			buf.Reset()
		}
	}
	buf.WriteString("\n]}\n")
	_, err := w.Write(buf.Bytes())
	return err
}

func featureName(f *geojson.Feature) string {
	if f != nil && f.ID != nil {
		return fmt.Sprintf(" (id %v)", f.ID)
	}
	return ""
}

func writeFeature(buf *bytes.Buffer, f *geojson.Feature) error {
	if f == nil {
		return fmt.Errorf("nil feature")
	}
	buf.WriteString(`{"type":"Feature"`)
	if f.ID != nil {
		switch id := f.ID.(type) {
		case string, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, json.Number:
			b, err := json.Marshal(id)
			if err != nil {
				return fmt.Errorf("id: %w", err)
			}
			buf.WriteString(`,"id":`)
			buf.Write(b)
		default:
			return fmt.Errorf("id of type %T; RFC 7946 wants a string or a number", f.ID)
		}
	}
	if err := writeBBox(buf, f.BBox); err != nil {
		return fmt.Errorf("bbox: %w", err)
	}
	buf.WriteString(`,"geometry":`)
	g, err := Normalize(f.Geometry)
	if err != nil {
		return fmt.Errorf("geometry: %w", err)
	}
	writeGeometry(buf, g)
	buf.WriteString(`,"properties":`)
	if err := writeObject(buf, f.Properties); err != nil {
		return fmt.Errorf("properties: %w", err)
	}
	if err := writeMembers(buf, f.ExtraMembers, "type", "id", "bbox", "geometry", "properties"); err != nil {
		return err
	}
	buf.WriteByte('}')
	return nil
}

func writeBBox(buf *bytes.Buffer, b geojson.BBox) error {
	if len(b) == 0 {
		return nil
	}
	if len(b) != 4 && len(b) != 6 {
		return fmt.Errorf("%d values; want 4 or 6", len(b))
	}
	buf.WriteString(`,"bbox":[`)
	for i, x := range b {
		if !finite(x) {
			return fmt.Errorf("value %d is %v; want finite", i, x)
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		writeNum(buf, x)
	}
	buf.WriteByte(']')
	return nil
}

// writeObject writes a properties map with sorted keys, naming the key of
// a value that cannot be encoded.
func writeObject(buf *bytes.Buffer, m map[string]any) error {
	buf.WriteByte('{')
	for i, k := range sortedKeys(m) {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := writeMember(buf, k, m[k]); err != nil {
			return err
		}
	}
	buf.WriteByte('}')
	return nil
}

// writeMembers appends foreign members, sorted, skipping reserved keys.
func writeMembers(buf *bytes.Buffer, m map[string]any, reserved ...string) error {
	for _, k := range sortedKeys(m) {
		if slices.Contains(reserved, k) {
			continue
		}
		buf.WriteByte(',')
		if err := writeMember(buf, k, m[k]); err != nil {
			return err
		}
	}
	return nil
}

func writeMember(buf *bytes.Buffer, k string, v any) error {
	kb, _ := json.Marshal(k) // strings always encode
	vb, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("key %s: %w", kb, err)
	}
	buf.Write(kb)
	buf.WriteByte(':')
	buf.Write(vb)
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// writeGeometry writes a normalized geometry (or null).
func writeGeometry(buf *bytes.Buffer, g orb.Geometry) {
	if g == nil {
		buf.WriteString("null")
		return
	}
	if c, ok := g.(orb.Collection); ok {
		buf.WriteString(`{"type":"GeometryCollection","geometries":[`)
		for i, m := range c {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeGeometry(buf, m)
		}
		buf.WriteString("]}")
		return
	}
	buf.WriteString(`{"type":"`)
	buf.WriteString(g.GeoJSONType())
	buf.WriteString(`","coordinates":`)
	switch g := g.(type) {
	case orb.Point:
		writePos(buf, g)
	case orb.MultiPoint:
		writePositions(buf, g)
	case orb.LineString:
		writePositions(buf, g)
	case orb.MultiLineString:
		buf.WriteByte('[')
		for i, l := range g {
			if i > 0 {
				buf.WriteByte(',')
			}
			writePositions(buf, l)
		}
		buf.WriteByte(']')
	case orb.Polygon:
		writeRings(buf, g)
	case orb.MultiPolygon:
		buf.WriteByte('[')
		for i, p := range g {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeRings(buf, p)
		}
		buf.WriteByte(']')
	}
	buf.WriteByte('}')
}

func writeRings(buf *bytes.Buffer, p orb.Polygon) {
	buf.WriteByte('[')
	for i, r := range p {
		if i > 0 {
			buf.WriteByte(',')
		}
		writePositions(buf, r)
	}
	buf.WriteByte(']')
}

func writePositions(buf *bytes.Buffer, ps []orb.Point) {
	buf.WriteByte('[')
	for i, p := range ps {
		if i > 0 {
			buf.WriteByte(',')
		}
		writePos(buf, p)
	}
	buf.WriteByte(']')
}

func writePos(buf *bytes.Buffer, p orb.Point) {
	buf.WriteByte('[')
	writeNum(buf, p[0])
	buf.WriteByte(',')
	writeNum(buf, p[1])
	buf.WriteByte(']')
}

// writeNum writes x rounded to Precision decimals in the shortest form
// ("116.4", "0.000001"): the rounded value is the double nearest to a
// decimal with at most six digits after the point, so 'f' with -1 never
// prints more.
func writeNum(buf *bytes.Buffer, x float64) {
	var tmp [32]byte
	buf.Write(strconv.AppendFloat(tmp[:0], round6(x), 'f', -1, 64))
}
