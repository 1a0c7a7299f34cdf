package week

import (
	"time"

	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/solver"
)

// Reasons an outlet is not served as required.
const (
	UnservedStorage  = "storage_limit"     // fills faster than the work days allow
	UnservedReach    = "no_plant_in_reach" // no plant's truck gets there and back in a shift inside opening hours
	UnservedIntake   = "plant_intake"      // every plant in reach is full for the week
	UnservedCapacity = "vehicle_capacity"  // a pickup is larger than any truck in reach
	UnservedShift    = "shift_length"
	UnservedHours    = "opening_hours"
	UnservedFleet    = "fleet_size" // the plant's trucks cannot fit it in this week
)

// OutletPlan is an outlet's accumulation and visit rule (a row of
// visits.csv).
type OutletPlan struct {
	Outlet       domain.Outlet
	KgPerDay     float64
	PacksPerDay  float64
	VisitsNeeded int // visits this week
	CycleWeeks   int // 1, or k for an outlet emptied every k weeks
	Pattern      uint32
	Plant        string
	PlannedKg    float64 // kg to collect this week
}

// Stop is one stop of the route sheet, times unrounded (SheetRows prints
// them).
type Stop struct {
	Day         int // 1 = Monday
	Date        string
	Plant       string
	Vehicle     string
	VehicleType string // the fleet.csv vehicle_type of the truck
	Trip        int    // the truck's trip of the day, from 1
	Seq         int    // stop of the truck's day, from 1 (across its trips)
	Outlet      string
	Arrive      float64 // minutes after midnight
	Depart      float64
	PickupKg    float64
	PickupPacks float64
	LoadKg      float64
	Km          float64 // leg from the previous stop
}

// VehicleDay sums one truck's day: its trips from the plant and back.
type VehicleDay struct {
	Day     int
	Plant   string
	Vehicle string
	Trips   int
	Stops   int
	Km      float64
	Hours   float64 // on duty: first departure to last return
	Cost    float64 // the day's fixed cost + km x cost per km
	CO2Kg   float64
	LoadKg  float64 // collected over all trips
	Return  float64 // back at the plant from the last trip, minutes after midnight
	Startat float64 // leaves the plant on the first trip
}

// PlantDay sums a plant's trucks on one day.
type PlantDay struct {
	Day              int
	Date             string
	Plant            string
	Vehicles         int
	Trips            int
	Km               float64
	Hours            float64
	Cost             float64
	CO2Kg            float64
	DeliveredTonnes  float64
	WeekIntakeTonnes float64
}

// UnservedOutlet is an outlet not served as its storage limit requires.
type UnservedOutlet struct {
	Outlet   string
	Name     string
	Province string
	Plant    string
	Reason   string
	Detail   string
	WeekKg   float64
}

// Schedule is a weekly pickup plan.
type Schedule struct {
	Week     string
	Monday   time.Time
	Days     int
	Outlets  []OutletPlan
	Stops    []Stop
	Vehicles []VehicleDay
	// PlantDays, Unserved: the summaries and what could not be served, why.
	PlantDays   []PlantDay
	Unserved    []UnservedOutlet
	Uncollected struct {
		Cells  int
		Tonnes float64 // per year
	}
	// Left is the retirement mass no outlet collects, by cause (Uncollected
	// is its total).
	Left []Leftover
	// Totals over the week.
	Km, Hours, Cost, CO2Kg, CollectedKg float64
	VehicleDays, Trips                  int
	Interrupted                         bool
	Status                              solver.Status
	// Consistency compares the week with Options.Previous; nil without one.
	Consistency *Consistency
	// Hubs are the week's consolidation hubs (the depots of some of the
	// plants' weeks), Linehaul their legs to plants and LinehaulTruck the
	// truck of the legs, as the planner's network stage laid them out;
	// empty without hubs. HubOwnKg is what the hubs' own catchments bring
	// in the week (handed in at the hub, shipped by line-haul).
	Hubs          []domain.HubRecord
	Linehaul      []domain.LinehaulRow
	LinehaulTruck *domain.LinehaulRecord
	HubOwnKg      float64
	// HubDepots are the hubs as depots of their trucks (id, name, place,
	// the intake their legs are booked for) and HubFleet their trucks.
	HubDepots []domain.Plant
	HubFleet  []domain.FleetRow
	// SheetCSV, RecordJSON and LinehaulCSV are routes.csv, plan.json and
	// linehaul.csv as they are written, once the caller has checked them
	// (see Encode); nil before.
	SheetCSV, RecordJSON, LinehaulCSV []byte
}

// TimeLimitNote says, when the week's time limit (not its iteration
// budgets) ended the search of some plant, that another run may give
// another week and what makes it reproducible; "" otherwise (an
// interrupted week says so itself).
func (sch *Schedule) TimeLimitNote() string {
	if sch.Status != solver.TimeLimit || sch.Interrupted {
		return ""
	}
	return "Time limit: the week's search stopped on its time limit before its iteration budgets (a busy or slow machine); " +
		"another run may give another week. Raise the limit (--time-limit, --time-scale or routes.time_limit) for a reproducible week."
}
