package trace

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/internal/csvin"
	"github.com/rlplan/rlplan/planner/domain"
)

// Files of a written plan that trace reads.
const (
	RoutesFile = "routes.csv"
	RecordFile = "plan.json"
	SitesFile  = "sites.csv"
)

// LoadPlanDir reads a plan folder written by `rlplan plan` or `rlplan
// routes`: routes.csv (the route sheet, through domain.ReadSheet) and
// plan.json (the plants, trucks, outlets, their accumulation rates and the
// settings the week was planned with, through domain.ReadPlanRecord);
// sites.csv, when siting ran, names the new sites. places are the inputs
// (outlets, plants): they give names and provinces, and the outlets and
// plants the week does not involve (where a scan may still happen).
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
	recPath := filepath.Join(dir, RecordFile)
	f, err := os.Open(recPath)
	if err != nil {
		return nil, fmt.Errorf("%s: no %s beside %s (written by rlplan plan and rlplan routes since the route sheet is checked as written); plan the week again", dir, RecordFile, RoutesFile)
	}
	defer f.Close()
	rec, err := domain.ReadPlanRecord(recPath, f)
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
	return NewPlanFromRecord(routes, stops, rec, places)
}

// NewPlanFromRecord builds a plan from a route sheet and its plan record
// (plan.json): the record's plants, trucks, outlets and rates, named from
// places (the inputs), which also add the outlets and plants the record
// does not list. The detour is the record's.
func NewPlanFromRecord(sheet string, stops []Stop, rec *domain.PlanRecord, places Places) (*Plan, error) {
	names := map[string]domain.Outlet{}
	for _, o := range places.Outlets {
		names[o.ID] = o
	}
	plantNames := map[string]domain.Plant{}
	for _, pl := range places.Plants {
		plantNames[pl.ID] = pl
	}
	var pp Places
	var rates []OutletRate
	seen := map[string]bool{}
	for _, o := range rec.Outlets {
		out := names[o.ID]
		out.ID, out.Point, out.CapacityKg = o.ID, orb.Point{o.Lon, o.Lat}, o.CapacityKg
		pp.Outlets = append(pp.Outlets, out)
		seen[o.ID] = true
		rates = append(rates, OutletRate{Outlet: o.ID, Province: out.Province, CapacityKg: o.CapacityKg, KgPerDay: o.KgPerDay,
			PacksPerDay: o.PacksPerDay, CycleWeeks: o.CycleWeeks, Plant: o.Plant})
	}
	for _, o := range places.Outlets {
		if !seen[o.ID] {
			pp.Outlets = append(pp.Outlets, o)
			seen[o.ID] = true
		}
	}
	hubs := map[string]bool{}
	for _, h := range rec.Hubs {
		hubs[h.ID] = true
	}
	for _, p := range rec.Plants {
		pl, named := plantNames[p.ID]
		if o, isOutlet := names[p.ID]; !named && hubs[p.ID] && isOutlet {
			// A consolidation hub is an outlet whose trucks are a depot's.
			pl = domain.Plant{Name: fmt.Sprintf("hub %s (%s)", o.ID, o.Name), Province: o.Province}
		}
		pl.ID, pl.Point, pl.IntakeKgPerWeek = p.ID, orb.Point{p.Lon, p.Lat}, p.IntakeKgPerWeek
		pp.Plants = append(pp.Plants, pl)
		seen["plant:"+p.ID] = true
	}
	for _, pl := range places.Plants {
		if !seen["plant:"+pl.ID] {
			pp.Plants = append(pp.Plants, pl)
		}
	}
	for _, f := range rec.Fleet {
		pp.Fleet = append(pp.Fleet, domain.FleetRow{PlantID: f.PlantID, VehicleType: f.VehicleType, Count: f.Count, CapacityKg: f.CapacityKg,
			CapacityPacks: f.CapacityPacks, SpeedKmh: f.SpeedKmh, ShiftHours: f.ShiftHours})
	}
	p, err := NewPlan(sheet, stops, pp, rates, rec.Settings.Detour)
	if err != nil {
		return nil, err
	}
	monday, err := time.ParseInLocation("2006-01-02", rec.Monday, PlanZone)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: monday %q: want YYYY-MM-DD", RecordFile, rec.Monday)
	case p.Monday.IsZero():
		p.Monday = monday // a week without stops
	case !p.Monday.Equal(monday):
		return nil, &SheetError{File: sheet, Msg: fmt.Sprintf("the sheet's week starts on %s but %s is for the week of %s", p.Monday.Format("2006-01-02"), RecordFile, rec.Monday)}
	}
	return p, nil
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

// readSites reads a plan's sites.csv (the outlets.csv columns plus what each
// site captures, and for a siting with site types each row's type and
// action: a new site, or an upgrade of the outlet of that id) as outlets.
// A siting that opened nothing writes a header without rows.
func readSites(path string, warn func(string)) ([]domain.Outlet, error) {
	cols := csvin.Cols("id,name?,lat,lon,province,type,capacity_kg,captured_tonnes?,captured_cells?,source?,site_type?,action?,yearly_cost_cny?")
	f, err := os.Open(path)
	if err != nil {
		return nil, &csvin.Error{File: path, Msg: fmt.Sprintf("cannot open: %v", unwrapPath(err))}
	}
	defer f.Close()
	r, err := csvin.NewReader(path, f, cols)
	if err != nil {
		return nil, err
	}
	r.AllowEmpty()
	if warn != nil {
		for _, w := range r.Warnings() {
			warn(w)
		}
	}
	var out []domain.Outlet
	for {
		ok, err := r.Next()
		if err != nil || !ok {
			return out, err
		}
		o := domain.Outlet{ID: r.String("id", true), Name: r.String("name", false), Province: r.String("province", true),
			Type: r.String("type", true), CapacityKg: r.Positive("capacity_kg", true, 0, "storage limit in kg")}
		lat, lon := r.LatLon("lat", "lon")
		o.Point = orb.Point{lon, lat}
		if err := r.Err(); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
}
