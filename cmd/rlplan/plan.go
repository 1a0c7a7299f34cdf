package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/internal/atomicfile"
	"github.com/rlplan/rlplan/planner"
	"github.com/rlplan/rlplan/planner/trace"
	"github.com/rlplan/rlplan/planner/week"
)

func init() {
	registerCommand(newPlanCmd)
	registerCommand(newScenarioCmd)
	registerCommand(newCompareCmd)
}

// planFlags are plan's flags: the scenario file and what overrides it.
type planFlags struct {
	scenarioPath, format string
	out                  outFolder
	regions              []string
	seed                 int64
	year                 int
	timeScale            float64
	warmStart            string
	consistencyCost      float64
	proj                 planner.Registrations
	in                   inputFlags
}

// projFlags reports whether a registrations flag was given.
func (o *planFlags) projFlags(fs *pflag.FlagSet) bool {
	return fs.Changed("registrations-until") || fs.Changed("registrations-growth")
}

// scenario reads the scenario (the embedded default without --scenario)
// and applies the flags given over it.
func (o *planFlags) scenario(fs *pflag.FlagSet) (planner.Scenario, error) {
	s := planner.DefaultScenario()
	if o.scenarioPath != "" {
		var err error
		if s, err = planner.ReadScenario(o.scenarioPath); err != nil {
			return s, err
		}
	}
	if fs.Changed("year") {
		if err := flagYear("year", o.year); err != nil {
			return s, err
		}
		// The week moves with the year (2030-W10 -> 2035-W10).
		if old := fmt.Sprintf("%d-W", s.Year); strings.HasPrefix(strings.ToUpper(s.Routes.Week), old) {
			moved := fmt.Sprintf("%d-W%s", o.year, s.Routes.Week[len(old):])
			if _, err := planner.ParseISOWeek(moved); err == nil {
				s.Routes.Week = moved
			}
		}
		s.Year = o.year
		if !fs.Changed("region") && o.scenarioPath == "" {
			s.Name = planner.DerivedName(s.Regions, o.year)
		}
	}
	o.in.override(fs, &s.Inputs)
	if fs.Changed("region") {
		s.Regions = o.regions
		if o.scenarioPath == "" {
			s.Name = planner.DerivedName(o.regions, s.Year)
		}
	}
	if fs.Changed("seed") {
		s.Seed = o.seed
	}
	projFlags := o.projFlags(fs)
	if fs.Changed("stock") && !projFlags && s.Registrations == planner.DefaultRegistrations {
		// The default projection describes the embedded stock, not this
		// one: as for a scenario file naming its own stock.
		s.Registrations = planner.Registrations{}
	}
	if fs.Changed("registrations-until") {
		s.Registrations.Until = o.proj.Until
	}
	if fs.Changed("registrations-growth") {
		s.Registrations.GrowthPct = o.proj.GrowthPct
	}
	if fs.Changed("warm-start") {
		s.Routes.WarmStart = o.warmStart
	}
	if fs.Changed(week.OptConsistencyCost.Flag) {
		if err := week.OptConsistencyCost.Check(o.consistencyCost); err != nil {
			return s, flagError(err)
		}
		s.Routes.ConsistencyCost = o.consistencyCost
	}
	if o.timeScale != 1 {
		if err := scaleTimeLimits(&s, o.timeScale); err != nil {
			return s, err
		}
	}
	return s, nil
}

// runError names the flag or scenario key behind an error of the run where
// one is to blame.
func (o *planFlags) runError(err error, fs *pflag.FlagSet) error {
	var re *planner.RegionError
	if errors.As(err, &re) && o.scenarioPath != "" && !fs.Changed("region") {
		return &planner.ScenarioError{File: o.scenarioPath, Err: fmt.Errorf("regions: %w", err)}
	}
	var tl *planner.TooLargeError
	if errors.As(err, &tl) {
		return planTooLarge(tl, o.scenarioPath, fs.Changed("region"))
	}
	var pe *planner.ProjectionError
	if errors.As(err, &pe) {
		if o.projFlags(fs) {
			return projectionFlagError(err)
		}
		if o.scenarioPath != "" {
			return &planner.ScenarioError{File: o.scenarioPath, Err: err}
		}
	}
	return err
}

