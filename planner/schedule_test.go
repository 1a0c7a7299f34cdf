package planner

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/solver"
)

// TestWeekSimulation plans a week for Shanghai on the embedded data and
// replays it from the route sheet alone: every outlet's stock, accumulating
// at its catchment rate between the visits the sheet shows (the week
// repeating), never exceeds its storage limit; trucks never exceed their
// capacity or shift; every route starts and ends at its plant; service
// starts inside opening hours; plants stay within their weekly intake.
func TestWeekSimulation(t *testing.T) {
	in := loadDefault(t)
	reg, err := ParseRegions(in, []string{"CN-SH"})
	if err != nil {
		t.Fatal(err)
	}
	opt := ScheduleOptions{Year: 2030, Week: "2030-W10", TimeLimit: 5 * time.Minute, Seed: 1, VehicleDayCost: 600, ReloadMin: 30}
	if testing.Short() {
		opt.Effort = 0.25 // the race step: the limits below hold for any search budget
	}
	sch, err := PlanWeek(context.Background(), in, reg, opt)
	if err != nil {
		t.Fatal(err)
	}
	if sch.Status != solver.IterationLimit {
		t.Fatalf("status %q: the iteration budget should end the search", sch.Status)
	}
	// Determinism: a second run (skipped with -short, as under the race
	// detector, where one run of the parallel plants is what is checked).
	if !testing.Short() {
		again, err := PlanWeek(context.Background(), in, reg, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(sch.Stops, again.Stops) || !reflect.DeepEqual(sch.Unserved, again.Unserved) {
			t.Fatal("two runs with the same seed give different route sheets")
		}
	}
	if len(sch.Stops) == 0 {
		t.Fatal("no stops planned for Shanghai")
	}
	if err := opt.Resolve(); err != nil {
		t.Fatal(err)
	}
	unserved := map[string]bool{}
	for _, u := range sch.Unserved {
		unserved[u.Outlet] = true
		if u.Reason == "" || u.Detail == "" {
			t.Errorf("unserved outlet %s has no reason or detail: %+v", u.Outlet, u)
		}
	}
	// A split pickup is several stops of one outlet on one day (pieces on
	// several trucks or trips): one visit.
	visitDays := map[string][]int{}
	for _, s := range sch.Stops {
		if ds := visitDays[s.Outlet]; !slices.Contains(ds, s.Day) {
			visitDays[s.Outlet] = append(ds, s.Day)
		}
	}
	// Storage: replay each outlet.
	for _, op := range sch.Outlets {
		days := visitDays[op.Outlet.ID]
		sort.Ints(days)
		limit := op.Outlet.CapacityKg * opt.FillTarget
		switch {
		case unserved[op.Outlet.ID]:
			continue
		case op.CycleWeeks > 1:
			if len(days) > 1 {
				t.Errorf("outlet %s on a %d-week cycle visited %d times", op.Outlet.ID, op.CycleWeeks, len(days))
			}
			if op.KgPerDay*7*float64(op.CycleWeeks) > limit+1e-6 {
				t.Errorf("outlet %s: %d weeks x %.1f kg/day exceeds %.0f kg", op.Outlet.ID, op.CycleWeeks, op.KgPerDay, limit)
			}
		case op.VisitsNeeded > 0 && len(days) == 0:
			t.Errorf("outlet %s needs %d visits, sheet has none and it is not listed unserved", op.Outlet.ID, op.VisitsNeeded)
		case len(days) > 0:
			for i, d := range days {
				if i > 0 && d == days[i-1] {
					t.Errorf("outlet %s visited twice on day %d", op.Outlet.ID, d)
				}
				prev := days[(i+len(days)-1)%len(days)]
				gap := d - prev
				if gap <= 0 {
					gap += 7
				}
				if stock := op.KgPerDay * float64(gap); stock > limit+1e-6 {
					t.Errorf("outlet %s: %d days between visits fill %.0f kg, over its %.0f kg fill limit (capacity %.0f)",
						op.Outlet.ID, gap, stock, limit, op.Outlet.CapacityKg)
				}
			}
		}
	}
	// Trucks: rebuild each vehicle-day from the stops.
	plants := map[string]Plant{}
	for _, p := range in.Plants {
		plants[p.ID] = p
	}
	fleet := map[string]FleetRow{}
	for _, f := range in.Fleet {
		fleet[f.PlantID+"-"+f.VehicleType] = f
	}
	outlets := map[string]Outlet{}
	for _, o := range in.Outlets {
		outlets[o.ID] = o
	}
	type vd struct {
		day     int
		vehicle string
	}
	stops := map[vd][]Stop{}
	for _, s := range sch.Stops {
		stops[vd{s.Day, s.Vehicle}] = append(stops[vd{s.Day, s.Vehicle}], s)
	}
	perPlantDay := map[string]int{}
	delivered := map[string]float64{}
	f := opt.Detour.Factor()
	multi := 0
	for _, v := range sch.Vehicles {
		ss := stops[vd{v.Day, v.Vehicle}]
		cut := strings.LastIndex(v.Vehicle, "-")
		fr, ok := fleet[v.Vehicle[:cut]]
		if !ok || fr.PlantID != v.Plant {
			t.Fatalf("vehicle %s does not belong to plant %s's fleet", v.Vehicle, v.Plant)
		}
		perPlantDay[v.Vehicle[:cut]+string(rune('0'+v.Day))]++
		// Travel minutes at the slowest speed of the plant's fleet (the
		// schedule's one duration matrix per plant).
		speed := math.Inf(1)
		for _, g := range in.Fleet {
			if g.PlantID == v.Plant {
				speed = math.Min(speed, g.SpeedKmh)
			}
		}
		travel := func(a, b Outlet) float64 { return float64(geo.Haversine(a.Point, b.Point)) * f / speed * 60 }
		plant := Outlet{Point: plants[v.Plant].Point}
		var dayKg, km float64
		var tripKg, tripPacks float64
		trips := 0
		prev := plant
		clock := v.Startat // earliest the truck can be at the next place
		for i, s := range ss {
			if s.Seq != i+1 || s.Plant != v.Plant {
				t.Fatalf("%s day %d: stop %d has seq %d plant %s", v.Vehicle, v.Day, i+1, s.Seq, s.Plant)
			}
			if s.Trip != trips {
				if s.Trip != trips+1 {
					t.Fatalf("%s day %d: trip %d follows trip %d", v.Vehicle, v.Day, s.Trip, trips)
				}
				if trips > 0 { // back to the plant, unload, out again
					km += float64(geo.Haversine(prev.Point, plant.Point)) * f
					clock += travel(prev, plant) + opt.ReloadMin
					prev = plant
				}
				trips++
				tripKg, tripPacks = 0, 0
			}
			o := outlets[s.Outlet]
			leg := float64(geo.Haversine(prev.Point, o.Point)) * f
			if math.Abs(leg-s.Km) > 1e-6 {
				t.Errorf("%s: leg to %s is %.3f km on the sheet, %.3f km recomputed", v.Vehicle, s.Outlet, s.Km, leg)
			}
			km += leg
			if arr := clock + travel(prev, o); s.Arrive < arr-1e-6 {
				t.Errorf("%s day %d trip %d: arrives at %s at %s, cannot be there before %s", v.Vehicle, v.Day, s.Trip, s.Outlet, Clock(s.Arrive), Clock(arr))
			}
			prev = o
			tripKg += s.PickupKg
			tripPacks += s.PickupPacks
			dayKg += s.PickupKg
			if math.Abs(s.LoadKg-tripKg) > 1e-6 {
				t.Errorf("%s day %d trip %d: load %.1f kg on the sheet after %s, %.1f kg picked up on the trip", v.Vehicle, v.Day, s.Trip, s.LoadKg, s.Outlet, tripKg)
			}
			if tripKg > fr.CapacityKg+1e-6 || tripPacks > float64(fr.CapacityPacks)+1e-6 {
				t.Errorf("%s day %d trip %d carries %.0f kg / %.1f packs, capacity %.0f kg / %d packs", v.Vehicle, v.Day, s.Trip, tripKg, tripPacks, fr.CapacityKg, fr.CapacityPacks)
			}
			service := opt.ServiceMin + opt.ServiceMinPerPack*math.Ceil(s.PickupPacks)
			start := s.Depart - service
			if start < opt.OpenHour*60-1e-6 || start > opt.CloseHour*60+1e-6 || start < s.Arrive-1e-6 {
				t.Errorf("%s at %s: arrives %s, service %s-%s outside opening hours %g-%g", v.Vehicle, s.Outlet, Clock(s.Arrive), Clock(start), Clock(s.Depart), opt.OpenHour, opt.CloseHour)
			}
			clock = s.Depart
		}
		km += float64(geo.Haversine(prev.Point, plant.Point)) * f // back to its plant
		back := clock + travel(prev, plant)
		if trips != v.Trips || trips > opt.TripsPerDay {
			t.Errorf("%s day %d: %d trips on the sheet, %d in the summary, at most %d allowed", v.Vehicle, v.Day, trips, v.Trips, opt.TripsPerDay)
		}
		if trips > 1 {
			multi++
		}
		if math.Abs(km-v.Km) > 1e-6 {
			t.Errorf("%s day %d: %.3f km on the sheet, %.3f km plant to plant recomputed", v.Vehicle, v.Day, v.Km, km)
		}
		if math.Abs(v.Cost-(opt.VehicleDayCost+fr.CostPerKm*km)) > 1e-6 {
			t.Errorf("%s day %d: cost %.2f, want %g + %g x %.3f km", v.Vehicle, v.Day, v.Cost, opt.VehicleDayCost, fr.CostPerKm, km)
		}
		shiftEnd := opt.ShiftStartHour*60 + fr.ShiftHours*60
		if v.Startat < opt.ShiftStartHour*60-1e-9 || back > shiftEnd+1e-6 || v.Return < back-1e-6 || v.Return > shiftEnd+1e-6 {
			t.Errorf("%s day %d: leaves %s, back %s (earliest %s), shift %g h from %s", v.Vehicle, v.Day, Clock(v.Startat), Clock(v.Return), Clock(back), fr.ShiftHours, Clock(opt.ShiftStartHour*60))
		}
		delivered[v.Plant] += dayKg
	}
	if multi == 0 {
		t.Errorf("no truck makes a second trip: chaining never happened, so its checks proved nothing")
	}
	for key, n := range perPlantDay {
		fr := fleet[key[:len(key)-1]]
		if n > fr.Count {
			t.Errorf("%s uses %d trucks on one day, has %d", key, n, fr.Count)
		}
	}
	for id, kg := range delivered {
		if kg > plants[id].IntakeKgPerWeek+1e-6 {
			t.Errorf("plant %s receives %.0f kg, intake limit %.0f kg/week", id, kg, plants[id].IntakeKgPerWeek)
		}
	}
	t.Logf("Shanghai week: %d stops, %d trips, %d truck-days (%d with more than one trip), %.0f km, %.1f t, %d unserved",
		len(sch.Stops), sch.Trips, sch.VehicleDays, multi, sch.Km, sch.CollectedKg/1000, len(sch.Unserved))
}

// An interrupted week is still a valid one: no plant uses more trucks of a
// type on a day than it has, whatever the engine had planned when stopped.
// Guangdong's plants are planned one at a time and the run is stopped
// after each number of them in turn, so every plant is once the one
// interrupted (among them P030, whose three-trip week does not fit its
// fleet).
func TestInterruptedWeekKeepsFleet(t *testing.T) {
	if testing.Short() {
		t.Skip("plans Guangdong's week once per plant (-short)")
	}
	in := loadDefault(t)
	reg, err := ParseRegions(in, []string{"CN-GD"})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, f := range in.Fleet {
		count[f.PlantID+"-"+f.VehicleType] = f.Count
	}
	// A plant whose problem is trivial (one outlet, or none left after
	// the plant assignment) is solved to the end whatever the context: a
	// stop before only such plants cuts nothing short, and the week must
	// then be the uninterrupted one.
	// A quarter of the default search budgets: the fleet limit holds for
	// any budget, and the run is repeated once per plant.
	const effort = 0.25
	full, err := PlanWeek(context.Background(), in, reg, ScheduleOptions{Year: 2030, Week: "2030-W10", TimeLimit: time.Minute, Seed: 1,
		VehicleDayCost: 600, ReloadMin: 30, Workers: 1, Effort: effort})
	if err != nil {
		t.Fatal(err)
	}
	for stopAfter := 0; ; stopAfter++ {
		ctx, cancel := context.WithCancel(context.Background())
		total := 0
		opt := ScheduleOptions{Year: 2030, Week: "2030-W10", TimeLimit: time.Minute, Seed: 1, VehicleDayCost: 600, ReloadMin: 30,
			Workers: 1, Effort: effort, Progress: func(done, n int) {
				total = n
				if done == stopAfter {
					cancel()
				}
			}}
		if stopAfter == 0 {
			cancel()
		}
		sch, err := PlanWeek(ctx, in, reg, opt)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if stopAfter >= total {
			break // every plant finished: nothing was interrupted
		}
		if !sch.Interrupted && (len(sch.Stops) != len(full.Stops) || sch.Km != full.Km) {
			t.Errorf("stopped after %d of %d plants: %d stops, %.1f km (uninterrupted: %d, %.1f) and not marked interrupted",
				stopAfter, total, len(sch.Stops), sch.Km, len(full.Stops), full.Km)
		}
		used := map[string]int{}
		for _, v := range sch.Vehicles {
			typ := v.Vehicle[:strings.LastIndex(v.Vehicle, "-")]
			k := fmt.Sprintf("%s day %d", typ, v.Day)
			used[k]++
			if used[k] > count[typ] {
				t.Errorf("stopped after %d plants: %s uses %d trucks on day %d, has %d", stopAfter, typ, used[k], v.Day, count[typ])
			}
		}
	}
}
