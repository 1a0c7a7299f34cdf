package webmap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
)

// The page does not receive GeoJSON verbatim: Write packs each collection
// into a compact JSON form that the page script turns back into GeoJSON
// features before Leaflet sees them. For a hexagon layer this cuts the bytes
// per cell from about 270 (GeoJSON at 5 decimals) to about 110:
//
//	{"packed":1, "scale":100000,
//	 "keys":["cell","tonnes"],          // property order of the first feature
//	 "props":[["87…",4.5], {"other":1}, null, …],
//	 "geom":[[3,[x0,y0,dx1,dy1,…]], [1,x,y], null, …],
//	 "ids":[…]}                          // only when some feature has an id
//
// props holds a row aligned with keys when a feature has exactly those keys
// in that order, else its properties object (or null) as is. A geometry is
// [code, parts…] with code 1 Point [1,x,y], 2 LineString, 3 Polygon (one
// run per ring, closing position dropped), 4 MultiPoint, 5 MultiLineString,
// 6 MultiPolygon; a run is a flat list of integer coordinates x·scale,
// y·scale, each pair the difference from the previous pair of the run, and
// the first pair of a run (and a Point's pair) the difference from the
// first pair of the previous run in the collection (from 0,0 for the
// first). Neighbouring cells then cost a few digits each, not a full
// position. A GeometryCollection travels as a GeoJSON object (numbers
// rounded) and leaves the chain alone. Altitudes are dropped: the map is
// flat.

const packVersion = 2

// chain is the first position of the previous run, in integer steps.
type chain struct{ x, y int64 }

// bbox accumulates the extent of packed coordinates, in integer steps.
type bbox struct {
	ok                     bool
	minX, minY, maxX, maxY int64
	scale                  float64
}

func (b *bbox) add(x, y int64, scale float64) {
	if b == nil {
		return
	}
	if !b.ok {
		*b = bbox{ok: true, minX: x, minY: y, maxX: x, maxY: y, scale: scale}
		return
	}
	if scale != b.scale { // layers of other decimals: compare in degrees
		f := b.scale / scale
		x, y = int64(math.Round(float64(x)*f)), int64(math.Round(float64(y)*f))
	}
	b.minX, b.maxX = min(b.minX, x), max(b.maxX, x)
	b.minY, b.maxY = min(b.minY, y), max(b.maxY, y)
}

// slice returns [west, south, east, north] in degrees.
func (b *bbox) slice() []float64 {
	return []float64{float64(b.minX) / b.scale, float64(b.minY) / b.scale, float64(b.maxX) / b.scale, float64(b.maxY) / b.scale}
}

// pack writes fc in the packed form with coordinates rounded to 1/scale,
// extending box (when not nil) by every position. When keep is not nil,
// only the properties it names are written: the page reads no other.
func pack(w *bytes.Buffer, fc *rawFC, scale float64, box *bbox, keep map[string]bool) error {
	fmt.Fprintf(w, `{"packed":%d,"scale":%s,"keys":`, packVersion, strconv.FormatFloat(scale, 'f', -1, 64))
	props := func(raw json.RawMessage) ([]string, []json.RawMessage, bool, error) {
		k, v, ok, err := orderedProps(raw)
		if keep == nil || !ok || err != nil {
			return k, v, ok, err
		}
		var fk []string
		var fv []json.RawMessage
		for i := range k {
			if keep[k[i]] {
				fk, fv = append(fk, k[i]), append(fv, v[i])
			}
		}
		return fk, fv, true, nil
	}
	var keys []string
	for _, f := range fc.Features {
		if k, _, ok, err := props(f.Properties); err == nil && ok {
			keys = k
			break
		}
	}
	if keys == nil {
		keys = []string{}
	}
	kb, _ := json.Marshal(keys)
	w.Write(kb)

	w.WriteString(`,"props":[`)
	for i, f := range fc.Features {
		if i > 0 {
			w.WriteByte(',')
		}
		k, vals, ok, err := props(f.Properties)
		if err != nil {
			return fmt.Errorf("feature %d: properties: %w", i, err)
		}
		if !ok || !sameKeys(k, keys) {
			switch {
			case !ok: // absent or null
				w.WriteString("null")
			case keep == nil:
				w.Write(f.Properties)
			default:
				writeObject(w, k, vals)
			}
			continue
		}
		w.WriteByte('[')
		for j, v := range vals {
			if j > 0 {
				w.WriteByte(',')
			}
			w.Write(v)
		}
		w.WriteByte(']')
	}

	w.WriteString(`],"geom":[`)
	var buf []byte
	var ch chain
	for i, f := range fc.Features {
		if i > 0 {
			w.WriteByte(',')
		}
		var err error
		if buf, err = packGeom(buf[:0], f.Geometry, scale, box, &ch); err != nil {
			return fmt.Errorf("feature %d: geometry: %w", i, err)
		}
		w.Write(buf)
	}
	w.WriteByte(']')

	hasID := false
	for _, f := range fc.Features {
		hasID = hasID || len(f.ID) > 0 && string(f.ID) != "null"
	}
	if hasID {
		w.WriteString(`,"ids":[`)
		for i, f := range fc.Features {
			if i > 0 {
				w.WriteByte(',')
			}
			if len(f.ID) == 0 {
				w.WriteString("null")
			} else {
				w.Write(f.ID)
			}
		}
		w.WriteByte(']')
	}
	w.WriteByte('}')
	return nil
}

