package bench

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ParseError locates a problem in an input file.
type ParseError struct {
	File         string
	Line, Column int // 1-based; 0 when unknown
	Msg          string
}

func (e *ParseError) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// maxInputBytes caps what a reader accepts, so that garbage cannot make it
// allocate without bound (the largest OR-Library file is about 1.6 MB).
const maxInputBytes = 64 << 20

// tokens splits a whole input into whitespace-separated tokens, remembering
// where each starts: OR-Library files break lines arbitrarily, so they are
// read as token streams.
type tokens struct {
	file      string
	data      []byte
	pos       int
	line, col int // of the last token returned
	lineNo    int
	lineStart int
}

func newTokens(r io.Reader, file string) (*tokens, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInputBytes+1))
	if err != nil {
		return nil, &ParseError{File: file, Msg: err.Error()}
	}
	if len(data) > maxInputBytes {
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("input larger than %d bytes", maxInputBytes)}
	}
	return &tokens{file: file, data: data, lineNo: 1}, nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// next returns the next token or io.EOF.
func (t *tokens) next() (string, error) {
	for t.pos < len(t.data) && isSpace(t.data[t.pos]) {
		if t.data[t.pos] == '\n' {
			t.lineNo++
			t.lineStart = t.pos + 1
		}
		t.pos++
	}
	if t.pos >= len(t.data) {
		t.line, t.col = t.lineNo, 0
		return "", io.EOF
	}
	s := t.pos
	for t.pos < len(t.data) && !isSpace(t.data[t.pos]) {
		t.pos++
	}
	t.line, t.col = t.lineNo, s-t.lineStart+1
	return string(t.data[s:t.pos]), nil
}

func (t *tokens) errf(format string, a ...any) error {
	return &ParseError{File: t.file, Line: t.line, Column: t.col, Msg: fmt.Sprintf(format, a...)}
}

// number reads a finite float; what names the field for error messages.
func (t *tokens) number(what string) (float64, error) {
	s, err := t.next()
	if err == io.EOF {
		return 0, t.errf("unexpected end of file, expected %s", what)
	}
	v, perr := strconv.ParseFloat(s, 64)
	if perr != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, t.errf("%s: %q is not a finite number", what, s)
	}
	return v, nil
}

// integer reads an integer in [lo, hi].
func (t *tokens) integer(what string, lo, hi int) (int, error) {
	s, err := t.next()
	if err == io.EOF {
		return 0, t.errf("unexpected end of file, expected %s", what)
	}
	v, perr := strconv.Atoi(s)
	if perr != nil {
		return 0, t.errf("%s: %q is not an integer", what, s)
	}
	if v < lo || v > hi {
		return 0, t.errf("%s = %d, want %d..%d", what, v, lo, hi)
	}
	return v, nil
}

func (t *tokens) end() error {
	s, err := t.next()
	if err == io.EOF {
		return nil
	}
	return t.errf("unexpected trailing token %q", s)
}

// PMed is an OR-Library p-median instance after shortest paths.
type PMed struct {
	Name string
	N, P int
	// Dist[i][j] is the shortest-path cost between vertices i and j
	// (0-based); +Inf when the graph does not connect them.
	Dist [][]float64
}

