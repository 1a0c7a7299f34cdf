package trace

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rlplan/rlplan/internal/csvin"
)

// cleanScans are the scans of a faultless small week: every pack of every
// stop picked up five minutes after arrival (a minute apart) and received
// at the trip's plant ten minutes after it is back. Pack k of the week has
// code serial k and weighs its stop's kg over its packs (300 kg here).
func cleanScans(p *Plan) []Scan {
	var out []Scan
	serial := 0
	for _, t := range p.Trips {
		back := p.BackAt(t)
		for _, k := range t.Stops {
			s := p.Stops[k]
			n := int(s.PickupPacks)
			for i := 0; i < n; i++ {
				serial++
				c := code('B', serial)
				kg := s.PickupKg / float64(n)
				out = append(out, Scan{Code: c, Event: EventPickup, Place: s.Outlet, Time: p.StopTime(k, false).Add(time.Duration(5+i) * time.Minute), Kg: kg},
					Scan{Code: c, Event: EventReceipt, Place: t.Plant, Time: back.Add(10 * time.Minute), Kg: kg})
			}
		}
	}
	return out
}

// inventoryOf lists the packs of scans as an inventory held where they
// were picked up.
func inventoryOf(scans []Scan) string {
	var b strings.Builder
	b.WriteString("outlet_id,pack_code,chemistry,kg,received\n")
	seen := map[string]bool{}
	for _, s := range scans {
		if s.Event == EventPickup && !seen[s.Code] {
			seen[s.Code] = true
			fmt.Fprintf(&b, "%s,%s,LFP,%g,2030-03-01\n", s.Place, s.Code, s.Kg)
		}
	}
	return b.String()
}

