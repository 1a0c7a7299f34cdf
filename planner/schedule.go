package planner

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/bits"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/periodic"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

// ScheduleOptions describe a weekly pickup plan. Zero values mean the
// documented defaults.
type ScheduleOptions struct {
	Year int
	// Week is an ISO week such as "2030-W10"; empty means week 10 of Year.
	Week       string
	RadiusKm   float64 // catchment radius by road; 0 means 20 km
	Detour     geo.Detour
	Resolution int // H3 resolution of the density grid; 0 means DefaultResolution
	// FillTarget is the safety share of an outlet's storage limit that may
	// be filled before a pickup; 0 means 0.8.
	FillTarget float64
	// WorkDays are the days trucks run, Monday first; 0 means 6 (Mon-Sat).
	// Packs keep arriving on the other days.
	WorkDays int
	// OpenHour and CloseHour bound the start of service at outlets (hours
	// after midnight); 0 means 8 and 18.
	OpenHour, CloseHour float64
	// ShiftStartHour is when trucks may leave the plant; 0 means 7.
	ShiftStartHour float64
	// ServiceMin is the handling time per stop and ServiceMinPerPack the
	// extra time per pack loaded; 0 means 20 and 0.5 minutes.
	ServiceMin, ServiceMinPerPack float64
	// MaxCycleWeeks is the longest interval between two pickups of a slowly
	// filling outlet; 0 means 4 weeks.
	MaxCycleWeeks int
	// VehicleDayCost is the fixed cost of using a truck for a day (driver,
	// escort, insurance), in CNY. Zero is free: the scenario and the
	// routes command default to 600.
	VehicleDayCost float64
	// TripsPerDay is the most trips a truck makes in a day, each from the
	// plant and back; 0 means 3, and 1 is one trip per truck per day.
	TripsPerDay int
	// ReloadMin is the time at the plant between two trips (unloading,
	// paperwork), in minutes. The scenario and the routes command default
	// to 30.
	ReloadMin float64
	TimeLimit time.Duration // whole-plan limit; 0 means 60 s
	// Effort scales the solver's iteration budgets (pattern moves per job,
	// routing iterations per day); 0 means 1. Results are reproducible
	// when the budgets, not the time limit, end the search.
	Effort  float64
	Seed    int64
	Workers int // plants solved in parallel; 0 means 2
	// Roads, when set, replaces the great-circle estimate for the pairs of
	// plants and outlets it lists (the truck's speed gives the time when the
	// file has no minutes).
	Roads *RoadMatrix
	// Progress, when set, is called after each plant is planned.
	Progress func(done, total int)
}

func (o *ScheduleOptions) defaults() error {
	if o.RadiusKm == 0 {
		o.RadiusKm = 20
	}
	if o.Detour.Factor() == 0 {
		o.Detour, _ = geo.NewDetour(1.3)
	}
	if o.Resolution == 0 {
		o.Resolution = DefaultResolution
	}
	if o.FillTarget == 0 {
		o.FillTarget = 0.8
	}
	if o.WorkDays == 0 {
		o.WorkDays = 6
	}
	if o.OpenHour == 0 && o.CloseHour == 0 {
		o.OpenHour, o.CloseHour = 8, 18
	}
	if o.ShiftStartHour == 0 {
		o.ShiftStartHour = 7
	}
	if o.ServiceMin == 0 {
		o.ServiceMin = 20
	}
	if o.ServiceMinPerPack == 0 {
		o.ServiceMinPerPack = 0.5
	}
	if o.MaxCycleWeeks == 0 {
		o.MaxCycleWeeks = 4
	}
	if o.TripsPerDay == 0 {
		o.TripsPerDay = 3
	}
	if o.TimeLimit == 0 {
		o.TimeLimit = 60 * time.Second
	}
	if o.Workers == 0 {
		o.Workers = 2
	}
	if o.Effort == 0 {
		o.Effort = 1
	}
	switch {
	case !(o.FillTarget > 0 && o.FillTarget <= 1):
		return fmt.Errorf("schedule: fill target %g: want a share in (0, 1]", o.FillTarget)
	case o.WorkDays < 1 || o.WorkDays > 7:
		return fmt.Errorf("schedule: %d work days: want 1 to 7", o.WorkDays)
	case o.CloseHour <= o.OpenHour || o.OpenHour < 0 || o.CloseHour > 24:
		return fmt.Errorf("schedule: opening hours %g-%g: want 0 <= open < close <= 24", o.OpenHour, o.CloseHour)
	case !(o.RadiusKm > 0) || math.IsInf(o.RadiusKm, 0):
		return fmt.Errorf("schedule: radius %g km: want > 0", o.RadiusKm)
	case !(o.Effort > 0) || math.IsInf(o.Effort, 0) || !(o.VehicleDayCost >= 0) || math.IsInf(o.VehicleDayCost, 0):
		return fmt.Errorf("schedule: effort %g and vehicle-day cost %g: want finite values > 0 and >= 0", o.Effort, o.VehicleDayCost)
	case o.TripsPerDay < 1 || o.TripsPerDay > 10:
		return fmt.Errorf("schedule: %d trips per truck per day: want 1 to 10", o.TripsPerDay)
	case !(o.ReloadMin >= 0 && o.ReloadMin <= 600):
		return fmt.Errorf("schedule: %g minutes between trips: want 0 to 600", o.ReloadMin)
	case !(o.ServiceMin >= 0 && o.ServiceMinPerPack >= 0) || math.IsInf(o.ServiceMin+o.ServiceMinPerPack, 0):
		return fmt.Errorf("schedule: service times %g + %g min per pack: want finite values >= 0", o.ServiceMin, o.ServiceMinPerPack)
	}
	return nil
}

