package domain

import (
	"context"
	"errors"
	"io/fs"
	"sort"

	"github.com/rlplan/rlplan/internal/csvin"
)

// DefaultProvenance names the file of the default dataset that says what
// each of its files is; it is not an input a user replaces.
const DefaultProvenance = "provenance.csv"

// Provenance statuses of a default file.
const (
	StatusReal      = "real"      // public data, filtered
	StatusDerived   = "derived"   // computed from cited figures
	StatusMixed     = "mixed"     // cited rows and stated assumptions
	StatusSynthetic = "synthetic" // a plausible stand-in, not real facts
)

// InputSource says where one input of a run came from: a user file (Path)
// or the default dataset, and then what the default file is (Status and
// Note from the dataset's provenance file; empty when it has none).
type InputSource struct {
	Name   string // the default file name, e.g. outlets.csv
	Path   string // the user's file; "" for the default
	Status string
	Note   string
}

// Default reports whether the input came from the default dataset.
func (s InputSource) Default() bool { return s.Path == "" }

// Synthetic returns the names of the inputs that came from the default
// dataset and are synthetic there, sorted.
func Synthetic(srcs []InputSource) []string {
	var out []string
	for _, s := range srcs {
		if s.Default() && s.Status == StatusSynthetic {
			out = append(out, s.Name)
		}
	}
	sort.Strings(out)
	return out
}

// inputSources lists the inputs of a load in the order of the input-formats
// page, with the default dataset's provenance for those taken from it.
func (l *Loader) inputSources(p InputPaths) ([]InputSource, error) {
	prov, err := l.readProvenance()
	if err != nil {
		return nil, err
	}
	pairs := []struct{ name, path string }{
		{DefaultStock, p.Stock}, {DefaultVehicleTypes, p.VehicleTypes}, {DefaultPlaces, p.Places}, {DefaultOutlets, p.Outlets},
		{DefaultPlants, p.Plants}, {DefaultFleet, p.Fleet}, {DefaultProvinces, p.Provinces},
	}
	out := make([]InputSource, len(pairs))
	for i, pr := range pairs {
		out[i] = InputSource{Name: pr.name, Path: pr.path}
		if pr.path == "" {
			out[i].Status, out[i].Note = prov[pr.name][0], prov[pr.name][1]
		}
	}
	return out, nil
}

// readProvenance reads the default dataset's provenance file, if it has one.
func (l *Loader) readProvenance() (map[string][2]string, error) {
	out := map[string][2]string{}
	if l.Defaults == nil {
		return out, nil
	}
	if _, err := fs.Stat(l.Defaults, DefaultProvenance); errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	open, name := l.opener(context.Background(), "", DefaultProvenance)
	seen := map[string]int{}
	err := readTable(open, name, csvin.Cols("file,status,note?"), l.Warning, func(r *csvin.Reader) error {
		file := r.String("file", true)
		uniqueID(r, "file", file, seen)
		status := r.OneOf("status", true, StatusReal, StatusDerived, StatusMixed, StatusSynthetic)
		out[file] = [2]string{status, r.String("note", false)}
		return nil
	})
	return out, err
}
