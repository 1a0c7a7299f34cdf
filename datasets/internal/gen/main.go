// Command gen builds rlplan's embedded default dataset (datasets/data) from
// the public reference data in shared/data and the generator's own cited
// figures (sources/*.csv, embedded). It is deterministic: the same inputs
// give byte-identical outputs, which the package test checks. It prints its
// self-checks (calibrations, the backcast against the published record) to
// the log and fails when one is outside its range.
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

// inputs are the reference tables the generator reads.
type inputs struct {
	sm, gn  []place
	facts   facts
	params  []param
	firms   []firm
	figures figureTable
	pre     preCohorts
	provIso map[string]string // province_zh -> ISO code
}

func readInputs(shared string, log io.Writer) (*inputs, error) {
	in := &inputs{provIso: map[string]string{}}
	var err error
	if in.sm, err = readSimpleMaps(shared); err != nil {
		return nil, err
	}
	if in.gn, err = readGeoNames(shared); err != nil {
		return nil, err
	}
	if in.facts, err = readFacts(shared); err != nil {
		return nil, err
	}
	if in.params, err = readParams(shared); err != nil {
		return nil, err
	}
	if in.firms, err = readWhitelist(shared); err != nil {
		return nil, err
	}
	if in.figures, err = readFigures(); err != nil {
		return nil, err
	}
	if in.pre, err = readPreCohorts(); err != nil {
		return nil, err
	}
	shapes, err := provinceShapes(shared)
	if err != nil {
		return nil, err
	}
	correctProvinces(in.sm, shapes, log)
	correctProvinces(in.gn, shapes, log)
	for _, p := range append(append([]place(nil), in.sm...), in.gn...) {
		if p.provZh != "" {
			in.provIso[p.provZh] = p.province
		}
	}
	return in, nil
}

func run(shared, out string, log io.Writer) error {
	in, err := readInputs(shared, log)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, n := range fillPopulation(in.sm, in.gn) {
		fmt.Fprintln(log, "population fill:", n)
	}
	m, err := buildModel(in, log)
	if err != nil {
		return err
	}
	if err := selfChecks(in, m, log); err != nil {
		return err
	}
	if err := writeStockFiles(out, in, m, log); err != nil {
		return err
	}
	if err := writePlantFiles(out, in, m, log); err != nil {
		return err
	}
	if err := writeCosts(out, log); err != nil {
		return err
	}
	gj, isos, err := provincesGeoJSON(shared)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, i := range isos {
		known[i] = true
	}
	for _, r := range m.regions {
		if !known[r.province] {
			return fmt.Errorf("region %s %s: province %s not in the Natural Earth file", r.id, r.name, r.province)
		}
	}
	if err := os.WriteFile(filepath.Join(out, "provinces.geojson"), gj, 0o644); err != nil {
		return err
	}
	if err := writeProvenance(out, m); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "ATTRIBUTION.txt"), []byte(attribution), 0o644)
}

// model is the generated vehicle stock and everything derived from it.
type model struct {
	types   []vtype
	plan    *cohortPlan
	lives   []life
	nat     *national
	regions []region
	alpha   float64
	cells   []stockCell
	places  []placeRow
	outlets []outlet
	plants  []plant
	central int
}

// buildModel calibrates the national cohorts, splits them over the regions
// and places the places and outlets.
func buildModel(in *inputs, log io.Writer) (*model, error) {
	types, err := vehicleTypes(in.params, in.figures)
	if err != nil {
		return nil, err
	}
	bev, err := bevShares(in.facts)
	if err != nil {
		return nil, err
	}
	plan := &cohortPlan{pre: in.pre, reg: map[int]float64{}, bev: bev, bus2017: in.figures.mustGet("bus_registrations_2017"),
		shape: in.figures.mustGet("weibull_shape"), types: types, packFactor: 1}
	for y := 2017; y <= lastYear; y++ {
		f, err := in.facts.find("nev_new_registrations", "CN", fmt.Sprint(y))
		if err != nil {
			return nil, err
		}
		plan.reg[y] = f.value
	}
	if err := plan.calibrate(in.figures); err != nil {
		return nil, err
	}
	for _, c := range plan.calibrations {
		fmt.Fprintln(log, "calibrated:", c)
	}
	coh, err := plan.cohorts()
	if err != nil {
		return nil, err
	}
	m := &model{types: types, plan: plan, lives: plan.lives()}
	if m.nat, err = roundNational(coh, plan.reg); err != nil {
		return nil, err
	}
	for yi, y := range m.nat.years {
		share := "sales by segment"
		if firstYear+yi >= 2017 {
			share = fmt.Sprintf("BEV share %.4f", bev[yi])
		}
		fmt.Fprintf(log, "cohort %d: %9d  %s  by type %v\n", firstYear+yi, y, share, m.nat.byType[yi])
	}
	m.regions = buildRegions(in.sm)
	sh, err := in.facts.find("nev_stock", targetShanghai, "2024-12-31")
	if err != nil {
		return nil, err
	}
	cn, err := in.facts.find("nev_stock", "CN", "2024-12-31")
	if err != nil {
		return nil, err
	}
	if m.alpha, err = calibrateAlpha(m.regions, "CN-SH", sh.value/cn.value, 0.5, 2.5); err != nil {
		return nil, err
	}
	for i := range m.regions {
		m.regions[i].weight = math.Pow(float64(m.regions[i].pop), m.alpha)
	}
	m.cells = splitStock(m.regions, m.nat, types)
	if m.places, err = buildPlaces(in.sm, in.gn, m.regions); err != nil {
		return nil, err
	}
	stock2024 := make([]float64, len(m.regions))
	for _, c := range m.cells {
		stock2024[c.region] += stockAt([]stockCell{c}, m.lives, 2025, nil)
	}
	if m.outlets, err = buildOutlets(m.regions, m.places, stock2024); err != nil {
		return nil, err
	}
	for _, o := range m.outlets {
		if o.typ == "central" {
			m.central++
		}
	}
	return m, nil
}

// Shanghai calibration target (official rows).
const targetShanghai = "Shanghai"

// attribution travels with every export of the dataset (CC BY 4.0 requires it).
const attribution = `rlplan default dataset — sources and licences (details: datasets/README.md)

Places, region seats and outlet sites:
  World Cities Database by SimpleMaps.com (https://simplemaps.com/data/world-cities) — CC BY 4.0
  GeoNames (https://www.geonames.org) — CC BY 4.0
Province boundaries (provinces.geojson): Natural Earth (https://www.naturalearthdata.com), public domain.
  Map compliance: Natural Earth depicts de-facto boundaries; maps published inside mainland China
  must use the official standard map (标准地图, with 审图号). Use for analysis and internal maps only.
Vehicle stock: derived from MPS/MIIT/MoT/CAAM figures as reported by Xinhua, People's Daily, CnEVPost
  and reprints (one URL per figure in datasets/README.md and datasets/internal/gen/sources).
Plants: MIIT white list (57 of 156 firms named in public reprints), capacities cited per row or
  assumed (plants.csv says which, and why).
Costs (costs.csv): cited components and stated assumptions, one source per row.
Synthetic (not real facts): outlets.csv locations and types, fleet.csv (sized from intake and
  distances). provenance.csv says which file is what.
Changes: filtered, deduplicated, re-projected to model years and regions by rlplan's generator.
`