// Iteration budgets of the weekly plan per unit of Effort, chosen so that a
// province-sized week ends on them (reproducibly) well inside a minute.
const (
	// planningFill is the average share of a truck's capacity a day's
	// pickups are expected to use, for booking plants' fleets.
	planningFill = 0.7

	scheduleRounds            = 10  // pattern-search rounds (improve, then perturb)
	scheduleRoutingIterations = 300 // per routing.Solve call
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

// OutletPlan is an outlet's accumulation and visit rule.
type OutletPlan struct {
	Outlet       Outlet
	KgPerDay     float64
	PacksPerDay  float64
	VisitsNeeded int // visits this week
	CycleWeeks   int // 1, or k for an outlet emptied every k weeks
	Pattern      uint32
	Plant        string
	PlannedKg    float64 // kg to collect this week
}

// Stop is one row of the route sheet.
type Stop struct {
	Day         int // 1 = Monday
	Date        string
	Plant       string
	Vehicle     string
	Trip        int // the truck's trip of the day, from 1
	Seq         int // stop of the truck's day, from 1 (across its trips)
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
	Week        string
	Monday      time.Time
	Days        int
	Outlets     []OutletPlan
	Stops       []Stop
	Vehicles    []VehicleDay
	PlantDays   []PlantDay
	Unserved    []UnservedOutlet
	Uncollected struct {
		Cells  int
		Tonnes float64 // per year
	}
	// Totals over the week.
	Km, Hours, Cost, CO2Kg, CollectedKg float64
	VehicleDays, Trips                  int
	// FewerTrips lists the plants planned with fewer trips per truck than
	// allowed, as "plant:trips", because the trips the engine planned with
	// more did not chain onto their fleets.
	FewerTrips  []string
	Interrupted bool
	Status      string
}

// weekIndex numbers weeks since 1970-01-05 (a Monday), to phase the visits
// of outlets emptied every k weeks.
func weekIndex(monday time.Time) int {
	return int(monday.Sub(time.Date(1970, 1, 5, 0, 0, 0, 0, time.UTC)).Hours()/24) / 7
}

func phaseOf(id string, k int) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(k))
}

// cyclicGaps returns the calendar-day gaps between the visits of a weekly
// pattern repeated every week (bit d = day d+1, Monday first).
func cyclicGaps(pat uint32) []int {
	var days []int
	for d := 0; d < 7; d++ {
		if pat&(1<<d) != 0 {
			days = append(days, d)
		}
	}
	gaps := make([]int, len(days))
	for i := range days {
		prev := days[(i+len(days)-1)%len(days)]
		g := days[i] - prev
		if g <= 0 {
			g += 7
		}
		gaps[i] = g
	}
	return gaps
}

