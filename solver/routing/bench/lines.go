package bench

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ParseError is a reader error with its position.
type ParseError struct {
	File string
	Line int // 1-based; 0 when the error is about the file as a whole
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// maxNodes bounds the node count a header may announce, so that a corrupt
// header cannot make a reader allocate gigabytes.
const maxNodes = 100000

// lineReader yields whitespace-split lines (spaces, tabs; CR of CRLF
// dropped) with their numbers.
type lineReader struct {
	file string
	sc   *bufio.Scanner
	line int
	// pending is a line pushed back by unread.
	pending []string
	hasPend bool
}

func newLineReader(file string, r io.Reader) *lineReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	return &lineReader{file: file, sc: sc}
}

// next returns the fields of the next line (possibly empty) and false at
// the end of input.
func (l *lineReader) next() ([]string, bool) {
	if l.hasPend {
		l.hasPend = false
		return l.pending, true
	}
	if !l.sc.Scan() {
		return nil, false
	}
	l.line++
	return strings.Fields(l.sc.Text()), true
}

// nextNonEmpty skips blank lines.
func (l *lineReader) nextNonEmpty() ([]string, bool) {
	for {
		f, ok := l.next()
		if !ok || len(f) > 0 {
			return f, ok
		}
	}
}

func (l *lineReader) unread(f []string) { l.pending, l.hasPend = f, true }

// err returns a scanner error if reading failed, else nil.
func (l *lineReader) ioErr() error {
	if err := l.sc.Err(); err != nil {
		return &ParseError{File: l.file, Line: l.line + 1, Msg: err.Error()}
	}
	return nil
}

func (l *lineReader) errorf(format string, a ...any) error {
	return &ParseError{File: l.file, Line: l.line, Msg: fmt.Sprintf(format, a...)}
}

// eofErr reports a premature end of file.
func (l *lineReader) eofErr(want string) error {
	if err := l.ioErr(); err != nil {
		return err
	}
	return &ParseError{File: l.file, Line: l.line, Msg: "unexpected end of file, want " + want}
}

func (l *lineReader) float(tok, what string) (float64, error) {
	v, err := strconv.ParseFloat(tok, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, l.errorf("%s: %q is not a finite number", what, tok)
	}
	return v, nil
}

func (l *lineReader) int(tok, what string) (int, error) {
	v, err := strconv.Atoi(tok)
	if err != nil {
		// Some files write integers as 12.0.
		f, ferr := strconv.ParseFloat(tok, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<52 {
			return 0, l.errorf("%s: %q is not an integer", what, tok)
		}
		v = int(f)
	}
	return v, nil
}

// euclid is the exact Euclidean distance matrix.
func euclid(xy [][2]float64) [][]float64 {
	m := make([][]float64, len(xy))
	for i := range xy {
		m[i] = make([]float64, len(xy))
		for j := range xy {
			m[i][j] = math.Hypot(xy[i][0]-xy[j][0], xy[i][1]-xy[j][1])
		}
	}
	return m
}

// nint is the TSPLIB EUC_2D distance: floor(d + 0.5), where d is computed
// as sqrt(dx^2+dy^2) (not hypot) to match the published evaluators bit for bit.
func nint(xy [][2]float64) [][]float64 {
	m := make([][]float64, len(xy))
	for i := range xy {
		m[i] = make([]float64, len(xy))
		for j := range xy {
			dx, dy := xy[i][0]-xy[j][0], xy[i][1]-xy[j][1]
			m[i][j] = math.Floor(math.Sqrt(dx*dx+dy*dy) + 0.5)
		}
	}
	return m
}
