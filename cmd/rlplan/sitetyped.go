package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/planner"
	"github.com/rlplan/rlplan/planner/week"
)

// typedSiteFlags are the site command's flags of the typed capacitated
// siting: the model of the plan's siting step (site types from the costs
// file, upgrades, throughput from fill and work days, a stated charge per
// tonne left over).
type typedSiteFlags struct {
	single      bool
	costs       string
	uncollected float64
	fill        float64
	workDays    int
}

func (f *typedSiteFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&f.single, "single-type", false, "capacitated and cover: every new site a collection outlet of --site-capacity-kg at --site-cost, throughput storage x 0.8 x 52 (the model before site types)")
	fs.StringVar(&f.costs, "costs", "", "cost figures CSV pricing the site types (item,value,unit,basis,source,note; default: embedded costs.csv)")
	floatOpt(fs, &f.uncollected, planner.OptUncollectedCost)
	floatOpt(fs, &f.fill, week.OptFill)
	intOpt(fs, &f.workDays, week.OptWorkDays)
}

func (f *typedSiteFlags) check() error {
	return firstErr(flagError(planner.OptUncollectedCost.Check(f.uncollected)), flagError(week.OptFill.Check(f.fill)),
		flagError(week.OptWorkDays.CheckInt(f.workDays)))
}

// typedSiteRun is one run of the typed siting from the command's flags.
type typedSiteRun struct {
	in        *inputFlags
	opt       planner.SitingOptions
	detour    float64
	year, res int
	maxCands  int
	timeLimit time.Duration
	seed      uint64
	flags     typedSiteFlags
}

// scenario is the default scenario with the command's settings: the same
// catalogue (site types and upgrades priced by the costs file) as `rlplan
// plan`.
func (r *typedSiteRun) scenario() planner.Scenario {
	s := planner.DefaultScenario()
	s.Regions, s.Year, s.Resolution, s.RadiusKm, s.Detour, s.Seed = r.in.regions, r.year, r.res, r.opt.RadiusKm, r.detour, int64(r.seed)
	s.Siting.Objective, s.Siting.Target = r.opt.Objective, r.opt.CoverTarget
	s.Siting.TonneKmCost, s.Siting.UncollectedCost = r.opt.CostPerTonneKm, r.flags.uncollected
	s.Siting.MaxCandidates, s.Siting.TimeLimit = r.maxCands, planner.Duration{Duration: r.timeLimit}
	s.Routes.Fill, s.Routes.WorkDays = r.flags.fill, r.flags.workDays
	return s
}

func (r *typedSiteRun) run(cmd *cobra.Command, a *app, out *outputFlags) error {
	inputs, reg, cells, err := r.in.loadGrid(cmd.Context(), a, r.year, r.res)
	if err != nil {
		return err
	}
	warn := func(s string) { a.log.Warn(s) }
	loader := &planner.Loader{Defaults: datasets.FS, Warn: warn}
	costs, err := loader.LoadCosts(r.flags.costs)
	if err != nil {
		return err
	}
	var cands []planner.Outlet
	if r.in.candidates != "" {
		if cands, err = planner.ReadCandidates(r.in.candidates, warn); err != nil {
			return err
		}
	}
	set := r.opt.Settings
	if set.MaxIterations == 0 {
		set.MaxIterations = planner.NetworkIterations
	}
	a.log.Info("siting", "cells", len(cells), "outlets", len(inputs.Outlets), "model", "site types")
	res, err := planner.ChooseTypedSites(cmd.Context(), planner.TypedSiting{Scenario: r.scenario(), Inputs: inputs, Regions: reg, Cells: cells,
		Costs: costs, Candidates: cands, CandidatesPath: r.in.candidates, Settings: &set, Warn: warn})
	if err != nil {
		return flagSettings(err)
	}
	recs := planner.TypedSiteRecords(res.Sites, res.Upgrades)
	return out.emit(a, func(w io.Writer) error {
		switch out.format {
		case "csv":
			return writeRecords(w, "csv", recs)
		case "json":
			return writeTypedSitingJSON(w, res, recs)
		}
		return writeTypedSitingTable(w, res, recs, r.year, reg.String(), r.opt.RadiusKm)
	})
}

func writeTypedSitingJSON(w io.Writer, r *planner.SitingResult, recs []planner.TypedSiteRecord) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"objective": r.Objective, "model": "site_types", "sites": recs, "sites_by_type": sitesByType(r),
		"upgrades": len(r.Upgrades), "yearly_cost_cny": roundTo(r.YearlyCost, 0), "uncollected_cost_cny_per_t": roundTo(r.UncollectedCost, 2),
		"before": roundCoverage(r.Before), "after": roundCoverage(r.After),
		"cost": roundTo(r.Cost, 4), "bound": roundTo(r.Bound, 4), "gap": roundTo(r.Gap, 6), "has_bound": r.HasBound, "status": r.Status,
		"candidates": r.Candidates, "unassigned_tonnes": roundTo(r.Unserved, 3)})
}

func sitesByType(r *planner.SitingResult) map[string]int {
	m := map[string]int{}
	for _, s := range r.Sites {
		m[s.SiteType]++
	}
	return m
}

func writeTypedSitingTable(w io.Writer, r *planner.SitingResult, recs []planner.TypedSiteRecord, year int, reg string, radiusKm float64) error {
	fmt.Fprintf(w, "Siting %s with site types, %d, %s: %d new sites and %d upgrades from %d candidate places (status %s)\n",
		r.Objective, year, reg, len(r.Sites), len(r.Upgrades), r.Candidates, r.Status)
	unit := "tonne-km: yearly CNY / tonne-km cost"
	if r.Objective == planner.ObjectiveCover {
		unit = "yearly CNY of the new sites and upgrades"
	}
	if r.HasBound {
		fmt.Fprintf(w, "  objective %.6g, bound %.6g, gap %.3f%% (%s)\n", r.Cost, r.Bound, 100*r.Gap, unit)
	} else {
		fmt.Fprintf(w, "  objective %.6g (%s), no bound (the solver stopped before proving one)\n", r.Cost, unit)
	}
	byType := sitesByType(r)
	names := make([]string, 0, len(byType))
	for n := range byType {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(w, "  sites and upgrades cost %.0f CNY a year", r.YearlyCost)
	for _, n := range names {
		fmt.Fprintf(w, "; %d %s", byType[n], n)
	}
	if r.Objective == planner.ObjectiveCover {
		fmt.Fprintf(w, "\n  %.0f t/yr left over after siting (the target bounds it)\n", r.Unserved)
	} else {
		fmt.Fprintf(w, "\n  a tonne left without an outlet is charged %.2f CNY a year; %.0f t/yr left over after siting\n", r.UncollectedCost, r.Unserved)
	}
	return writeReach(w, radiusKm, r.Before, r.After, len(recs) > 0, recs)
}
