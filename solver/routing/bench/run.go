package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/periodic"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

// Set names a benchmark family.
type Set string

// The benchmark families of shared/bench.
const (
	SetCVRP  Set = "cvrp"
	SetVRPTW Set = "vrptw"
	SetMDVRP Set = "mdvrp"
	SetPVRP  Set = "pvrp"
)

// Sets lists the families in a fixed order.
var Sets = []Set{SetCVRP, SetVRPTW, SetMDVRP, SetPVRP}

// ParseSet accepts a family name.
func ParseSet(s string) (Set, error) {
	for _, x := range Sets {
		if string(x) == s {
			return x, nil
		}
	}
	return "", fmt.Errorf("unknown benchmark set %q: want cvrp, vrptw, mdvrp or pvrp", s)
}

// ext is the instance file extension of a family.
func (s Set) ext() string {
	if s == SetCVRP {
		return ".vrp"
	}
	return ".txt"
}

// Instance is one benchmark instance file of a folder.
type Instance struct {
	Name string
	Set  Set
	Path string
	// BKS is the reference cost from bks.csv, 0 when the folder lists none.
	BKS float64
}

// Loaded is a parsed instance: Periodic for pvrp, Problem otherwise.
type Loaded struct {
	Problem  *routing.Problem
	Periodic *periodic.Problem
}

// Load parses the instance file.
func (in Instance) Load() (Loaded, error) {
	var l Loaded
	var err error
	switch in.Set {
	case SetCVRP:
		l.Problem, err = ReadCVRP(in.Path)
	case SetVRPTW:
		l.Problem, err = ReadVRPTW(in.Path)
	case SetMDVRP:
		l.Problem, err = ReadMDVRP(in.Path)
	case SetPVRP:
		l.Periodic, err = ReadPVRP(in.Path)
	default:
		err = fmt.Errorf("unknown benchmark set %q", in.Set)
	}
	return l, err
}

// List returns the instances of a folder in name order: every file with the
// family's extension (.vrp for cvrp, .txt otherwise) whose name (without
// extension) matches glob (path.Match syntax; empty = all), with its
// bks.csv reference. A folder without bks.csv is an error; an instance
// without a row gets BKS 0 and no gap.
func List(set Set, dir, glob string) ([]Instance, error) {
	if glob != "" {
		if _, err := path.Match(glob, ""); err != nil {
			return nil, fmt.Errorf("instance pattern %q: %v", glob, err)
		}
	}
	bks, err := ReadBKS(filepath.Join(dir, "bks.csv"))
	if err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"+set.ext()))
	if err != nil {
		return nil, err
	}
	var out []Instance
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), set.ext())
		if glob != "" {
			if ok, _ := path.Match(glob, name); !ok {
				continue
			}
		}
		out = append(out, Instance{Name: name, Set: set, Path: f, BKS: bks[name].Cost})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s instances (*%s) matching %q in %s", set, set.ext(), glob, dir)
	}
	return out, nil
}

// Solver is the signature of routing.Solve.
type Solver func(ctx context.Context, p *routing.Problem, s *routing.Settings) (*routing.Result, error)

// PeriodicSolver is the signature of periodic.Solve.
type PeriodicSolver func(ctx context.Context, p *periodic.Problem, s *periodic.Settings) (*periodic.Result, error)

// Options control Run.
type Options struct {
	// TimeLimit per instance; 0 means 30 s.
	TimeLimit time.Duration
	// MaxIterations is passed to routing.Solve for cvrp, vrptw and mdvrp;
	// 0 means none, so that the time limit alone ends each run, as in the
	// published comparisons. For pvrp it is the periodic solver's
	// SearchIterations, a third of it its RoutingIterations (pattern rounds
	// at their default), so that the run is reproducible; 0 gives it no
	// iteration limit at all.
	MaxIterations int
	Seed          solver.Seed
	Workers       int
	// Instances filters instance names (path.Match syntax); empty = all.
	Instances string
	// Solve runs routing instances (cvrp, vrptw, mdvrp); SolvePeriodic
	// runs pvrp.
	Solve         Solver
	SolvePeriodic PeriodicSolver
	// Progress, when not nil, is called after each instance.
	Progress func(done, total int, row Row)
}

