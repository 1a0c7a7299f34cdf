package main

import (
	"errors"

	"github.com/spf13/pflag"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/week"
)

// weekFlags are the flags of the weekly plan's settings. Their defaults,
// ranges and messages come from the settings' Options (packages domain and
// week), which the scenario uses too.
type weekFlags struct {
	opt       planner.ScheduleOptions
	detour    float64
	warmStart string
}

func (w *weekFlags) register(fs *pflag.FlagSet) {
	o := &w.opt
	fs.IntVar(&o.Year, domain.OptYear.Flag, int(domain.OptYear.Default), "forecast year of the accumulation rates")
	fs.StringVar(&o.Week, "week", "", "ISO week to plan, e.g. 2030-W10 (default: week 10 of --year)")
	floatOpt(fs, &o.RadiusKm, domain.OptRadius)
	floatOpt(fs, &w.detour, domain.OptDetour)
	floatOpt(fs, &o.FillTarget, week.OptFill)
	intOpt(fs, &o.WorkDays, week.OptWorkDays)
	fs.DurationVar(&o.TimeLimit, week.OptTimeLimit.Flag, week.OptTimeLimit.DefaultDuration(), week.OptTimeLimit.Usage)
	fs.Int64Var(&o.Seed, "seed", 1, "random seed")
	floatOpt(fs, &o.VehicleDayCost, week.OptVehicleDayCost)
	intOpt(fs, &o.TripsPerDay, week.OptTripsPerDay)
	floatOpt(fs, &o.ReloadMin, week.OptReloadMin)
	fs.StringVar(&w.warmStart, "warm-start", "", warmStartUsage)
	floatOpt(fs, &o.ConsistencyCost, week.OptConsistencyCost)
}

const warmStartUsage = "start from the plan in `DIR` (routes.csv and plan.json of an earlier week): outlets keep their truck and weekday where that still fits"

func floatOpt(fs *pflag.FlagSet, v *float64, o domain.Option) {
	fs.Float64Var(v, o.Flag, o.Default, o.Usage)
}

func intOpt(fs *pflag.FlagSet, v *int, o domain.Option) {
	fs.IntVar(v, o.Flag, int(o.Default), o.Usage)
}

// options checks every flag against its Option (a usage error naming the
// flag) and returns the settings; the week is checked too.
func (w *weekFlags) options() (planner.ScheduleOptions, error) {
	o := w.opt
	if err := firstErr(domain.OptYear.CheckInt(o.Year), domain.OptRadius.Check(o.RadiusKm), domain.OptDetour.Check(w.detour),
		week.OptFill.Check(o.FillTarget), week.OptWorkDays.CheckInt(o.WorkDays), week.OptVehicleDayCost.Check(o.VehicleDayCost),
		week.OptTripsPerDay.CheckInt(o.TripsPerDay), week.OptReloadMin.Check(o.ReloadMin), week.OptTimeLimit.CheckDuration(o.TimeLimit),
		week.OptConsistencyCost.Check(o.ConsistencyCost)); err != nil {
		return o, flagError(err)
	}
	var err error
	if o.Detour, err = geo.NewDetour(w.detour); err != nil {
		return o, usageErrorf("--detour: %v", err)
	}
	if o.Week != "" {
		if _, err := planner.ParseISOWeek(o.Week); err != nil {
			return o, usageError{err}
		}
	}
	return o, nil
}

// flagError turns a setting's range error into a usage error that names
// its flag: "--fill 1.5: want a share in (0, 1]".
func flagError(err error) error {
	var re *domain.RangeError
	if errors.As(err, &re) && re.Option.Flag != "" {
		return usageErrorf("%s", re.FlagMessage())
	}
	return err
}
