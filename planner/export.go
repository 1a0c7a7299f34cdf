package planner

import (
	"bytes"
	"fmt"
	"io"
	"math/bits"

	"github.com/gocarina/gocsv"

	"github.com/rlplan/rlplan/planner/domain"
)

// WriteCSV writes a slice of csv-tagged records with a header row.
func WriteCSV(w io.Writer, records any) error { return gocsv.Marshal(records, w) }

// SiteRecord is a row of sites.csv.
type SiteRecord struct {
	ID             string  `csv:"id" json:"id"`
	Name           string  `csv:"name" json:"name"`
	Lat            float64 `csv:"lat" json:"lat"`
	Lon            float64 `csv:"lon" json:"lon"`
	Province       string  `csv:"province" json:"province"`
	Type           string  `csv:"type" json:"type"`
	CapacityKg     float64 `csv:"capacity_kg" json:"capacity_kg"`
	CapturedTonnes float64 `csv:"captured_tonnes" json:"captured_tonnes"`
	CapturedCells  int     `csv:"captured_cells" json:"captured_cells"`
	Source         string  `csv:"source" json:"source"`
}

// SiteRecords lists chosen sites in the outlets.csv column order (plus what
// they capture), so sites.csv can be appended to outlets.csv.
func SiteRecords(sites []Site) []SiteRecord {
	out := make([]SiteRecord, len(sites))
	for i, s := range sites {
		out[i] = SiteRecord{ID: s.ID, Name: s.Name, Lat: round(s.Point[1], 6), Lon: round(s.Point[0], 6), Province: s.Province,
			Type: s.Type, CapacityKg: s.CapacityKg, CapturedTonnes: round(s.CapturedTonnes, 2), CapturedCells: s.CapturedCells, Source: s.Source}
	}
	return out
}

// TypedSiteRecord is a row of sites.csv of a siting with site types: a
// SiteRecord, then the catalogue's site type, whether the row is a new
// site or an upgrade of the existing outlet of its id, and what it costs a
// year (CNY; an upgrade's is on top of the outlet's present cost).
type TypedSiteRecord struct {
	SiteRecord
	SiteType   string  `csv:"site_type" json:"site_type"`
	Action     string  `csv:"action" json:"action"`
	YearlyCost float64 `csv:"yearly_cost_cny" json:"yearly_cost_cny"`
}

// Actions of sites.csv.
const (
	ActionNew     = "new"
	ActionUpgrade = "upgrade"
)

// TypedSiteRecords lists the new sites, then the upgraded outlets (as they
// are after the upgrade), so that sites.csv can be appended to outlets.csv,
// an upgrade's row replacing the outlet's.
func TypedSiteRecords(sites []Site, upgrades []UpgradedOutlet) []TypedSiteRecord {
	out := make([]TypedSiteRecord, 0, len(sites)+len(upgrades))
	for i, r := range SiteRecords(sites) {
		out = append(out, TypedSiteRecord{SiteRecord: r, SiteType: sites[i].SiteType, Action: ActionNew, YearlyCost: round(sites[i].YearlyCost, 0)})
	}
	for _, u := range upgrades {
		r := SiteRecord{ID: u.ID, Name: u.Name, Lat: round(u.Point[1], 6), Lon: round(u.Point[0], 6), Province: u.Province,
			Type: u.Type, CapacityKg: u.CapacityKg, CapturedTonnes: round(u.AbsorbedT, 2), Source: fmt.Sprintf("upgrade of %s %s (%g kg)", u.FromType, u.ID, u.FromKg)}
		out = append(out, TypedSiteRecord{SiteRecord: r, SiteType: u.SiteType, Action: ActionUpgrade, YearlyCost: round(u.YearlyCost, 0)})
	}
	return out
}

