package datasets

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The data files are generated from ../shared/data (read-only reference data
// next to the repository) by a deterministic generator; see README.md.
//go:generate go run ./internal/gen -shared ../../shared/data -out data

// Names of the embedded files, for Open and for fs.ReadFile(FS, name).
const (
	Stock        = "stock.csv"         // vehicles registered per city, model year and vehicle type
	VehicleTypes = "vehicle_types.csv" // pack mass and Weibull lifetime per vehicle type
	Places       = "places.csv"        // populated places with their region, for spreading a region's retirements
	Outlets      = "outlets.csv"       // synthetic collection outlets
	Plants       = "plants.csv"        // white-list recycling plants with cited or assumed capacity and weekly intake
	Fleet        = "fleet.csv"         // synthetic dangerous-goods fleet per plant, sized from intake and distances
	Costs        = "costs.csv"         // cost figures for network design, cited or assumed per row
	Provenance   = "provenance.csv"    // what each file is: real, derived, mixed or synthetic
	Provinces    = "provinces.geojson" // province boundaries (Natural Earth, public domain)
	Attribution  = "ATTRIBUTION.txt"   // sources and licences; travels with every export
)

//go:embed data
var embedded embed.FS

// FS holds the embedded dataset with the files at its root. It is read-only
// and safe for concurrent use.
var FS fs.FS = mustSub(embedded, "data")

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // the directory is embedded at build time; failure is a build defect
	}
	return s
}

// Open opens an embedded file by name (one of the constants above).
func Open(name string) (fs.File, error) { return FS.Open(name) }

// Names returns the names of all embedded files, sorted.
func Names() []string {
	ents, err := fs.ReadDir(FS, ".")
	if err != nil {
		panic(err) // embedded directory is always readable
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// Export writes every embedded file into dir, creating dir if needed, and
// returns the paths written. Each file is written to a temporary file in dir
// and renamed into place, so a reader never sees half a file. Unless force is
// set, Export refuses to run when any target file already exists, and then
// writes nothing; the error wraps fs.ErrExist.
func Export(dir string, force bool) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	names := Names()
	if !force {
		var existing []string
		for _, n := range names {
			p := filepath.Join(dir, n)
			if _, err := os.Lstat(p); err == nil {
				existing = append(existing, p)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
		}
		if len(existing) > 0 {
			return nil, fmt.Errorf("%w: %s (use --force to overwrite)", fs.ErrExist, strings.Join(existing, ", "))
		}
	}
	var written []string
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := writeAtomic(p, n); err != nil {
			return written, err
		}
		written = append(written, p)
	}
	return written, nil
}

// writeAtomic copies the embedded file name to path via a temporary file in
// the same directory and a rename.
func writeAtomic(path, name string) (err error) {
	src, err := FS.Open(name)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+name+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = io.Copy(tmp, src); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
