package week

import (
	"fmt"
	"math"
	"math/bits"
	"sort"
	"strings"

	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/solver/routing"
)

// Stage 3, plant assignment: each due outlet goes to a plant whose trucks
// reach it inside opening hours and get back within their shift, with
// weekly intake and truck capacity left; the closest outlets choose first.

// PlanningFill is the average share of a truck's capacity a day's pickups
// are expected to use, for booking plants' fleets (assumption; the
// default fleets are sized with it, datasets/README.md).
const PlanningFill = 0.7

// PlantWeek is one plant's share of the week: its trucks and the due
// outlets assigned to it (its jobs), in the order they were assigned. It is
// all a PlantSolver needs.
type PlantWeek struct {
	// Index is the plant's position in the plants table (it seeds the
	// plant's solve, so the result does not depend on the other plants).
	Index int
	Plant domain.Plant
	Fleet []domain.FleetRow // rows with trucks, in the fleet table's order
	Jobs  []PlantJob
	// Previous are the routes of an earlier plan on this plant's trucks, by
	// day (AttachPrevious); nil for none.
	Previous [][]routing.Route
}

// PlantJob is a due outlet of a plant's week.
type PlantJob struct {
	Due    int // index into Rules.Due
	Outlet domain.Outlet
	// Patterns are the allowed day patterns; VisitKg and VisitPacks the
	// largest pickup of a visit.
	Patterns            []uint32
	VisitKg, VisitPacks float64
	// KgPerDay and PacksPerDay accumulate between visits; an outlet on a
	// CycleWeeks > 1 cycle is visited once, collecting its CycleWeeks.
	KgPerDay, PacksPerDay float64
	CycleWeeks            int
}

// Collect is what a visit on day d (0-based) collects when the job is
// visited on pattern pat: the accumulation since the previous visit.
func (j *PlantJob) Collect(pat uint32, d int) (kg, packs float64) {
	gap := float64(visitGap(pat, d, j.CycleWeeks))
	return j.KgPerDay * gap, j.PacksPerDay * gap
}

// Assignment is the outcome of stage 3.
type Assignment struct {
	// Plants are the plants with due outlets, in the plants table's order.
	Plants []PlantWeek
	// Unserved lists due outlets no plant takes: out of reach
	// (UnservedReach), every plant in reach full (UnservedIntake) or its
	// trucks booked (UnservedFleet).
	Unserved []UnservedOutlet
}

// candidate is a plant in reach of a due outlet.
type candidate struct {
	plant int
	km    float64
}

// AssignPlants assigns the due outlets of r to plants. Each plant offers its
// weekly intake and its trucks' time on the work days; a due outlet books
// the time of the trips its week's kg fill at PlanningFill, there and back
// with the reload, and of its visits' service (truckMinutes).
func AssignPlants(r *Rules, plants []domain.Plant, fleet []domain.FleetRow, legs Legs, opt *Options) *Assignment {
	all := make([]int, len(r.Due))
	for j := range all {
		all[j] = j
	}
	return AssignDues(r, all, plants, fleet, legs, opt)
}

// AssignDues is AssignPlants for the dues of r listed in dues (indexes into
// r.Due) only: the outlets a consolidation hub empties are assigned to the
// hub alone, the others to the plants.
func AssignDues(r *Rules, dues []int, plants []domain.Plant, fleet []domain.FleetRow, legs Legs, opt *Options) *Assignment {
	return AssignTied(r, dues, plants, fleet, legs, opt, nil)
}

