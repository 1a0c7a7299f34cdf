package sheetcheck_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/sheetcheck"
)

// The hand-checked hub week: hub H1 (30 t of storage, 1440 kg a day of its
// own, 1 kg a minute, empty on Monday 00:00) has one truck (10 t, 40 packs,
// a 10-hour shift). It empties O3 and O4 (20 km, 20 min away each) on
// Monday, 8000 kg and 20 packs each (20 + 0.5 x 20 = 30 min of loading):
//
//	trip 1: leave 07:40, O3 08:00-08:30, back 08:50: the hub holds 530 + 8000 kg
//	trip 2: leave 09:20 (30 min reload), O4 09:40-10:10, back 10:30: 16,630 kg
//
// A 16 t leg leaves at 10:30 for plant P1, 360 km and 360 min away: at
// 16:30; 2 x 360 km x 11.6 CNY = 8352 CNY, 2 x 360 x 884 g = 636.48 kg CO2.
// At the end of the week the hub holds 630 + 9450 = 10,080 kg.
const hubSheet = `day,date,plant,vehicle,trip,seq,outlet_id,arrive,depart,pickup_kg,pickup_packs,load_kg,km,vehicle_type
1,2030-03-04,H1,H1-truck-1,1,1,O3,08:00,08:30,8000,20,8000,20,truck
1,2030-03-04,H1,H1-truck-1,2,2,O4,09:40,10:10,8000,20,8000,20,truck
`

const hubLegs = `day,date,hub,plant,leg,depart,arrive_day,arrive,load_kg,km,cost_cny,co2_kg
1,2030-03-04,H1,P1,1,10:30,1,16:30,16000,360,8352,636.48
`

const hubRoads = "from_id,to_id,km,minutes\nH1,O3,20,20\nH1,O4,20,20\nO3,O4,10,10\nH1,P1,360,360\n"

func hubRecord() *domain.PlanRecord {
	return &domain.PlanRecord{Format: domain.PlanRecordFormat, Week: "2030-W10", Monday: "2030-03-04",
		Settings: domain.WeekSettings{WorkDays: 6, Fill: 0.8, OpenHour: 8, CloseHour: 18, ShiftStartHour: 7, ServiceMin: 20, ServiceMinPerPack: 0.5,
			ReloadMin: 30, TripsPerDay: 3, Detour: 1.3},
		Plants: []domain.PlantRecord{{ID: "H1", Lat: 26.2, Lon: 113, IntakeKgPerWeek: 16000}, {ID: "P1", Lat: 23, Lon: 113, IntakeKgPerWeek: 50000}},
		Fleet:  []domain.FleetRecord{{PlantID: "H1", VehicleType: "truck", Count: 1, CapacityKg: 10000, CapacityPacks: 40, SpeedKmh: 60, ShiftHours: 10}},
		Outlets: []domain.OutletRecord{
			{ID: "O3", Lat: 26.3, Lon: 113, CapacityKg: 30000, KgPerDay: 8000.0 / 7, PacksPerDay: 20.0 / 7, CycleWeeks: 1, Days: []int{1}, Plant: "H1"},
			{ID: "O4", Lat: 26.3, Lon: 113.1, CapacityKg: 30000, KgPerDay: 8000.0 / 7, PacksPerDay: 20.0 / 7, CycleWeeks: 1, Days: []int{1}, Plant: "H1"},
		},
		Hubs:     []domain.HubRecord{{ID: "H1", Lat: 26.2, Lon: 113, StorageKg: 30000, KgPerDay: 1440, PacksPerDay: 5}},
		Linehaul: &domain.LinehaulRecord{PayloadKg: 25000, SpeedKmh: 60, CostPerKm: 11.6, CO2GPerKm: 884}}
}

