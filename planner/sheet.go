package planner

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/sheetcheck"
)

// SheetError is a route sheet the planner made that breaks a limit: a bug
// of the planner, never written.
type SheetError struct {
	Findings []sheetcheck.Violation
}

func (e *SheetError) Error() string {
	const show = 10
	var b strings.Builder
	fmt.Fprintf(&b, "internal error: the route sheet as written breaks %d rule(s); nothing was written, please report it:", len(e.Findings))
	for i, v := range e.Findings {
		if i == show {
			fmt.Fprintf(&b, "\n  ... and %d more", len(e.Findings)-show)
			break
		}
		if v.Sheet == "" {
			b.WriteString("\n  routes.csv " + v.String())
		} else {
			b.WriteString("\n  " + v.String())
		}
	}
	return b.String()
}

// checkWritten renders the route sheet (routes.csv) and the plan record
// (plan.json) as they will be written, reads both back with their strict
// readers, and has sheetcheck, which shares no code with the planner or the
// solver, check the rows against the record. Any finding, even a km figure,
// is a bug. The checked bytes are kept in the schedule: they are what is
// written.
func checkWritten(sch *Schedule, depots []Plant, fleet []FleetRow, opt *ScheduleOptions) error {
	roadsFile := ""
	if opt.Roads != nil {
		roadsFile = opt.Roads.File()
	}
	sheet, record, linehaul, err := sch.Encode(depots, fleet, opt, roadsFile)
	if err != nil {
		return err
	}
	rows, err := domain.ReadSheet("routes.csv", bytes.NewReader(sheet), nil)
	if err != nil {
		return fmt.Errorf("internal error: the route sheet does not read back: %w", err)
	}
	rec, err := domain.ReadPlanRecord("plan.json", bytes.NewReader(record))
	if err != nil {
		return fmt.Errorf("internal error: the plan record does not read back: %w", err)
	}
	var legs []domain.LinehaulRow
	if linehaul != nil {
		if legs, err = domain.ReadLinehaul(sheetcheck.LinehaulSheet, bytes.NewReader(linehaul), nil); err != nil {
			return fmt.Errorf("internal error: the line-haul sheet does not read back: %w", err)
		}
	}
	if rep := sheetcheck.CheckWeek(rows, legs, rec, opt.Roads); !rep.OK() || len(rep.Notes) > 0 {
		return &SheetError{Findings: append(rep.Violations, rep.Notes...)}
	}
	sch.SheetCSV, sch.RecordJSON, sch.LinehaulCSV = sheet, record, linehaul
	return nil
}
