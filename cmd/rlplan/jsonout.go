package main

import (
	"encoding/json"
	"io"
	"math"
	"time"

	"github.com/rlplan/rlplan/planner"
	"github.com/rlplan/rlplan/planner/trace"
	locbench "github.com/rlplan/rlplan/solver/location/bench"
	routebench "github.com/rlplan/rlplan/solver/routing/bench"
)

// JSON output: every command that prints a table also prints it as JSON
// with --format json (shapes in docs/json.md), indented, one document per
// run, numbers as numbers, unknown values as null.

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// num is a float that is null in JSON when not finite (a gap without a
// known optimum).
type num float64

func (n num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

type benchLocationJSON struct {
	Set        string                 `json:"set"`
	Instances  []benchLocationRowJSON `json:"instances"`
	MeanGapPct num                    `json:"mean_gap_pct"`
}

type benchLocationRowJSON struct {
	Instance string  `json:"instance"`
	Cost     float64 `json:"cost"`
	Optimum  num     `json:"optimum"`
	GapPct   num     `json:"gap_pct"`
	Bound    num     `json:"bound"`
	Seconds  float64 `json:"seconds"`
	Status   string  `json:"status"`
}

func writeBenchLocationJSON(w io.Writer, set string, rows []locbench.Row) error {
	out := benchLocationJSON{Set: set, Instances: []benchLocationRowJSON{}}
	var sum float64
	n := 0
	for _, r := range rows {
		out.Instances = append(out.Instances, benchLocationRowJSON{Instance: r.Instance, Cost: r.Cost, Optimum: num(r.Optimum), GapPct: num(r.GapPct),
			Bound: num(r.Bound), Seconds: math.Round(r.Seconds*1000) / 1000, Status: r.Status.String()})
		if !math.IsNaN(r.GapPct) {
			sum += r.GapPct
			n++
		}
	}
	out.MeanGapPct = num(math.NaN())
	if n > 0 {
		out.MeanGapPct = num(sum / float64(n))
	}
	return writeJSON(w, out)
}

type benchRoutingJSON struct {
	Set        string                `json:"set"`
	Instances  []benchRoutingRowJSON `json:"instances"`
	MeanGapPct num                   `json:"mean_gap_pct"` // over valid results with a best-known value
	Valid      int                   `json:"valid"`
	Total      int                   `json:"total"`
}

type benchRoutingRowJSON struct {
	Instance string  `json:"instance"`
	Cost     float64 `json:"cost"`
	BKS      num     `json:"bks"`
	GapPct   num     `json:"gap_pct"`
	Routes   int     `json:"routes"`
	Seconds  float64 `json:"seconds"`
	Valid    bool    `json:"valid"`
	Problem  string  `json:"problem"`
}

func writeBenchRoutingJSON(w io.Writer, set string, rows []routebench.Row) error {
	out := benchRoutingJSON{Set: set, Instances: []benchRoutingRowJSON{}, Total: len(rows)}
	var sum float64
	n := 0
	for _, r := range rows {
		bks := num(r.BKS)
		if r.BKS == 0 {
			bks = num(math.NaN())
		}
		out.Instances = append(out.Instances, benchRoutingRowJSON{Instance: r.Instance, Cost: r.Cost, BKS: bks, GapPct: num(r.GapPct),
			Routes: r.Routes, Seconds: math.Round(r.Seconds*1000) / 1000, Valid: r.Valid, Problem: r.Problem})
		if r.Valid {
			out.Valid++
			if !math.IsNaN(r.GapPct) && r.BKS != 0 {
				sum += r.GapPct
				n++
			}
		}
	}
	out.MeanGapPct = num(math.NaN())
	if n > 0 {
		out.MeanGapPct = num(sum / float64(n))
	}
	return writeJSON(w, out)
}

// roundCoverage rounds a coverage summary as kpis.json does.
func roundCoverage(k planner.CoverageKPI) planner.CoverageKPI {
	k.Tonnes, k.Packs = roundTo(k.Tonnes, 2), roundTo(k.Packs, 1)
	k.CoveredTonnesShare = roundTo(k.CoveredTonnesShare, 5)
	k.MeanKm, k.P95Km, k.MaxKm = roundTo(k.MeanKm, 3), roundTo(k.P95Km, 3), roundTo(k.MaxKm, 3)
	return k
}

// reconcileJSON is what rlplan reconcile --format json prints: the counts of
// the summary, discrepancies by rule, and one row per plant and outlet (the
// rows of reconcile_summary.csv).
type reconcileJSON struct {
	Events            int64            `json:"events"`
	Pickups           int64            `json:"pickups"`
	Receipts          int64            `json:"receipts"`
	Codes             int64            `json:"codes"`
	AsOf              string           `json:"as_of"` // RFC 3339 in the plan's zone; "" without scans
	InTransit         int64            `json:"in_transit"`
	LateWithinStorage int64            `json:"late_within_storage"`
	Discrepancies     int64            `json:"discrepancies"`
	ByRule            map[string]int64 `json:"by_rule"`
	Places            []reconcilePlace `json:"places"`
	Files             []string         `json:"files"`
}

type reconcilePlace struct {
	Kind          string  `json:"kind"`
	ID            string  `json:"id"`
	Stops         int     `json:"stops"`
	PlannedPacks  float64 `json:"planned_packs"`
	Picked        int64   `json:"picked"`
	Received      int64   `json:"received"`
	Discrepancies int64   `json:"discrepancies"`
	Rules         string  `json:"rules"`
}

func writeReconcileJSON(w io.Writer, r *trace.Result, outDir string) error {
	out := reconcileJSON{Events: r.Events, Pickups: r.Pickups, Receipts: r.Receipts, Codes: r.Codes, InTransit: r.InTransit,
		LateWithinStorage: r.LateWithinStorage, Discrepancies: r.Discrepancies, ByRule: map[string]int64{}, Places: []reconcilePlace{},
		Files: []string{outDir + "/" + trace.DiscrepanciesCSV, outDir + "/" + trace.DiscrepanciesGeoJSON, outDir + "/" + trace.ReconcileSummaryCSV}}
	if !r.AsOf.IsZero() {
		out.AsOf = r.AsOf.In(trace.PlanZone).Format(time.RFC3339)
	}
	for k, n := range r.ByRule {
		if n > 0 {
			out.ByRule[k] = n
		}
	}
	for _, s := range r.SummaryRecords() {
		out.Places = append(out.Places, reconcilePlace(s))
	}
	return writeJSON(w, out)
}
