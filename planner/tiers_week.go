package planner

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/network"
	"github.com/rlplan/rlplan/planner/week"
)

// assign books each hub's week (its own catchment and the dues it empties)
// on the plants' intake the plants' own outlets leave (a.Plants), assigns
// each hub's dues to its trucks, and adds the hubs' weeks to a. What the
// bookings cannot take is unserved for plant intake, farthest from the hub
// first; a hub's own packs come first.
func (t *tiers) assign(ctx context.Context, in *Inputs, rules *week.Rules, byHub [][]int, a *week.Assignment) error {
	H := len(t.plan.Hubs)
	left := make([]float64, len(in.Plants))
	for i, p := range in.Plants {
		left[i] = p.IntakeKgPerWeek
	}
	for _, w := range a.Plants {
		for _, j := range w.Jobs {
			left[w.Index] -= rules.Due[j.Due].WeekKg
		}
	}
	planned, own := make([]float64, H), make([]float64, H)
	for h, hub := range t.plan.Hubs {
		own[h] = t.catch.Rates[hub.Outlet].KgPerDay * 7
		planned[h] = own[h]
		for _, j := range byHub[h] {
			planned[h] += rules.Due[j].WeekKg
		}
	}
	bookings, booked, err := network.BookLinehaul(ctx, planned, left, func(h, p int) float64 {
		return 2 * t.plantKm(in, h, p) * t.net.Linehaul.CostPerKm / t.plan.Hubs[h].LoadKg
	})
	if err != nil {
		return err
	}
	t.bookings = make([][]network.Booking, H)
	for _, b := range bookings {
		t.bookings[b.Hub] = append(t.bookings[b.Hub], b)
	}
	t.ownKg, t.weekIdx = make([]float64, H), make([]int, H)
	for h := range t.plan.Hubs {
		sortedBookings(t.bookings[h], func(p int) float64 { return t.plantKm(in, h, p) })
		t.assignHub(in, rules, h, byHub[h], booked[h], own[h], planned[h], a)
	}
	return nil
}

// assignHub keeps the dues of hub h that its booked line-haul can take,
// nearest first, sizes its trucks and assigns the dues to them.
func (t *tiers) assignHub(in *Inputs, rules *week.Rules, h int, dues []int, booked, own, planned float64, a *week.Assignment) {
	hub := t.plan.Hubs[h]
	o := t.catch.Outlets[hub.Outlet]
	t.ownKg[h] = math.Min(own, booked)
	if own > booked*(1+1e-9) {
		a.Unserved = append(a.Unserved, week.UnservedOutlet{Outlet: o.ID, Name: o.Name, Province: o.Province, Plant: o.ID, Reason: week.UnservedIntake,
			WeekKg: own - t.ownKg[h], Detail: fmt.Sprintf("the %s's own packs: its line-haul finds %.0f of %.0f kg of weekly intake left at the plants", hubName(o), booked, own)})
	}
	budget := booked - t.ownKg[h]
	km := map[int]float64{}
	for _, j := range dues {
		d := rules.Outlets[rules.Due[j].Outlet].Outlet
		km[j], _ = t.legs.Leg(o.ID, d.ID, o.Point, d.Point)
	}
	sort.SliceStable(dues, func(x, y int) bool { return km[dues[x]] < km[dues[y]] })
	var kept []int
	sum := 0.0
	usable := hub.StorageKg * t.opt.FillTarget
	for _, j := range dues {
		due := rules.Due[j]
		if due.VisitKg > usable*(1+1e-9) {
			// The engine splits a pickup over trucks that come back to the
			// hub together: a visit must fit the hub's usable storage.
			d := rules.Outlets[due.Outlet].Outlet
			a.Unserved = append(a.Unserved, week.UnservedOutlet{Outlet: d.ID, Name: d.Name, Province: d.Province, Plant: o.ID, Reason: week.UnservedStorage,
				WeekKg: due.WeekKg, Detail: fmt.Sprintf("a visit brings up to %.0f kg at once; %s, the hub that would empty it, holds %.0f kg (%.0f kg at fill %g)",
					due.VisitKg, hubName(o), hub.StorageKg, usable, t.opt.FillTarget)})
			continue
		}
		if sum+due.WeekKg <= budget*(1+1e-9) {
			kept, sum = append(kept, j), sum+due.WeekKg
			continue
		}
		d := rules.Outlets[due.Outlet].Outlet
		a.Unserved = append(a.Unserved, week.UnservedOutlet{Outlet: d.ID, Name: d.Name, Province: d.Province, Plant: o.ID, Reason: week.UnservedIntake,
			WeekKg: due.WeekKg, Detail: fmt.Sprintf("needs %.0f kg this week; emptied by %s, whose line-haul finds %.0f kg of weekly intake left at the plants for the %.0f kg it gathers",
				due.WeekKg, hubName(o), booked, planned)})
	}
	sort.Ints(kept)
	depot := Plant{ID: o.ID, Name: hubName(o), Point: o.Point, Province: o.Province, IntakeKgPerWeek: sum * (1 + 1e-9)}
	fleet := sizeFleet(t.classes[h], sum, t.opt)
	t.depots = append(t.depots, depot)
	t.fleet = append(t.fleet, fleet...)
	t.weekIdx[h] = -1
	sub := week.AssignDues(rules, kept, []Plant{depot}, fleet, t.legs, t.opt)
	for _, w := range sub.Plants {
		w.Index = len(in.Plants) + h // the hub's own seed
		t.weekIdx[h] = len(a.Plants)
		a.Plants = append(a.Plants, w)
	}
	a.Unserved = append(a.Unserved, sub.Unserved...)
}

