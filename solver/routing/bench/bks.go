package bench

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"
)

// BKS is one row of a folder's bks.csv.
type BKS struct {
	Instance string
	// Cost is the reference for gaps: for VRPTW the distance-only BKS
	// (distance_only_bks_cost) where the file gives one, else bks_cost.
	Cost float64
	// Fields holds every column by header name, as written.
	Fields map[string]string
}

// ReadBKS reads a bks.csv (columns instance, bks_cost and others).
func ReadBKS(path string) (map[string]BKS, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: no such file: a benchmark folder needs a bks.csv with a header "+
			"instance,bks_cost and one row per instance (its name without extension, its best-known cost)", path)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseBKS(path, f)
}

// ParseBKS parses a bks.csv: a header with (at least) the columns instance
// and bks_cost, then one row per instance. An empty or missing
// distance_only_bks_cost falls back to bks_cost.
func ParseBKS(name string, r io.Reader) (map[string]BKS, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ParseError{File: name, Line: 1, Msg: "empty file, want a header instance,bks_cost,..."}
		}
		return nil, csvErr(name, err)
	}
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\ufeff")
	}
	has := map[string]bool{}
	for _, h := range head {
		has[h] = true
	}
	if !has["instance"] || !has["bks_cost"] {
		return nil, &ParseError{File: name, Line: 1, Msg: fmt.Sprintf("header %q: want columns instance and bks_cost", strings.Join(head, ","))}
	}
	out := map[string]BKS{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		line, _ := cr.FieldPos(0)
		b := BKS{Fields: map[string]string{}}
		for i, h := range head {
			b.Fields[h] = rec[i]
		}
		b.Instance = b.Fields["instance"]
		col := "bks_cost"
		if v := b.Fields["distance_only_bks_cost"]; v != "" {
			col = "distance_only_bks_cost"
		}
		b.Cost, err = strconv.ParseFloat(b.Fields[col], 64)
		if err != nil || !(b.Cost > 0) || math.IsInf(b.Cost, 0) {
			return nil, &ParseError{File: name, Line: line, Msg: fmt.Sprintf("%s %q of %s: want a positive number", col, b.Fields[col], b.Instance)}
		}
		if b.Instance == "" {
			return nil, &ParseError{File: name, Line: line, Msg: "empty instance name"}
		}
		if _, dup := out[b.Instance]; dup {
			return nil, &ParseError{File: name, Line: line, Msg: fmt.Sprintf("instance %s listed twice", b.Instance)}
		}
		out[b.Instance] = b
	}
	return out, nil
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: name, Line: pe.Line, Msg: fmt.Sprintf("column %d: %v", pe.Column, pe.Err)}
	}
	return &ParseError{File: name, Msg: err.Error()}
}