// writeObject writes {"k0":v0,...}.
func writeObject(w *bytes.Buffer, keys []string, vals []json.RawMessage) {
	w.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			w.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		w.Write(kb)
		w.WriteByte(':')
		w.Write(vals[i])
	}
	w.WriteByte('}')
}

// orderedProps reads a properties object keeping its key order; ok is false
// for null or absent properties.
func orderedProps(raw json.RawMessage) (keys []string, vals []json.RawMessage, ok bool, err error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil, false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, false, err
	}
	if d, isDelim := tok.(json.Delim); !isDelim || d != '{' {
		return nil, nil, false, fmt.Errorf("found %v, want an object or null", tok)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, false, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, false, err
		}
		keys = append(keys, tok.(string))
		vals = append(vals, v)
	}
	if _, err := dec.Token(); err != nil && err != io.EOF {
		return nil, nil, false, err
	}
	return keys, vals, true, nil
}

func sameKeys(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var geomCode = map[string]int{"Point": 1, "LineString": 2, "Polygon": 3, "MultiPoint": 4, "MultiLineString": 5, "MultiPolygon": 6}

// packGeom appends the packed form of one GeoJSON geometry to b.
func packGeom(b []byte, raw json.RawMessage, scale float64, box *bbox, ch *chain) ([]byte, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return append(b, "null"...), nil
	}
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, err
	}
	if g.Type == "GeometryCollection" {
		r, err := roundNumbers(raw, scale)
		return append(b, r...), err
	}
	code, ok := geomCode[g.Type]
	if !ok {
		return nil, fmt.Errorf("type %q, want one of the RFC 7946 geometry types", g.Type)
	}
	// Each part comes with its leading comma so that an empty Polygon or
	// Multi* geometry still gives valid JSON ([3]).
	b = append(b, '[', byte('0'+code))
	var err error
	switch code {
	case 1:
		var p []float64
		if err = json.Unmarshal(g.Coordinates, &p); err == nil {
			if len(p) < 2 {
				return nil, fmt.Errorf("Point with %d numbers, want [lon, lat]", len(p))
			}
			x, y := q(p[0], scale), q(p[1], scale)
			box.add(x, y, scale)
			b = append(b, ',')
			b = strconv.AppendInt(b, x-ch.x, 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, y-ch.y, 10)
			*ch = chain{x, y}
		}
	case 2, 4:
		var ps [][]float64
		if err = json.Unmarshal(g.Coordinates, &ps); err == nil {
			b, err = appendRun(append(b, ','), ps, scale, false, box, ch)
		}
	case 3, 5:
		var rs [][][]float64
		if err = json.Unmarshal(g.Coordinates, &rs); err == nil {
			b, err = appendRuns(b, rs, scale, code == 3, true, box, ch)
		}
	case 6:
		var ps [][][][]float64
		if err = json.Unmarshal(g.Coordinates, &ps); err == nil {
			for _, rs := range ps {
				b = append(b, ',', '[')
				if b, err = appendRuns(b, rs, scale, true, false, box, ch); err != nil {
					break
				}
				b = append(b, ']')
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s coordinates: %w", g.Type, err)
	}
	return append(b, ']'), nil
}

// appendRuns appends one run per element of rs, each after a comma; with
// lead false the first comma is left out (a list of its own).
func appendRuns(b []byte, rs [][][]float64, scale float64, rings, lead bool, box *bbox, ch *chain) ([]byte, error) {
	var err error
	for i, ps := range rs {
		if lead || i > 0 {
			b = append(b, ',')
		}
		if b, err = appendRun(b, ps, scale, rings, box, ch); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// appendRun appends [dx0,dy0,dx1,dy1,…], the first pair from the chain's
// position (which it then moves to this run's first position); for a ring
// it drops the closing position, which the page restores.
func appendRun(b []byte, ps [][]float64, scale float64, ring bool, box *bbox, ch *chain) ([]byte, error) {
	n := len(ps)
	if ring && n > 1 && len(ps[0]) >= 2 && len(ps[n-1]) >= 2 && ps[0][0] == ps[n-1][0] && ps[0][1] == ps[n-1][1] {
		n--
	}
	b = append(b, '[')
	px, py := ch.x, ch.y
	for i, p := range ps[:n] {
		if len(p) < 2 {
			return nil, fmt.Errorf("position %d has %d numbers, want at least 2", i, len(p))
		}
		x, y := q(p[0], scale), q(p[1], scale)
		box.add(x, y, scale)
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, x-px, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, y-py, 10)
		if i == 0 {
			*ch = chain{x, y}
		}
		px, py = x, y
	}
	return append(b, ']'), nil
}

// q quantizes one coordinate to an integer number of 1/scale steps.
func q(v, scale float64) int64 { return int64(math.Round(v * scale)) }
