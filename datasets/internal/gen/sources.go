package main

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"strconv"
)

// The generator's own cited inputs (figures the shared reference data does
// not hold): each row names its source or says it is assumed, derived or
// calibrated. See datasets/README.md.
//
//go:embed sources/*.csv
var sourceFiles embed.FS

// figure is one row of sources/figures.csv.
type figure struct {
	key, unit, basis, source, note string
	value                          float64
}

// figureTable holds sources/figures.csv by key.
type figureTable map[string]figure

// get returns the value of key or an error naming the file and the key.
func (ft figureTable) get(key string) (float64, error) {
	f, ok := ft[key]
	if !ok {
		return 0, fmt.Errorf("sources/figures.csv: no row with key %q", key)
	}
	return f.value, nil
}

// mustGet is get for keys checked by checkFigures at load time.
func (ft figureTable) mustGet(key string) float64 {
	f, ok := ft[key]
	if !ok {
		panic("figure " + key + " not checked at load time")
	}
	return f.value
}

// requiredFigures are the keys the generator uses; readFigures fails when
// one is missing, so no lookup can fail later.
var requiredFigures = []string{
	"bus_stock_2016", "taxi_stock_2016", "logistics_stock_2016", "bus_stock_2022", "bus_stock_2023", "taxi_stock_2023",
	"logistics_stock_2023", "ridehailing_vehicles_2023", "ridehailing_nev_share_2023", "bus_registrations_2017",
	"bus_battery_gwh_2017", "pack_wh_per_kg_2017", "bus_phev_pack_kg", "commercial_pack_kg", "pack_service_life_min",
	"pack_service_life_max", "pack_effective_life_min", "pack_effective_life_max", "vehicle_life_private",
	"vehicle_life_transit_bus", "vehicle_life_light_truck", "vehicle_life_taxi", "replacement_share",
	"retired_2023_target", "weibull_shape", "registrations_growth_pct", "registrations_until",
	"whitelist_capacity_2024", "whitelist_firms",
}

// readSourceCSV reads one embedded source table with its header checked.
func readSourceCSV(name string, want []string) ([][]string, error) {
	b, err := sourceFiles.ReadFile("sources/" + name)
	if err != nil {
		return nil, err
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("sources/%s: %w", name, err)
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("sources/%s: no rows", name)
	}
	for i, w := range want {
		if i >= len(recs[0]) || recs[0][i] != w {
			return nil, fmt.Errorf("sources/%s:1: header %q, want %q", name, recs[0], want)
		}
	}
	return recs[1:], nil
}

var sourceBases = map[string]bool{"cited": true, "derived": true, "assumed": true, "calibrated": true}

func readFigures() (figureTable, error) {
	recs, err := readSourceCSV("figures.csv", []string{"key", "value", "unit", "basis", "source", "note"})
	if err != nil {
		return nil, err
	}
	ft := figureTable{}
	for i, r := range recs {
		v, err := strconv.ParseFloat(r[1], 64)
		if err != nil {
			return nil, fmt.Errorf("sources/figures.csv:%d: value %q is not a number", i+2, r[1])
		}
		if !sourceBases[r[3]] {
			return nil, fmt.Errorf("sources/figures.csv:%d: basis %q, want cited, derived, assumed or calibrated", i+2, r[3])
		}
		if _, dup := ft[r[0]]; dup {
			return nil, fmt.Errorf("sources/figures.csv:%d: key %q twice", i+2, r[0])
		}
		ft[r[0]] = figure{key: r[0], value: v, unit: r[2], basis: r[3], source: r[4], note: r[5]}
	}
	for _, k := range requiredFigures {
		if _, ok := ft[k]; !ok {
			return nil, fmt.Errorf("sources/figures.csv: no row with key %q", k)
		}
	}
	return ft, nil
}

// Sales segments of the 2011-2016 cohort table.
var preSegments = []string{"passenger_bev", "passenger_phev", "commercial_bev", "commercial_phev"}

// preCohorts are national NEV sales by year (2011-2016) and segment.
type preCohorts map[int]map[string]float64

// readPreCohorts reads sources/cohorts_2011_2016.csv and checks that every
// year's segments sum to its cited total.
func readPreCohorts() (preCohorts, error) {
	recs, err := readSourceCSV("cohorts_2011_2016.csv", []string{"year", "segment", "vehicles", "basis", "source", "note"})
	if err != nil {
		return nil, err
	}
	out := preCohorts{}
	totals := map[int]float64{}
	for i, r := range recs {
		y, err := strconv.Atoi(r[0])
		if err != nil || y < firstYear || y >= 2017 {
			return nil, fmt.Errorf("sources/cohorts_2011_2016.csv:%d: year %q, want %d-2016", i+2, r[0], firstYear)
		}
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("sources/cohorts_2011_2016.csv:%d: vehicles %q", i+2, r[2])
		}
		if !sourceBases[r[3]] || (r[3] == "cited" && r[4] == "") {
			return nil, fmt.Errorf("sources/cohorts_2011_2016.csv:%d: basis %q with source %q: a cited row needs a URL", i+2, r[3], r[4])
		}
		if r[1] == "total" {
			totals[y] = v
			continue
		}
		if out[y] == nil {
			out[y] = map[string]float64{}
		}
		out[y][r[1]] = v
	}
	for y := firstYear; y < 2017; y++ {
		var sum float64
		for _, s := range preSegments {
			v, ok := out[y][s]
			if !ok {
				return nil, fmt.Errorf("sources/cohorts_2011_2016.csv: no %s row for %d", s, y)
			}
			sum += v
		}
		if sum != totals[y] {
			return nil, fmt.Errorf("sources/cohorts_2011_2016.csv: %d segments sum to %.0f, the cited total is %.0f", y, sum, totals[y])
		}
	}
	return out, nil
}
