package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/gocarina/gocsv"
	"github.com/spf13/cobra"

	"github.com/rlplan/rlplan/planner/trace"
)

func init() { registerCommand(newReconcileCmd) }

// discrepanciesFound is the outcome of a reconciliation that found
// discrepancies: the outputs are written and the exit code is 1.
type discrepanciesFound struct {
	n    int64
	file string
}

func (e discrepanciesFound) Error() string {
	return fmt.Sprintf("%d discrepancies between the scans and the plan; see %s", e.n, e.file)
}

func (e discrepanciesFound) ExitCode() int { return 1 }

// reconcileOptions holds the flags of the reconcile command.
type reconcileOptions struct {
	in                                                   inputFlags
	planDir, scansPath, invPath, outDir, tempDir, format string
	force                                                bool
	opt                                                  trace.ReconcileOptions
	memoryMiB                                            int64
}

const reconcileLong = `Check every scan event of --scans (pack_code,event,place_id,time,kg; event pickup or
receipt; time RFC 3339) against the plan in --plan and, when given, the outlet inventory.
Each discrepancy is one row of discrepancies.csv with the rule it breaks:

  custody_gap             picked up, not received within --receipt-within
  received_not_picked     received at a plant without a pickup scan
  unplanned_pickup        picked up where or when the plan has no stop
  overdue_pickup          a stop picked up so late the outlet passed its storage limit
  weight_mismatch         weights differ by more than --kg-tolerance / --kg-share
  duplicate_code          one code scanned as two packs
  malformed_code          not a GB/T 34014 pack code
  unknown_code            a well-formed code in no outlet's inventory (with an inventory)
  wrong_consignee         received elsewhere than the plant of its trip
  receipt_before_pickup   received before it was picked up
  picked_at_other_outlet  picked up at an outlet other than the one holding it (inventory)
  unknown_place           scanned at a place the plan does not know

Writes discrepancies.csv, discrepancies.geojson (a point per discrepancy) and
reconcile_summary.csv (per plant and outlet) to --out (default: the plan folder) and
prints a summary per plant and outlet. Exit code 0 when the scans agree with the plan,
1 when there are discrepancies, 3 when a file cannot be read.

The scan file is streamed: memory holds the plan and at most --memory MiB of events; a
larger file is split by pack code into temporary partitions (--temp-dir). The inventory
defaults to inventory.csv in the plan folder when there is one (--inventory none: no
inventory).`

