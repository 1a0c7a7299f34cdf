package planner

import (
	"fmt"
	"os"

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
	return sheetcheck.Check(rows, rec, roads), nil
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
	rec.Plants, rec.Fleet = week.PlantRecords(in.Plants, in.Fleet)
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
