package domain

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rlplan/rlplan/internal/csvin"
)

// The route sheet (routes.csv) is what drivers carry: one row per stop of a
// truck's day, in the order the stops are made. It is the one definition of
// the routes.csv columns: the weekly planner writes it, `rlplan check`
// re-reads it (also after a dispatcher edited it by hand), and trip
// manifests and reconciliation read it, all through SheetRow.
//
// A truck's day is (Day, Vehicle); its trips are numbered from 1 and its
// stops (Seq) from 1 across the trips of the day. One outlet may appear in
// several rows of a day, on different trucks or trips, when its pickup is
// split.

// SheetColumns are the columns of routes.csv in the order they are written.
// vehicle_type came after the first thirteen and is last, so scripts that
// read the older columns by position keep working.
var SheetColumns = []string{"day", "date", "plant", "vehicle", "trip", "seq", "outlet_id", "arrive", "depart",
	"pickup_kg", "pickup_packs", "load_kg", "km", "vehicle_type"}

// Printed precision of the sheet's figures, in decimals. Times are printed
// to the minute (TimeOfDay).
const (
	SheetKgDecimals    = 1 // pickup_kg, load_kg
	SheetPacksDecimals = 1 // pickup_packs
	SheetKmDecimals    = 2 // km
)

// Limits of the values a sheet may hold. A week has at most 7 days; a day
// ends at the latest at 48:00, the end of a 24-hour shift starting at
// midnight the next day at most (shift start < 24 h, shift length <= 24 h).
const (
	MaxSheetTrip = 1000
	MaxSheetSeq  = 1000000
	// MaxTimeOfDay is 48:00 in minutes.
	MaxTimeOfDay = 48 * 60
)

// SheetRow is one stop of the route sheet.
type SheetRow struct {
	// Line is the line of the file the row was read from; 0 for a row built
	// in memory.
	Line int
	// Day of the week, 1 = Monday; Date is the same day as YYYY-MM-DD.
	Day  int
	Date string
	// Plant is the truck's depot; Vehicle names the truck (unique within the
	// week); VehicleType is its vehicle_type in fleet.csv.
	Plant, Vehicle, VehicleType string
	// Trip is the truck's trip of the day from 1, Seq the stop of its day
	// from 1, counted across its trips.
	Trip, Seq int
	Outlet    string
	// Arrive is when the truck reaches the outlet, Depart when it leaves
	// loaded (service included).
	Arrive, Depart TimeOfDay
	// PickupKg and PickupPacks are collected at the stop; LoadKg is the
	// truck's load after it, on this trip; Km is the leg from the previous
	// place (the plant for a trip's first stop).
	PickupKg, PickupPacks, LoadKg, Km float64
}

// Rounded returns the row as it is printed: figures rounded to the sheet's
// precision. WriteSheet writes r.Rounded(); ReadSheet returns printed rows.
func (r SheetRow) Rounded() SheetRow {
	r.PickupKg = roundTo(r.PickupKg, SheetKgDecimals)
	r.PickupPacks = roundTo(r.PickupPacks, SheetPacksDecimals)
	r.LoadKg = roundTo(r.LoadKg, SheetKgDecimals)
	r.Km = roundTo(r.Km, SheetKmDecimals)
	return r
}

