package week

import (
	"bytes"
	"path/filepath"

	"github.com/rlplan/rlplan/planner/domain"
)

// SheetRows returns the route sheet: one row per stop, in the schedule's
// order, as domain.WriteSheet prints it.
func (sch *Schedule) SheetRows() []domain.SheetRow {
	rows := make([]domain.SheetRow, len(sch.Stops))
	for i, st := range sch.Stops {
		rows[i] = domain.SheetRow{Day: st.Day, Date: st.Date, Plant: st.Plant, Vehicle: st.Vehicle, VehicleType: st.VehicleType, Trip: st.Trip, Seq: st.Seq,
			Outlet: st.Outlet, Arrive: domain.ClockOf(st.Arrive), Depart: domain.ClockOf(st.Depart),
			PickupKg: st.PickupKg, PickupPacks: st.PickupPacks, LoadKg: st.LoadKg, Km: st.Km}
	}
	return rows
}

// Record returns what `rlplan check` needs to re-validate the week's route
// sheet: the settings, the plants with trucks and their fleets (from plants
// and fleet, as the plan used them), and every outlet with a catchment, its
// rate and visit days. roadsFile is the road matrix file the week used, ""
// for none.
func (sch *Schedule) Record(plants []domain.Plant, fleet []domain.FleetRow, opt *Options, roadsFile string) *domain.PlanRecord {
	if roadsFile != "" {
		if abs, err := filepath.Abs(roadsFile); err == nil {
			roadsFile = abs
		}
	}
	r := &domain.PlanRecord{Format: domain.PlanRecordFormat, Week: sch.Week, Monday: sch.Monday.Format("2006-01-02"),
		Settings: domain.WeekSettings{WorkDays: opt.WorkDays, Fill: opt.FillTarget, OpenHour: opt.OpenHour, CloseHour: opt.CloseHour,
			ShiftStartHour: opt.ShiftStartHour, ServiceMin: opt.ServiceMin, ServiceMinPerPack: opt.ServiceMinPerPack, ReloadMin: opt.ReloadMin,
			TripsPerDay: opt.TripsPerDay, Detour: opt.Detour.Factor(), Roads: roadsFile,
			Year: opt.Year, RadiusKm: opt.RadiusKm, MaxCycleWeeks: opt.MaxCycleWeeks, VehicleDayCost: opt.VehicleDayCost, Seed: opt.Seed},
		Outlets: []domain.OutletRecord{}}
	r.Plants, r.Fleet = PlantRecords(plants, fleet)
	r.Hubs, r.Linehaul = sch.Hubs, sch.LinehaulTruck
	listed := map[string]bool{}
	for _, p := range r.Plants {
		listed[p.ID] = true
	}
	for _, l := range sch.Linehaul { // a plant the legs deliver to, with or without trucks
		if !listed[l.Plant] {
			for _, p := range plants {
				if p.ID == l.Plant {
					r.Plants = append(r.Plants, domain.PlantRecord{ID: p.ID, Lat: p.Point[1], Lon: p.Point[0], IntakeKgPerWeek: p.IntakeKgPerWeek})
				}
			}
			listed[l.Plant] = true
		}
	}
	for _, o := range sch.Outlets {
		days := []int{}
		for d := 0; d < 7; d++ {
			if o.Pattern&(1<<d) != 0 {
				days = append(days, d+1)
			}
		}
		r.Outlets = append(r.Outlets, domain.OutletRecord{ID: o.Outlet.ID, Lat: o.Outlet.Point[1], Lon: o.Outlet.Point[0], CapacityKg: o.Outlet.CapacityKg,
			KgPerDay: o.KgPerDay, PacksPerDay: o.PacksPerDay, CycleWeeks: o.CycleWeeks, Days: days, Plant: o.Plant})
	}
	return r
}

// Encode renders the route sheet (routes.csv), the plan record (plan.json)
// and the line-haul sheet (linehaul.csv, nil for a week without hubs) as
// they are written.
func (sch *Schedule) Encode(plants []domain.Plant, fleet []domain.FleetRow, opt *Options, roadsFile string) (sheet, record, linehaul []byte, err error) {
	var b bytes.Buffer
	if err := domain.WriteSheet(&b, sch.SheetRows()); err != nil {
		return nil, nil, nil, err
	}
	if len(sch.Hubs) > 0 {
		var l bytes.Buffer
		if err := domain.WriteLinehaul(&l, sch.Linehaul); err != nil {
			return nil, nil, nil, err
		}
		linehaul = l.Bytes()
	}
	rec, err := domain.EncodePlanRecord(sch.Record(plants, fleet, opt, roadsFile))
	return b.Bytes(), rec, linehaul, err
}

// PlantRecords lists the plants with trucks and their fleet rows with
// trucks, as plan.json records them.
func PlantRecords(plants []domain.Plant, fleet []domain.FleetRow) ([]domain.PlantRecord, []domain.FleetRecord) {
	ps, fs := []domain.PlantRecord{}, []domain.FleetRecord{}
	fleetOf := fleetByPlant(fleet)
	for _, p := range plants {
		if len(fleetOf[p.ID]) == 0 {
			continue
		}
		ps = append(ps, domain.PlantRecord{ID: p.ID, Lat: p.Point[1], Lon: p.Point[0], IntakeKgPerWeek: p.IntakeKgPerWeek})
		for _, f := range fleetOf[p.ID] {
			fs = append(fs, domain.FleetRecord{PlantID: f.PlantID, VehicleType: f.VehicleType, Count: f.Count, CapacityKg: f.CapacityKg,
				CapacityPacks: f.CapacityPacks, SpeedKmh: f.SpeedKmh, ShiftHours: f.ShiftHours})
		}
	}
	return ps, fs
}
