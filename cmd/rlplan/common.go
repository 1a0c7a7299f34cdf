package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/gocarina/gocsv"
	"github.com/spf13/pflag"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/internal/atomicfile"
	"github.com/rlplan/rlplan/planner"
	"github.com/rlplan/rlplan/planner/domain"
)

// inputFlags are the flags that replace embedded inputs and select
// provinces; inputs.go registers the ones a command reads.
type inputFlags struct {
	paths      planner.InputPaths
	candidates string // candidate sites (site, plan)
	roads      string // road matrix (routes, plan)
	regions    []string
	proj       planner.Registrations
	uses       inputSet       // the inputs registered, and read by load
	fs         *pflag.FlagSet // where they were registered: which were given
}

// registrationFlags registers the projection of registrations past the
// stock's newest model year.
func registrationFlags(fs *pflag.FlagSet, r *planner.Registrations) {
	d := planner.DefaultRegistrations
	fs.IntVar(&r.Until, "registrations-until", 0, fmt.Sprintf("project registrations after the stock's newest model year up to this model year (each city and vehicle type repeats its newest cohort); 0 = none (default: %d on the embedded stock, none for a --stock file)", d.Until))
	fs.Float64Var(&r.GrowthPct, "registrations-growth", 0, fmt.Sprintf("yearly change of projected registrations, percent (default: %g on the embedded stock)", d.GrowthPct))
}

func (f *inputFlags) load(ctx context.Context, a *app) (*planner.Inputs, planner.Regions, error) {
	l := &planner.Loader{Defaults: datasets.FS, Warn: func(s string) { a.log.Warn(s) }, Need: f.uses.need()}
	in, err := l.LoadContext(ctx, f.paths)
	if err != nil {
		return nil, planner.Regions{}, err
	}
	reg, err := planner.ParseRegions(in, f.regions)
	if err != nil {
		return nil, reg, usageError{fmt.Errorf("--%w", err)}
	}
	for _, m := range domain.FindingsIn(in.Findings, reg, f.uses.findingInputs()...) {
		a.log.Warn(m)
	}
	if f.paths.Stock == "" && f.fs != nil {
		// The embedded stock comes with its own projection; flags override it.
		p := planner.DefaultRegistrations
		if f.fs.Changed("registrations-until") {
			p.Until = f.proj.Until
		}
		if f.fs.Changed("registrations-growth") {
			p.GrowthPct = f.proj.GrowthPct
		}
		f.proj = p
	}
	if _, err := planner.ProjectRegistrations(in, f.proj); err != nil {
		return nil, reg, projectionFlagError(err)
	}
	return in, reg, nil
}

// projectionFlagError names the flag behind a projection error.
func projectionFlagError(err error) error {
	var pe *planner.ProjectionError
	if !errors.As(err, &pe) {
		return err
	}
	flag := map[string]string{"until": "--registrations-until", "growth_pct": "--registrations-growth"}[pe.Key]
	return usageErrorf("%s %s", flag, pe.Msg)
}

// warnMissing warns when year's retirements leave out vehicles registered
// after the stock ends and no projection adds them.
func (f *inputFlags) warnMissing(a *app, in *planner.Inputs, reg planner.Regions, year int) {
	if f.proj.On() {
		return
	}
	if m := planner.MissingCohorts(in, year, reg.Keep); m != "" {
		a.log.Warn(m)
	}
}

// loadGrid loads the inputs and builds the density grid of a year.
func (f *inputFlags) loadGrid(ctx context.Context, a *app, year, res int) (*planner.Inputs, planner.Regions, []planner.DensityCell, error) {
	in, reg, err := f.load(ctx, a)
	if err != nil {
		return nil, reg, nil, err
	}
	f.warnMissing(a, in, reg, year)
	cells, err := planner.Density(ctx, in, year, res, reg)
	return in, reg, cells, flagSettings(err)
}

// settingFlags name, for the commands with input flags, the flag that sets
// each setting a planner.TooLargeError asks to change.
var settingFlags = map[planner.Setting]string{
	planner.SettingResolution: "--res", planner.SettingRegions: "--region",
	planner.SettingRadius: "--radius-km", planner.SettingMaxCandidates: "--max-candidates",
}

// flagSettings renders a planner.TooLargeError with the flags to change;
// other errors pass unchanged.
func flagSettings(err error) error {
	var tl *planner.TooLargeError
	if !errors.As(err, &tl) {
		return err
	}
	return codedError{code: exitUsage, err: errors.New(tl.Explain(func(s planner.Setting) string {
		if f, ok := settingFlags[s]; ok {
			return f
		}
		return string(s)
	}))}
}

// codedError is an error with its exit code, printed without usage help.
type codedError struct {
	code int
	err  error
}

func (e codedError) Error() string { return e.err.Error() }
func (e codedError) Unwrap() error { return e.err }
func (e codedError) ExitCode() int { return e.code }

// outputFlags select a format and a destination.
type outputFlags struct {
	format string
	out    string
	force  bool
}

func (o *outputFlags) register(fs *pflag.FlagSet, formats ...string) {
	fs.StringVar(&o.format, "format", formats[0], "output format: "+strings.Join(formats, ", "))
	fs.StringVarP(&o.out, "output", "o", "", "write to this file instead of stdout (written atomically; an existing file only if rlplan wrote it, see --force)")
	fs.BoolVar(&o.force, "force", false, "replace the -o file even if rlplan did not write it")
}

func (o *outputFlags) check(formats ...string) error {
	for _, f := range formats {
		if o.format == f {
			return nil
		}
	}
	return usageErrorf("--format %q: want one of %s", o.format, strings.Join(formats, ", "))
}

// emit writes through fn to stdout or atomically to the -o file, which it
// replaces only if rlplan wrote it (or with --force).
func (o *outputFlags) emit(a *app, fn func(io.Writer) error) error {
	if o.out == "" || o.out == "-" {
		return fn(a.stdout)
	}
	return writeOutputFile(a, o.out, o.force, fn)
}

// writeOutputFile writes one output file atomically, refusing to replace a
// file rlplan did not write unless force (atomicfile.WriteOwned); the file
// is recorded in its folder's .rlplan-manifest.json.
func writeOutputFile(a *app, path string, force bool, fn func(io.Writer) error) error {
	return atomicfile.WriteOwned(path, fn, atomicfile.Options{By: a.command, Force: force})
}

// writeRecords writes a slice of tagged structs as an aligned table, CSV
// (gocsv) or JSON. The CSV form defines the columns of the table form.
func writeRecords(w io.Writer, format string, records any) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(records)
	case "csv":
		return gocsv.Marshal(records, w)
	case "table":
		var buf bytes.Buffer
		if err := gocsv.Marshal(records, &buf); err != nil {
			return err
		}
		return csvToTable(w, buf.Bytes())
	}
	return fmt.Errorf("unknown format %q", format)
}

// csvToTable renders CSV as right-aligned columns for a terminal.
func csvToTable(w io.Writer, data []byte) error {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', tabwriter.AlignRight)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t")+"\t")
	}
	return tw.Flush()
}

func roundTo(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}