// AssignTied is AssignDues where an outlet tied to a plant (tie, outlet id
// -> plant id: the network design's direct tier, which fits whole outlets
// into the plants' intake at the fewest tonne-km) tries that plant first,
// then the others in reach, nearest first. Without ties the nearest plant
// comes first, and outlets that only one full plant reaches can be crowded
// out by outlets that had other plants.
func AssignTied(r *Rules, dues []int, plants []domain.Plant, fleet []domain.FleetRow, legs Legs, opt *Options, tie map[string]string) *Assignment {
	a := &Assignment{}
	fleetOf := fleetByPlant(fleet)
	cands := make([][]candidate, len(r.Due))
	order := make([]int, 0, len(dues))
	for _, j := range dues {
		d := r.Due[j]
		o := r.Outlets[d.Outlet].Outlet
		cs, u := inReach(o, d, plants, fleetOf, legs, opt)
		if u != nil {
			a.Unserved = append(a.Unserved, *u)
			continue
		}
		if id, ok := tie[o.ID]; ok {
			for k, c := range cs {
				if plants[c.plant].ID == id {
					copy(cs[1:k+1], cs[:k])
					cs[0] = c
					break
				}
			}
		}
		cands[j] = cs
		order = append(order, j)
	}
	// Closest outlets first take their nearest plant; when a plant's weekly
	// intake is used up, later outlets fall back to the next plant in reach.
	sort.SliceStable(order, func(x, y int) bool { return cands[order[x]][0].km < cands[order[y]][0].km })
	intakeLeft := make([]float64, len(plants))
	fleetLeft := make([]float64, len(plants))
	for i, p := range plants {
		intakeLeft[i] = p.IntakeKgPerWeek
		fleetLeft[i] = fleetMinutes(fleetOf[p.ID], opt)
	}
	byPlant := map[int][]int{}
	for _, j := range order {
		d := r.Due[j]
		assigned, intakeFull := false, true
		for _, c := range cands[j] {
			if intakeLeft[c.plant] < d.WeekKg {
				continue
			}
			intakeFull = false
			need := truckMinutes(d, c.km, fleetOf[plants[c.plant].ID], opt)
			if fleetLeft[c.plant] < need {
				continue
			}
			intakeLeft[c.plant] -= d.WeekKg
			fleetLeft[c.plant] -= need
			byPlant[c.plant] = append(byPlant[c.plant], j)
			assigned = true
			break
		}
		if !assigned {
			a.Unserved = append(a.Unserved, full(r.Outlets[d.Outlet].Outlet, d, cands[j], plants, intakeFull))
		}
	}
	idx := make([]int, 0, len(byPlant))
	for pi := range byPlant {
		idx = append(idx, pi)
	}
	sort.Ints(idx)
	for _, pi := range idx {
		w := PlantWeek{Index: pi, Plant: plants[pi], Fleet: fleetOf[plants[pi].ID]}
		for _, j := range byPlant[pi] {
			d := r.Due[j]
			op := &r.Outlets[d.Outlet]
			w.Jobs = append(w.Jobs, PlantJob{Due: j, Outlet: op.Outlet, Patterns: d.Patterns, VisitKg: d.VisitKg, VisitPacks: d.VisitPacks,
				KgPerDay: op.KgPerDay, PacksPerDay: op.PacksPerDay, CycleWeeks: op.CycleWeeks})
		}
		a.Plants = append(a.Plants, w)
	}
	return a
}

// inReach lists the plants whose trucks, leaving at shift start, reach o
// inside opening hours and are back before their shift ends, nearest
// first; or why none does.
func inReach(o domain.Outlet, d Due, plants []domain.Plant, fleetOf map[string][]domain.FleetRow, legs Legs, opt *Options) ([]candidate, *UnservedOutlet) {
	service := opt.ServiceMin + opt.ServiceMinPerPack*d.VisitPacks
	var cs []candidate
	why := UnservedReach
	nearest, nearestKm := "", math.Inf(1)
	for pi, pl := range plants {
		if len(fleetOf[pl.ID]) == 0 {
			continue
		}
		km, ok, w := Reach(pl, o, fleetOf[pl.ID], service, legs, opt)
		if km < nearestKm {
			nearest, nearestKm = pl.ID, km
			if !ok {
				why = w
			}
		}
		if ok {
			cs = append(cs, candidate{pi, km})
		}
	}
	if nearest == "" {
		// No plant has a truck: there is no nearest plant to measure to.
		return nil, &UnservedOutlet{Outlet: o.ID, Name: o.Name, Province: o.Province, Reason: UnservedFleet,
			Detail: "no plant has a truck (the fleet gives every plant 0 trucks): nothing can collect here", WeekKg: d.WeekKg}
	}
	if len(cs) == 0 {
		open, closing := domain.ClockOf(opt.OpenHour*60), domain.ClockOf(opt.CloseHour*60)
		return nil, &UnservedOutlet{Outlet: o.ID, Name: o.Name, Province: o.Province, Reason: UnservedReach,
			Detail: fmt.Sprintf("nearest plant %s is %.0f km by road: no truck gets there inside opening hours %s-%s and back within its shift (%s)",
				nearest, nearestKm, open, closing, why), WeekKg: d.WeekKg}
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].km < cs[b].km })
	return cs, nil
}

