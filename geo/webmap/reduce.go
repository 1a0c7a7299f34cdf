package webmap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// LimitPrecision returns fc with every number inside each geometry
// (coordinates and bbox) rounded to decimals places. Five decimals is about
// 1.1 m on the ground, below anything a screen shows at province zoom, and
// cuts roughly a third off full-precision (15–17 digit) coordinates. Ids and
// properties are kept byte for byte; members of the collection other than
// "type" and "features" (name, crs, bbox) are dropped. decimals must be in
// [0, 15].
func LimitPrecision(fc []byte, decimals int) ([]byte, error) {
	if decimals < 0 || decimals > 15 {
		return nil, fmt.Errorf("webmap: LimitPrecision: decimals %d, want 0..15", decimals)
	}
	c, err := parseFC(fc)
	if err != nil {
		return nil, fmt.Errorf("webmap: LimitPrecision: %w", err)
	}
	scale := math.Pow(10, float64(decimals))
	for i := range c.Features {
		g, err := roundNumbers(c.Features[i].Geometry, scale)
		if err != nil {
			return nil, fmt.Errorf("webmap: LimitPrecision: feature %d: geometry: %w", i, err)
		}
		c.Features[i].Geometry = g
	}
	return c.encode(len(fc))
}

// KeepProperties returns fc with each feature's properties cut down to the
// keys in keep, in keep's order (absent keys stay absent). Geometry and ids
// are kept byte for byte. Use it to drop bulky attributes nobody reads on a
// map, such as per-year forecasts on every hexagon.
func KeepProperties(fc []byte, keep []string) ([]byte, error) {
	c, err := parseFC(fc)
	if err != nil {
		return nil, fmt.Errorf("webmap: KeepProperties: %w", err)
	}
	for i := range c.Features {
		p, err := keepProps(c.Features[i].Properties, keep)
		if err != nil {
			return nil, fmt.Errorf("webmap: KeepProperties: feature %d: properties: %w", i, err)
		}
		c.Features[i].Properties = p
	}
	return c.encode(len(fc))
}

// Slim returns a copy of l ready to embed: coordinates rounded to decimals
// places (see [LimitPrecision]) in Features and every level and, when the
// popup rows are given (Fields or PopupFields), properties cut to those plus
// the ones the page colours, filters and clusters by (see
// [KeepProperties]). Nothing the page shows is lost.
func Slim(l Layer, decimals int) (Layer, error) {
	keep := l.shown()
	slim := func(fc []byte) ([]byte, error) {
		b, err := LimitPrecision(fc, decimals)
		if err != nil || keep == nil {
			return b, err
		}
		return KeepProperties(b, keep)
	}
	if len(l.Features) > 0 || len(l.Levels) == 0 {
		b, err := slim(l.Features)
		if err != nil {
			return l, fmt.Errorf("layer %q: %w", l.Name, err)
		}
		l.Features = b
	}
	levels := make([]Level, len(l.Levels))
	for j, lv := range l.Levels {
		b, err := slim(lv.Features)
		if err != nil {
			return l, fmt.Errorf("layer %q: level %d: %w", l.Name, j, err)
		}
		lv.Features = b
		levels[j] = lv
	}
	if len(levels) > 0 {
		l.Levels = levels
	}
	return l, nil
}

// shown lists the properties the page reads from l's features, or nil
// when the popup shows them all.
func (l *Layer) shown() []string {
	var keep []string
	for _, f := range l.Fields {
		keep = append(keep, f.Key)
	}
	if len(l.Fields) == 0 {
		if l.PopupFields == nil {
			return nil
		}
		keep = append(keep, l.PopupFields...)
	}
	extra := []string{l.ColorBy, l.CategoryBy}
	if l.Cluster != nil {
		extra = append(extra, l.Cluster.Sum)
	}
	for _, k := range extra {
		if k != "" && !contains(keep, k) {
			keep = append(keep, k)
		}
	}
	return keep
}

