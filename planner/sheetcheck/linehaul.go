package sheetcheck

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/planner/domain"
)

// The line-haul tier: legs of linehaul.csv from the hubs of plan.json to
// its plants. Each hub's stock is replayed over the week from the record
// and the two sheets alone: it starts at the hub's carry-in, grows with its
// own catchment around the clock and with each trip of its trucks (the
// routes.csv rows with the hub as their plant) when the trip is back (the
// last stop's printed departure plus the drive back, as the time pass
// derives it), and shrinks by each leg when it leaves. The stock must stay
// within the hub's storage limit and hold every leg's load; each leg
// carries at most a payload, arrives no earlier than the drive allows, and
// counts against its plant's weekly intake with the plant's own trucks.

// More rules of the line-haul tier.
const (
	LimitLinehaulSheet  Limit = "linehaul_sheet"  // a leg that does not fit the plan: unknown hub or plant, day, date, numbering
	LimitPayload        Limit = "payload"         // a leg carries more than the line-haul truck
	LimitHubStorage     Limit = "hub_storage"     // a hub holds more than its storage limit
	LimitHubStock       Limit = "hub_stock"       // a leg carries more than its hub holds when it leaves
	LimitLinehaulTravel Limit = "linehaul_travel" // a leg arrives before the drive allows
)

// LinehaulSheet names linehaul.csv in findings (Violation.Sheet).
const LinehaulSheet = "linehaul.csv"

// CheckWeek checks a week of two tiers: the route sheet as Check does and
// the line-haul sheet legs against the same record; plant intake counts
// both. legs may be nil for a week without hubs.
func CheckWeek(rows []domain.SheetRow, legs []domain.LinehaulRow, rec *domain.PlanRecord, roads *domain.RoadMatrix) *Report {
	c := newChecker(rows, rec, roads)
	known := c.rowsKnown(rows)
	c.trucks(rows, known)
	c.storage(rows, known)
	legsKnown := c.legsKnown(legs)
	c.intake(rows, known, legs, legsKnown)
	c.fleetSize(rows, known)
	c.hubs(rows, known, legs, legsKnown)
	sortFindings(c.rep.Violations)
	sortFindings(c.rep.Notes)
	return c.rep
}

func (c *checker) addLeg(l *domain.LinehaulRow, lim Limit, format string, a ...any) {
	v := Violation{Sheet: LinehaulSheet, Limit: lim, Detail: fmt.Sprintf(format, a...)}
	if l != nil {
		v.Line, v.Day, v.Outlet = l.Line, l.Day, l.Hub
	}
	if lim == LimitKm {
		c.rep.Notes = append(c.rep.Notes, v)
		return
	}
	c.rep.Violations = append(c.rep.Violations, v)
}

// legsKnown checks each leg's ids, day, date, times, numbering and payload,
// and its drive; it returns which legs can be replayed.
func (c *checker) legsKnown(legs []domain.LinehaulRow) []bool {
	known := make([]bool, len(legs))
	last := map[string]int{}
	for i := range legs {
		l := &legs[i]
		hub, isHub := c.hubByID[l.Hub]
		plant, isPlant := c.plants[l.Plant]
		switch {
		case !isHub:
			c.addLeg(l, LimitLinehaulSheet, "hub %s is not a hub of the plan (plan.json lists the hubs)", l.Hub)
		case !isPlant:
			c.addLeg(l, LimitLinehaulSheet, "plant %s is not in the plan", l.Plant)
		case c.rec.Linehaul == nil:
			c.addLeg(l, LimitLinehaulSheet, "the plan records no line-haul truck")
		default:
			known[i] = true
		}
		if want := c.monday.AddDate(0, 0, l.Day-1).Format(time.DateOnly); l.Date != want {
			c.addLeg(l, LimitLinehaulSheet, "date %s is not day %d of week %s (%s)", l.Date, l.Day, c.rec.Week, want)
		}
		if l.Depart >= 24*60 || l.Arrive >= 24*60 {
			c.addLeg(l, LimitLinehaulSheet, "times %s and %s: want times of their day, before 24:00", l.Depart, l.Arrive)
		}
		if l.Leg != last[l.Hub]+1 {
			c.addLeg(l, LimitLinehaulSheet, "leg %d of hub %s follows leg %d: legs are numbered 1, 2, ... in the order they leave", l.Leg, l.Hub, last[l.Hub])
		}
		last[l.Hub] = l.Leg
		if !known[i] {
			continue
		}
		c.legDrive(l, hub, plant)
	}
	return known
}

// legDrive checks a known leg's payload, its arrival against the drive and
// its km figure.
func (c *checker) legDrive(l *domain.LinehaulRow, hub domain.HubRecord, plant domain.PlantRecord) {
	lt := c.rec.Linehaul
	if l.LoadKg > lt.PayloadKg+tolKgEach+tolRel*lt.PayloadKg {
		c.addLeg(l, LimitPayload, "carries %.1f kg; the line-haul truck takes %g kg", l.LoadKg, lt.PayloadKg)
	}
	km, drive := c.travel(hub.ID, plant.ID, orb.Point{hub.Lon, hub.Lat}, orb.Point{plant.Lon, plant.Lat}, lt.SpeedKmh)
	depart := legMinute(l.Day, l.Depart)
	arrive := legMinute(l.ArriveDay, l.Arrive)
	if arrive < depart+drive-tolMin {
		c.addLeg(l, LimitLinehaulTravel, "leaves %s on %s and arrives %s on day %d; the %.0f km drive at %g km/h takes %.0f min",
			l.Depart, dayName(l.Day), l.Arrive, l.ArriveDay, km, lt.SpeedKmh, drive)
	}
	if math.Abs(l.Km-km) > tolKm+tolRel*km {
		c.addLeg(l, LimitKm, "km %g, but the road from hub %s to plant %s is %.2f km", l.Km, hub.ID, plant.ID, km)
	}
}

