package datasets

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// headers are the exact header rows of the embedded CSV files.
var headers = map[string]string{
	Stock:        "region_id,name,province,lat,lon,model_year,vehicle_type,vehicles",
	VehicleTypes: "vehicle_type,pack_kg,weibull_shape,weibull_scale_years,vehicle_life_shape,vehicle_life_scale_years,replacement_share,use,chemistry,source",
	Places:       "place_id,name,province,lat,lon,population,region_id,source",
	Outlets:      "id,name,lat,lon,province,type,capacity_kg",
	Plants:       "id,name,lat,lon,province,intake_kg_per_week,capacity_t_per_year,capacity_basis,source",
	Fleet:        "plant_id,vehicle_type,count,capacity_kg,capacity_packs,speed_kmh,shift_hours,cost_per_km,co2_g_per_km",
	Costs:        "item,value,unit,basis,source,note",
	Provenance:   "file,status,note",
}

// caamSales are the national NEV sales of 2011-2016 (CAAM via InsideEVs,
// Science and Technology Daily, MIIT via Xinhua): the pre-2017 cohorts.
var caamSales = map[int]int64{2011: 8159, 2012: 12791, 2013: 17642, 2014: 74763, 2015: 331092, 2016: 507000}

// officialRegistrations are the national NEV new registrations of
// china_official_figures.csv (MPS via Xinhua, People's Daily, CnEVPost; 2020
// derived from the 2021 value and its stated increase).
var officialRegistrations = map[int]int64{
	2017: 650000, 2018: 1070000, 2019: 1200000, 2020: 1170000, 2021: 2950000,
	2022: 5350000, 2023: 7430000, 2024: 11250000, 2025: 12930000,
}

