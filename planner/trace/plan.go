package trace

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
)

// PlanZone is the clock of the route sheet: dates and times on it are China
// Standard Time (UTC+8, no daylight saving). A fixed zone needs no tzdata.
var PlanZone = time.FixedZone("CST", 8*3600)

// Stop is one row of the route sheet: the planner's rows in memory, or
// routes.csv as read by domain.ReadSheet (figures as printed).
type Stop = domain.SheetRow

// OutletRate is an outlet's accumulation and storage limit (visits.csv).
type OutletRate struct {
	Outlet      string
	Province    string
	CapacityKg  float64
	KgPerDay    float64
	PacksPerDay float64
	CycleWeeks  int
	Plant       string
}

// Trip is one trip of one truck: it leaves its plant, serves Stops in
// order and returns to unload. Its transfer manifest has the same ID.
type Trip struct {
	ID            string
	Day           int
	Date          string
	Plant         string
	Vehicle       string
	VehicleType   string
	Trip          int
	Stops         []int // indexes into Plan.Stops, in visiting order
	CapacityKg    float64
	CapacityPacks int
	SpeedKmh      float64
}

// Plan is a written weekly plan as trace needs it: the route sheet grouped
// into trips, the places it names, each outlet's accumulation rate, and the
// detour factor the plan used. Build it with NewPlan or LoadPlanDir.
type Plan struct {
	Monday  time.Time // 00:00 plan time of the week's Monday
	Stops   []Stop
	Trips   []Trip
	Outlets map[string]domain.Outlet
	Plants  map[string]domain.Plant
	Rates   map[string]OutletRate
	Detour  float64
	// stopsAt lists the stops of each outlet in time order.
	stopsAt map[string][]int
}

// Places are the outlets (existing and newly sited), plants and fleets a
// plan refers to.
type Places struct {
	Outlets []domain.Outlet
	Plants  []domain.Plant
	Fleet   []domain.FleetRow
}

// TripID names a trip: date, truck and trip of the day.
func TripID(date, vehicle string, trip int) string {
	return fmt.Sprintf("%s/%s/T%d", date, vehicle, trip)
}

// SheetError is a route-sheet row that does not fit the places or itself.
type SheetError struct {
	File string
	Line int
	Msg  string
}

