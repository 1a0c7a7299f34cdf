package domain

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/rlplan/rlplan/internal/csvin"
)

// The line-haul sheet (linehaul.csv) is the second tier of a week: one row
// per full truckload from a consolidation hub to a plant, in the order the
// legs leave. The weekly planner writes it beside routes.csv (whose rows
// with a hub as their depot are the hub's milk runs), `rlplan check`
// re-reads it against plan.json, and the carbon account reads its km.

// LinehaulColumns are the columns of linehaul.csv in the order they are
// written. A leg leaves the hub at depart on day (1 = Monday, up to 7: a
// leg leaves when its load has gathered, also on a day the collection
// trucks rest) and reaches the plant at arrive on arrive_day (which may be
// in the next week: 8 and more). km is one way; the truck comes back
// empty, and cost_cny and co2_kg count both ways.
var LinehaulColumns = []string{"day", "date", "hub", "plant", "leg", "depart", "arrive_day", "arrive", "load_kg", "km", "cost_cny", "co2_kg"}

// Printed precision of the line-haul sheet's figures, in decimals.
const (
	LinehaulKgDecimals   = 1
	LinehaulKmDecimals   = 2
	LinehaulCostDecimals = 2
	LinehaulCO2Decimals  = 2
	// MaxLinehaulDay bounds arrive_day: a leg of a week arrives within
	// three weeks of its Monday (a 60 km/h truck covers 20,000 km).
	MaxLinehaulDay = 21
)

// LinehaulRow is one leg of the line-haul sheet.
type LinehaulRow struct {
	Line int // of the file read; 0 for a row built in memory
	Day  int
	Date string
	// Hub is the depot the leg leaves (a hub's id in plan.json), Plant the
	// plant it delivers to.
	Hub, Plant string
	Leg        int // the hub's leg of the week, from 1
	Depart     TimeOfDay
	ArriveDay  int
	Arrive     TimeOfDay
	LoadKg     float64
	Km         float64
	CostCNY    float64
	CO2Kg      float64
}

// Rounded returns the row as it is printed.
func (r LinehaulRow) Rounded() LinehaulRow {
	r.LoadKg = roundTo(r.LoadKg, LinehaulKgDecimals)
	r.Km = roundTo(r.Km, LinehaulKmDecimals)
	r.CostCNY = roundTo(r.CostCNY, LinehaulCostDecimals)
	r.CO2Kg = roundTo(r.CO2Kg, LinehaulCO2Decimals)
	return r
}

// WriteLinehaul writes the header and the rows of linehaul.csv, rounded to
// the printed precision.
func WriteLinehaul(w io.Writer, rows []LinehaulRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(LinehaulColumns); err != nil {
		return err
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, r := range rows {
		r = r.Rounded()
		if err := cw.Write([]string{strconv.Itoa(r.Day), r.Date, r.Hub, r.Plant, strconv.Itoa(r.Leg), r.Depart.String(),
			strconv.Itoa(r.ArriveDay), r.Arrive.String(), f(r.LoadKg), f(r.Km), f(r.CostCNY), f(r.CO2Kg)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadLinehaul reads linehaul.csv strictly, as ReadSheet reads routes.csv:
// every column required and checked, errors with file:line:column; a header
// without rows is a week without legs. Rows keep their file line.
func ReadLinehaul(file string, r io.Reader, warn func(string)) ([]LinehaulRow, error) {
	return readStrictTable(file, r, LinehaulColumns, warn, readLinehaulRow)
}

// readLinehaulRow reads one leg of linehaul.csv.
func readLinehaulRow(cr *csvin.Reader) LinehaulRow {
	row := LinehaulRow{Line: cr.Line()}
	row.Day = int(cr.Int("day", true, 0, 1, 7, "the day the leg leaves, 1 = Monday"))
	row.Date = readDate(cr, "date")
	row.Hub = cr.String("hub", true)
	row.Plant = cr.String("plant", true)
	row.Leg = int(cr.Int("leg", true, 0, 1, MaxSheetSeq, "the hub's leg of the week, from 1"))
	row.Depart = readTime(cr, "depart")
	row.ArriveDay = int(cr.Int("arrive_day", true, 0, 1, MaxLinehaulDay, "the day the leg arrives, counted from the week's Monday = 1"))
	row.Arrive = readTime(cr, "arrive")
	row.LoadKg = cr.NonNegative("load_kg", true, 0, "kg on the truck")
	row.Km = cr.NonNegative("km", true, 0, "road km from the hub to the plant")
	row.CostCNY = cr.NonNegative("cost_cny", true, 0, "the leg's cost in CNY, there and back")
	row.CO2Kg = cr.NonNegative("co2_kg", true, 0, "the leg's CO2 in kg, there and back")
	return row
}
