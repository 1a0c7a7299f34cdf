// Package csvin reads the CSV inputs of rlplan strictly: every problem is
// reported with the file, line and column, what was found and what was
// expected, and no row is ever silently dropped.
//
// It accepts what spreadsheets produce: a UTF-8 byte-order mark, CRLF line
// ends, quoted fields, surrounding spaces in headers. It rejects what would
// corrupt a plan: bytes that are not UTF-8, short or long rows, duplicate or
// missing required columns, text or NaN/Inf in numeric fields, coordinates
// out of range. Unknown columns are kept as warnings, not errors.
//
// gocsv is used for writing output tables; reading goes through
// encoding/csv directly because only it knows the physical line and column
// of each field (gocsv counts records, not lines).
package csvin

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is a problem at a place in an input file. Line and Column are
// 1-based; 0 means unknown (for example a whole-file problem).
type Error struct {
	File   string
	Line   int
	Column int
	Field  string // column name, when the problem is in one field
	Found  string // what was found, quoted as in the file
	Want   string // what was expected
	Msg    string // free text when Found/Want do not fit
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Field != "" {
		fmt.Fprintf(&b, "column %q: ", e.Field)
	}
	if e.Msg != "" {
		b.WriteString(e.Msg)
	}
	if e.Found != "" || e.Want != "" {
		if e.Msg != "" {
			b.WriteString(": ")
		}
		fmt.Fprintf(&b, "found %s, want %s", e.Found, e.Want)
	}
	return b.String()
}

// ExitCode makes input errors exit with code 3 in the command-line tool.
func (e *Error) ExitCode() int { return 3 }

// Column describes one expected column.
type Column struct {
	Name     string
	Required bool
}

// Reader reads records of a CSV file with a header row.
type Reader struct {
	file     string
	cr       *csv.Reader
	header   []string
	index    map[string]int
	rec      []string
	warnings []string
	rows     int
	unnamed  []int // columns without a header name
	err      error // first field error of the current record
	guard    *guard
	maxRows  int
	emptyOK  bool // a header without rows is a valid (empty) table
}

// quoteFound renders a field value for an error message, shortened.
func quoteFound(s string) string {
	if s == "" {
		return "an empty field"
	}
	if len(s) > 40 {
		cut := 40
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut-- // never split a character
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}

// lonelyCR turns the bare CR line ends of old Mac spreadsheets into LF;
// encoding/csv would read such a file as one line.
type lonelyCR struct {
	r    *bufio.Reader
	seen bool // a LF was seen: the file has ordinary line ends
}

func (l *lonelyCR) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		switch p[i] {
		case '\n':
			l.seen = true
		case '\r':
			if l.seen {
				continue
			}
			if next, perr := l.r.Peek(1); (i+1 < n && p[i+1] == '\n') || (i+1 == n && perr == nil && next[0] == '\n') {
				l.seen = true
				continue
			}
			p[i] = '\n'
		}
	}
	return n, err
}

// NewReader reads the header of r (named file in errors) and checks it
// against cols: a missing required column or a duplicated name is an error;
// an unknown column is a warning (see Warnings). It applies DefaultLimits.
func NewReader(file string, r io.Reader, cols []Column) (*Reader, error) {
	return NewReaderLimits(file, r, cols, DefaultLimits)
}