// Reach reports whether a truck of the fleet, leaving the depot pl at shift
// start, reaches o inside opening hours, serves it in service minutes and
// is back before its shift ends; the road km to it; and the limit that
// stops it (UnservedShift or UnservedHours) when no truck can. Without road
// minutes every truck drives at the fleet's slowest speed, as the depot's
// routing problem times its legs (plantProblem): an outlet only a faster
// truck could reach would be assigned and then left unserved by the solve.
func Reach(pl domain.Plant, o domain.Outlet, fleet []domain.FleetRow, service float64, legs Legs, opt *Options) (km float64, ok bool, why string) {
	shiftStart, open, closing := opt.ShiftStartHour*60, opt.OpenHour*60, opt.CloseHour*60
	km, out := legs.Leg(pl.ID, o.ID, pl.Point, o.Point)
	backKm, back := legs.Leg(o.ID, pl.ID, o.Point, pl.Point)
	speed := math.Inf(1)
	for _, fr := range fleet {
		speed = math.Min(speed, fr.SpeedKmh)
	}
	why = UnservedShift
	for _, fr := range fleet {
		tOut, tBack := out, back
		if tOut < 0 {
			tOut = km / speed * 60
		}
		if tBack < 0 {
			tBack = backKm / speed * 60
		}
		arrive := math.Max(shiftStart+tOut, open)
		if arrive > closing {
			why = UnservedHours
			continue
		}
		if arrive+service+tBack <= shiftStart+fr.ShiftHours*60 {
			return km, true, ""
		}
	}
	return km, false, why
}

// full explains why no plant in reach took a due outlet.
func full(o domain.Outlet, d Due, cs []candidate, plants []domain.Plant, intakeFull bool) UnservedOutlet {
	var ids []string
	for _, c := range cs {
		ids = append(ids, plants[c.plant].ID)
	}
	u := UnservedOutlet{Outlet: o.ID, Name: o.Name, Province: o.Province, Reason: UnservedIntake, WeekKg: d.WeekKg,
		Detail: fmt.Sprintf("needs %.0f kg this week; every plant in reach (%s) has used its weekly intake", d.WeekKg, strings.Join(ids, " "))}
	if !intakeFull {
		u.Reason = UnservedFleet
		u.Detail = fmt.Sprintf("needs %.0f kg this week; the trucks of every plant in reach with intake left (%s) are booked for the week", d.WeekKg, strings.Join(ids, " "))
	}
	return u
}

// fleetMinutes is the time a plant's trucks are on duty in the week.
func fleetMinutes(fleet []domain.FleetRow, opt *Options) float64 {
	m := 0.0
	for _, f := range fleet {
		m += float64(f.Count) * f.ShiftHours * 60 * float64(opt.WorkDays)
	}
	return m
}

// truckMinutes estimates the truck time a due outlet km from the plant
// takes in the week: the trips its kg fill on the fleet's average truck at
// PlanningFill, each there and back at the fleet's average speed with a
// reload (and at least the share of a shift a truck's trips per day leave
// each: a truck makes no more than TripsPerDay of them), plus the service
// of each visit. Milk runs share a trip's drive among their stops in
// proportion to their loads, which the trips by kg count.
func truckMinutes(d Due, km float64, fleet []domain.FleetRow, opt *Options) float64 {
	var n, capKg, speed, shift float64
	for _, f := range fleet {
		c := float64(f.Count)
		n += c
		capKg += c * f.CapacityKg
		speed += c * f.SpeedKmh
		shift += c * f.ShiftHours
	}
	if n == 0 || capKg <= 0 || speed <= 0 {
		return math.Inf(1)
	}
	capKg, speed, shift = capKg/n, speed/n, shift/n
	trips := d.WeekKg / (capKg * PlanningFill)
	cycle := math.Max(2*km/speed*60+opt.ReloadMin, shift*60/float64(opt.TripsPerDay))
	visits := 1.0
	if len(d.Patterns) > 0 {
		visits = float64(bits.OnesCount32(d.Patterns[0]))
	}
	return trips*cycle + visits*(opt.ServiceMin+opt.ServiceMinPerPack*d.VisitPacks)
}