// PlantDayRecord is a row of summary.csv.
type PlantDayRecord struct {
	Day         int     `csv:"day"`
	Date        string  `csv:"date"`
	Plant       string  `csv:"plant"`
	Vehicles    int     `csv:"vehicles"`
	Trips       int     `csv:"trips"`
	Km          float64 `csv:"km"`
	Hours       float64 `csv:"hours"`
	Cost        float64 `csv:"cost_cny"`
	CO2Kg       float64 `csv:"co2_kg"`
	Delivered   float64 `csv:"delivered_t"`
	IntakeWeekT float64 `csv:"intake_limit_week_t"`
}

// UnservedRecord is a row of unserved.csv.
type UnservedRecord struct {
	Outlet   string  `csv:"outlet_id"`
	Name     string  `csv:"name"`
	Province string  `csv:"province"`
	Plant    string  `csv:"plant"`
	Reason   string  `csv:"reason"`
	WeekKg   float64 `csv:"week_kg"`
	Detail   string  `csv:"detail"`
}

// VisitRecord is a row of visits.csv: an outlet's rate and visit days.
type VisitRecord struct {
	Outlet      string  `csv:"outlet_id"`
	Province    string  `csv:"province"`
	CapacityKg  float64 `csv:"capacity_kg"`
	KgPerDay    float64 `csv:"kg_per_day"`
	PacksPerDay float64 `csv:"packs_per_day"`
	CycleWeeks  int     `csv:"cycle_weeks"`
	Visits      int     `csv:"visits_this_week"`
	Days        string  `csv:"days"`
	Plant       string  `csv:"plant"`
}

// Clock formats minutes after midnight as HH:MM, as the route sheet
// prints them.
func Clock(min float64) string { return domain.ClockOf(min).String() }

// ScheduleFiles renders the files of a weekly schedule: routes.csv,
// plan.json and, with hubs, linehaul.csv exactly as they were checked (see
// PlanNetworkWeek), summary.csv, unserved.csv and visits.csv.
func ScheduleFiles(s *Schedule) (map[string][]byte, error) {
	if s.SheetCSV == nil || s.RecordJSON == nil {
		return nil, fmt.Errorf("schedule: the route sheet was not checked; plan it with PlanWeek or PlanWeekCells")
	}
	files := map[string][]byte{"routes.csv": s.SheetCSV, "plan.json": s.RecordJSON}
	if s.LinehaulCSV != nil {
		files["linehaul.csv"] = s.LinehaulCSV
	}
	pds := make([]PlantDayRecord, len(s.PlantDays))
	for i, p := range s.PlantDays {
		pds[i] = PlantDayRecord{Day: p.Day, Date: p.Date, Plant: p.Plant, Vehicles: p.Vehicles, Trips: p.Trips, Km: round(p.Km, 1), Hours: round(p.Hours, 2),
			Cost: round(p.Cost, 0), CO2Kg: round(p.CO2Kg, 1), Delivered: round(p.DeliveredTonnes, 3), IntakeWeekT: round(p.WeekIntakeTonnes, 1)}
	}
	uns := make([]UnservedRecord, len(s.Unserved))
	for i, u := range s.Unserved {
		uns[i] = UnservedRecord{Outlet: u.Outlet, Name: u.Name, Province: u.Province, Plant: u.Plant, Reason: u.Reason, WeekKg: round(u.WeekKg, 1), Detail: u.Detail}
	}
	vis := make([]VisitRecord, len(s.Outlets))
	for i, o := range s.Outlets {
		vis[i] = VisitRecord{Outlet: o.Outlet.ID, Province: o.Outlet.Province, CapacityKg: o.Outlet.CapacityKg, KgPerDay: round(o.KgPerDay, 2),
			PacksPerDay: round(o.PacksPerDay, 3), CycleWeeks: o.CycleWeeks, Visits: bits.OnesCount32(o.Pattern), Days: PatternDays(o.Pattern), Plant: o.Plant}
	}
	for name, recs := range map[string]any{"summary.csv": pds, "unserved.csv": uns, "visits.csv": vis} {
		var b bytes.Buffer
		if err := WriteCSV(&b, recs); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		files[name] = b.Bytes()
	}
	return files, nil
}
