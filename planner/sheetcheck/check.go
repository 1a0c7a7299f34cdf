// Package sheetcheck re-validates a route sheet as it is printed
// (routes.csv, times to the minute, figures rounded) against the plan record
// it was made for (plan.json): the check `rlplan plan` and `rlplan routes`
// run before writing anything, and `rlplan check` runs on a written plan,
// also after a dispatcher edited the sheet by hand.
//
// It shares no code with the planner that writes the sheet nor with the
// routing solver: its own time pass over the printed times, its own replay
// of each outlet's accumulation, its own sums. It imports planner/domain
// (the sheet and record types and readers) and geo (distances) only.
//
// Tolerances follow from the printed precision, never from the planner's
// arithmetic: a time printed to the minute may be half a minute off, so two
// printed times compare within one minute; a figure printed to 0.1 kg may be
// 0.05 kg off, so a sum of n of them compares within 0.05 x n kg.
package sheetcheck

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/planner/domain"
)

// Limit names the rule a violation breaks.
type Limit string

// The rules a route sheet is checked against.
const (
	LimitSheet         Limit = "sheet"          // the row does not fit the plan: unknown ids, day, date, sequence
	LimitDueVisit      Limit = "due_visit"      // a due outlet has no stop
	LimitStorage       Limit = "storage"        // an outlet's stock passes its fill limit
	LimitPickup        Limit = "pickup"         // the sheet collects less than the outlet holds
	LimitCapacityKg    Limit = "capacity_kg"    // a trip carries more kg than its truck
	LimitCapacityPacks Limit = "capacity_packs" // a trip carries more packs than its truck
	LimitLoad          Limit = "load_kg"        // the printed load is not the trip's pickups so far
	LimitTravel        Limit = "travel_time"    // arrives before the truck can get there
	LimitTripOverlap   Limit = "trip_overlap"   // a trip starts before the truck is back and unloaded
	LimitShift         Limit = "shift"          // leaves before the shift starts or is back after it ends
	LimitHours         Limit = "opening_hours"  // service outside the outlet's hours
	LimitService       Limit = "service_time"   // leaves before the packs can be loaded
	LimitTrips         Limit = "trips_per_day"  // more trips a day than allowed
	LimitIntake        Limit = "plant_intake"   // a plant receives more than its weekly intake
	LimitFleet         Limit = "fleet_size"     // a plant uses more trucks of a type on a day than it has
	// LimitKm is a note, not a violation: a km figure that is not the leg's
	// distance misleads but breaks no limit (a dispatcher who moves a stop
	// rarely recomputes it).
	LimitKm Limit = "km"
)

// Violation is one broken rule.
type Violation struct {
	// Sheet is "" for a row of the route sheet, LinehaulSheet for a leg.
	Sheet   string
	Line    int // line of the sheet; 0 when no row is at fault (a missing visit)
	Day     int
	Outlet  string
	Vehicle string
	Trip    int
	Limit   Limit
	Detail  string // what was found and the limit
}

func (v Violation) String() string {
	var b strings.Builder
	if v.Sheet != "" {
		b.WriteString(v.Sheet + " ")
	}
	if v.Line > 0 {
		fmt.Fprintf(&b, "row %d: ", v.Line)
	}
	if v.Day > 0 {
		fmt.Fprintf(&b, "day %d ", v.Day)
	}
	if v.Vehicle != "" {
		fmt.Fprintf(&b, "truck %s ", v.Vehicle)
		if v.Trip > 0 {
			fmt.Fprintf(&b, "trip %d ", v.Trip)
		}
	}
	if v.Outlet != "" {
		fmt.Fprintf(&b, "outlet %s ", v.Outlet)
	}
	fmt.Fprintf(&b, "[%s] %s", v.Limit, v.Detail)
	return b.String()
}

// Report lists what the check found, sorted by line (rows first, then the
// findings that name no row).
type Report struct {
	Violations []Violation
	// Notes are findings that break no limit (LimitKm).
	Notes []Violation
	Rows  int
}

// OK reports whether no limit is broken.
func (r *Report) OK() bool { return len(r.Violations) == 0 }

// Time and weight tolerances of printed figures (see the package comment).
const (
	tolMin     = 1.0  // two printed times
	tolKgEach  = 0.05 // one printed figure to 0.1
	tolKm      = 0.01 // a km figure printed to 0.01, plus coordinate rounding
	tolRel     = 1e-6 // relative float noise
	tolPackRow = 0.05 // one printed pack figure to 0.1
)

// checker holds the plan record's tables by id.
type checker struct {
	rec     *domain.PlanRecord
	roads   *domain.RoadMatrix
	monday  time.Time
	plants  map[string]domain.PlantRecord
	fleet   map[[2]string]domain.FleetRecord // plant, vehicle type
	outlets map[string]domain.OutletRecord
	hubByID map[string]domain.HubRecord
	rep     *Report
}

// Check checks rows (as read from a route sheet) against rec. roads is the
// road matrix the week used (nil: great-circle x detour). A week with hubs
// has a line-haul sheet too: see CheckWeek.
func Check(rows []domain.SheetRow, rec *domain.PlanRecord, roads *domain.RoadMatrix) *Report {
	return CheckWeek(rows, nil, rec, roads)
}

