package planner

import (
	"context"
	"fmt"

	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/network"
	"github.com/rlplan/rlplan/planner/week"
)

// The weekly schedule's types and stages live in package week; these names
// keep the planner's API.
type (
	ScheduleOptions = week.Options
	Schedule        = week.Schedule
	Stop            = week.Stop
	VehicleDay      = week.VehicleDay
	PlantDay        = week.PlantDay
	UnservedOutlet  = week.UnservedOutlet
	OutletPlan      = week.OutletPlan
)

// Causes of retirement mass no outlet collects (see package domain).
const (
	LeftBeyondRadius = domain.LeftBeyondRadius
	LeftOverCapacity = domain.LeftOverCapacity
)

// Reasons an outlet is not served as required (see package week).
const (
	UnservedStorage  = week.UnservedStorage
	UnservedReach    = week.UnservedReach
	UnservedIntake   = week.UnservedIntake
	UnservedCapacity = week.UnservedCapacity
	UnservedShift    = week.UnservedShift
	UnservedHours    = week.UnservedHours
	UnservedFleet    = week.UnservedFleet
)

// ParseISOWeek returns the Monday of an ISO week "YYYY-Www"; PatternDays
// names the days of a weekly pattern (see package week).
var (
	ParseISOWeek = week.ParseISOWeek
	PatternDays  = week.PatternDays
)

// PlanWeek builds the weekly pickup schedule: catchments from the density
// grid, visit rules from storage limits, plant assignment within reach and
// intake, then one periodic routing problem per plant.
func PlanWeek(ctx context.Context, in *Inputs, reg Regions, opt ScheduleOptions) (*Schedule, error) {
	if err := opt.Resolve(); err != nil {
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
// opt.Year and opt.Resolution (as RunPlan has), without hubs: see
// PlanNetworkWeek.
func PlanWeekCells(ctx context.Context, in *Inputs, reg Regions, cells []DensityCell, opt ScheduleOptions) (*Schedule, error) {
	return PlanNetworkWeek(ctx, in, reg, cells, opt, nil)
}

// PlanNetworkWeek runs the stages of package week in order, with the
// catchments of package network (each outlet within its throughput) and,
// when net plans hubs, the hub tier: the outlets beyond every plant's
// shift reach are emptied by consolidation hubs' trucks, and the hubs'
// line-haul legs are booked on the plants' intake. It then has the route
// sheet and the line-haul sheet, exactly as they will be written, checked
// by the independent sheetcheck: a sheet that breaks a limit is a bug and
// is never returned.
//
// The stages before the solve are bounded whatever the input; they run to
// the end even when ctx is cancelled, so that an interrupt still yields a
// (marked) plan. The solve observes ctx.
func PlanNetworkWeek(ctx context.Context, in *Inputs, reg Regions, cells []DensityCell, opt ScheduleOptions, net *NetworkOptions) (*Schedule, error) {
	if err := opt.Resolve(); err != nil {
		return nil, err
	}
	monday, err := week.ParseISOWeek(opt.Week)
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
	pre := context.WithoutCancel(ctx)
	stage1 := opt.Catchments
	if stage1 == nil {
		stage1 = network.Throughputs(pre, network.Throughput{Fill: opt.FillTarget, WorkDays: opt.WorkDays}, nil)
	}
	catch, err := stage1(cells, outlets, opt.RadiusKm, opt.Detour)
	if err != nil {
		return nil, err
	}
	rules, err := week.VisitRules(catch, monday, &opt)
	if err != nil {
		return nil, err
	}
	var t *tiers
	if net != nil && net.Hubs {
		if t, err = designHubs(pre, in, catch, rules, &opt, net); err != nil {
			return nil, err
		}
		if rules, err = week.VisitRules(withoutHubs(catch, t.hubOutlets()), monday, &opt); err != nil {
			return nil, err
		}
	}
	legs := week.Legs{Detour: opt.Detour, Roads: opt.Roads}
	direct, byHub := t.splitDues(rules)
	assigned := week.AssignTied(rules, direct, in.Plants, in.Fleet, legs, &opt, t.ties())
	t.unreachedDetail(assigned)
	depots, fleet := in.Plants, in.Fleet
	if t != nil {
		if err := t.assign(pre, in, rules, byHub, assigned); err != nil {
			return nil, err
		}
		depots, fleet = append(append([]Plant(nil), in.Plants...), t.depots...), append(append([]FleetRow(nil), in.Fleet...), t.fleet...)
	}
	attachPrevious(assigned, outlets, &opt)
	if opt.Previous != nil && opt.ConsistencyCost == 0 {
		opt.ConsistencyCost = week.DerivedConsistencyCost(opt.Previous, fleet, legs)
	}
	plans, err := week.SolvePlants(ctx, assigned.Plants, &opt, week.SolveInModel)
	if err != nil {
		return nil, err
	}
	sch := week.Assemble(monday, &opt, catch, rules, assigned, plans)
	if t != nil {
		t.layOut(sch, in, assigned, plans)
		sch.HubDepots, sch.HubFleet = t.depots, t.fleet
	}
	if opt.Previous != nil {
		sch.Consistency = week.Compare(sch, opt.Previous, fleet, legs)
		sch.Consistency.Charge = opt.ConsistencyCost
	}
	if err := checkWritten(sch, depots, fleet, &opt); err != nil {
		return nil, err
	}
	return sch, nil
}

// attachPrevious gives each plant's week the routes of the previous week's
// sheet (opt.Previous, a warm start), for the outlets planned now.
func attachPrevious(assigned *week.Assignment, outlets []Outlet, opt *ScheduleOptions) {
	if opt.Previous == nil {
		return
	}
	known := make(map[string]bool, len(outlets))
	for _, o := range outlets {
		known[o.ID] = true
	}
	week.AttachPrevious(assigned.Plants, opt.Previous, known, opt.WorkDays, opt.Previous.Warn)
}
