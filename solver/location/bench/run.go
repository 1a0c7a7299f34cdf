package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
	"github.com/rlplan/rlplan/solver/location/validate"
)

// Problem turns the instance into a p-median location.Problem: every vertex
// is a demand of weight 1 and a candidate site; unreachable pairs are not
// listed.
func (p *PMed) Problem() *location.Problem {
	pr := &location.Problem{
		Objective:  location.PMedian,
		Weights:    make([]float64, p.N),
		Facilities: make([]location.Facility, p.N),
		P:          p.P,
	}
	for j := range pr.Weights {
		pr.Weights[j] = 1
	}
	pr.Dist = location.DenseDistances(p.Dist, math.MaxFloat64)
	return pr
}

// TableCapacity lists the capacities of Beasley's (1988) Table 1 for the
// template files, used when optimal.csv names none.
var TableCapacity = map[string][]float64{
	"capa": {8000, 10000, 12000, 14000},
	"capb": {5000, 6000, 7000, 8000},
	"capc": {5000, 5750, 6500, 7250},
}

// Problem turns the instance into a FacilityLocation problem. With
// capacitated false the capacities are ignored (UFL) and each customer has
// weight 1 with distance = its allocation cost. With capacitated true the
// weight is the demand and the distance the unit cost (allocation cost /
// demand), so splitting follows the multi-source CFLP; capacity replaces
// the word "capacity" of a template file and is ignored otherwise.
func (c *Cap) Problem(capacitated bool, capacity float64) (*location.Problem, error) {
	pr := &location.Problem{
		Objective:  location.FacilityLocation,
		Weights:    make([]float64, c.N),
		Facilities: make([]location.Facility, c.M),
	}
	for i := range pr.Facilities {
		pr.Facilities[i].FixedCost = c.Fixed[i]
		if capacitated {
			switch {
			case c.Capacity != nil:
				pr.Facilities[i].Capacity = c.Capacity[i]
			case capacity > 0:
				pr.Facilities[i].Capacity = capacity
			default:
				return nil, fmt.Errorf("%s: template file needs a capacity (e.g. %s@8000)", c.Name, stem(c.Name))
			}
			if pr.Facilities[i].Capacity == 0 {
				return nil, fmt.Errorf("%s: warehouse %d has capacity 0, which location.Problem reads as uncapacitated", c.Name, i+1)
			}
		}
	}
	m := make([][]float64, c.N)
	for j := range m {
		row := make([]float64, c.M)
		if !capacitated {
			pr.Weights[j] = 1
			copy(row, c.Cost[j])
		} else {
			d := c.Demand[j]
			if d <= 0 {
				return nil, fmt.Errorf("%s: customer %d has demand %v: allocation costs need a positive demand to become unit costs", c.Name, j+1, d)
			}
			pr.Weights[j] = d
			for i, v := range c.Cost[j] {
				row[i] = v / d
			}
		}
		m[j] = row
	}
	pr.Dist = location.DenseDistances(m, math.MaxFloat64)
	return pr, nil
}

// Row is one benchmark result.
type Row struct {
	Instance string
	Cost     float64
	Optimum  float64 // NaN when optimal.csv has no value
	GapPct   float64 // 100·(cost-optimum)/optimum; NaN without optimum
	Bound    float64 // the solver's own bound; NaN when it has none
	// BoundGapPct is the solver's own gap in percent (100·Result.Gap): how
	// far from proven the answer is without knowing the optimum; NaN
	// without a bound.
	BoundGapPct float64
	Seconds     float64
	Status      solver.Status
}

// Options selects the set, folder and solver settings of Run.
type Options struct {
	Set      string // pmed, cflp or ufl
	Dir      string
	Settings location.Settings
	// Progress, when not nil, is called after each instance.
	Progress func(Row)
}

type job struct {
	name     string
	file     string
	capacity float64
	optimum  float64
}

// Run solves every instance of the folder (each with its own time limit)
// and returns one row per instance, in natural name order. An instance file
// without an optimum is still solved; its gap is NaN.
func Run(ctx context.Context, o Options) ([]Row, error) {
	if o.Set != "pmed" && o.Set != "cflp" && o.Set != "ufl" {
		return nil, fmt.Errorf("set %q unknown, want pmed, cflp or ufl", o.Set)
	}
	opt := map[string][]Optimum{}
	optPath := filepath.Join(o.Dir, "optimal.csv")
	if f, err := os.Open(optPath); err == nil {
		rows, err := ReadOptimal(f, optPath)
		f.Close()
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			opt[r.Instance] = append(opt[r.Instance], r)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	entries, err := os.ReadDir(o.Dir)
	if err != nil {
		return nil, err
	}
	var jobs []job
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".txt") {
			continue
		}
		st := strings.TrimSuffix(name, ".txt")
		if o.Set == "pmed" && !strings.HasPrefix(st, "pmed") || o.Set != "pmed" && !strings.HasPrefix(st, "cap") {
			continue
		}
		path := filepath.Join(o.Dir, name)
		_, isTemplate := TableCapacity[st]
		if o.Set == "cflp" && isTemplate {
			var caps []Optimum
			for _, r := range opt[st] {
				if r.Template {
					caps = append(caps, r)
				}
			}
			if len(caps) == 0 {
				for _, c := range TableCapacity[st] {
					caps = append(caps, Optimum{Instance: st, Capacity: c, Template: true, Value: math.NaN(),
						Name: st + "@" + strconv.FormatFloat(c, 'f', -1, 64)})
				}
			}
			for _, r := range caps {
				jobs = append(jobs, job{name: r.Name, file: path, capacity: r.Capacity, optimum: r.Value})
			}
			continue
		}
		v := math.NaN()
		for _, r := range opt[st] {
			if !r.Template {
				v = r.Value
			}
		}
		jobs = append(jobs, job{name: st, file: path, optimum: v})
	}
	slices.SortStableFunc(jobs, func(a, b job) int {
		if c := natCompare(stem(a.name), stem(b.name)); c != 0 {
			return c
		}
		switch {
		case a.capacity < b.capacity:
			return -1
		case a.capacity > b.capacity:
			return 1
		}
		return 0
	})
	var out []Row
	for _, jb := range jobs {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		row, err := runOne(ctx, o, jb)
		if err != nil {
			return out, err
		}
		out = append(out, row)
		if o.Progress != nil {
			o.Progress(row)
		}
	}
	return out, nil
}

