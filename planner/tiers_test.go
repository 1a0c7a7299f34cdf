package planner

import (
	"context"
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/network"
	"github.com/rlplan/rlplan/planner/week"
)

// hubWeekInputs: plant P1 at 23°N with a light and a heavy truck; outlet A
// 7 km from it; a cluster 390 km north (3.5° of latitude, 507 km by road),
// beyond any truck's shift: R0, a central storage outlet (50 t), and two
// collection outlets R1 and R2 a few km from it. Each outlet has a cell of
// its own: 300, 600, 700 and 700 t a year.
func hubWeekInputs() (*Inputs, []DensityCell) {
	in := &Inputs{
		Plants: []Plant{{ID: "P1", Name: "plant", Point: orb.Point{113, 23}, Province: "CN-GD", IntakeKgPerWeek: 1e6}},
		Fleet: []FleetRow{
			{PlantID: "P1", VehicleType: "light", Count: 2, CapacityKg: 4500, CapacityPacks: 14, SpeedKmh: 50, ShiftHours: 10, CostPerKm: 5.075, CO2GPerKm: 321.6},
			{PlantID: "P1", VehicleType: "heavy", Count: 2, CapacityKg: 10000, CapacityPacks: 33, SpeedKmh: 45, ShiftHours: 9, CostPerKm: 7.975, CO2GPerKm: 536}},
		Outlets: []Outlet{
			{ID: "A", Name: "near", Point: orb.Point{113.05, 23.05}, Province: "CN-GD", Type: OutletCollection, CapacityKg: 5000},
			{ID: "R0", Name: "remote central", Point: orb.Point{113, 26.5}, Province: "CN-HN", Type: OutletCentral, CapacityKg: 50000},
			{ID: "R1", Name: "remote 1", Point: orb.Point{113.08, 26.5}, Province: "CN-HN", Type: OutletCollection, CapacityKg: 5000},
			{ID: "R2", Name: "remote 2", Point: orb.Point{113, 26.56}, Province: "CN-HN", Type: OutletCollection, CapacityKg: 5000},
		},
	}
	var cells []DensityCell
	for i, t := range []float64{300, 600, 700, 700} {
		cells = append(cells, DensityCell{Center: in.Outlets[i].Point, Province: in.Outlets[i].Province, Tonnes: t, Packs: t * 1000 / 303})
	}
	return in, cells
}

func hubNetwork() *NetworkOptions {
	central := network.SiteType{Name: "central", OutletType: OutletCentral, StorageKg: 30000, YearlyCost: 360745}
	return &NetworkOptions{Hubs: true, Linehaul: network.Linehaul{PayloadKg: 25000, SpeedKmh: 60, CostPerKm: 11.6, CO2GPerKm: 884},
		Catalogue: network.Catalogue{Types: []network.SiteType{{Name: "collection", OutletType: OutletCollection, StorageKg: 5000, YearlyCost: 44351}, central},
			Upgrades: []network.Upgrade{{From: OutletCollection, To: central, YearlyCost: 316394}}}}
}

// A hub for a remote cluster, end to end: the week chooses R0 (central
// storage, no upgrade needed) as the hub; its trucks empty R1 and R2, its
// own packs and theirs go to P1 on line-haul legs; A is P1's. The sheets
// pass sheetcheck inside PlanNetworkWeek; here the hub's week is replayed
// from the schedule in memory, on its own terms: the stock, from its own
// packs, its trucks' trips back and its legs, stays within its storage and
// holds every leg; every leg is within the payload and takes its drive;
// the plant's intake counts the legs. The same seed gives the same week.
func TestHubWeekForARemoteCluster(t *testing.T) {
	in, cells := hubWeekInputs()
	d, _ := geo.NewDetour(1.3)
	opt := ScheduleOptions{Year: 2030, Week: "2030-W10", RadiusKm: 15, Detour: d, TimeLimit: time.Minute, Seed: 1, VehicleDayCost: 600, ReloadMin: 30}
	sch, err := PlanNetworkWeek(context.Background(), in, Regions{}, cells, opt, hubNetwork())
	if err != nil {
		t.Fatal(err)
	}
	if len(sch.Hubs) != 1 || sch.Hubs[0].ID != "R0" || sch.Hubs[0].StorageKg != 50000 {
		t.Fatalf("hubs %+v, want R0 (50 t) alone", sch.Hubs)
	}
	depot := map[string]string{}
	for _, o := range sch.Outlets {
		depot[o.Outlet.ID] = o.Plant
	}
	if depot["R1"] != "R0" || depot["R2"] != "R0" || depot["A"] != "P1" {
		t.Errorf("depots %v, want R1 and R2 emptied by hub R0, A by P1", depot)
	}
	if _, listed := depot["R0"]; listed {
		t.Error("the hub's own outlet has a visit rule: its packs go on the line-haul")
	}
	if len(sch.Unserved) != 0 {
		t.Errorf("unserved %+v, want none", sch.Unserved)
	}
	if len(sch.Linehaul) == 0 {
		t.Fatal("no line-haul leg")
	}
	// 600 t a year of its own (11.5 t a week) and R1's and R2's 26.8 t: one
	// full 25 t leg, 506 km by road, 2 x 506 x 11.6 CNY; the rest waits.
	if l := sch.Linehaul[0]; len(sch.Linehaul) != 1 || l.LoadKg != 25000 || l.Plant != "P1" || math.Abs(l.CostCNY-2*l.Km*11.6) > 1e-6 || math.Abs(l.Km-505.94) > 0.01 {
		t.Errorf("legs %+v, want one of 25 t to P1, 505.94 km", sch.Linehaul)
	}
	replayHubWeek(t, sch, in)
	again, err := PlanNetworkWeek(context.Background(), in, Regions{}, cells, opt, hubNetwork())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sch.Stops, again.Stops) || !reflect.DeepEqual(sch.Linehaul, again.Linehaul) {
		t.Error("two runs with the same seed give different weeks")
	}
}

