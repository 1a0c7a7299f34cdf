package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// PlanRecordFormat names the version of plan.json's layout.
const PlanRecordFormat = "rlplan-week/1"

// PlanRecord is plan.json: what a written week was planned with (the
// settings, the plants, trucks and outlets with their accumulation rates and
// visit days), so that `rlplan check` re-validates its route sheet, also
// after a dispatcher edited it, without the inputs or a rerun. Figures are
// kept unrounded.
type PlanRecord struct {
	Format   string         `json:"format"`
	Week     string         `json:"week"`   // ISO week, 2030-W10
	Monday   string         `json:"monday"` // YYYY-MM-DD
	Settings WeekSettings   `json:"settings"`
	Plants   []PlantRecord  `json:"plants"`
	Fleet    []FleetRecord  `json:"fleet"`
	Outlets  []OutletRecord `json:"outlets"`
	// Hubs are the week's consolidation hubs (each also a depot among
	// Plants when its trucks run) and Linehaul the truck of their legs to
	// plants (linehaul.csv); absent for a week without hubs.
	Hubs     []HubRecord     `json:"hubs,omitempty"`
	Linehaul *LinehaulRecord `json:"linehaul,omitempty"`
}

// HubRecord is a consolidation hub: its storage limit, its own catchment
// (packs handed in at the hub, around the clock) and what it holds when the
// week starts. Its trucks' deliveries are the rows of routes.csv with the
// hub as their plant; its legs are the rows of linehaul.csv.
type HubRecord struct {
	ID          string  `json:"id"`
	Lat         float64 `json:"lat"`
	Lon         float64 `json:"lon"`
	StorageKg   float64 `json:"storage_kg"`
	KgPerDay    float64 `json:"kg_per_day"`
	PacksPerDay float64 `json:"packs_per_day"`
	CarryInKg   float64 `json:"carry_in_kg"`
}

// LinehaulRecord is the line-haul truck.
type LinehaulRecord struct {
	PayloadKg float64 `json:"payload_kg"`
	SpeedKmh  float64 `json:"speed_kmh"`
	CostPerKm float64 `json:"cost_per_km"`
	CO2GPerKm float64 `json:"co2_g_per_km"`
}

// WeekSettings are the settings a route sheet is checked against, and those
// that only say how it was made.
type WeekSettings struct {
	WorkDays          int     `json:"work_days"`            // trucks run days 1..WorkDays (Monday first)
	Fill              float64 `json:"fill"`                 // share of storage that may fill before a pickup
	OpenHour          float64 `json:"open_hour"`            // outlets start a service from ...
	CloseHour         float64 `json:"close_hour"`           // ... until (hours after midnight)
	ShiftStartHour    float64 `json:"shift_start_hour"`     // trucks leave the plant from
	ServiceMin        float64 `json:"service_min"`          // minutes per stop
	ServiceMinPerPack float64 `json:"service_min_per_pack"` // and per (whole) pack loaded
	ReloadMin         float64 `json:"reload_min"`           // minutes at the plant between two trips
	TripsPerDay       int     `json:"trips_per_day"`        // most trips a truck makes in a day
	Detour            float64 `json:"detour"`               // road km per great-circle km
	// Roads is the road matrix file the week used, "" for none.
	Roads string `json:"roads,omitempty"`
	// How the week was made (not checked).
	Year           int     `json:"year"`
	RadiusKm       float64 `json:"radius_km"`
	MaxCycleWeeks  int     `json:"max_cycle_weeks"`
	VehicleDayCost float64 `json:"vehicle_day_cost"`
	Seed           int64   `json:"seed"`
}

// PlantRecord is a plant with trucks.
type PlantRecord struct {
	ID              string  `json:"id"`
	Lat             float64 `json:"lat"`
	Lon             float64 `json:"lon"`
	IntakeKgPerWeek float64 `json:"intake_kg_per_week"`
}

