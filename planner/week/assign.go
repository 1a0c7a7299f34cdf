package week

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/rlplan/rlplan/planner/domain"
)

// Stage 3, plant assignment: each due outlet goes to a plant whose trucks
// reach it inside opening hours and get back within their shift, with
// weekly intake and truck capacity left; the closest outlets choose first.

// planningFill is the average share of a truck's capacity a day's pickups
// are expected to use, for booking plants' fleets (assumption).
const planningFill = 0.7

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
// weekly intake and an estimate of what its trucks can fetch: one trip a day
// on each work day at planningFill of their capacity.
func AssignPlants(r *Rules, plants []domain.Plant, fleet []domain.FleetRow, legs Legs, opt *Options) *Assignment {
	a := &Assignment{}
	fleetOf := fleetByPlant(fleet)
	cands := make([][]candidate, len(r.Due))
	order := make([]int, 0, len(r.Due))
	for j, d := range r.Due {
		cs, u := inReach(r.Outlets[d.Outlet].Outlet, d, plants, fleetOf, legs, opt)
		if u != nil {
			a.Unserved = append(a.Unserved, *u)
			continue
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
		for _, f := range fleetOf[p.ID] {
			fleetLeft[i] += float64(f.Count) * f.CapacityKg * float64(opt.WorkDays) * planningFill
		}
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
			if fleetLeft[c.plant] < d.WeekKg {
				continue
			}
			intakeLeft[c.plant] -= d.WeekKg
			fleetLeft[c.plant] -= d.WeekKg
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
		km, ok, w := reach(pl, o, fleetOf[pl.ID], service, legs, opt)
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

// reach reports whether a truck of the plant's fleet can serve o in a day,
// the road km to it, and the limit that stops it (UnservedShift or
// UnservedHours) when none can.
func reach(pl domain.Plant, o domain.Outlet, fleet []domain.FleetRow, service float64, legs Legs, opt *Options) (km float64, ok bool, why string) {
	shiftStart, open, closing := opt.ShiftStartHour*60, opt.OpenHour*60, opt.CloseHour*60
	km, out := legs.Leg(pl.ID, o.ID, pl.Point, o.Point)
	backKm, back := legs.Leg(o.ID, pl.ID, o.Point, pl.Point)
	why = UnservedShift
	for _, fr := range fleet {
		tOut, tBack := out, back
		if tOut < 0 {
			tOut = km / fr.SpeedKmh * 60
		}
		if tBack < 0 {
			tBack = backKm / fr.SpeedKmh * 60
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
