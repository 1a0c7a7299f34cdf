package network

import (
	"context"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
)

// linehaul is costs.csv's line-haul truck.
var linehaul = Linehaul{PayloadKg: 25000, SpeedKmh: 60, CostPerKm: 11.6, CO2GPerKm: 884}

// roadKm is great-circle x 1.3.
func roadKm(a, b orb.Point) float64 { return float64(geo.Haversine(a, b)) * 1.3 }

// hubCase: a plant at 23°N and a cluster of three outlets about 400 km
// north (3.2° of latitude, 356 km, 463 km by road), beyond any plant
// truck's shift. In the cluster, R0 is a central storage outlet (50 t), R1
// and R2 collection outlets (R1 upgradable). Near the plant, N is a central
// outlet a hub truck from there cannot bring the cluster back from in a
// shift (reach: 150 km by road).
func hubCase() *HubProblem {
	outlets := []domain.Outlet{
		{ID: "R0", Point: orb.Point{113, 26.2}, Type: domain.OutletCentral, CapacityKg: 50000},
		{ID: "R1", Point: orb.Point{113.1, 26.2}, Type: domain.OutletCollection, CapacityKg: 5000},
		{ID: "R2", Point: orb.Point{113, 26.3}, Type: domain.OutletCollection, CapacityKg: 5000},
		{ID: "N", Point: orb.Point{113, 23.2}, Type: domain.OutletCentral, CapacityKg: 30000},
	}
	plant := domain.Plant{ID: "P", Point: orb.Point{113, 23}, IntakeKgPerWeek: 1e6}
	hp := &HubProblem{Outlets: outlets, KgPerWeek: []float64{2000, 3000, 4000, 5000}, PacksPerWeek: []float64{7, 10, 13, 17},
		Remote: []bool{true, true, true, false}, Plants: []domain.Plant{plant}, Catalogue: catalogue(), Throughput: sixDays, Linehaul: linehaul,
		MilkCostPerTonneKm: 2.28, HubWeekCost: 3600, MaxTruckKg: 10000, MaxReachKm: 150, Detour: detour13}
	hp.Reach = func(h, o domain.Outlet) (float64, bool) { km := roadKm(h.Point, o.Point); return km, km <= 150 }
	hp.PlantRoad = func(h domain.Outlet, p domain.Plant) float64 { return roadKm(h.Point, p.Point) }
	return hp
}

// A hub for a remote cluster, by hand: R0 (central, no upgrade needed)
// costs 3600 CNY a week; R1 would cost 3600 + 316,394 / 52 = 9684.5. Both
// are 463 km from the plant. R0's load is min(25 t, 40 t usable - 10 t
// truck) = 25 t: 2 x 463 km x 11.6 CNY / 25 t = 430 CNY a tonne of
// line-haul. N cannot reach the cluster. So R0 is the hub and empties R1
// and R2; N, within a plant's reach, is not remote and no hub.
func TestHubsForARemoteCluster(t *testing.T) {
	hp := hubCase()
	plan, err := Hubs(context.Background(), hp)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Hubs) != 1 || hp.Outlets[plan.Hubs[0].Outlet].ID != "R0" {
		t.Fatalf("hubs %+v, want R0 alone", plan.Hubs)
	}
	h := plan.Hubs[0]
	if h.Upgrade != nil || h.LoadKg != 25000 || h.WeekCost != 3600 || h.Plant != 0 {
		t.Errorf("hub %+v: want no upgrade, a 25 t load, 3600 CNY a week, plant P", h)
	}
	if plan.HubOf[0] != 0 || plan.HubOf[1] != 0 || plan.HubOf[2] != 0 || plan.HubOf[3] != -1 || len(plan.Unreached) != 0 {
		t.Errorf("hub of each outlet %v, unreached %v; want [0 0 0 -1], none", plan.HubOf, plan.Unreached)
	}
	if h.InflowKgPerWeek != 9000 || h.OwnKgPerWeek != 2000 {
		t.Errorf("inflow %g, own %g kg a week; want 9000 and 2000", h.InflowKgPerWeek, h.OwnKgPerWeek)
	}
	km := roadKm(hp.Outlets[0].Point, hp.Plants[0].Point)
	perT := 2 * km * 11.6 / 25
	milk := (roadKm(hp.Outlets[0].Point, hp.Outlets[1].Point)*3 + roadKm(hp.Outlets[0].Point, hp.Outlets[2].Point)*4) * 2.28
	if want := 3600 + 9*perT + milk; math.Abs(plan.Cost-want) > 1e-6*want {
		t.Errorf("cost %g CNY a week, want %g (hub, line-haul of 9 t, milk runs)", plan.Cost, want)
	}
	// Without a central outlet in the cluster, R1 is upgraded to be the hub.
	hp.Outlets[0].Type, hp.Outlets[0].CapacityKg = domain.OutletCollection, 5000
	hp.Catalogue.Upgrades[0].YearlyCost = 1 // R0 and R1 tie but for distances: cheap upgrades
	if plan, err = Hubs(context.Background(), hp); err != nil {
		t.Fatal(err)
	}
	if len(plan.Hubs) != 1 || plan.Hubs[0].Upgrade == nil || plan.Hubs[0].StorageKg != 30000 {
		t.Errorf("hubs %+v, want one upgraded collection outlet (30 t)", plan.Hubs)
	}
	// A remote outlet no candidate reaches (and that cannot be upgraded to
	// be its own hub) is unreached.
	hp = hubCase()
	hp.Outlets[2].Point = orb.Point{118, 30}
	hp.Catalogue.Upgrades = nil
	if plan, err = Hubs(context.Background(), hp); err != nil || len(plan.Unreached) != 1 || plan.Unreached[0] != 2 {
		t.Errorf("unreached %v (%v), want [2]", plan.Unreached, err)
	}
}

