package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rlplan/rlplan/planner"
)

func init() { registerCommand(newRoutesCmd) }

func printScheduleSummary(w io.Writer, s *planner.Schedule) {
	fmt.Fprintf(w, "Week %s (from %s, %d work days): %d stops in %d trips on %d truck-days, %.0f km, %.1f t collected, cost %.0f CNY, CO2 %.0f kg\n",
		s.Week, s.Monday.Format("2006-01-02"), s.Days, len(s.Stops), s.Trips, s.VehicleDays, s.Km, s.CollectedKg/1000, s.Cost, s.CO2Kg)
	byReason := map[string]int{}
	for _, u := range s.Unserved {
		byReason[u.Reason]++
	}
	if len(s.Unserved) > 0 {
		var parts []string
		for _, r := range []string{planner.UnservedStorage, planner.UnservedReach, planner.UnservedIntake, planner.UnservedCapacity,
			planner.UnservedShift, planner.UnservedHours, planner.UnservedFleet} {
			if byReason[r] > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", r, byReason[r]))
			}
		}
		fmt.Fprintf(w, "Not served as required: %d outlets (%s); see unserved.csv\n", len(s.Unserved), strings.Join(parts, ", "))
	} else {
		fmt.Fprintf(w, "Every due outlet is served within its storage limit.\n")
	}
	for _, l := range s.Left {
		switch l.Cause {
		case planner.LeftBeyondRadius:
			fmt.Fprintf(w, "Uncollected: %d cells, %.0f t/year beyond the catchment radius of any outlet\n", l.Cells, l.TonnesPerYear)
		case planner.LeftOverCapacity:
			fmt.Fprintf(w, "Uncollected: %d cells, %.0f t/year within the radius but over every outlet's throughput (storage limit x fill, emptied every work day)\n", l.Cells, l.TonnesPerYear)
		}
	}
	if c := s.Consistency; c != nil {
		fmt.Fprintf(w, "%s\n", consistencyLine(c))
	}
	if s.Interrupted {
		fmt.Fprintf(w, "INTERRUPTED: the plan is the best found before the interrupt.\n")
	}
	if note := s.TimeLimitNote(); note != "" {
		fmt.Fprintf(w, "%s\n", note)
	}
}

func newRoutesCmd(a *app) *cobra.Command {
	in := inputFlags{}
	var wf weekFlags
	var format string
	var out outFolder
	cmd := &cobra.Command{
		Use:   "routes",
		Short: "Plan a week of pickups: visit days from storage limits, truck routes from plants",
		Long: `Plan one week of pickups. Each outlet collects the packs of the cells nearest to it
(within --radius-km); its storage limit x --fill decides how many visits it needs and on
which days (outlets filling slowly are emptied every few weeks). Each due outlet is
assigned to a plant in reach with weekly intake left, and each plant's trucks are
routed over the week (periodic vehicle routing) within capacity (kg and packs), shift
length and opening hours.

The route sheet is checked as it is written, by a checker that shares no code with
the planner; a sheet that breaks a rule is never written.

Writes to DIR: routes.csv (one row per stop), summary.csv (per day and plant),
unserved.csv (outlets not served as required, with the limit that blocked them),
visits.csv (each outlet's rate and visit days), plan.json (what the sheet is
checked against: rlplan check DIR re-validates it, also after a hand edit) and the
transfer manifests: manifests.csv and manifests/ (a printable page per truck-day; see
rlplan manifests). Prints a summary of the week (--format json: the routes section of
a plan's kpis.json).`,
		Example: `  rlplan routes --year 2030 --region CN-GD -o out/gd-week
  rlplan routes --year 2030 --region CN-SH --week 2030-W23 --time-limit 30s -o out/sh-w23
  rlplan routes --region CN-SH --trips-per-day 1 -o out/sh-week --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out.dir == "" {
				return usageErrorf("-o DIR is required")
			}
			if format != "text" && format != "json" {
				return usageErrorf("--format %q: want text or json", format)
			}
			opt, err := wf.options()
			if err != nil {
				return err
			}
			if wf.warmStart != "" {
				if opt.Previous, err = planner.ReadPrevious(wf.warmStart, func(m string) { a.log.Warn(m) }); err != nil {
					return err
				}
			}
			inputs, reg, err := in.load(cmd.Context(), a)
			if err != nil {
				return err
			}
			if w := planner.NoTruckWarning(inputs, reg); w != "" {
				a.log.Warn(w)
			}
			in.warnMissing(a, inputs, reg, opt.Year)
			if in.roads != "" {
				if err = loadRoads(cmd, a, in.roads, inputs, reg, &opt); err != nil {
					return err
				}
			}
			bar := newProgress(a, "planning plants")
			opt.Progress = bar.set
			sch, err := planner.PlanWeek(cmd.Context(), inputs, reg, opt)
			bar.finish()
			if err != nil {
				return err
			}
			files, err := planner.ScheduleFiles(sch)
			if err != nil {
				return err
			}
			manifests, err := planner.ManifestFiles(sch, inputs, nil)
			if err != nil {
				return err
			}
			for n, b := range manifests {
				files[n] = b
			}
			if err := out.writeBytes("routes", files); err != nil {
				return err
			}
			if format == "json" {
				if err := writeJSON(a.stdout, planner.WeekKPI(sch)); err != nil {
					return err
				}
			} else {
				printScheduleSummary(a.stdout, sch)
			}
			if sch.Interrupted {
				return interruptedError{}
			}
			return nil
		},
	}
	in.register(cmd.Flags(), inGrid|inOutlets|inPlants|inFleet|inRoads)
	wf.register(cmd.Flags())
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "summary on stdout: text, or json (the routes section of a plan's kpis.json)")
	out.register(f, "output", "o", "output folder: new, empty, or written by rlplan before (see --force)")
	return cmd
}

// consistencyLine says how much of the warm start's plan the week keeps.
func consistencyLine(c *planner.Consistency) string {
	// Changes are rounded as printed first, so that a saving of a
	// fraction of a yuan reads +0, not -0.
	unsigned := func(x, unit float64) float64 { return math.Round(x/unit)*unit + 0 }
	change := ""
	if c.PreviousCost > 0 {
		change = fmt.Sprintf(" (%+.2f %%)", unsigned(100*c.CostChange/c.PreviousCost, 0.01))
	}
	charge := strconv.FormatFloat(c.Charge, 'f', 0, 64)
	if c.Charge < 10 {
		charge = strconv.FormatFloat(c.Charge, 'f', -1, 64)
	}
	line := fmt.Sprintf("Warm start from %s: %d of %d outlets (%.1f %%) keep their truck and weekday (charge %s CNY per outlet moved); cost %+.0f CNY%s against its %.0f CNY",
		c.From, c.Kept, c.Outlets, 100*c.Share, charge, unsigned(c.CostChange, 1), change, c.PreviousCost)
	if c.Added > 0 || c.Dropped > 0 {
		// The route costs then price different work: per tonne compares.
		line += fmt.Sprintf(", visiting %d outlets it did not and leaving %d it visited (%.1f t instead of %.1f t): cost per tonne %+.2f %%",
			c.Added, c.Dropped, c.CollectedKg/1000, c.PreviousKg/1000, unsigned(100*c.PerTonneChange, 0.01))
	}
	if c.NotDue > 0 {
		line += fmt.Sprintf("; %d of its outlets are not due this week", c.NotDue)
	}
	return line
}
