package week

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/solver/routing"
)

// TestAttachPrevious: a truck's day of the sheet becomes one engine route
// on its type and number, cut into its trips; a split pickup's pieces get
// their share of the engine's amount; an outlet not in the plan, a truck
// above today's count and a day past the work days are warned about once
// each, with the sheet's line, and left out; an outlet due at another
// plant is left out silently.
func TestAttachPrevious(t *testing.T) {
	w := PlantWeek{Plant: domain.Plant{ID: "P1"}, Fleet: []domain.FleetRow{{PlantID: "P1", VehicleType: "van", Count: 2}, {PlantID: "P1", VehicleType: "lorry", Count: 1}},
		Jobs: []PlantJob{{Outlet: domain.Outlet{ID: "O1"}, VisitKg: 100, VisitPacks: 2}, {Outlet: domain.Outlet{ID: "O2"}, VisitKg: 3000, VisitPacks: 30}}}
	row := func(line, day int, vehicle, typ string, trip, seq int, outlet string, kg, packs float64) domain.SheetRow {
		return domain.SheetRow{Line: line, Day: day, Plant: "P1", Vehicle: vehicle, VehicleType: typ, Trip: trip, Seq: seq, Outlet: outlet, PickupKg: kg, PickupPacks: packs}
	}
	prev := &Previous{Sheet: "w9/routes.csv", Rows: []domain.SheetRow{
		row(2, 1, "P1-van-2", "van", 1, 1, "O1", 100, 2),
		row(3, 1, "P1-van-2", "van", 2, 2, "O2", 1000, 10), // a third of O2's pickup
		row(4, 1, "P1-van-2", "van", 2, 3, "O9", 50, 1),    // O9 is gone
		row(5, 1, "P1-lorry-1", "lorry", 1, 1, "O2", 2000, 20),
		row(6, 2, "P1-van-3", "van", 1, 1, "O1", 100, 2),  // two vans today
		row(7, 2, "P1-van-3", "van", 1, 2, "O1", 100, 2),  // the same truck: one warning
		row(8, 7, "P1-van-1", "van", 1, 1, "O1", 100, 2),  // Sunday, six work days
		row(9, 2, "P1-van-1", "van", 1, 1, "O7", 100, 2),  // O7 is due at another plant
		row(10, 3, "P1-van-1", "van", 1, 1, "O1", 100, 2), // kept
	}}
	var warned []string
	plants := []PlantWeek{w}
	AttachPrevious(plants, prev, map[string]bool{"O1": true, "O2": true, "O7": true}, 6, func(m string) { warned = append(warned, m) })
	want := [][]routing.Route{
		{{Type: 0, Vehicle: 1, Jobs: []int{0, 1}, Trips: []routing.Trip{{From: 0, To: 1}, {From: 1, To: 2}}, Amounts: [][]int64{nil, {1000, 10}}},
			{Type: 1, Vehicle: 0, Jobs: []int{1}, Trips: []routing.Trip{{From: 0, To: 1}}, Amounts: [][]int64{{2000, 20}}}},
		nil,
		{{Type: 0, Vehicle: 0, Jobs: []int{0}, Trips: []routing.Trip{{From: 0, To: 1}}}},
		nil, nil, nil,
	}
	if !reflect.DeepEqual(plants[0].Previous, want) {
		t.Errorf("routes\n%+v\nwant\n%+v", plants[0].Previous, want)
	}
	wantWarn := []string{
		"w9/routes.csv:4: outlet O9 is not among this plan's outlets",
		"w9/routes.csv:8: day 7 is past the 6 work days",
		"w9/routes.csv:6: truck P1-van-3 (van) is not in plant P1's fleet now (van x 2, lorry x 1)", // plant by plant after the sheet's rows
	}
	if len(warned) != len(wantWarn) {
		t.Fatalf("warnings %q, want %d", warned, len(wantWarn))
	}
	for i, wnt := range wantWarn {
		if !strings.HasPrefix(warned[i], wnt) {
			t.Errorf("warning %d: %q, want it to start %q", i, warned[i], wnt)
		}
	}
}

