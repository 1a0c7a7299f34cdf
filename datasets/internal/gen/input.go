package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// table is a CSV file read whole, with its header checked, so that every
// later error can name the file, line and column it came from.
type table struct {
	file string
	head []string
	rows [][]string
	col  map[string]int
}

// readTable reads a CSV file and checks that its header starts with want
// (extra trailing columns are allowed so that the shared data can grow).
func readTable(dir, name string, want []string) (*table, error) {
	path := filepath.Join(dir, name)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading header: %w", path, err)
	}
	if len(head) < len(want) {
		return nil, fmt.Errorf("%s:1: header has %d columns %q, want at least %q", path, len(head), head, want)
	}
	for i, w := range want {
		if strings.TrimPrefix(head[i], "\ufeff") != w {
			return nil, fmt.Errorf("%s:1: column %d is %q, want %q", path, i+1, head[i], w)
		}
	}
	t := &table{file: path, head: head, col: map[string]int{}}
	for i, h := range head {
		t.col[h] = i
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(rec) != len(head) {
			line, _ := r.FieldPos(0)
			return nil, fmt.Errorf("%s:%d: %d fields, want %d", path, line, len(rec), len(head))
		}
		t.rows = append(t.rows, rec)
	}
	return t, nil
}

// get returns the named field of data row i (0-based, header excluded).
func (t *table) get(i int, name string) string { return t.rows[i][t.col[name]] }

// where formats a location for error messages; data row i is file line i+2.
func (t *table) where(i int, name string) string {
	return fmt.Sprintf("%s:%d: column %q", t.file, i+2, name)
}

func (t *table) float(i int, name string) (float64, error) {
	s := t.get(i, name)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a number", t.where(i, name), s)
	}
	return v, nil
}

// intOrZero parses an integer column where an empty field means unknown (0).
func (t *table) intOrZero(i int, name string) (int64, error) {
	s := t.get(i, name)
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not an integer", t.where(i, name), s)
	}
	return v, nil
}

// place is one populated place from SimpleMaps or GeoNames.
type place struct {
	id       string // "SM<simplemaps_id>" or "GN<geonameid>"
	name     string
	province string // ISO 3166-2
	provZh   string
	lat, lon float64
	pop      int64
	capital  string // SimpleMaps capital field
	feature  string // GeoNames feature code
	seat     bool   // a city/town (SimpleMaps) or an administrative seat (GeoNames PPLC/PPLA/PPLA2/PPLA3)
}

