package planner

import (
	"context"
	"fmt"

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
// opt.Year and opt.Resolution (as RunPlan has). It runs the stages of
// package week in order, then has the route sheet, exactly as it will be
// written, checked by the independent sheetcheck: a sheet that breaks a
// limit is a bug and is never returned.
//
// The stages before the solve are linear in the cells and outlets and
// bounded whatever the input; they run to the end even when ctx is
// cancelled, so that an interrupt still yields a (marked) plan. The solve
// observes ctx.
func PlanWeekCells(ctx context.Context, in *Inputs, reg Regions, cells []DensityCell, opt ScheduleOptions) (*Schedule, error) {
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
	stage1 := week.NearestOutlet
	if opt.Catchments != nil {
		stage1 = opt.Catchments
	}
	catch, err := stage1(cells, outlets, opt.RadiusKm, opt.Detour)
	if err != nil {
		return nil, err
	}
	rules, err := week.VisitRules(catch, monday, &opt)
	if err != nil {
		return nil, err
	}
	assigned := week.AssignPlants(rules, in.Plants, in.Fleet, week.Legs{Detour: opt.Detour, Roads: opt.Roads}, &opt)
	plans, err := week.SolvePlants(ctx, assigned.Plants, &opt, week.SolveInModel)
	if err != nil {
		return nil, err
	}
	sch := week.Assemble(monday, &opt, catch, rules, assigned, plans)
	if err := checkWritten(sch, in, &opt); err != nil {
		return nil, err
	}
	return sch, nil
}