func roundTo(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

// TimeOfDay is a time in whole minutes after midnight, printed HH:MM. It may
// pass 24:00 for a shift that runs past midnight.
type TimeOfDay int

// ClockOf rounds minutes after midnight to the nearest whole minute (a half
// minute rounds up), as the sheet prints them.
func ClockOf(min float64) TimeOfDay { return TimeOfDay(int(min + 0.5)) }

// Minutes returns t in minutes after midnight.
func (t TimeOfDay) Minutes() float64 { return float64(t) }

// String prints t as HH:MM.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60) }

// ParseTimeOfDay reads H:MM or HH:MM, from 00:00 to 48:00.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	h, m, ok := strings.Cut(s, ":")
	bad := fmt.Errorf("%q: want a time HH:MM from 00:00 to 48:00", s)
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !digits(h) || !digits(m) {
		return 0, bad
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	t := TimeOfDay(hh*60 + mm)
	if mm > 59 || t > MaxTimeOfDay {
		return 0, bad
	}
	return t, nil
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// WriteSheet writes the header and the rows of routes.csv, each rounded to
// the printed precision.
func WriteSheet(w io.Writer, rows []SheetRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(SheetColumns); err != nil {
		return err
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	rec := make([]string, len(SheetColumns))
	for _, r := range rows {
		r = r.Rounded()
		rec = append(rec[:0], strconv.Itoa(r.Day), r.Date, r.Plant, r.Vehicle, strconv.Itoa(r.Trip), strconv.Itoa(r.Seq), r.Outlet,
			r.Arrive.String(), r.Depart.String(), f(r.PickupKg), f(r.PickupPacks), f(r.LoadKg), f(r.Km), r.VehicleType)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadSheet reads routes.csv strictly: every column required, every value
// checked, errors with file:line:column, what was found and what was
// expected. A sheet with a header and no rows is an empty week. Columns it
// does not know (a dispatcher's notes) are reported to warn and ignored.
// Rows keep their file line in Line.
func ReadSheet(file string, r io.Reader, warn func(string)) ([]SheetRow, error) {
	return readStrictTable(file, r, SheetColumns, warn, readSheetRow)
}

// readStrictTable reads a sheet whose every column is required, row by row
// with read: errors with file:line:column; a header without rows is an
// empty table; unknown columns are reported to warn and ignored.
func readStrictTable[T any](file string, r io.Reader, columns []string, warn func(string), read func(*csvin.Reader) T) ([]T, error) {
	cols := make([]csvin.Column, len(columns))
	for i, c := range columns {
		cols[i] = csvin.Column{Name: c, Required: true}
	}
	cr, err := csvin.NewReader(file, r, cols)
	if err != nil {
		return nil, err
	}
	cr.AllowEmpty()
	if warn != nil {
		for _, w := range cr.Warnings() {
			warn(w)
		}
	}
	var rows []T
	for {
		ok, err := cr.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return rows, nil
		}
		row := read(cr)
		if err := cr.Err(); err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
}

// readDate reads a YYYY-MM-DD date column.
func readDate(cr *csvin.Reader, col string) string {
	d := cr.String(col, true)
	if d != "" {
		if _, err := time.Parse("2006-01-02", d); err != nil {
			cr.Fail(col, strconv.Quote(d), "a date YYYY-MM-DD")
		}
	}
	return d
}

func readSheetRow(cr *csvin.Reader) SheetRow {
	row := SheetRow{Line: cr.Line()}
	row.Day = int(cr.Int("day", true, 0, 1, 7, "the day of the week, 1 = Monday"))
	row.Date = readDate(cr, "date")
	row.Plant = cr.String("plant", true)
	row.Vehicle = cr.String("vehicle", true)
	row.VehicleType = cr.String("vehicle_type", true)
	row.Trip = int(cr.Int("trip", true, 0, 1, MaxSheetTrip, "the truck's trip of the day, from 1"))
	row.Seq = int(cr.Int("seq", true, 0, 1, MaxSheetSeq, "the stop of the truck's day, from 1"))
	row.Outlet = cr.String("outlet_id", true)
	row.Arrive = readTime(cr, "arrive")
	row.Depart = readTime(cr, "depart")
	// Bounds keep the check's sums finite (limits.go); loads above a
	// truck's capacity are the check's to report, so these are far above.
	row.PickupKg = cr.AtMost("pickup_kg", cr.NonNegative("pickup_kg", true, 0, "kg collected at the stop"), MaxOutletCapacityKg, "kg (the largest store)")
	row.PickupPacks = cr.AtMost("pickup_packs", cr.NonNegative("pickup_packs", true, 0, "packs collected at the stop"), MaxOutletCapacityKg, "packs")
	row.LoadKg = cr.AtMost("load_kg", cr.NonNegative("load_kg", true, 0, "the truck's load after the stop, in kg"), MaxOutletCapacityKg, "kg (the largest store)")
	row.Km = cr.AtMost("km", cr.NonNegative("km", true, 0, "road km from the previous place"), MaxRoadKm, "km (half the earth's circumference)")
	return row
}

func readTime(cr *csvin.Reader, col string) TimeOfDay {
	s := cr.String(col, true)
	if s == "" {
		return 0
	}
	t, err := ParseTimeOfDay(s)
	if err != nil {
		cr.Fail(col, strconv.Quote(s), "a time HH:MM from 00:00 to 48:00")
	}
	return t
}
