package planner

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/rlplan/rlplan/internal/csvin"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/sheetcheck"
	"github.com/rlplan/rlplan/planner/week"
)

// SheetCheck names what `rlplan check` re-validates: a route sheet, the
// plan record it was planned with, and what replaces parts of the record.
type SheetCheck struct {
	Sheet  string // routes.csv, as written or edited by hand
	Record string // the plan.json written with it
	// Linehaul is the line-haul sheet (linehaul.csv) of a week with hubs;
	// "" means linehaul.csv beside the sheet when the record has hubs.
	Linehaul string
	// Roads replaces the road matrix the record names ("" keeps it).
	Roads string
	// Inputs, when set, replace the record's plants, trucks, outlet
	// locations and storage limits (the sheet is then checked against
	// today's fleet); the outlets' rates and visit days stay the plan's.
	Inputs *Inputs
	// Scenario, when set, replaces the record's routes settings (fill, work
	// days, trips per day, reload time) and detour.
	Scenario *Scenario
	Warn     func(string)
}

// CheckSheetFiles reads the sheet and the record strictly and checks the
// sheet with sheetcheck. Unreadable files are errors (csvin.Error or
// domain.PlanRecordError, exit code 3); the findings are in the report.
func CheckSheetFiles(c SheetCheck) (*sheetcheck.Report, error) {
	rec, err := readRecord(c.Record)
	if err != nil {
		return nil, err
	}
	if c.Inputs != nil {
		replaceInputs(rec, c.Inputs)
	}
	if s := c.Scenario; s != nil {
		r := &rec.Settings
		r.Fill, r.WorkDays, r.TripsPerDay, r.ReloadMin, r.Detour = s.Routes.Fill, s.Routes.WorkDays, s.Routes.TripsPerDay, s.Routes.ReloadMin, s.Detour
	}
	roadsFile := rec.Settings.Roads
	if c.Roads != "" {
		roadsFile = c.Roads
	}
	var roads *RoadMatrix
	switch {
	case IsRoadGraph(roadsFile):
		if roads, err = roadsForRecord(roadsFile, rec, c.Warn); err != nil {
			return nil, err
		}
	case roadsFile != "":
		if roads, err = ReadRoadMatrix(roadsFile, nil, c.Warn); err != nil {
			return nil, err
		}
	}
	f, err := os.Open(c.Sheet)
	if err != nil {
		return nil, &csvin.Error{File: c.Sheet, Msg: fmt.Sprintf("cannot open: %v", unwrapPath(err))}
	}
	defer f.Close()
	rows, err := domain.ReadSheet(c.Sheet, f, c.Warn)
	if err != nil {
		return nil, err
	}
	legs, err := readLegs(c, rec)
	if err != nil {
		return nil, err
	}
	return sheetcheck.CheckWeek(rows, legs, rec, roads), nil
}

// LinehaulFile is the line-haul sheet the check reads: c.Linehaul, or
// linehaul.csv beside the route sheet.
func (c SheetCheck) LinehaulFile() string {
	if c.Linehaul != "" {
		return c.Linehaul
	}
	return filepath.Join(filepath.Dir(c.Sheet), "linehaul.csv")
}

// readLegs reads the line-haul sheet of a week with hubs: c.Linehaul, or
// linehaul.csv beside the route sheet.
func readLegs(c SheetCheck, rec *domain.PlanRecord) ([]domain.LinehaulRow, error) {
	if len(rec.Hubs) == 0 && c.Linehaul == "" {
		return nil, nil
	}
	path := c.LinehaulFile()
	f, err := os.Open(path)
	if err != nil {
		return nil, &csvin.Error{File: path, Msg: fmt.Sprintf("cannot open: %v; a week with hubs has its line-haul legs in linehaul.csv beside routes.csv", unwrapPath(err))}
	}
	defer f.Close()
	return domain.ReadLinehaul(path, f, c.Warn)
}

func readRecord(path string) (*domain.PlanRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &domain.PlanRecordError{File: path, Msg: fmt.Sprintf("cannot open: %v; check needs the plan.json that plan and routes write beside routes.csv", unwrapPath(err))}
	}
	defer f.Close()
	return domain.ReadPlanRecord(path, f)
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// replaceInputs puts the plants, trucks, outlet locations and storage
// limits of in into rec.
func replaceInputs(rec *domain.PlanRecord, in *Inputs) {
	hubs := map[string]bool{}
	for _, h := range rec.Hubs {
		hubs[h.ID] = true
	}
	var keepPlants []domain.PlantRecord // hubs stay the plan's depots
	var keepFleet []domain.FleetRecord
	for _, p := range rec.Plants {
		if hubs[p.ID] {
			keepPlants = append(keepPlants, p)
		}
	}
	for _, f := range rec.Fleet {
		if hubs[f.PlantID] {
			keepFleet = append(keepFleet, f)
		}
	}
	old := rec.Plants
	rec.Plants, rec.Fleet = week.PlantRecords(in.Plants, in.Fleet)
	listed := map[string]bool{}
	for _, p := range rec.Plants {
		listed[p.ID] = true
	}
	for _, p := range in.Plants { // a plant legs deliver to, with or without trucks
		for _, o := range old {
			if o.ID == p.ID && !listed[p.ID] && !hubs[p.ID] {
				rec.Plants = append(rec.Plants, domain.PlantRecord{ID: p.ID, Lat: p.Point[1], Lon: p.Point[0], IntakeKgPerWeek: p.IntakeKgPerWeek})
			}
		}
	}
	rec.Plants, rec.Fleet = append(rec.Plants, keepPlants...), append(rec.Fleet, keepFleet...)
	byID := map[string]Outlet{}
	for _, o := range in.Outlets {
		byID[o.ID] = o
	}
	for i, o := range rec.Outlets {
		if n, ok := byID[o.ID]; ok {
			rec.Outlets[i].Lat, rec.Outlets[i].Lon, rec.Outlets[i].CapacityKg = n.Point[1], n.Point[0], n.CapacityKg
		}
	}
}
