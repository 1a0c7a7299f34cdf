package trace

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rlplan/rlplan/planner/domain"
)

func TestNewPlanTrips(t *testing.T) {
	p := smallPlan(t)
	var ids []string
	for _, tr := range p.Trips {
		ids = append(ids, tr.ID)
	}
	want := "2030-03-04/P1-van-1/T1 2030-03-04/P1-van-1/T2 2030-03-04/P1-van-2/T1 2030-03-05/P1-van-1/T1 2030-03-06/P1-van-1/T1"
	if got := strings.Join(ids, " "); got != want {
		t.Fatalf("trips %s, want %s", got, want)
	}
	if got := len(p.StopsAt("O1")); got != 2 {
		t.Errorf("O1 has %d stops, want 2", got)
	}
	if !p.Monday.Equal(at(1, "00:00")) {
		t.Errorf("Monday = %v", p.Monday)
	}
	t1 := p.Trips[0]
	if t1.CapacityKg != 1000 || t1.CapacityPacks != 4 || t1.VehicleType != "van" {
		t.Errorf("trip 1 = %+v", t1)
	}
	// 5 km at 50 km/h before 09:00: leaves at 08:54.
	if got := p.Leaves(t1); !got.Equal(at(1, "08:54")) {
		t.Errorf("leaves %v, want 08:54", got)
	}
	// Back from O2 (0.1 degree of longitude east at 23 N) after 10:20.
	km := greatCircleKm(p.Outlets["O2"].Point, p.Plants["P1"].Point) * 1.3
	if km < 13 || km > 13.5 {
		t.Errorf("return leg %.2f km, want about 0.1 x 111.3 x cos 23 x 1.3 = 13.3 km", km)
	}
	wantBack := at(1, "10:20").Add(time.Duration(km/50*60+0.5) * time.Minute)
	if got := p.BackAt(t1); !got.Equal(wantBack) {
		t.Errorf("back at %v, want %v", got, wantBack)
	}
}

func TestNewPlanRefuses(t *testing.T) {
	base := smallPlan(t)
	places := Places{Plants: []domain.Plant{base.Plants["P1"]}, Fleet: []domain.FleetRow{{PlantID: "P1", VehicleType: "van", CapacityKg: 1000, CapacityPacks: 4, SpeedKmh: 50}}}
	for _, o := range base.Outlets {
		places.Outlets = append(places.Outlets, o)
	}
	ok := Stop{Line: 2, Day: 1, Date: "2030-03-04", Plant: "P1", Vehicle: "P1-van-1", VehicleType: "van", Trip: 1, Seq: 1, Outlet: "O1", Arrive: 540, Depart: 560}
	for name, tc := range map[string]struct {
		edit func(*Stop)
		want string
	}{
		"unknown outlet":   {func(s *Stop) { s.Outlet = "O99" }, `routes.csv:3: outlet "O99" is not an outlet`},
		"unknown plant":    {func(s *Stop) { s.Plant = "P9" }, `routes.csv:3: plant "P9" is not a plant`},
		"unknown type":     {func(s *Stop) { s.VehicleType = "lorry" }, `vehicle type "lorry" is not in plant P1's fleet (van)`},
		"day and date":     {func(s *Stop) { s.Day = 2 }, "day 2 on 2030-03-04: the sheet's week starts on 2030-03-04"},
		"stops out of seq": {func(s *Stop) { s.Seq = 1 }, "stop 1 of trip 1 follows stop 1 of trip 1"},
	} {
		second := ok
		second.Line, second.Seq, second.Outlet = 3, 2, "O2"
		tc.edit(&second)
		_, err := NewPlan("routes.csv", []Stop{ok, second}, places, nil, 1.3)
		var se *SheetError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want a *SheetError with %q", name, err, tc.want)
		}
	}
	// Without vehicle_type, the planner's names give the type.
	noType := ok
	noType.VehicleType = ""
	p, err := NewPlan("routes.csv", []Stop{noType}, places, nil, 1.3)
	if err != nil || p.Trips[0].VehicleType != "van" {
		t.Errorf("type from the name: %v %v", err, p)
	}
	noType.Vehicle = "truck 7"
	if _, err := NewPlan("routes.csv", []Stop{noType}, places, nil, 1.3); err == nil || !strings.Contains(err.Error(), `vehicle "truck 7": no vehicle type`) {
		t.Errorf("unknown name: %v", err)
	}
}

