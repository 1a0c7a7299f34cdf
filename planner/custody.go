package planner

import (
	"bytes"
	"fmt"
	"math"
	"sort"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/report"
	"github.com/rlplan/rlplan/planner/trace"
)

// Chain of custody and carbon: the glue between a planned week and the
// trace and report packages. Manifests are built from the route sheet as
// it is written (rounded figures, whole minutes), so that `rlplan manifests
// DIR` on the written folder gives the same files.

// TracePlan is the written week as package trace sees it: the route
// sheet and plan.json exactly as they are written (the bytes the
// independent check passed), named from the inputs and the new sites.
func TracePlan(s *Schedule, in *Inputs, newSites []Site) (*trace.Plan, error) {
	if s.SheetCSV == nil || s.RecordJSON == nil {
		return nil, fmt.Errorf("schedule: the route sheet was not checked; plan it with PlanWeek or PlanWeekCells")
	}
	rows, err := domain.ReadSheet(trace.RoutesFile, bytes.NewReader(s.SheetCSV), nil)
	if err != nil {
		return nil, err
	}
	rec, err := domain.ReadPlanRecord(trace.RecordFile, bytes.NewReader(s.RecordJSON))
	if err != nil {
		return nil, err
	}
	places := trace.Places{Outlets: append(append([]Outlet(nil), in.Outlets...), sitesAsOutlets(newSites)...), Plants: in.Plants}
	return trace.NewPlanFromRecord(trace.RoutesFile, rows, rec, places)
}

// ManifestFiles renders the week's transfer manifests (manifests.csv and a
// printable page per truck-day, without pack codes: those need an outlet
// inventory, see `rlplan manifests`).
func ManifestFiles(s *Schedule, in *Inputs, newSites []Site) (map[string][]byte, error) {
	tp, err := TracePlan(s, in, newSites)
	if err != nil {
		return nil, fmt.Errorf("internal error: the written route sheet does not fit its own plan record, please report it: %w", err)
	}
	return trace.ManifestFiles(trace.Manifests(tp, nil), false, tp.Title())
}

// RecyclingRoute is the recycling route of the carbon account.
const RecyclingRoute = report.Hydrometallurgical

// CarbonInput builds the carbon account's inputs from a week: every leg of
// the route sheet with the load it carries, each trip's return to its
// plant, the truck factors of the fleet, and the packs collected by
// chemistry. The sheet does not list return legs: each truck-day's return
// km are what its total km leave after its stop legs, shared among its
// trips in proportion to their great-circle return distances (exact when
// no road matrix is used, since then every leg is great-circle x detour).
// The week's hubs are named as such, so that their trucks' rows are the
// account's hubs, not plants. chem gives each province's chemistry shares.
func CarbonInput(s *Schedule, outlets map[string]Outlet, plants map[string]Plant, fleet []FleetRow, chem map[string]map[string]float64) (report.CarbonInput, error) {
	in := report.CarbonInput{Trucks: report.TruckFactors(fleet), Route: RecyclingRoute}
	for _, h := range s.HubDepots {
		in.Hubs = append(in.Hubs, h.ID)
	}
	var err error
	if in.Recycling, err = report.DefaultRecycling(RecyclingRoute); err != nil {
		return in, err
	}
	type truckDay struct {
		day     int
		vehicle string
	}
	type trip struct {
		last   Stop
		approx float64
	}
	stopKm := map[truckDay]float64{}
	trips := map[truckDay][]trip{}
	collected := map[[3]string]float64{}
	for i, st := range s.Stops {
		o, pl := outlets[st.Outlet], plants[st.Plant]
		in.Legs = append(in.Legs, report.Leg{Plant: st.Plant, Province: o.Province, VehicleType: st.VehicleType, Km: st.Km,
			LoadKg: math.Max(st.LoadKg-st.PickupKg, 0)})
		td := truckDay{st.Day, st.Vehicle}
		stopKm[td] += st.Km
		if i+1 == len(s.Stops) || s.Stops[i+1].Day != st.Day || s.Stops[i+1].Vehicle != st.Vehicle || s.Stops[i+1].Trip != st.Trip {
			trips[td] = append(trips[td], trip{st, float64(geo.Haversine(o.Point, pl.Point))})
		}
		shares := chem[o.Province]
		if shares == nil {
			shares = chem[""]
		}
		for c, share := range shares {
			collected[[3]string{st.Plant, o.Province, c}] += st.PickupKg * share
		}
	}
	for _, v := range s.Vehicles {
		td := truckDay{v.Day, v.Vehicle}
		ts := trips[td]
		returns, approx := math.Max(v.Km-stopKm[td], 0), 0.0
		for _, t := range ts {
			approx += t.approx
		}
		for _, t := range ts {
			km := returns / float64(len(ts))
			if approx > 0 {
				km = returns * t.approx / approx
			}
			in.Legs = append(in.Legs, report.Leg{Plant: t.last.Plant, Province: outlets[t.last.Outlet].Province, VehicleType: t.last.VehicleType,
				Km: km, LoadKg: t.last.LoadKg})
		}
	}
	keys := make([][3]string, 0, len(collected))
	for k := range collected {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		for i := range keys[a] {
			if keys[a][i] != keys[b][i] {
				return keys[a][i] < keys[b][i]
			}
		}
		return false
	})
	for _, k := range keys {
		in.Collected = append(in.Collected, report.Collected{Plant: k[0], Province: k[1], Chemistry: k[2], Kg: collected[k]})
	}
	return in, nil
}