// Row is the outcome of one instance. Cost is the validator's recomputed
// cost, not the solver's claim.
type Row struct {
	Instance string
	Cost     float64
	BKS      float64 // 0 = unknown
	GapPct   float64 // 100*(Cost-BKS)/BKS; NaN when BKS is unknown
	Routes   int
	Seconds  float64
	// Iterations the routing search made (ruin-and-recreate iterations;
	// 0 for periodic instances): compare runs by work done, not seconds.
	Iterations int
	// Valid: the validator accepted the result and every job is served.
	Valid bool
	// Problem holds the validator's or solver's complaint when not Valid.
	Problem string
}

// Run solves each instance of a folder in name order and scores it. Every
// instance is read first: a file that does not parse is an error (its
// file, line and field) before anything is solved, and no rows. An instance
// whose solve fails or whose result the validator rejects gives an invalid
// row, not an error. Run stops early, returning the rows so far and ctx's
// error, when ctx is cancelled.
func Run(ctx context.Context, set Set, dir string, opts Options) ([]Row, error) {
	insts, err := List(set, dir, opts.Instances)
	if err != nil {
		return nil, err
	}
	if set == SetPVRP && opts.SolvePeriodic == nil || set != SetPVRP && opts.Solve == nil {
		return nil, fmt.Errorf("bench: no solver given for set %s", set)
	}
	// Read every file once up front (and again when its turn comes, so
	// that only one instance is held at a time: parsing costs milliseconds
	// against seconds of solving).
	for _, in := range insts {
		if _, err := in.Load(); err != nil {
			return nil, err
		}
	}
	limit := opts.TimeLimit
	if limit <= 0 {
		limit = 30 * time.Second
	}
	var rows []Row
	for i, in := range insts {
		if err := ctx.Err(); err != nil {
			return rows, err
		}
		row := runOne(ctx, in, opts, limit)
		rows = append(rows, row)
		if opts.Progress != nil {
			opts.Progress(i+1, len(insts), row)
		}
	}
	return rows, nil
}

func runOne(ctx context.Context, in Instance, opts Options, limit time.Duration) Row {
	row := Row{Instance: in.Name, BKS: in.BKS, GapPct: math.NaN(), Cost: math.NaN()}
	l, err := in.Load()
	if err != nil {
		row.Problem = err.Error()
		return row
	}
	t0 := time.Now()
	var verr error
	if in.Set == SetPVRP {
		var r *periodic.Result
		set := &periodic.Settings{TimeLimit: limit, Seed: opts.Seed, Workers: opts.Workers,
			MaxIterations: -1, RoutingIterations: -1, SearchIterations: -1}
		if opts.MaxIterations > 0 {
			// Every phase bounded by iterations: the result does not depend
			// on the machine's load (the time limit only caps it).
			set.MaxIterations, set.RoutingIterations, set.SearchIterations = 0, max(opts.MaxIterations/3, 1), opts.MaxIterations
		}
		r, err = opts.SolvePeriodic(ctx, l.Periodic, set)
		row.Seconds = time.Since(t0).Seconds()
		if err == nil {
			t := validate.RecomputePeriodic(l.Periodic, r)
			row.Cost, row.Routes = t.Cost, t.Routes
			verr = validate.CheckPeriodic(l.Periodic, r)
			if verr == nil && len(r.Unserved) > 0 {
				verr = fmt.Errorf("%d job(s) unserved", len(r.Unserved))
			}
		}
	} else {
		var r *routing.Result
		maxIt := opts.MaxIterations
		if maxIt == 0 {
			maxIt = -1
		}
		r, err = opts.Solve(ctx, l.Problem, &routing.Settings{TimeLimit: limit, MaxIterations: maxIt, Seed: opts.Seed, Workers: opts.Workers})
		row.Seconds = time.Since(t0).Seconds()
		if err == nil {
			row.Iterations = r.Iterations
			t := validate.Recompute(l.Problem, r)
			row.Cost, row.Routes = t.Cost, t.Routes
			verr = errors.Join(validate.Check(l.Problem, r), validate.Complete(r))
		}
	}
	switch {
	case err != nil:
		row.Problem = "solve: " + err.Error()
	case verr != nil:
		row.Problem = verr.Error()
	default:
		row.Valid = true
	}
	if row.BKS > 0 && !math.IsNaN(row.Cost) {
		row.GapPct = 100 * (row.Cost - row.BKS) / row.BKS
	}
	return row
}

