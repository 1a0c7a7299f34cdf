package sheetcheck

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
)

func greatCircleKm(a, b orb.Point) float64 { return float64(geo.Haversine(a, b)) }

// truckDay is one truck's rows of one day, in stop order.
type truckDay struct {
	rows  []*domain.SheetRow
	fleet domain.FleetRecord
	ok    bool // every row's ids are in the plan
}

// trucks checks each truck's day: stop sequence and trips, the time pass
// (travel, reloads, shift, opening hours, service), loads and capacities.
func (c *checker) trucks(rows []domain.SheetRow, known []bool) {
	type key struct {
		day     int
		vehicle string
	}
	days := map[key]*truckDay{}
	var order []key
	for i := range rows {
		r := &rows[i]
		k := key{r.Day, r.Vehicle}
		td, ok := days[k]
		if !ok {
			td = &truckDay{ok: true, fleet: c.fleet[[2]string{r.Plant, r.VehicleType}]}
			days[k] = td
			order = append(order, k)
		}
		td.rows = append(td.rows, r)
		td.ok = td.ok && known[i]
	}
	for _, k := range order {
		td := days[k]
		slices.SortStableFunc(td.rows, func(a, b *domain.SheetRow) int { return cmp.Compare(a.Seq, b.Seq) })
		if !c.sequence(td) || !td.ok {
			continue // the day's order or ids are unknown: times and loads cannot be replayed
		}
		c.timePass(td)
		c.loads(td)
	}
}

// sequence checks that stops are numbered once each and trips in order,
// at most TripsPerDay of them.
func (c *checker) sequence(td *truckDay) bool {
	ok := true
	trips := 0
	for i, r := range td.rows {
		if i > 0 && r.Seq == td.rows[i-1].Seq {
			c.add(r, LimitSheet, "stop %d of the truck's day appears twice (also row %d)", r.Seq, td.rows[i-1].Line)
			ok = false
			continue
		}
		prev := 0
		if i > 0 {
			prev = td.rows[i-1].Trip
		}
		switch {
		case r.Trip < prev:
			c.add(r, LimitSheet, "trip %d comes after trip %d in the truck's stop order", r.Trip, prev)
			ok = false
		case r.Trip > prev+1 && i == 0:
			c.add(r, LimitSheet, "the truck's first stop of the day is on trip %d: trips are numbered 1, 2, ... in the order they are made", r.Trip)
			ok = false
		case r.Trip > prev+1:
			c.add(r, LimitSheet, "trip %d follows trip %d: trips are numbered 1, 2, ... in the order they are made", r.Trip, prev)
			ok = false
		case r.Trip == prev+1:
			trips++
			if trips == c.rec.Settings.TripsPerDay+1 {
				c.add(r, LimitTrips, "trip %d: a truck makes at most %d trips a day", r.Trip, c.rec.Settings.TripsPerDay)
			}
		}
	}
	return ok
}

