package week

import (
	"fmt"
	"sort"
	"time"

	"github.com/rlplan/rlplan/solver"
)

// Stage 5, the route sheet and its summaries: every stop of every truck's
// day, each truck's day, each plant's day, the week's totals, and every
// outlet not served as required with the limit that stopped it.

// Assemble builds the schedule from the outcomes of the other stages; plans
// are aligned with a.Plants.
func Assemble(monday time.Time, opt *Options, c *Catchments, r *Rules, a *Assignment, plans []*PlantPlan) *Schedule {
	sch := &Schedule{Week: opt.Week, Monday: monday, Days: opt.WorkDays, Status: solver.IterationLimit, Left: c.Left}
	sch.Uncollected.Cells, sch.Uncollected.Tonnes = leftTotal(c.Left)
	sch.Unserved = append(append(sch.Unserved, r.Unserved...), a.Unserved...)
	outlets := append([]OutletPlan(nil), r.Outlets...)
	for k, w := range a.Plants {
		for _, j := range w.Jobs {
			outlets[r.Due[j.Due].Outlet].Plant = w.Plant.ID
		}
		sch.addPlant(&a.Plants[k], plans[k], r, outlets, opt)
	}
	for _, v := range sch.Vehicles {
		sch.Km += v.Km
		sch.Hours += v.Hours
		sch.Cost += v.Cost
		sch.CO2Kg += v.CO2Kg
		sch.CollectedKg += v.LoadKg
		sch.VehicleDays++
		sch.Trips += v.Trips
	}
	sch.Outlets = outlets
	sch.sort()
	return sch
}

// addPlant adds one plant's planned week: its status, the patterns of its
// outlets, what it cannot serve, its trucks' days and its days.
func (sch *Schedule) addPlant(w *PlantWeek, plan *PlantPlan, r *Rules, outlets []OutletPlan, opt *Options) {
	switch plan.Status {
	case solver.Interrupted:
		sch.Interrupted = true
		sch.Status = plan.Status
	case solver.TimeLimit:
		if !sch.Interrupted {
			sch.Status = plan.Status // the budget did not end the search: not reproducible
		}
	}
	for j, pat := range plan.Patterns {
		outlets[r.Due[w.Jobs[j].Due].Outlet].Pattern = pat
	}
	for _, u := range plan.Unserved {
		j := &w.Jobs[u.Job]
		outlets[r.Due[j.Due].Outlet].Plant = ""
		sch.Unserved = append(sch.Unserved, UnservedOutlet{Outlet: j.Outlet.ID, Name: j.Outlet.Name, Province: j.Outlet.Province, Plant: w.Plant.ID,
			Reason: u.Reason, Detail: u.Detail, WeekKg: r.Due[j.Due].WeekKg})
	}
	for d, trucks := range plan.Days {
		pd := PlantDay{Day: d + 1, Date: dateOf(sch.Monday, d+1), Plant: w.Plant.ID, WeekIntakeTonnes: w.Plant.IntakeKgPerWeek / 1000}
		for _, tr := range trucks {
			vd := sch.addTruck(w, d+1, pd.Date, tr, opt)
			pd.Vehicles++
			pd.Trips += vd.Trips
			pd.Km += vd.Km
			pd.Hours += vd.Hours
			pd.Cost += vd.Cost
			pd.CO2Kg += vd.CO2Kg
			pd.DeliveredTonnes += vd.LoadKg / 1000
		}
		if pd.Vehicles > 0 {
			sch.PlantDays = append(sch.PlantDays, pd)
		}
	}
}

// VehicleName names truck tr of plant w: plant, vehicle type, number.
func VehicleName(w *PlantWeek, tr Truck) string {
	return fmt.Sprintf("%s-%s-%d", w.Plant.ID, w.Fleet[tr.Type].VehicleType, tr.Number)
}

// addTruck adds the stops of one truck's day on day (1 = Monday) and
// returns the day's summary.
func (sch *Schedule) addTruck(w *PlantWeek, day int, date string, tr Truck, opt *Options) VehicleDay {
	fr := w.Fleet[tr.Type]
	name := VehicleName(w, tr)
	vd := VehicleDay{Day: day, Plant: w.Plant.ID, Vehicle: name, Trips: len(tr.Trips),
		Startat: tr.Trips[0].Leave, Return: tr.Trips[len(tr.Trips)-1].Return}
	seq := 0
	for n, trip := range tr.Trips {
		var load float64
		for _, st := range trip.Stops {
			load += st.Kg
			seq++
			sch.Stops = append(sch.Stops, Stop{Day: day, Date: date, Plant: w.Plant.ID, Vehicle: name, VehicleType: fr.VehicleType, Trip: n + 1, Seq: seq,
				Outlet: w.Jobs[st.Job].Outlet.ID, Arrive: st.Arrive, Depart: st.Depart, PickupKg: st.Kg, PickupPacks: st.Packs, LoadKg: load, Km: st.Km})
		}
		vd.Stops += len(trip.Stops)
		vd.Km += trip.Km
		vd.LoadKg += load
	}
	vd.Hours = (vd.Return - vd.Startat) / 60
	vd.Cost = opt.VehicleDayCost + fr.CostPerKm*vd.Km
	vd.CO2Kg = vd.Km * fr.CO2GPerKm / 1000
	sch.Vehicles = append(sch.Vehicles, vd)
	return vd
}

// sort puts the unserved outlets by id, the stops by day, truck and
// sequence, the trucks' days by day and truck, the plants' days by day and
// plant.
func (sch *Schedule) sort() {
	sort.Slice(sch.Unserved, func(a, b int) bool { return sch.Unserved[a].Outlet < sch.Unserved[b].Outlet })
	sort.SliceStable(sch.Stops, func(a, b int) bool {
		x, y := sch.Stops[a], sch.Stops[b]
		if x.Day != y.Day {
			return x.Day < y.Day
		}
		if x.Vehicle != y.Vehicle {
			return x.Vehicle < y.Vehicle
		}
		return x.Seq < y.Seq
	})
	sort.SliceStable(sch.Vehicles, func(a, b int) bool {
		x, y := sch.Vehicles[a], sch.Vehicles[b]
		if x.Day != y.Day {
			return x.Day < y.Day
		}
		return x.Vehicle < y.Vehicle
	})
	sort.SliceStable(sch.PlantDays, func(a, b int) bool {
		x, y := sch.PlantDays[a], sch.PlantDays[b]
		if x.Day != y.Day {
			return x.Day < y.Day
		}
		return x.Plant < y.Plant
	})
}
