package week

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/solver/routing"
)

// Warm start and route consistency: a week planned from an earlier plan
// (the folder of last week's routes.csv and plan.json) starts from its
// routes, and each outlet keeps its truck and weekday when the data barely
// change (Options.Previous, Options.ConsistencyCost).

// Previous is an earlier week's plan as written: its route sheet and plan
// record, read by the domain readers.
type Previous struct {
	// Sheet and Record name the files read (routes.csv, plan.json).
	Sheet, Record string
	Rows          []domain.SheetRow
	Plan          *domain.PlanRecord
	// Warn is told of rows not preferred (outlets or trucks gone); nil
	// drops the messages.
	Warn func(string)
}

// Consistency compares a week with the Previous it started from.
type Consistency struct {
	// From is the previous route sheet's file.
	From string
	// Outlets are the outlets the previous sheet visits that are due again
	// this week; Kept those of them visited on the same weekdays by the
	// same trucks (by name: plant, vehicle type, number), no more and no
	// fewer. NotDue are outlets of the previous sheet not due this week
	// (emptied every few weeks, or gone).
	Outlets, Kept, NotDue int
	// Share is Kept / Outlets (1 when Outlets is 0).
	Share float64
	// PreviousCost is the previous sheet's cost at this week's rates: the
	// vehicle-day cost of its plan record and today's cost per km of each
	// truck's type (trucks of types gone are left out); CostChange is this
	// week's cost, at the precision of its printed sheet, minus it.
	PreviousCost, CostChange float64
	// Added are the outlets this week visits that the previous sheet did
	// not (new, or served now where they were not), Dropped those of
	// Outlets it does not visit. The route costs compare like with like
	// only when both are 0: otherwise the cost per tonne collected does
	// (PreviousKg and CollectedKg are the kg the two sheets collect, the
	// previous one on the trucks PreviousCost prices;
	// PerTonneChange is the relative change of cost per tonne, 0 when
	// either sheet collects nothing).
	Added, Dropped          int
	PreviousKg, CollectedKg float64
	PerTonneChange          float64
	// Charge is the consistency charge the search used, CNY per outlet
	// moved (Options.ConsistencyCost, derived by DerivedConsistencyCost
	// when not given).
	Charge float64
}

// ConsistencyTradeOff is the dispatcher's trade-off the default
// consistency charge is derived from (an assumption, stated as issue 17's
// target states it): keeping 90 % of the outlets on their truck and weekday
// is worth up to 1 % of the week's cost, so moving one outlet in ten must
// save at least 1 % of the cost: per outlet moved, a tenth (0.01 / 0.1) of
// the previous week's mean cost per outlet visited.
const ConsistencyTradeOff = 0.01 / 0.1

// DerivedConsistencyCost is the charge per outlet moved when the user gives
// none: ConsistencyTradeOff times the previous sheet's cost (priced as
// Compare prices it) per outlet it visits; 0 for an empty sheet.
func DerivedConsistencyCost(prev *Previous, fleet []domain.FleetRow, legs Legs) float64 {
	rate := rates(fleet)
	outlets := map[string]bool{}
	for _, r := range prev.Rows {
		if _, ok := rate[[2]string{r.Plant, r.VehicleType}]; ok {
			outlets[r.Outlet] = true
		}
	}
	if len(outlets) == 0 {
		return 0
	}
	return ConsistencyTradeOff * sheetCost(prev, fleet, legs) / float64(len(outlets))
}

// rates is today's cost per km by plant and vehicle type: the rows of a
// previous sheet on other trucks are not priced.
func rates(fleet []domain.FleetRow) map[[2]string]float64 {
	perKm := map[[2]string]float64{}
	for _, f := range fleet {
		perKm[[2]string{f.PlantID, f.VehicleType}] = f.CostPerKm
	}
	return perKm
}

// slot is where an outlet is visited: a day and a truck's name.
type slot struct {
	day     int
	vehicle string
}

