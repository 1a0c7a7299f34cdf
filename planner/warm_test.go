package planner

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rlplan/rlplan/internal/csvin"
	"github.com/rlplan/rlplan/planner/domain"
)

// plannedWeek plans Shanghai's week and writes its routes.csv and plan.json
// to a new folder, as the routes command does.
func plannedWeek(t *testing.T, in *Inputs, reg Regions, opt ScheduleOptions) (*Schedule, string) {
	t.Helper()
	sch, err := PlanWeek(context.Background(), in, reg, opt)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, b := range map[string][]byte{"routes.csv": sch.SheetCSV, "plan.json": sch.RecordJSON} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return sch, dir
}

func shanghai(t *testing.T) (*Inputs, Regions, ScheduleOptions) {
	in := loadDefault(t)
	reg, err := ParseRegions(in, []string{"CN-SH"})
	if err != nil {
		t.Fatal(err)
	}
	return in, reg, ScheduleOptions{Year: 2030, Week: "2030-W10", TimeLimit: 5 * time.Minute, Seed: 1, VehicleDayCost: 600, ReloadMin: 30}
}

// TestWarmStartWeek plans Shanghai's week, then plans it again from the
// written folder with unchanged data. With a charge of a hundredth of a
// yuan per outlet moved (a warm start only, in effect) the search is free
// to move outlets and keeps the cheapest plan: it costs no more than the
// first week and serves no fewer outlets (it finds about 1 % less by moving
// most outlets to other trucks). With the default (charge 0: derived,
// ConsistencyTradeOff times the previous sheet's cost per outlet) and with
// 50 CNY per outlet moved, at least 90 % of the outlets keep their truck
// and weekday, at no more than 1 % above the first week. With a charge
// above any saving, the second sheet is the first, row for row, at the
// same cost: the previous cost is priced from the sheet, whose km are
// rounded to 10 m, and this week at the same precision, so the change is 0. Every sheet passes the sheet check (PlanWeek runs it),
// and the warm week is reproducible.
func TestWarmStartWeek(t *testing.T) {
	if testing.Short() {
		t.Skip("plans Shanghai's week five times (-short)")
	}
	in, reg, opt := shanghai(t)
	first, dir := plannedWeek(t, in, reg, opt)
	var warned []string
	prev, err := ReadPrevious(dir, func(m string) { warned = append(warned, m) })
	if err != nil {
		t.Fatal(err)
	}
	visited := map[string]bool{}
	for _, st := range first.Stops {
		visited[st.Outlet] = true
	}
	cheapest := first.Cost
	for _, cc := range []float64{0.01, 0, 50, 1e6} {
		o := opt
		o.Previous, o.ConsistencyCost = prev, cc
		sch, err := PlanWeek(context.Background(), in, reg, o)
		if err != nil {
			t.Fatal(err)
		}
		c := sch.Consistency
		if c == nil {
			t.Fatal("no consistency report with a warm start")
		}
		t.Logf("charge %g (used %.2f): kept %d of %d (%.1f %%), cost %.0f -> %.0f", cc, c.Charge, c.Kept, c.Outlets, 100*c.Share, c.PreviousCost, sch.Cost)
		if c.Outlets != len(visited) || c.NotDue != 0 {
			t.Errorf("charge %g: compared %d outlets (%d not due), want the %d of the first sheet", cc, c.Outlets, c.NotDue, len(visited))
		}
		if math.Abs(c.PreviousCost-first.Cost) > 1e-4*first.Cost {
			t.Errorf("charge %g: previous cost from the sheet %.2f, planned %.2f", cc, c.PreviousCost, first.Cost)
		}
		want := cc
		if cc == 0 {
			want = 0.1 * c.PreviousCost / float64(len(visited))
		}
		if math.Abs(c.Charge-want) > 1e-9*want {
			t.Errorf("charge %g: the search used %.4f CNY per outlet moved, want %.4f", cc, c.Charge, want)
		}
		if len(sch.Unserved) > len(first.Unserved) || c.Dropped > 0 {
			t.Errorf("charge %g: %d unserved (%d dropped), the first week %d: a warm start never serves fewer", cc, len(sch.Unserved), c.Dropped, len(first.Unserved))
		}
		if c.Added == 0 && c.Dropped == 0 && (math.Abs(c.CollectedKg-c.PreviousKg) > 1e-6*c.PreviousKg || c.PreviousKg == 0) {
			t.Errorf("charge %g: the same outlets visited, yet %.1f kg collected against %.1f", cc, c.CollectedKg, c.PreviousKg)
		}
		if cc == 0.01 {
			if sch.Cost > first.Cost+1e-6 {
				t.Errorf("warm start only: cost %.2f, want at most the first week's %.2f", sch.Cost, first.Cost)
			}
			cheapest = min(cheapest, sch.Cost)
		}
		if cc != 0.01 && (c.Share < 0.9 || sch.Cost > 1.01*first.Cost) {
			t.Errorf("charge %g: kept %.3f of the outlets at cost %.0f (first %.0f), want >= 0.9 at <= +1 %%", cc, c.Share, sch.Cost, first.Cost)
		}
		if cc != 0.01 {
			t.Logf("charge %g: %+.2f %% against the warm start only", cc, 100*(sch.Cost/cheapest-1))
		}
		if cc == 1e6 {
			if c.Kept != c.Outlets || !reflect.DeepEqual(sch.SheetCSV, first.SheetCSV) {
				t.Errorf("charge %g: kept %d of %d, sheets equal %v: want the first week exactly", cc, c.Kept, c.Outlets, reflect.DeepEqual(sch.SheetCSV, first.SheetCSV))
			}
			// priced alike (this week at its sheet's precision), an
			// unchanged sheet costs what it did: no rounding change
			if math.Abs(c.CostChange) > 1e-6 || math.Abs(c.PerTonneChange) > 1e-12 {
				t.Errorf("charge %g: the same sheet changes the cost by %.6f CNY (%.3g per tonne), want 0", cc, c.CostChange, c.PerTonneChange)
			}
			continue
		}
		if cc != 0 {
			continue
		}
		again, err := PlanWeek(context.Background(), in, reg, o)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again.SheetCSV, sch.SheetCSV) {
			t.Error("two warm starts with the same seed give different sheets")
		}
	}
	if len(warned) != 0 {
		t.Errorf("warnings on unchanged data: %q", warned)
	}
}

