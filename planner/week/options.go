package week

import (
	"fmt"
	"math"
	"time"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
)

// Options describe a weekly pickup plan. A zero field means the default of
// its Option below (stated on each field), except where a field says zero
// is a value. The scenario (routes.* keys) and the routes command set them
// through the same Options, so defaults, ranges and messages live here
// only.
type Options struct {
	Year int // forecast year of the accumulation rates: OptYear
	// Week is an ISO week such as "2030-W10"; empty means week 10 of Year.
	Week       string
	RadiusKm   float64    // catchment radius by road: domain.OptRadius (0 means 20 km)
	Detour     geo.Detour // road km per great-circle km: domain.OptDetour (zero value means 1.3)
	Resolution int        // H3 resolution of the density grid; 0 means domain.DefaultResolution
	// FillTarget is the safety share of an outlet's storage limit that may
	// be filled before a pickup: OptFill (0 means 0.8).
	FillTarget float64
	// WorkDays are the days trucks run, Monday first: OptWorkDays (0 means
	// 6, Mon-Sat). Packs keep arriving on the other days.
	WorkDays int
	// OpenHour and CloseHour bound the start of service at outlets (hours
	// after midnight): OptOpenHour, OptCloseHour (both 0 means 8 and 18).
	OpenHour, CloseHour float64
	// ShiftStartHour is when trucks may leave the plant: OptShiftStart (0
	// means 7).
	ShiftStartHour float64
	// ServiceMin is the handling time per stop and ServiceMinPerPack the
	// extra time per pack loaded: OptServiceMin, OptServicePerPack (0 means
	// 20 and 0.5 minutes).
	ServiceMin, ServiceMinPerPack float64
	// MaxCycleWeeks is the longest interval between two pickups of a slowly
	// filling outlet: OptMaxCycleWeeks (0 means 4 weeks).
	MaxCycleWeeks int
	// VehicleDayCost is the fixed cost of using a truck for a day (driver,
	// escort, insurance), in CNY. Zero is a value (free); the scenario and
	// the routes command default to OptVehicleDayCost (600).
	VehicleDayCost float64
	// TripsPerDay is the most trips a truck makes in a day, each from the
	// plant and back: OptTripsPerDay (0 means 3; 1 is one trip per truck).
	TripsPerDay int
	// ReloadMin is the time at the plant between two trips (unloading,
	// paperwork), in minutes. Zero is a value; the scenario and the routes
	// command default to OptReloadMin (30).
	ReloadMin float64
	// TimeLimit bounds the whole week: OptTimeLimit (0 means 60 s).
	TimeLimit time.Duration
	// Effort scales the solver's iteration budgets (pattern rounds, routing
	// iterations per day, ruin-and-recreate iterations): OptEffort (0 means
	// 1). Results are
	// reproducible when the budgets, not the time limit, end the search.
	Effort float64
	Seed   int64
	// Workers is the number of plants solved in parallel: OptWorkers (0
	// means 2).
	Workers int
	// Roads, when set, replaces the great-circle estimate for the pairs of
	// plants and outlets it lists (the truck's speed gives the time when the
	// file has no minutes).
	Roads *domain.RoadMatrix
	// Catchments, when set, replaces stage 1 (NearestOutlet): the planner
	// sets one that measures on a road graph when the roads input is an
	// OpenStreetMap extract.
	Catchments CatchmentFunc
	// Progress, when set, is called after each plant is planned.
	Progress func(done, total int)
	// Previous, when set, is last week's plan to start from (a warm
	// start): its routes are kept where they still fit, and each route
	// keeps the truck whose outlets it shares most. The schedule then
	// reports how many outlets keep their truck and weekday (Consistency).
	Previous *Previous
	// ConsistencyCost is charged per outlet of Previous that leaves its
	// truck or weekday, in CNY, while the plan is searched (not added to
	// the plan's cost): OptConsistencyCost (0: DerivedConsistencyCost).
	ConsistencyCost float64
}