func newReconcileCmd(a *app) *cobra.Command {
	o := &reconcileOptions{}
	cmd := &cobra.Command{
		Use:   "reconcile --plan DIR --scans FILE",
		Short: "Check scan events (pickups at outlets, receipts at plants) against a written plan",
		Long:  reconcileLong,
		Example: `  rlplan plan --region CN-SH --out out/sh && rlplan trace simulate out/sh && rlplan reconcile --plan out/sh --scans out/sh/scans.csv
  rlplan reconcile --plan out/sh --scans out/sh/scans.csv --inventory none --receipt-within 48h
  rlplan reconcile --plan out/sh --scans out/sh/scans.csv --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(cmd, a)
		},
	}
	o.in.registerFiles(cmd.Flags(), inOutlets|inPlants|inFleet) // the places the plan was made on
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "text", "summary on stdout: text or json")
	f.StringVar(&o.planDir, "plan", "", "plan folder written by rlplan plan or rlplan routes")
	f.StringVar(&o.scansPath, "scans", "", "scan events CSV: pack_code,event,place_id,time,kg")
	f.StringVar(&o.invPath, "inventory", "", "outlet inventory CSV (default: inventory.csv of the plan folder if present; none: no inventory)")
	f.StringVarP(&o.outDir, "out", "o", "", "output folder (default: the plan folder)")
	f.BoolVar(&o.force, "force", false, "replace files of the same names that rlplan did not write")
	f.DurationVar(&o.opt.ReceiptWithin, "receipt-within", 24*time.Hour, "longest time from pickup to receipt")
	f.DurationVar(&o.opt.PickupTolerance, "pickup-tolerance", 2*time.Hour, "how early or late a pickup may be around its stop's planned times")
	f.Float64Var(&o.opt.KgTolerance, "kg-tolerance", 1, "weight difference allowed, kg (the larger of this and --kg-share applies)")
	f.Float64Var(&o.opt.KgShare, "kg-share", 0.02, "weight difference allowed, share of the pack's weight")
	f.Int64Var(&o.memoryMiB, "memory", 512, "memory budget for scan events, MiB; larger files are partitioned on disk")
	f.StringVar(&o.tempDir, "temp-dir", "", "folder for the partitions of a large scan file (default: the system's)")
	return cmd
}

// run reconciles the scans with the plan, writes the output files and
// prints the summary; discrepancies are a discrepanciesFound error.
func (o *reconcileOptions) run(cmd *cobra.Command, a *app) error {
	if err := o.validate(); err != nil {
		return err
	}
	p, _, err := planFolder(cmd.Context(), a, &o.in, o.planDir)
	if err != nil {
		return err
	}
	scans, closeScans, err := trace.OpenInput(o.scansPath)
	if err != nil {
		return inputError{err}
	}
	defer closeScans()
	if scans.Size < 0 {
		a.log.Warn("the size of the scan file is unknown (a pipe?): it is checked in memory; give a regular file to bound memory by --memory", "file", o.scansPath)
	}
	inv, closeInv, err := o.openInventory(a)
	if err != nil {
		return err
	}
	defer closeInv()
	o.opt.MemoryBytes, o.opt.TempDir = o.memoryMiB<<20, o.tempDir
	o.opt.Warn = func(s string) { a.log.Warn(s) }
	// Keep the heap near the budget: the collector works harder
	// instead of letting garbage double the peak.
	prev := debug.SetMemoryLimit(o.opt.MemoryBytes + 64<<20)
	defer debug.SetMemoryLimit(prev)
	start := time.Now()
	res, err := trace.Reconcile(cmd.Context(), p, scans, inv, o.opt)
	if err != nil {
		return inputErr(err)
	}
	defer res.Close()
	a.log.Info("reconciled", "events", res.Events, "partitions", res.Partitions, "elapsed", time.Since(start).Round(time.Millisecond))
	if err := o.write(a, res, inv); err != nil {
		return err
	}
	if res.Discrepancies > 0 {
		return discrepanciesFound{res.Discrepancies, filepath.Join(o.outDir, trace.DiscrepanciesCSV)}
	}
	return nil
}

// validate checks the flags and turns them into the library's options: the
// library reads zero as "the default" and a negative value as "none"; on
// the command line 0 means none. --out defaults to the plan folder.
func (o *reconcileOptions) validate() error {
	if o.planDir == "" || o.scansPath == "" {
		return usageErrorf("--plan DIR and --scans FILE are required")
	}
	if o.format != "text" && o.format != "json" {
		return usageErrorf("--format %q: want text or json", o.format)
	}
	opt := &o.opt
	if err := firstErr(flagNonNegative("kg-tolerance", opt.KgTolerance, "a mass", " kg"), flagRange("kg-share", opt.KgShare, 0, 0.5, "a share"),
		flagRange("memory", float64(o.memoryMiB), 16, 1<<20, "a budget in MiB")); err != nil {
		return err
	}
	if opt.ReceiptWithin <= 0 {
		return usageErrorf("--receipt-within %v: want a duration > 0", opt.ReceiptWithin)
	}
	if opt.PickupTolerance < 0 {
		return usageErrorf("--pickup-tolerance %v: want a duration >= 0", opt.PickupTolerance)
	}
	for _, v := range []*float64{&opt.KgTolerance, &opt.KgShare} {
		if *v == 0 {
			*v = -1
		}
	}
	if opt.PickupTolerance == 0 {
		opt.PickupTolerance = -1
	}
	if o.outDir == "" {
		o.outDir = o.planDir
	}
	return nil
}

// openInventory opens --inventory, by default the plan folder's
// inventory.csv when there is one; with --inventory none, or no default
// file, the Input is empty. The returned function closes the file.
func (o *reconcileOptions) openInventory(a *app) (trace.Input, func() error, error) {
	var inv trace.Input
	switch {
	case o.invPath == "none":
	case o.invPath == "":
		def := filepath.Join(o.planDir, inventoryFile)
		if _, err := os.Stat(def); err == nil {
			o.invPath = def
			a.log.Info("inventory", "file", def)
		}
	}
	if o.invPath == "" || o.invPath == "none" {
		return inv, func() error { return nil }, nil
	}
	i, closeInv, err := trace.OpenInput(o.invPath)
	if err != nil {
		return inv, nil, inputError{err}
	}
	return i, closeInv, nil
}

// write adds the reconciliation's files to the output folder, then prints
// the summary (text or JSON) on stdout and what was written on stdout, or
// on stderr with --format json so that stdout holds the JSON only.
func (o *reconcileOptions) write(a *app, res *trace.Result, inv trace.Input) error {
	err := addFiles(o.outDir, "reconcile", o.force, map[string]func(io.Writer) error{
		trace.DiscrepanciesCSV:     res.WriteDiscrepancies,
		trace.DiscrepanciesGeoJSON: res.WriteLayer,
		trace.ReconcileSummaryCSV:  func(w io.Writer) error { return writeSummaryCSV(w, res.SummaryRecords()) },
	})
	if err != nil {
		return err
	}
	if o.format == "json" {
		if err := writeReconcileJSON(a.stdout, res, o.outDir); err != nil {
			return err
		}
	} else if err := res.WriteSummary(a.stdout); err != nil {
		return err
	}
	msgs := a.stdout
	if o.format == "json" {
		msgs = a.stderr
	}
	if inv.R != nil {
		fmt.Fprintf(msgs, "Inventory: %s.\n", inv.Name)
	}
	fmt.Fprintf(msgs, "Wrote %s, %s and %s to %s.\n", trace.DiscrepanciesCSV, trace.DiscrepanciesGeoJSON, trace.ReconcileSummaryCSV, o.outDir)
	return nil
}

func writeSummaryCSV(w io.Writer, recs []trace.SummaryRecord) error {
	if len(recs) == 0 {
		_, err := io.WriteString(w, "kind,id,stops,planned_packs,picked,received,discrepancies,rules\n")
		return err
	}
	return gocsv.Marshal(recs, w)
}
