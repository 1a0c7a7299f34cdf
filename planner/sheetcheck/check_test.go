package sheetcheck_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/sheetcheck"
)

// The hand-checked week: plant P1 with one truck (1000 kg, 10 packs, 60
// km/h, a 10-hour shift from 07:00); O1 fills 200 kg and 1 pack a day and
// is visited Monday and Thursday (4 and 3 days of packs: 800 and 600 kg);
// O2 fills 100 kg and 0.5 packs a day, visited Mondays (700 kg, 3.5 packs).
// Roads: P1-O1 30 km 30 min, P1-O2 60 km 60 min, O1-O2 40 km 40 min.
//
// Monday, trip 1: leave 07:30, O1 at 08:00 (opens 08:00), 20 + 0.5 x 4 =
// 22 min, away 08:22, back 08:52. Trip 2: 30 min reload, leave 09:22, O2 at
// 10:22, 20 + 0.5 x 4 = 22 min, away 10:44, back 11:44. Thursday: O1 at
// 08:00, 21.5 min, away 08:22 (08:21:30 printed rounded up).
const cleanSheet = `day,date,plant,vehicle,trip,seq,outlet_id,arrive,depart,pickup_kg,pickup_packs,load_kg,km,vehicle_type
1,2030-03-04,P1,P1-truck-1,1,1,O1,08:00,08:22,800,4,800,30,truck
1,2030-03-04,P1,P1-truck-1,2,2,O2,10:22,10:44,700,3.5,700,60,truck
4,2030-03-07,P1,P1-truck-1,1,1,O1,08:00,08:22,600,3,600,30,truck
`

const roads = "from_id,to_id,km,minutes\nP1,O1,30,30\nP1,O2,60,60\nO1,O2,40,40\n"

func record() *domain.PlanRecord {
	return &domain.PlanRecord{Format: domain.PlanRecordFormat, Week: "2030-W10", Monday: "2030-03-04",
		Settings: domain.WeekSettings{WorkDays: 6, Fill: 0.8, OpenHour: 8, CloseHour: 18, ShiftStartHour: 7, ServiceMin: 20, ServiceMinPerPack: 0.5,
			ReloadMin: 30, TripsPerDay: 3, Detour: 1.3},
		Plants: []domain.PlantRecord{{ID: "P1", Lat: 23, Lon: 113, IntakeKgPerWeek: 5000}},
		Fleet:  []domain.FleetRecord{{PlantID: "P1", VehicleType: "truck", Count: 1, CapacityKg: 1000, CapacityPacks: 10, SpeedKmh: 60, ShiftHours: 10}},
		Outlets: []domain.OutletRecord{
			{ID: "O1", Lat: 23.2, Lon: 113, CapacityKg: 5000, KgPerDay: 200, PacksPerDay: 1, CycleWeeks: 1, Days: []int{1, 4}, Plant: "P1"},
			{ID: "O2", Lat: 23.5, Lon: 113, CapacityKg: 5000, KgPerDay: 100, PacksPerDay: 0.5, CycleWeeks: 1, Days: []int{1}, Plant: "P1"},
		}}
}

