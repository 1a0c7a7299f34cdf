package trace

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rlplan/rlplan/internal/csvin"
	"github.com/rlplan/rlplan/planner/domain"
)

// The inventory of the small week, by hand. At O1: A, B, C (300 kg each,
// received before the week), D (received Monday, a date: not there when the
// truck comes Monday 09:00) and E (received Monday 08:00: there). At O2: F.
//
// Monday, trip 1 of P1-van-1 (1000 kg, 4 packs) keeps 300 kg and a pack for
// its stop at O2, so O1 may load 700 kg and 3 packs: A and B; C and E stay
// (2 left). O2 loads F. Wednesday at O1 (nothing after it): C, then D
// (Monday 00:00), then E (Monday 08:00).
const smallInventory = `outlet_id,pack_code,chemistry,kg,received
O1,S01PB12ABCDEFGHJK0000001,LFP,300,2030-02-28
O1,S01PB12ABCDEFGHJK0000002,LFP,300,2030-03-01
O1,S01PE12ABCDEFGHJK0000003,NCM,300,2030-03-01
O1,S01PE12ABCDEFGHJK0000004,NCM,300,2030-03-04
O1,S01PE12ABCDEFGHJK0000005,ncm,300,2030-03-04T08:00:00+08:00
O2,S01PB12ABCDEFGHJK0000006,LFP,300,2030-03-03
`

func readSmallInventory(t *testing.T, p *Plan, data string) (*Inventory, error) {
	t.Helper()
	inv := &Inventory{byCode: map[string]int{}, byOutlet: map[string][]int{}}
	chk := InventoryChecks{Outlet: func(id string) bool { _, ok := p.Outlets[id]; return ok },
		VehicleTypes: map[string]domain.VehicleType{"bus": {Name: "bus", Chemistry: "LFP"}, "car": {Name: "car", Chemistry: "LFP/NCM"}}}
	var packs []Pack
	err := ScanInventory("inventory.csv", strings.NewReader(data), chk, nil, func(pk Pack) error { packs = append(packs, pk); return nil })
	if err != nil {
		return nil, err
	}
	inv, err = NewInventory(packs)
	return inv, err
}

func TestManifestCodesDue(t *testing.T) {
	p := smallPlan(t)
	inv, err := readSmallInventory(t, p, smallInventory)
	if err != nil {
		t.Fatal(err)
	}
	ms := Manifests(p, inv)
	if len(ms) != 5 {
		t.Fatalf("%d manifests, want one per trip (5)", len(ms))
	}
	due := func(m Manifest, stop int) string {
		var s []string
		for _, pk := range m.Stops[stop].Due {
			s = append(s, pk.Code[len(pk.Code)-1:])
		}
		return strings.Join(s, "")
	}
	if got := due(ms[0], 0); got != "12" || ms[0].Stops[0].Left != 2 {
		t.Errorf("Monday O1: codes due %q with %d left, want 1 and 2 due, 2 left", got, ms[0].Stops[0].Left)
	}
	if got := due(ms[0], 1); got != "6" {
		t.Errorf("Monday O2: %q, want 6", got)
	}
	if got := due(ms[4], 0); got != "345" || ms[4].Stops[0].Left != 0 {
		t.Errorf("Wednesday O1: %q (%d left), want 3, 4, 5 in that order", got, ms[4].Stops[0].Left)
	}
	if ms[0].DuePacks != 3 || ms[0].DueKg != 900 || ms[0].PlannedKg != 900 || ms[0].TripsOfDay != 2 {
		t.Errorf("manifest 1 totals: %d packs %v kg due, %v kg planned, %d trips", ms[0].DuePacks, ms[0].DueKg, ms[0].PlannedKg, ms[0].TripsOfDay)
	}
	if recs := ManifestRecords(ms); len(recs) != 6 || recs[0].ConsigneeID != "P1" || recs[0].CodesDue != 2 || recs[0].LeftAtOutlet != 2 || recs[0].UNNumber != "UN 3480" {
		t.Errorf("records: %d, first %+v", len(recs), recs[0])
	}
	if recs := ManifestPackRecords(ms); len(recs) != 6 || recs[0].Received != "2030-02-28" || recs[5].Received != "2030-03-04T08:00:00+08:00" {
		t.Errorf("pack records: %+v", recs)
	}
	files, err := ManifestFiles(ms, true, "small week")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	want := []string{ManifestPacksCSV, ManifestsCSV, "manifests/2030-03-04_P1-van-1.html", "manifests/2030-03-04_P1-van-2.html",
		"manifests/2030-03-05_P1-van-1.html", "manifests/2030-03-06_P1-van-1.html", ManifestsIndex}
	if got := strings.Join(sortedKeys(files), " "); got != strings.Join(sortStrings(want), " ") {
		t.Errorf("files %s, want %s", got, strings.Join(sortStrings(want), " "))
	}
	page := string(files["manifests/2030-03-04_P1-van-1.html"])
	for _, s := range []string{"UN 3480 LITHIUM ION BATTERIES, 9, (E)", "S01PB12ABCDEFGHJK0000001", "S01PB12ABCDEFGHJK0000006", "2 left",
		`data-manifest="2030-03-04/P1-van-1/T1"`, `data-manifest="2030-03-04/P1-van-1/T2"`, "1 of 2 this day", "Plant one (P1)"} {
		if !strings.Contains(page, s) {
			t.Errorf("truck-day page lacks %q", s)
		}
	}
	if strings.Contains(page, "S01PE12ABCDEFGHJK0000003") {
		t.Error("a pack left at the outlet is listed as due")
	}
	for _, bad := range []string{"<script", "http://", "https://"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q: it must print offline", bad)
		}
	}
	// Without an inventory there is no codes column and no pack file.
	plain, err := ManifestFiles(Manifests(p, nil), false, "small week")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := plain[ManifestPacksCSV]; ok || bytes.Contains(plain["manifests/2030-03-04_P1-van-1.html"], []byte("Codes due")) {
		t.Error("codes listed without an inventory")
	}
}

