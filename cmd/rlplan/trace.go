package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gocarina/gocsv"
	"github.com/spf13/cobra"

	"github.com/rlplan/rlplan/planner"
	"github.com/rlplan/rlplan/planner/trace"
)

// Chain of custody commands: manifests, trace simulate (sample inventory
// and scans) and reconcile (scans against the plan, in reconcile.go).

func init() {
	registerCommand(newManifestsCmd)
	registerCommand(newTraceCmd)
}

// planFolder loads a written plan with the inputs it was planned on.
func planFolder(ctx context.Context, a *app, in *inputFlags, dir string) (*trace.Plan, *planner.Inputs, error) {
	inputs, _, err := in.load(ctx, a)
	if err != nil {
		return nil, nil, err
	}
	places := trace.Places{Outlets: inputs.Outlets, Plants: inputs.Plants, Fleet: inputs.Fleet}
	p, err := trace.LoadPlanDir(dir, places, func(s string) { a.log.Warn(s) })
	if err != nil {
		var se *trace.SheetError
		if errors.As(err, &se) {
			return nil, nil, fmt.Errorf("%w (was the plan made with other inputs? give them with --outlets, --plants, --fleet)", err)
		}
		return nil, nil, inputError{err}
	}
	return p, inputs, nil
}

// inputErr marks plain errors about input files as input errors (exit 3);
// typed errors keep their own exit code.
func inputErr(err error) error {
	var ec exitCoder
	if err == nil || errors.As(err, &ec) {
		return err
	}
	return inputError{err}
}

