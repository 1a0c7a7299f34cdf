package main

import (
	"fmt"
	"math"
	"time"

	"github.com/spf13/cobra"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/bench"
	"github.com/rlplan/rlplan/solver/routing/periodic"
)

func init() { registerBench(newBenchRoutingCmd) }

// benchRoutingOptions holds the flags of `rlplan bench routing`.
type benchRoutingOptions struct {
	set       string
	dir       string
	timeLimit time.Duration
	maxIter   int
	seed      uint64
	workers   int
	format    string
	instances string
}

func newBenchRoutingCmd(a *app) *cobra.Command {
	o := &benchRoutingOptions{}
	cmd := &cobra.Command{
		Use:   "routing --set cvrp|vrptw|mdvrp|pvrp --dir DIR",
		Short: "Run the routing solvers on CVRPLIB, Solomon and Cordeau sets (gap to best known)",
		Long: `Solves every instance of a folder laid out like ../shared/bench/{cvrp,vrptw,mdvrp,pvrp}
(instance files plus bks.csv), checks each result with the independent validator and prints
instance,cost,bks,gap_pct,routes,seconds,valid, then a "mean" line with the mean gap over
valid results, the median seconds and valid/total. Costs are the validator's own figures.

cvrp: CVRPLIB X (.vrp), nint distances, unlimited fleet. vrptw: Solomon/Gehring-Homberger,
double-precision distances, fleet from the file, distance only (gap against the distance-only
BKS where bks.csv has one). mdvrp: Cordeau, m vehicles per depot, route-duration limit D.
pvrp: Cordeau periodic VRP, solved by the periodic planner (patterns and daily routes).`,
		Example: `  rlplan bench routing --set cvrp --dir ../shared/bench/cvrp --instances 'X-n101*' --time-limit 2s
  rlplan bench routing --set vrptw --dir ../shared/bench/vrptw --instances 'C101*' --time-limit 2s --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBenchRouting(cmd, a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.set, "set", "", "benchmark set: cvrp, vrptw, mdvrp or pvrp (required)")
	f.StringVar(&o.dir, "dir", "", "folder with the instance files and bks.csv (required)")
	f.DurationVar(&o.timeLimit, "time-limit", 30*time.Second, "time limit per instance")
	f.IntVar(&o.maxIter, "max-iterations", 0, "iteration limit per instance, for runs that do not depend on machine load (0: none, the time limit ends each run); pvrp: the ruin-and-recreate budget, a third of it the joint routing solve's, pattern local searches at their default rounds")
	f.Uint64Var(&o.seed, "seed", 1, "random seed")
	f.IntVar(&o.workers, "workers", 1, "parallel searches per instance")
	f.StringVar(&o.format, "format", "table", "output format: table, csv or json")
	f.StringVar(&o.instances, "instances", "", "only instances whose name matches this glob (e.g. 'X-n1*')")
	return cmd
}

func runBenchRouting(cmd *cobra.Command, a *app, o *benchRoutingOptions) error {
	if o.set == "" {
		return usageErrorf("--set is required: cvrp, vrptw, mdvrp or pvrp")
	}
	set, err := bench.ParseSet(o.set)
	if err != nil {
		return usageErrorf("--set %q: want cvrp, vrptw, mdvrp or pvrp", o.set)
	}
	if o.dir == "" {
		return usageErrorf("--dir is required: a folder like ../shared/bench/%s", o.set)
	}
	if o.format != "table" && o.format != "csv" && o.format != "json" {
		return usageErrorf("--format %q: want table, csv or json", o.format)
	}
	if o.timeLimit <= 0 {
		return usageErrorf("--time-limit %v: want a positive duration", o.timeLimit)
	}
	if o.maxIter < 0 {
		return usageErrorf("--max-iterations %d: want 0 (none) or a positive count", o.maxIter)
	}
	if o.workers < 1 {
		return usageErrorf("--workers %d: want at least 1", o.workers)
	}
	bar := newProgress(a, "bench routing "+o.set)
	opts := bench.Options{
		TimeLimit: o.timeLimit, MaxIterations: o.maxIter, Seed: solver.Seed(o.seed), Workers: o.workers, Instances: o.instances,
		Solve:         routing.Solve,
		SolvePeriodic: periodic.Solve,
		Progress: func(done, total int, r bench.Row) {
			bar.set(done, total)
			if bar.bar == nil {
				// No terminal: one plain line per instance keeps CI logs
				// and redirected runs informative.
				gap := r.GapPct
				if math.Abs(gap) < 0.0005 {
					gap = 0 // no "-0.000%"
				}
				fmt.Fprintf(a.stderr, "[%d/%d] %s cost %.2f bks %g gap %.3f%% %.1fs %d it valid=%v\n",
					done, total, r.Instance, r.Cost, r.BKS, gap, r.Seconds, r.Iterations, r.Valid)
			}
			a.log.Info("instance done", "instance", r.Instance, "cost", fmt.Sprintf("%.2f", r.Cost),
				"bks", r.BKS, "gap_pct", fmt.Sprintf("%.3f", r.GapPct), "seconds", fmt.Sprintf("%.1f", r.Seconds), "valid", r.Valid)
			if !r.Valid {
				a.log.Warn("invalid result", "instance", r.Instance, "problem", r.Problem)
			}
		},
	}
	rows, err := bench.Run(cmd.Context(), set, o.dir, opts)
	bar.finish()
	if err != nil && len(rows) == 0 {
		if cmd.Context().Err() != nil {
			return err
		}
		return inputError{err}
	}
	var werr error
	switch o.format {
	case "json":
		werr = writeBenchRoutingJSON(a.stdout, o.set, rows)
	case "csv":
		werr = bench.WriteCSV(a.stdout, rows)
	default:
		werr = bench.WriteTable(a.stdout, rows)
	}
	if werr != nil {
		return werr
	}
	return err
}