func sortStrings(s []string) []string {
	m := map[string]bool{}
	for _, x := range s {
		m[x] = true
	}
	return sortedKeys(m)
}

func TestInventoryRefuses(t *testing.T) {
	p := smallPlan(t)
	head := "outlet_id,pack_code,chemistry,kg,received\n"
	for name, tc := range map[string]struct {
		data       string
		line, col  int
		field, msg string
	}{
		"malformed code":   {head + "O1,S01PB12ABCDEFGHJK000001,LFP,300,2030-03-01\n", 2, 4, "pack_code", "23 characters, want 24"},
		"product type":     {head + "O1,S01XB12ABCDEFGHJK0000001,LFP,300,2030-03-01\n", 2, 4, "pack_code", "character 4: product type \"X\""},
		"duplicate code":   {head + "O1,S01PB12ABCDEFGHJK0000001,LFP,300,2030-03-01\nO2,S01PB12ABCDEFGHJK0000001,LFP,300,2030-03-01\n", 3, 0, "pack_code", "listed twice (first on line 2)"},
		"code says NCM":    {head + "O1,S01PE12ABCDEFGHJK0000001,LFP,300,2030-03-01\n", 2, 29, "chemistry", "pack code S01PE12ABCDEFGHJK0000001 says NCM"},
		"unknown outlet":   {head + "O9,S01PB12ABCDEFGHJK0000001,LFP,300,2030-03-01\n", 2, 1, "outlet_id", `found "O9"`},
		"unknown chem":     {head + "O1,S01PB12ABCDEFGHJK0000001,NiMH,300,2030-03-01\n", 2, 29, "chemistry", "want LFP or NCM"},
		"bad date":         {head + "O1,S01PB12ABCDEFGHJK0000001,LFP,300,01/03/2030\n", 2, 37, "received", "a date YYYY-MM-DD or an RFC 3339 time"},
		"heavy pack":       {head + "O1,S01PB12ABCDEFGHJK0000001,LFP,30000,2030-03-01\n", 2, 33, "kg", "at most 10000 kg"},
		"no chemistry col": {"outlet_id,pack_code,kg,received\nO1,S01PB12ABCDEFGHJK0000001,300,2030-03-01\n", 1, 0, "", "neither chemistry nor vehicle_type"},
		"type vs code":     {"outlet_id,pack_code,vehicle_type,kg,received\nO1,S01PE12ABCDEFGHJK0000001,bus,300,2030-03-01\n", 2, 29, "vehicle_type", "says NCM"},
	} {
		_, err := readSmallInventory(t, p, tc.data)
		if name == "duplicate code" {
			_, err = readInventoryFile(t, p, tc.data)
		}
		var ce *csvin.Error
		if !errors.As(err, &ce) {
			t.Errorf("%s: error %v, want a *csvin.Error", name, err)
			continue
		}
		if ce.Line != tc.line || (tc.col > 0 && ce.Column != tc.col) || ce.Field != tc.field || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v (line %d col %d field %q), want line %d col %d field %q and %q", name, err, ce.Line, ce.Column, ce.Field, tc.line, tc.col, tc.field, tc.msg)
		}
	}
	// A mixed vehicle type takes its chemistry from the code.
	inv, err := readSmallInventory(t, p, "outlet_id,pack_code,vehicle_type,kg,received\nO1,S01PE12ABCDEFGHJK0000001,car,300,2030-03-01\n")
	if err != nil || inv.Packs[0].Chemistry != ChemNCM {
		t.Errorf("car pack: %v %+v", err, inv)
	}
}

