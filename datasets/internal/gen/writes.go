package main

import (
	"fmt"
	"io"
	"math"
)

// writeStockFiles writes stock.csv, vehicle_types.csv, places.csv and outlets.csv.
func writeStockFiles(out string, in *inputs, m *model, log io.Writer) error {
	var rows [][]string
	for _, c := range m.cells {
		r := m.regions[c.region]
		rows = append(rows, []string{r.id, r.name, r.province, ff(r.lat, 5), ff(r.lon, 5), fmt.Sprint(c.year), m.types[c.vtype].name, itoa(c.vehicles)})
	}
	if err := writeCSV(out, "stock.csv", []string{"region_id", "name", "province", "lat", "lon", "model_year", "vehicle_type", "vehicles"}, rows); err != nil {
		return err
	}
	rows = nil
	for ti, t := range m.types { // already in name order
		l := m.lives[ti]
		rows = append(rows, []string{t.name, ff(t.packKg, 3), ff(l.shape, 3), ff(l.packScale, 3), ff(l.shape, 3), ff(l.vehScale, 3), ff(l.repl, 3), t.use, t.chemistry,
			fmt.Sprintf("%s; calibrated pack-life factor %.4f", t.source, m.plan.packFactor)})
	}
	if err := writeCSV(out, "vehicle_types.csv", []string{"vehicle_type", "pack_kg", "weibull_shape", "weibull_scale_years", "vehicle_life_shape", "vehicle_life_scale_years", "replacement_share", "use", "chemistry", "source"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, p := range m.places {
		rows = append(rows, []string{p.id, p.name, p.province, ff(p.lat, 5), ff(p.lon, 5), itoa(p.pop), m.regions[p.region].id, placeSource(p.place)})
	}
	if err := writeCSV(out, "places.csv", []string{"place_id", "name", "province", "lat", "lon", "population", "region_id", "source"}, rows); err != nil {
		return err
	}
	fmt.Fprintf(log, "places: %d of %d input places after %.0f km deduplication\n", len(m.places), len(in.sm)+len(in.gn), placeDedupKm)
	rows = nil
	for _, o := range m.outlets {
		rows = append(rows, []string{o.id, o.name, ff(o.lat, 5), ff(o.lon, 5), o.province, o.typ, itoa(o.capKg)})
	}
	if err := writeCSV(out, "outlets.csv", []string{"id", "name", "lat", "lon", "province", "type", "capacity_kg"}, rows); err != nil {
		return err
	}
	fmt.Fprintf(log, "outlets: %d (%d central)\n", len(m.outlets), m.central)
	return nil
}

// regionTonnes is each region's retirement in a year, with registrations
// after the last model year projected as in projectedNational.
func regionTonnes(m *model, ft figureTable, year int) []float64 {
	out := make([]float64, len(m.regions))
	g := 1 + ft.mustGet("registrations_growth_pct")/100
	until := int(ft.mustGet("registrations_until"))
	for _, c := range m.cells {
		t := m.types[c.vtype]
		out[c.region] += float64(c.vehicles) * m.lives[c.vtype].retired(c.year, year) * t.packKg / 1000
		if c.year == lastYear {
			for y := lastYear + 1; y <= until && y <= year; y++ {
				out[c.region] += float64(c.vehicles) * math.Pow(g, float64(y-lastYear)) * m.lives[c.vtype].retired(y, year) * t.packKg / 1000
			}
		}
	}
	return out
}

// writePlantFiles writes plants.csv and fleet.csv.
func writePlantFiles(out string, in *inputs, m *model, log io.Writer) error {
	plants, notes, err := buildPlants(in.firms, in.sm, in.provIso, in.figures)
	if err != nil {
		return err
	}
	m.plants = plants
	for _, n := range notes {
		fmt.Fprintln(log, "plants:", n)
	}
	counts, supply, meanKm := fleetCounts(plants, m.regions, regionTonnes(m, in.figures, fleetYear))
	var rows, fleet [][]string
	var capTotal float64
	for pi, p := range plants {
		capTotal += p.capacityT
		rows = append(rows, []string{p.id, p.name, ff(p.lat, 5), ff(p.lon, 5), p.province, itoa(p.intakeKg), ff(p.capacityT, 0), p.capBasis, p.source})
		for ti, t := range trucks {
			fleet = append(fleet, []string{p.id, t.name, itoa(counts[pi][ti]), itoa(t.capKg),
				itoa(t.capKg / int64(m.types[tPassengerBEV].packKg)), ff(t.speed, 1), ff(t.shift, 1), ff(t.costKm, 3), ff(t.co2gKm, 1)})
		}
		fmt.Fprintf(log, "plant %s %s (%s): %.0f t/yr %s, %d kg/week; supply in reach %.1f t/week at %.0f km; trucks %v\n",
			p.id, p.name, p.province, p.capacityT, p.capBasis, p.intakeKg, supply[pi], meanKm[pi], counts[pi])
	}
	if err := writeCSV(out, "plants.csv", []string{"id", "name", "lat", "lon", "province", "intake_kg_per_week", "capacity_t_per_year", "capacity_basis", "source"}, rows); err != nil {
		return err
	}
	if err := writeCSV(out, "fleet.csv", []string{"plant_id", "vehicle_type", "count", "capacity_kg", "capacity_packs", "speed_kmh", "shift_hours", "cost_per_km", "co2_g_per_km"}, fleet); err != nil {
		return err
	}
	fmt.Fprintf(log, "plants: %d of %d white-list rows; capacity %.0f t/yr\n", len(plants), len(in.firms), capTotal)
	return nil
}

// writeProvenance writes provenance.csv: what each embedded file is (real,
// derived, synthetic or mixed), for the plan's report and map footer.
func writeProvenance(out string, m *model) error {
	var cited int
	for _, p := range m.plants {
		if p.capBasis == "cited" {
			cited++
		}
	}
	rows := [][]string{
		{"costs.csv", "mixed", "cost figures for network design: cited components and stated assumptions, one source per row"},
		{"fleet.csv", "synthetic", "two truck classes per plant, sized from the plant's supply in reach and distances; cost and CO2 per km assumed"},
		{"outlets.csv", "synthetic", "the real count (about 10,000 outlets, MIIT 2022) on synthetic sites; not the outlet register"},
		{"places.csv", "real", "SimpleMaps and GeoNames places (CC BY 4.0)"},
		{"plants.csv", "mixed", fmt.Sprintf("real white-list firms at their city; capacity cited for %d, assumed for %d (column capacity_basis)", cited, len(m.plants)-cited)},
		{"provinces.geojson", "real", "Natural Earth province boundaries (public domain); not the official standard map"},
		{"stock.csv", "derived", "official registrations and stocks (MPS, MoT, CAAM) split over cities by population"},
		{"vehicle_types.csv", "derived", "pack masses and lives from cited figures; pack-life factor and replacement share calibrated on the published record"},
	}
	return writeCSV(out, "provenance.csv", []string{"file", "status", "note"}, rows)
}
