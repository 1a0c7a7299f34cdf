package planner

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/rlplan/rlplan/internal/csvin"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/week"
)

// Previous is an earlier week's plan to start from (see package week).
type (
	Previous    = week.Previous
	Consistency = week.Consistency
)

// warmStart reads the plan of routes.warm_start when the routes are
// planned (nil when none is named).
func (s *Scenario) warmStart(loader *Loader) (*Previous, error) {
	if !s.RoutesOn() || s.Routes.WarmStart == "" {
		return nil, nil
	}
	return ReadPrevious(s.Routes.WarmStart, loader.Warn)
}

// ReadPrevious reads the plan that `rlplan routes` or `rlplan plan` wrote
// to dir: its route sheet (routes.csv) and plan record (plan.json), with
// the domain readers' checks. The two must belong together: a sheet row on
// a day past the record's work days, or naming a plant or outlet the
// record does not list, is an error at its file and line. Whether its
// outlets and trucks still exist is decided when the week is planned
// (those that do not are reported to Previous.Warn and not preferred).
func ReadPrevious(dir string, warn func(string)) (*Previous, error) {
	prev := &Previous{Sheet: filepath.Join(dir, "routes.csv"), Record: filepath.Join(dir, "plan.json"), Warn: warn}
	f, err := os.Open(prev.Record)
	if err != nil {
		return nil, &domain.PlanRecordError{File: prev.Record, Msg: fmt.Sprintf("cannot open: %v; a warm start needs the folder rlplan routes or rlplan plan wrote (routes.csv and plan.json)", unwrapPath(err))}
	}
	prev.Plan, err = domain.ReadPlanRecord(prev.Record, f)
	f.Close()
	if err != nil {
		return nil, err
	}
	f, err = os.Open(prev.Sheet)
	if err != nil {
		return nil, &csvin.Error{File: prev.Sheet, Msg: fmt.Sprintf("cannot open: %v; a warm start needs the folder rlplan routes or rlplan plan wrote (routes.csv and plan.json)", unwrapPath(err))}
	}
	prev.Rows, err = domain.ReadSheet(prev.Sheet, f, warn)
	f.Close()
	if err != nil {
		return nil, err
	}
	plants, outlets := map[string]bool{}, map[string]bool{}
	for _, p := range prev.Plan.Plants {
		plants[p.ID] = true
	}
	for _, o := range prev.Plan.Outlets {
		outlets[o.ID] = true
	}
	for _, r := range prev.Rows {
		switch {
		case r.Day > prev.Plan.Settings.WorkDays:
			return nil, &csvin.Error{File: prev.Sheet, Line: r.Line, Field: "day", Found: fmt.Sprint(r.Day),
				Want: fmt.Sprintf("a work day 1..%d of %s", prev.Plan.Settings.WorkDays, prev.Record)}
		case !plants[r.Plant]:
			return nil, &csvin.Error{File: prev.Sheet, Line: r.Line, Field: "plant", Found: strconv.Quote(r.Plant),
				Want: "a plant of " + prev.Record + " (are the two files from the same plan?)"}
		case !outlets[r.Outlet]:
			return nil, &csvin.Error{File: prev.Sheet, Line: r.Line, Field: "outlet_id", Found: strconv.Quote(r.Outlet),
				Want: "an outlet of " + prev.Record + " (are the two files from the same plan?)"}
		}
	}
	return prev, nil
}