// ReadPMed reads an OR-Library pmedinfo file: "n m p" then m edges "i j c"
// (1-based, undirected). When an edge appears more than once the last
// occurrence wins, as OR-Library specifies. Distances are shortest paths
// (Dijkstra from every vertex, O(n·m·log n)).
func ReadPMed(r io.Reader, file string) (*PMed, error) {
	t, err := newTokens(r, file)
	if err != nil {
		return nil, err
	}
	n, err := t.integer("vertex count n", 1, 5000)
	if err != nil {
		return nil, err
	}
	m, err := t.integer("edge count m", 0, 2_000_000)
	if err != nil {
		return nil, err
	}
	p, err := t.integer("median count p", 1, n)
	if err != nil {
		return nil, err
	}
	type key struct{ a, b int }
	last := make(map[key]float64)
	order := make([]key, 0, min(m, 1<<16))
	for e := 0; e < m; e++ {
		i, err := t.integer(fmt.Sprintf("edge %d endpoint i", e+1), 1, n)
		if err != nil {
			return nil, err
		}
		j, err := t.integer(fmt.Sprintf("edge %d endpoint j", e+1), 1, n)
		if err != nil {
			return nil, err
		}
		c, err := t.number(fmt.Sprintf("edge %d cost", e+1))
		if err != nil {
			return nil, err
		}
		if c < 0 {
			return nil, t.errf("edge %d cost %v, want >= 0", e+1, c)
		}
		k := key{min(i, j) - 1, max(i, j) - 1}
		if _, ok := last[k]; !ok {
			order = append(order, k)
		}
		last[k] = c
	}
	if err := t.end(); err != nil {
		return nil, err
	}
	type arc struct {
		to int
		c  float64
	}
	adj := make([][]arc, n)
	for _, k := range order {
		if k.a == k.b {
			continue
		}
		c := last[k]
		adj[k.a] = append(adj[k.a], arc{k.b, c})
		adj[k.b] = append(adj[k.b], arc{k.a, c})
	}
	dist := make([][]float64, n)
	for s := 0; s < n; s++ {
		d := make([]float64, n)
		for i := range d {
			d[i] = math.Inf(1)
		}
		d[s] = 0
		h := &distHeap{{s, 0}}
		for h.Len() > 0 {
			x := heap.Pop(h).(distItem)
			if x.d > d[x.v] {
				continue
			}
			for _, a := range adj[x.v] {
				if nd := x.d + a.c; nd < d[a.to] {
					d[a.to] = nd
					heap.Push(h, distItem{a.to, nd})
				}
			}
		}
		dist[s] = d
	}
	return &PMed{Name: file, N: n, P: p, Dist: dist}, nil
}

type distItem struct {
	v int
	d float64
}
type distHeap []distItem