func newPlanCmd(a *app) *cobra.Command {
	o := &planFlags{}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Run a scenario end to end: forecast, density, coverage, siting, plant capacity, weekly routes, maps",
		Long: `Run a planning scenario end to end and write every output to --out DIR:
kpis.json, report.md, map.html (opens offline), GeoJSON layers (density, outlets,
new_sites, plants, service_areas, catchments, routes, unserved, capacity), CSV tables
(sites, routes, summary, unserved, visits, investments, capacity_plants,
capacity_provinces) and plan.json (what rlplan check DIR checks the route sheet
against).

The plant-capacity step weighs every listed plant against the tonnes retiring in the
whole country in the year and proposes the expansions and new plants that close a
shortfall (investments.csv; see rlplan capacity); capacity.apply in the scenario runs
the week on the plants as built. --year 2035 shows where capacity runs out.

Without --scenario it runs the embedded default: Guangdong (CN-GD) in 2030.
Input flags (--stock, --outlets, ...) replace the scenario's input files; relative
paths are relative to the current folder (in a scenario file, to the file).
The same scenario and seed give byte-identical folders. Ctrl-C stops the solvers;
the best results so far are written and marked interrupted in kpis.json.`,
		Example: `  rlplan plan --out out/gd
  rlplan plan --region CN-SH --year 2035 --out out/sh-2035
  rlplan plan --region CN-BJ,CN-TJ --out out/bj-tj
  rlplan scenario init my.yaml && rlplan plan --scenario my.yaml --out out/my
  rlplan datasets export data && rlplan plan --region CN-SH --outlets data/outlets.csv --out out/sh
  rlplan plan --region CN-HI --seed 2 --format json --out out/hi`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.out.dir == "" {
				return usageErrorf("--out DIR is required")
			}
			if o.format != "report" && o.format != "json" {
				return usageErrorf("--format %q: want report or json", o.format)
			}
			s, err := o.scenario(cmd.Flags())
			if err != nil {
				return err
			}
			bar := newProgress(a, "plan")
			loader := &planner.Loader{Defaults: datasets.FS, Warn: func(m string) { a.log.Warn(m) }}
			start := time.Now()
			p, err := planner.RunPlan(cmd.Context(), s, loader, func(step string) {
				a.log.Info("step", "name", step, "elapsed", time.Since(start).Round(time.Millisecond))
				bar.describe(step)
			})
			bar.finish()
			if err != nil {
				return o.runError(err, cmd.Flags())
			}
			files, err := p.Files()
			if err != nil {
				return err
			}
			if err := o.out.writeBytes("plan", files); err != nil {
				return err
			}
			a.log.Info("done", "files", len(files), "elapsed", time.Since(start).Round(time.Millisecond))
			if o.format == "json" {
				if _, err := a.stdout.Write(files["kpis.json"]); err != nil {
					return err
				}
				fmt.Fprintf(a.stderr, "%s to %s (open %s).\n", wroteCount(files), o.out.dir, filepath.Join(o.out.dir, "map.html"))
			} else {
				fmt.Fprint(a.stdout, p.Report())
				fmt.Fprintf(a.stdout, "\n%s to %s (open %s).\n", wroteCount(files), o.out.dir, filepath.Join(o.out.dir, "map.html"))
			}
			if p.Interrupted {
				return interruptedError{}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.scenarioPath, "scenario", "", "scenario YAML (default: the embedded Guangdong 2030 scenario)")
	f.StringVar(&o.format, "format", "report", "what to print: report (report.md, tables in Markdown) or json (kpis.json)")
	o.out.register(f, "out", "", "output folder: new, empty, or written by rlplan before (see --force)")
	f.StringSliceVar(&o.regions, "region", nil, "override the scenario's provinces (ISO 3166-2; CN = whole country)")
	f.Int64Var(&o.seed, "seed", 1, "override the scenario's seed")
	f.IntVar(&o.year, "year", 2030, "override the scenario's forecast year; the planned week moves with it (2030-W10 -> 2035-W10)")
	f.Float64Var(&o.timeScale, "time-scale", 1, "multiply the scenario's solver time limits")
	f.StringVar(&o.warmStart, "warm-start", "", "override the scenario's routes.warm_start: "+warmStartUsage)
	f.Float64Var(&o.consistencyCost, week.OptConsistencyCost.Flag, 0, "override the scenario's "+week.OptConsistencyCost.Key+": "+week.OptConsistencyCost.Usage)
	registrationFlags(f, &o.proj)
	o.in.registerFiles(f, inAll)
	return cmd
}