// The settings of the weekly plan. Defaults are planning assumptions of
// rlplan, stated as such: no published figure fixes them for a carrier.
var (
	// OptFill: a pickup is due before 80 % of the storage limit is reached,
	// a safety margin for days that bring more packs than the mean
	// (assumption).
	OptFill = domain.Option{Key: "routes.fill", Flag: "fill", Default: 0.8, Lo: 0, LoOpen: true, Hi: 1,
		Want: "a share in (0, 1]", Usage: "share of the storage limit that may fill before a pickup"}
	// OptWorkDays: trucks run Monday to Saturday (assumption: a six-day
	// week of dangerous-goods carriers).
	OptWorkDays = domain.Option{Key: "routes.work_days", Flag: "work-days", Default: 6, Lo: 1, Hi: 7, Whole: true,
		Want: "1 to 7", Usage: "truck days per week, Monday first"}
	// OptVehicleDayCost: 600 CNY per truck-day for a driver, an escort (a
	// UN3480 load travels with one) and insurance (assumption). The bound,
	// a million CNY a truck-day, keeps every week's cost finite (1e308 gave
	// +Inf costs) far above any real day rate.
	OptVehicleDayCost = domain.Option{Key: "routes.vehicle_day_cost", Flag: "vehicle-day-cost", Default: 600, Lo: 0, Hi: 1e6,
		Want: "a cost from 0 to 1,000,000 CNY", Usage: "fixed cost of a truck-day in CNY"}
	// OptTripsPerDay: up to 3 trips a day; 10 bounds the trips a shift of
	// at most 24 hours can hold.
	OptTripsPerDay = domain.Option{Key: "routes.trips_per_day", Flag: "trips-per-day", Default: 3, Lo: 1, Hi: 10, Whole: true,
		Want: "trips per truck per day from 1 to 10", Usage: "most trips a truck makes in a day, each from its plant and back (1: one trip per truck)"}
	// OptReloadMin: 30 minutes at the plant between two trips to unload and
	// sign the hand-over (assumption); 600 is longer than any useful pause.
	OptReloadMin = domain.Option{Key: "routes.reload_min", Flag: "reload-min", Default: 30, Lo: 0, Hi: 600,
		Want: "minutes between trips from 0 to 600", Usage: "minutes at the plant between two trips (unloading, paperwork)"}
	// OptTimeLimit: a minute for the week, far more than a province needs
	// on its iteration budgets (BENCHMARKS.md).
	OptTimeLimit = domain.Option{Key: "routes.time_limit", Flag: "time-limit", Default: 60, Lo: 0, LoOpen: true, Hi: math.MaxFloat64, Duration: true,
		Want: "a duration > 0", Usage: "time limit for the whole week"}

	// OptConsistencyCost: 0 (the default) derives the charge from a stated
	// trade-off (DerivedConsistencyCost: a tenth of last week's mean cost per
	// outlet, so that moving one outlet in ten must save 1 % of the cost),
	// because a dispatcher who passes last week's plan wants it kept unless
	// the saving is real. Any other value is what a moved outlet is worth
	// to them; a small one (0.01 CNY) leaves the cheapest plan found to win.
	// The bound, a million CNY an outlet, keeps the charged cost finite, as
	// OptVehicleDayCost's does.
	OptConsistencyCost = domain.Option{Key: "routes.consistency_cost", Flag: "consistency-cost", Default: 0, Lo: 0, Hi: 1e6,
		Want: "a cost from 0 to 1,000,000 CNY", Usage: "CNY charged per outlet moved off its truck or weekday of the --warm-start plan while searching (0: a tenth of its mean cost per outlet)"}

	// Settings the Go API offers (no scenario key, no flag).

	// OptOpenHour and OptCloseHour: outlets hand over packs from 08:00 to
	// 18:00 (assumption: business hours of a dealer or repair shop).
	OptOpenHour  = domain.Option{Key: "OpenHour", Default: 8, Lo: 0, Hi: 24, Want: "an hour from 0 to 24"}
	OptCloseHour = domain.Option{Key: "CloseHour", Default: 18, Lo: 0, Hi: 24, Want: "an hour from 0 to 24, after OpenHour"}
	// OptShiftStart: trucks leave from 07:00 (assumption).
	OptShiftStart = domain.Option{Key: "ShiftStartHour", Default: 7, Lo: 0, Hi: 24, LoOpen: false, Want: "an hour from 0 to 24"}
	// OptServiceMin and OptServicePerPack: 20 minutes a stop (paperwork,
	// hand-over scan) and half a minute per pack loaded (assumption).
	OptServiceMin     = domain.Option{Key: "ServiceMin", Default: 20, Lo: 0, Hi: 24 * 60, Want: "minutes from 0 to 1440"}
	OptServicePerPack = domain.Option{Key: "ServiceMinPerPack", Default: 0.5, Lo: 0, Hi: 60, Want: "minutes from 0 to 60"}
	// OptMaxCycleWeeks: a slowly filling outlet is emptied at least every 4
	// weeks (assumption: packs should not wait longer than a month).
	OptMaxCycleWeeks = domain.Option{Key: "MaxCycleWeeks", Default: 4, Lo: 1, Hi: 52, Whole: true, Want: "weeks from 1 to 52"}
	// OptEffort scales the iteration budgets; 1000 is far past any use.
	OptEffort = domain.Option{Key: "Effort", Default: 1, Lo: 0, LoOpen: true, Hi: 1000, Want: "a factor in (0, 1000]"}
	// OptWorkers: two plants at a time (a laptop's cores).
	OptWorkers = domain.Option{Key: "Workers", Default: 2, Lo: 1, Hi: 256, Whole: true, Want: "1 to 256 workers"}
)

