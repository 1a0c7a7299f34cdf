package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/planner"
	"github.com/rlplan/rlplan/planner/sheetcheck"
)

func init() { registerCommand(newCheckCmd) }

// violatedError is a route sheet that breaks a rule: exit code 1.
type violatedError struct {
	sheet string
	n     int
}

func (e violatedError) Error() string {
	return fmt.Sprintf("%s: %s; see the list on stdout", e.sheet, plural(e.n, "violation"))
}
func (e violatedError) ExitCode() int { return exitError }

func newCheckCmd(a *app) *cobra.Command {
	var sheet, record, linehaul, scenarioPath, format string
	var in inputFlags
	cmd := &cobra.Command{
		Use:   "check [DIR]",
		Short: "Check a route sheet (routes.csv, also edited by hand) against the plan it was made for",
		Long: `Check a written week: DIR/routes.csv against DIR/plan.json, which plan and routes write
beside it (the settings, plants, trucks, outlets, their fill rates and visit days). Every
row is re-read as printed and every rule checked, by a checker that shares no code with
the planner: each due outlet visited; each outlet's stock, replayed day by day, within its
fill limit and collected; each trip within its truck's kg and packs; a truck's trips one
after another with the drive back and the reload between them, inside its shift; service
inside opening hours and long enough to load; each plant within its weekly intake and its
number of trucks a day. A week with consolidation hubs has its line-haul legs in
linehaul.csv (--linehaul): each hub's stock, replayed from its own packs, its trucks' trips
back and its legs, within its storage and holding every load; each leg within the payload,
no faster than the drive; the plants' intake counts the legs.

--routes checks another sheet (a dispatcher's edited copy) against the same plan; without
DIR the plan.json beside it is used. --scenario or input files (--fleet, --plants,
--outlets) check the sheet against today's trucks, storage limits or settings instead of
those recorded; the outlets' fill rates and visit days stay the plan's.

Every violation is printed on stdout with its row (line of routes.csv), day, truck, trip,
outlet and the rule broken. A km figure that is not the leg's length is printed as a note
and breaks no rule. Exit code 0 when the sheet is clean, 1 when a rule is broken, 3 when a
file cannot be read.`,
		Example: `  rlplan plan --region CN-SH --out out/sh && rlplan check out/sh
  cp out/sh/routes.csv edited.csv && rlplan check out/sh --routes edited.csv
  rlplan datasets export data && rlplan check out/sh --fleet data/fleet.csv --format csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "text", "csv", "json":
			default:
				return usageErrorf("--format %q: want one of text, csv, json", format)
			}
			c := planner.SheetCheck{Sheet: sheet, Record: record, Linehaul: linehaul, Roads: in.roads, Warn: func(s string) { a.log.Warn(s) }}
			switch {
			case len(args) == 1:
				c.Sheet = or(sheet, filepath.Join(args[0], "routes.csv"))
				c.Record = or(record, filepath.Join(args[0], "plan.json"))
			case sheet != "":
				c.Record = or(record, filepath.Join(filepath.Dir(sheet), "plan.json"))
			default:
				return usageErrorf("give the plan folder (rlplan check DIR) or the sheet (--routes FILE)")
			}
			if err := loadCheckInputs(cmd, a, &c, &in, scenarioPath); err != nil {
				return err
			}
			rep, err := planner.CheckSheetFiles(c)
			if err != nil {
				return err
			}
			if err := printReport(a.stdout, format, c, rep); err != nil {
				return err
			}
			if !rep.OK() {
				return violatedError{sheet: c.Sheet, n: len(rep.Violations)}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&sheet, "routes", "", "route sheet to check (default DIR/routes.csv)")
	f.StringVar(&record, "plan", "", "plan.json of the week (default: beside the sheet, or DIR/plan.json)")
	f.StringVar(&linehaul, "linehaul", "", "line-haul sheet of a week with hubs (default: linehaul.csv beside the route sheet)")
	f.StringVar(&scenarioPath, "scenario", "", "scenario YAML whose inputs and routes settings replace those recorded")
	f.StringVar(&format, "format", "text", "output format: text, csv, json")
	in.registerFiles(f, inOutlets|inPlants|inFleet|inRoads, map[string]string{
		"roads":   "road matrix CSV replacing the one plan.json names",
		"outlets": "outlets CSV replacing the recorded locations and storage limits",
		"plants":  "plants CSV replacing the recorded plants and intakes",
		"fleet":   "fleet CSV replacing the recorded trucks",
	})
	return cmd
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// loadCheckInputs loads the scenario and the input files that replace the
// plan's record, when any is given.
func loadCheckInputs(cmd *cobra.Command, a *app, c *planner.SheetCheck, in *inputFlags, scenarioPath string) error {
	paths := planner.InputPaths{}
	if scenarioPath != "" {
		s, err := planner.ReadScenario(scenarioPath)
		if err != nil {
			return err
		}
		c.Scenario, paths = &s, s.Paths()
		if c.Roads == "" {
			c.Roads = s.Inputs.Roads
		}
	}
	p := in.paths
	if scenarioPath == "" && p.Outlets == "" && p.Plants == "" && p.Fleet == "" {
		return nil
	}
	paths.Outlets, paths.Plants, paths.Fleet = or(p.Outlets, paths.Outlets), or(p.Plants, paths.Plants), or(p.Fleet, paths.Fleet)
	l := &planner.Loader{Defaults: datasets.FS, Warn: func(s string) { a.log.Warn(s) }}
	var err error
	c.Inputs, err = l.Load(paths)
	return err
}

// printReport writes the violations, then the notes, then (text) a summary.
func printReport(w io.Writer, format string, c planner.SheetCheck, rep *sheetcheck.Report) error {
	type finding struct {
		File    string `json:"file"`
		Line    int    `json:"line,omitempty"`
		Day     int    `json:"day,omitempty"`
		Vehicle string `json:"vehicle,omitempty"`
		Trip    int    `json:"trip,omitempty"`
		Outlet  string `json:"outlet,omitempty"`
		Rule    string `json:"rule"`
		Note    bool   `json:"note,omitempty"`
		Detail  string `json:"detail"`
	}
	all := []finding{} // [] in JSON when clean
	add := func(vs []sheetcheck.Violation, note bool) {
		for _, v := range vs {
			file := c.Sheet
			switch {
			case v.Sheet == sheetcheck.LinehaulSheet && v.Line > 0:
				file = c.LinehaulFile()
			case v.Line == 0:
				file = c.Record
			}
			all = append(all, finding{file, v.Line, v.Day, v.Vehicle, v.Trip, v.Outlet, string(v.Limit), note, v.Detail})
		}
	}
	add(rep.Violations, false)
	add(rep.Notes, true)
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"sheet": c.Sheet, "plan": c.Record, "rows": rep.Rows, "ok": rep.OK(), "findings": all})
	case "csv":
		rows := [][]string{{"file", "line", "day", "vehicle", "trip", "outlet", "rule", "note", "detail"}}
		for _, f := range all {
			rows = append(rows, []string{f.File, fmt.Sprint(f.Line), fmt.Sprint(f.Day), f.Vehicle, fmt.Sprint(f.Trip), f.Outlet, f.Rule, fmt.Sprint(f.Note), f.Detail})
		}
		return writeRows(w, "csv", rows)
	}
	for _, f := range all {
		var at []string
		if f.Day > 0 {
			at = append(at, fmt.Sprintf("day %d", f.Day))
		}
		if f.Vehicle != "" {
			at = append(at, "truck "+f.Vehicle, fmt.Sprintf("trip %d", f.Trip))
		}
		if f.Outlet != "" && strings.HasSuffix(f.File, sheetcheck.LinehaulSheet) {
			at = append(at, "hub "+f.Outlet)
		} else if f.Outlet != "" {
			at = append(at, "outlet "+f.Outlet)
		}
		place := f.File
		if f.Line > 0 {
			place = fmt.Sprintf("%s:%d", f.File, f.Line)
		}
		kind := ""
		if f.Note {
			kind = "note: "
		}
		fmt.Fprintf(w, "%s: %s%s: %s: %s\n", place, kind, f.Rule, strings.Join(at, ", "), f.Detail)
	}
	fmt.Fprintf(w, "%s: %d rows, %s\n", c.Sheet, rep.Rows, summary(rep))
	return nil
}

// summary counts the violations by rule: "2 violations (capacity_kg 1,
// load_kg 1), 1 note", or "no violations".
func summary(rep *sheetcheck.Report) string {
	by := map[string]int{}
	for _, v := range rep.Violations {
		by[string(v.Limit)]++
	}
	var parts []string
	for r, n := range by {
		parts = append(parts, fmt.Sprintf("%s %d", r, n))
	}
	sort.Strings(parts)
	s := "no violations"
	if len(rep.Violations) > 0 {
		s = fmt.Sprintf("%s (%s)", plural(len(rep.Violations), "violation"), strings.Join(parts, ", "))
	}
	if len(rep.Notes) > 0 {
		s += ", " + plural(len(rep.Notes), "note")
	}
	return s
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