// Compare measures how much of prev sch keeps, and the cost change.
// fleet gives today's cost per km of each plant's vehicle types, legs the
// way back to the plant after each of prev's trips.
func Compare(sch *Schedule, prev *Previous, fleet []domain.FleetRow, legs Legs) *Consistency {
	before := map[string][]slot{}
	for _, r := range prev.Rows {
		before[r.Outlet] = append(before[r.Outlet], slot{r.Day, r.Vehicle})
	}
	now := map[string][]slot{}
	for _, st := range sch.Stops {
		now[st.Outlet] = append(now[st.Outlet], slot{st.Day, st.Vehicle})
	}
	due := map[string]bool{}
	for _, o := range sch.Outlets {
		due[o.Outlet.ID] = o.VisitsNeeded > 0 || o.Pattern != 0
	}
	c := &Consistency{From: prev.Sheet, Share: 1}
	for id, s := range before {
		if !due[id] {
			c.NotDue++
			continue
		}
		c.Outlets++
		if equalSlots(s, now[id]) {
			c.Kept++
		}
		if len(now[id]) == 0 {
			c.Dropped++
		}
	}
	for id := range now {
		if len(before[id]) == 0 {
			c.Added++
		}
	}
	if c.Outlets > 0 {
		c.Share = float64(c.Kept) / float64(c.Outlets)
	}
	rate := rates(fleet)
	for _, r := range prev.Rows {
		if _, ok := rate[[2]string{r.Plant, r.VehicleType}]; ok {
			c.PreviousKg += r.PickupKg // as sheetCost prices them
		}
	}
	for _, st := range sch.Stops {
		c.CollectedKg += domain.SheetRow{PickupKg: st.PickupKg}.Rounded().PickupKg // as printed, like PreviousKg
	}
	c.PreviousCost = sheetCost(prev, fleet, legs)
	printed := asPrinted(sch, rate)
	c.CostChange = printed - c.PreviousCost
	if c.PreviousKg > 0 && c.CollectedKg > 0 && c.PreviousCost > 0 {
		c.PerTonneChange = (printed/c.CollectedKg)/(c.PreviousCost/c.PreviousKg) - 1
	}
	return c
}

// asPrinted is the week's cost as its own sheet would price it: each stop's
// km rounded as routes.csv prints it, the precision sheetCost reads the
// previous sheet at. An unchanged sheet then compares at 0, not at the
// half yuan the rounding of a few hundred legs makes (Tianjin's week: +0.51
// CNY).
func asPrinted(sch *Schedule, rate map[[2]string]float64) float64 {
	cost := sch.Cost
	for _, st := range sch.Stops {
		printed := domain.SheetRow{Km: st.Km}.Rounded().Km
		cost -= rate[[2]string{st.Plant, st.VehicleType}] * (st.Km - printed)
	}
	return cost
}

// equalSlots reports whether a and b hold the same slots, repeats aside.
func equalSlots(a, b []slot) bool {
	set := func(s []slot) map[slot]bool {
		m := map[slot]bool{}
		for _, x := range s {
			m[x] = true
		}
		return m
	}
	sa, sb := set(a), set(b)
	if len(sa) != len(sb) {
		return false
	}
	for x := range sa {
		if !sb[x] {
			return false
		}
	}
	return true
}

