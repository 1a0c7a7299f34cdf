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
	places := Places{Plants: []domain.Plant{p.Plants["P1"], p.Plants["P2"]}, Fleet: []domain.FleetRow{{PlantID: "P1", VehicleType: "van", CapacityKg: 1000, CapacityPacks: 4, SpeedKmh: 50}}}
	for _, id := range sortedKeys(p.Outlets) {
		if id != "O6" {
			places.Outlets = append(places.Outlets, p.Outlets[id])
		}
	}
	if _, err := LoadPlanDir(dir, places, nil); err == nil || !strings.Contains(err.Error(), "no routes.csv") {
		t.Errorf("empty folder: %v", err)
	}
	write(RoutesFile, sheet.String())
	if _, err := LoadPlanDir(dir, places, nil); err == nil || !strings.Contains(err.Error(), "visits.csv") {
		t.Errorf("no visits.csv: %v", err)
	}
	write(VisitsFile, "outlet_id,province,capacity_kg,kg_per_day,packs_per_day,cycle_weeks,visits_this_week,days,plant\nO1,CN-GD,1000,300,1,1,2,Mon Wed,P1\n")
	write(SitesFile, "id,name,lat,lon,province,type,capacity_kg,captured_tonnes,captured_cells,source\nO6,New site,23,113.3,CN-GD,collection,5000,12.5,3,candidate\n")
	write(KPIsFile, `{"detour": 1.25}`)
	got, err := LoadPlanDir(dir, places, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Trips) != 5 || got.Detour != 1.25 || got.Outlets["O6"].Name != "New site" || got.Rates["O1"].KgPerDay != 300 {
		t.Errorf("loaded %d trips, detour %v, O6 %+v, O1 %+v", len(got.Trips), got.Detour, got.Outlets["O6"], got.Rates["O1"])
	}
	write(RoutesFile, strings.Replace(sheet.String(), ",O4,", ",O44,", 1))
	if _, err := LoadPlanDir(dir, places, nil); err == nil || !strings.Contains(err.Error(), "routes.csv:5: outlet \"O44\"") {
		t.Errorf("unknown outlet: %v", err)
	}
}
