package week

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
)

func resolved(t *testing.T, o Options) *Options {
	t.Helper()
	if err := o.Resolve(); err != nil {
		t.Fatal(err)
	}
	return &o
}

// Stage 1: cells go to their nearest outlet within the radius; the rest is
// left over. 0.01 degree of latitude is 1.112 km, x 1.3 by road.
func TestNearestOutletHandChecked(t *testing.T) {
	outlets := []domain.Outlet{{ID: "O1", Point: orb.Point{113, 23}}, {ID: "O2", Point: orb.Point{113, 23.2}}}
	cells := []domain.DensityCell{
		{Center: orb.Point{113, 23.01}, Tonnes: 36.5, Packs: 73},  // O1, 1.4 km
		{Center: orb.Point{113, 23.19}, Tonnes: 73, Packs: 365},   // O2, 1.4 km
		{Center: orb.Point{113, 23.02}, Tonnes: 3.65, Packs: 7.3}, // O1, 2.9 km
		{Center: orb.Point{113, 23.5}, Tonnes: 10, Packs: 20},     // O2 at 43 km: beyond 20 km
	}
	d, _ := geo.NewDetour(1.3)
	c, err := NearestOutlet(cells, outlets, 20, d)
	if err != nil {
		t.Fatal(err)
	}
	want := []Rate{{KgPerDay: 110, PacksPerDay: 0.22}, {KgPerDay: 200, PacksPerDay: 1}}
	for i, w := range want {
		if math.Abs(c.Rates[i].KgPerDay-w.KgPerDay) > 1e-9 || math.Abs(c.Rates[i].PacksPerDay-w.PacksPerDay) > 1e-12 {
			t.Errorf("%s: %+v, want %+v", outlets[i].ID, c.Rates[i], w)
		}
	}
	if len(c.Left) != 1 || c.Left[0] != (Leftover{Cause: LeftBeyondRadius, Cells: 1, TonnesPerYear: 10}) {
		t.Errorf("left over %+v, want one cell of 10 t beyond the radius", c.Left)
	}
	if _, err := NearestOutlet(cells, nil, 20, d); err == nil {
		t.Error("no outlets accepted")
	}
}

// Stage 2 by hand: storage 5000 kg at fill 0.8 is 4000 kg.
//   - 1000 kg a day lasts 4 days: 7/4 = 1.75, so 2 visits a week on patterns
//     whose gaps are at most 4 days, the largest pickup 4 days' worth;
//   - 100 kg a day lasts 40 days: emptied every min(5, 4) = 4 weeks;
//   - 5000 kg a day lasts 0.8 days: 6 work days cannot keep up.
func TestVisitRulesHandChecked(t *testing.T) {
	opt := resolved(t, Options{Year: 2030})
	c := &Catchments{
		Outlets: []domain.Outlet{{ID: "A", CapacityKg: 5000}, {ID: "B", CapacityKg: 5000}, {ID: "C", CapacityKg: 5000}, {ID: "D", CapacityKg: 5000}},
		Rates:   []Rate{{KgPerDay: 1000, PacksPerDay: 3}, {KgPerDay: 100, PacksPerDay: 0.5}, {KgPerDay: 5000, PacksPerDay: 10}, {KgPerDay: 0, PacksPerDay: 0}},
	}
	monday, _ := ParseISOWeek("2030-W10")
	r, err := VisitRules(c, monday, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Outlets) != 3 {
		t.Fatalf("%d outlets with a rule, want 3 (D has no catchment)", len(r.Outlets))
	}
	a := r.Due[0]
	var names []string
	for _, p := range a.Patterns {
		names = append(names, PatternDays(p))
	}
	if r.Outlets[0].VisitsNeeded != 2 || strings.Join(names, "|") != "Mon Thu|Mon Fri|Tue Fri|Tue Sat|Wed Sat" || a.VisitKg != 4000 || a.VisitPacks != 12 || a.WeekKg != 7000 {
		t.Errorf("A: %d visits on %s, %g kg and %g packs a visit, %g kg a week", r.Outlets[0].VisitsNeeded, names, a.VisitKg, a.VisitPacks, a.WeekKg)
	}
	if b := r.Outlets[1]; b.CycleWeeks != 4 {
		t.Errorf("B: every %d weeks, want 4", b.CycleWeeks)
	}
	due := (weekIndex(monday)+phaseOf("B", 4))%4 == 0
	if got := len(r.Due) == 2; got != due {
		t.Errorf("B due this week: %v, want %v", got, due)
	}
	if len(r.Unserved) != 1 || r.Unserved[0].Outlet != "C" || r.Unserved[0].Reason != UnservedStorage ||
		!strings.Contains(r.Unserved[0].Detail, "receives 5000 kg/day and reaches 80% of its 5000 kg limit in 0.8 days") {
		t.Errorf("unserved %+v", r.Unserved)
	}
}