// Summary condenses rows.
type Summary struct {
	// MeanGapPct is the mean gap over valid rows with a BKS (NaN if none).
	MeanGapPct float64
	// MedianSeconds over all rows.
	MedianSeconds float64
	Valid, Total  int
}

// Summarize computes the mean gap and median time.
func Summarize(rows []Row) Summary {
	s := Summary{Total: len(rows), MeanGapPct: math.NaN(), MedianSeconds: math.NaN()}
	var gap float64
	n := 0
	secs := make([]float64, 0, len(rows))
	for _, r := range rows {
		secs = append(secs, r.Seconds)
		if !r.Valid {
			continue
		}
		s.Valid++
		if !math.IsNaN(r.GapPct) {
			gap += r.GapPct
			n++
		}
	}
	if n > 0 {
		s.MeanGapPct = gap / float64(n)
	}
	if len(secs) > 0 {
		sort.Float64s(secs)
		m := len(secs) / 2
		s.MedianSeconds = secs[m]
		if len(secs)%2 == 0 {
			s.MedianSeconds = (secs[m-1] + secs[m]) / 2
		}
	}
	return s
}

// Header is the column list of the per-instance output.
var Header = []string{"instance", "cost", "bks", "gap_pct", "routes", "seconds", "valid"}

func cells(r Row) []string {
	return []string{r.Instance, fnum(r.Cost, 2), fnum(r.BKS, 2), fnum(r.GapPct, 3), strconv.Itoa(r.Routes), fnum(r.Seconds, 1), strconv.FormatBool(r.Valid)}
}

func fnum(v float64, prec int) string {
	if math.IsNaN(v) {
		return ""
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-") // no "-0.000" for a gap that rounds to zero
	}
	return s
}

// summaryCells is the last line: instance "mean", the mean gap in gap_pct,
// the median time in seconds, "valid/total" in valid.
func summaryCells(s Summary) []string {
	return []string{"mean", "", "", fnum(s.MeanGapPct, 3), "", fnum(s.MedianSeconds, 1), fmt.Sprintf("%d/%d", s.Valid, s.Total)}
}

// WriteCSV writes the header, one line per row and a summary line (see
// summaryCells). Fields never contain commas.
func WriteCSV(w io.Writer, rows []Row) error {
	var b strings.Builder
	b.WriteString(strings.Join(Header, ",") + "\n")
	for _, r := range rows {
		b.WriteString(strings.Join(cells(r), ",") + "\n")
	}
	b.WriteString(strings.Join(summaryCells(Summarize(rows)), ",") + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteTable writes the same content aligned for people, with invalid rows'
// reasons listed below the table.
func WriteTable(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(Header, "\t")+"\t")
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(cells(r), "\t")+"\t")
	}
	fmt.Fprintln(tw, strings.Join(summaryCells(Summarize(rows)), "\t")+"\t")
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range rows {
		if !r.Valid {
			fmt.Fprintf(w, "%s: invalid: %s\n", r.Instance, r.Problem)
		}
	}
	return nil
}