// ChemistryByProvince gives each province's chemistry shares of the year's
// retirements (by mass), from the vehicle types' chemistry; the key ""
// holds the shares over all provinces kept.
func ChemistryByProvince(in *Inputs, year int, reg Regions) (map[string]map[string]float64, error) {
	rows, err := Forecast(in, year, year, reg.Keep)
	if err != nil {
		return nil, err
	}
	tonnes := map[string]map[string]float64{}
	add := func(prov, c string, t float64) {
		if tonnes[prov] == nil {
			tonnes[prov] = map[string]float64{}
		}
		tonnes[prov][c] += t
	}
	for _, r := range rows {
		vt := in.VehicleTypes[r.VehicleType]
		for c, sh := range report.ChemistryShares(vt.Chemistry) {
			add(r.Province, c, r.Tonnes*sh)
			add("", c, r.Tonnes*sh)
		}
	}
	out := map[string]map[string]float64{}
	for prov, m := range tonnes {
		var total float64
		for _, c := range []string{report.LFP, report.NCM, report.Other} { // a fixed order: same sum every run
			total += m[c]
		}
		if total <= 0 {
			continue
		}
		out[prov] = map[string]float64{}
		for c, t := range m {
			out[prov][c] = t / total
		}
	}
	return out, nil
}

// carbonAccount computes the plan's carbon account (nil without routes).
func (p *Plan) carbonAccount() (*report.CarbonAccount, error) {
	if p.Schedule == nil {
		return nil, nil
	}
	chem, err := ChemistryByProvince(p.Inputs, p.Scenario.Year, p.Regions)
	if err != nil {
		return nil, err
	}
	outlets, plants := map[string]Outlet{}, map[string]Plant{}
	for _, o := range p.Inputs.Outlets {
		outlets[o.ID] = o
	}
	if p.Siting != nil {
		for _, s := range p.Siting.Sites {
			outlets[s.ID] = s.Outlet
		}
	}
	for _, pl := range append(append([]Plant(nil), p.Inputs.Plants...), p.Schedule.HubDepots...) {
		plants[pl.ID] = pl
	}
	in, err := CarbonInput(p.Schedule, outlets, plants, append(append([]FleetRow(nil), p.Inputs.Fleet...), p.Schedule.HubFleet...), chem)
	if err != nil {
		return nil, err
	}
	linehaulCarbon(&in, p.Schedule, chem)
	acc, err := report.Account(in)
	if err != nil {
		return nil, err
	}
	r := acc.Rounded()
	return &r, nil
}

// carbonReport renders the carbon section of report.md.
func carbonReport(acc *report.CarbonAccount) string {
	load := "Every km uses the fleet's flat g CO2/km (fleet.csv gives no unladen and full-payload figures)."
	if acc.LoadDependent {
		load = "Truck emissions are interpolated between the unladen and full-payload g CO2e/km by the load on each leg."
	}
	return fmt.Sprintf("\n## Carbon (kg CO2e)\n\nCollection legs of the route sheet with each trip's return, line-haul legs (linehaul.csv, there loaded and back empty), and the net life-cycle effect of recycling the collected packs (%s route; negative: avoided). %s Factors and sources: docs/carbon.md.\n\n%s",
		acc.Route, load, acc.Markdown())
}

func siteList(s *SitingResult) []Site {
	if s == nil {
		return nil
	}
	return s.Sites
}