// timePass replays the truck's day from the printed times: it may leave
// the plant at shift start; each stop can be reached no earlier than the
// previous departure plus the travel time; between trips the truck drives
// back and reloads; service starts inside opening hours and takes its
// time; the truck is back before its shift ends.
func (c *checker) timePass(td *truckDay) {
	s := c.rec.Settings
	speed := td.fleet.SpeedKmh
	shiftStart, shiftEnd := s.ShiftStartHour*60, s.ShiftStartHour*60+td.fleet.ShiftHours*60
	open, closing := s.OpenHour*60, s.CloseHour*60
	plantID := td.rows[0].Plant
	plant := c.plantPoint(plantID)
	free, fromID, from := shiftStart, plantID, plant // when and where the truck is free
	trip := 0
	for _, r := range td.rows {
		to := c.outletPoint(r.Outlet)
		if r.Trip != trip {
			if trip > 0 { // back to the plant, unload, out again
				_, back := c.travel(fromID, plantID, from, plant, speed)
				free, fromID, from = free+back+s.ReloadMin, plantID, plant
			}
			trip = r.Trip
		}
		km, drive := c.travel(fromID, r.Outlet, from, to, speed)
		arrive, depart := r.Arrive.Minutes(), r.Depart.Minutes()
		if earliest := free + drive; arrive < earliest-tolMin {
			switch {
			case fromID == plantID && trip == 1:
				c.add(r, LimitShift, "arrives %s; leaving the plant at shift start %s and driving %.0f min, it cannot be there before %s",
					r.Arrive, clock(shiftStart), drive, clock(earliest))
			case fromID == plantID:
				c.add(r, LimitTripOverlap, "arrives %s, but the truck's previous trip is back at the plant at %s; after %g min reloading and %.0f min driving, the earliest is %s",
					r.Arrive, clock(free-s.ReloadMin), s.ReloadMin, drive, clock(earliest))
			default:
				c.add(r, LimitTravel, "arrives %s; leaving the previous stop at %s and driving %.0f min, it cannot be there before %s",
					r.Arrive, clock(free), drive, clock(earliest))
			}
		}
		if math.Abs(r.Km-km) > tolKm+tolRel*km {
			c.add(r, LimitKm, "km %g, but the leg from %s is %.2f km", r.Km, fromID, km)
		}
		service := s.ServiceMin + s.ServiceMinPerPack*math.Ceil(math.Max(0, r.PickupPacks-tolPackRow))
		start := math.Max(arrive, open)
		switch {
		case arrive > closing+tolMin:
			c.add(r, LimitHours, "arrives %s, after the outlet's last service start %s", r.Arrive, clock(closing))
		case depart < start+service-tolMin && arrive < open:
			c.add(r, LimitHours, "arrives %s and departs %s, but the outlet opens at %s and loading takes %.0f min: not before %s",
				r.Arrive, r.Depart, clock(open), service, clock(start+service))
		case depart < start+service-tolMin:
			c.add(r, LimitService, "departs %s, %.0f min after arriving, but loading takes %.0f min (%g + %g per pack)",
				r.Depart, depart-arrive, service, s.ServiceMin, s.ServiceMinPerPack)
		}
		// On from the printed departure (a stop found early is reported
		// once, not again at every later stop).
		free, fromID, from = depart, r.Outlet, to
	}
	last := td.rows[len(td.rows)-1]
	if _, back := c.travel(fromID, plantID, from, plant, speed); free+back > shiftEnd+tolMin {
		c.add(last, LimitShift, "back at the plant at %s at the earliest, after the shift ends at %s (%g h from %s)",
			clock(free+back), clock(shiftEnd), td.fleet.ShiftHours, clock(shiftStart))
	}
}

// loads sums each trip's pickups: the truck's capacity in kg and packs,
// and the printed running load.
func (c *checker) loads(td *truckDay) {
	f := td.fleet
	var kg, packs float64
	n, trip := 0, 0
	overKg, overPacks := false, false
	for _, r := range td.rows {
		if r.Trip != trip {
			kg, packs, n, trip = 0, 0, 0, r.Trip
			overKg, overPacks = false, false
		}
		kg += r.PickupKg
		packs += r.PickupPacks
		n++
		if kg > f.CapacityKg+tolKgEach*float64(n)+tolRel*f.CapacityKg && !overKg {
			c.add(r, LimitCapacityKg, "the trip carries %.1f kg after this stop; the %s truck takes %g kg", kg, f.VehicleType, f.CapacityKg)
			overKg = true
		}
		if packs > float64(f.CapacityPacks)+tolPackRow*float64(n) && !overPacks {
			c.add(r, LimitCapacityPacks, "the trip carries %.1f packs after this stop; the %s truck takes %d packs", packs, f.VehicleType, f.CapacityPacks)
			overPacks = true
		}
		if !(math.Abs(r.LoadKg-kg) <= tolKgEach*float64(n+1)+tolRel*kg) {
			c.add(r, LimitLoad, "load_kg %.1f, but the trip's pickups so far sum to %.1f kg", r.LoadKg, kg)
		}
	}
}