// patternsFor lists the weekly patterns with f visits on work days whose
// every cyclic gap is at most maxGap days.
func patternsFor(f, workDays int, maxGap float64) []uint32 {
	var out []uint32
	for pat := uint32(1); pat < 1<<workDays; pat++ {
		if bits.OnesCount32(pat) != f {
			continue
		}
		ok := true
		for _, g := range cyclicGaps(pat) {
			if float64(g) > maxGap {
				ok = false
			}
		}
		if ok {
			out = append(out, pat)
		}
	}
	return out
}

func maxGapOf(pats []uint32) int {
	m := 0
	for _, p := range pats {
		for _, g := range cyclicGaps(p) {
			if g > m {
				m = g
			}
		}
	}
	return m
}

// PlanWeek builds the weekly pickup schedule: catchments from the density
// grid, visit rules from storage limits, plant assignment within reach and
// intake, then one periodic routing problem per plant.
func PlanWeek(ctx context.Context, in *Inputs, reg Regions, opt ScheduleOptions) (*Schedule, error) {
	if err := opt.defaults(); err != nil {
		return nil, err
	}
	// The grid is quick to build and the plan needs all of it: build it
	// whole even when ctx is cancelled, so an interrupt still yields a
	// (marked) plan rather than nothing.
	cells, err := Density(context.WithoutCancel(ctx), in, opt.Year, opt.Resolution, reg)
	if err != nil {
		return nil, err
	}
	return PlanWeekCells(ctx, in, reg, cells, opt)
}

