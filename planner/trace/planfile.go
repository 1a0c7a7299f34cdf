package trace

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

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

// SheetColumns are the columns of routes.csv trace reads; vehicle_type is
// optional until every sheet carries it.
var SheetColumns = csvin.Cols("day,date,plant,vehicle,vehicle_type?,trip,seq,outlet_id,arrive,depart,pickup_kg,pickup_packs,load_kg,km")

// ReadSheet reads a route sheet strictly. (The single typed definition of
// the sheet moves to planner/domain; this reader follows it.)
func ReadSheet(path string, warn func(string)) ([]Stop, error) {
	var out []Stop
	err := readCSV(path, SheetColumns, warn, func(r *csvin.Reader) error {
		s := Stop{Line: r.Line()}
		s.Day = int(r.Int("day", true, 0, 1, 7, "the day of the week, 1 = Monday"))
		s.Date = r.String("date", true)
		s.Plant = r.String("plant", true)
		s.Vehicle = r.String("vehicle", true)
		s.VehicleType = r.String("vehicle_type", false)
		s.Trip = int(r.Int("trip", true, 0, 1, 100, "the truck's trip of the day, from 1"))
		s.Seq = int(r.Int("seq", true, 0, 1, 100000, "the stop of the truck's day, from 1"))
		s.Outlet = r.String("outlet_id", true)
		s.Arrive = clockField(r, "arrive")
		s.Depart = clockField(r, "depart")
		s.PickupKg = r.NonNegative("pickup_kg", true, 0, "kg picked up")
		s.PickupPacks = r.NonNegative("pickup_packs", true, 0, "packs picked up")
		s.LoadKg = r.NonNegative("load_kg", true, 0, "kg on the truck after the stop")
		s.Km = r.NonNegative("km", true, 0, "road km from the previous stop")
		if r.Err() == nil && s.Depart < s.Arrive {
			r.Fail("depart", fmt.Sprintf("%q before arrival %s", r.String("depart", false), r.String("arrive", false)), "a departure at or after the arrival")
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// clockField parses HH:MM (hours may pass 24 for a shift that ends after
// midnight) into minutes after midnight.
func clockField(r *csvin.Reader, col string) float64 {
	s := r.String(col, true)
	if s == "" {
		return 0
	}
	m, ok := parseClock(s)
	if !ok {
		r.Fail(col, strconv.Quote(s), "a time HH:MM")
	}
	return m
}

func parseClock(s string) (float64, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(m) != 2 || len(h) < 1 || len(h) > 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 47 || mm < 0 || mm > 59 {
		return 0, false
	}
	return float64(hh*60 + mm), true
}

// Clock formats minutes after midnight as HH:MM, as the route sheet does.
func Clock(min float64) string {
	m := int(min + 0.5)
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

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