func (e *SheetError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// ExitCode: an inconsistent sheet is bad input (exit code 3).
func (e *SheetError) ExitCode() int { return 3 }

// NewPlan groups stops into trips and checks that every outlet, plant and
// vehicle type they name is known, that dates and days agree, and that each
// truck's stops are numbered in order. sheet names the route sheet in errors.
func NewPlan(sheet string, stops []Stop, places Places, rates []OutletRate, detour float64) (*Plan, error) {
	p := &Plan{Stops: append([]Stop(nil), stops...), Outlets: map[string]domain.Outlet{}, Plants: map[string]domain.Plant{},
		Rates: map[string]OutletRate{}, Detour: detour, stopsAt: map[string][]int{}}
	for _, o := range places.Outlets {
		p.Outlets[o.ID] = o
	}
	for _, pl := range places.Plants {
		p.Plants[pl.ID] = pl
	}
	for _, r := range rates {
		p.Rates[r.Outlet] = r
	}
	fleet := map[string][]domain.FleetRow{}
	for _, f := range places.Fleet {
		fleet[f.PlantID] = append(fleet[f.PlantID], f)
	}
	fail := func(s Stop, format string, a ...any) error {
		return &SheetError{File: sheet, Line: s.Line, Msg: fmt.Sprintf(format, a...)}
	}
	sort.SliceStable(p.Stops, func(a, b int) bool {
		x, y := p.Stops[a], p.Stops[b]
		if x.Day != y.Day {
			return x.Day < y.Day
		}
		if x.Vehicle != y.Vehicle {
			return x.Vehicle < y.Vehicle
		}
		return x.Seq < y.Seq
	})
	type truckDay struct {
		day     int
		vehicle string
	}
	lastSeq := map[truckDay]Stop{}
	tripOf := map[string]int{}
	for i := range p.Stops {
		s := &p.Stops[i]
		d, err := time.ParseInLocation("2006-01-02", s.Date, PlanZone)
		if err != nil {
			return nil, fail(*s, "date %q: want YYYY-MM-DD", s.Date)
		}
		monday := d.AddDate(0, 0, -(s.Day - 1))
		if p.Monday.IsZero() {
			p.Monday = monday
		} else if !monday.Equal(p.Monday) {
			return nil, fail(*s, "day %d on %s: the sheet's week starts on %s, so day %d is %s", s.Day, s.Date,
				p.Monday.Format("2006-01-02"), s.Day, p.Monday.AddDate(0, 0, s.Day-1).Format("2006-01-02"))
		}
		if _, ok := p.Outlets[s.Outlet]; !ok {
			return nil, fail(*s, "outlet %q is not an outlet of the inputs nor a new site of the plan", s.Outlet)
		}
		pl, ok := p.Plants[s.Plant]
		if !ok {
			return nil, fail(*s, "plant %q is not a plant of the inputs", s.Plant)
		}
		fr, err := vehicleType(s.Vehicle, s.VehicleType, pl.ID, fleet[pl.ID])
		if err != nil {
			return nil, fail(*s, "%v", err)
		}
		s.VehicleType = fr.VehicleType
		td := truckDay{s.Day, s.Vehicle}
		if prev, ok := lastSeq[td]; ok && (s.Seq <= prev.Seq || s.Trip < prev.Trip) {
			return nil, fail(*s, "truck %s on day %d: stop %d of trip %d follows stop %d of trip %d", s.Vehicle, s.Day, s.Seq, s.Trip, prev.Seq, prev.Trip)
		}
		lastSeq[td] = *s
		id := TripID(s.Date, s.Vehicle, s.Trip)
		k, ok := tripOf[id]
		if !ok {
			k = len(p.Trips)
			tripOf[id] = k
			p.Trips = append(p.Trips, Trip{ID: id, Day: s.Day, Date: s.Date, Plant: s.Plant, Vehicle: s.Vehicle, VehicleType: fr.VehicleType,
				Trip: s.Trip, CapacityKg: fr.CapacityKg, CapacityPacks: fr.CapacityPacks, SpeedKmh: fr.SpeedKmh})
		} else if p.Trips[k].Plant != s.Plant {
			return nil, fail(*s, "trip %s starts from plant %s but this stop names plant %s", id, p.Trips[k].Plant, s.Plant)
		}
		p.Trips[k].Stops = append(p.Trips[k].Stops, i)
		p.stopsAt[s.Outlet] = append(p.stopsAt[s.Outlet], i)
	}
	for _, idx := range p.stopsAt {
		sort.SliceStable(idx, func(a, b int) bool { return p.StopTime(idx[a], false).Before(p.StopTime(idx[b], false)) })
	}
	return p, nil
}

// vehicleType finds the fleet row of a truck: by the sheet's vehicle_type
// when given, else by its name "<plant>-<type>-<n>" as the planner writes it.
func vehicleType(vehicle, given, plant string, rows []domain.FleetRow) (domain.FleetRow, error) {
	var types []string
	for _, f := range rows {
		types = append(types, f.VehicleType)
		if given != "" && f.VehicleType == given {
			return f, nil
		}
	}
	if given != "" {
		return domain.FleetRow{}, fmt.Errorf("vehicle type %q is not in plant %s's fleet (%s)", given, plant, strings.Join(types, ", "))
	}
	best, n := domain.FleetRow{}, -1
	for _, f := range rows {
		prefix := plant + "-" + f.VehicleType + "-"
		rest, ok := strings.CutPrefix(vehicle, prefix)
		if _, err := strconv.Atoi(rest); ok && err == nil && len(prefix) > n {
			best, n = f, len(prefix)
		}
	}
	if n < 0 {
		return best, fmt.Errorf("vehicle %q: no vehicle type of plant %s's fleet (%s) matches its name <plant>-<type>-<number>", vehicle, plant, strings.Join(types, ", "))
	}
	return best, nil
}

// StopTime is a stop's arrival (or departure) as an instant.
func (p *Plan) StopTime(i int, depart bool) time.Time {
	s := p.Stops[i]
	m := s.Arrive
	if depart {
		m = s.Depart
	}
	return p.Monday.AddDate(0, 0, s.Day-1).Add(time.Duration(m) * time.Minute)
}

// StopsAt lists the stops of an outlet in time order.
func (p *Plan) StopsAt(outlet string) []int { return p.stopsAt[outlet] }

// ReturnKm estimates the last leg of a trip, from its last outlet back to its
// plant: great-circle distance x the plan's detour factor. The route sheet
// does not list this leg.
func (p *Plan) ReturnKm(t Trip) float64 {
	last := p.Stops[t.Stops[len(t.Stops)-1]]
	return greatCircleKm(p.Outlets[last.Outlet].Point, p.Plants[t.Plant].Point) * p.detour()
}

func (p *Plan) detour() float64 {
	if p.Detour > 0 {
		return p.Detour
	}
	return 1
}

// Leaves is when a trip leaves its plant: its first arrival minus the first
// leg at the truck's speed.
func (p *Plan) Leaves(t Trip) time.Time {
	first := p.Stops[t.Stops[0]]
	return p.StopTime(t.Stops[0], false).Add(-travel(first.Km, t.SpeedKmh))
}

// BackAt is when a trip is expected back at its plant (estimated: see ReturnKm).
func (p *Plan) BackAt(t Trip) time.Time {
	return p.StopTime(t.Stops[len(t.Stops)-1], true).Add(travel(p.ReturnKm(t), t.SpeedKmh))
}

// travel is the time to drive km at kmh, to the whole minute.
func travel(km, kmh float64) time.Duration {
	if kmh <= 0 {
		return 0
	}
	return time.Duration(km/kmh*60+0.5) * time.Minute
}

func greatCircleKm(a, b orb.Point) float64 { return float64(geo.Haversine(a, b)) }

// Title names the plan's week for manifests: "week 2030-W10 (from Mon
// 2030-03-04)". It depends on the sheet only, so manifests written with a
// plan and by `rlplan manifests` on its folder are the same.
func (p *Plan) Title() string {
	if p.Monday.IsZero() {
		return "a week without stops"
	}
	y, w := p.Monday.ISOWeek()
	return fmt.Sprintf("week %d-W%02d (from Mon %s)", y, w, p.Monday.Format("2006-01-02"))
}