// TestWarmStartGoneOutletsAndTrucks: outlets no longer in the inputs and
// trucks above today's count are reported once each, with the sheet's file
// and line, and not preferred; the week is still planned and checked.
func TestWarmStartGoneOutletsAndTrucks(t *testing.T) {
	if testing.Short() {
		t.Skip("plans Shanghai's week twice (-short)")
	}
	in, reg, opt := shanghai(t)
	first, dir := plannedWeek(t, in, reg, opt)
	gone := first.Stops[0].Outlet
	var truck Stop // a truck numbered 2 or more: its type keeps one truck
	for _, st := range first.Stops {
		if strings.HasSuffix(st.Vehicle, "-2") {
			truck = st
			break
		}
	}
	if truck.Vehicle == "" {
		t.Fatal("no second truck in Shanghai's week")
	}
	changed := *in
	changed.Outlets = nil
	for _, o := range in.Outlets {
		if o.ID != gone {
			changed.Outlets = append(changed.Outlets, o)
		}
	}
	changed.Fleet = append([]FleetRow(nil), in.Fleet...)
	for i, f := range changed.Fleet {
		if f.PlantID == truck.Plant && f.VehicleType == truck.VehicleType {
			changed.Fleet[i].Count = 1
		}
	}
	var warned []string
	prev, err := ReadPrevious(dir, func(m string) { warned = append(warned, m) })
	if err != nil {
		t.Fatal(err)
	}
	o := opt
	o.Previous = prev
	sch, err := PlanWeek(context.Background(), &changed, reg, o)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(warned, "\n")
	for _, want := range []string{"routes.csv:", "outlet " + gone + " is not among this plan's outlets", "truck " + truck.Vehicle + " (" + truck.VehicleType + ") is not in plant"} {
		if !strings.Contains(text, want) {
			t.Errorf("warnings %q do not say %q", warned, want)
		}
	}
	if strings.Count(text, "outlet "+gone+" ") != 1 {
		t.Errorf("outlet %s reported %d times, want once", gone, strings.Count(text, "outlet "+gone+" "))
	}
	if sch.Consistency == nil || sch.Consistency.Kept == 0 {
		t.Errorf("consistency %+v: the other outlets should keep their trucks", sch.Consistency)
	}
}

// TestReadPreviousErrors: a folder without a plan, and a sheet that does
// not belong to its plan record, are errors naming the file and line.
func TestReadPreviousErrors(t *testing.T) {
	empty := t.TempDir()
	_, err := ReadPrevious(empty, nil)
	var pe *domain.PlanRecordError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "plan.json") || !strings.Contains(err.Error(), "warm start needs") {
		t.Errorf("empty folder: %v, want a plan record error naming plan.json", err)
	}
	dir := t.TempDir()
	record := `{"format": "rlplan-week/1", "week": "2030-W10", "monday": "2030-03-04",
 "settings": {"work_days": 5, "fill": 0.8, "open_hour": 8, "close_hour": 18, "shift_start_hour": 7, "service_min": 20,
  "service_min_per_pack": 0.5, "reload_min": 30, "trips_per_day": 3, "detour": 1.3,
  "year": 2030, "radius_km": 20, "max_cycle_weeks": 4, "vehicle_day_cost": 600, "seed": 1},
 "plants": [{"id": "P1", "lat": 31.2, "lon": 121.4, "intake_kg_per_week": 100000}],
 "fleet": [{"plant_id": "P1", "vehicle_type": "van", "count": 2, "capacity_kg": 2000, "capacity_packs": 20, "speed_kmh": 40, "shift_hours": 9}],
 "outlets": [{"id": "O1", "lat": 31.3, "lon": 121.5, "capacity_kg": 5000, "kg_per_day": 100, "packs_per_day": 1, "cycle_weeks": 1, "days": [1], "plant": "P1"}]}
`
	head := strings.Join(domain.SheetColumns, ",") + "\n"
	row := func(day, plant, outlet string) string {
		return day + ",2030-03-04," + plant + "," + plant + "-van-1,1,1," + outlet + ",08:00,08:20,100.0,1.0,100.0,10.00,van\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "plan.json"), []byte(record), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ sheet, want string }{
		{head + row("1", "P1", "O1") + row("6", "P1", "O1"), `routes.csv:3: column "day"`},
		{head + row("1", "P2", "O1"), `routes.csv:2: column "plant"`},
		{head + row("1", "P1", "O1") + row("2", "P1", "O9"), `routes.csv:3: column "outlet_id"`},
	} {
		if err := os.WriteFile(filepath.Join(dir, "routes.csv"), []byte(c.sheet), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadPrevious(dir, nil)
		var ce *csvin.Error
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("sheet %q: %v, want a csv error with %q", c.sheet, err, c.want)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "routes.csv"), []byte(head+row("1", "P1", "O1")), 0o644); err != nil {
		t.Fatal(err)
	}
	prev, err := ReadPrevious(dir, nil)
	if err != nil || len(prev.Rows) != 1 || prev.Plan.Settings.WorkDays != 5 {
		t.Errorf("a matching folder: %+v, %v", prev, err)
	}
}