// replayHubWeek checks each hub's week from the schedule's stops, vehicles
// and legs (not the sheets): trips back when the truck's last stop of the
// trip is left plus the drive back at its speed.
func replayHubWeek(t *testing.T, sch *Schedule, in *Inputs) {
	t.Helper()
	outlets := map[string]Outlet{}
	for _, o := range in.Outlets {
		outlets[o.ID] = o
	}
	speed := map[string]float64{}
	for _, f := range sch.HubFleet {
		speed[f.PlantID+"-"+f.VehicleType] = f.SpeedKmh
	}
	type event struct{ at, kg float64 }
	for _, h := range sch.Hubs {
		hub := orb.Point{h.Lon, h.Lat}
		var evs []event
		type trip struct {
			day     int
			vehicle string
			n       int
		}
		last := map[trip]Stop{}
		kg := map[trip]float64{}
		for _, s := range sch.Stops {
			if s.Plant == h.ID {
				k := trip{s.Day, s.Vehicle, s.Trip}
				last[k] = s
				kg[k] += s.PickupKg
			}
		}
		delivered := 0.0
		for k, s := range last {
			back := float64(geo.Haversine(outlets[s.Outlet].Point, hub)) * 1.3 / speed[s.Vehicle[:strings.LastIndex(s.Vehicle, "-")]] * 60
			evs = append(evs, event{float64(k.day-1)*1440 + s.Depart + back, kg[k]})
			delivered += kg[k]
		}
		shipped := 0.0
		for _, l := range sch.Linehaul {
			if l.Hub != h.ID {
				continue
			}
			at := float64(l.Day-1)*1440 + l.Depart.Minutes()
			evs = append(evs, event{at + 0.5, -l.LoadKg}) // the printed minute, at its latest
			shipped += l.LoadKg
			if l.LoadKg > 25000+1e-6 {
				t.Errorf("leg %d carries %.1f kg, over the 25 t payload", l.Leg, l.LoadKg)
			}
			km := float64(geo.Haversine(hub, in.Plants[0].Point)) * 1.3
			if arr := float64(l.ArriveDay-1)*1440 + l.Arrive.Minutes(); arr < at+km-1 {
				t.Errorf("leg %d arrives %.0f min after it leaves; %.0f km at 60 km/h take %.0f", l.Leg, arr-at, km, km)
			}
		}
		sort.SliceStable(evs, func(a, b int) bool { return evs[a].at < evs[b].at })
		stock, prev := 0.0, 0.0
		for _, e := range evs {
			stock += h.KgPerDay / 1440 * (e.at - prev)
			prev = e.at
			stock += e.kg
			if stock < -0.1 || stock > h.StorageKg*0.8+0.1 {
				t.Errorf("hub %s holds %.1f kg at minute %.0f: want 0 to its usable %.0f kg", h.ID, stock, e.at, h.StorageKg*0.8)
			}
		}
		if own := h.KgPerDay * 7; shipped > delivered+own+1e-6 {
			t.Errorf("hub %s ships %.1f kg; it receives %.1f and %.1f of its own", h.ID, shipped, delivered, own)
		}
		if math.Abs(delivered) < 1 {
			t.Errorf("hub %s's trucks deliver nothing", h.ID)
		}
	}
	intake := 0.0
	for _, pd := range sch.PlantDays {
		if pd.Plant == "P1" {
			intake += pd.DeliveredTonnes * 1000
		}
	}
	for _, l := range sch.Linehaul {
		intake += l.LoadKg
	}
	if intake > in.Plants[0].IntakeKgPerWeek {
		t.Errorf("P1 receives %.0f kg, over its intake", intake)
	}
}

// The throughput the catchments fill outlets to is exactly what the visit
// rules can keep: at it (less the solver's hair), every work-day count
// finds a day pattern; 1 % above it, none does (storage_limit).
func TestThroughputKeepsTheVisitRules(t *testing.T) {
	monday, _ := week.ParseISOWeek("2030-W10")
	for wd := 1; wd <= 7; wd++ {
		opt := ScheduleOptions{Year: 2030, WorkDays: wd}
		if err := opt.Resolve(); err != nil {
			t.Fatal(err)
		}
		tp := network.Throughput{Fill: opt.FillTarget, WorkDays: wd}
		for _, c := range []struct {
			share float64
			due   bool
		}{{1 - 1e-9, true}, {1.01, false}} {
			rate := tp.KgPerDay(5000) * c.share
			catch := &domain.Catchments{Outlets: []Outlet{{ID: "O", CapacityKg: 5000}}, Rates: []domain.Rate{{KgPerDay: rate, PacksPerDay: 1}}}
			r, err := week.VisitRules(catch, monday, &opt)
			if err != nil {
				t.Fatal(err)
			}
			if due := len(r.Due) == 1 && len(r.Unserved) == 0; due != c.due {
				t.Errorf("%d work days, %.1f kg a day (throughput x %g): due %v, unserved %+v; want due %v", wd, rate, c.share, due, r.Unserved, c.due)
			}
		}
	}
}