// Issue 15: a storage limit of 1e-300 kg or the rate of 1e30 vehicles made
// 7/maxGap overflow an int and the pattern loop run for ever; a rate that
// underflows made the gap infinite. Each is now a plain outcome, and a rate
// that is not a number is an error naming the outlet.
func TestVisitRulesExtremeInputs(t *testing.T) {
	opt := resolved(t, Options{Year: 2030})
	monday, _ := ParseISOWeek("2030-W10")
	c := &Catchments{
		Outlets: []domain.Outlet{{ID: "tiny", CapacityKg: 1e-300}, {ID: "flood", CapacityKg: 5000}, {ID: "trickle", CapacityKg: 5000}, {ID: "huge", CapacityKg: 1e300}},
		Rates:   []Rate{{KgPerDay: 100, PacksPerDay: 1}, {KgPerDay: 1e27, PacksPerDay: 1e24}, {KgPerDay: 5e-324, PacksPerDay: 1e-320}, {KgPerDay: 1e290, PacksPerDay: 1e287}},
	}
	r, err := VisitRules(c, monday, opt)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, u := range r.Unserved {
		reasons[u.Outlet] = u.Reason
	}
	if reasons["tiny"] != UnservedStorage || reasons["flood"] != UnservedStorage {
		t.Errorf("unserved %v: want tiny and flood for their storage limit", reasons)
	}
	for _, o := range r.Outlets {
		if o.Outlet.ID == "trickle" && o.CycleWeeks != opt.MaxCycleWeeks {
			t.Errorf("trickle: every %d weeks, want the longest cycle %d", o.CycleWeeks, opt.MaxCycleWeeks)
		}
	}
	for _, d := range r.Due {
		if id := r.Outlets[d.Outlet].Outlet.ID; id == "huge" && (d.VisitKg < 1e290 || math.IsInf(d.VisitKg, 0)) {
			t.Errorf("huge: %g kg a visit", d.VisitKg)
		}
	}
	for _, bad := range []Rate{{KgPerDay: math.NaN(), PacksPerDay: 1}, {KgPerDay: math.Inf(1), PacksPerDay: 1}, {KgPerDay: 1, PacksPerDay: math.Inf(1)}} {
		c := &Catchments{Outlets: []domain.Outlet{{ID: "O9", CapacityKg: 5000}}, Rates: []Rate{bad}}
		if _, err := VisitRules(c, monday, opt); err == nil || !strings.Contains(err.Error(), "outlet O9") {
			t.Errorf("rate %+v: error %v, want one naming O9", bad, err)
		}
	}
	if amount(1e300) != maxAmount || amount(math.NaN()) != maxAmount || amount(4500.7) != 4500 {
		t.Error("amounts are not clamped to the engine's range")
	}
}

// fewestVisits for every number of work days and gaps down to the tiniest:
// always at most workDays visits, patterns with exactly that many, and
// every gap within the limit.
func TestFewestVisitsBounded(t *testing.T) {
	for wd := 1; wd <= 7; wd++ {
		for _, g := range []float64{1e-300, 0.5, 1, 1.5, 2, 3, 3.5, 4, 6.99, 7, 100, math.Inf(1), math.NaN()} {
			pats, f := fewestVisits(wd, g)
			if f > wd || f < 0 {
				t.Errorf("%d work days, gap %g: %d visits", wd, g, f)
			}
			for _, p := range pats {
				if ones := strings.Count(PatternDays(p), " ") + 1; ones != f {
					t.Errorf("%d work days, gap %g: pattern %s has %d visits, want %d", wd, g, PatternDays(p), ones, f)
				}
				if maxGapOf([]uint32{p}) > int(math.Min(g, 7)) || p >= 1<<wd {
					t.Errorf("%d work days, gap %g: pattern %s", wd, g, PatternDays(p))
				}
			}
		}
	}
}