// AggregatePoints merges the Point features of fc that fall in the same
// cellDeg x cellDeg degree grid cell into one point at their mean position,
// with properties "count" (points merged) and, for each name in sum, the
// total of that numeric property (missing or non-numeric values count as 0).
// Output features are ordered south to north, then west to east. It keeps a
// national outlet or retirement-point layer to a few thousand markers; use a
// cell of 0.1 (about 10 km) for a national map. Features without geometry are
// dropped; any other geometry than Point is an error.
func AggregatePoints(fc []byte, cellDeg float64, sum []string) ([]byte, error) {
	if !(cellDeg > 0) || math.IsInf(cellDeg, 0) {
		return nil, fmt.Errorf("webmap: AggregatePoints: cell size %g degrees, want > 0", cellDeg)
	}
	for _, s := range sum {
		if s == "count" {
			return nil, fmt.Errorf("webmap: AggregatePoints: sum field %q clashes with the count property", s)
		}
	}
	c, err := parseFC(fc)
	if err != nil {
		return nil, fmt.Errorf("webmap: AggregatePoints: %w", err)
	}
	type key struct{ row, col int64 }
	type acc struct {
		n        int
		lon, lat float64
		sums     []float64
	}
	cells := map[key]*acc{}
	for i, f := range c.Features {
		if len(f.Geometry) == 0 || string(f.Geometry) == "null" {
			continue
		}
		var g struct {
			Type        string    `json:"type"`
			Coordinates []float64 `json:"coordinates"`
		}
		if err := json.Unmarshal(f.Geometry, &g); err != nil || g.Type != "Point" || len(g.Coordinates) < 2 {
			return nil, fmt.Errorf("webmap: AggregatePoints: feature %d: geometry %.60s, want a Point with [lon, lat]", i, f.Geometry)
		}
		lon, lat := g.Coordinates[0], g.Coordinates[1]
		k := key{int64(math.Floor(lat / cellDeg)), int64(math.Floor(lon / cellDeg))}
		a := cells[k]
		if a == nil {
			a = &acc{sums: make([]float64, len(sum))}
			cells[k] = a
		}
		a.n++
		a.lon += lon
		a.lat += lat
		if len(sum) > 0 {
			var props map[string]json.RawMessage
			if len(f.Properties) > 0 && string(f.Properties) != "null" {
				if err := json.Unmarshal(f.Properties, &props); err != nil {
					return nil, fmt.Errorf("webmap: AggregatePoints: feature %d: properties: %w", i, err)
				}
			}
			for j, s := range sum {
				if v, ok := jsonNumber(props[s]); ok {
					a.sums[j] += v
				}
			}
		}
	}
	keys := make([]key, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].row != keys[j].row {
			return keys[i].row < keys[j].row
		}
		return keys[i].col < keys[j].col
	})
	out := &rawFC{Type: "FeatureCollection", Features: make([]rawFeature, 0, len(keys))}
	var buf []byte
	for _, k := range keys {
		a := cells[k]
		buf = append(buf[:0], `{"type":"Point","coordinates":[`...)
		buf = appendRounded(buf, a.lon/float64(a.n), 1e6)
		buf = append(buf, ',')
		buf = appendRounded(buf, a.lat/float64(a.n), 1e6)
		buf = append(buf, "]}"...)
		geom := append(json.RawMessage(nil), buf...)
		buf = append(buf[:0], `{"count":`...)
		buf = strconv.AppendInt(buf, int64(a.n), 10)
		for j, s := range sum {
			if math.IsInf(a.sums[j], 0) {
				return nil, fmt.Errorf("webmap: AggregatePoints: sum of %q overflows", s)
			}
			buf = append(buf, ',')
			name, _ := json.Marshal(s)
			buf = append(buf, name...)
			buf = append(buf, ':')
			buf = strconv.AppendFloat(buf, a.sums[j], 'g', -1, 64)
		}
		buf = append(buf, '}')
		props := append(json.RawMessage(nil), buf...)
		out.Features = append(out.Features, rawFeature{Type: "Feature", Properties: props, Geometry: geom})
	}
	return out.encode(64 + 96*len(keys))
}

// encode writes the collection compactly, members in a fixed order.
func (c *rawFC) encode(sizeHint int) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(sizeHint)
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, f := range c.Features {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"type":"Feature",`)
		if len(f.ID) > 0 {
			b.WriteString(`"id":`)
			if err := json.Compact(&b, f.ID); err != nil {
				return nil, err
			}
			b.WriteByte(',')
		}
		b.WriteString(`"properties":`)
		if len(f.Properties) == 0 {
			b.WriteString("null")
		} else if err := json.Compact(&b, f.Properties); err != nil {
			return nil, err
		}
		b.WriteString(`,"geometry":`)
		if len(f.Geometry) == 0 {
			b.WriteString("null")
		} else if err := json.Compact(&b, f.Geometry); err != nil {
			return nil, err
		}
		b.WriteByte('}')
	}
	b.WriteString("]}")
	return b.Bytes(), nil
}

// roundNumbers rewrites every JSON number outside strings in raw, rounded to
// 1/scale. A geometry holds numbers only in coordinates and bbox, so this
// needs no knowledge of the geometry type (GeometryCollection included).
func roundNumbers(raw json.RawMessage, scale float64) (json.RawMessage, error) {
	out := make([]byte, 0, len(raw))
	inStr, esc := false, false
	for i := 0; i < len(raw); {
		ch := raw[i]
		switch {
		case inStr:
			out = append(out, ch)
			if esc {
				esc = false
			} else if ch == '\\' {
				esc = true
			} else if ch == '"' {
				inStr = false
			}
			i++
		case ch == '"':
			inStr = true
			out = append(out, ch)
			i++
		case ch == '-' || ch >= '0' && ch <= '9':
			j := i + 1
			for j < len(raw) && bytes.IndexByte([]byte("0123456789.eE+-"), raw[j]) >= 0 {
				j++
			}
			v, err := strconv.ParseFloat(string(raw[i:j]), 64)
			if err != nil {
				return nil, fmt.Errorf("number %q at byte %d: %w", raw[i:j], i, err)
			}
			out = appendRounded(out, v, scale)
			i = j
		case ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t':
			i++ // drop whitespace outside strings: the result is compact
		default:
			out = append(out, ch)
			i++
		}
	}
	return out, nil
}

func appendRounded(b []byte, v, scale float64) []byte {
	r := math.Round(v*scale) / scale
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.AppendFloat(b, r, 'f', -1, 64)
}

func keepProps(props json.RawMessage, keep []string) (json.RawMessage, error) {
	if len(props) == 0 || string(props) == "null" {
		return props, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(props, &m); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteByte('{')
	n := 0
	for _, k := range keep {
		v, ok := m[k]
		if !ok {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		name, _ := json.Marshal(k)
		b.Write(name)
		b.WriteByte(':')
		if err := json.Compact(&b, v); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
