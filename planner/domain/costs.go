package domain

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/rlplan/rlplan/internal/csvin"
)

// DefaultCosts names the default dataset's cost figures for network design
// (site types, upgrades, plants, line-haul trucks).
const DefaultCosts = "costs.csv"

// CostItem is one row of a costs file: a figure with its unit and where it
// comes from.
type CostItem struct {
	Item  string
	Value float64
	Unit  string
	Basis string // cited, assumed or derived
	// Source is the URL of a cited figure; Note says what it counts, or the
	// formula of a derived one.
	Source, Note string
	Line         int // in File
}

// Costs are the rows of a costs file by item.
type Costs struct {
	File  string // as named in messages ("costs.csv (embedded)" for the default)
	Items map[string]CostItem
}

// Get returns an item's value, checking its unit: a missing item or another
// unit is an error naming the file, so a renamed row never silently
// becomes a zero cost.
func (c *Costs) Get(item, unit string) (float64, error) {
	it, ok := c.Items[item]
	if !ok {
		return 0, &csvin.Error{File: c.File, Msg: "item " + item, Found: "no such row", Want: fmt.Sprintf("a row %s,<value>,%s,...", item, unit)}
	}
	if it.Unit != unit {
		return 0, &csvin.Error{File: c.File, Line: it.Line, Msg: "item " + item, Found: fmt.Sprintf("unit %q", it.Unit), Want: fmt.Sprintf("unit %q", unit)}
	}
	return it.Value, nil
}

// Names returns the items, sorted.
func (c *Costs) Names() []string {
	out := make([]string, 0, len(c.Items))
	for k := range c.Items {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// costBases are the allowed values of the basis column.
var costBases = []string{"cited", "assumed", "derived"}

// LoadCosts reads a costs file (item,value,unit,basis,source,note), or the
// default dataset's when path is empty. Values are finite and >= 0; a cited
// figure needs its source.
func (l *Loader) LoadCosts(path string) (*Costs, error) {
	open, name := l.opener(context.Background(), path, DefaultCosts) // a few dozen rows
	c := &Costs{File: name, Items: map[string]CostItem{}}
	seen := map[string]int{}
	err := readTable(open, name, csvin.Cols("item,value,unit,basis,source?,note?"), l.Warning, func(r *csvin.Reader) error {
		it := CostItem{Item: r.String("item", true), Line: r.Line()}
		uniqueID(r, "item", it.Item, seen)
		it.Value = r.NonNegative("value", true, 0, "a figure >= 0 in the row's unit")
		if r.Err() == nil && math.IsInf(it.Value, 0) {
			r.Fail("value", "inf", "a finite figure")
		}
		it.Unit = r.String("unit", true)
		it.Basis = r.OneOf("basis", true, costBases...)
		it.Source = r.String("source", false)
		it.Note = r.String("note", false)
		if r.Err() == nil && it.Basis == "cited" && !strings.Contains(it.Source, "://") {
			r.Fail("source", fmt.Sprintf("%q", it.Source), "the URL of the cited figure")
		}
		c.Items[it.Item] = it
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}
