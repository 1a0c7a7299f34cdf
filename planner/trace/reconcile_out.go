package trace

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Outputs of a reconciliation.
const (
	DiscrepanciesCSV     = "discrepancies.csv"
	DiscrepanciesGeoJSON = "discrepancies.geojson"
	ReconcileSummaryCSV  = "reconcile_summary.csv"
)

// DiscrepancyColumns is the header of discrepancies.csv.
const DiscrepancyColumns = "rule,pack_code,place_id,outlet_id,plant_id,time,kg,detail,scan_lines"

// WriteDiscrepancies writes discrepancies.csv: one row per rule broken,
// ordered by the first line of scans.csv concerned.
func (r *Result) WriteDiscrepancies(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.WriteString(DiscrepancyColumns + "\n")
	rec := make([]string, 9)
	err := mergeRuns(r.runs, func(d Discrepancy) error {
		kg := ""
		if d.Kg != 0 {
			kg = strconv.FormatFloat(d.Kg, 'f', -1, 64)
		}
		rec = append(rec[:0], d.Rule, d.Code, d.Place, d.Outlet, d.Plant, d.Time.In(PlanZone).Format(time.RFC3339), kg, d.Detail, joinLines(d.Lines))
		for i, f := range rec {
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString(csvField(f))
		}
		return bw.WriteByte('\n')
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

func joinLines(ls []int64) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = strconv.FormatInt(l, 10)
	}
	return strings.Join(parts, " ")
}

// WriteLayer writes discrepancies.geojson: an RFC 7946 FeatureCollection
// with a Point at the outlet or plant of each discrepancy (no geometry for
// an unknown place), in the order of discrepancies.csv.
func (r *Result) WriteLayer(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	first := true
	err := mergeRuns(r.runs, func(d Discrepancy) error {
		if !first {
			bw.WriteByte(',')
		}
		first = false
		bw.WriteString("\n")
		props, err := json.Marshal(map[string]any{"rule": d.Rule, "pack_code": d.Code, "place_id": d.Place, "outlet_id": d.Outlet,
			"plant_id": d.Plant, "time": d.Time.In(PlanZone).Format(time.RFC3339), "detail": d.Detail})
		if err != nil {
			return err
		}
		bw.WriteString(`{"type":"Feature","properties":`)
		bw.Write(props)
		bw.WriteString(`,"geometry":`)
		if pt, ok := r.rc.point(d); ok {
			fmt.Fprintf(bw, `{"type":"Point","coordinates":[%s,%s]}}`, coord(pt[0]), coord(pt[1]))
		} else {
			bw.WriteString("null}")
		}
		return nil
	})
	if err != nil {
		return err
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

func coord(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// point places a discrepancy: where it was seen, else its outlet or plant.
func (rc *reconciler) point(d Discrepancy) (orb.Point, bool) {
	for _, id := range []string{d.Place, d.Outlet, d.Plant} {
		if o, ok := rc.p.Outlets[id]; ok && id != "" {
			return round6(o.Point), true
		}
		if pl, ok := rc.p.Plants[id]; ok && id != "" {
			return round6(pl.Point), true
		}
	}
	return orb.Point{}, false
}

func round6(p orb.Point) orb.Point { return orb.Point{round(p[0], 6), round(p[1], 6)} }

// SummaryRecord is a row of reconcile_summary.csv.
type SummaryRecord struct {
	Kind          string  `csv:"kind"`
	ID            string  `csv:"id"`
	Stops         int     `csv:"stops"`
	PlannedPacks  float64 `csv:"planned_packs"`
	Picked        int64   `csv:"picked"`
	Received      int64   `csv:"received"`
	Discrepancies int64   `csv:"discrepancies"`
	Rules         string  `csv:"rules"`
}

// SummaryRecords lists every plant, then every outlet with a stop, a scan
// or a discrepancy.
func (r *Result) SummaryRecords() []SummaryRecord {
	var out []SummaryRecord
	for _, set := range []struct {
		kind string
		rows []PlaceSummary
	}{{"plant", r.Plants}, {"outlet", r.Outlets}} {
		for _, p := range set.rows {
			out = append(out, SummaryRecord{Kind: set.kind, ID: p.ID, Stops: p.Stops, PlannedPacks: p.PlannedPacks, Picked: p.Picked,
				Received: p.Received, Discrepancies: p.Total, Rules: ruleCounts(p.ByRule)})
		}
	}
	return out
}

// ruleCounts renders counts by rule in the order of Rules: "custody_gap:2 weight_mismatch:1".
func ruleCounts(m map[string]int64) string {
	var parts []string
	for _, r := range Rules {
		if n := m[r.Name]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s:%d", r.Name, n))
		}
	}
	return strings.Join(parts, " ")
}

// maxOutletsPrinted bounds the outlets the printed summary lists.
const maxOutletsPrinted = 30

// WriteSummary prints the reconciliation for people: totals, discrepancies
// by rule, a line per plant and the outlets with discrepancies.
func (r *Result) WriteSummary(w io.Writer) error {
	bw := bufio.NewWriter(w)
	asOf := "no scans"
	if !r.AsOf.IsZero() {
		asOf = "last scan " + r.AsOf.In(PlanZone).Format(time.RFC3339)
	}
	fmt.Fprintf(bw, "%d scan events (%d pickups, %d receipts) of %d pack codes; %s.\n", r.Events, r.Pickups, r.Receipts, r.Codes, asOf)
	if r.InTransit > 0 {
		fmt.Fprintf(bw, "%d packs picked up and still within the receipt tolerance (in transit).\n", r.InTransit)
	}
	if r.LateWithinStorage > 0 {
		fmt.Fprintf(bw, "%d pickups after their stop's window without overfilling the outlet.\n", r.LateWithinStorage)
	}
	if r.Discrepancies == 0 {
		fmt.Fprintf(bw, "No discrepancies: every scan agrees with the plan.\n")
	} else {
		fmt.Fprintf(bw, "%d discrepancies:\n", r.Discrepancies)
		for _, rule := range Rules {
			if n := r.ByRule[rule.Name]; n > 0 {
				fmt.Fprintf(bw, "  %-24s %8d  %s\n", rule.Name, n, rule.Means)
			}
		}
	}
	fmt.Fprintf(bw, "\nBy plant:\n  %-8s %6s %9s %9s %9s %6s  %s\n", "plant", "stops", "planned", "picked", "received", "issues", "rules")
	for _, p := range r.Plants {
		fmt.Fprintf(bw, "  %-8s %6d %9.1f %9d %9d %6d  %s\n", p.ID, p.Stops, p.PlannedPacks, p.Picked, p.Received, p.Total, ruleCounts(p.ByRule))
	}
	var bad []PlaceSummary
	for _, o := range r.Outlets {
		if o.Total > 0 {
			bad = append(bad, o)
		}
	}
	sort.SliceStable(bad, func(a, b int) bool { return bad[a].Total > bad[b].Total })
	if len(bad) == 0 {
		fmt.Fprintf(bw, "\nOutlets: all %d with stops or scans agree with the plan.\n", len(r.Outlets))
	} else {
		fmt.Fprintf(bw, "\nOutlets with discrepancies (%d of %d with stops or scans):\n  %-8s %6s %9s %9s %6s  %s\n", len(bad), len(r.Outlets), "outlet", "stops", "planned", "picked", "issues", "rules")
		for i, o := range bad {
			if i == maxOutletsPrinted {
				fmt.Fprintf(bw, "  ... %d more in %s\n", len(bad)-i, ReconcileSummaryCSV)
				break
			}
			fmt.Fprintf(bw, "  %-8s %6d %9.1f %9d %6d  %s\n", o.ID, o.Stops, o.PlannedPacks, o.Picked, o.Total, ruleCounts(o.ByRule))
		}
	}
	return bw.Flush()
}