func check(t *testing.T, sheet string, rec *domain.PlanRecord) *sheetcheck.Report {
	t.Helper()
	rows, err := domain.ReadSheet("routes.csv", strings.NewReader(sheet), nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "roads.csv")
	if err := os.WriteFile(path, []byte(roads), 0o644); err != nil {
		t.Fatal(err)
	}
	rm, err := domain.ReadRoadMatrix(path, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sheetcheck.Check(rows, rec, rm)
}

func findings(vs []sheetcheck.Violation) string {
	var s []string
	for _, v := range vs {
		s = append(s, fmt.Sprintf("%d:%s:%s", v.Line, v.Limit, v.Outlet))
	}
	return strings.Join(s, " ")
}

func TestCleanSheet(t *testing.T) {
	rep := check(t, cleanSheet, record())
	if !rep.OK() || len(rep.Notes) > 0 || rep.Rows != 3 {
		t.Fatalf("clean sheet: violations %v, notes %v, rows %d", rep.Violations, rep.Notes, rep.Rows)
	}
}

// Each edit breaks exactly the limits worked out by hand, at the row named.
func TestEditsBreakTheirLimits(t *testing.T) {
	row1 := "1,2030-03-04,P1,P1-truck-1,1,1,O1,08:00,08:22,800,4,800,30,truck"
	row2 := "1,2030-03-04,P1,P1-truck-1,2,2,O2,10:22,10:44,700,3.5,700,60,truck"
	row3 := "4,2030-03-07,P1,P1-truck-1,1,1,O1,08:00,08:22,600,3,600,30,truck"
	edit := func(old, new string) string { return strings.Replace(cleanSheet, old, new, 1) }
	cases := []struct {
		name   string
		sheet  string
		rec    func(*domain.PlanRecord)
		want   string // line:limit:outlet, sorted by line
		detail string // in the first finding's detail
	}{
		// O2 on trip 1: 800 + 700 kg on a 1000 kg truck; the printed load
		// (700) is no longer the trip's sum (1500).
		{name: "stop moved onto a full trip", sheet: edit(row2, "1,2030-03-04,P1,P1-truck-1,1,2,O2,09:02,09:24,700,3.5,700,40,truck"),
			want: "3:capacity_kg:O2 3:load_kg:O2", detail: "carries 1500.0 kg after this stop; the truck truck takes 1000 kg"},
		{name: "arrival after closing", sheet: edit(row3, "4,2030-03-07,P1,P1-truck-1,1,1,O1,18:30,18:52,600,3,600,30,truck"),
			want: "4:opening_hours:O1 4:shift:O1", detail: "arrives 18:30, after the outlet's last service start 18:00"},
		{name: "arrival before opening, gone before loading", sheet: edit(row3, "4,2030-03-07,P1,P1-truck-1,1,1,O1,07:40,08:02,600,3,600,30,truck"),
			want: "4:opening_hours:O1", detail: "opens at 08:00 and loading takes 22 min: not before 08:22"},
		{name: "due outlet's only visit deleted", sheet: edit(row2+"\n", ""),
			want: "0:due_visit:O2", detail: "due on Mon (plant P1)"},
		// Trip 2 at trip 1's time: trip 1 is back 08:52, +30 reload +60 drive.
		{name: "two trips at the same time", sheet: edit(row2, "1,2030-03-04,P1,P1-truck-1,2,2,O2,08:00,08:22,700,3.5,700,60,truck"),
			want: "3:trip_overlap:O2", detail: "back at the plant at 08:52; after 30 min reloading and 60 min driving, the earliest is 10:22"},
		{name: "arrives before it can drive there", sheet: edit(row2, "1,2030-03-04,P1,P1-truck-1,1,2,O2,08:40,09:02,700,3.5,1500,40,truck"),
			want: "3:capacity_kg:O2 3:travel_time:O2", detail: "carries 1500.0 kg"},
		{name: "gone before loaded", sheet: edit(row3, "4,2030-03-07,P1,P1-truck-1,1,1,O1,08:00,08:05,600,3,600,30,truck"),
			want: "4:service_time:O1", detail: "loading takes 22 min (20 + 0.5 per pack)"},
		{name: "before the shift", sheet: edit(row1, "1,2030-03-04,P1,P1-truck-1,1,1,O1,07:10,08:22,800,4,800,30,truck"),
			want: "2:shift:O1", detail: "shift start 07:00 and driving 30 min, it cannot be there before 07:30"},
		{name: "back after the shift", sheet: cleanSheet, rec: func(r *domain.PlanRecord) { r.Fleet[0].ShiftHours = 4 },
			want: "3:shift:O2", detail: "back at the plant at 11:44 at the earliest, after the shift ends at 11:00"},
		{name: "second truck", sheet: edit(row2, "1,2030-03-04,P1,P1-truck-2,1,1,O2,08:00,08:22,700,3.5,700,60,truck"),
			want: "3:fleet_size:O2", detail: "uses 2 trucks of type truck on Mon; it has 1"},
		{name: "plant intake", sheet: cleanSheet, rec: func(r *domain.PlanRecord) { r.Plants[0].IntakeKgPerWeek = 2000 },
			want: "4:plant_intake:O1", detail: "receives 2100.0 kg this week by this row, over its weekly intake 2000 kg"},
		{name: "trips per day", sheet: cleanSheet, rec: func(r *domain.PlanRecord) { r.Settings.TripsPerDay = 1 },
			want: "3:trips_per_day:O2", detail: "at most 1 trips a day"},
		// Thursday's visit gone: Monday finds 7 days (1400 kg), the sheet
		// collects 800.
		{name: "a visit dropped", sheet: edit(row3+"\n", ""),
			want: "2:pickup:O1", detail: "collects 800.0 kg on Mon, but 1400.0 kg will be there"},
		// 700 kg a day: Thursday finds 3 days (2100 kg), over 0.8 x 2500;
		// the sheet collects 600, so the rest stays and Monday finds more.
		{name: "storage", sheet: cleanSheet, rec: func(r *domain.PlanRecord) { r.Outlets[0].KgPerDay, r.Outlets[0].CapacityKg = 700, 2500 },
			want: "2:pickup:O1 2:storage:O1 4:pickup:O1 4:storage:O1", detail: "over its fill limit 2000 kg (0.8 of 2500 kg storage)"},
		{name: "not a work day", sheet: edit(row3, "7,2030-03-10,P1,P1-truck-1,1,1,O1,08:00,08:22,600,3,600,30,truck"),
			want: "4:pickup:O1 4:sheet:O1", detail: ""},
		{name: "date of another day", sheet: edit(row3, "4,2030-03-08,P1,P1-truck-1,1,1,O1,08:00,08:22,600,3,600,30,truck"),
			want: "4:sheet:O1", detail: "date 2030-03-08 is not day 4 of week 2030-W10 (2030-03-07)"},
		{name: "unknown outlet", sheet: edit(row3, "4,2030-03-07,P1,P1-truck-1,1,1,O9,08:00,08:22,600,3,600,30,truck"),
			want: "2:pickup:O1 4:sheet:O9", detail: "outlet O9 is not in the plan"},
		{name: "unknown truck type", sheet: edit(row3, "4,2030-03-07,P1,P1-van-1,1,1,O1,08:00,08:22,600,3,600,30,van"),
			want: "2:pickup:O1 4:sheet:O1", detail: "plant P1 has no trucks of type van"},
		{name: "stop number twice", sheet: edit(row2, "1,2030-03-04,P1,P1-truck-1,2,1,O2,10:22,10:44,700,3.5,700,60,truck"),
			want: "3:sheet:O2", detail: "stop 1 of the truck's day appears twice (also row 2)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := record()
			if c.rec != nil {
				c.rec(rec)
			}
			rep := check(t, c.sheet, rec)
			if got := findings(rep.Violations); got != c.want {
				t.Fatalf("violations %s, want %s\n%v", got, c.want, rep.Violations)
			}
			said := false
			for _, v := range rep.Violations {
				said = said || strings.Contains(v.String(), c.detail)
			}
			if !said {
				t.Errorf("no violation says %q: %v", c.detail, rep.Violations)
			}
		})
	}
}

