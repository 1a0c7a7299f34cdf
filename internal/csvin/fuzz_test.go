package csvin

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

// FuzzReader feeds arbitrary bytes to the reader: it must never panic, and
// every failure must be a positioned *Error.
//
//	go test -run '^$' -fuzz FuzzReader -fuzztime 30s ./internal/csvin
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"id,lat,lon,kg\na,23.1,113.2,4000\n",
		"\uFEFFid,lat,lon\r\na,1,2\r\n",
		"id,lat,lon\n\"a\"\"b\",1,2\n",
		"id,lat,lon\na,NaN,2\n",
		"id,lat,lon,lat\n",
		"",
		"id,lat,lon\n\xff,1,2\n",
	} {
		f.Add([]byte(s))
	}
	f.Add([]byte("id,lat,lon\na,1,2\n\"b,1,2\nc,1,2\n"))
	f.Add([]byte("id,lat,lon\na,1,\"2\nb,\"x\",2\n"))
	f.Add([]byte("id,lat,lon,kg\na,1,2,\"50,000\"\n"))
	f.Add([]byte("id,lat,lon\n" + strings.Repeat("a,1,2\n", 6)))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Small limits, so that fuzzing reaches every one of them.
		lim := Limits{FileBytes: 400, LineBytes: 60, RecordBytes: 90, Rows: 5}
		r, err := NewReaderLimits("f.csv", strings.NewReader(string(data)), []Column{{"id", true}, {"lat", true}, {"lon", true}, {"kg", false}}, lim)
		rows := 0
		for err == nil {
			var ok bool
			ok, err = r.Next()
			if !ok || err != nil {
				break
			}
			rows++
			r.String("id", true)
			r.LatLon("lat", "lon")
			r.Positive("kg", false, 1, "kg")
			r.Int("kg", false, 0, 0, 10, "n")
			err = r.Err()
		}
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("error %T %v is not a *csvin.Error", err, err)
		}
		if e != nil && !strings.HasPrefix(e.Error(), "f.csv") {
			t.Fatalf("error %q does not name the file", e)
		}
		// Positions are inside the file; the limits hold.
		lines := 1 + strings.Count(string(data), "\n") + strings.Count(string(data), "\r")
		if e != nil && (e.Line < 0 || e.Line > lines || e.Column < 0) {
			t.Fatalf("error %q at line %d of a %d-line input", e, e.Line, lines)
		}
		if rows > lim.Rows {
			t.Fatalf("%d rows read, limit %d", rows, lim.Rows)
		}
		if err == nil && len(data) > int(lim.FileBytes)+3 {
			t.Fatalf("a %d-byte input read whole, limit %d", len(data), lim.FileBytes)
		}
	})
}

// FuzzNumberHint checks the class "a number written for another locale":
// a value formatted with any thousands separator and decimal mark gets a
// hint whose suggestion is the plain number, and no hint ever suggests
// something that is not a plain decimal.
//
//	go test -run '^$' -fuzz FuzzNumberHint -fuzztime 30s ./internal/csvin
func FuzzNumberHint(f *testing.F) {
	f.Add(int64(50000), uint16(0), uint8(0), "")
	f.Add(int64(-1234567), uint16(5), uint8(1), "50,000")
	f.Add(int64(999), uint16(25), uint8(2), "1.234.567")
	f.Add(int64(1000000), uint16(0), uint8(3), "3,5")
	f.Fuzz(func(t *testing.T, whole int64, frac uint16, style uint8, raw string) {
		if h := NumberHint(raw); h != "" {
			i := strings.LastIndex(h, "write ")
			j := strings.LastIndex(h, ": ")
			if i < 0 && j < 0 {
				t.Fatalf("hint %q for %q suggests nothing", h, raw)
			}
			if i >= 0 {
				sugg := strings.Fields(h[i+len("write "):])[0]
				if !isPlainDecimal(sugg) {
					t.Fatalf("hint %q for %q suggests %q, not a plain number", h, raw, sugg)
				}
			}
		}
		if whole == math.MinInt64 {
			return
		}
		seps := []struct{ group, dec string }{{",", "."}, {".", ","}, {" ", ","}, {"\u00a0", "."}}
		st := seps[int(style)%len(seps)]
		digits := strconv.FormatInt(abs(whole), 10)
		if len(digits) <= 3 {
			return // nothing to group
		}
		var b strings.Builder
		if whole < 0 {
			b.WriteByte('-')
		}
		for i, d := range digits {
			if i > 0 && (len(digits)-i)%3 == 0 {
				b.WriteString(st.group)
			}
			b.WriteRune(d)
		}
		plainWant := strings.TrimPrefix(strconv.FormatInt(whole, 10), "+")
		if frac > 0 {
			b.WriteString(st.dec + strconv.Itoa(int(frac)))
			plainWant += "." + strconv.Itoa(int(frac))
		}
		s := b.String()
		if st.group == "." && frac == 0 && strings.Count(s, ".") == 1 {
			return // "1.234" is a plain decimal: read as 1.234, no hint possible
		}
		h := NumberHint(s)
		if !strings.Contains(h, "write "+plainWant) {
			t.Fatalf("%q: hint %q, want it to suggest %s", s, h, plainWant)
		}
	})
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