// sizeFleet sizes a hub's trucks as the default fleets are sized
// (datasets/README.md): they carry what the hub receives in the work days
// at week.PlanningFill with one trip a day, the tonnes shared between the
// classes as the capacity of the plant they are copied from is, at least
// one truck of each class; none when nothing is due.
func sizeFleet(classes []FleetRow, kg float64, opt *ScheduleOptions) []FleetRow {
	if kg <= 0 {
		return nil
	}
	total := 0.0
	for _, c := range classes {
		total += float64(c.Count) * c.CapacityKg
	}
	out := make([]FleetRow, len(classes))
	for i, c := range classes {
		share := float64(c.Count) * c.CapacityKg / total
		c.Count = max(1, int(math.Ceil(share*kg/(float64(opt.WorkDays)*week.PlanningFill*c.CapacityKg))))
		out[i] = c
	}
	return out
}

// plantKm is the road km from hub h to plant p.
func (t *tiers) plantKm(in *Inputs, h, p int) float64 {
	o, pl := t.catch.Outlets[t.plan.Hubs[h].Outlet], in.Plants[p]
	km, _ := t.legs.Leg(o.ID, pl.ID, o.Point, pl.Point)
	return km
}

// layOut lays out each hub's legs from its trucks' trips as planned and
// puts the hubs and legs on the schedule.
func (t *tiers) layOut(sch *Schedule, in *Inputs, a *week.Assignment, plans []*week.PlantPlan) {
	tp := network.Throughput{Fill: t.opt.FillTarget, WorkDays: t.opt.WorkDays}
	l := t.net.Linehaul
	sch.LinehaulTruck = &domain.LinehaulRecord{PayloadKg: l.PayloadKg, SpeedKmh: l.SpeedKmh, CostPerKm: l.CostPerKm, CO2GPerKm: l.CO2GPerKm}
	for h, hub := range t.plan.Hubs {
		o := t.catch.Outlets[hub.Outlet]
		r := t.catch.Rates[hub.Outlet]
		share := 0.0
		if own := r.KgPerDay * 7; own > 0 {
			share = t.ownKg[h] / own
		}
		w := &network.HubWeek{Hub: h, StorageKg: hub.StorageKg, OwnKgPerDay: r.KgPerDay * share, Bookings: t.bookings[h],
			PlantKm: func(p int) float64 { return t.plantKm(in, h, p) }}
		if k := t.weekIdx[h]; k >= 0 {
			w.Deliveries = t.deliveries(&a.Plants[k], plans[k])
		}
		legs, _ := network.Legs(w, tp, l)
		sch.Hubs = append(sch.Hubs, domain.HubRecord{ID: o.ID, Lat: o.Point[1], Lon: o.Point[0], StorageKg: hub.StorageKg,
			KgPerDay: w.OwnKgPerDay, PacksPerDay: r.PacksPerDay * share})
		sch.HubOwnKg += t.ownKg[h]
		for _, lg := range legs {
			sch.Linehaul = append(sch.Linehaul, legRow(sch.Monday, o.ID, in.Plants[lg.Plant].ID, lg))
		}
	}
}

// deliveries are a hub's trips back, at their minute of the week: when
// the trip's last stop is left (to the minute, as the sheet prints it) and
// the truck has driven back at its own speed. That is the earliest it can
// be back (the routing times every truck at its fleet's slowest speed),
// and the time the sheet's check replays: packs that may come in earlier
// than planned must find room.
func (t *tiers) deliveries(w *week.PlantWeek, plan *week.PlantPlan) []network.Delivery {
	hub := w.Plant
	var out []network.Delivery
	for d, trucks := range plan.Days {
		for _, tr := range trucks {
			for _, trip := range tr.Trips {
				kg := 0.0
				for _, st := range trip.Stops {
					kg += st.Kg
				}
				last := trip.Stops[len(trip.Stops)-1]
				o := w.Jobs[last.Job].Outlet
				km, back := t.legs.Leg(o.ID, hub.ID, o.Point, hub.Point)
				if back < 0 {
					back = km / w.Fleet[tr.Type].SpeedKmh * 60
				}
				out = append(out, network.Delivery{Minute: float64(d*1440) + domain.ClockOf(last.Depart).Minutes() + back, Kg: kg})
			}
		}
	}
	return out
}

// legRow is a leg as linehaul.csv prints it.
func legRow(monday time.Time, hub, plant string, lg network.Leg) domain.LinehaulRow {
	dep, arr := domain.ClockOf(lg.Depart), domain.ClockOf(lg.Arrive)
	day, aday := int(dep)/1440+1, int(arr)/1440+1
	return domain.LinehaulRow{Day: day, Date: monday.AddDate(0, 0, day-1).Format(time.DateOnly), Hub: hub, Plant: plant, Leg: lg.N,
		Depart: dep % 1440, ArriveDay: aday, Arrive: arr % 1440, LoadKg: lg.LoadKg, Km: lg.Km, CostCNY: lg.CostCNY, CO2Kg: lg.CO2Kg}
}