// Legs by hand: a 30 t hub (24 t usable at 80 %) whose trucks bring 8 t at
// 12:00 and 16:00 on Monday and 8 t at 12:00 on Tuesday, nothing of its
// own: the load is 24 - 8 = 16 t. At 16:00 Monday 16 t are in: leg 1 leaves.
// Tuesday's 8 t wait (less than a load).
func TestLegsHandChecked(t *testing.T) {
	w := &HubWeek{Hub: 0, StorageKg: 30000, Deliveries: []Delivery{{Minute: 720, Kg: 8000}, {Minute: 960, Kg: 8000}, {Minute: 1440 + 720, Kg: 8000}},
		Bookings: []Booking{{Hub: 0, Plant: 3, Kg: 30000}}, PlantKm: func(int) float64 { return 300 }}
	if load := LoadFor(w, sixDays, linehaul); load != 16000 {
		t.Fatalf("load %g, want 16000", load)
	}
	legs, left := Legs(w, sixDays, linehaul)
	if len(legs) != 1 || left != 8000 {
		t.Fatalf("%d legs, %g kg left; want 1 and 8000", len(legs), left)
	}
	l := legs[0]
	if l.Depart != 960 || l.Arrive != 960+300 || l.Plant != 3 || l.N != 1 || l.LoadKg != 16000 || l.CostCNY != 2*300*11.6 || !near(l.CO2Kg, 2*300*0.884, 1e-12) {
		t.Errorf("leg %+v: want 16:00 Monday to plant 3, 300 km (5 h), 6960 CNY, 530.4 kg CO2", l)
	}
	// With 1440 kg a day of its own (1 kg a minute) the load is 24 - 8 -
	// 1.44 = 14.56 t. 16,960 kg are in when the second truck is back at
	// 16:00 Monday: a leg leaves, 2400 kg stay. Tuesday 12:00: + 1200 of its
	// own + 8000 = 11,600 kg; 14,560 are in 2960 minutes later (minute
	// 5120): the second leg. The 880 kg of booking left take no whole load,
	// and its own 4960 kg to the end of the week stay below the top.
	w.OwnKgPerDay = 1440
	if load := LoadFor(w, sixDays, linehaul); load != 14560 {
		t.Errorf("load %g, want 14560", load)
	}
	legs, left = Legs(w, sixDays, linehaul)
	if len(legs) != 2 || legs[0].Depart != 960 || !near(legs[1].Depart, 5120, 1e-9) || legs[1].LoadKg != 14560 || !near(left, 4960, 1e-9) {
		t.Errorf("legs %+v, %g kg left; want 14.56 t at minutes 960 and 5120, 4960 kg left", legs, left)
	}
}