// legMinute is a day and time as minutes from the week's Monday 00:00.
func legMinute(day int, t domain.TimeOfDay) float64 { return float64(day-1)*1440 + t.Minutes() }

// hubEvent is a change of a hub's stock: a trip of its trucks back (kg >
// 0) or a leg leaving (leg set).
type hubEvent struct {
	at  float64
	kg  float64
	n   int // printed figures summed in kg
	leg *domain.LinehaulRow
	row *domain.SheetRow // the trip's last stop, for a delivery
}

// hubs replays each hub's stock over the week.
func (c *checker) hubs(rows []domain.SheetRow, known []bool, legs []domain.LinehaulRow, legsKnown []bool) {
	events := map[string][]hubEvent{}
	for _, ev := range c.deliveries(rows, known) {
		events[ev.row.Plant] = append(events[ev.row.Plant], ev)
	}
	for i := range legs {
		if legsKnown[i] {
			l := &legs[i]
			events[l.Hub] = append(events[l.Hub], hubEvent{at: legMinute(l.Day, l.Depart), kg: l.LoadKg, n: 1, leg: l})
		}
	}
	for _, h := range c.rec.Hubs {
		evs := events[h.ID]
		// Deliveries within a printed minute of a leg count before it: the
		// leg left with what had come in.
		slices.SortStableFunc(evs, func(a, b hubEvent) int {
			ta, tb := a.at, b.at
			if a.leg == nil {
				ta -= tolMin
			}
			if b.leg == nil {
				tb -= tolMin
			}
			return cmp.Compare(ta, tb)
		})
		c.replayHub(h, evs)
	}
}

// replayHub runs one hub's stock through its events.
func (c *checker) replayHub(h domain.HubRecord, evs []hubEvent) {
	stock, t, n := h.CarryInKg, 0.0, 1
	rate := h.KgPerDay / 1440
	full := false
	for _, ev := range evs {
		stock += rate * math.Max(0, ev.at-t)
		t = math.Max(t, ev.at)
		tol := tolKgEach*float64(n) + tolRel*math.Max(stock, 1) + rate*tolMin
		if ev.leg == nil {
			stock += ev.kg
			n += ev.n
			if stock > h.StorageKg+tol && !full {
				c.add(ev.row, LimitHubStorage, "hub %s holds %.1f kg when this trip is back (%.1f kg delivered), over its storage limit %.0f kg",
					h.ID, stock, ev.kg, h.StorageKg)
				full = true
			}
			continue
		}
		if stock > h.StorageKg+tol && !full {
			c.addLeg(ev.leg, LimitHubStorage, "hub %s holds %.1f kg when this leg leaves, over its storage limit %.0f kg", h.ID, stock, h.StorageKg)
			full = true
		}
		if ev.kg > stock+tol {
			c.addLeg(ev.leg, LimitHubStock, "leg %d carries %.1f kg, but hub %s holds %.1f kg when it leaves (carry-in %.1f kg, %.1f kg a day of its own, its trucks' trips back)",
				ev.leg.Leg, ev.kg, h.ID, stock, h.CarryInKg, h.KgPerDay)
		}
		stock -= ev.kg
		n++
	}
	if end := stock + rate*math.Max(0, 7*1440-t); end > h.StorageKg+tolKgEach*float64(n)+tolRel*end && !full {
		c.rep.Violations = append(c.rep.Violations, Violation{Sheet: LinehaulSheet, Outlet: h.ID, Limit: LimitHubStorage,
			Detail: fmt.Sprintf("hub %s holds %.1f kg at the end of the week, over its storage limit %.0f kg", h.ID, end, h.StorageKg)})
	}
}

// deliveries lists each trip of a hub's trucks: its kg back at the hub when
// it is (the last stop's printed departure plus the drive back).
func (c *checker) deliveries(rows []domain.SheetRow, known []bool) []hubEvent {
	type key struct {
		day     int
		vehicle string
		trip    int
	}
	last := map[key]*domain.SheetRow{}
	kg := map[key]float64{}
	cnt := map[key]int{}
	var order []key
	for i := range rows {
		r := &rows[i]
		if !known[i] {
			continue
		}
		if _, isHub := c.hubByID[r.Plant]; !isHub {
			continue
		}
		k := key{r.Day, r.Vehicle, r.Trip}
		if _, seen := last[k]; !seen {
			order = append(order, k)
		}
		if p := last[k]; p == nil || r.Seq > p.Seq {
			last[k] = r
		}
		kg[k] += r.PickupKg
		cnt[k]++
	}
	out := make([]hubEvent, 0, len(order))
	for _, k := range order {
		r := last[k]
		speed := c.fleet[[2]string{r.Plant, r.VehicleType}].SpeedKmh
		_, back := c.travel(r.Outlet, r.Plant, c.outletPoint(r.Outlet), c.plantPoint(r.Plant), speed)
		out = append(out, hubEvent{at: legMinute(r.Day, r.Depart) + back, kg: kg[k], n: cnt[k], row: r})
	}
	return out
}