func checkHub(t *testing.T, sheet, legs string, rec *domain.PlanRecord) *sheetcheck.Report {
	t.Helper()
	rows, err := domain.ReadSheet("routes.csv", strings.NewReader(sheet), nil)
	if err != nil {
		t.Fatal(err)
	}
	lrows, err := domain.ReadLinehaul("linehaul.csv", strings.NewReader(legs), nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "roads.csv")
	if err := os.WriteFile(path, []byte(hubRoads), 0o644); err != nil {
		t.Fatal(err)
	}
	rm, err := domain.ReadRoadMatrix(path, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sheetcheck.CheckWeek(rows, lrows, rec, rm)
}

func TestCleanHubWeek(t *testing.T) {
	rep := checkHub(t, hubSheet, hubLegs, hubRecord())
	if !rep.OK() || len(rep.Notes) > 0 {
		t.Fatalf("clean hub week: violations %v, notes %v", rep.Violations, rep.Notes)
	}
}

// Each edit breaks the limits worked out by hand, at the row named (sheet
// prefix L for linehaul.csv).
func TestHubEditsBreakTheirLimits(t *testing.T) {
	leg := "1,2030-03-04,H1,P1,1,10:30,1,16:30,16000,360,8352,636.48"
	editLeg := func(s string) string { return strings.Replace(hubLegs, leg, s, 1) }
	cases := []struct {
		name   string
		legs   string
		rec    func(*domain.PlanRecord)
		want   string
		detail string
	}{
		{name: "over the payload", legs: hubLegs, rec: func(r *domain.PlanRecord) { r.Linehaul.PayloadKg = 15000 },
			want: "L2:payload:H1", detail: "carries 16000.0 kg; the line-haul truck takes 15000 kg"},
		// At 09:00 the hub holds 540 + 8000 kg.
		{name: "leaves before its load is in", legs: editLeg("1,2030-03-04,H1,P1,1,09:00,1,15:00,16000,360,8352,636.48"),
			want: "L2:hub_stock:H1", detail: "carries 16000.0 kg, but hub H1 holds 8540.0 kg when it leaves"},
		// With 12 t of storage, trip 2 back at 10:30 finds 16,630 kg.
		{name: "over the hub's storage", legs: hubLegs, rec: func(r *domain.PlanRecord) { r.Hubs[0].StorageKg = 12000 },
			want: "3:hub_storage:O4", detail: "hub H1 holds 16630.0 kg when this trip is back (8000.0 kg delivered), over its storage limit 12000 kg"},
		{name: "arrives before the drive allows", legs: editLeg("1,2030-03-04,H1,P1,1,10:30,1,14:00,16000,360,8352,636.48"),
			want: "L2:linehaul_travel:H1", detail: "the 360 km drive at 60 km/h takes 360 min"},
		{name: "plant intake with the legs", legs: hubLegs, rec: func(r *domain.PlanRecord) { r.Plants[1].IntakeKgPerWeek = 10000 },
			want: "L2:plant_intake:H1", detail: "plant P1 receives 16000.0 kg this week with this leg"},
		{name: "unknown hub", legs: editLeg("1,2030-03-04,H9,P1,1,10:30,1,16:30,16000,360,8352,636.48"),
			want: "L2:linehaul_sheet:H9", detail: "hub H9 is not a hub of the plan"},
		{name: "legs numbered from 2", legs: editLeg("1,2030-03-04,H1,P1,2,10:30,1,16:30,16000,360,8352,636.48"),
			want: "L2:linehaul_sheet:H1", detail: "leg 2 of hub H1 follows leg 0"},
		{name: "wrong date", legs: editLeg("1,2030-03-05,H1,P1,1,10:30,1,16:30,16000,360,8352,636.48"),
			want: "L2:linehaul_sheet:H1", detail: "date 2030-03-05 is not day 1"},
		// Two legs of 16 t: the second finds 630 kg (+ its own since).
		{name: "a second leg with nothing in", legs: hubLegs + "1,2030-03-04,H1,P1,2,12:00,1,18:00,16000,360,8352,636.48\n",
			want: "L3:hub_stock:H1", detail: "leg 2 carries 16000.0 kg, but hub H1 holds 720.0 kg"},
		// No legs: the hub keeps everything: 16,000 kg delivered and a week of
		// its own, 10,080 kg: 26,080 kg at the end of the week.
		{name: "no leg", legs: "day,date,hub,plant,leg,depart,arrive_day,arrive,load_kg,km,cost_cny,co2_kg\n",
			rec:  func(r *domain.PlanRecord) { r.Hubs[0].StorageKg = 20000 },
			want: "L0:hub_storage:H1", detail: "holds 26080.0 kg at the end of the week, over its storage limit 20000 kg"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := hubRecord()
			if c.rec != nil {
				c.rec(rec)
			}
			rep := checkHub(t, hubSheet, c.legs, rec)
			var got []string
			for _, v := range rep.Violations {
				p := ""
				if v.Sheet == sheetcheck.LinehaulSheet {
					p = "L"
				}
				got = append(got, p+strings.Join([]string{strconv.Itoa(v.Line), string(v.Limit), v.Outlet}, ":"))
			}
			if strings.Join(got, " ") != c.want {
				t.Fatalf("findings %v, want %s", got, c.want)
			}
			if !strings.Contains(rep.Violations[0].Detail, c.detail) {
				t.Errorf("detail %q, want it to contain %q", rep.Violations[0].Detail, c.detail)
			}
		})
	}
	// A km figure that is not the road's is a note.
	rep := checkHub(t, hubSheet, editLeg("1,2030-03-04,H1,P1,1,10:30,1,16:30,16000,300,8352,636.48"), hubRecord())
	if !rep.OK() || len(rep.Notes) != 1 || rep.Notes[0].Limit != sheetcheck.LimitKm {
		t.Errorf("km 300 for 360: violations %v, notes %v; want one km note", rep.Violations, rep.Notes)
	}
}