// readInventoryFile goes through ReadInventory, which also refuses
// duplicate codes.
func readInventoryFile(t *testing.T, p *Plan, data string) (*Inventory, error) {
	t.Helper()
	path := t.TempDir() + "/inventory.csv"
	if err := writeFile(path, data); err != nil {
		t.Fatal(err)
	}
	return ReadInventory(path, InventoryChecks{Outlet: func(id string) bool { _, ok := p.Outlets[id]; return ok }}, nil)
}

// A split pickup: two trucks empty O1 on Monday, at 09:00 and 09:30, each
// planned for part of its packs. The first takes the oldest packs within
// its room (600 kg planned, 900 kg of capacity left: three packs), the
// second the rest; a pickup at 09:35 belongs to the second stop, and the
// reconciliation sees no fault in either truck's scans.
func TestSplitPickup(t *testing.T) {
	base := smallPlan(t)
	places := Places{Plants: []domain.Plant{base.Plants["P1"]}, Fleet: []domain.FleetRow{{PlantID: "P1", VehicleType: "van", Count: 2, CapacityKg: 900, CapacityPacks: 4, SpeedKmh: 50}}}
	for _, id := range sortedKeys(base.Outlets) {
		places.Outlets = append(places.Outlets, base.Outlets[id])
	}
	stops := []Stop{
		{Day: 1, Date: "2030-03-04", Plant: "P1", Vehicle: "P1-van-1", VehicleType: "van", Trip: 1, Seq: 1, Outlet: "O1", Arrive: 540, Depart: 560, PickupKg: 600, PickupPacks: 2, LoadKg: 600, Km: 5},
		{Day: 1, Date: "2030-03-04", Plant: "P1", Vehicle: "P1-van-2", VehicleType: "van", Trip: 1, Seq: 1, Outlet: "O1", Arrive: 570, Depart: 590, PickupKg: 600, PickupPacks: 2, LoadKg: 600, Km: 5},
	}
	p, err := NewPlan("routes.csv", stops, places, []OutletRate{{Outlet: "O1", CapacityKg: 2000, KgPerDay: 600, PacksPerDay: 2, CycleWeeks: 1}}, 1.3)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(p.StopsAt("O1")); got != 2 {
		t.Fatalf("O1 has %d stops, want 2", got)
	}
	var packs []Pack
	for i := 1; i <= 4; i++ {
		packs = append(packs, Pack{Outlet: "O1", Code: code('B', i), Chemistry: ChemLFP, Kg: 300, Received: at(1, "00:00").AddDate(0, 0, i-10), DateOnly: true})
	}
	inv, err := NewInventory(packs)
	if err != nil {
		t.Fatal(err)
	}
	ms := Manifests(p, inv)
	first, second := ms[0].Stops[0], ms[1].Stops[0]
	if len(first.Due) != 3 || first.Due[0].Code != code('B', 1) || len(second.Due) != 1 || second.Due[0].Code != code('B', 4) {
		t.Errorf("split: first truck %d codes, second %d; want the three oldest on the first (900 kg of room), the last on the second", len(first.Due), len(second.Due))
	}
	var scans []Scan
	for i, pk := range append(append([]Pack(nil), first.Due...), second.Due...) {
		pickup := at(1, "09:05").Add(time.Duration(i) * time.Minute)
		if i == 3 {
			pickup = at(1, "09:35")
		}
		scans = append(scans, Scan{Code: pk.Code, Event: EventPickup, Place: "O1", Time: pickup, Kg: 300}, Scan{Code: pk.Code, Event: EventReceipt, Place: "P1", Time: at(1, "11:00"), Kg: 300})
	}
	rows, res := reconcileCSV(t, p, scansCSV(t, scans), "", ReconcileOptions{})
	if rows != "" || res.LateWithinStorage != 0 {
		t.Errorf("split pickup reconciled with discrepancies (%d late):\n%s", res.LateWithinStorage, rows)
	}
}
