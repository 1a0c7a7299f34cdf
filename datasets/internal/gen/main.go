// Command gen builds rlplan's embedded default dataset (datasets/data) from
// the public reference data in shared/data. It is deterministic: the same
// inputs give byte-identical outputs, which the package test checks.
//
//	go run ./datasets/internal/gen -shared ../shared/data -out datasets/data
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	shared := flag.String("shared", "", "directory with the shared reference data (README.md, *.csv, *.geojson)")
	out := flag.String("out", "", "output directory (datasets/data)")
	flag.Parse()
	if *shared == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: gen -shared DIR -out DIR")
		os.Exit(2)
	}
	if err := run(*shared, *out, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// summary holds the self-check figures the README quotes.
type summary struct {
	alpha                         float64
	shanghaiShare, shanghaiTarget float64
	national2024, official2024    float64
	jiangsu2021, chengdu2022      float64
	tonnes2030, packs2030         float64
	pre2017                       int64
}

// Shanghai calibration target and comparison figures (official rows).
const (
	targetShanghai = "Shanghai"
	target2030Min  = 800e3 // t; Wu et al. 2020 give 708 kt, MIIT expects > 1 Mt
	target2030Max  = 1400e3
)

func run(shared, out string, log io.Writer) error {
	sm, err := readSimpleMaps(shared)
	if err != nil {
		return err
	}
	gn, err := readGeoNames(shared)
	if err != nil {
		return err
	}
	fs, err := readFacts(shared)
	if err != nil {
		return err
	}
	ps, err := readParams(shared)
	if err != nil {
		return err
	}
	wl, err := readWhitelist(shared)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	provIso := map[string]string{}
	for _, p := range append(append([]place(nil), sm...), gn...) {
		if p.provZh != "" {
			provIso[p.provZh] = p.province
		}
	}
	for _, n := range fillPopulation(sm, gn) {
		fmt.Fprintln(log, "population fill:", n)
	}

	// Vehicle types and national cohorts.
	types, err := vehicleTypes(ps)
	if err != nil {
		return err
	}
	bev, err := bevShares(fs)
	if err != nil {
		return err
	}
	shares, err := typeShares(types, bev)
	if err != nil {
		return err
	}
	nat, err := buildNational(fs, types, shares)
	if err != nil {
		return err
	}
	var s summary
	s.pre2017 = nat.pre2017
	fmt.Fprintf(log, "pre-2017 remainder: %d vehicles (anchor 2020: %.0f, anchor 2021: %.0f)\n", nat.pre2017, nat.preByAnc["2020-12-31"], nat.preByAnc["2021-12-31"])
	for yi, y := range nat.years {
		fmt.Fprintf(log, "cohort %d: %9d  BEV share %.4f  by type %v\n", firstYear+yi, y, bev[yi], nat.byType[yi])
	}

	// Regions and calibration of alpha.
	rs := buildRegions(sm)
	sh, err := fs.find("nev_stock", targetShanghai, "2024-12-31")
	if err != nil {
		return err
	}
	cn, err := fs.find("nev_stock", "CN", "2024-12-31")
	if err != nil {
		return err
	}
	s.shanghaiTarget = sh.value / cn.value
	s.official2024 = cn.value
	s.alpha, err = calibrateAlpha(rs, "CN-SH", s.shanghaiTarget, 0.5, 2.5)
	if err != nil {
		return err
	}
	for i := range rs {
		rs[i].weight = math.Pow(float64(rs[i].pop), s.alpha)
	}
	cells := splitStock(rs, nat, types)

	inProv := func(p string) func(stockCell) bool {
		return func(c stockCell) bool { return rs[c.region].province == p }
	}
	s.national2024 = stockAt(cells, types, 2025, nil)
	s.shanghaiShare = stockAt(cells, types, 2025, inProv("CN-SH")) / s.national2024
	s.jiangsu2021 = stockAt(cells, types, 2022, inProv("CN-JS"))
	chengdu := -1
	for i, r := range rs {
		if r.name == "Chengdu" && r.province == "CN-SC" {
			chengdu = i
		}
	}
	if chengdu < 0 {
		return fmt.Errorf("no region named Chengdu in CN-SC")
	}
	s.chengdu2022 = stockAt(cells, types, 2022+59.0/365, func(c stockCell) bool { return c.region == chengdu })
	s.tonnes2030, s.packs2030 = retiredTonnes(cells, types, 2030, nil)

	js, err := fs.find("nev_stock", "Jiangsu", "2021-12-31")
	if err != nil {
		return err
	}
	cd, err := fs.find("nev_stock", "Chengdu", "2022-02-28")
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "regions: %d; alpha = %.4f\n", len(rs), s.alpha)
	fmt.Fprintf(log, "stock 2024-12-31 (registrations minus Weibull retirements): %.0f modelled vs %.0f official (%+.1f%%)\n",
		s.national2024, s.official2024, 100*(s.national2024/s.official2024-1))
	fmt.Fprintf(log, "Shanghai share of 2024 stock: %.5f (target %.5f, %+.3f%% relative)\n", s.shanghaiShare, s.shanghaiTarget, 100*(s.shanghaiShare/s.shanghaiTarget-1))
	fmt.Fprintf(log, "Jiangsu stock 2021-12-31: %.0f modelled vs %.0f official (%+.1f%%)\n", s.jiangsu2021, js.value, 100*(s.jiangsu2021/js.value-1))
	fmt.Fprintf(log, "Chengdu stock 2022-02-28: %.0f modelled vs %.0f official (%+.1f%%)\n", s.chengdu2022, cd.value, 100*(s.chengdu2022/cd.value-1))
	for _, y := range []int{2020, 2025, 2030, 2035} {
		t, p := retiredTonnes(cells, types, y, nil)
		fmt.Fprintf(log, "national retirement %d: %.0f t (%.0f packs)\n", y, t, p)
	}
	for ti, t := range types {
		tt, _ := retiredTonnes(cells, types, 2030, func(c stockCell) bool { return c.vtype == ti })
		fmt.Fprintf(log, "  2030 %s: %.0f t\n", t.name, tt)
	}
	if s.tonnes2030 < target2030Min || s.tonnes2030 > target2030Max {
		return fmt.Errorf("self-check: national 2030 retirement %.0f t is outside [%.0f, %.0f] t", s.tonnes2030, target2030Min, target2030Max)
	}
	if r := s.shanghaiShare/s.shanghaiTarget - 1; math.Abs(r) > 0.005 {
		return fmt.Errorf("self-check: Shanghai share %.5f is %.2f%% from the target %.5f", s.shanghaiShare, 100*r, s.shanghaiTarget)
	}
	// Fleet-average pack mass of Jiangsu at the end of 2020, compared with the
	// 0.67 t/vehicle reference row.
	var kg, veh float64
	for _, c := range cells {
		if rs[c.region].province == "CN-JS" && c.year <= 2020 {
			sv := float64(c.vehicles) * survival(types[c.vtype], c.year, 2021)
			kg += sv * types[c.vtype].packKg
			veh += sv
		}
	}
	fmt.Fprintf(log, "Jiangsu 2020 fleet-average pack mass: %.2f t/vehicle (reference row: 0.67)\n", kg/veh/1000)

	// stock.csv
	var rows [][]string
	for _, c := range cells {
		r := rs[c.region]
		rows = append(rows, []string{r.id, r.name, r.province, ff(r.lat, 5), ff(r.lon, 5), fmt.Sprint(c.year), types[c.vtype].name, itoa(c.vehicles)})
	}
	if err := writeCSV(out, "stock.csv", []string{"region_id", "name", "province", "lat", "lon", "model_year", "vehicle_type", "vehicles"}, rows); err != nil {
		return err
	}

	// vehicle_types.csv
	rows = nil
	tsorted := append([]vtype(nil), types...)
	sort.Slice(tsorted, func(a, b int) bool { return tsorted[a].name < tsorted[b].name })
	for _, t := range tsorted {
		rows = append(rows, []string{t.name, ff(t.packKg, 3), ff(t.shape, 3), ff(t.scale, 3), t.chemistry, t.source})
	}
	if err := writeCSV(out, "vehicle_types.csv", []string{"vehicle_type", "pack_kg", "weibull_shape", "weibull_scale_years", "chemistry", "source"}, rows); err != nil {
		return err
	}

	// places.csv
	places, err := buildPlaces(sm, gn, rs)
	if err != nil {
		return err
	}
	rows = nil
	for _, p := range places {
		rows = append(rows, []string{p.id, p.name, p.province, ff(p.lat, 5), ff(p.lon, 5), itoa(p.pop), rs[p.region].id, placeSource(p.place)})
	}
	if err := writeCSV(out, "places.csv", []string{"place_id", "name", "province", "lat", "lon", "population", "region_id", "source"}, rows); err != nil {
		return err
	}
	fmt.Fprintf(log, "places: %d of %d input places after %.0f km deduplication\n", len(places), len(sm)+len(gn), placeDedupKm)

	// outlets.csv
	stock2024 := make([]float64, len(rs))
	for ri := range rs {
		stock2024[ri] = stockAt(cells, types, 2025, func(c stockCell) bool { return c.region == ri })
	}
	outs, err := buildOutlets(rs, places, stock2024)
	if err != nil {
		return err
	}
	rows = nil
	central := 0
	for _, o := range outs {
		if o.typ == "central" {
			central++
		}
		rows = append(rows, []string{o.id, o.name, ff(o.lat, 5), ff(o.lon, 5), o.province, o.typ, itoa(o.capKg)})
	}
	if err := writeCSV(out, "outlets.csv", []string{"id", "name", "lat", "lon", "province", "type", "capacity_kg"}, rows); err != nil {
		return err
	}
	fmt.Fprintf(log, "outlets: %d (%d central)\n", len(outs), central)

	// plants.csv and fleet.csv
	plants, notes, err := buildPlants(wl, sm, provIso)
	if err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintln(log, "plants:", n)
	}
	rows = nil
	var fleet [][]string
	for _, p := range plants {
		rows = append(rows, []string{p.id, p.name, ff(p.lat, 5), ff(p.lon, 5), p.province, itoa(p.intakeKg)})
		for ti, t := range trucks {
			fleet = append(fleet, []string{p.id, t.name, itoa(fleetCount(ti, p.mult)), itoa(t.capKg),
				itoa(t.capKg / int64(types[2].packKg)), ff(t.speed, 1), ff(t.shift, 1), ff(t.costKm, 3), ff(t.co2gKm, 1)})
		}
	}
	if types[2].name != "passenger_bev" {
		return fmt.Errorf("internal: type 2 is %s, want passenger_bev", types[2].name)
	}
	if err := writeCSV(out, "plants.csv", []string{"id", "name", "lat", "lon", "province", "intake_kg_per_week"}, rows); err != nil {
		return err
	}
	if err := writeCSV(out, "fleet.csv", []string{"plant_id", "vehicle_type", "count", "capacity_kg", "capacity_packs", "speed_kmh", "shift_hours", "cost_per_km", "co2_g_per_km"}, fleet); err != nil {
		return err
	}
	fmt.Fprintf(log, "plants: %d of %d white-list rows\n", len(plants), len(wl))

	// provinces.geojson
	gj, isos, err := provincesGeoJSON(shared)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, i := range isos {
		known[i] = true
	}
	for _, r := range rs {
		if !known[r.province] {
			return fmt.Errorf("region %s %s: province %s not in the Natural Earth file", r.id, r.name, r.province)
		}
	}
	if err := os.WriteFile(filepath.Join(out, "provinces.geojson"), gj, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "ATTRIBUTION.txt"), []byte(attribution), 0o644); err != nil {
		return err
	}
	return nil
}

// attribution travels with every export of the dataset (CC BY 4.0 requires it).
const attribution = `rlplan default dataset — sources and licences (details: datasets/README.md)

Places, region seats and outlet sites:
  World Cities Database by SimpleMaps.com (https://simplemaps.com/data/world-cities) — CC BY 4.0
  GeoNames (https://www.geonames.org) — CC BY 4.0
Province boundaries (provinces.geojson): Natural Earth (https://www.naturalearthdata.com), public domain.
  Map compliance: Natural Earth depicts de-facto boundaries; maps published inside mainland China
  must use the official standard map (标准地图, with 审图号). Use for analysis and internal maps only.
Vehicle stock: derived from MPS/MIIT/NDRC figures as reported by Xinhua, People's Daily, CnEVPost
  and reprints (one URL per figure in datasets/README.md).
Plants: partial MIIT white list (51 of 156 firms), MIIT announcements via news reprints.
Synthetic (not real facts): outlets.csv locations and types, plant intake, fleet.csv.
Changes: filtered, deduplicated, re-projected to model years and regions by rlplan's generator.
`
