package webmap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// rawFC is a FeatureCollection read just deeply enough to count, classify
// and rewrite features without touching what the page will not need.
type rawFC struct {
	Type     string       `json:"type"`
	Features []rawFeature `json:"features"`
}

type rawFeature struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id,omitempty"`
	Properties json.RawMessage `json:"properties"`
	Geometry   json.RawMessage `json:"geometry"`
}

// parseFC reads a GeoJSON FeatureCollection. Syntax errors name the line
// and column; structural errors name the feature index.
func parseFC(b []byte) (*rawFC, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errors.New("GeoJSON is empty, want a FeatureCollection")
	}
	var fc rawFC
	if err := json.Unmarshal(b, &fc); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := lineCol(b, se.Offset)
			return nil, fmt.Errorf("GeoJSON line %d, column %d: %v", line, col, err)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			line, col := lineCol(b, te.Offset)
			return nil, fmt.Errorf("GeoJSON line %d, column %d: field %q is a JSON %s, want %s", line, col, te.Field, te.Value, te.Type)
		}
		return nil, fmt.Errorf("GeoJSON: %w", err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("GeoJSON type %q, want \"FeatureCollection\"", fc.Type)
	}
	if fc.Features == nil {
		return nil, errors.New(`GeoJSON FeatureCollection without a "features" array (write [] when empty)`)
	}
	for i, f := range fc.Features {
		if f.Type != "Feature" {
			return nil, fmt.Errorf("GeoJSON feature %d: type %q, want \"Feature\"", i, f.Type)
		}
	}
	return &fc, nil
}

func lineCol(b []byte, off int64) (line, col int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	pre := b[:off]
	line = bytes.Count(pre, []byte{'\n'}) + 1
	col = int(off) - (bytes.LastIndexByte(pre, '\n') + 1)
	return line, col
}

// numericValues returns the JSON-number values of property key, in feature
// order; features without it, or with a non-number, are skipped.
func numericValues(fc *rawFC, key string) ([]float64, error) {
	out := make([]float64, 0, len(fc.Features))
	for i, f := range fc.Features {
		raw, ok, err := property(f.Properties, key)
		if err != nil {
			return nil, fmt.Errorf("feature %d: properties: %w", i, err)
		}
		if !ok {
			continue
		}
		if v, ok := jsonNumber(raw); ok {
			out = append(out, v)
		}
	}
	return out, nil
}

func property(props json.RawMessage, key string) (json.RawMessage, bool, error) {
	if len(props) == 0 || string(props) == "null" {
		return nil, false, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(props, &m); err != nil {
		return nil, false, err
	}
	v, ok := m[key]
	return v, ok, nil
}

func jsonNumber(raw json.RawMessage) (float64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || !(raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	return v, err == nil && !math.IsInf(v, 0)
}

func minMax(v []float64) (lo, hi float64) {
	lo, hi = v[0], v[0]
	for _, x := range v[1:] {
		lo = math.Min(lo, x)
		hi = math.Max(hi, x)
	}
	return lo, hi
}

// QuantileBreaks returns at most classes-1 increasing thresholds that cut
// values into classes of about equal size: a value v falls in class
// #{b in breaks : v >= b}. Thresholds are rounded down to 3 significant
// digits so the legend shows the exact boundaries and no threshold passes the
// maximum. When ties make a quantile repeat
// the previous threshold, the next distinct value is used instead; heavily
// tied data gets fewer classes. values is not modified.
func QuantileBreaks(values []float64, classes int) []float64 {
	if len(values) == 0 || classes < 2 {
		return nil
	}
	s := append([]float64(nil), values...)
	sort.Float64s(s)
	n, hi := len(s), s[len(s)-1]
	br := make([]float64, 0, classes-1)
	prev := s[0]
	for i := 1; i < classes; i++ {
		b := s[i*n/classes]
		if b <= prev {
			// Ties swallowed this quantile: start the class at the next
			// distinct value instead, so tied data keeps its contrast.
			j := sort.Search(n, func(k int) bool { return s[k] > prev })
			if j == n {
				break
			}
			b = s[j]
		}
		if b = floor3(b); b <= prev || b > hi {
			continue
		}
		br = append(br, b)
		prev = b
	}
	if len(br) == 0 {
		return nil
	}
	return br
}

// LogBreaks returns at most classes-1 thresholds evenly spaced on a log10
// axis between the smallest and the largest positive value, rounded to 3
// significant digits. It suits quantities spanning orders of magnitude
// (packs per outlet). Non-positive values fall in the first class.
func LogBreaks(values []float64, classes int) []float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if v > 0 {
			lo = math.Min(lo, v)
			hi = math.Max(hi, v)
		}
	}
	if classes < 2 || !(hi > lo) {
		return nil
	}
	a, b := math.Log10(lo), math.Log10(hi)
	br := make([]float64, 0, classes-1)
	for i := 1; i < classes; i++ {
		br = append(br, round3(math.Pow(10, a+(b-a)*float64(i)/float64(classes))))
	}
	return cleanBreaks(br, lo, hi)
}

// cleanBreaks keeps the strictly increasing thresholds within (lo, hi].
func cleanBreaks(br []float64, lo, hi float64) []float64 {
	out := br[:0]
	for _, b := range br {
		if b <= lo || b > hi || len(out) > 0 && b <= out[len(out)-1] {
			continue
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// floor3 rounds v down to 3 significant digits by cutting its shortest
// decimal form, so no binary noise can push it above v.
func floor3(v float64) float64 {
	if v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	mant, exp, _ := strings.Cut(strconv.FormatFloat(math.Abs(v), 'e', -1, 64), "e")
	digits := strings.Replace(mant, ".", "", 1)
	cut := len(digits) > 3 && strings.Trim(digits[3:], "0") != ""
	if len(digits) > 3 {
		digits = digits[:3]
	}
	t, _ := strconv.ParseFloat(digits[:1]+"."+digits[1:]+"e"+exp, 64)
	if v > 0 {
		return t
	}
	if cut { // towards minus infinity: one unit of the third digit more
		e, _ := strconv.Atoi(exp)
		t = round3(t + math.Pow(10, float64(e-2)))
	}
	return -t
}

// round3 rounds to 3 significant digits through the decimal text form, so
// 0.1234 becomes exactly the float nearest 0.123.
func round3(v float64) float64 {
	if v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	return r
}