// DefaultOptions returns every setting at its documented default, with the
// defaults the scenario and the routes command use where zero is a value
// (vehicle-day cost, reload time).
func DefaultOptions() Options {
	d, _ := geo.NewDetour(domain.OptDetour.Default)
	return Options{Year: int(domain.OptYear.Default), RadiusKm: domain.OptRadius.Default, Detour: d, Resolution: domain.DefaultResolution,
		FillTarget: OptFill.Default, WorkDays: int(OptWorkDays.Default), OpenHour: OptOpenHour.Default, CloseHour: OptCloseHour.Default,
		ShiftStartHour: OptShiftStart.Default, ServiceMin: OptServiceMin.Default, ServiceMinPerPack: OptServicePerPack.Default,
		MaxCycleWeeks: int(OptMaxCycleWeeks.Default), VehicleDayCost: OptVehicleDayCost.Default, TripsPerDay: int(OptTripsPerDay.Default),
		ReloadMin: OptReloadMin.Default, TimeLimit: OptTimeLimit.DefaultDuration(), Effort: OptEffort.Default, Workers: int(OptWorkers.Default)}
}

// Resolve fills in the defaults of zero fields and checks every range; an
// error is a *domain.RangeError naming the setting (or a week error).
func (o *Options) Resolve() error {
	def := DefaultOptions()
	orDefault(&o.Year, def.Year)
	orDefault(&o.RadiusKm, def.RadiusKm)
	orDefault(&o.Detour, def.Detour)
	orDefault(&o.Resolution, def.Resolution)
	orDefault(&o.FillTarget, def.FillTarget)
	orDefault(&o.WorkDays, def.WorkDays)
	if o.OpenHour == 0 && o.CloseHour == 0 {
		o.OpenHour, o.CloseHour = def.OpenHour, def.CloseHour
	}
	orDefault(&o.ShiftStartHour, def.ShiftStartHour)
	orDefault(&o.ServiceMin, def.ServiceMin)
	orDefault(&o.ServiceMinPerPack, def.ServiceMinPerPack)
	orDefault(&o.MaxCycleWeeks, def.MaxCycleWeeks)
	orDefault(&o.TripsPerDay, def.TripsPerDay)
	orDefault(&o.TimeLimit, def.TimeLimit)
	orDefault(&o.Workers, def.Workers)
	orDefault(&o.Effort, def.Effort)
	if o.Week == "" {
		o.Week = fmt.Sprintf("%d-W10", o.Year)
	}
	return o.Validate()
}

// Validate checks every setting against its Option, without filling in
// defaults.
func (o *Options) Validate() error {
	for _, c := range []error{
		domain.OptYear.CheckInt(o.Year), domain.OptRadius.Check(o.RadiusKm), domain.OptDetour.Check(o.Detour.Factor()),
		domain.OptResolution.CheckInt(o.Resolution), OptFill.Check(o.FillTarget), OptWorkDays.CheckInt(o.WorkDays),
		OptOpenHour.Check(o.OpenHour), OptCloseHour.Check(o.CloseHour), OptShiftStart.Check(o.ShiftStartHour),
		OptServiceMin.Check(o.ServiceMin), OptServicePerPack.Check(o.ServiceMinPerPack), OptMaxCycleWeeks.CheckInt(o.MaxCycleWeeks),
		OptVehicleDayCost.Check(o.VehicleDayCost), OptTripsPerDay.CheckInt(o.TripsPerDay), OptReloadMin.Check(o.ReloadMin),
		OptTimeLimit.CheckDuration(o.TimeLimit), OptEffort.Check(o.Effort), OptWorkers.CheckInt(o.Workers),
		OptConsistencyCost.Check(o.ConsistencyCost),
	} {
		if c != nil {
			return c
		}
	}
	if o.CloseHour <= o.OpenHour {
		return &domain.RangeError{Option: OptCloseHour, Value: fmt.Sprintf("%g (OpenHour %g)", o.CloseHour, o.OpenHour)}
	}
	if _, err := ParseISOWeek(o.Week); err != nil {
		return err
	}
	return nil
}

// orDefault sets *v to def when it holds the zero value.
func orDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}
