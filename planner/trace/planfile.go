package trace

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/internal/csvin"
	"github.com/rlplan/rlplan/planner/domain"
)

// Files of a written plan that trace reads.
const (
	RoutesFile = "routes.csv"
	VisitsFile = "visits.csv"
	SitesFile  = "sites.csv"
	KPIsFile   = "kpis.json"
)

// LoadPlanDir reads a plan folder written by `rlplan plan` or `rlplan
// routes`: routes.csv (required), visits.csv (required: accumulation rates),
// sites.csv (new sites, when siting ran) and kpis.json (the detour factor;
// routes folders have none and 1.3, the planner's default, is used). places
// are the plan's inputs (outlets, plants, fleet); the new sites are added to
// its outlets.
func LoadPlanDir(dir string, places Places, warn func(string)) (*Plan, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%s: not a plan folder (no such folder)", dir)
	}
	routes := filepath.Join(dir, RoutesFile)
	if _, err := os.Stat(routes); err != nil {
		return nil, fmt.Errorf("%s: no %s; is it a folder written by rlplan plan or rlplan routes?", dir, RoutesFile)
	}
	stops, err := ReadSheet(routes, warn)
	if err != nil {
		return nil, err
	}
	rates, err := readVisits(filepath.Join(dir, VisitsFile), warn)
	if err != nil {
		return nil, err
	}
	sitesPath := filepath.Join(dir, SitesFile)
	if _, err := os.Stat(sitesPath); err == nil {
		sites, err := readSites(sitesPath, warn)
		if err != nil {
			return nil, err
		}
		places.Outlets = append(append([]domain.Outlet(nil), places.Outlets...), sites...)
	}
	detour, err := readDetour(filepath.Join(dir, KPIsFile))
	if err != nil {
		return nil, err
	}
	return NewPlan(routes, stops, places, rates, detour)
}

// DefaultDetour is the planner's default detour factor, used for a routes
// folder, which records none.
const DefaultDetour = 1.3

func readDetour(path string) (float64, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return DefaultDetour, nil
	}
	if err != nil {
		return 0, err
	}
	var k struct {
		Detour float64 `json:"detour"`
	}
	if err := json.Unmarshal(b, &k); err != nil {
		return 0, fmt.Errorf("%s: not a kpis.json written by rlplan plan: %w", path, err)
	}
	if !(k.Detour >= 1 && k.Detour <= 3) {
		return 0, fmt.Errorf("%s: detour %g: want a factor from 1 to 3", path, k.Detour)
	}
	return k.Detour, nil
}

// readCSV opens path and passes each record to row, with csvin's checks.
func readCSV(path string, cols []csvin.Column, warn func(string), row func(r *csvin.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return &csvin.Error{File: path, Msg: fmt.Sprintf("cannot open: %v", unwrapPath(err))}
	}
	defer f.Close()
	return readCSVFrom(path, f, cols, warn, row)
}

func readCSVFrom(name string, in io.Reader, cols []csvin.Column, warn func(string), row func(r *csvin.Reader) error) error {
	r, err := csvin.NewReader(name, in, cols)
	if err != nil {
		return err
	}
	if warn != nil {
		for _, w := range r.Warnings() {
			warn(w)
		}
	}
	for {
		ok, err := r.Next()
		if err != nil || !ok {
			return err
		}
		if err := row(r); err != nil {
			return err
		}
		if err := r.Err(); err != nil {
			return err
		}
	}
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadSheet reads a route sheet through its one definition,
// domain.ReadSheet.
func ReadSheet(path string, warn func(string)) ([]Stop, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &csvin.Error{File: path, Msg: fmt.Sprintf("cannot open: %v", unwrapPath(err))}
	}
	defer f.Close()
	return domain.ReadSheet(path, f, warn)
}

// Clock formats minutes after midnight as HH:MM, as the route sheet does.
func Clock(min float64) string { return domain.ClockOf(min).String() }

func readVisits(path string, warn func(string)) ([]OutletRate, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%s: missing; a plan folder has visits.csv beside routes.csv", path)
	}
	cols := csvin.Cols("outlet_id,province,capacity_kg,kg_per_day,packs_per_day,cycle_weeks,visits_this_week?,days?,plant?")
	var out []OutletRate
	err := readCSV(path, cols, warn, func(r *csvin.Reader) error {
		out = append(out, OutletRate{
			Outlet: r.String("outlet_id", true), Province: r.String("province", true),
			CapacityKg:  r.Positive("capacity_kg", true, 0, "storage limit in kg"),
			KgPerDay:    r.NonNegative("kg_per_day", true, 0, "kg handed in per day"),
			PacksPerDay: r.NonNegative("packs_per_day", true, 0, "packs handed in per day"),
			CycleWeeks:  int(r.Int("cycle_weeks", true, 0, 0, 52, "weeks between pickups")),
			Plant:       r.String("plant", false),
		})
		return nil
	})
	return out, err
}

// readSites reads a plan's sites.csv (the outlets.csv columns plus what each
// site captures) as outlets.
func readSites(path string, warn func(string)) ([]domain.Outlet, error) {
	cols := csvin.Cols("id,name?,lat,lon,province,type,capacity_kg,captured_tonnes?,captured_cells?,source?")
	var out []domain.Outlet
	err := readCSV(path, cols, warn, func(r *csvin.Reader) error {
		o := domain.Outlet{ID: r.String("id", true), Name: r.String("name", false), Province: r.String("province", true),
			Type: r.String("type", true), CapacityKg: r.Positive("capacity_kg", true, 0, "storage limit in kg")}
		lat, lon := r.LatLon("lat", "lon")
		o.Point = orb.Point{lon, lat}
		out = append(out, o)
		return nil
	})
	return out, err
}