// Stage 3 by hand: plant P1 (one 2000 kg truck, 10-hour shift from 07:00,
// 60 km/h, intake 3000 kg a week) and P2 far away. Near is 13 km from P1;
// Second too, but P1's intake is used up by Near; Far is 600 km from P1 as
// the crow flies, 781 km by road: 13 hours to get there.
func TestAssignPlantsHandChecked(t *testing.T) {
	opt := resolved(t, Options{Year: 2030})
	plants := []domain.Plant{{ID: "P1", Point: orb.Point{113, 23}, IntakeKgPerWeek: 3000}, {ID: "P2", Point: orb.Point{120, 30}, IntakeKgPerWeek: 1e6}}
	fleet := []domain.FleetRow{{PlantID: "P1", VehicleType: "truck", Count: 1, CapacityKg: 2000, CapacityPacks: 20, SpeedKmh: 60, ShiftHours: 10},
		{PlantID: "P2", VehicleType: "truck", Count: 0, CapacityKg: 2000, CapacityPacks: 20, SpeedKmh: 60, ShiftHours: 10}}
	r := &Rules{Outlets: []OutletPlan{{Outlet: domain.Outlet{ID: "Near", Point: orb.Point{113, 23.1}}}, {Outlet: domain.Outlet{ID: "Second", Point: orb.Point{113, 22.9}}},
		{Outlet: domain.Outlet{ID: "Far", Point: orb.Point{113, 28.4}}}},
		Due: []Due{{Outlet: 0, WeekKg: 2000, VisitPacks: 2}, {Outlet: 1, WeekKg: 2000, VisitPacks: 2}, {Outlet: 2, WeekKg: 100}}}
	a := AssignPlants(r, plants, fleet, Legs{Detour: opt.Detour}, opt)
	if len(a.Plants) != 1 || a.Plants[0].Plant.ID != "P1" || len(a.Plants[0].Jobs) != 1 || a.Plants[0].Jobs[0].Outlet.ID != "Near" || len(a.Plants[0].Fleet) != 1 {
		t.Fatalf("plants %+v", a.Plants)
	}
	got := map[string]string{}
	for _, u := range a.Unserved {
		got[u.Outlet] = u.Reason + ": " + u.Detail
	}
	if !strings.HasPrefix(got["Second"], "plant_intake: needs 2000 kg this week; every plant in reach (P1) has used its weekly intake") {
		t.Errorf("Second: %q", got["Second"])
	}
	if !strings.HasPrefix(got["Far"], "no_plant_in_reach: nearest plant P1 is 781 km by road: no truck gets there inside opening hours 08:00-18:00") {
		t.Errorf("Far: %q", got["Far"])
	}
}

// Stage 4's driver: results come back aligned with the plants whatever the
// number of workers; every plant is reported to Progress; a failing plant
// is an error naming it.
func TestSolvePlantsAlignedAndNamed(t *testing.T) {
	weeks := make([]PlantWeek, 9)
	for i := range weeks {
		weeks[i] = PlantWeek{Index: i, Plant: domain.Plant{ID: string(rune('A' + i))}}
	}
	fake := func(ctx context.Context, w *PlantWeek, opt *Options, limit time.Duration) (*PlantPlan, error) {
		if limit <= 0 {
			return nil, errors.New("no time")
		}
		return &PlantPlan{Patterns: []uint32{uint32(w.Index)}}, nil // marks the plant
	}
	for _, workers := range []int{1, 2, 5} {
		var calls atomic.Int32
		opt := resolved(t, Options{Year: 2030, Workers: workers, Progress: func(done, total int) { calls.Add(1) }})
		plans, err := SolvePlants(context.Background(), weeks, opt, fake)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range plans {
			if int(p.Patterns[0]) != i {
				t.Fatalf("%d workers: plan %d belongs to plant %d", workers, i, p.Patterns[0])
			}
		}
		if calls.Load() != int32(len(weeks)) {
			t.Errorf("%d workers: progress told %d times, want %d", workers, calls.Load(), len(weeks))
		}
	}
	failing := func(ctx context.Context, w *PlantWeek, opt *Options, limit time.Duration) (*PlantPlan, error) {
		if w.Plant.ID == "C" {
			return nil, errors.New("broken")
		}
		return &PlantPlan{}, nil
	}
	_, err := SolvePlants(context.Background(), weeks, resolved(t, Options{Year: 2030}), failing)
	var pe *PlantError
	if !errors.As(err, &pe) || pe.Plant != "C" || err.Error() != "schedule: plant C: broken" {
		t.Errorf("error %v, want the plant named", err)
	}
}