// planTooLarge names the settings a planner.TooLargeError asks to change as
// plan knows them: keys of the scenario file (whose error it then is, exit
// 3), or --region when the flag set the regions.
func planTooLarge(tl *planner.TooLargeError, scenarioPath string, regionFlag bool) error {
	name := func(s planner.Setting) string {
		switch {
		case s == planner.SettingRegions && (regionFlag || scenarioPath == ""):
			return "--region"
		case scenarioPath == "":
			return string(s) + " (in a scenario file: rlplan scenario init FILE)"
		}
		return string(s)
	}
	msg := errors.New(tl.Explain(name))
	if scenarioPath != "" {
		return &planner.ScenarioError{File: scenarioPath, Err: msg}
	}
	return codedError{code: exitUsage, err: msg}
}

// scaleTimeLimits multiplies the scenario's solver time limits by
// --time-scale. A factor that takes a limit out of its range is the flag's
// fault, and the message says so (not the scenario key the user never set).
func scaleTimeLimits(s *planner.Scenario, f float64) error {
	if !(f > 0) || math.IsInf(f, 0) {
		return usageErrorf("--time-scale %g: want a factor > 0", f)
	}
	for _, l := range []struct {
		step string
		d    *time.Duration
	}{{"siting", &s.Siting.TimeLimit.Duration}, {"routes", &s.Routes.TimeLimit.Duration}} {
		// The product must be a time.Duration of at least 1ns: a zero
		// limit would mean "the default" to the solvers.
		scaled := float64(*l.d) * f
		if scaled < 1 || scaled > float64(planner.MaxTimeLimit) {
			return usageErrorf("--time-scale %g: the %s time limit %v would become %.3g s; want a factor that keeps every limit from 1ns to %v",
				f, l.step, *l.d, scaled/1e9, planner.MaxTimeLimit)
		}
		*l.d = time.Duration(scaled)
	}
	return nil
}

func newScenarioCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "scenario", Short: "Work with scenario files",
		Example: `  rlplan scenario init my.yaml && rlplan scenario check my.yaml`}
	var force bool
	initCmd := &cobra.Command{
		Use:   "init FILE",
		Short: "Write a commented example scenario (the embedded default) to FILE",
		Example: `  rlplan scenario init my.yaml
  rlplan scenario init --force my.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := os.Stat(args[0]); err == nil && !force {
				// The file is meant to be edited: any existing one is the
				// user's (exit 2, like a folder of theirs under --out).
				return codedError{code: exitUsage, err: fmt.Errorf("%s exists; use --force to overwrite", args[0])}
			}
			if err := atomicfile.WriteFile(args[0], func(w io.Writer) error { _, err := w.Write(planner.ScenarioExample()); return err }); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Wrote %s. Edit it, then: rlplan plan --scenario %s --out DIR\n", args[0], args[0])
			return nil
		},
	}
	initCmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	check := &cobra.Command{
		Use:     "check FILE",
		Short:   "Parse and validate a scenario file without running it",
		Example: `  rlplan scenario init my.yaml && rlplan scenario check my.yaml`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := planner.ReadScenario(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s: ok\n", args[0])
			return nil
		},
	}
	cmd.AddCommand(initCmd, check)
	return cmd
}

// compareRow is one KPI across plans.
type compareRow struct {
	name string
	get  func(k *planner.KPIs) string
}

var compareRows = []compareRow{
	{"regions", func(k *planner.KPIs) string { return k.Regions }},
	{"year", func(k *planner.KPIs) string { return fmt.Sprint(k.Year) }},
	{"registrations", func(k *planner.KPIs) string {
		if k.Registrations == nil {
			return "recorded"
		}
		return fmt.Sprintf("until %d %+g%%/yr", k.Registrations.Until, k.Registrations.GrowthPct)
	}},
	{"radius_km", func(k *planner.KPIs) string { return fmt.Sprint(k.RadiusKm) }},
	{"retiring_t", func(k *planner.KPIs) string { return fmt.Sprintf("%.0f", k.Forecast.Tonnes) }},
	{"outlets", func(k *planner.KPIs) string { return fmt.Sprint(k.Outlets) }},
	{"covered_share_before", func(k *planner.KPIs) string { return fmt.Sprintf("%.4f", k.CoverageBefore.CoveredTonnesShare) }},
	{"covered_share_after", func(k *planner.KPIs) string {
		if k.CoverageAfter == nil {
			return ""
		}
		return fmt.Sprintf("%.4f", k.CoverageAfter.CoveredTonnesShare)
	}},
	{"mean_km_before", func(k *planner.KPIs) string { return fmt.Sprintf("%.2f", k.CoverageBefore.MeanKm) }},
	{"mean_km_after", func(k *planner.KPIs) string {
		if k.CoverageAfter == nil {
			return ""
		}
		return fmt.Sprintf("%.2f", k.CoverageAfter.MeanKm)
	}},
	{"absorbed_share_before", func(k *planner.KPIs) string {
		return catchmentKPI(k, func(c *planner.CatchmentsKPI) *planner.CatchmentKPI { return c.Before })
	}},
	{"absorbed_share_after", func(k *planner.KPIs) string {
		return catchmentKPI(k, func(c *planner.CatchmentsKPI) *planner.CatchmentKPI { return c.After })
	}},
	{"new_sites", func(k *planner.KPIs) string {
		if k.Siting == nil {
			return ""
		}
		return fmt.Sprint(k.Siting.NewSites)
	}},
	{"sites_by_type", func(k *planner.KPIs) string {
		if k.Siting == nil || k.Siting.SitesByType == nil {
			return ""
		}
		var parts []string
		for t, n := range k.Siting.SitesByType {
			parts = append(parts, fmt.Sprintf("%s %d", t, n))
		}
		sort.Strings(parts)
		return strings.Join(parts, " ")
	}},
	{"upgrades", func(k *planner.KPIs) string {
		if k.Siting == nil || k.Siting.SitesByType == nil {
			return ""
		}
		return fmt.Sprint(k.Siting.Upgrades)
	}},
	{"sites_yearly_cost_cny", func(k *planner.KPIs) string {
		if k.Siting == nil || k.Siting.SitesByType == nil {
			return ""
		}
		return fmt.Sprintf("%.0f", k.Siting.YearlyCostCNY)
	}},
	{"siting_gap_pct", func(k *planner.KPIs) string {
		if k.Siting == nil || !k.Siting.HasBound {
			return ""
		}
		return fmt.Sprintf("%.3f", k.Siting.GapPct)
	}},
	{"route_km", func(k *planner.KPIs) string {
		return routeKPI(k, func(r float64) string { return fmt.Sprintf("%.0f", r) }, "km")
	}},
	{"trips", func(k *planner.KPIs) string {
		if k.Routes == nil {
			return ""
		}
		return fmt.Sprint(k.Routes.Trips)
	}},
	{"truck_days", func(k *planner.KPIs) string {
		if k.Routes == nil {
			return ""
		}
		return fmt.Sprint(k.Routes.VehicleDays)
	}},
	{"cost_cny", func(k *planner.KPIs) string {
		return routeKPI(k, func(r float64) string { return fmt.Sprintf("%.0f", r) }, "cost")
	}},
	{"co2_kg", func(k *planner.KPIs) string {
		return routeKPI(k, func(r float64) string { return fmt.Sprintf("%.0f", r) }, "co2")
	}},
	{"due_t", func(k *planner.KPIs) string {
		return routeKPI(k, func(r float64) string { return fmt.Sprintf("%.2f", r) }, "due")
	}},
	{"collected_t", func(k *planner.KPIs) string {
		return routeKPI(k, func(r float64) string { return fmt.Sprintf("%.2f", r) }, "t")
	}},
	{"collected_share", func(k *planner.KPIs) string {
		return routeKPI(k, func(r float64) string { return fmt.Sprintf("%.4f", r) }, "share")
	}},
	{"blocked_t", func(k *planner.KPIs) string {
		if k.Routes == nil {
			return ""
		}
		var parts []string
		for reason, t := range k.Routes.BlockedTonnes {
			parts = append(parts, fmt.Sprintf("%s %.1f", reason, t))
		}
		sort.Strings(parts)
		return strings.Join(parts, " ")
	}},
	{"hubs", func(k *planner.KPIs) string {
		if k.Network == nil {
			return ""
		}
		return fmt.Sprint(k.Network.Hubs)
	}},
	{"linehaul_legs", func(k *planner.KPIs) string {
		if k.Network == nil {
			return ""
		}
		return fmt.Sprint(k.Network.LinehaulLegs)
	}},
	{"linehaul_t", func(k *planner.KPIs) string {
		if k.Network == nil {
			return ""
		}
		return fmt.Sprintf("%.1f", k.Network.LinehaulT)
	}},
	{"co2_kg_per_t", func(k *planner.KPIs) string {
		return routeKPI(k, func(r float64) string { return fmt.Sprintf("%.2f", r) }, "co2t")
	}},
	{"transport_kg_co2e_per_t", func(k *planner.KPIs) string {
		if k.Carbon == nil {
			return ""
		}
		return fmt.Sprintf("%.2f", k.Carbon.TransportKgCO2ePerT)
	}},
	{"recycling_kg_co2e", func(k *planner.KPIs) string {
		if k.Carbon == nil {
			return ""
		}
		return fmt.Sprintf("%.0f", k.Carbon.RecyclingKgCO2e)
	}},
	{"net_kg_co2e_per_t", func(k *planner.KPIs) string {
		if k.Carbon == nil {
			return ""
		}
		return fmt.Sprintf("%.2f", k.Carbon.NetKgCO2ePerT)
	}},
	{"unserved_outlets", func(k *planner.KPIs) string {
		if k.Routes == nil {
			return ""
		}
		return fmt.Sprint(k.Routes.UnservedOutlets)
	}},
	{"interrupted", func(k *planner.KPIs) string { return fmt.Sprint(k.Interrupted) }},
}

func routeKPI(k *planner.KPIs, f func(float64) string, which string) string {
	if k.Routes == nil {
		return ""
	}
	switch which {
	case "km":
		return f(k.Routes.Km)
	case "cost":
		return f(k.Routes.CostCNY)
	case "co2":
		return f(k.Routes.CO2Kg)
	case "t":
		return f(k.Routes.CollectedTonnes)
	case "due":
		return f(k.Routes.DueTonnes)
	case "share":
		return f(k.Routes.CollectedShare)
	}
	return f(k.Routes.CO2KgPerTonne)
}

// catchmentKPI prints the absorbed share of one catchment KPI.
func catchmentKPI(k *planner.KPIs, which func(*planner.CatchmentsKPI) *planner.CatchmentKPI) string {
	if k.Catchments == nil || which(k.Catchments) == nil {
		return ""
	}
	return fmt.Sprintf("%.4f", which(k.Catchments).AbsorbedShare)
}

func newCompareCmd(a *app) *cobra.Command {
	var out outputFlags
	cmd := &cobra.Command{
		Use:   "compare DIR...",
		Short: "Show the KPIs of several plan folders side by side",
		Example: `  rlplan plan --region CN-SH --out out/sh && rlplan plan --region CN-SH,CN-ZJ --out out/sh-zj
  rlplan compare out/sh out/sh-zj
  rlplan compare out/* --format csv -o compare.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.check("table", "csv", "json"); err != nil {
				return err
			}
			kpis := make([]*planner.KPIs, len(args))
			names := make([]string, len(args))
			for i, dir := range args {
				path := filepath.Join(dir, "kpis.json")
				b, err := os.ReadFile(path)
				if err != nil {
					if errors.Is(err, os.ErrNotExist) {
						return inputError{fmt.Errorf("%s: no kpis.json; is it a folder written by rlplan plan?", dir)}
					}
					return inputError{err}
				}
				var k planner.KPIs
				dec := json.NewDecoder(bytes.NewReader(b))
				if err := dec.Decode(&k); err != nil {
					return inputError{fmt.Errorf("%s: not a kpis.json written by rlplan plan: %w", path, err)}
				}
				kpis[i], names[i] = &k, dir
			}
			return out.emit(a, func(w io.Writer) error {
				if out.format == "json" {
					m := map[string]*planner.KPIs{}
					for i := range kpis {
						m[names[i]] = kpis[i]
					}
					enc := json.NewEncoder(w)
					enc.SetIndent("", "  ")
					return enc.Encode(m)
				}
				rows := [][]string{append([]string{"kpi"}, names...)}
				for _, r := range compareRows {
					row := []string{r.name}
					for _, k := range kpis {
						row = append(row, r.get(k))
					}
					rows = append(rows, row)
				}
				return writeRows(w, out.format, rows)
			})
		},
	}
	out.register(cmd.Flags(), "table", "csv", "json")
	return cmd
}

// writeRows writes string rows as CSV or an aligned table.
func writeRows(w io.Writer, format string, rows [][]string) error {
	var b strings.Builder
	for _, r := range rows {
		for i := range r {
			if strings.ContainsAny(r[i], ",\"\n") {
				r[i] = `"` + strings.ReplaceAll(r[i], `"`, `""`) + `"`
			}
		}
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	if format == "csv" {
		_, err := io.WriteString(w, b.String())
		return err
	}
	return csvToTable(w, []byte(b.String()))
}

// wroteCount says how many files a plan wrote: the tables, layers and
// documents, and the printable manifest pages in their folder.
func wroteCount[T any](files map[string]T) string {
	n, pages := 0, 0
	for name := range files {
		if strings.HasPrefix(name, trace.ManifestsDir+"/") {
			pages++
		} else {
			n++
		}
	}
	if pages == 0 {
		return fmt.Sprintf("Wrote %d files", n)
	}
	return fmt.Sprintf("Wrote %d files and %d manifest pages", n, pages)
}
