package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rlplan/rlplan/planner"
)

func init() { registerCommand(newRoutesCmd) }

// logFewerTrips says which plants were planned with fewer trips per truck.
func logFewerTrips(a *app, s *planner.Schedule) {
	if len(s.FewerTrips) > 0 {
		a.log.Info("planned with fewer trips per truck (plant:trips): more trips did not chain onto the fleet",
			"plants", strings.Join(s.FewerTrips, " "))
	}
}

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
	if s.Uncollected.Cells > 0 {
		fmt.Fprintf(w, "Uncollected: %d cells, %.0f t/year beyond the catchment radius of any outlet\n", s.Uncollected.Cells, s.Uncollected.Tonnes)
	}
	if s.Interrupted {
		fmt.Fprintf(w, "INTERRUPTED: the plan is the best found before the interrupt.\n")
	}
}

func newRoutesCmd(a *app) *cobra.Command {
	var in inputFlags
	var wf weekFlags
	var outDir, roads string
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
rlplan manifests).`,
		Example: `  rlplan routes --year 2030 --region CN-GD -o out/gd-week
  rlplan routes --year 2030 --region CN-GD --week 2030-W10 --time-limit 30s -o out/w10`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if outDir == "" {
				return usageErrorf("-o DIR is required")
			}
			opt, err := wf.options()
			if err != nil {
				return err
			}
			inputs, reg, err := in.load(a)
			if err != nil {
				return err
			}
			in.warnMissing(a, inputs, reg, opt.Year)
			if roads != "" {
				if err = loadRoads(cmd, a, roads, inputs, reg, &opt); err != nil {
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
			logFewerTrips(a, sch)
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
			if err := writeBytes(outDir, files); err != nil {
				return err
			}
			printScheduleSummary(a.stdout, sch)
			if sch.Interrupted {
				return interruptedError{}
			}
			return nil
		},
	}
	in.register(cmd.Flags())
	wf.register(cmd.Flags())
	f := cmd.Flags()
	f.StringVar(&roads, "roads", "", "road distances: a CSV from_id,to_id,km[,minutes] between plants and outlets, or an OpenStreetMap extract .osm.pbf to compute them (unlisted pairs: great-circle x detour)")
	f.StringVarP(&outDir, "output", "o", "", "output folder")
	return cmd
}