// sheetCost prices the previous sheet: each truck's day costs the record's
// vehicle-day cost plus its km (the sheet's legs and, for each trip, the
// leg back to the plant by legs between the record's places) at today's
// cost per km of its type.
func sheetCost(prev *Previous, fleet []domain.FleetRow, legs Legs) float64 {
	perKm := rates(fleet)
	at := map[string]orb.Point{}
	for _, pl := range prev.Plan.Plants {
		at[pl.ID] = orb.Point{pl.Lon, pl.Lat}
	}
	for _, o := range prev.Plan.Outlets {
		at[o.ID] = orb.Point{o.Lon, o.Lat}
	}
	type trip struct {
		day     int
		vehicle string
		trip    int
	}
	last := map[trip]domain.SheetRow{}
	truckDays := map[slot]bool{}
	cost := 0.0
	for _, r := range prev.Rows {
		rate, ok := perKm[[2]string{r.Plant, r.VehicleType}]
		if !ok {
			continue
		}
		if s := (slot{r.Day, r.Vehicle}); !truckDays[s] {
			truckDays[s] = true
			cost += prev.Plan.Settings.VehicleDayCost
		}
		cost += rate * r.Km
		if k := (trip{r.Day, r.Vehicle, r.Trip}); r.Seq > last[k].Seq {
			last[k] = r
		}
	}
	keys := make([]trip, 0, len(last))
	for k := range last {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		x, y := keys[a], keys[b]
		if x.day != y.day {
			return x.day < y.day
		}
		if x.vehicle != y.vehicle {
			return x.vehicle < y.vehicle
		}
		return x.trip < y.trip
	})
	for _, k := range keys { // in a fixed order: the sum is the same every run
		r := last[k]
		km, _ := legs.Leg(r.Outlet, r.Plant, at[r.Outlet], at[r.Plant])
		cost += perKm[[2]string{r.Plant, r.VehicleType}] * km
	}
	return cost
}

// AttachPrevious gives each plant's week the routes of prev on its trucks
// (PlantWeek.Previous), for the engine to start from. A row whose outlet is
// not among known (the outlets of this plan), whose plant or vehicle type
// has no trucks now, whose truck number is above today's count, or whose day
// is past the work days is reported to warn (once per outlet, truck or
// day) and not preferred; an outlet known but not due at the same plant
// this week is left out silently (it is emptied every few weeks, or moved
// to another plant).
func AttachPrevious(plants []PlantWeek, prev *Previous, known map[string]bool, workDays int, warn func(string)) {
	said := map[string]bool{}
	say := func(key, msg string) {
		if !said[key] && warn != nil {
			said[key] = true
			warn(msg)
		}
	}
	byPlant := map[string]int{}
	for k := range plants {
		byPlant[plants[k].Plant.ID] = k
	}
	rows := map[int][]domain.SheetRow{}
	for _, r := range prev.Rows {
		where := fmt.Sprintf("%s:%d", prev.Sheet, r.Line)
		k, ok := byPlant[r.Plant]
		switch {
		case !known[r.Outlet]:
			say("o"+r.Outlet, fmt.Sprintf("%s: outlet %s is not among this plan's outlets; its previous visits are not preferred", where, r.Outlet))
		case r.Day > workDays:
			say(fmt.Sprint("d", r.Day), fmt.Sprintf("%s: day %d is past the %d work days; its routes are not preferred", where, r.Day, workDays))
		case ok:
			rows[k] = append(rows[k], r)
		default:
			say("p"+r.Plant, fmt.Sprintf("%s: plant %s has no due outlets and trucks this week; its previous routes are not preferred", where, r.Plant))
		}
	}
	for k := range plants {
		plants[k].Previous = previousRoutes(&plants[k], rows[k], prev.Sheet, workDays, say)
	}
}

