package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
)

func init() { registerCommand(newSiteCmd) }

func newSiteCmd(a *app) *cobra.Command {
	in := inputFlags{}
	var out outputFlags
	var year, res, maxCands int
	var detourF float64
	var timeLimit time.Duration
	var seed uint64
	var workers, maxIter, boundIter int
	opt := planner.SitingOptions{}
	var typed typedSiteFlags
	cmd := &cobra.Command{
		Use:   "site",
		Short: "Choose where to open new collection outlets (covering, p-median, capacitated, set cover)",
		Long: `Choose new outlet sites for the forecast density of one year, keeping every existing
outlet open. Objectives:
  coverage     open --new sites to bring the most tonnes within --radius-km (MCLP)
  median       open --new sites to minimise tonne-km to the nearest outlet (p-median)
  capacitated  the plan's siting model: where the existing outlets, within the radius and
               their throughput (storage x --fill, emptied on every work day), leave
               tonnes over, open site types (a 5 t collection outlet, a 30 t central
               storage outlet) and upgrade outlets, priced by the costs file (--costs),
               at the least yearly cost of sites plus the owners' tonne-km; a tonne left
               over costs --uncollected-cost (default: what the existing outlets cost a
               year per tonne they take). --single-type keeps the older model: every new
               site a --site-capacity-kg outlet at --site-cost.
  cover        the same site types and upgrades, at the least yearly cost of sites and
               upgrades that absorb --target of the tonnes within the radius and the
               outlets' throughput (the plan's cover model); --single-type: the fewest
               untyped sites that bring --target of the tonnes within the radius
Every answer comes with the solver's lower bound (upper bound for coverage) and the gap.
Candidates default to the heaviest cells beyond half the radius from an outlet and
towns without an outlet in reach.`,
		Example: `  rlplan site --region CN-GD --objective coverage --new 20 --radius-km 10
  rlplan site --region CN-ZJ --objective cover --target 0.98 --radius-km 15 -o sites.csv --format csv
  rlplan site --region CN-SH --objective median --new 5 --format json
  rlplan site --region CN --objective capacitated --time-limit 60s --workers 2
  rlplan site --region CN-HI --objective capacitated --uncollected-cost 1000 --format csv -o sites-hi.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.check("table", "csv", "json"); err != nil {
				return err
			}
			switch opt.Objective {
			case planner.ObjectiveCoverage, planner.ObjectiveMedian:
				if opt.New <= 0 {
					return usageErrorf("--new %d: objective %s needs a number of new sites > 0", opt.New, opt.Objective)
				}
			case planner.ObjectiveCapacitated, planner.ObjectiveCover:
			default:
				return usageErrorf("--objective %q: want coverage, median, capacitated or cover", opt.Objective)
			}
			if err := firstErr(flagError(domain.OptRadius.Check(opt.RadiusKm)), flagShare("target", opt.CoverTarget),
				flagYear("year", year), flagIntRange("res", res, 0, 15, "an H3 resolution"),
				flagError(planner.OptNewSites.CheckInt(opt.New)), flagError(planner.OptMaxCandidates.CheckInt(maxCands)),
				flagIntRange("neighbours", opt.Neighbours, 0, 1000, "a number of facilities (0: automatic)"),
				flagError(planner.OptSiteCost.Check(opt.SiteFixedCost)), flagError(planner.OptTonneKmCost.Check(opt.CostPerTonneKm)),
				flagError(planner.OptSiteCapacity.Check(opt.SiteCapacityKg)), flagError(planner.OptSitingTimeLimit.CheckDuration(timeLimit)),
				flagIntRange("workers", workers, 1, 64, "a number of goroutines"),
				flagIntRange("max-iterations", maxIter, -1, 1000000000, "a number of rounds (-1: no limit)"),
				flagIntRange("bound-iterations", boundIter, -1, 1000000000, "a number of iterations (0: the default, -1: no bound)")); err != nil {
				return err
			}
			if err := typed.check(); err != nil {
				return err
			}
			var err error
			if opt.Detour, err = geo.NewDetour(detourF); err != nil {
				return usageErrorf("--detour: %v", err)
			}
			if w := planner.ResolutionWarning(res, opt.RadiusKm); w != "" {
				a.log.Warn(w)
			}
			opt.Settings.TimeLimit, opt.Settings.Seed, opt.Settings.Workers = timeLimit, solver.Seed(seed), workers
			opt.Settings.MaxIterations, opt.Settings.BoundIterations = maxIter, boundIter
			opt.UncollectedCost = typed.uncollected
			if (opt.Objective == planner.ObjectiveCapacitated || opt.Objective == planner.ObjectiveCover) && !typed.single {
				r := typedSiteRun{in: &in, opt: opt, detour: detourF, year: year, res: res, maxCands: maxCands, timeLimit: timeLimit, seed: seed, flags: typed}
				return r.run(cmd, a, &out)
			}
			inputs, reg, cells, err := in.loadGrid(cmd.Context(), a, year, res)
			if err != nil {
				return err
			}
			cov, err := planner.AnalyzeCoverageContext(cmd.Context(), cells, inputs.Outlets, opt.RadiusKm, opt.Detour, 0, nil)
			if err != nil {
				return err
			}
			var src []string
			if opt.Candidates, src, err = planner.Candidates(cmd.Context(), in.candidates, func(s string) { a.log.Warn(s) }, inputs, cells, cov, reg, res, maxCands); err != nil {
				return err
			}
			a.log.Info("siting", "cells", len(cells), "outlets", len(inputs.Outlets), "candidates", len(opt.Candidates))
			r, err := planner.ChooseSites(cmd.Context(), cells, inputs.Outlets, opt.Candidates, src, opt)
			if err != nil {
				return flagSettings(err)
			}
			recs := planner.SiteRecords(r.Sites)
			if recs == nil {
				recs = []planner.SiteRecord{}
			}
			return emitSiting(a, &out, r, recs, opt.RadiusKm, year, reg)
		},
	}
	in.register(cmd.Flags(), inGrid|inOutlets|inCandidates)
	typed.register(cmd.Flags())
	out.register(cmd.Flags(), "table", "csv", "json")
	f := cmd.Flags()
	f.StringVar(&opt.Objective, "objective", planner.ObjectiveCoverage, "coverage, median, capacitated or cover")
	f.IntVar(&opt.New, "new", 10, "number of new sites (coverage, median)")
	f.Float64Var(&opt.RadiusKm, "radius-km", 20, "service radius by road in km")
	f.Float64Var(&opt.CoverTarget, "target", 0.95, "share of tonnes to bring within the radius (cover)")
	f.BoolVar(&opt.Capacitated, "capacitated", false, "apply outlet throughput limits to any objective")
	f.Float64Var(&opt.SiteFixedCost, "site-cost", 120000, "yearly cost of a new site in CNY (capacitated and cover with --single-type)")
	f.Float64Var(&opt.CostPerTonneKm, "tonne-km-cost", 2, "cost of bringing a tonne one km to an outlet in CNY (capacitated)")
	f.Float64Var(&opt.SiteCapacityKg, "site-capacity-kg", 5000, "storage limit of a new site in kg")
	f.IntVar(&opt.Neighbours, "neighbours", 0, "nearest facilities considered per cell beyond the radius (default 16; 64 with capacities)")
	f.IntVar(&year, "year", 2030, "forecast year")
	f.IntVar(&res, "res", planner.DefaultResolution, "H3 resolution of the density grid")
	f.Float64Var(&detourF, "detour", 1.3, "road detour factor (1.0-3.0)")
	f.IntVar(&maxCands, "max-candidates", 5000, "most default candidates")
	f.DurationVar(&timeLimit, "time-limit", 20*time.Second, "solver time limit")
	f.Uint64Var(&seed, "seed", 1, "random seed")
	f.IntVar(&workers, "workers", location.DefaultWorkers, "goroutines for the solver's bound and search (the answer depends on it; use 2 on two cores)")
	f.IntVar(&maxIter, "max-iterations", 0, fmt.Sprintf("solver improvement rounds (0: the default, %d, or %d per component of the capacitated model with site types; -1: no limit): an answer that ends on them is the same on any machine", location.DefaultMaxIterations, planner.NetworkIterations))
	f.IntVar(&boundIter, "bound-iterations", 0, fmt.Sprintf("iterations of the solver's Lagrangian bound (0: the default, %d; -1: no bound)", location.DefaultBoundIterations))
	return cmd
}

// emitSiting writes the answer of the untyped siting models as a table, CSV
// or JSON.
func emitSiting(a *app, out *outputFlags, r *planner.SitingResult, recs []planner.SiteRecord, radiusKm float64, year int, reg planner.Regions) error {
	return out.emit(a, func(w io.Writer) error {
		switch out.format {
		case "csv":
			return writeRecords(w, "csv", recs)
		case "json":
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(map[string]any{"objective": r.Objective, "sites": recs, "before": roundCoverage(r.Before), "after": roundCoverage(r.After),
				"cost": roundTo(r.Cost, 4), "bound": roundTo(r.Bound, 4), "gap": roundTo(r.Gap, 6), "has_bound": r.HasBound, "status": r.Status,
				"candidates": r.Candidates, "unassigned_tonnes": roundTo(r.Unserved, 3)})
		}
		fmt.Fprintf(w, "Siting %s, %d, %s: %d new sites from %d candidates (status %s)\n", r.Objective, year, reg, len(r.Sites), r.Candidates, r.Status)
		if r.HasBound {
			fmt.Fprintf(w, "  objective %.6g, bound %.6g, gap %.3f%%\n", r.Cost, r.Bound, 100*r.Gap)
		} else {
			fmt.Fprintf(w, "  objective %.6g, no bound (the solver stopped before proving one)\n", r.Cost)
		}
		if r.Unserved > 0 {
			fmt.Fprintf(w, "  %.0f t/yr could not be assigned within the outlets' throughput limits\n", r.Unserved)
		}
		return writeReach(w, radiusKm, r.Before, r.After, len(recs) > 0, recs)
	})
}

// writeReach prints the reach of the outlets before and after siting, then
// the chosen sites' table when there is one.
func writeReach(w io.Writer, radiusKm float64, before, after planner.CoverageKPI, table bool, recs any) error {
	fmt.Fprintf(w, "  within %g km: %.2f%% -> %.2f%% of %.0f t; mean %.2f -> %.2f km; p95 %.2f -> %.2f km\n\n",
		radiusKm, 100*before.CoveredTonnesShare, 100*after.CoveredTonnesShare, before.Tonnes,
		before.MeanKm, after.MeanKm, before.P95Km, after.P95Km)
	if !table {
		return nil
	}
	return writeRecords(w, "table", recs)
}
