package csvin

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

var cols = []Column{{"id", true}, {"lat", true}, {"lon", true}, {"kg", false}}

type row struct {
	id       string
	lat, lon float64
	kg       float64
}

func readAll(t *testing.T, data string) ([]row, []string, error) {
	t.Helper()
	r, err := NewReader("in.csv", strings.NewReader(data), cols)
	if err != nil {
		return nil, nil, err
	}
	var out []row
	for {
		ok, err := r.Next()
		if err != nil {
			return out, r.Warnings(), err
		}
		if !ok {
			return out, r.Warnings(), nil
		}
		var x row
		x.id = r.String("id", true)
		x.lat, x.lon = r.LatLon("lat", "lon")
		x.kg = r.Positive("kg", false, 5000, "capacity in kg")
		if err := r.Err(); err != nil {
			return out, r.Warnings(), err
		}
		out = append(out, x)
	}
}

func TestGoodInputs(t *testing.T) {
	for name, data := range map[string]string{
		"plain":         "id,lat,lon,kg\na,23.1,113.2,4000\nb,22,114,\n",
		"bom and crlf":  "\uFEFFid,lat,lon,kg\r\na,23.1,113.2,4000\r\nb,22,114,\r\n",
		"spaced header": " ID , Lat,lon ,kg\na,23.1,113.2,4000\nb,22,114,\n",
		"quoted":        "id,lat,lon,kg\n\"a\",\"23.1\",113.2,4000\nb,22,114,\n",
		"integer float": "id,lat,lon,kg\na,23.1,113.2,4000.0\nb,22,114,\n",
	} {
		t.Run(name, func(t *testing.T) {
			rows, _, err := readAll(t, data)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if len(rows) != 2 || rows[0].id != "a" || rows[0].kg != 4000 || rows[1].kg != 5000 || rows[1].lon != 114 {
				t.Fatalf("rows = %+v, want a(4000 kg) and b(default 5000 kg)", rows)
			}
		})
	}
}

// Blank lines before the header: header messages name the header's real line.
func TestHeaderAfterBlankLines(t *testing.T) {
	_, warn, err := readAll(t, "\n\nid,lat,lon,colour\na,1,2,red\n")
	if err != nil || len(warn) != 1 || !strings.Contains(warn[0], "in.csv:3:12: unknown column") {
		t.Fatalf("err=%v warnings=%q, want one at in.csv:3:12", err, warn)
	}
	_, _, err = readAll(t, "\n\nid,lat,lon,lat\na,1,2,3\n")
	var e *Error
	if !errors.As(err, &e) || e.Line != 3 || e.Column != 12 {
		t.Fatalf("err=%v, want a duplicate column at 3:12", err)
	}
}

func TestUnknownColumnWarns(t *testing.T) {
	rows, warn, err := readAll(t, "id,lat,lon,colour\na,1,2,red\n")
	if err != nil || len(rows) != 1 {
		t.Fatalf("err=%v rows=%d, want 1 row and no error", err, len(rows))
	}
	if len(warn) != 1 || !strings.Contains(warn[0], `unknown column "colour"`) || !strings.Contains(warn[0], "in.csv:1:12:") {
		t.Fatalf("warnings = %q, want one naming colour at in.csv:1:12 (its byte position)", warn)
	}
}