// Every option's range and message: out-of-range values name the key (or
// flag) and the range; zero fields take their documented default.
func TestOptionsResolve(t *testing.T) {
	o := Options{}
	if err := o.Resolve(); err != nil {
		t.Fatal(err)
	}
	def := DefaultOptions()
	def.Week = "2030-W10"
	def.VehicleDayCost, def.ReloadMin = 0, 0 // zero is a value for these two
	if o.FillTarget != def.FillTarget || o.WorkDays != 6 || o.TripsPerDay != 3 || o.TimeLimit != time.Minute || o.Week != def.Week ||
		o.OpenHour != 8 || o.CloseHour != 18 || o.RadiusKm != 20 || o.Detour.Factor() != 1.3 || o.VehicleDayCost != 0 || o.ReloadMin != 0 {
		t.Errorf("resolved %+v", o)
	}
	for _, c := range []struct {
		edit func(*Options)
		want string
	}{
		{func(o *Options) { o.FillTarget = 1.5 }, "routes.fill: 1.5: want a share in (0, 1]"},
		{func(o *Options) { o.FillTarget = math.NaN() }, "routes.fill: NaN: want a share in (0, 1]"},
		{func(o *Options) { o.TripsPerDay = 11 }, "routes.trips_per_day: 11: want trips per truck per day from 1 to 10"},
		{func(o *Options) { o.ReloadMin = -5 }, "routes.reload_min: -5: want minutes between trips from 0 to 600"},
		{func(o *Options) { o.TimeLimit = -time.Second }, "routes.time_limit: -1s: want a duration > 0"},
		{func(o *Options) { o.RadiusKm = 10000 }, "radius_km: 10000: want a distance in (0, 500] km"},
		{func(o *Options) { o.VehicleDayCost = math.Inf(1) }, "routes.vehicle_day_cost: +Inf: want a cost from 0 to 1,000,000 CNY"},
		{func(o *Options) { o.VehicleDayCost = 1e308 }, "routes.vehicle_day_cost: 1e+308: want a cost from 0 to 1,000,000 CNY"},
		{func(o *Options) { o.OpenHour, o.CloseHour = 18, 8 }, "CloseHour: 8 (OpenHour 18): want an hour from 0 to 24, after OpenHour"},
		{func(o *Options) { o.MaxCycleWeeks = 1000 }, "MaxCycleWeeks: 1000: want weeks from 1 to 52"},
		{func(o *Options) { o.Week = "2030-W60" }, `week "2030-W60": want an ISO week such as 2030-W10`},
	} {
		o := Options{}
		c.edit(&o)
		var re *domain.RangeError
		err := o.Resolve()
		if err == nil || err.Error() != c.want {
			t.Errorf("error %v, want %q", err, c.want)
		}
		if errors.As(err, &re) && re.Option.Flag != "" && !strings.HasPrefix(re.FlagMessage(), "--"+re.Option.Flag+" ") {
			t.Errorf("flag message %q", re.FlagMessage())
		}
	}
}

// Ties by hand: P1 (intake 2000 kg) at 23°N, P2 (plenty) 1.9° east. Y is
// 6.7 km by road from P1 and 246 km from P2 (49 minutes at 300 km/h, there
// and back within P2's 1.75-hour shift); X, 13 km from P1, is 266 km from
// P2: 106 minutes there and back, beyond P2's shift. Nearest first, Y takes
// P1's intake and X is left (plant_intake); tied to P2 by the network
// design, Y leaves P1 to X.
func TestAssignTiedLetsTheCrowdedOutletIn(t *testing.T) {
	opt := resolved(t, Options{Year: 2030, ServiceMin: 1e-9, ServiceMinPerPack: 1e-9, ShiftStartHour: 8})
	plants := []domain.Plant{{ID: "P1", Point: orb.Point{113, 23}, IntakeKgPerWeek: 2000}, {ID: "P2", Point: orb.Point{114.9, 23}, IntakeKgPerWeek: 1e6}}
	fleet := []domain.FleetRow{{PlantID: "P1", VehicleType: "t", Count: 9, CapacityKg: 9000, CapacityPacks: 90, SpeedKmh: 100, ShiftHours: 1},
		{PlantID: "P2", VehicleType: "t", Count: 9, CapacityKg: 9000, CapacityPacks: 90, SpeedKmh: 300, ShiftHours: 1.75}}
	r := &Rules{Outlets: []OutletPlan{{Outlet: domain.Outlet{ID: "Y", Point: orb.Point{113.05, 23}}}, {Outlet: domain.Outlet{ID: "X", Point: orb.Point{112.9, 23}}}},
		Due: []Due{{Outlet: 0, WeekKg: 1500, Patterns: []uint32{1}}, {Outlet: 1, WeekKg: 1500, Patterns: []uint32{1}}}}
	assigned := func(a *Assignment) map[string]string {
		out := map[string]string{}
		for _, w := range a.Plants {
			for _, j := range w.Jobs {
				out[j.Outlet.ID] = w.Plant.ID
			}
		}
		for _, u := range a.Unserved {
			out[u.Outlet] = u.Reason
		}
		return out
	}
	legs := Legs{Detour: opt.Detour}
	if got := assigned(AssignDues(r, []int{0, 1}, plants, fleet, legs, opt)); got["Y"] != "P1" || got["X"] != UnservedIntake {
		t.Errorf("nearest first: %v, want Y at P1 and X left for plant intake", got)
	}
	if got := assigned(AssignTied(r, []int{0, 1}, plants, fleet, legs, opt, map[string]string{"Y": "P2"})); got["Y"] != "P2" || got["X"] != "P1" {
		t.Errorf("tied: %v, want Y at P2 and X at P1", got)
	}
}