// NewReaderLimits is NewReader with explicit limits (a zero field means no
// limit of that kind).
func NewReaderLimits(file string, r io.Reader, cols []Column, limits Limits) (*Reader, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	g := newGuard(&lonelyCR{r: br}, file, limits)
	cr := csv.NewReader(g)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // checked in Next, to report both counts
	var want []string
	for _, c := range cols {
		if c.Required {
			want = append(want, c.Name)
		}
	}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &Error{File: file, Msg: "the file is empty", Want: "a header row: " + strings.Join(want, ","), Found: "no data"}
	}
	if err != nil {
		return nil, wrapCSV(file, err, g)
	}
	rd := &Reader{file: file, cr: cr, index: map[string]int{}, guard: g, maxRows: limits.Rows}
	rd.header = make([]string, len(header))
	for i, h := range header {
		line, col := cr.FieldPos(i)
		if !utf8.ValidString(h) {
			return nil, &Error{File: file, Line: line, Column: col, Msg: "header is not valid UTF-8 text", Want: "UTF-8 (save the file as CSV UTF-8)", Found: fmt.Sprintf("%q", h)}
		}
		h = strings.ToLower(strings.TrimSpace(h))
		rd.header[i] = h
		if h == "" {
			// Spreadsheets keep empty columns as trailing separators: an
			// unnamed column is ignored as long as its fields stay empty.
			rd.unnamed = append(rd.unnamed, i)
			continue
		}
		if prev, dup := rd.index[h]; dup {
			return nil, &Error{File: file, Line: line, Column: col, Field: h, Msg: fmt.Sprintf("column appears twice (also header field %d)", prev+1)}
		}
		rd.index[h] = i
	}
	known := map[string]bool{}
	for _, c := range cols {
		known[c.Name] = true
		if _, ok := rd.index[c.Name]; c.Required && !ok {
			line, _ := cr.FieldPos(0)
			return nil, &Error{File: file, Line: line, Field: c.Name, Msg: "required column is missing",
				Found: "header " + quoteFound(strings.Join(rd.header, ",")), Want: "columns " + strings.Join(want, ",")}
		}
	}
	headerLine, _ := cr.FieldPos(0)
	if len(rd.unnamed) > 0 {
		rd.warnings = append(rd.warnings, fmt.Sprintf("%s:%d: %d column(s) without a name ignored (their fields must be empty)", file, headerLine, len(rd.unnamed)))
	}
	for i, h := range rd.header {
		if h == "" {
			continue
		}
		if !known[h] {
			line, col := cr.FieldPos(i)
			rd.warnings = append(rd.warnings, fmt.Sprintf("%s:%d:%d: unknown column %q ignored", file, line, col, h))
		}
	}
	return rd, nil
}

// Warnings returns the non-fatal findings so far (unknown columns).
func (r *Reader) Warnings() []string { return r.warnings }

// Next advances to the next record. It returns false at the end of the file
// or on error; check Err. Blank lines are skipped by encoding/csv. A file
// with a header and no records is an error (no input is legitimately empty)
// unless AllowEmpty was called.
func (r *Reader) Next() (bool, error) {
	rec, err := r.cr.Read()
	if err == io.EOF {
		if r.rows == 0 && !r.emptyOK {
			return false, &Error{File: r.file, Line: 1, Msg: "the file has a header but no rows", Found: "0 rows", Want: "at least one row"}
		}
		return false, nil
	}
	if err != nil {
		return false, wrapCSV(r.file, err, r.guard)
	}
	r.rows++
	if r.maxRows > 0 && r.rows > r.maxRows {
		return false, &Error{File: r.file, Line: r.Line(), Msg: fmt.Sprintf("more than %d rows, the most rlplan reads from one table", r.maxRows),
			Found: "another row", Want: "a smaller table (is this the right file?)"}
	}
	r.rec = rec
	r.err = nil
	if len(rec) != len(r.header) {
		line, _ := r.cr.FieldPos(0)
		return false, &Error{File: r.file, Line: line, Msg: "row length differs from the header",
			Found: fmt.Sprintf("%d fields", len(rec)), Want: fmt.Sprintf("%d fields like the header (%s)", len(r.header), strings.Join(r.header, ","))}
	}
	for _, i := range r.unnamed {
		if strings.TrimSpace(rec[i]) != "" {
			line, col := r.cr.FieldPos(i)
			return false, &Error{File: r.file, Line: line, Column: col, Msg: fmt.Sprintf("column %d has no name in the header but this row has a value", i+1),
				Found: quoteFound(rec[i]), Want: "a header name for the column, or an empty field"}
		}
	}
	for i, f := range rec {
		if !utf8.ValidString(f) {
			line, col := r.cr.FieldPos(i)
			return false, &Error{File: r.file, Line: line, Column: col, Field: r.header[i],
				Msg: "field is not valid UTF-8 text", Found: fmt.Sprintf("%q", f), Want: "UTF-8 (re-save the file as CSV UTF-8; GBK exports are not accepted)"}
		}
	}
	return true, nil
}