// PlanWeekCells is PlanWeek on a density grid already computed for
// opt.Year and opt.Resolution (as RunPlan has).
func PlanWeekCells(ctx context.Context, in *Inputs, reg Regions, cells []DensityCell, opt ScheduleOptions) (*Schedule, error) {
	if err := opt.defaults(); err != nil {
		return nil, err
	}
	if opt.Week == "" {
		opt.Week = fmt.Sprintf("%d-W10", opt.Year)
	}
	monday, err := ParseISOWeek(opt.Week)
	if err != nil {
		return nil, err
	}
	var outlets []Outlet
	for _, o := range in.Outlets {
		if reg.Keep(o.Province) {
			outlets = append(outlets, o)
		}
	}
	if len(outlets) == 0 {
		return nil, fmt.Errorf("schedule: no outlets in %s", reg)
	}
	sch := &Schedule{Week: opt.Week, Monday: monday, Days: opt.WorkDays}
	cov, err := AnalyzeCoverage(cells, outlets, opt.RadiusKm, opt.Detour, 0, nil)
	if err != nil {
		return nil, err
	}
	plans := make([]OutletPlan, len(outlets))
	for i, o := range outlets {
		plans[i].Outlet = o
	}
	for i, c := range cells {
		s := cov.Service[i]
		if s.Km > opt.RadiusKm {
			sch.Uncollected.Cells++
			sch.Uncollected.Tonnes += c.Tonnes
			continue
		}
		plans[s.Outlet].KgPerDay += c.Tonnes * 1000 / 365
		plans[s.Outlet].PacksPerDay += c.Packs / 365
	}
	wk := weekIndex(monday)
	type job struct {
		plan     int
		pats     []uint32
		kg       float64 // per visit, planned (largest gap)
		packs    float64
		weekKg   float64
		nearestP int
	}
	var jobs []job
	for i := range plans {
		p := &plans[i]
		if p.KgPerDay <= 0 {
			continue
		}
		limit := p.Outlet.CapacityKg * opt.FillTarget
		maxGap := limit / p.KgPerDay // days the fill target lasts
		if maxGap >= 7 {
			k := int(math.Min(math.Floor(maxGap/7), float64(opt.MaxCycleWeeks)))
			p.CycleWeeks = k
			if (wk+phaseOf(p.Outlet.ID, k))%k != 0 {
				continue // not due this week
			}
			var pats []uint32
			for d := 0; d < opt.WorkDays; d++ {
				pats = append(pats, 1<<d)
			}
			p.VisitsNeeded = 1
			days := float64(7 * k)
			jobs = append(jobs, job{plan: i, pats: pats, kg: p.KgPerDay * days, packs: p.PacksPerDay * days, weekKg: p.KgPerDay * days})
			continue
		}
		p.CycleWeeks = 1
		var pats []uint32
		for f := int(math.Ceil(7 / maxGap)); f <= opt.WorkDays && len(pats) == 0; f++ {
			pats = patternsFor(f, opt.WorkDays, maxGap)
			p.VisitsNeeded = f
		}
		if len(pats) == 0 {
			sch.Unserved = append(sch.Unserved, UnservedOutlet{Outlet: p.Outlet.ID, Name: p.Outlet.Name, Province: p.Outlet.Province, Reason: UnservedStorage,
				Detail: fmt.Sprintf("receives %.0f kg/day and reaches %.0f%% of its %.0f kg limit in %.1f days; %d work days cannot keep every gap that short",
					p.KgPerDay, 100*opt.FillTarget, p.Outlet.CapacityKg, maxGap, opt.WorkDays),
				WeekKg: p.KgPerDay * 7})
			continue
		}
		g := float64(maxGapOf(pats))
		jobs = append(jobs, job{plan: i, pats: pats, kg: p.KgPerDay * g, packs: p.PacksPerDay * g, weekKg: p.KgPerDay * 7})
	}

	// Plants in reach: a truck leaving at shift start must reach the outlet
	// inside opening hours and be back before its shift ends.
	fleetOf := map[string][]FleetRow{}
	for _, f := range in.Fleet {
		if f.Count > 0 {
			fleetOf[f.PlantID] = append(fleetOf[f.PlantID], f)
		}
	}
	f := opt.Detour.Factor()
	shiftStart, open, closing := opt.ShiftStartHour*60, opt.OpenHour*60, opt.CloseHour*60
	// leg is the road km and, when the road matrix gives it, the minutes
	// from one place to another (minutes < 0: derive from the truck speed).
	leg := func(fromID, toID string, from, to orb.Point) (km, min float64) {
		if opt.Roads != nil {
			if rkm, rmin, ok, okMin := opt.Roads.Leg(fromID, toID); ok {
				if !okMin {
					rmin = -1
				}
				return rkm, rmin
			}
		}
		return float64(geo.Haversine(from, to)) * f, -1
	}
	reach := func(pl Plant, o Outlet, service float64) (km float64, ok bool, why string) {
		km, out := leg(pl.ID, o.ID, pl.Point, o.Point)
		backKm, back := leg(o.ID, pl.ID, o.Point, pl.Point)
		why = UnservedShift
		for _, fr := range fleetOf[pl.ID] {
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
	type cand struct {
		plant int
		km    float64
	}
	candsOf := make([][]cand, len(jobs))
	order := make([]int, 0, len(jobs))
	for j, jb := range jobs {
		o := plans[jb.plan].Outlet
		service := opt.ServiceMin + opt.ServiceMinPerPack*jb.packs
		var cs []cand
		why := UnservedReach
		nearest, nearestKm := "", math.Inf(1)
		for pi, pl := range in.Plants {
			if len(fleetOf[pl.ID]) == 0 {
				continue
			}
			km, ok, w := reach(pl, o, service)
			if km < nearestKm {
				nearest, nearestKm = pl.ID, km
				if !ok {
					why = w
				}
			}
			if ok {
				cs = append(cs, cand{pi, km})
			}
		}
		if len(cs) == 0 {
			sch.Unserved = append(sch.Unserved, UnservedOutlet{Outlet: o.ID, Name: o.Name, Province: o.Province, Reason: UnservedReach,
				Detail: fmt.Sprintf("nearest plant %s is %.0f km by road: no truck gets there inside opening hours %s-%s and back within its shift (%s)",
					nearest, nearestKm, Clock(open), Clock(closing), why), WeekKg: jb.weekKg})
			continue
		}
		sort.SliceStable(cs, func(a, b int) bool { return cs[a].km < cs[b].km })
		candsOf[j] = cs
		order = append(order, j)
	}
	// Closest outlets first take their nearest plant; when a plant's weekly
	// intake is used up, later outlets fall back to the next plant in reach.
	sort.SliceStable(order, func(a, b int) bool { return candsOf[order[a]][0].km < candsOf[order[b]][0].km })
	// Each plant offers its weekly intake and an estimate of what its trucks
	// can fetch: one trip a day on each work day at the planning fill.
	intakeLeft := make([]float64, len(in.Plants))
	fleetLeft := make([]float64, len(in.Plants))
	for i, p := range in.Plants {
		intakeLeft[i] = p.IntakeKgPerWeek
		for _, f := range fleetOf[p.ID] {
			fleetLeft[i] += float64(f.Count) * f.CapacityKg * float64(opt.WorkDays) * planningFill
		}
	}
	byPlant := map[int][]int{}
	for _, j := range order {
		jb := jobs[j]
		assigned, intakeFull := false, true
		for _, c := range candsOf[j] {
			if intakeLeft[c.plant] < jb.weekKg {
				continue
			}
			intakeFull = false
			if fleetLeft[c.plant] < jb.weekKg {
				continue
			}
			intakeLeft[c.plant] -= jb.weekKg
			fleetLeft[c.plant] -= jb.weekKg
			byPlant[c.plant] = append(byPlant[c.plant], j)
			plans[jb.plan].Plant = in.Plants[c.plant].ID
			assigned = true
			break
		}
		if !assigned {
			o := plans[jb.plan].Outlet
			var ids []string
			for _, c := range candsOf[j] {
				ids = append(ids, in.Plants[c.plant].ID)
			}
			u := UnservedOutlet{Outlet: o.ID, Name: o.Name, Province: o.Province, Reason: UnservedIntake, WeekKg: jb.weekKg,
				Detail: fmt.Sprintf("needs %.0f kg this week; every plant in reach (%s) has used its weekly intake", jb.weekKg, strings.Join(ids, " "))}
			if !intakeFull {
				u.Reason = UnservedFleet
				u.Detail = fmt.Sprintf("needs %.0f kg this week; the trucks of every plant in reach with intake left (%s) are booked for the week", jb.weekKg, strings.Join(ids, " "))
			}
			sch.Unserved = append(sch.Unserved, u)
		}
	}

	// One periodic problem per plant, solved in a fixed order by a small
	// worker pool; each has its own seed, so the result does not depend on
	// scheduling.
	plantIdx := make([]int, 0, len(byPlant))
	total := 0
	for pi, js := range byPlant {
		plantIdx = append(plantIdx, pi)
		total += len(js)
	}
	sort.Ints(plantIdx)
	type solved struct {
		prob   *periodic.Problem
		res    *periodic.Result
		jobs   []int
		err    error
		trips  int               // trips per truck the engine was given
		trucks [][][][]timedTrip // per day and vehicle type, the trucks and their trips
	}
	results := make([]solved, len(plantIdx))
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	next := make(chan int)
	for w := 0; w < opt.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				pi := plantIdx[k]
				js := byPlant[pi]
				// Each plant may use all the time left: its iteration budgets,
				// not the clock, should end its search (reproducible). The
				// overall limit still caps the plan; a plant that hits it is
				// reported (status time_limit).
				share := opt.TimeLimit - time.Since(start)
				if share < 100*time.Millisecond {
					share = 100 * time.Millisecond
				}
				fleet := fleetOf[in.Plants[pi].ID]
				settings := &periodic.Settings{TimeLimit: share, Seed: solver.Seed(opt.Seed + int64(pi)),
					MaxIterations:     int(math.Ceil(opt.Effort * scheduleRounds)),
					RoutingIterations: int(math.Ceil(opt.Effort * scheduleRoutingIterations))}
				solveWith := func(ctx context.Context, tripsPerTruck int, settings *periodic.Settings) (*periodic.Problem, *periodic.Result, error) {
					prob := plantProblem(in.Plants[pi], fleet, js, func(j int) (Outlet, []uint32, float64, float64) {
						jb := jobs[j]
						return plans[jb.plan].Outlet, jb.pats, jb.kg, jb.packs
					}, opt, tripsPerTruck)
					res, err := periodic.Solve(ctx, prob, settings)
					if err == nil {
						// A route sheet is a safety document: check every plan
						// with the independent validator before it is written.
						if verr := validate.CheckPeriodic(prob, res); verr != nil {
							err = fmt.Errorf("internal error: the plan violates its own limits, please report it: %w", verr)
						}
					}
					return prob, res, err
				}
				// The engine may plan as many trips a day as the trucks can
				// make; when its trips do not chain onto the real fleet, the
				// plant is planned again with one trip fewer per truck, down
				// to one trip per truck (which always fits).
				trips := opt.TripsPerDay
				prob, res, err := solveWith(ctx, trips, settings)
				var trucks [][][][]timedTrip
				for err == nil {
					var fits bool
					if trucks, fits = packWeek(prob, res, fleet, opt); fits || trips == 1 {
						break // one trip per truck always fits
					}
					if ctx.Err() != nil {
						// Interrupted with trips that do not fit the fleet:
						// a quick one-trip plan is the best that is valid.
						trips = 1
						quick := &periodic.Settings{TimeLimit: 5 * time.Second, Seed: settings.Seed, MaxIterations: 1, RoutingIterations: 1}
						if prob, res, err = solveWith(context.Background(), trips, quick); err == nil {
							res.Status = solver.Interrupted
						}
						continue
					}
					trips--
					prob, res, err = solveWith(ctx, trips, settings)
				}
				results[k] = solved{prob, res, js, err, trips, trucks}
				mu.Lock()
				done++
				if opt.Progress != nil {
					opt.Progress(done, len(plantIdx))
				}
				mu.Unlock()
			}
		}()
	}
	for k := range plantIdx {
		next <- k
	}
	close(next)
	wg.Wait()

	sch.Status = solver.IterationLimit.String()
	intakeUsed := map[string]float64{}
	for k, pi := range plantIdx {
		r := results[k]
		if r.err != nil {
			return nil, fmt.Errorf("schedule: plant %s: %w", in.Plants[pi].ID, r.err)
		}
		switch r.res.Status {
		case solver.Interrupted:
			sch.Interrupted = true
			sch.Status = r.res.Status.String()
		case solver.TimeLimit:
			if !sch.Interrupted {
				sch.Status = r.res.Status.String() // the budget did not end the search: not reproducible
			}
		}
		plant := in.Plants[pi]
		fleet := fleetOf[plant.ID]
		if r.err == nil && r.trips < opt.TripsPerDay {
			sch.FewerTrips = append(sch.FewerTrips, fmt.Sprintf("%s:%d", plant.ID, r.trips))
		}
		for j, pat := range r.res.Patterns {
			plans[jobs[r.jobs[j]].plan].Pattern = pat
		}
		for _, u := range r.res.Unserved {
			jb := jobs[r.jobs[u.Job]]
			o := plans[jb.plan].Outlet
			plans[jb.plan].Plant = ""
			sch.Unserved = append(sch.Unserved, UnservedOutlet{Outlet: o.ID, Name: o.Name, Province: o.Province, Plant: plant.ID,
				Reason: unservedReason(u.Reason), Detail: u.Detail, WeekKg: jb.weekKg})
		}
		for d, byType := range r.trucks {
			date := monday.AddDate(0, 0, d).Format("2006-01-02")
			pd := PlantDay{Day: d + 1, Date: date, Plant: plant.ID, WeekIntakeTonnes: plant.IntakeKgPerWeek / 1000}
			for ti, trucks := range byType {
				fr := fleet[ti]
				for k, trips := range trucks {
					vname := fmt.Sprintf("%s-%s-%d", plant.ID, fr.VehicleType, k+1)
					vd := VehicleDay{Day: d + 1, Plant: plant.ID, Vehicle: vname, Trips: len(trips),
						Startat: trips[0].depart, Return: trips[len(trips)-1].ret}
					seq := 0
					for n, tr := range trips {
						var load float64
						prevLoc := 0
						for s, j := range tr.jobs {
							jb := jobs[r.jobs[j]]
							op := &plans[jb.plan]
							gap := float64(visitGap(r.res.Patterns[j], d, op.CycleWeeks))
							kg, packs := op.KgPerDay*gap, op.PacksPerDay*gap
							load += kg
							loc := r.prob.Jobs[j].Location
							seq++
							sch.Stops = append(sch.Stops, Stop{Day: d + 1, Date: date, Plant: plant.ID, Vehicle: vname, Trip: n + 1, Seq: seq, Outlet: op.Outlet.ID,
								Arrive: tr.arrival[s], Depart: tr.start[s] + r.prob.Jobs[j].Service, PickupKg: kg, PickupPacks: packs, LoadKg: load,
								Km: r.prob.Distance[prevLoc][loc]})
							prevLoc = loc
						}
						vd.Stops += len(tr.jobs)
						vd.Km += tr.distance
						vd.LoadKg += load
					}
					vd.Hours = (vd.Return - vd.Startat) / 60
					vd.Cost = opt.VehicleDayCost + fr.CostPerKm*vd.Km
					vd.CO2Kg = vd.Km * fr.CO2GPerKm / 1000
					sch.Vehicles = append(sch.Vehicles, vd)
					pd.Vehicles++
					pd.Trips += vd.Trips
					pd.Km += vd.Km
					pd.Hours += vd.Hours
					pd.Cost += vd.Cost
					pd.CO2Kg += vd.CO2Kg
					pd.DeliveredTonnes += vd.LoadKg / 1000
					intakeUsed[plant.ID] += vd.LoadKg
				}
			}
			if pd.Vehicles > 0 {
				sch.PlantDays = append(sch.PlantDays, pd)
			}
		}
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
	for i := range plans {
		if plans[i].KgPerDay > 0 {
			sch.Outlets = append(sch.Outlets, plans[i])
		}
	}
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
	return sch, nil
}