// A part load, by hand: bookings of 10 t at plant 1 and 20 t at plant 2,
// nothing of its own, 8 t deliveries at 12:00 and 16:00 Monday, 12:00
// Tuesday and Wednesday. Monday 16:00: 16 t, a full load for plant 2 (the
// first booking with room for one). Tuesday: 8 t wait. Wednesday 12:00: 16
// t, no booking takes a whole load and another 8 t could not be held: a
// part load of 10 t (what plant 1's booking takes) leaves; 6 t stay.
func TestLegsPartLoad(t *testing.T) {
	w := &HubWeek{Hub: 0, StorageKg: 30000, Deliveries: []Delivery{{Minute: 720, Kg: 8000}, {Minute: 960, Kg: 8000}, {Minute: 1440 + 720, Kg: 8000},
		{Minute: 2*1440 + 720, Kg: 8000}}, Bookings: []Booking{{Plant: 1, Kg: 10000}, {Plant: 2, Kg: 20000}}, PlantKm: func(int) float64 { return 100 }}
	legs, left := Legs(w, sixDays, linehaul)
	if len(legs) != 2 || legs[0].Plant != 2 || legs[0].LoadKg != 16000 || legs[0].Depart != 960 ||
		legs[1].Plant != 1 || legs[1].LoadKg != 10000 || legs[1].Depart != 2*1440+720 || left != 6000 {
		t.Errorf("legs %+v, %g kg left; want 16 t to plant 2 Monday 16:00, 10 t to plant 1 Wednesday 12:00, 6 t left", legs, left)
	}
}

// A burst by hand: a 30 t hub holds 6 t at the start of the week; the
// three pieces of a split pickup come back at 12:00.2, 12:00.5 and 12:01
// Monday, 8 t each, a fourth truck at 16:00. The pieces are one burst of
// 24 t at 12:00 (the sheet prints them within a minute of each other, and
// its check counts a delivery within a minute of a leg's printed time as
// in before the leg left). 6 + 24 t would pass the usable 24 t: the 6 t
// leave two minutes before the burst; the load is 24 - 8 = 16 t, so 16 t
// leave at 12:00 and 16:00. Leg by leg as the trucks came (the layout
// before bursts), the check saw 6 + 24 t and more at 12:00.
func TestLegsBurst(t *testing.T) {
	w := &HubWeek{Hub: 0, StorageKg: 30000, CarryInKg: 6000, Deliveries: []Delivery{{Minute: 720.5, Kg: 8000}, {Minute: 720.2, Kg: 8000}, {Minute: 721, Kg: 8000}, {Minute: 960, Kg: 8000}},
		Bookings: []Booking{{Plant: 1, Kg: 100000}}, PlantKm: func(int) float64 { return 100 }}
	if b := bursts(w.Deliveries); len(b) != 2 || b[0].Kg != 24000 || b[0].Minute != 720 || b[1].Kg != 8000 {
		t.Fatalf("bursts %+v, want 24 t at minute 720 and 8 t at 960", b)
	}
	legs, left := Legs(w, sixDays, linehaul)
	want := []struct{ at, kg float64 }{{718, 6000}, {720, 16000}, {960, 16000}}
	if len(legs) != len(want) || left != 0 {
		t.Fatalf("legs %+v, %g kg left; want %v and none", legs, left, want)
	}
	for i, l := range legs {
		if l.Depart != want[i].at || l.LoadKg != want[i].kg {
			t.Errorf("leg %d: %+v, want %g kg at minute %g", i+1, l, want[i].kg, want[i].at)
		}
	}
}

// Bookings by hand: hub 0 gathers 30 t, hub 1 20 t; plant A (cheaper for
// both) has 35 t of intake left, plant B plenty. Line-haul costs a: 10 and
// 40 CNY a kg from hub 0, 10 and 11 from hub 1: hub 0 takes A's 30 t first
// (the bigger saving), hub 1 gets A's last 5 t and 15 t at B.
func TestBookLinehaulHandChecked(t *testing.T) {
	cost := [][]float64{{10, 40}, {10, 11}}
	bs, booked, err := BookLinehaul(context.Background(), []float64{30000, 20000}, []float64{35000, 1e6}, func(h, p int) float64 { return cost[h][p] })
	if err != nil {
		t.Fatal(err)
	}
	want := map[[2]int]float64{{0, 0}: 30000, {1, 0}: 5000, {1, 1}: 15000}
	if len(bs) != len(want) {
		t.Fatalf("bookings %+v, want %v", bs, want)
	}
	for _, b := range bs {
		if !near(b.Kg, want[[2]int{b.Hub, b.Plant}], 1e-9) {
			t.Errorf("booking %+v, want %g kg", b, want[[2]int{b.Hub, b.Plant}])
		}
	}
	if !near(booked[0], 30000, 1e-9) || !near(booked[1], 20000, 1e-9) {
		t.Errorf("booked %v, want [30000 20000]", booked)
	}
	// No intake left anywhere: nothing is booked.
	_, booked, err = BookLinehaul(context.Background(), []float64{30000}, []float64{0, 0}, func(h, p int) float64 { return 1 })
	if err != nil || booked[0] != 0 {
		t.Errorf("booked %v (%v), want nothing", booked, err)
	}
}