// AllowEmpty makes a header without rows a valid, empty table, for the
// outputs rlplan reads back (a route sheet of a week with no stops).
func (r *Reader) AllowEmpty() { r.emptyOK = true }

// Line returns the line where the current record starts.
func (r *Reader) Line() int {
	line, _ := r.cr.FieldPos(0)
	return line
}

// Rows returns the number of records read so far.
func (r *Reader) Rows() int { return r.rows }

// Has reports whether the file has the named column.
func (r *Reader) Has(name string) bool { _, ok := r.index[name]; return ok }

// Err returns the first field error of the current record, if any.
func (r *Reader) Err() error { return r.err }

// Fail records a field error at the named column of the current record
// unless an earlier one is recorded, and returns it.
func (r *Reader) Fail(name, found, want string) error {
	if r.err == nil {
		r.err = r.errAt(name, found, want)
	}
	return r.err
}

// Failf is Fail with a free-text message instead of found/want.
func (r *Reader) Failf(name, format string, a ...any) error {
	if r.err == nil {
		e := r.errAt(name, "", "")
		e.Msg = fmt.Sprintf(format, a...)
		r.err = e
	}
	return r.err
}

func (r *Reader) errAt(name, found, want string) *Error {
	e := &Error{File: r.file, Field: name, Found: found, Want: want}
	if i, ok := r.index[name]; ok && i < len(r.rec) {
		e.Line, e.Column = r.cr.FieldPos(i)
	} else {
		e.Line = r.Line()
	}
	return e
}

// String returns the trimmed text of a column ("" when the column is absent).
// A required column must not be empty.
func (r *Reader) String(name string, required bool) string {
	i, ok := r.index[name]
	if !ok {
		return ""
	}
	s := strings.TrimSpace(r.rec[i])
	if s == "" && required {
		r.Fail(name, "an empty field", "a value")
	}
	return s
}

// Float parses a finite decimal number; want describes the expected value
// for messages ("a latitude in degrees"). An absent optional column or an
// empty optional field gives def.
func (r *Reader) Float(name string, required bool, def float64, want string) float64 {
	s := r.String(name, required)
	if s == "" {
		return def
	}
	v, err := strconv.ParseFloat(s, 64)
	if err == nil && strings.IndexFunc(s, notDecimal) >= 0 {
		err = strconv.ErrSyntax // Go also reads 0x1p4 and 1_000; a spreadsheet value never looks so
	}
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		if hint := NumberHint(s); hint != "" {
			want += "; " + hint
		}
		r.Fail(name, quoteFound(s), "a finite number: "+want)
		return def
	}
	return v
}

