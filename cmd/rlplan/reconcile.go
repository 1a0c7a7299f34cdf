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

func newReconcileCmd(a *app) *cobra.Command {
	var in inputFlags
	var planDir, scansPath, invPath, outDir, tempDir, format string
	var force bool
	var opt trace.ReconcileOptions
	var memoryMiB int64
	cmd := &cobra.Command{
		Use:   "reconcile --plan DIR --scans FILE",
		Short: "Check scan events (pickups at outlets, receipts at plants) against a written plan",
		Long: `Check every scan event of --scans (pack_code,event,place_id,time,kg; event pickup or
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
inventory).`,
		Example: `  rlplan plan --out out/gd && rlplan trace simulate out/gd && rlplan reconcile --plan out/gd --scans out/gd/scans.csv
  rlplan reconcile --plan out/gd --scans out/gd/scans.csv --inventory none --receipt-within 48h
  rlplan reconcile --plan out/gd --scans out/gd/scans.csv --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if planDir == "" || scansPath == "" {
				return usageErrorf("--plan DIR and --scans FILE are required")
			}
			if format != "text" && format != "json" {
				return usageErrorf("--format %q: want text or json", format)
			}
			if err := firstErr(flagNonNegative("kg-tolerance", opt.KgTolerance, "a mass", " kg"), flagRange("kg-share", opt.KgShare, 0, 0.5, "a share"),
				flagRange("memory", float64(memoryMiB), 16, 1<<20, "a budget in MiB")); err != nil {
				return err
			}
			if opt.ReceiptWithin <= 0 {
				return usageErrorf("--receipt-within %v: want a duration > 0", opt.ReceiptWithin)
			}
			if opt.PickupTolerance < 0 {
				return usageErrorf("--pickup-tolerance %v: want a duration >= 0", opt.PickupTolerance)
			}
			// The library reads zero as "the default" and a negative value as
			// "none"; on the command line 0 means none.
			for _, v := range []*float64{&opt.KgTolerance, &opt.KgShare} {
				if *v == 0 {
					*v = -1
				}
			}
			if opt.PickupTolerance == 0 {
				opt.PickupTolerance = -1
			}
			if outDir == "" {
				outDir = planDir
			}
			p, _, err := planFolder(cmd.Context(), a, &in, planDir)
			if err != nil {
				return err
			}
			scans, closeScans, err := trace.OpenInput(scansPath)
			if err != nil {
				return inputError{err}
			}
			defer closeScans()
			if scans.Size < 0 {
				a.log.Warn("the size of the scan file is unknown (a pipe?): it is checked in memory; give a regular file to bound memory by --memory", "file", scansPath)
			}
			var inv trace.Input
			switch {
			case invPath == "none":
			case invPath == "":
				def := filepath.Join(planDir, inventoryFile)
				if _, err := os.Stat(def); err == nil {
					invPath = def
					a.log.Info("inventory", "file", def)
				}
			}
			if invPath != "" && invPath != "none" {
				i, closeInv, err := trace.OpenInput(invPath)
				if err != nil {
					return inputError{err}
				}
				defer closeInv()
				inv = i
			}
			opt.MemoryBytes, opt.TempDir = memoryMiB<<20, tempDir
			opt.Warn = func(s string) { a.log.Warn(s) }
			// Keep the heap near the budget: the collector works harder
			// instead of letting garbage double the peak.
			prev := debug.SetMemoryLimit(opt.MemoryBytes + 64<<20)
			defer debug.SetMemoryLimit(prev)
			start := time.Now()
			res, err := trace.Reconcile(cmd.Context(), p, scans, inv, opt)
			if err != nil {
				return inputErr(err)
			}
			defer res.Close()
			a.log.Info("reconciled", "events", res.Events, "partitions", res.Partitions, "elapsed", time.Since(start).Round(time.Millisecond))
			err = addFiles(outDir, "reconcile", force, map[string]func(io.Writer) error{
				trace.DiscrepanciesCSV:     res.WriteDiscrepancies,
				trace.DiscrepanciesGeoJSON: res.WriteLayer,
				trace.ReconcileSummaryCSV:  func(w io.Writer) error { return writeSummaryCSV(w, res.SummaryRecords()) },
			})
			if err != nil {
				return err
			}
			if format == "json" {
				if err := writeReconcileJSON(a.stdout, res, outDir); err != nil {
					return err
				}
			} else if err := res.WriteSummary(a.stdout); err != nil {
				return err
			}
			msgs := a.stdout // with --format json, stdout holds the JSON only
			if format == "json" {
				msgs = a.stderr
			}
			if inv.R != nil {
				fmt.Fprintf(msgs, "Inventory: %s.\n", inv.Name)
			}
			fmt.Fprintf(msgs, "Wrote %s, %s and %s to %s.\n", trace.DiscrepanciesCSV, trace.DiscrepanciesGeoJSON, trace.ReconcileSummaryCSV, outDir)
			if res.Discrepancies > 0 {
				return discrepanciesFound{res.Discrepancies, filepath.Join(outDir, trace.DiscrepanciesCSV)}
			}
			return nil
		},
	}
	in.registerFiles(cmd.Flags(), inOutlets|inPlants|inFleet) // the places the plan was made on
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "summary on stdout: text or json")
	f.StringVar(&planDir, "plan", "", "plan folder written by rlplan plan or rlplan routes")
	f.StringVar(&scansPath, "scans", "", "scan events CSV: pack_code,event,place_id,time,kg")
	f.StringVar(&invPath, "inventory", "", "outlet inventory CSV (default: inventory.csv of the plan folder if present; none: no inventory)")
	f.StringVarP(&outDir, "out", "o", "", "output folder (default: the plan folder)")
	f.BoolVar(&force, "force", false, "replace files of the same names that rlplan did not write")
	f.DurationVar(&opt.ReceiptWithin, "receipt-within", 24*time.Hour, "longest time from pickup to receipt")
	f.DurationVar(&opt.PickupTolerance, "pickup-tolerance", 2*time.Hour, "how early or late a pickup may be around its stop's planned times")
	f.Float64Var(&opt.KgTolerance, "kg-tolerance", 1, "weight difference allowed, kg (the larger of this and --kg-share applies)")
	f.Float64Var(&opt.KgShare, "kg-share", 0.02, "weight difference allowed, share of the pack's weight")
	f.Int64Var(&memoryMiB, "memory", 512, "memory budget for scan events, MiB; larger files are partitioned on disk")
	f.StringVar(&tempDir, "temp-dir", "", "folder for the partitions of a large scan file (default: the system's)")
	return cmd
}

func writeSummaryCSV(w io.Writer, recs []trace.SummaryRecord) error {
	if len(recs) == 0 {
		_, err := io.WriteString(w, "kind,id,stops,planned_packs,picked,received,discrepancies,rules\n")
		return err
	}
	return gocsv.Marshal(recs, w)
}