func runOne(ctx context.Context, o Options, jb job) (Row, error) {
	f, err := os.Open(jb.file)
	if err != nil {
		return Row{}, err
	}
	defer f.Close()
	t0 := time.Now()
	var pr *location.Problem
	switch o.Set {
	case "pmed":
		inst, err := ReadPMed(f, jb.file)
		if err != nil {
			return Row{}, err
		}
		pr = inst.Problem()
	default:
		inst, err := ReadCap(f, jb.file)
		if err != nil {
			return Row{}, err
		}
		if pr, err = inst.Problem(o.Set == "cflp", jb.capacity); err != nil {
			return Row{}, err
		}
	}
	// The time limit covers the whole instance: reading and shortest paths
	// count too (at least a tenth of it is left for the search).
	set := o.Settings
	if set.TimeLimit > 0 {
		set.TimeLimit = max(set.TimeLimit-time.Since(t0), set.TimeLimit/10)
	}
	res, err := location.Solve(ctx, pr, &set)
	if err != nil {
		return Row{}, fmt.Errorf("%s: %w", jb.name, err)
	}
	elapsed := time.Since(t0).Seconds()
	// Every result goes through the independent validator: a failure is a
	// solver bug, reported rather than scored.
	if err := validate.Check(pr, res); err != nil {
		return Row{}, fmt.Errorf("%s: the solver's result fails validation: %w", jb.name, err)
	}
	row := Row{Instance: jb.name, Cost: res.Cost, Optimum: jb.optimum, Bound: math.NaN(), BoundGapPct: math.NaN(),
		Seconds: elapsed, Status: res.Status, GapPct: math.NaN()}
	if res.HasBound {
		row.Bound, row.BoundGapPct = res.Bound, 100*res.Gap
	}
	if !math.IsNaN(jb.optimum) && jb.optimum != 0 {
		row.GapPct = 100 * (res.Cost - jb.optimum) / jb.optimum
		// Optima are printed to 3 decimals: within 1e-6 relative is a hit.
		if math.Abs(row.GapPct) <= 1e-4 {
			row.GapPct = 0
		}
	}
	return row, nil
}

func stem(name string) string {
	name = strings.TrimSuffix(filepath.Base(name), ".txt")
	s, _, _ := strings.Cut(name, "@")
	return s
}

// natCompare orders "pmed2" before "pmed10".
func natCompare(a, b string) int {
	pa, na := splitNum(a)
	pb, nb := splitNum(b)
	if c := strings.Compare(pa, pb); c != 0 {
		return c
	}
	switch {
	case na < nb:
		return -1
	case na > nb:
		return 1
	}
	return strings.Compare(a, b)
}

func splitNum(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, err := strconv.Atoi(s[i:])
	if err != nil {
		return s, -1
	}
	return s[:i], n
}

// Write prints the rows as an aligned table or CSV
// (instance,cost,optimum,gap_pct,bound,bound_gap_pct,seconds,status)
// followed by the mean gap over the rows that have an optimum, and the mean
// of the solver's own gaps.
func Write(w io.Writer, rows []Row, format string) error {
	if format != "table" && format != "csv" {
		return fmt.Errorf("format %q unknown, want table or csv", format)
	}
	num := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	fix := func(v float64, d int) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', d, 64)
	}
	sum, cnt := 0.0, 0
	bsum, bcnt, proven := 0.0, 0, 0
	lines := [][]string{{"instance", "cost", "optimum", "gap_pct", "bound", "bound_gap_pct", "seconds", "status"}}
	for _, r := range rows {
		if !math.IsNaN(r.GapPct) {
			sum += r.GapPct
			cnt++
		}
		if !math.IsNaN(r.BoundGapPct) {
			bsum += r.BoundGapPct
			bcnt++
		}
		if r.Status == solver.Optimal {
			proven++
		}
		lines = append(lines, []string{r.Instance, fix(r.Cost, 3), num(r.Optimum), fix(r.GapPct, 4), fix(r.Bound, 3),
			fix(r.BoundGapPct, 4), fix(r.Seconds, 2), r.Status.String()})
	}
	mean, bmean := math.NaN(), math.NaN()
	if cnt > 0 {
		mean = sum / float64(cnt)
	}
	if bcnt > 0 {
		bmean = bsum / float64(bcnt)
	}
	if format == "csv" {
		for _, l := range lines {
			if _, err := fmt.Fprintln(w, strings.Join(l, ",")); err != nil {
				return err
			}
		}
		_, err := fmt.Fprintf(w, "# mean_gap_pct,%s,instances,%d,mean_bound_gap_pct,%s,proven_optimal,%d\n", fix(mean, 4), cnt, fix(bmean, 4), proven)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, l := range lines {
		fmt.Fprintln(tw, strings.Join(l, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "mean gap %s %% over %d instances with an optimum; the solver's own bound: mean gap %s %%, %d proven optimal\n",
		fix(mean, 4), cnt, fix(bmean, 4), proven)
	return err
}
