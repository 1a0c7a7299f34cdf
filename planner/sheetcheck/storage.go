package sheetcheck

import (
	"fmt"

	"github.com/rlplan/rlplan/planner/domain"
)

// visitDay is what the sheet collects at one outlet on one day (one row,
// or several when the pickup is split).
type visitDay struct {
	kg   float64
	rows []*domain.SheetRow
}

// storage replays every outlet's stock day by day: it fills at its rate,
// and each day the sheet visits it, the stock must be within the fill
// limit and the sheet must collect it. The week repeats (an outlet on a
// k-week cycle repeats every k weeks, visited only in this week); two
// periods are replayed and the second, steady one is checked. A due outlet
// without a stop is reported.
func (c *checker) storage(rows []domain.SheetRow, known []bool) {
	visits := map[string]map[int]*visitDay{}
	for i := range rows {
		r := &rows[i]
		if !known[i] {
			continue
		}
		if visits[r.Outlet] == nil {
			visits[r.Outlet] = map[int]*visitDay{}
		}
		v := visits[r.Outlet][r.Day]
		if v == nil {
			v = &visitDay{}
			visits[r.Outlet][r.Day] = v
		}
		v.kg += r.PickupKg
		v.rows = append(v.rows, r)
	}
	for _, o := range c.rec.Outlets {
		v := visits[o.ID]
		if len(v) == 0 {
			if len(o.Days) > 0 {
				c.rep.Violations = append(c.rep.Violations, Violation{Outlet: o.ID, Limit: LimitDueVisit,
					Detail: fmt.Sprintf("due on %s (plant %s), but the sheet has no stop there; it fills %.1f kg a day", dayNames(o.Days), o.Plant, o.KgPerDay)})
			}
			continue
		}
		c.replay(o, v)
	}
}

// replay runs one outlet's stock over two periods of its cycle.
func (c *checker) replay(o domain.OutletRecord, v map[int]*visitDay) {
	limit := o.CapacityKg * c.rec.Settings.Fill
	period := 7 * o.CycleWeeks
	stock := 0.0
	for d := 0; d < 2*period; d++ {
		stock += o.KgPerDay // one more day of packs, up to today's pickup
		day := d%period + 1 // visits are in the first week of the period
		vd := v[day]
		if vd == nil {
			continue
		}
		first := vd.rows[0]
		if d >= period && stock > limit*(1+tolRel)+tolRel {
			c.add(first, LimitStorage, "holds %.1f kg when the truck comes on %s (%.1f kg a day since the previous pickup), over its fill limit %.0f kg (%g of %.0f kg storage)",
				stock, dayName(day), o.KgPerDay, limit, c.rec.Settings.Fill, o.CapacityKg)
		}
		// A pickup printed within its rounding of the stock empties the
		// outlet; a shorter one leaves the rest for the next visit.
		short := vd.kg < stock-tolKgEach*float64(len(vd.rows))-tolRel*stock
		if d >= period && short {
			c.add(first, LimitPickup, "the sheet collects %.1f kg on %s, but %.1f kg will be there (%.1f kg a day since the previous pickup): the rest stays and the truck's figures are short",
				vd.kg, dayName(day), stock, o.KgPerDay)
		}
		if short {
			stock -= vd.kg
		} else {
			stock = 0
		}
	}
}

// intake sums each plant's pickups over the week in sheet order, then the
// line-haul legs it receives in theirs, and names the row at which its
// weekly intake is passed.
func (c *checker) intake(rows []domain.SheetRow, known []bool, legs []domain.LinehaulRow, legsKnown []bool) {
	sum := map[string]float64{}
	n := map[string]int{}
	over := map[string]bool{}
	passed := func(plant string) bool {
		limit := c.plants[plant].IntakeKgPerWeek
		if !over[plant] && sum[plant] > limit+tolKgEach*float64(n[plant])+tolRel*limit {
			over[plant] = true
			return true
		}
		return false
	}
	for i := range rows {
		r := &rows[i]
		if !known[i] {
			continue
		}
		sum[r.Plant] += r.PickupKg
		n[r.Plant]++
		if passed(r.Plant) {
			c.add(r, LimitIntake, "plant %s receives %.1f kg this week by this row, over its weekly intake %.0f kg", r.Plant, sum[r.Plant], c.plants[r.Plant].IntakeKgPerWeek)
		}
	}
	for i := range legs {
		l := &legs[i]
		if !legsKnown[i] {
			continue
		}
		sum[l.Plant] += l.LoadKg
		n[l.Plant]++
		if passed(l.Plant) {
			c.addLeg(l, LimitIntake, "plant %s receives %.1f kg this week with this leg (its trucks' pickups and the legs so far), over its weekly intake %.0f kg",
				l.Plant, sum[l.Plant], c.plants[l.Plant].IntakeKgPerWeek)
		}
	}
}

// fleetSize counts each plant's trucks of each type on each day and names
// the first row of a truck beyond the fleet.
func (c *checker) fleetSize(rows []domain.SheetRow, known []bool) {
	type key struct {
		plant, vtype string
		day          int
	}
	trucks := map[key]map[string]bool{}
	for i := range rows {
		r := &rows[i]
		if !known[i] {
			continue
		}
		k := key{r.Plant, r.VehicleType, r.Day}
		if trucks[k] == nil {
			trucks[k] = map[string]bool{}
		}
		if trucks[k][r.Vehicle] {
			continue
		}
		trucks[k][r.Vehicle] = true
		if count := c.fleet[[2]string{r.Plant, r.VehicleType}].Count; len(trucks[k]) > count {
			c.add(r, LimitFleet, "plant %s uses %d trucks of type %s on %s; it has %d", r.Plant, len(trucks[k]), r.VehicleType, dayName(r.Day), count)
		}
	}
}