// NumberHint explains a number written with a thousands separator or a
// decimal comma, as spreadsheets of many locales export them, and says how
// to write it; "" when s does not look like one. rlplan reads '.' as the
// decimal mark and no separators, so "50,000" is refused rather than read
// as 50 or 50000: the two readings differ a thousandfold.
func NumberHint(s string) string {
	sign, body := "", s
	if len(body) > 0 && (body[0] == '-' || body[0] == '+') {
		sign, body = body[:1], body[1:]
	}
	for _, sp := range []string{" ", "\u00a0", "\u202f", "'"} { // space, no-break and narrow no-break space, Swiss apostrophe
		if g, ok := grouped(body, sp, "."); ok {
			return fmt.Sprintf("%q groups thousands; write %s%s without separators", sp, sign, g)
		}
		if g, ok := grouped(body, sp, ","); ok {
			return fmt.Sprintf("%q groups thousands and ',' is the decimal mark; write %s%s", sp, sign, g)
		}
	}
	if g, ok := grouped(body, ",", "."); ok {
		alt := ""
		if !strings.Contains(body, ".") && strings.Count(body, ",") == 1 {
			alt = fmt.Sprintf(" (or %s%s if ',' was meant as the decimal mark)", sign, strings.Replace(body, ",", ".", 1))
		}
		return fmt.Sprintf("',' looks like a thousands separator; write %s%s%s", sign, g, alt)
	}
	if g, ok := grouped(body, ".", ","); ok && strings.Contains(body, ",") {
		return fmt.Sprintf("'.' groups thousands and ',' is the decimal mark; write %s%s", sign, g)
	}
	if g, ok := grouped(body, ".", ""); ok && strings.Count(body, ".") > 1 {
		return fmt.Sprintf("'.' groups thousands; write %s%s", sign, g)
	}
	if strings.Count(body, ",") == 1 && !strings.Contains(body, ".") {
		if d := strings.Replace(body, ",", ".", 1); isPlainDecimal(d) {
			return fmt.Sprintf("use '.' as the decimal mark: %s%s", sign, d)
		}
	}
	return ""
}

// grouped reads digits grouped in threes by sep with an optional fraction
// after dec ("" for none) and returns the plain form: "1,234.5" -> "1234.5".
func grouped(s, sep, dec string) (string, bool) {
	if !strings.Contains(s, sep) {
		return "", false
	}
	intPart, frac := s, ""
	if dec != "" {
		if i := strings.LastIndex(s, dec); i >= 0 {
			intPart, frac = s[:i], s[i+len(dec):]
			if frac == "" || strings.Trim(frac, "0123456789") != "" {
				return "", false
			}
		}
	}
	groups := strings.Split(intPart, sep)
	if len(groups[0]) < 1 || len(groups[0]) > 3 {
		return "", false
	}
	for i, g := range groups {
		if g == "" || strings.Trim(g, "0123456789") != "" || (i > 0 && len(g) != 3) {
			return "", false
		}
	}
	out := strings.Join(groups, "")
	if frac != "" {
		out += "." + frac
	}
	return out, true
}

func isPlainDecimal(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && strings.IndexFunc(s, notDecimal) < 0
}

// Positive is Float that must be > 0.
func (r *Reader) Positive(name string, required bool, def float64, want string) float64 {
	v := r.Float(name, required, def, want)
	if r.err == nil && v <= 0 && (required || r.String(name, false) != "") {
		r.Fail(name, quoteFound(r.String(name, false)), "a number > 0: "+want)
	}
	return v
}

// NonNegative is Float that must be >= 0.
func (r *Reader) NonNegative(name string, required bool, def float64, want string) float64 {
	v := r.Float(name, required, def, want)
	if r.err == nil && v < 0 {
		r.Fail(name, quoteFound(r.String(name, false)), "a number >= 0: "+want)
	}
	return v
}

// Int parses a whole number in [min, max].
func (r *Reader) Int(name string, required bool, def, min, max int64, want string) int64 {
	s := r.String(name, required)
	if s == "" {
		return def
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// Spreadsheets write whole numbers as "12.0".
		if f, ferr := strconv.ParseFloat(s, 64); ferr == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			v, err = int64(f), nil
		}
	}
	if err != nil || v < min || v > max {
		w := fmt.Sprintf("a whole number from %d to %d: %s", min, max, want)
		if hint := NumberHint(s); hint != "" && err != nil {
			w += "; " + hint
		}
		r.Fail(name, quoteFound(s), w)
		return def
	}
	return v
}

// AtMost checks a value read from the named column against an upper
// bound; what says what the bound is ("kg: more than any truck carries").
// It returns v.
func (r *Reader) AtMost(name string, v, max float64, what string) float64 {
	if r.err == nil && v > max {
		r.Fail(name, quoteFound(r.String(name, false)), "at most "+plain(max)+" "+what)
	}
	return v
}