func newManifestsCmd(a *app) *cobra.Command {
	var in inputFlags
	var invPath, outDir string
	var force bool
	cmd := &cobra.Command{
		Use:   "manifests DIR",
		Short: "Write the transfer manifests of a written plan, with the pack codes due when an inventory is given",
		Long: `Write one transfer manifest per trip of the route sheet in DIR (written by rlplan plan
or rlplan routes): the consignor outlets in stop order, the consignee plant, the truck,
its driver slot and planned times, the UN 3480 class 9 declaration, packs and kg per stop.

With --inventory (an outlet inventory: outlet_id,pack_code,chemistry or vehicle_type,kg,
received), each stop also lists the pack codes due: the packs the outlet holds when the
truck arrives, oldest first, within the truck's capacity in kg and packs (keeping room for
its later stops). Every pack code is checked against GB/T 34014; a bad one is an error
with file and line.

Writes manifests.csv (one row per stop), manifest_packs.csv (one row per code due, with an
inventory) and manifests/ (one printable HTML page per truck-day, A4, one trip per page,
offline; index.html lists them) to --out (default DIR). The trucks, plants, outlets and
their rates come from DIR's plan.json; the inputs (embedded unless given with --outlets,
--plants, as for plan) only name the places.`,
		Example: `  rlplan plan --region CN-SH --out out/sh && rlplan manifests out/sh
  rlplan trace simulate out/sh && rlplan manifests out/sh --inventory out/sh/inventory.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if outDir == "" {
				outDir = dir
			}
			p, inputs, err := planFolder(cmd.Context(), a, &in, dir)
			if err != nil {
				return err
			}
			var inv *trace.Inventory
			if invPath != "" {
				chk := trace.InventoryChecks{Outlet: func(id string) bool { _, ok := p.Outlets[id]; return ok }, VehicleTypes: inputs.VehicleTypes}
				if inv, err = trace.ReadInventory(invPath, chk, func(s string) { a.log.Warn(s) }); err != nil {
					return inputErr(err)
				}
				a.log.Info("inventory", "packs", inv.String())
			}
			ms := trace.Manifests(p, inv)
			files, err := trace.ManifestFiles(ms, inv != nil, p.Title())
			if err != nil {
				return err
			}
			if err := addBytes(outDir, "manifests", force, files); err != nil {
				return err
			}
			var due, left int
			for _, m := range ms {
				due += m.DuePacks
				for _, s := range m.Stops {
					left += s.Left
				}
			}
			fmt.Fprintf(a.stdout, "%d manifests (trips) on %d truck-days written to %s (manifests.csv, manifests/index.html).\n",
				len(ms), countPages(files)-1, outDir)
			if inv != nil {
				fmt.Fprintf(a.stdout, "%d pack codes due from %s; %d packs present at visited outlets left for lack of room.\n", due, invPath, left)
			}
			return nil
		},
	}
	in.registerFiles(cmd.Flags(), inOutlets|inPlants|inFleet) // the places the plan was made on
	cmd.Flags().StringVar(&invPath, "inventory", "", "outlet inventory CSV (outlet_id,pack_code,chemistry|vehicle_type,kg,received): list the codes due")
	cmd.Flags().StringVarP(&outDir, "out", "o", "", "output folder (default: DIR)")
	cmd.Flags().BoolVar(&force, "force", false, "replace files of the same names that rlplan did not write")
	return cmd
}

func countPages(files map[string][]byte) int {
	n := 0
	for name := range files {
		if strings.HasPrefix(name, trace.ManifestsDir+"/") {
			n++
		}
	}
	return n
}

func newTraceCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "trace", Short: "Chain-of-custody tools: sample inventories and scan files",
		Example: `  rlplan plan --region CN-SH --out out/sh && rlplan trace simulate out/sh`}
	cmd.AddCommand(newSimulateCmd(a))
	return cmd
}

// Files trace simulate writes.
const (
	inventoryFile = "inventory.csv"
	scansFile     = "scans.csv"
	faultsFile    = "faults.csv"
)

func newSimulateCmd(a *app) *cobra.Command {
	var in inputFlags
	var outDir string
	var seed uint64
	var scale int
	var faults []string
	var force bool
	cmd := &cobra.Command{
		Use:   "simulate DIR",
		Short: "Write the inventory and the scan events of a faultless week of a written plan (optionally with faults)",
		Long: `Write, for the plan in DIR, what a week of faultless operation would record:
inventory.csv, the packs at the outlets (those the trucks collect and those waiting at
outlets without a stop this week), and scans.csv, a pickup scan at the outlet and a receipt
scan at the plant for every pack carried (pack_code,event,place_id,time,kg; RFC 3339 times).
Pack codes are synthetic but valid GB/T 34014 codes (manufacturer codes S01-S09).

--faults injects faults, one of each named, each on its own stop, and writes faults.csv
with the rule rlplan reconcile must report for each:
  lost       a receipt is missing                       (custody_gap)
  weight     a receipt weighs 10 % more                 (weight_mismatch)
  unplanned  a pack picked at an outlet without a stop  (unplanned_pickup)
  duplicate  a second pack with another pack's code     (duplicate_code)
  malformed  a code missing its last character          (malformed_code)
  overdue    a stop picked up days late, overfilling    (overdue_pickup)

The same plan and seed give the same files. Existing files are kept unless --force.`,
		Example: `  rlplan plan --region CN-SH --out out/sh && rlplan trace simulate out/sh
  rlplan trace simulate out/sh --faults lost,weight,unplanned,duplicate,malformed,overdue -o out/sh-faulty`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if scale < 1 || scale > 10000 {
				return usageErrorf("--scale %d: want a factor from 1 to 10000", scale)
			}
			var names []string
			for _, f := range faults {
				for _, part := range strings.Split(f, ",") {
					if part = strings.TrimSpace(part); part != "" {
						names = append(names, part)
					}
				}
			}
			for _, n := range names {
				ok := false
				for _, k := range trace.FaultKinds {
					ok = ok || k.Name == n
				}
				if !ok {
					return usageErrorf("--faults %q: want lost, weight, unplanned, duplicate, malformed or overdue", n)
				}
			}
			dir := args[0]
			if outDir == "" {
				outDir = dir
			}
			out := []string{inventoryFile, scansFile}
			if len(names) > 0 {
				out = append(out, faultsFile)
			}
			if !force {
				for _, n := range out {
					if _, err := os.Stat(filepath.Join(outDir, n)); err == nil {
						return fmt.Errorf("%s exists; use --force to overwrite it, or -o another folder", filepath.Join(outDir, n))
					}
				}
			}
			p, _, err := planFolder(cmd.Context(), a, &in, dir)
			if err != nil {
				return err
			}
			sim, err := trace.Simulate(p, trace.SimOptions{Seed: seed, Scale: scale, Faults: names})
			if err != nil {
				return err
			}
			inv, err := trace.NewInventory(sim.Inventory)
			if err != nil {
				return err
			}
			files := map[string]func(io.Writer) error{
				inventoryFile: func(w io.Writer) error { return gocsv.Marshal(inv.Records(), w) },
				scansFile:     func(w io.Writer) error { return trace.WriteScans(w, sim.Scans) },
			}
			if len(names) > 0 {
				files[faultsFile] = func(w io.Writer) error { return gocsv.Marshal(sim.Faults, w) }
			}
			if err := addFiles(outDir, "trace simulate", force, files); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%d packs at %d outlets (%s), %d scan events (%s) for %d trips.\n", len(sim.Inventory), countOutlets(sim.Inventory),
				filepath.Join(outDir, inventoryFile), len(sim.Scans), filepath.Join(outDir, scansFile), len(p.Trips))
			for _, f := range sim.Faults {
				fmt.Fprintf(a.stdout, "fault %-9s -> %-16s %s %s: %s\n", f.Kind, f.Rule, f.Place, f.Code, f.Detail)
			}
			if len(names) > 0 {
				fmt.Fprintf(a.stdout, "Faults listed in %s.\n", filepath.Join(outDir, faultsFile))
			}
			return nil
		},
	}
	in.registerFiles(cmd.Flags(), inOutlets|inPlants|inFleet) // the places the plan was made on
	f := cmd.Flags()
	f.Uint64Var(&seed, "seed", 1, "random seed: codes, chemistries, dates and which packs get the faults")
	f.IntVar(&scale, "scale", 1, "packs per planned pack at every stop (benchmarks; trucks then exceed their capacity)")
	f.StringSliceVar(&faults, "faults", nil, "faults to inject: lost, weight, unplanned, duplicate, malformed, overdue (comma-separated)")
	f.StringVarP(&outDir, "out", "o", "", "output folder (default: DIR)")
	f.BoolVar(&force, "force", false, "overwrite existing inventory.csv, scans.csv, faults.csv")
	return cmd
}

func countOutlets(packs []trace.Pack) int {
	seen := map[string]bool{}
	for _, p := range packs {
		seen[p.Outlet] = true
	}
	return len(seen)
}