// visitGap is the number of days of accumulation collected by the visit on
// day d (0-based) of a weekly pattern, or by a visit every k weeks.
func visitGap(pat uint32, d, cycleWeeks int) int {
	if cycleWeeks > 1 {
		return 7 * cycleWeeks
	}
	for back := 1; back <= 7; back++ {
		if pat&(1<<((d-back+7)%7)) != 0 {
			return back
		}
	}
	return 7
}

func unservedReason(r routing.Reason) string {
	switch r {
	case routing.ReasonCapacity:
		return UnservedCapacity
	case routing.ReasonTimeWindow:
		return UnservedHours
	case routing.ReasonShiftLength:
		return UnservedShift
	}
	return UnservedFleet
}

// plantProblem builds the periodic routing problem of one plant: location 0
// is the plant, 1..n the outlets; times in minutes after midnight, distances
// in road km; capacities in kg and packs.
// plantProblem is one plant's week for the engine; each truck counts as
// tripsPerTruck vehicles (its possible trips of a day).
func plantProblem(pl Plant, fleet []FleetRow, js []int, job func(int) (Outlet, []uint32, float64, float64), opt ScheduleOptions, tripsPerTruck int) *periodic.Problem {
	n := len(js) + 1
	pts := make([]Outlet, n)
	pts[0] = Outlet{Point: pl.Point}
	speed := math.Inf(1)
	for _, f := range fleet {
		speed = math.Min(speed, f.SpeedKmh) // one duration matrix: the slowest truck's
	}
	p := &periodic.Problem{Days: opt.WorkDays}
	p.Distance = make([][]float64, n)
	p.Duration = make([][]float64, n)
	for i, j := range js {
		pts[i+1], _, _, _ = job(j)
	}
	ids := make([]string, n)
	ids[0] = pl.ID
	for i := 1; i < n; i++ {
		ids[i] = pts[i].ID
	}
	fac := opt.Detour.Factor()
	for a := 0; a < n; a++ {
		p.Distance[a] = make([]float64, n)
		p.Duration[a] = make([]float64, n)
		for b := 0; b < n; b++ {
			km := float64(geo.Haversine(pts[a].Point, pts[b].Point)) * fac
			min := km / speed * 60
			if opt.Roads != nil && a != b {
				if rkm, rmin, ok, okMin := opt.Roads.Leg(ids[a], ids[b]); ok {
					km, min = rkm, rkm/speed*60
					if okMin {
						min = rmin
					}
				}
			}
			p.Distance[a][b] = km
			p.Duration[a][b] = min
		}
	}
	for _, f := range fleet {
		p.Vehicles = append(p.Vehicles, routing.VehicleType{
			ID: f.VehicleType, Count: f.Count * tripsPerTruck, Capacity: []int64{int64(f.CapacityKg), int64(f.CapacityPacks)},
			ShiftStart: opt.ShiftStartHour * 60, ShiftEnd: opt.ShiftStartHour*60 + f.ShiftHours*60,
			FixedCost: opt.VehicleDayCost, CostPerDistance: f.CostPerKm,
		})
	}
	for i, j := range js {
		o, pats, kg, packs := job(j)
		p.Jobs = append(p.Jobs, periodic.Job{Job: routing.Job{
			ID: o.ID, Location: i + 1, Amount: []int64{int64(math.Ceil(kg)), int64(math.Ceil(packs))},
			Service: opt.ServiceMin + opt.ServiceMinPerPack*math.Ceil(packs),
			Windows: []routing.TimeWindow{{Open: opt.OpenHour * 60, Close: opt.CloseHour * 60}},
		}, Patterns: pats})
	}
	return p
}