// A km figure that is not the leg's length is a note, not a violation.
func TestKmIsANote(t *testing.T) {
	rep := check(t, strings.Replace(cleanSheet, "800,30,truck", "800,31,truck", 1), record())
	if !rep.OK() || findings(rep.Notes) != "2:km:O1" {
		t.Fatalf("violations %v, notes %v", rep.Violations, rep.Notes)
	}
}

// A split pickup: O1's Monday 800 kg in two rows of two trips; the stock is
// the sum, each trip's load its own. Trip 2 reaches O1 at 09:51 (back
// 08:51, 30 min reload, 30 min drive), trip 3 O2 at 12:12 (back 10:42, 30,
// 60). 100 kg left on Monday wait for Thursday.
func TestSplitPickup(t *testing.T) {
	sheet := `day,date,plant,vehicle,trip,seq,outlet_id,arrive,depart,pickup_kg,pickup_packs,load_kg,km,vehicle_type
1,2030-03-04,P1,P1-truck-1,1,1,O1,08:00,08:21,500,2,500,30,truck
1,2030-03-04,P1,P1-truck-1,2,2,O1,09:51,10:12,300,2,300,30,truck
1,2030-03-04,P1,P1-truck-1,3,3,O2,12:12,12:34,700,3.5,700,60,truck
4,2030-03-07,P1,P1-truck-1,1,1,O1,08:00,08:22,600,3,600,30,truck
`
	if rep := check(t, sheet, record()); !rep.OK() || len(rep.Notes) > 0 {
		t.Fatalf("split pickup: %v %v", rep.Violations, rep.Notes)
	}
	short := strings.Replace(sheet, "09:51,10:12,300,2,300", "09:51,10:12,200,2,200", 1)
	if rep := check(t, short, record()); findings(rep.Violations) != "2:pickup:O1 5:pickup:O1" {
		t.Fatalf("split pickup 100 kg short: %v", rep.Violations)
	}
}

// Printed rounding never makes a violation: pickups rounded to 0.1 kg and
// times to the minute pass within their half unit.
func TestRoundingTolerance(t *testing.T) {
	rec := record()
	rec.Outlets[0].KgPerDay = 200.0123 // Monday 800.0492 printed 800, Thursday 600.0369 printed 600
	if rep := check(t, cleanSheet, rec); !rep.OK() {
		t.Fatalf("rounding flagged: %v", rep.Violations)
	}
	rec.Outlets[0].KgPerDay = 200.2 // Monday 800.8 kg: 0.8 kg not collected
	if rep := check(t, cleanSheet, rec); findings(rep.Violations) != "2:pickup:O1 4:pickup:O1" {
		t.Fatalf("0.8 kg short: %v", rep.Violations)
	}
}