// TestCompare: an outlet is kept when its weekdays and truck names are the
// same, no more and no fewer; the previous sheet's cost is the record's
// truck-day cost plus each leg and each trip's way back at today's cost per
// km: here two truck-days (1,200 CNY) and (5 + 5) + (3 + 3) km at 2 CNY,
// 1,232 CNY. O2 is due but not visited now (dropped), O4 visited now only
// (added): so the cost per tonne compares, 1,300 CNY for 3.5 t against
// 1,232 CNY for 3 t (O3's truck type is gone: neither priced nor counted),
// -9.555 %. The derived charge is a tenth of 1,232 CNY over the 2 outlets
// of the priced rows: 61.6 CNY.
func TestCompare(t *testing.T) {
	// O1 is 5 km east of the plant on the equator without a detour (a
	// degree of longitude is 111.19 km there), O2 3 km north.
	deg := 1 / 111.19492664455873
	rec := &domain.PlanRecord{Settings: domain.WeekSettings{VehicleDayCost: 600},
		Plants:  []domain.PlantRecord{{ID: "P1"}},
		Outlets: []domain.OutletRecord{{ID: "O1", Lon: 5 * deg}, {ID: "O2", Lat: 3 * deg}, {ID: "O3", Lat: 1 * deg}}}
	prev := &Previous{Sheet: "w9/routes.csv", Plan: rec, Rows: []domain.SheetRow{
		{Day: 1, Plant: "P1", Vehicle: "P1-van-1", VehicleType: "van", Trip: 1, Seq: 1, Outlet: "O1", Km: 5, PickupKg: 2000},
		{Day: 2, Plant: "P1", Vehicle: "P1-van-1", VehicleType: "van", Trip: 1, Seq: 1, Outlet: "O2", Km: 3, PickupKg: 1000},
		{Day: 2, Plant: "P1", Vehicle: "P1-gone-1", VehicleType: "gone", Trip: 1, Seq: 1, Outlet: "O3", Km: 1, PickupKg: 500}, // type gone: not priced
	}}
	sch := &Schedule{Cost: 1300,
		Outlets: []OutletPlan{{Outlet: domain.Outlet{ID: "O1"}, VisitsNeeded: 1}, {Outlet: domain.Outlet{ID: "O2"}, VisitsNeeded: 1},
			{Outlet: domain.Outlet{ID: "O4"}, VisitsNeeded: 1}},
		Stops: []Stop{
			{Day: 1, Plant: "P1", Vehicle: "P1-van-1", VehicleType: "van", Outlet: "O1", PickupKg: 2000, Km: 5.004}, // printed 5.00: priced 0.008 CNY less
			{Day: 1, Vehicle: "P1-van-1", Outlet: "O4", PickupKg: 1500},                                             // new
		}}
	d, err := geo.NewDetour(1)
	if err != nil {
		t.Fatal(err)
	}
	fleet := []domain.FleetRow{{PlantID: "P1", VehicleType: "van", CostPerKm: 2}}
	c := Compare(sch, prev, fleet, Legs{Detour: d})
	if c.Outlets != 2 || c.Kept != 1 || c.NotDue != 1 || c.Share != 0.5 || c.Added != 1 || c.Dropped != 1 {
		t.Errorf("compared %d, kept %d, not due %d, share %g, added %d, dropped %d; want 2, 1, 1, 0.5, 1, 1", c.Outlets, c.Kept, c.NotDue, c.Share, c.Added, c.Dropped)
	}
	want := 1200 + 2*(5+5+3+3.0)
	// This week at its printed precision: 1300 less 2 CNY/km x 0.004 km.
	if math.Abs(c.PreviousCost-want) > 0.01 || math.Abs(c.CostChange-(1299.992-c.PreviousCost)) > 1e-9 {
		t.Errorf("previous cost %.6f, change %.6f; want %.6f, 1299.992 less it", c.PreviousCost, c.CostChange, want)
	}
	if c.PreviousKg != 3000 || c.CollectedKg != 3500 || math.Abs(c.PerTonneChange-(-0.09556)) > 1e-5 {
		t.Errorf("kg %g -> %g, per tonne %+.6f; want 3000 -> 3500, -0.09555", c.PreviousKg, c.CollectedKg, c.PerTonneChange)
	}
	if got := DerivedConsistencyCost(prev, fleet, Legs{Detour: d}); math.Abs(got-61.6) > 1e-3 {
		t.Errorf("derived charge %.4f CNY per outlet moved, want 61.6", got)
	}
}