// FleetRecord is a fleet row with trucks.
type FleetRecord struct {
	PlantID       string  `json:"plant_id"`
	VehicleType   string  `json:"vehicle_type"`
	Count         int     `json:"count"`
	CapacityKg    float64 `json:"capacity_kg"`
	CapacityPacks int     `json:"capacity_packs"`
	SpeedKmh      float64 `json:"speed_kmh"`
	ShiftHours    float64 `json:"shift_hours"`
}

// OutletRecord is an outlet with a catchment: its storage limit, how fast it
// fills, and its visits this week (Days empty: not due, or not served; see
// unserved.csv).
type OutletRecord struct {
	ID          string  `json:"id"`
	Lat         float64 `json:"lat"`
	Lon         float64 `json:"lon"`
	CapacityKg  float64 `json:"capacity_kg"`
	KgPerDay    float64 `json:"kg_per_day"`
	PacksPerDay float64 `json:"packs_per_day"`
	// CycleWeeks is 1 for an outlet visited every week, k for one emptied
	// every k weeks (once, in a week it is due).
	CycleWeeks int `json:"cycle_weeks"`
	// Days are the planned visit days, 1 = Monday.
	Days  []int  `json:"days"`
	Plant string `json:"plant,omitempty"`
}

// WritePlanRecord writes r as indented JSON.
func WritePlanRecord(w io.Writer, r *PlanRecord) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// PlanRecordError is a problem in a plan.json, at a JSON path.
type PlanRecordError struct {
	File string
	Path string // "outlets[3].kg_per_day"; "" for the whole file
	Msg  string
}

func (e *PlanRecordError) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Msg
	}
	return e.File + ": " + e.Path + ": " + e.Msg
}

// ExitCode marks an unreadable plan record as an input error.
func (e *PlanRecordError) ExitCode() int { return 3 }

// ReadPlanRecord reads plan.json strictly: unknown keys, a second value,
// another format, or a figure out of its range are errors naming the key.
func ReadPlanRecord(file string, r io.Reader) (*PlanRecord, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var p PlanRecord
	if err := dec.Decode(&p); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return nil, &PlanRecordError{File: file, Msg: "the file is empty; want the plan.json rlplan writes beside routes.csv"}
		case errors.As(err, &se):
			return nil, &PlanRecordError{File: file, Msg: fmt.Sprintf("not JSON at byte %d: %v", se.Offset, err)}
		case errors.As(err, &te):
			return nil, &PlanRecordError{File: file, Path: te.Field, Msg: fmt.Sprintf("found a JSON %s, want %s", te.Value, te.Type)}
		}
		return nil, &PlanRecordError{File: file, Msg: err.Error()}
	}
	if dec.More() {
		return nil, &PlanRecordError{File: file, Msg: "more than one JSON value; a plan.json holds one object"}
	}
	if p.Format != PlanRecordFormat {
		return nil, &PlanRecordError{File: file, Path: "format", Msg: fmt.Sprintf("found %q, want %q (a plan.json written by this rlplan)", p.Format, PlanRecordFormat)}
	}
	if err := p.validate(); err != nil {
		err.File = file
		return nil, err
	}
	return &p, nil
}