// previousRoutes turns the rows of one plant into engine routes by day:
// one route per truck, its trips in order, each visit's piece amount
// estimated from the kg and packs it collected when an outlet is visited
// more than once on a day (a split pickup).
func previousRoutes(w *PlantWeek, rows []domain.SheetRow, sheet string, days int, say func(key, msg string)) [][]routing.Route {
	job := map[string]int{}
	for i, j := range w.Jobs {
		job[j.Outlet.ID] = i
	}
	type key struct {
		day     int
		vehicle string
	}
	var order []key
	byTruck := map[key][]domain.SheetRow{}
	for _, r := range rows {
		if _, ok := job[r.Outlet]; !ok {
			continue // not due at this plant this week
		}
		k := key{r.Day, r.Vehicle}
		if byTruck[k] == nil {
			order = append(order, k)
		}
		byTruck[k] = append(byTruck[k], r)
	}
	out := make([][]routing.Route, days)
	type visit struct {
		route, at int
		kg, packs float64
	}
	visits := make([]map[int][]visit, days) // by day and job
	taken := map[[3]int]bool{}
	for _, k := range order {
		rs := byTruck[k]
		sort.SliceStable(rs, func(a, b int) bool { return rs[a].Seq < rs[b].Seq })
		t, n, ok := truckOfName(w, rs[0])
		if ok && taken[[3]int{k.day, t, n}] {
			ok = false
		}
		if !ok {
			say("v"+rs[0].Vehicle, fmt.Sprintf("%s:%d: truck %s (%s) is not in plant %s's fleet now (%s); its routes are not preferred",
				sheet, rs[0].Line, rs[0].Vehicle, rs[0].VehicleType, w.Plant.ID, fleetNames(w)))
			continue
		}
		taken[[3]int{k.day, t, n}] = true
		d := k.day - 1
		if visits[d] == nil {
			visits[d] = map[int][]visit{}
		}
		rt := routing.Route{Type: t, Vehicle: n - 1}
		for i, r := range rs {
			if i == 0 || r.Trip != rs[i-1].Trip {
				if len(rt.Trips) > 0 {
					rt.Trips[len(rt.Trips)-1].To = i
				}
				rt.Trips = append(rt.Trips, routing.Trip{From: i})
			}
			j := job[r.Outlet]
			visits[d][j] = append(visits[d][j], visit{len(out[d]), i, r.PickupKg, r.PickupPacks})
			rt.Jobs = append(rt.Jobs, j)
		}
		rt.Trips[len(rt.Trips)-1].To = len(rt.Jobs)
		out[d] = append(out[d], rt)
	}
	// A split pickup's pieces: each visit's share of the day's kg and packs
	// of the engine's amount, so that the engine finds the same pieces.
	for d := range out {
		for j, vs := range visits[d] {
			if len(vs) < 2 {
				continue
			}
			var kg, packs float64
			for _, v := range vs {
				kg, packs = kg+v.kg, packs+v.packs
			}
			whole := []int64{amount(math.Ceil(w.Jobs[j].VisitKg)), amount(math.Ceil(w.Jobs[j].VisitPacks))}
			for _, v := range vs {
				rt := &out[d][v.route]
				if rt.Amounts == nil {
					rt.Amounts = make([][]int64, len(rt.Jobs))
				}
				rt.Amounts[v.at] = []int64{share(v.kg, kg, whole[0]), share(v.packs, packs, whole[1])}
			}
		}
	}
	return out
}

// share is part/total of whole, rounded (0 when total is 0).
func share(part, total float64, whole int64) int64 {
	if total <= 0 {
		return 0
	}
	return int64(math.Round(part / total * float64(whole)))
}

// truckOfName finds the truck a row names in w's fleet: its vehicle type's
// index and its number (VehicleName: plant-type-number), within today's
// count.
func truckOfName(w *PlantWeek, r domain.SheetRow) (typ, number int, ok bool) {
	for t, f := range w.Fleet {
		if f.VehicleType != r.VehicleType {
			continue
		}
		rest, found := strings.CutPrefix(r.Vehicle, w.Plant.ID+"-"+f.VehicleType+"-")
		n, err := strconv.Atoi(rest)
		if !found || err != nil || n < 1 || n > f.Count {
			return 0, 0, false
		}
		return t, n, true
	}
	return 0, 0, false
}

// fleetNames lists a plant's trucks as "type x count".
func fleetNames(w *PlantWeek) string {
	var parts []string
	for _, f := range w.Fleet {
		parts = append(parts, fmt.Sprintf("%s x %d", f.VehicleType, f.Count))
	}
	if len(parts) == 0 {
		return "no trucks"
	}
	return strings.Join(parts, ", ")
}