// rules returns the rule column of discrepancy rows.
func rules(rows string) string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(rows), "\n") {
		if l != "" {
			r, _, _ := strings.Cut(l, ",")
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestReconcileClean(t *testing.T) {
	p := smallPlan(t)
	scans := cleanScans(p)
	rows, res := reconcileCSV(t, p, scansCSV(t, scans), inventoryOf(scans), ReconcileOptions{})
	if rows != "" || res.Discrepancies != 0 {
		t.Fatalf("clean week: discrepancies\n%s", rows)
	}
	if res.Events != 24 || res.Pickups != 12 || res.Receipts != 12 || res.Codes != 12 || res.InTransit != 0 {
		t.Errorf("counts: %+v", res)
	}
	if len(res.Plants) != 1 || res.Plants[0].ID != "P1" || res.Plants[0].Picked != 12 || res.Plants[0].Received != 12 || res.Plants[0].Stops != 6 {
		t.Errorf("plants: %+v", res.Plants)
	}
	var b bytes.Buffer
	if err := res.WriteSummary(&b); err != nil || !strings.Contains(b.String(), "No discrepancies") {
		t.Errorf("summary: %v\n%s", err, b.String())
	}
}

// Each case changes the clean week and expects exactly some rules.
func TestReconcileRules(t *testing.T) {
	p := smallPlan(t)
	for _, tc := range []struct {
		name string
		edit func(s []Scan) []Scan
		inv  bool
		opt  ReconcileOptions
		want string // rules, sorted
		text string // in the rows
	}{
		{name: "lost on Monday", edit: func(s []Scan) []Scan { return drop(s, 1) }, want: RuleCustodyGap, text: "no receipt within 24 h"},
		{name: "in transit on Wednesday", edit: func(s []Scan) []Scan { return drop(s, len(s)-1) }, want: ""},
		{name: "received late", edit: func(s []Scan) []Scan { s[1].Time = s[0].Time.Add(30 * time.Hour); return s }, want: RuleCustodyGap, text: "received 30 h after its pickup"},
		{name: "tolerance 36 h", edit: func(s []Scan) []Scan { s[1].Time = s[0].Time.Add(30 * time.Hour); return s }, opt: ReconcileOptions{ReceiptWithin: 36 * time.Hour}},
		{name: "received first", edit: func(s []Scan) []Scan { s[1].Time = s[0].Time.Add(-time.Hour); return s }, want: RuleReceiptBefore, text: "1 h before its pickup"},
		{name: "wrong plant", edit: func(s []Scan) []Scan { s[1].Place = "P2"; return s }, want: RuleWrongConsignee, text: "received at P2; its trip (2030-03-04/P1-van-1/T1) delivers to P1"},
		{name: "received at an outlet", edit: func(s []Scan) []Scan { s[1].Place = "O6"; return s }, want: RuleWrongConsignee},
		{name: "heavier by 5 %", edit: func(s []Scan) []Scan { s[1].Kg *= 1.05; return s }, want: RuleWeightMismatch, text: "received 315 kg, picked up 300 kg"},
		{name: "heavier by 1.5 %", edit: func(s []Scan) []Scan { s[1].Kg *= 1.015; return s }, want: ""},
		{name: "no weight tolerance", edit: func(s []Scan) []Scan { s[1].Kg += 0.5; return s }, opt: ReconcileOptions{KgTolerance: -1, KgShare: -1}, want: RuleWeightMismatch},
		{name: "received only", edit: func(s []Scan) []Scan {
			return append(s, Scan{Code: code('E', 99), Event: EventReceipt, Place: "P1", Time: at(1, "16:00"), Kg: 250})
		},
			want: RuleReceivedNotPicked, text: "received at P1 on Mon 16:00 without a pickup scan"},
		{name: "outlet without a stop", edit: func(s []Scan) []Scan { return pickAndReceive(s, code('E', 98), "O6", at(2, "10:00")) },
			want: RuleUnplannedPickup, text: "outlet O6 has no stop on the route sheet this week"},
		{name: "before the first stop", edit: func(s []Scan) []Scan { return pickAndReceive(s, code('E', 97), "O5", at(1, "08:00")) },
			want: RuleUnplannedPickup, text: "picked up 25 h before the outlet's first stop (Tue 09:00, tolerance 2 h)"},
		{name: "at a plant", edit: func(s []Scan) []Scan { return pickAndReceive(s, code('E', 96), "P1", at(1, "11:00")) },
			want: RuleUnplannedPickup, text: "plants are not stops"},
		{name: "unknown place", edit: func(s []Scan) []Scan { s[0].Place = "X9"; return s }, want: RuleUnknownPlace, text: `""X9"", which is neither`},
		// O1 holds 1000 kg and gets 300 kg a day; its Monday stop collects
		// 600 kg. A day late it holds 900 kg: late, no overfill. Its last pack
		// picked 33 h 6 min after the planned 09:00 arrival: 600 + 300 x
		// 33.1/24 = 1013.75 kg.
		{name: "a day late", edit: func(s []Scan) []Scan { return shiftStop(s, "O1", 1, 24*time.Hour) }, want: ""},
		{name: "overdue", edit: func(s []Scan) []Scan { return shiftStop(s, "O1", 1, 33*time.Hour) }, want: RuleOverduePickup,
			text: "picked up 33 h 6 min late (2 packs): about 1014 kg in a 1000 kg store (300 kg/day)"},
		{name: "duplicate", edit: func(s []Scan) []Scan { return pickAndReceive(s, s[0].Code, "O4", at(1, "09:40")) }, want: RuleDuplicateCode,
			text: "picked up 2 times (O1 Mon 09:05, O4 Mon 09:40) and received 2 times"},
		{name: "malformed", edit: func(s []Scan) []Scan {
			s[0].Code, s[1].Code = "S01PB12ABCDEFGHJK000001", "S01PB12ABCDEFGHJK000001"
			return s
		},
			want: RuleMalformedCode, text: "23 characters, want 24"},
		{name: "empty code", edit: func(s []Scan) []Scan { s[0].Code, s[1].Code = "", ""; return s }, want: RuleMalformedCode},
		{name: "unknown code", edit: func(s []Scan) []Scan { s[0].Code, s[1].Code = code('B', 555), code('B', 555); return s }, inv: true,
			want: RuleUnknownCode, text: "in no outlet's inventory"},
		{name: "other outlet", edit: func(s []Scan) []Scan { s[0].Place = "O2"; return s }, inv: true, want: RuleOtherOutlet, text: "the inventory holds it at O1 (line 2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clean := cleanScans(p)
			inv := ""
			if tc.inv {
				inv = inventoryOf(clean)
			}
			scans := tc.edit(cleanScans(p))
			rows, res := reconcileCSV(t, p, scansCSV(t, scans), inv, tc.opt)
			if got := rules(rows); got != tc.want {
				t.Errorf("rules %q, want %q:\n%s", got, tc.want, rows)
			}
			if tc.text != "" && !strings.Contains(rows, tc.text) {
				t.Errorf("rows lack %q:\n%s", tc.text, rows)
			}
			if res.Discrepancies != int64(len(strings.Fields(tc.want))) {
				t.Errorf("%d discrepancies counted", res.Discrepancies)
			}
		})
	}
}

// drop removes scan i.
func drop(s []Scan, i int) []Scan { return append(s[:i:i], s[i+1:]...) }

// pickAndReceive adds a pickup at place and its receipt at P1 two hours later.
func pickAndReceive(s []Scan, c, place string, t time.Time) []Scan {
	return append(s, Scan{Code: c, Event: EventPickup, Place: place, Time: t, Kg: 300}, Scan{Code: c, Event: EventReceipt, Place: "P1", Time: t.Add(2 * time.Hour), Kg: 300})
}

// shiftStop delays the pickups (and receipts) of an outlet's stop on a day.
func shiftStop(s []Scan, outlet string, day int, d time.Duration) []Scan {
	codes := map[string]bool{}
	for _, x := range s {
		if x.Event == EventPickup && x.Place == outlet && x.Time.Day() == 3+day {
			codes[x.Code] = true
		}
	}
	for i := range s {
		if codes[s[i].Code] {
			s[i].Time = s[i].Time.Add(d)
		}
	}
	return s
}

// A file large enough to need partitions gives the same outputs, byte for
// byte, whether it is checked in memory or in partitions on disk; and the
// outputs do not depend on the order of the file's lines.
func TestReconcilePartitionsAgree(t *testing.T) {
	p := smallPlan(t)
	sim, err := Simulate(p, SimOptions{Seed: 7, Scale: 40, Faults: []string{FaultLost, FaultWeight, FaultUnplanned, FaultDuplicate, FaultMalformed, FaultOverdue}})
	if err != nil {
		t.Fatal(err)
	}
	inv := inventoryRecordsCSV(t, sim.Inventory)
	outputs := func(scans []Scan, parts int) string {
		data := scansCSV(t, scans)
		res, err := Reconcile(context.Background(), p, Input{Name: "scans.csv", R: bytes.NewReader(data), Size: int64(len(data))},
			Input{Name: "inventory.csv", R: strings.NewReader(inv), Size: int64(len(inv))}, ReconcileOptions{partitions: parts, TempDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Close()
		if res.Partitions != max(parts, 1) {
			t.Errorf("%d partitions, want %d", res.Partitions, parts)
		}
		var b bytes.Buffer
		if err := res.WriteDiscrepancies(&b); err != nil {
			t.Fatal(err)
		}
		if err := res.WriteLayer(&b); err != nil {
			t.Fatal(err)
		}
		if err := res.WriteSummary(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	mem := outputs(sim.Scans, 0)
	if got := outputs(sim.Scans, 5); got != mem {
		t.Errorf("partitioned outputs differ from in-memory ones:\n%s\n---\n%s", got, mem)
	}
	if n := strings.Count(mem, "\n"+RuleCustodyGap+","); n != 1 {
		t.Errorf("%d custody gaps, want the injected one:\n%s", n, mem)
	}
	// Reversed lines: the same discrepancies (their lines change, so
	// compare the rules and codes).
	rev := append([]Scan(nil), sim.Scans...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	if a, b := ruleCodes(mem), ruleCodes(outputs(rev, 3)); a != b {
		t.Errorf("reversed file: %s, want %s", b, a)
	}
}

func ruleCodes(out string) string {
	csv, _, _ := strings.Cut(out, `{"type"`)
	var rc []string
	for _, l := range strings.Split(csv, "\n")[1:] {
		f := strings.Split(l, ",")
		if len(f) > 2 {
			rc = append(rc, f[0]+" "+f[1]+" "+f[2])
		}
	}
	sort.Strings(rc)
	return strings.Join(rc, "; ")
}

func inventoryRecordsCSV(t *testing.T, packs []Pack) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("outlet_id,pack_code,chemistry,kg,received\n")
	for _, r := range (&Inventory{Packs: packs}).Records() {
		fmt.Fprintf(&b, "%s,%s,%s,%g,%s\n", r.Outlet, r.Code, r.Chemistry, r.Kg, r.Received)
	}
	return b.String()
}

// The simulated week with every fault: reconciliation finds exactly the
// injected faults, and the clean week nothing.
func TestSimulateAndReconcile(t *testing.T) {
	p := smallPlan(t)
	var all []string
	for _, k := range FaultKinds {
		all = append(all, k.Name)
	}
	clean, err := Simulate(p, SimOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	faulty, err := Simulate(p, SimOptions{Seed: 3, Faults: all})
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Simulate(p, SimOptions{Seed: 3, Faults: all})
	if a, b := scansCSV(t, faulty.Scans), scansCSV(t, again.Scans); !bytes.Equal(a, b) {
		t.Error("the same seed gave different scans")
	}
	if rows, _ := reconcileCSV(t, p, scansCSV(t, clean.Scans), inventoryRecordsCSV(t, clean.Inventory), ReconcileOptions{}); rows != "" {
		t.Errorf("clean simulation: discrepancies\n%s", rows)
	}
	rows, _ := reconcileCSV(t, p, scansCSV(t, faulty.Scans), inventoryRecordsCSV(t, faulty.Inventory), ReconcileOptions{})
	var want []string
	for _, f := range faulty.Faults {
		want = append(want, f.Rule)
		if !strings.Contains(rows, f.Rule+","+f.Code+",") {
			t.Errorf("fault %s (%s %s) not found:\n%s", f.Kind, f.Rule, f.Code, rows)
		}
	}
	sort.Strings(want)
	if got := rules(rows); got != strings.Join(want, " ") {
		t.Errorf("rules %q, want exactly the injected %q:\n%s", got, strings.Join(want, " "), rows)
	}
}

func TestScanReaderRefuses(t *testing.T) {
	p := smallPlan(t)
	head := "pack_code,event,place_id,time,kg\n"
	for name, tc := range map[string]struct {
		data, field, msg string
		line             int
	}{
		"event":  {head + "S01PB12ABCDEFGHJK0000001,pick,O1,2030-03-04T09:00:00+08:00,300\n", "event", "want one of pickup, receipt", 2},
		"time":   {head + "S01PB12ABCDEFGHJK0000001,pickup,O1,2030-03-04 09:00,300\n", "time", "an RFC 3339 time", 2},
		"kg":     {head + "x,pickup,O1,2030-03-04T09:00:00+08:00,0\n", "kg", "a number > 0", 2},
		"header": {"code,event,place,time,kg\n", "pack_code", "required column is missing", 1},
	} {
		_, err := Reconcile(context.Background(), p, Input{Name: "scans.csv", R: strings.NewReader(tc.data), Size: -1}, Input{}, ReconcileOptions{})
		var ce *csvin.Error
		if !errors.As(err, &ce) || ce.Line != tc.line || ce.Field != tc.field || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want scans.csv line %d column %q: %s", name, err, tc.line, tc.field, tc.msg)
		}
	}
	// A header alone is an empty week of scans: nothing to report.
	rows, res := reconcileCSV(t, p, []byte(head), "", ReconcileOptions{})
	if rows != "" || res.Events != 0 {
		t.Errorf("empty file: %q %+v", rows, res)
	}
}