// validate checks every figure the check relies on.
func (p *PlanRecord) validate() *PlanRecordError {
	bad := func(path, format string, a ...any) *PlanRecordError {
		return &PlanRecordError{Path: path, Msg: fmt.Sprintf(format, a...)}
	}
	if m, err := time.Parse("2006-01-02", p.Monday); err != nil || m.Weekday() != time.Monday {
		return bad("monday", "found %q, want the date of a Monday, YYYY-MM-DD", p.Monday)
	}
	s := p.Settings
	for _, c := range []struct {
		path   string
		v      float64
		lo, hi float64
	}{{"settings.work_days", float64(s.WorkDays), 1, 7}, {"settings.fill", s.Fill, 1e-9, 1}, {"settings.open_hour", s.OpenHour, 0, 24},
		{"settings.close_hour", s.CloseHour, s.OpenHour, 24}, {"settings.shift_start_hour", s.ShiftStartHour, 0, 24},
		{"settings.service_min", s.ServiceMin, 0, 1440}, {"settings.service_min_per_pack", s.ServiceMinPerPack, 0, 60},
		{"settings.reload_min", s.ReloadMin, 0, 600}, {"settings.trips_per_day", float64(s.TripsPerDay), 1, 10}, {"settings.detour", s.Detour, 1, 3}} {
		if !(c.v >= c.lo && c.v <= c.hi) {
			return bad(c.path, "found %g, want a value from %g to %g", c.v, c.lo, c.hi)
		}
	}
	for i, pl := range p.Plants {
		if pl.ID == "" || !latLonOK(pl.Lat, pl.Lon) || !finiteAtLeast(pl.IntakeKgPerWeek, 0) {
			return bad(fmt.Sprintf("plants[%d]", i), "want an id, a latitude and longitude, and intake_kg_per_week >= 0")
		}
	}
	for i, f := range p.Fleet {
		if f.PlantID == "" || f.VehicleType == "" || f.Count < 0 || !finiteAtLeast(f.CapacityKg, 0) || f.CapacityPacks < 0 ||
			!(finiteAtLeast(f.SpeedKmh, 0) && f.SpeedKmh > 0) || !(f.ShiftHours > 0 && f.ShiftHours <= 24) {
			return bad(fmt.Sprintf("fleet[%d]", i), "want plant_id, vehicle_type, count >= 0, capacities >= 0, speed_kmh > 0 and shift_hours in (0, 24]")
		}
	}
	for i, o := range p.Outlets {
		if o.ID == "" || !latLonOK(o.Lat, o.Lon) || !finiteAtLeast(o.CapacityKg, 0) || !finiteAtLeast(o.KgPerDay, 0) || !finiteAtLeast(o.PacksPerDay, 0) ||
			o.CycleWeeks < 1 || o.CycleWeeks > 52 {
			return bad(fmt.Sprintf("outlets[%d]", i), "want an id, a latitude and longitude, capacity_kg, kg_per_day, packs_per_day >= 0 and cycle_weeks from 1 to 52")
		}
		for _, d := range o.Days {
			if d < 1 || d > 7 {
				return bad(fmt.Sprintf("outlets[%d].days", i), "found day %d, want days 1 to 7", d)
			}
		}
	}
	for i, h := range p.Hubs {
		if h.ID == "" || !latLonOK(h.Lat, h.Lon) || !(finiteAtLeast(h.StorageKg, 0) && h.StorageKg > 0) || !finiteAtLeast(h.KgPerDay, 0) ||
			!finiteAtLeast(h.PacksPerDay, 0) || !finiteAtLeast(h.CarryInKg, 0) {
			return bad(fmt.Sprintf("hubs[%d]", i), "want an id, a latitude and longitude, storage_kg > 0, kg_per_day, packs_per_day and carry_in_kg >= 0")
		}
	}
	if l := p.Linehaul; l != nil {
		if !(finiteAtLeast(l.PayloadKg, 0) && l.PayloadKg > 0) || !(finiteAtLeast(l.SpeedKmh, 0) && l.SpeedKmh > 0) ||
			!finiteAtLeast(l.CostPerKm, 0) || !finiteAtLeast(l.CO2GPerKm, 0) {
			return bad("linehaul", "want payload_kg > 0, speed_kmh > 0, cost_per_km and co2_g_per_km >= 0")
		}
	} else if len(p.Hubs) > 0 {
		return bad("linehaul", "missing: a plan with hubs records its line-haul truck")
	}
	return nil
}

func latLonOK(lat, lon float64) bool { return math.Abs(lat) <= 90 && math.Abs(lon) <= 180 }

func finiteAtLeast(v, lo float64) bool { return v >= lo && !math.IsInf(v, 0) }

// EncodePlanRecord is WritePlanRecord into a byte slice.
func EncodePlanRecord(r *PlanRecord) ([]byte, error) {
	var b bytes.Buffer
	err := WritePlanRecord(&b, r)
	return b.Bytes(), err
}
