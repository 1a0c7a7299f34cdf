package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
	"github.com/rlplan/rlplan/solver/location/bench"
)

func init() { registerBench(newBenchLocationCmd) }

// benchLocationOptions holds the flags of `rlplan bench location`.
type benchLocationOptions struct {
	set       string
	dir       string
	timeLimit time.Duration
	seed      uint64
	workers   int
	format    string
	maxIter   int
	boundIter int
}

func newBenchLocationCmd(a *app) *cobra.Command {
	o := &benchLocationOptions{}
	cmd := &cobra.Command{
		Use:   "location --set pmed|cflp|ufl --dir DIR",
		Short: "Run the facility-location solver on OR-Library sets (gap to proven optimum)",
		Long: `Solves every instance of an OR-Library folder laid out like ../shared/bench/{pmed,cflp,ufl}
(instance files plus optimal.csv) and prints
instance,cost,optimum,gap_pct,bound,bound_gap_pct,seconds,status: the gap to the known
optimum, the solver's own bound and gap (empty without a bound) and why it stopped, then the
mean gaps. Every result is checked by the independent validator first; a result that fails
it is an error (exit 3), not a row. pmed: p-median on the graph's shortest paths. cflp: capacitated warehouse
location, multi-source (split demand); the capa/capb/capc templates run at the capacities
named in optimal.csv (capa@8000) or Beasley's Table 1. ufl: the same files, capacities ignored.`,
		Example: `  rlplan bench location --set pmed --dir ../shared/bench/pmed --time-limit 200ms
  rlplan bench location --set ufl --dir ../shared/bench/ufl --time-limit 500ms --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBenchLocation(cmd, a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.set, "set", "", "benchmark set: pmed, cflp or ufl (required)")
	f.StringVar(&o.dir, "dir", "", "folder with the instance files and optimal.csv (required)")
	f.DurationVar(&o.timeLimit, "time-limit", 5*time.Second, "time limit per instance")
	f.Uint64Var(&o.seed, "seed", 1, "random seed")
	f.IntVar(&o.workers, "workers", 1, "goroutines for the bound and the improvement phase (each value gives its own reproducible path)")
	f.IntVar(&o.maxIter, "max-iterations", -1, "improvement rounds per instance (-1: no limit, the time limit ends each run; a limit makes runs reproducible whatever the machine's load)")
	f.IntVar(&o.boundIter, "bound-iterations", 0, "iterations of the Lagrangian bound per instance (0: the solver's default, 1000; -1: no bound)")
	f.StringVar(&o.format, "format", "table", "output format: table, csv or json")
	return cmd
}

func runBenchLocation(cmd *cobra.Command, a *app, o *benchLocationOptions) error {
	switch o.set {
	case "pmed", "cflp", "ufl":
	case "":
		return usageErrorf("--set is required: pmed, cflp or ufl")
	default:
		return usageErrorf("--set %q: want pmed, cflp or ufl", o.set)
	}
	if o.dir == "" {
		return usageErrorf("--dir is required: a folder like ../shared/bench/%s", o.set)
	}
	if o.format != "table" && o.format != "csv" && o.format != "json" {
		return usageErrorf("--format %q: want table, csv or json", o.format)
	}
	if o.workers < 1 {
		return usageErrorf("--workers %d: want at least 1", o.workers)
	}
	if o.maxIter == 0 || o.maxIter < -1 || o.boundIter < -1 {
		return usageErrorf("--max-iterations %d, --bound-iterations %d: want a positive count or -1 (bound iterations: 0 for the default)", o.maxIter, o.boundIter)
	}
	if o.timeLimit <= 0 {
		return usageErrorf("--time-limit %v: want a positive duration", o.timeLimit)
	}
	opts := bench.Options{
		Set: o.set, Dir: o.dir,
		Settings: location.Settings{TimeLimit: o.timeLimit, Seed: solver.Seed(o.seed), MaxIterations: o.maxIter,
			BoundIterations: o.boundIter, Workers: o.workers},
		Progress: func(r bench.Row) {
			a.log.Info("instance done", "instance", r.Instance, "cost", r.Cost, "optimum", r.Optimum,
				"gap_pct", r.GapPct, "seconds", fmt.Sprintf("%.2f", r.Seconds), "status", r.Status.String())
		},
	}
	rows, err := bench.Run(cmd.Context(), opts)
	if err != nil {
		return inputError{err}
	}
	if o.format == "json" {
		return writeBenchLocationJSON(a.stdout, o.set, rows)
	}
	return bench.Write(a.stdout, rows, o.format)
}