// rows reads an embedded CSV file as maps keyed by column, after checking
// its header, UTF-8 and LF line ends.
func rows(t *testing.T, name string) []map[string]string {
	t.Helper()
	b, err := fs.ReadFile(FS, name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !utf8.Valid(b) {
		t.Fatalf("%s: not valid UTF-8", name)
	}
	if bytes.Contains(b, []byte("\r")) {
		t.Fatalf("%s: contains CR; want LF line ends", name)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(recs) < 2 {
		t.Fatalf("%s: %d records, want a header and data", name, len(recs))
	}
	want := headers[name]
	if got := string(bytes.TrimRight([]byte(joinCSV(recs[0])), "\n")); got != want {
		t.Fatalf("%s: header %q, want %q", name, got, want)
	}
	out := make([]map[string]string, 0, len(recs)-1)
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func joinCSV(fields []string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(fields)
	w.Flush()
	return b.String()
}

func num(t *testing.T, file string, line int, m map[string]string, col string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(m[col], 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		t.Fatalf("%s:%d: column %s: %q is not a number", file, line+2, col, m[col])
	}
	return v
}

func integer(t *testing.T, file string, line int, m map[string]string, col string) int64 {
	t.Helper()
	v, err := strconv.ParseInt(m[col], 10, 64)
	if err != nil {
		t.Fatalf("%s:%d: column %s: %q is not an integer", file, line+2, col, m[col])
	}
	return v
}

// inChina is the bounding box of mainland China (with Hainan).
func inChina(lat, lon float64) bool { return lat >= 18 && lat <= 54 && lon >= 73 && lon <= 135.1 }

var provinceCode = regexp.MustCompile(`^CN-[A-Z]{2}$`)

// vtype is a vehicle type with its pack life, vehicle life and replacement
// share (the two-lives model of vehicle_types.csv).
type vtype struct {
	packKg, shape, scale, vShape, vScale, repl float64
	use                                        string
}

func weibull(x, shape, scale float64) float64 {
	if x <= 0 {
		return 0
	}
	return 1 - math.Exp(-math.Pow(x/scale, shape))
}

// inUse is the share of a cohort's vehicles registered at age x: not
// scrapped, and on their first pack or given a second one.
func (v vtype) inUse(x float64) float64 {
	fb := weibull(x, v.shape, v.scale)
	return (1 - weibull(x, v.vShape, v.vScale)) * (1 - fb + v.repl*fb)
}

// retired is the packs per vehicle that a cohort retires between ages a0
// and a1: first packs (the earlier of pack and vehicle end) and second
// packs (with the vehicle), the latter by a midpoint sum of F_pack dF_vehicle
// on 200 steps (a third implementation, beside the generator's and the
// planner's).
func (v vtype) retired(a0, a1 float64) float64 {
	a0 = math.Max(a0, 0)
	if a1 <= a0 {
		return 0
	}
	s := func(x float64) float64 {
		return (1 - weibull(x, v.shape, v.scale)) * (1 - weibull(x, v.vShape, v.vScale))
	}
	packs := s(a0) - s(a1)
	const n = 200
	h := (a1 - a0) / n
	for i := 0; i < n; i++ {
		t := a0 + (float64(i)+0.5)*h
		packs += v.repl * weibull(t, v.shape, v.scale) * (weibull(t+h/2, v.vShape, v.vScale) - weibull(t-h/2, v.vShape, v.vScale))
	}
	return packs
}

func vehicleTypes(t *testing.T) map[string]vtype {
	out := map[string]vtype{}
	for i, r := range rows(t, VehicleTypes) {
		v := vtype{packKg: num(t, VehicleTypes, i, r, "pack_kg"), shape: num(t, VehicleTypes, i, r, "weibull_shape"), scale: num(t, VehicleTypes, i, r, "weibull_scale_years"),
			vShape: num(t, VehicleTypes, i, r, "vehicle_life_shape"), vScale: num(t, VehicleTypes, i, r, "vehicle_life_scale_years"),
			repl: num(t, VehicleTypes, i, r, "replacement_share"), use: r["use"]}
		if v.packKg <= 0 || v.shape <= 0 || v.scale <= 0 || v.vShape <= 0 || v.vScale <= v.scale || v.repl < 0 || v.repl > 1 || r["source"] == "" {
			t.Errorf("%s:%d: %v: want positive parameters, a vehicle outliving its pack, a replacement share in [0,1] and a source", VehicleTypes, i+2, r)
		}
		if v.use != "private" && v.use != "operating" {
			t.Errorf("%s:%d: use %q, want private or operating", VehicleTypes, i+2, v.use)
		}
		out[r["vehicle_type"]] = v
	}
	for _, n := range []string{"passenger_bev", "passenger_bev_operating", "passenger_phev", "bus", "bus_phev", "commercial"} {
		if _, ok := out[n]; !ok {
			t.Errorf("%s: no row for %s", VehicleTypes, n)
		}
	}
	// Operating vehicles run their packs out sooner than private ones.
	if out["passenger_bev_operating"].scale >= out["passenger_bev"].scale {
		t.Errorf("operating passenger pack scale %g, private %g: want the operating one shorter", out["passenger_bev_operating"].scale, out["passenger_bev"].scale)
	}
	return out
}

type cell struct {
	region, province, name, vtype string
	year                          int
	vehicles                      int64
}

func stock(t *testing.T) []cell {
	var out []cell
	seat := map[string]string{}
	prev := ""
	for i, r := range rows(t, Stock) {
		c := cell{region: r["region_id"], province: r["province"], name: r["name"], vtype: r["vehicle_type"],
			year: int(integer(t, Stock, i, r, "model_year")), vehicles: integer(t, Stock, i, r, "vehicles")}
		if c.vehicles <= 0 {
			t.Errorf("%s:%d: vehicles %d, want > 0 (zero rows are dropped)", Stock, i+2, c.vehicles)
		}
		if c.year < 2011 || c.year > 2025 {
			t.Errorf("%s:%d: model_year %d outside 2011-2025", Stock, i+2, c.year)
		}
		if !provinceCode.MatchString(c.province) {
			t.Errorf("%s:%d: province %q, want CN-XX", Stock, i+2, c.province)
		}
		if !inChina(num(t, Stock, i, r, "lat"), num(t, Stock, i, r, "lon")) {
			t.Errorf("%s:%d: (%s, %s) outside China", Stock, i+2, r["lat"], r["lon"])
		}
		// One seat per region, and rows sorted by region, year, type.
		s := r["name"] + "|" + r["province"] + "|" + r["lat"] + "|" + r["lon"]
		if old, ok := seat[c.region]; ok && old != s {
			t.Errorf("%s:%d: region %s is %s here and %s before", Stock, i+2, c.region, s, old)
		}
		seat[c.region] = s
		key := c.region + "|" + r["model_year"] + "|" + c.vtype
		if key <= prev {
			t.Errorf("%s:%d: key %s not after %s; want rows sorted and unique", Stock, i+2, key, prev)
		}
		prev = key
		out = append(out, c)
	}
	return out
}

func TestStockNationalCohortsEqualOfficialRegistrations(t *testing.T) {
	types := vehicleTypes(t)
	byYear := map[int]int64{}
	for _, c := range stock(t) {
		if _, ok := types[c.vtype]; !ok {
			t.Fatalf("stock: vehicle type %q not in %s", c.vtype, VehicleTypes)
		}
		byYear[c.year] += c.vehicles
	}
	for y, want := range officialRegistrations {
		if byYear[y] != want {
			t.Errorf("model year %d: %d vehicles nationally, want the official %d", y, byYear[y], want)
		}
	}
	// Before 2017 the cohorts are the national sales, exactly.
	for y, want := range caamSales {
		if byYear[y] != want {
			t.Errorf("model year %d: %d vehicles nationally, want the CAAM sales %d", y, byYear[y], want)
		}
	}
}

// stockAt is the registered stock at the decimal date (2025.0 =
// 2024-12-31): cohorts in use under their lifetime, registrations at
// mid-year, the running year's cohort pro rata.
func stockAt(cells []cell, types map[string]vtype, date float64, keep func(cell) bool) float64 {
	var s float64
	for _, c := range cells {
		if !keep(c) {
			continue
		}
		y := float64(c.year)
		switch {
		case y+1 <= date:
			s += float64(c.vehicles) * types[c.vtype].inUse(date-y-0.5)
		case y < date:
			s += float64(c.vehicles) * (date - y)
		}
	}
	return s
}

func TestShanghaiShareCalibrated(t *testing.T) {
	types, cells := vehicleTypes(t), stock(t)
	all := stockAt(cells, types, 2025, func(cell) bool { return true })
	sh := stockAt(cells, types, 2025, func(c cell) bool { return c.province == "CN-SH" })
	target := 1.51e6 / 31.4e6 // Shanghai and national NEV stock, 2024-12-31
	if r := sh/all/target - 1; math.Abs(r) > 0.005 {
		t.Errorf("Shanghai share of the 2024 stock %.5f, want %.5f within 0.5%% (off by %.2f%%)", sh/all, target, 100*r)
	}
	// The national modelled stock follows the official year-end series.
	for date, official := range map[float64]float64{2021: 4.92e6, 2022: 7.84e6, 2023: 13.10e6, 2024: 20.41e6, 2025: 31.40e6, 2026: 43.97e6} {
		if got := stockAt(cells, types, date, func(cell) bool { return true }); math.Abs(got/official-1) > 0.03 {
			t.Errorf("national stock at %g: %.0f, want the official %.0f within 3 %%", date, got, official)
		}
	}
}

// retiredNational applies the two-lives forecast to the whole stock.
func retiredNational(cells []cell, types map[string]vtype, year int) float64 {
	type key struct {
		vtype string
		year  int
	}
	cohorts := map[key]int64{} // national cohorts: the lifetime depends on type and model year only
	for _, c := range cells {
		cohorts[key{c.vtype, c.year}] += c.vehicles
	}
	var tonnes float64
	for k, n := range cohorts {
		v := types[k.vtype]
		a := float64(year - k.year)
		tonnes += float64(n) * v.retired(a-0.5, a+0.5) * v.packKg / 1000
	}
	return tonnes
}

// TestBackcast holds the national retirements to the published record:
// at least what was recycled or utilised each year (MIIT 102 kt 2022,
// 225 kt 2023, > 400 kt 2025; SAMR > 300 kt 2024), 2023 between 400 and
// 620 kt (CABRCA 449 kt, China SAE > 580 kt), 2025 between 550 and
// 1,000 kt (CEESA expects 820 kt) and at least 1 Mt in 2030 (MIIT) from
// the recorded stock alone.
func TestBackcast(t *testing.T) {
	types, cells := vehicleTypes(t), stock(t)
	floor := map[int]float64{2022: 102e3, 2023: 225e3, 2024: 300e3, 2025: 400e3}
	got := map[int]float64{}
	for _, y := range []int{2022, 2023, 2024, 2025, 2030} {
		got[y] = retiredNational(cells, types, y)
		if f, ok := floor[y]; ok && got[y] < f {
			t.Errorf("%d: %.0f t retire, fewer than the %.0f t published as recycled or utilised", y, got[y], f)
		}
	}
	for _, c := range []struct {
		year     int
		min, max float64
	}{{2023, 400e3, 620e3}, {2025, 550e3, 1000e3}, {2030, 1e6, 4e6}} {
		if got[c.year] < c.min || got[c.year] > c.max {
			t.Errorf("%d: %.0f t retire, want %.0f-%.0f t", c.year, got[c.year], c.min, c.max)
		}
	}
	for y := 2022; y < 2025; y++ {
		if got[y+1] <= got[y] {
			t.Errorf("retirements fall from %d (%.0f t) to %d (%.0f t); the published series grows", y, got[y], y+1, got[y+1])
		}
	}
}

func TestPlacesAssignedToRegions(t *testing.T) {
	regions := map[string]string{}
	for _, c := range stock(t) {
		regions[c.region] = c.province
	}
	seen := map[string]bool{}
	used := map[string]bool{}
	prev := ""
	for i, r := range rows(t, Places) {
		id := r["place_id"]
		if seen[id] || id <= prev {
			t.Errorf("%s:%d: place_id %q duplicate or out of order", Places, i+2, id)
		}
		seen[id], prev = true, id
		prov, ok := regions[r["region_id"]]
		if !ok {
			t.Errorf("%s:%d: region_id %q not in %s", Places, i+2, r["region_id"], Stock)
		} else if prov != r["province"] {
			t.Errorf("%s:%d: place in %s assigned to region %s in %s", Places, i+2, r["province"], r["region_id"], prov)
		}
		used[r["region_id"]] = true
		if integer(t, Places, i, r, "population") < 0 {
			t.Errorf("%s:%d: negative population", Places, i+2)
		}
		if !inChina(num(t, Places, i, r, "lat"), num(t, Places, i, r, "lon")) {
			t.Errorf("%s:%d: outside China", Places, i+2)
		}
	}
	if len(seen) < 3000 {
		t.Errorf("%d places, want the deduplicated SimpleMaps+GeoNames set (> 3000)", len(seen))
	}
	for id := range regions {
		if !used[id] {
			t.Errorf("region %s has no place", id)
		}
	}
}

func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	a := math.Pow(math.Sin((lat2-lat1)*rad/2), 2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Pow(math.Sin((lon2-lon1)*rad/2), 2)
	return 2 * 6371.0088 * math.Asin(math.Sqrt(a))
}

func TestOutlets(t *testing.T) {
	type pt struct{ lat, lon float64 }
	seats := map[string]pt{}
	for i, r := range rows(t, Stock) {
		seats[r["region_id"]] = pt{num(t, Stock, i, r, "lat"), num(t, Stock, i, r, "lon")}
	}
	outs := rows(t, Outlets)
	if n := len(outs); n < 9500 || n > 10500 {
		t.Errorf("%d outlets, want 9,500-10,500 (10,235 registered in 2022)", n)
	}
	ids := map[string]bool{}
	var pts []pt
	central := 0
	idRE := regexp.MustCompile(`^O\d{5}$`)
	for i, r := range outs {
		if !idRE.MatchString(r["id"]) || ids[r["id"]] {
			t.Errorf("%s:%d: id %q malformed or duplicate", Outlets, i+2, r["id"])
		}
		ids[r["id"]] = true
		p := pt{num(t, Outlets, i, r, "lat"), num(t, Outlets, i, r, "lon")}
		if !inChina(p.lat, p.lon) {
			t.Errorf("%s:%d: (%v, %v) outside China", Outlets, i+2, p.lat, p.lon)
		}
		pts = append(pts, p)
		c := integer(t, Outlets, i, r, "capacity_kg")
		switch r["type"] {
		case "collection":
			if c != 5000 {
				t.Errorf("%s:%d: collection outlet capacity %d kg, want 5000", Outlets, i+2, c)
			}
		case "central":
			central++
			if c < 30000 || c > 60000 {
				t.Errorf("%s:%d: central outlet capacity %d kg, want 30000-60000", Outlets, i+2, c)
			}
		default:
			t.Errorf("%s:%d: type %q, want collection or central", Outlets, i+2, r["type"])
		}
		if !provinceCode.MatchString(r["province"]) {
			t.Errorf("%s:%d: province %q", Outlets, i+2, r["province"])
		}
	}
	if f := float64(central) / float64(len(outs)); f < 0.05 || f > 0.15 {
		t.Errorf("central outlets are %.1f%% of all, want about 1 in 10", 100*f)
	}
	// Every region (prefecture-level area) has an outlet at its seat, within
	// the largest jitter radius.
	for id, s := range seats {
		found := false
		for _, p := range pts {
			if math.Abs(p.lat-s.lat) < 0.3 && haversineKm(s.lat, s.lon, p.lat, p.lon) <= 25 {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("region %s: no outlet within 25 km of its seat", id)
		}
	}
}

// TestPlantsAndFleet: every placed white-list firm has a capacity that is
// cited (with its source) or assumed (with the reason), a weekly intake of
// its yearly capacity over 52 weeks, and together the plants hold the
// white-list firms' nominal capacity of 4,233 kt/yr (2024).
func TestPlantsAndFleet(t *testing.T) {
	plants := map[string]bool{}
	var total float64
	var cited int
	for i, r := range rows(t, Plants) {
		if plants[r["id"]] {
			t.Errorf("%s:%d: duplicate id %s", Plants, i+2, r["id"])
		}
		plants[r["id"]] = true
		if !inChina(num(t, Plants, i, r, "lat"), num(t, Plants, i, r, "lon")) {
			t.Errorf("%s:%d: outside China", Plants, i+2)
		}
		capT, week := num(t, Plants, i, r, "capacity_t_per_year"), integer(t, Plants, i, r, "intake_kg_per_week")
		if want := int64(math.Round(capT * 1000 / 52)); week != want {
			t.Errorf("%s:%d: intake %d kg/week, want capacity %.0f t/yr / 52 = %d", Plants, i+2, week, capT, want)
		}
		// The 2024 spec asks at least 5,000 t/yr of a recycling firm.
		if capT < 5000 {
			t.Errorf("%s:%d: capacity %.0f t/yr, want >= 5,000", Plants, i+2, capT)
		}
		switch r["capacity_basis"] {
		case "cited":
			cited++
			if !strings.Contains(r["source"], "http") {
				t.Errorf("%s:%d: cited capacity without a URL: %q", Plants, i+2, r["source"])
			}
		case "assumed":
			if !strings.HasPrefix(r["source"], "assumed: ") {
				t.Errorf("%s:%d: assumed capacity without its reason: %q", Plants, i+2, r["source"])
			}
		default:
			t.Errorf("%s:%d: capacity_basis %q, want cited or assumed", Plants, i+2, r["capacity_basis"])
		}
		total += capT
	}
	if len(plants) < 45 || len(plants) > 57 {
		t.Errorf("%d plants, want the named white-list firms with a known province (45-57)", len(plants))
	}
	if cited < 5 {
		t.Errorf("%d cited capacities, want the cited rows of the white list (>= 5)", cited)
	}
	if math.Abs(total-4233000) > float64(len(plants)) {
		t.Errorf("plants hold %.0f t/yr, want the white-list nominal 4,233,000 t/yr", total)
	}
	types := vehicleTypes(t)
	classes := map[string]int{}
	for i, r := range rows(t, Fleet) {
		if !plants[r["plant_id"]] {
			t.Errorf("%s:%d: plant_id %q not in %s", Fleet, i+2, r["plant_id"], Plants)
		}
		classes[r["plant_id"]]++
		kg, packs := num(t, Fleet, i, r, "capacity_kg"), num(t, Fleet, i, r, "capacity_packs")
		// The pack limit must let a full load of passenger BEV packs fit by mass.
		if packs < 1 || packs*types["passenger_bev"].packKg > kg {
			t.Errorf("%s:%d: %v packs of %.0f kg exceed %v kg", Fleet, i+2, packs, types["passenger_bev"].packKg, kg)
		}
		if s := num(t, Fleet, i, r, "speed_kmh"); s < 30 || s > 70 {
			t.Errorf("%s:%d: speed %v km/h", Fleet, i+2, s)
		}
		if integer(t, Fleet, i, r, "count") < 1 || num(t, Fleet, i, r, "cost_per_km") <= 0 || num(t, Fleet, i, r, "co2_g_per_km") <= 0 || num(t, Fleet, i, r, "shift_hours") <= 0 {
			t.Errorf("%s:%d: want positive count, cost, CO2 and shift: %v", Fleet, i+2, r)
		}
	}
	for id := range plants {
		if classes[id] != 2 {
			t.Errorf("plant %s has %d truck classes, want 2", id, classes[id])
		}
	}
}

// TestCosts: every figure is cited with a URL, assumed, or derived from the
// others, and the derived yearly costs are what their rows say.
func TestCosts(t *testing.T) {
	v := map[string]float64{}
	for i, r := range rows(t, Costs) {
		v[r["item"]] = num(t, Costs, i, r, "value")
		switch r["basis"] {
		case "cited":
			if !strings.HasPrefix(r["source"], "http") {
				t.Errorf("%s:%d: cited without a URL: %v", Costs, i+2, r)
			}
		case "assumed", "derived":
		default:
			t.Errorf("%s:%d: basis %q, want cited, assumed or derived", Costs, i+2, r["basis"])
		}
		if r["note"] == "" || r["unit"] == "" {
			t.Errorf("%s:%d: want a unit and a note: %v", Costs, i+2, r)
		}
	}
	r := v["discount_rate"]
	af := r / (1 - math.Pow(1+r, -v["equipment_life"]))
	if math.Abs(af-v["annuity_factor_equipment"]) > 1e-6 {
		t.Errorf("annuity factor %g, want %g", v["annuity_factor_equipment"], af)
	}
	yearly := func(kind string) float64 {
		return v[kind+"_area"]*v["warehouse_rent"]*12 + v[kind+"_staff"]*v["staff_wage"] + v[kind+"_equipment"]*af
	}
	if got, want := v["collection_outlet_yearly_cost"], yearly("collection_outlet"); math.Abs(got-want) > 0.5 {
		t.Errorf("collection outlet %g CNY/yr, want %g", got, want)
	}
	if got, want := v["central_storage_yearly_cost"], yearly("central_storage"); math.Abs(got-want) > 0.5 {
		t.Errorf("central storage %g CNY/yr, want %g", got, want)
	}
	if v["central_storage_yearly_cost"] <= v["collection_outlet_yearly_cost"] || v["plant_expansion_capex"] >= v["plant_new_capex"] {
		t.Errorf("want central storage dearer than a collection outlet and an expansion cheaper than a new plant: %v", v)
	}
	if v["linehaul_payload"] >= v["linehaul_gross_weight_limit"] || v["linehaul_payload"] <= 10000 {
		t.Errorf("line-haul payload %g kg, want more than the 10 t truck and less than the %g kg limit", v["linehaul_payload"], v["linehaul_gross_weight_limit"])
	}
}

// TestProvenance: every data file says what it is.
func TestProvenance(t *testing.T) {
	said := map[string]string{}
	for i, r := range rows(t, Provenance) {
		switch r["status"] {
		case "real", "derived", "mixed", "synthetic":
		default:
			t.Errorf("%s:%d: status %q", Provenance, i+2, r["status"])
		}
		said[r["file"]] = r["status"]
	}
	for _, n := range Names() {
		if n == Provenance || n == Attribution {
			continue
		}
		if said[n] == "" {
			t.Errorf("%s has no row in %s", n, Provenance)
		}
	}
	if said[Outlets] != "synthetic" || said[Fleet] != "synthetic" {
		t.Errorf("outlets %q, fleet %q: want both marked synthetic", said[Outlets], said[Fleet])
	}
}

func TestProvincesGeoJSON(t *testing.T) {
	b, err := fs.ReadFile(FS, Provinces)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 1500000 {
		t.Errorf("%s is %d bytes, want < 1.5 MB", Provinces, len(b))
	}
	var fc struct {
		Type     string
		Features []struct {
			Properties map[string]string
			Geometry   struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 31 {
		t.Fatalf("%s: %s with %d features, want a FeatureCollection of 31 provinces", Provinces, fc.Type, len(fc.Features))
	}
	for _, f := range fc.Features {
		iso := f.Properties["iso_3166_2"]
		if !provinceCode.MatchString(iso) || f.Properties["name"] == "" || f.Properties["name_zh"] == "" || len(f.Properties) != 3 {
			t.Errorf("feature properties %v, want exactly name, name_zh, iso_3166_2", f.Properties)
		}
		var polys [][][][]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				t.Fatal(err)
			}
			polys = [][][][]float64{p}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("%s: geometry %s", iso, f.Geometry.Type)
		}
		for _, p := range polys {
			for _, ring := range p {
				first, last := ring[0], ring[len(ring)-1]
				if len(ring) < 4 || first[0] != last[0] || first[1] != last[1] {
					t.Errorf("%s: ring of %d points not closed", iso, len(ring))
				}
				for _, c := range ring {
					if !inChina(c[1], c[0]) {
						t.Errorf("%s: vertex %v outside China", iso, c)
						break
					}
				}
			}
		}
	}
}

func TestSizesAndAttribution(t *testing.T) {
	var total int64
	for _, n := range Names() {
		st, err := fs.Stat(FS, n)
		if err != nil {
			t.Fatal(err)
		}
		if n != Provinces {
			total += st.Size()
		}
	}
	if total > 4<<20 {
		t.Errorf("embedded files other than %s total %d bytes, want < 4 MB", Provinces, total)
	}
	b, err := fs.ReadFile(FS, Attribution)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"World Cities Database by SimpleMaps.com (https://simplemaps.com/data/world-cities)",
		"GeoNames (https://www.geonames.org)", "CC BY 4.0", "Natural Earth", "public domain",
	} {
		if !bytes.Contains(b, []byte(s)) {
			t.Errorf("%s does not contain %q", Attribution, s)
		}
	}
}

func TestExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	paths, err := Export(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(Names()) {
		t.Fatalf("exported %d files, want %d", len(paths), len(Names()))
	}
	for _, n := range Names() {
		want, _ := fs.ReadFile(FS, n)
		got, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: exported copy differs from the embedded file (err %v)", n, err)
		}
	}
	// A second export without force writes nothing and says which files exist.
	stale := filepath.Join(dir, Stock)
	if err := os.WriteFile(stale, []byte("edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(dir, false); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Export into a populated directory: err %v, want fs.ErrExist", err)
	}
	if b, _ := os.ReadFile(stale); string(b) != "edited\n" {
		t.Error("Export without force overwrote an existing file")
	}
	if _, err := Export(dir, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(stale); len(b) < 1000 {
		t.Error("Export with force did not overwrite the existing file")
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if len(names) != len(Names()) {
		t.Errorf("directory holds %v, want only the exported files (no temporary leftovers)", names)
	}
}