func TestBadInputs(t *testing.T) {
	cases := []struct {
		name, data string
		want       []string // substrings of the message
		line, col  int
	}{
		{"empty", "", []string{"in.csv: ", "empty"}, 0, 0},
		{"header only", "id,lat,lon\n", []string{"header but no rows"}, 1, 0},
		{"missing column", "id,lat,kg\na,1,2\n", []string{`column "lon"`, "required column is missing"}, 1, 0},
		{"duplicate column", "id,lat,lon,lat\na,1,2,3\n", []string{`column "lat"`, "twice", "also header field 2"}, 1, 12},
		{"text in number", "id,lat,lon\na,1,2\nb,x1,3\n", []string{`column "lat"`, `found "x1"`, "finite number"}, 3, 3},
		{"nan", "id,lat,lon\na,NaN,2\n", []string{`found "NaN"`}, 2, 3},
		{"inf", "id,lat,lon,kg\na,1,2,+Inf\n", []string{`found "+Inf"`}, 2, 7},
		{"decimal comma", "id,lat,lon\na,\"23,1\",2\n", []string{"decimal mark"}, 2, 3},
		{"lat range swapped", "id,lat,lon\na,113.2,23.1\n", []string{"-90 to 90", "look swapped"}, 2, 3},
		{"lon range", "id,lat,lon\na,23,190\n", []string{"-180 to 180"}, 2, 6},
		{"zero capacity", "id,lat,lon,kg\na,1,2,0\n", []string{`column "kg"`, "> 0"}, 2, 7},
		{"negative capacity", "id,lat,lon,kg\na,1,2,-5\n", []string{"> 0"}, 2, 7},
		{"short row", "id,lat,lon\na,1,2\nb,1\n", []string{"2 fields", "3 fields"}, 3, 0},
		{"long row", "id,lat,lon\na,1,2,9\n", []string{"4 fields"}, 2, 0},
		{"empty required", "id,lat,lon\n,1,2\n", []string{`column "id"`, "empty"}, 2, 1},
		{"non utf8", "id,lat,lon\n\xb9\xe3\xd6\xdd,1,2\n", []string{"not valid UTF-8"}, 2, 1},
		{"bad quote", "id,lat,lon\na\"b,1,2\n", []string{"quotes"}, 2, 0},
		// An unclosed quote is reported where it opened, not where the
		// reader gives up (the end of the file, or a later quote).
		{"unclosed quote to the end", "id,lat,lon\na,1,2\nb,1,2\nc,1,2\n\"d,1,2\ne,1,2\nf,1,2\n",
			[]string{"quoted field opened here has no closing quote", "end of the file"}, 5, 1},
		{"unclosed quote to a later quote", "id,lat,lon\na,1,2\nb,1,2\nc,1,2\nd,\"1,2\ne,\"x\",2\nf,1,2\n",
			[]string{"no closing quote", "runs on to line 6"}, 5, 3},
		{"unclosed quote no newline", "id,lat,lon\na,1,2\nb,1,\"2", []string{"no closing quote", "end of the file"}, 3, 5},
		{"unclosed quote crlf", "id,lat,lon\r\na,1,2\r\nb,\"1,2\r\nc,1,2\r\n", []string{"no closing quote"}, 3, 3},
		{"thousands separator", "id,lat,lon,kg\na,1,2,\"50,000\"\n", []string{"thousands separator", "write 50000", "or 50.000"}, 2, 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := readAll(t, c.data)
			if err == nil {
				t.Fatalf("no error, want one containing %q", c.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not *csvin.Error", err, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if e.Line != c.line || (c.col != 0 && e.Column != c.col) {
				t.Errorf("error at %d:%d, want %d:%d (%v)", e.Line, e.Column, c.line, c.col, err)
			}
			if e.ExitCode() != 3 {
				t.Errorf("exit code %d, want 3", e.ExitCode())
			}
		})
	}
}

func TestIntRange(t *testing.T) {
	r, err := NewReader("y.csv", strings.NewReader("year\n1999\n2031.5\n"), []Column{{"year", true}})
	if err != nil {
		t.Fatal(err)
	}
	r.Next()
	if v := r.Int("year", true, 0, 2000, 2100, "a model year"); r.Err() == nil || v != 0 {
		t.Errorf("1999 accepted (v=%d, err=%v), want a range error", v, r.Err())
	}
	r.Next()
	if r.Int("year", true, 0, 2000, 2100, "a model year"); r.Err() == nil || !strings.Contains(r.Err().Error(), `"2031.5"`) {
		t.Errorf("2031.5 accepted, want an error naming it (got %v)", r.Err())
	}
}

func TestSpreadsheetQuirks(t *testing.T) {
	// Old Mac Excel ends lines with a bare CR.
	rows, _, err := readAll(t, "id,lat,lon,kg\ra,23.1,113.2,4000\rb,22,114,\r")
	if err != nil || len(rows) != 2 || rows[1].lon != 114 {
		t.Fatalf("CR-only file: rows %+v, err %v; want 2 rows", rows, err)
	}
	// A CR inside a CRLF file is kept as is (encoding/csv handles CRLF).
	if rows, _, err := readAll(t, "id,lat,lon\r\na,1,2\r\n"); err != nil || len(rows) != 1 {
		t.Fatalf("CRLF file: %v %v", rows, err)
	}
	for _, c := range []struct{ data, want string }{
		{"id,lat,lon,,\na,1,2,x,\n", "column 4 has no name in the header but this row has a value"},
		{"id,lat,lon,kg\na,1,2,0x1p4\n", `found "0x1p4"`},
		{"id,lat,lon,kg\na,1,2,1_000\n", `found "1_000"`},
	} {
		if _, _, err := readAll(t, c.data); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.data, err, c.want)
		}
	}
	if rows, warn, err := readAll(t, "id,lat,lon,,\na,1,2,,\n"); err != nil || len(rows) != 1 || len(warn) != 1 {
		t.Errorf("empty trailing columns: rows %v warnings %q err %v; want 1 row and a warning", rows, warn, err)
	}
	long := strings.Repeat("广", 20) // 60 bytes: the cut must not split a character
	if q := quoteFound(long); !utf8.ValidString(q) || strings.Contains(q, `\x`) {
		t.Errorf("quoteFound split a character: %s", q)
	}
}

