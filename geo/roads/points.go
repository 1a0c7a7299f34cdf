package roads

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/internal/csvin"
)

// NamedPoint is a point of a points file.
type NamedPoint struct {
	ID    string
	Point orb.Point // {lon, lat}
	Line  int       // line in the file, for messages
}

// ReadPoints reads a CSV with columns id,lat,lon (WGS 84 degrees), strictly:
// every bad field is an error with file, line and column; an id used twice
// is an error; unknown columns are passed to warn (which may be nil).
func ReadPoints(path string, warn func(string)) ([]NamedPoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &csvin.Error{File: path, Msg: fmt.Sprintf("cannot open: %v", err)}
	}
	defer f.Close()
	r, err := csvin.NewReader(path, f, csvin.Cols("id,lat,lon"))
	if err != nil {
		return nil, err
	}
	if warn != nil {
		for _, w := range r.Warnings() {
			warn(w)
		}
	}
	var out []NamedPoint
	seen := map[string]int{}
	for {
		ok, err := r.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		id := r.String("id", true)
		lat, lon := r.LatLon("lat", "lon")
		if prev, dup := seen[id]; dup && r.Err() == nil {
			r.Failf("id", "id %q appears twice (first on line %d)", id, prev)
		}
		if err := r.Err(); err != nil {
			return nil, err
		}
		seen[id] = r.Line()
		out = append(out, NamedPoint{ID: id, Point: orb.Point{lon, lat}, Line: r.Line()})
	}
}

// formatFloat writes x with d decimals, without a trailing "-0".
func formatFloat(x float64, d int) string {
	s := strconv.FormatFloat(x, 'f', d, 64)
	if p := math.Pow(10, float64(d)); math.Round(x*p) == 0 {
		s = strconv.FormatFloat(0, 'f', d, 64)
	}
	return s
}

// WriteMatrix writes from_id,to_id,km,minutes for every pair of m with a
// value, in the order of the from points, then of the to points: the format
// rlplan's --roads reads. km has 3 decimals (1 m) and minutes 2 (0.6 s).
func WriteMatrix(w io.Writer, m *Matrix, fromIDs, toIDs []string) error {
	if len(fromIDs) != m.Rows || len(toIDs) != m.Cols {
		return fmt.Errorf("roads: %d x %d ids for a %d x %d matrix", len(fromIDs), len(toIDs), m.Rows, m.Cols)
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("from_id,to_id,km,minutes\n")
	cw := csvField(bw)
	for i, from := range fromIDs {
		for j, to := range toIDs {
			km, min, ok := m.At(i, j)
			if !ok {
				continue
			}
			cw(from)
			bw.WriteByte(',')
			cw(to)
			fmt.Fprintf(bw, ",%s,%s\n", formatFloat(km, 3), formatFloat(min, 2))
		}
	}
	return bw.Flush()
}

// WriteUnreachable writes from_id,to_id,reason for every pair of m without
// a value.
func WriteUnreachable(w io.Writer, m *Matrix, fromIDs, toIDs []string) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("from_id,to_id,reason\n")
	cw := csvField(bw)
	for _, u := range m.Unreachable {
		cw(fromIDs[u.From])
		bw.WriteByte(',')
		cw(toIDs[u.To])
		fmt.Fprintf(bw, ",%s\n", u.Reason)
	}
	return bw.Flush()
}

// csvField returns a writer of one CSV field, quoted when it must be.
func csvField(bw *bufio.Writer) func(string) {
	return func(s string) {
		needs := false
		for _, c := range s {
			if c == ',' || c == '"' || c == '\n' || c == '\r' {
				needs = true
				break
			}
		}
		if len(s) > 0 && (s[0] == ' ' || s[len(s)-1] == ' ') {
			needs = true
		}
		if !needs {
			bw.WriteString(s)
			return
		}
		bw.WriteByte('"')
		for _, c := range s {
			if c == '"' {
				bw.WriteByte('"')
			}
			bw.WriteRune(c)
		}
		bw.WriteByte('"')
	}
}
