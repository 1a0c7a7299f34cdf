package csvin

import (
	"errors"
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
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader("f.csv", strings.NewReader(string(data)), []Column{{"id", true}, {"lat", true}, {"lon", true}, {"kg", false}})
		for err == nil {
			var ok bool
			ok, err = r.Next()
			if !ok || err != nil {
				break
			}
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
	})
}