func (h distHeap) Len() int           { return len(h) }
func (h distHeap) Less(a, b int) bool { return h[a].d < h[b].d }
func (h distHeap) Swap(a, b int)      { h[a], h[b] = h[b], h[a] }
func (h *distHeap) Push(x any)        { *h = append(*h, x.(distItem)) }
func (h *distHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Cap is an OR-Library capacitated warehouse location instance (capinfo).
type Cap struct {
	Name string
	M, N int // warehouses, customers
	// Capacity per warehouse; nil when the file is a template whose
	// capacities are the literal word "capacity" (capa, capb, capc).
	Capacity []float64
	Fixed    []float64
	Demand   []float64
	// Cost[j][i] is the cost of allocating all of customer j's demand to
	// warehouse i.
	Cost [][]float64
}

// ReadCap reads a capinfo file as a token stream: "m n", m lines
// "capacity fixed", then per customer its demand and m allocation costs.
// Line breaks are not significant.
func ReadCap(r io.Reader, file string) (*Cap, error) {
	t, err := newTokens(r, file)
	if err != nil {
		return nil, err
	}
	m, err := t.integer("warehouse count m", 1, 100_000)
	if err != nil {
		return nil, err
	}
	n, err := t.integer("customer count n", 1, 1_000_000)
	if err != nil {
		return nil, err
	}
	if m*n > 20_000_000 {
		return nil, t.errf("m·n = %d cost entries, more than the 20,000,000 supported", m*n)
	}
	c := &Cap{Name: file, M: m, N: n, Fixed: make([]float64, m), Demand: make([]float64, n)}
	template := false
	for i := 0; i < m; i++ {
		s, err := t.next()
		if err == io.EOF {
			return nil, t.errf("unexpected end of file, expected capacity of warehouse %d", i+1)
		}
		if s == "capacity" {
			if i > 0 && !template {
				return nil, t.errf("warehouse %d capacity is the word \"capacity\" but earlier ones are numbers", i+1)
			}
			template = true
		} else {
			if template {
				return nil, t.errf("warehouse %d capacity %q, want the word \"capacity\" like the warehouses before", i+1, s)
			}
			v, perr := strconv.ParseFloat(s, 64)
			if perr != nil || !(v >= 0) || math.IsInf(v, 0) {
				return nil, t.errf("warehouse %d capacity %q, want a finite number >= 0 or the word \"capacity\"", i+1, s)
			}
			c.Capacity = append(c.Capacity, v)
		}
		if c.Fixed[i], err = t.number(fmt.Sprintf("warehouse %d fixed cost", i+1)); err != nil {
			return nil, err
		}
		if c.Fixed[i] < 0 {
			return nil, t.errf("warehouse %d fixed cost %v, want >= 0", i+1, c.Fixed[i])
		}
	}
	c.Cost = make([][]float64, n)
	for j := 0; j < n; j++ {
		if c.Demand[j], err = t.number(fmt.Sprintf("customer %d demand", j+1)); err != nil {
			return nil, err
		}
		if c.Demand[j] < 0 {
			return nil, t.errf("customer %d demand %v, want >= 0", j+1, c.Demand[j])
		}
		row := make([]float64, m)
		for i := range row {
			if row[i], err = t.number(fmt.Sprintf("customer %d cost to warehouse %d", j+1, i+1)); err != nil {
				return nil, err
			}
			if row[i] < 0 {
				return nil, t.errf("customer %d cost to warehouse %d is %v, want >= 0", j+1, i+1, row[i])
			}
		}
		c.Cost[j] = row
	}
	if err := t.end(); err != nil {
		return nil, err
	}
	return c, nil
}

// Optimum is one row of optimal.csv. Capacity is set for template instances
// written "capa@8000".
type Optimum struct {
	Instance string // file stem, e.g. "cap41" or "capa"
	Capacity float64
	Template bool
	Value    float64
	Name     string // as written, e.g. "capa@8000"
}

// ReadOptimal reads optimal.csv: a header starting "instance,optimum", then
// rows "name,value,source...".
func ReadOptimal(r io.Reader, file string) ([]Optimum, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInputBytes+1))
	if err != nil {
		return nil, &ParseError{File: file, Msg: err.Error()}
	}
	if len(data) > maxInputBytes {
		return nil, &ParseError{File: file, Msg: "input too large"}
	}
	cr := csv.NewReader(bufio.NewReader(bytes.NewReader(data)))
	cr.FieldsPerRecord = -1
	var out []Optimum
	for row := 0; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line := 0
		if err == nil {
			line, _ = cr.FieldPos(0)
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &ParseError{File: file, Line: pe.Line, Column: pe.Column, Msg: pe.Err.Error()}
			}
			return nil, &ParseError{File: file, Line: line, Msg: err.Error()}
		}
		if row == 0 {
			if len(rec) < 2 || strings.TrimSpace(rec[0]) != "instance" || strings.TrimSpace(rec[1]) != "optimum" {
				return nil, &ParseError{File: file, Line: line, Msg: fmt.Sprintf("header %q, want it to start with instance,optimum", strings.Join(rec, ","))}
			}
			continue
		}
		if len(rec) < 2 {
			return nil, &ParseError{File: file, Line: line, Msg: fmt.Sprintf("%d fields, want at least 2 (instance,optimum)", len(rec))}
		}
		name := strings.TrimSpace(rec[0])
		if name == "" {
			return nil, &ParseError{File: file, Line: line, Column: 1, Msg: "empty instance name"}
		}
		v, perr := strconv.ParseFloat(strings.TrimSpace(rec[1]), 64)
		if perr != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, &ParseError{File: file, Line: line, Column: 2, Msg: fmt.Sprintf("optimum %q is not a finite number", rec[1])}
		}
		o := Optimum{Instance: name, Value: v, Name: name}
		if stem, capS, ok := strings.Cut(name, "@"); ok {
			if stem == "" {
				return nil, &ParseError{File: file, Line: line, Column: 1, Msg: fmt.Sprintf("instance %q: empty name before @", name)}
			}
			cv, perr := strconv.ParseFloat(capS, 64)
			if perr != nil || !(cv > 0) || math.IsInf(cv, 0) {
				return nil, &ParseError{File: file, Line: line, Column: 1, Msg: fmt.Sprintf("instance %q: capacity %q after @ is not a positive number", name, capS)}
			}
			o.Instance, o.Capacity, o.Template = stem, cv, true
		}
		out = append(out, o)
	}
	return out, nil
}