func newChecker(rows []domain.SheetRow, rec *domain.PlanRecord, roads *domain.RoadMatrix) *checker {
	c := &checker{rec: rec, roads: roads, plants: map[string]domain.PlantRecord{}, fleet: map[[2]string]domain.FleetRecord{},
		outlets: map[string]domain.OutletRecord{}, hubByID: map[string]domain.HubRecord{}, rep: &Report{Rows: len(rows)}}
	c.monday, _ = time.Parse("2006-01-02", rec.Monday)
	for _, p := range rec.Plants {
		c.plants[p.ID] = p
	}
	for _, f := range rec.Fleet {
		c.fleet[[2]string{f.PlantID, f.VehicleType}] = f
	}
	for _, o := range rec.Outlets {
		c.outlets[o.ID] = o
	}
	for _, h := range rec.Hubs {
		c.hubByID[h.ID] = h
	}
	return c
}

func (c *checker) add(r *domain.SheetRow, l Limit, format string, a ...any) {
	v := Violation{Limit: l, Detail: fmt.Sprintf(format, a...)}
	if r != nil {
		v.Line, v.Day, v.Outlet, v.Vehicle, v.Trip = r.Line, r.Day, r.Outlet, r.Vehicle, r.Trip
	}
	if l == LimitKm {
		c.rep.Notes = append(c.rep.Notes, v)
		return
	}
	c.rep.Violations = append(c.rep.Violations, v)
}

func sortFindings(vs []Violation) {
	slices.SortStableFunc(vs, func(a, b Violation) int {
		if (a.Line == 0) != (b.Line == 0) {
			if a.Line == 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Sheet, b.Sheet), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Outlet, b.Outlet), cmp.Compare(a.Limit, b.Limit))
	})
}

// rowsKnown checks each row's ids, day and date against the plan; it
// returns, per row, whether the row can be checked further (its plant,
// truck type and outlet are in the plan).
func (c *checker) rowsKnown(rows []domain.SheetRow) []bool {
	known := make([]bool, len(rows))
	truckOf := map[string]*domain.SheetRow{} // a truck's first row
	for i := range rows {
		r := &rows[i]
		ok := true
		if _, has := c.plants[r.Plant]; !has {
			c.add(r, LimitSheet, "plant %s has no trucks in the plan", r.Plant)
			ok = false
		} else if _, has := c.fleet[[2]string{r.Plant, r.VehicleType}]; !has {
			c.add(r, LimitSheet, "plant %s has no trucks of type %s", r.Plant, r.VehicleType)
			ok = false
		}
		if _, has := c.outlets[r.Outlet]; !has {
			c.add(r, LimitSheet, "outlet %s is not in the plan (plan.json lists the outlets with a catchment)", r.Outlet)
			ok = false
		}
		if r.Day > c.rec.Settings.WorkDays {
			c.add(r, LimitSheet, "day %d is not a work day (trucks run days 1 to %d)", r.Day, c.rec.Settings.WorkDays)
		}
		if want := c.monday.AddDate(0, 0, r.Day-1).Format("2006-01-02"); r.Date != want {
			c.add(r, LimitSheet, "date %s is not day %d of week %s (%s)", r.Date, r.Day, c.rec.Week, want)
		}
		if r.Depart < r.Arrive {
			c.add(r, LimitSheet, "departs %s before it arrives %s", r.Depart, r.Arrive)
		}
		if first, seen := truckOf[r.Vehicle]; !seen {
			truckOf[r.Vehicle] = r
		} else if first.Plant != r.Plant || first.VehicleType != r.VehicleType {
			c.add(r, LimitSheet, "truck %s is of plant %s, type %s on row %d but of plant %s, type %s here",
				r.Vehicle, first.Plant, first.VehicleType, first.Line, r.Plant, r.VehicleType)
			ok = false
		}
		known[i] = ok
	}
	return known
}

// travel is the road km and minutes from a to b at a truck's speed: the
// road matrix where it lists the pair, great-circle x detour otherwise.
func (c *checker) travel(fromID, toID string, from, to orb.Point, speedKmh float64) (km, minutes float64) {
	if fromID == toID {
		return 0, 0
	}
	if c.roads != nil {
		if rkm, rmin, ok, okMin := c.roads.Leg(fromID, toID); ok {
			if okMin {
				return rkm, rmin
			}
			return rkm, rkm / speedKmh * 60
		}
	}
	km = greatCircleKm(from, to) * c.rec.Settings.Detour
	return km, km / speedKmh * 60
}

func (c *checker) plantPoint(id string) orb.Point {
	p := c.plants[id]
	return orb.Point{p.Lon, p.Lat}
}

func (c *checker) outletPoint(id string) orb.Point {
	o := c.outlets[id]
	return orb.Point{o.Lon, o.Lat}
}

// dayName is "Mon" for day 1.
func dayName(d int) string {
	if d < 1 || d > 7 {
		return fmt.Sprint(d)
	}
	return [...]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}[d-1]
}

func dayNames(days []int) string {
	s := make([]string, len(days))
	for i, d := range days {
		s[i] = dayName(d)
	}
	return strings.Join(s, " ")
}

// clock prints minutes after midnight as HH:MM (to the nearest minute).
func clock(min float64) string {
	m := int(min + 0.5)
	if min < 0 {
		m = 0
	}
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}