// LoadPlanDir reads a folder as rlplan writes it and names what is missing.
func TestLoadPlanDir(t *testing.T) {
	p := smallPlan(t)
	dir := t.TempDir()
	var sheet strings.Builder
	if err := domain.WriteSheet(&sheet, p.Stops); err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rec := &domain.PlanRecord{Format: domain.PlanRecordFormat, Week: "2030-W10", Monday: "2030-03-04",
		Settings: domain.WeekSettings{WorkDays: 6, Fill: 0.8, OpenHour: 8, CloseHour: 18, ShiftStartHour: 7, ServiceMin: 20, TripsPerDay: 3, Detour: 1.25, Year: 2030, RadiusKm: 15},
		Plants:   []domain.PlantRecord{{ID: "P1", Lat: 23, Lon: 113, IntakeKgPerWeek: 50000}},
		Fleet:    []domain.FleetRecord{{PlantID: "P1", VehicleType: "van", Count: 2, CapacityKg: 1000, CapacityPacks: 4, SpeedKmh: 50, ShiftHours: 10}}}
	for _, id := range []string{"O1", "O2", "O3", "O4", "O5", "O6"} {
		o := p.Outlets[id]
		rec.Outlets = append(rec.Outlets, domain.OutletRecord{ID: id, Lat: o.Point[1], Lon: o.Point[0], CapacityKg: 1000, KgPerDay: 300, PacksPerDay: 1, CycleWeeks: 1, Days: []int{1}, Plant: "P1"})
	}
	js, err := domain.EncodePlanRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	names := Places{Plants: []domain.Plant{{ID: "P1", Name: "Plant one", Province: "CN-GD"}, {ID: "P2", Name: "Plant two", Province: "CN-GD"}},
		Outlets: []domain.Outlet{{ID: "O1", Name: "Outlet one", Province: "CN-GD"}, {ID: "O9", Name: "Outlet nine", Province: "CN-GD"}}}
	if _, err := LoadPlanDir(dir, names, nil); err == nil || !strings.Contains(err.Error(), "no routes.csv") {
		t.Errorf("empty folder: %v", err)
	}
	write(RoutesFile, sheet.String())
	if _, err := LoadPlanDir(dir, names, nil); err == nil || !strings.Contains(err.Error(), "no plan.json") {
		t.Errorf("no plan.json: %v", err)
	}
	write(RecordFile, string(js))
	write(SitesFile, "id,name,lat,lon,province,type,capacity_kg,captured_tonnes,captured_cells,source\nO6,New site,23,113.3,CN-GD,collection,5000,12.5,3,candidate\n")
	got, err := LoadPlanDir(dir, names, nil)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case len(got.Trips) != 5 || got.Detour != 1.25:
		t.Errorf("%d trips, detour %v", len(got.Trips), got.Detour)
	case got.Outlets["O1"].Name != "Outlet one" || got.Outlets["O6"].Name != "New site" || got.Outlets["O9"].Name != "Outlet nine":
		t.Errorf("names: %+v %+v %+v", got.Outlets["O1"], got.Outlets["O6"], got.Outlets["O9"])
	case got.Rates["O1"].KgPerDay != 300 || got.Rates["O1"].Province != "CN-GD" || got.Plants["P1"].Name != "Plant one" || got.Plants["P2"].Name != "Plant two":
		t.Errorf("rates and plants: %+v %+v", got.Rates["O1"], got.Plants)
	case got.Trips[0].CapacityKg != 1000 || got.Trips[0].SpeedKmh != 50:
		t.Errorf("truck: %+v", got.Trips[0])
	}
	rec.Monday = "2030-03-11"
	js, _ = domain.EncodePlanRecord(rec)
	write(RecordFile, string(js))
	if _, err := LoadPlanDir(dir, names, nil); err == nil || !strings.Contains(err.Error(), "plan.json is for the week of 2030-03-11") {
		t.Errorf("other week: %v", err)
	}
	rec.Monday = "2030-03-04"
	js, _ = domain.EncodePlanRecord(rec)
	write(RecordFile, string(js))
	write(RoutesFile, strings.Replace(sheet.String(), ",O4,", ",O44,", 1))
	if _, err := LoadPlanDir(dir, names, nil); err == nil || !strings.Contains(err.Error(), "routes.csv:5: outlet \"O44\"") {
		t.Errorf("unknown outlet: %v", err)
	}
}