// AtLeast checks a value read from the named column against a lower bound
// (an absent optional field, which gave the default, is not checked).
func (r *Reader) AtLeast(name string, v, min float64, what string) float64 {
	if r.err == nil && v < min && r.String(name, false) != "" {
		r.Fail(name, quoteFound(r.String(name, false)), "at least "+plain(min)+" "+what)
	}
	return v
}

// plain formats a bound without an exponent: 100000000, 0.01.
func plain(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func notDecimal(r rune) bool {
	return !(r >= '0' && r <= '9' || r == '.' || r == '-' || r == '+' || r == 'e' || r == 'E')
}

// LatLon parses a latitude and a longitude column in degrees, with a hint
// when the two look swapped.
func (r *Reader) LatLon(latName, lonName string) (lat, lon float64) {
	lat = r.Float(latName, true, 0, "a latitude in degrees (WGS84)")
	lon = r.Float(lonName, true, 0, "a longitude in degrees (WGS84)")
	if r.err != nil {
		return
	}
	swapped := math.Abs(lat) > 90 && math.Abs(lon) <= 90
	switch {
	case math.Abs(lat) > 90:
		want := "a latitude from -90 to 90"
		if swapped {
			want += fmt.Sprintf(" (%s=%g and %s=%g look swapped)", latName, lat, lonName, lon)
		}
		r.Fail(latName, quoteFound(r.String(latName, false)), want)
	case math.Abs(lon) > 180:
		r.Fail(lonName, quoteFound(r.String(lonName, false)), "a longitude from -180 to 180")
	}
	return
}

// OneOf checks that a column holds one of the allowed values.
func (r *Reader) OneOf(name string, required bool, allowed ...string) string {
	s := r.String(name, required)
	if s == "" {
		return s
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	r.Fail(name, quoteFound(s), "one of "+strings.Join(allowed, ", "))
	return s
}

// wrapCSV turns an encoding/csv error into a positioned *Error. Errors that
// are already positioned (the guard's limits) and cancellations pass as
// they are.
func wrapCSV(file string, err error, g *guard) error {
	var ce *Error
	if errors.As(err, &ce) {
		return err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		e := &Error{File: file, Line: pe.Line, Column: pe.Column}
		switch {
		case errors.Is(pe.Err, csv.ErrFieldCount):
			e.Msg = "row has a different number of fields than the header"
			e.Column = 0
		case errors.Is(pe.Err, csv.ErrQuote):
			// The reader notices a missing closing quote where the field
			// ends up (the end of the file, or a later quote followed by
			// text): report where the field opened.
			e.Msg = "malformed quotes (a field with \" must be wholly quoted, inner quotes doubled)"
			p, ok := g.openedBefore(pe.Line, pe.Column)
			switch {
			case ok && g.eof && g.inQuote && g.err == nil:
				e.Line, e.Column = p.line, p.col
				e.Msg = "the quoted field opened here has no closing quote (it runs on to the end of the file)"
			case ok && p.line < pe.Line:
				e.Line, e.Column = p.line, p.col
				e.Msg = fmt.Sprintf("the quoted field opened here has no closing quote (it runs on to line %d, column %d)", pe.Line, pe.Column)
			case !ok && pe.StartLine < pe.Line:
				e.Line, e.Column = pe.StartLine, 0
				e.Msg = fmt.Sprintf("a quoted field of the row starting here has no closing quote (it runs on to line %d)", pe.Line)
			}
		case errors.Is(pe.Err, csv.ErrBareQuote):
			e.Msg = "malformed quotes (a field with \" must be wholly quoted, inner quotes doubled)"
		default:
			e.Msg = pe.Err.Error()
		}
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &Error{File: file, Msg: err.Error()}
}

// Cols builds a column list from a comma-separated spec in which optional
// columns end with '?': Cols("id,name?,lat,lon").
func Cols(spec string) []Column {
	var out []Column
	for _, f := range strings.Split(spec, ",") {
		f = strings.TrimSpace(f)
		opt := strings.HasSuffix(f, "?")
		out = append(out, Column{Name: strings.TrimSuffix(f, "?"), Required: !opt})
	}
	return out
}