// zeros is an endless stream of NUL bytes, like /dev/zero.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

func TestLimits(t *testing.T) {
	// /dev/zero: no line end ever. The reader stops at the line limit
	// having read little more than one line.
	z := &zeros{}
	_, err := NewReader("/dev/zero", z, cols)
	var e *Error
	if !errors.As(err, &e) || e.Line != 1 || !strings.Contains(err.Error(), "line is longer than 64 KiB") {
		t.Errorf("endless line: %v, want a line-length error on line 1", err)
	}
	if z.n > 2*int64(DefaultLimits.LineBytes)+8192 {
		t.Errorf("read %d bytes of an endless line, want about %d", z.n, DefaultLimits.LineBytes)
	}
	// A long line after the header, with its line number.
	data := "id,lat,lon\na,1,2\nb," + strings.Repeat("9", 70000) + ",2\n"
	if _, _, err := readAll(t, data); !errors.As(err, &e) || e.Line != 3 {
		t.Errorf("long third line: %v, want an error on line 3", err)
	}
	small := Limits{FileBytes: 100, LineBytes: 50, RecordBytes: 60, Rows: 3}
	read := func(data string) error {
		r, err := NewReaderLimits("s.csv", strings.NewReader(data), cols, small)
		for err == nil {
			var ok bool
			if ok, err = r.Next(); !ok {
				break
			}
		}
		return err
	}
	for name, c := range map[string]struct {
		data, want string
		line       int
	}{
		"file":             {"id,lat,lon\n" + strings.Repeat(strings.Repeat("a", 33)+",1,2\n", 3), "larger than 100 bytes", 4},
		"rows":             {"id,lat,lon\n" + strings.Repeat("a,1,2\n", 4), "more than 3 rows", 5},
		"record":           {"id,lat,lon\n\"" + strings.Repeat("abcdefghi\n", 7) + "\",1,2\n", "opened here runs on past line", 2},
		"within the rules": {"id,lat,lon\n" + strings.Repeat("a,1,2\n", 3), "", 0},
	} {
		err := read(c.data)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v, want no error", name, err)
			}
			continue
		}
		if !errors.As(err, &e) || !strings.Contains(err.Error(), c.want) || e.Line != c.line {
			t.Errorf("%s: %v, want %q on line %d", name, err, c.want, c.line)
		}
	}
}

func TestBounds(t *testing.T) {
	r, err := NewReader("b.csv", strings.NewReader("v\n5\n1e308\n0.001\n"), []Column{{"v", true}})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for {
		ok, err := r.Next()
		if err != nil || !ok {
			break
		}
		v := r.Float("v", true, 0, "kg")
		r.AtMost("v", v, 100000000, "kg (more than any row can hold)")
		r.AtLeast("v", v, 0.01, "kg")
		if r.Err() != nil {
			msgs = append(msgs, r.Err().Error())
		}
	}
	want := []string{
		`b.csv:3:1: column "v": found "1e308", want at most 100000000 kg (more than any row can hold)`,
		`b.csv:4:1: column "v": found "0.001", want at least 0.01 kg`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("messages\n%s\nwant\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
}

// TestUnclosedQuoteProperty checks the class "a quote that never closes is
// reported where it opened": in random tables, a quote opened at the start
// of any field of any row is reported at that row and column, whatever
// follows (rows of plain fields, or quoted fields that would close it).
func TestUnclosedQuoteProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 5))
	for trial := 0; trial < 500; trial++ {
		rows := 2 + rng.IntN(30)
		lines := []string{"id,lat,lon"}
		for i := 0; i < rows; i++ {
			id := fmt.Sprintf("o%d", i)
			if rng.IntN(4) == 0 {
				id = `"` + id + `"` // quoted fields after the bad one
			}
			lines = append(lines, fmt.Sprintf("%s,%d.%d,%d", id, rng.IntN(80), rng.IntN(100), rng.IntN(170)))
		}
		k := 1 + rng.IntN(rows) // the row that gets the stray quote
		fields := strings.Split(lines[k], ",")
		f := rng.IntN(len(fields))
		if strings.HasPrefix(fields[f], `"`) {
			continue
		}
		col := 1
		for _, g := range fields[:f] {
			col += len(g) + 1
		}
		fields[f] = `"` + fields[f]
		lines[k] = strings.Join(fields, ",")
		data := strings.Join(lines, "\n") + "\n"
		_, _, err := readAll(t, data)
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("trial %d: %v, want a *csvin.Error for\n%s", trial, err, data)
		}
		if e.Line != k+1 || e.Column != col || !strings.Contains(e.Msg, "no closing quote") {
			t.Fatalf("trial %d: %v, want line %d column %d, 'no closing quote', for\n%s", trial, err, k+1, col, data)
		}
	}
}
