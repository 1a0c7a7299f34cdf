package csvin

import (
	"fmt"
	"io"
)

// Limits bound what a Reader accepts, so that no input (a huge export, a
// binary file, /dev/zero) can exhaust memory: the reader fails with a
// positioned *Error as soon as one is passed, having held at most one line.
type Limits struct {
	// FileBytes is the largest file read.
	FileBytes int64
	// LineBytes is the longest physical line (one row, or one line of a
	// quoted field that spans lines).
	LineBytes int
	// RecordBytes is the longest record: a quoted field may span lines, but
	// a whole row stays below this.
	RecordBytes int
	// Rows is the most records after the header.
	Rows int
}

// DefaultLimits are far above any real input of rlplan and low enough that
// the tables they allow fit in memory: the national dataset's largest table
// (stock.csv) has about 40,000 rows of under 100 bytes; a road matrix from
// every one of 156 plants to 10,000 outlets has 1.6 million rows (about
// 50 MB). A row of a few hundred bytes at most is real; 64 KiB is not.
var DefaultLimits = Limits{FileBytes: 256 << 20, LineBytes: 64 << 10, RecordBytes: 1 << 20, Rows: 5_000_000}

// guard passes bytes through while it counts them, and fails past the
// limits. It follows CSV quoting (RFC 4180: a quote opens a field only at
// its start; "" inside is a literal quote) to know where records end and to
// remember where the last quoted field opened, which encoding/csv does not
// report.
type guard struct {
	r      io.Reader
	file   string
	limits Limits
	err    error
	eof    bool // the whole input was read

	total                    int64
	line, lineLen, recordLen int
	col                      int // column (bytes, 1-based) of the next byte
	recordLine               int
	fieldStart, inQuote      bool
	quoteEnd                 bool // inside quotes, the previous byte was '"'
	quoteLine, quoteCol      int  // where the last quoted field opened
	// opens are the last quote openings seen, a ring: encoding/csv reads
	// ahead of the record it reports, by at most its 4 KiB buffer.
	opens [4096]position
	nOpen int
}

type position struct{ line, col int }

func newGuard(r io.Reader, file string, l Limits) *guard {
	return &guard{r: r, file: file, limits: l, line: 1, col: 1, recordLine: 1, fieldStart: true}
}

func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	if err == io.EOF {
		g.eof = true
	}
	for i := 0; i < n; i++ {
		if e := g.step(p[i]); e != nil {
			g.err = e
			// Hand over what came before the byte at fault; the next
			// Read reports the error.
			if i == 0 {
				return 0, e
			}
			return i, nil
		}
	}
	return n, err
}

func (g *guard) step(c byte) error {
	g.total++
	if g.limits.FileBytes > 0 && g.total > g.limits.FileBytes {
		return &Error{File: g.file, Line: g.line, Msg: "the file is larger than " + size(g.limits.FileBytes) + ", the most rlplan reads",
			Want: "a CSV table (is this the right file?)", Found: "more data"}
	}
	if g.quoteEnd {
		g.quoteEnd = false
		if c == '"' { // a doubled quote: still inside
			return g.advance(c)
		}
		g.inQuote = false
	}
	switch {
	case g.inQuote:
		if c == '"' {
			g.quoteEnd = true
		}
	case c == '"' && g.fieldStart:
		g.inQuote, g.quoteLine, g.quoteCol = true, g.line, g.col
		g.opens[g.nOpen%len(g.opens)] = position{g.line, g.col}
		g.nOpen++
	case c == ',':
		g.fieldStart = true
		return g.advance(c)
	case c == '\n':
		g.fieldStart = true
		err := g.advance(c)
		g.recordLen, g.recordLine = 0, g.line
		return err
	}
	if c != '\r' || g.inQuote {
		g.fieldStart = false
	}
	return g.advance(c)
}

// advance counts a byte in its line and record.
func (g *guard) advance(c byte) error {
	g.recordLen++
	if c == '\n' {
		g.line++
		g.lineLen, g.col = 0, 1
		return nil
	}
	g.lineLen++
	g.col++
	switch {
	case g.limits.LineBytes > 0 && g.lineLen > g.limits.LineBytes:
		return &Error{File: g.file, Line: g.line, Msg: "line is longer than " + size(int64(g.limits.LineBytes)) + ", the most rlplan reads",
			Found: "no line end", Want: "rows of a CSV table (is this a CSV file?)"}
	case g.limits.RecordBytes > 0 && g.recordLen > g.limits.RecordBytes:
		e := &Error{File: g.file, Line: g.recordLine, Msg: "row is longer than " + size(int64(g.limits.RecordBytes)) + ", the most rlplan reads",
			Found: fmt.Sprintf("a row running on to line %d", g.line), Want: "rows of a CSV table"}
		if g.inQuote {
			e.Line, e.Column = g.quoteLine, g.quoteCol
			e.Msg = fmt.Sprintf("a quoted field opened here runs on past line %d without a closing quote", g.line)
			e.Found, e.Want = "", ""
		}
		return e
	}
	return nil
}

// openedBefore returns where the last quoted field opened at or before
// line:col (a position encoding/csv reports), if the guard remembers it.
func (g *guard) openedBefore(line, col int) (position, bool) {
	for k := 0; k < len(g.opens) && k < g.nOpen; k++ {
		p := g.opens[(g.nOpen-1-k)%len(g.opens)]
		if p.line < line || p.line == line && p.col <= col {
			return p, true
		}
	}
	return position{}, false
}

// size renders a limit in bytes: "256 MiB", "64 KiB", "100 bytes".
func size(b int64) string {
	switch {
	case b >= 1<<20 && b%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", b>>20)
	case b >= 1<<10 && b%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", b>>10)
	}
	return fmt.Sprintf("%d bytes", b)
}