func readSimpleMaps(dir string) ([]place, error) {
	t, err := readTable(dir, "cn_cities_simplemaps.csv", []string{"simplemaps_id", "city", "city_ascii", "lat", "lng", "province", "province_iso", "province_zh", "capital", "population"})
	if err != nil {
		return nil, err
	}
	var out []place
	for i := range t.rows {
		p := place{id: "SM" + t.get(i, "simplemaps_id"), name: t.get(i, "city"), province: t.get(i, "province_iso"),
			provZh: t.get(i, "province_zh"), capital: t.get(i, "capital"), seat: true}
		if err := t.placeFields(i, &p, "lng"); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func readGeoNames(dir string) ([]place, error) {
	t, err := readTable(dir, "cn_cities_geonames.csv", []string{"geonameid", "name", "feature_code", "admin1_code", "province_iso", "province_zh", "population", "lat", "lon"})
	if err != nil {
		return nil, err
	}
	var out []place
	for i := range t.rows {
		p := place{id: "GN" + t.get(i, "geonameid"), name: t.get(i, "name"), province: t.get(i, "province_iso"),
			provZh: t.get(i, "province_zh"), feature: t.get(i, "feature_code")}
		switch p.feature {
		case "PPLC", "PPLA", "PPLA2", "PPLA3":
			p.seat = true
		}
		if err := t.placeFields(i, &p, "lon"); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// placeFields reads row i's lat, longitude (column lonCol), population
// and checks its province code, for both place tables.
func (t *table) placeFields(i int, p *place, lonCol string) error {
	var err error
	if p.lat, err = t.float(i, "lat"); err != nil {
		return err
	}
	if p.lon, err = t.float(i, lonCol); err != nil {
		return err
	}
	if p.pop, err = t.intOrZero(i, "population"); err != nil {
		return err
	}
	if !strings.HasPrefix(p.province, "CN-") {
		return fmt.Errorf("%s: %q is not a CN ISO 3166-2 code", t.where(i, "province_iso"), p.province)
	}
	return nil
}

// fact is one row of china_official_figures.csv.
type fact struct {
	metric, scope, asOf, source, url, note string
	value                                  float64
}

type facts []fact

func readFacts(dir string) (facts, error) {
	t, err := readTable(dir, "china_official_figures.csv", []string{"metric", "scope", "value", "unit", "as_of", "source_name", "source_url", "note"})
	if err != nil {
		return nil, err
	}
	var out facts
	for i := range t.rows {
		f := fact{metric: t.get(i, "metric"), scope: t.get(i, "scope"), asOf: t.get(i, "as_of"),
			source: t.get(i, "source_name"), url: t.get(i, "source_url"), note: t.get(i, "note")}
		if f.value, err = t.float(i, "value"); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// find returns the single fact with this metric, scope and as_of, or an error
// naming what was looked for.
func (fs facts) find(metric, scope, asOf string) (fact, error) {
	var hit []fact
	for _, f := range fs {
		if f.metric == metric && f.scope == scope && f.asOf == asOf {
			hit = append(hit, f)
		}
	}
	if len(hit) != 1 {
		return fact{}, fmt.Errorf("china_official_figures.csv: %d rows with metric=%s scope=%s as_of=%s, want exactly 1", len(hit), metric, scope, asOf)
	}
	return hit[0], nil
}

// param is one row of model_parameters_reference.csv.
type param struct {
	name, value, unit, appliesTo, provenance, source string
}

func readParams(dir string) ([]param, error) {
	t, err := readTable(dir, "model_parameters_reference.csv", []string{"parameter", "value", "unit", "applies_to", "provenance", "source"})
	if err != nil {
		return nil, err
	}
	var out []param
	for i := range t.rows {
		out = append(out, param{t.get(i, "parameter"), t.get(i, "value"), t.get(i, "unit"), t.get(i, "applies_to"), t.get(i, "provenance"), t.get(i, "source")})
	}
	return out, nil
}

// lookupParam returns the numeric value of the row whose parameter equals
// name and whose applies_to contains appliesTo; the generator cites rows this
// way so that a change in the reference file cannot go unnoticed.
func lookupParam(ps []param, name, appliesTo string) (float64, param, error) {
	for _, p := range ps {
		if p.name == name && strings.Contains(p.appliesTo, appliesTo) {
			v, err := strconv.ParseFloat(p.value, 64)
			if err != nil {
				return 0, p, fmt.Errorf("model_parameters_reference.csv: %s (%s): value %q is not a number", name, p.appliesTo, p.value)
			}
			return v, p, nil
		}
	}
	return 0, param{}, fmt.Errorf("model_parameters_reference.csv: no row with parameter=%s and applies_to containing %q", name, appliesTo)
}

// firm is one row of cn_battery_whitelist.csv.
type firm struct {
	line                        int
	batch, year, name, provZh   string
	city, basis, typ, url, note string
	lat, lon                    float64
	hasCoord                    bool
	capacityT                   float64 // capacity_t_per_year of the shared row (0: none)
}

func readWhitelist(dir string) ([]firm, error) {
	t, err := readTable(dir, "cn_battery_whitelist.csv", []string{"batch", "year", "company_zh", "province_zh", "city", "type_reported", "lat", "lng", "location_basis", "capacity_t_per_year", "capacity_source_url", "source_url", "note"})
	if err != nil {
		return nil, err
	}
	var out []firm
	for i := range t.rows {
		f := firm{line: i + 2, batch: t.get(i, "batch"), year: t.get(i, "year"), name: t.get(i, "company_zh"),
			provZh: t.get(i, "province_zh"), city: t.get(i, "city"), basis: t.get(i, "location_basis"),
			typ: t.get(i, "type_reported"), url: t.get(i, "source_url"), note: t.get(i, "note")}
		if t.get(i, "lat") != "" || t.get(i, "lng") != "" {
			if f.lat, err = t.float(i, "lat"); err != nil {
				return nil, err
			}
			if f.lon, err = t.float(i, "lng"); err != nil {
				return nil, err
			}
			f.hasCoord = true
		}
		if t.get(i, "capacity_t_per_year") != "" {
			if f.capacityT, err = t.float(i, "capacity_t_per_year"); err != nil {
				return nil, err
			}
		}
		out = append(out, f)
	}
	return out, nil
}
