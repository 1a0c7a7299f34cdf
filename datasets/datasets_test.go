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
	"testing"
	"unicode/utf8"
)

// headers are the exact header rows of the embedded CSV files.
var headers = map[string]string{
	Stock:        "region_id,name,province,lat,lon,model_year,vehicle_type,vehicles",
	VehicleTypes: "vehicle_type,pack_kg,weibull_shape,weibull_scale_years,chemistry,source",
	Places:       "place_id,name,province,lat,lon,population,region_id,source",
	Outlets:      "id,name,lat,lon,province,type,capacity_kg",
	Plants:       "id,name,lat,lon,province,intake_kg_per_week",
	Fleet:        "plant_id,vehicle_type,count,capacity_kg,capacity_packs,speed_kmh,shift_hours,cost_per_km,co2_g_per_km",
}

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

type vtype struct{ packKg, shape, scale float64 }

func weibull(x float64, v vtype) float64 {
	if x <= 0 {
		return 0
	}
	return 1 - math.Exp(-math.Pow(x/v.scale, v.shape))
}

func vehicleTypes(t *testing.T) map[string]vtype {
	out := map[string]vtype{}
	for i, r := range rows(t, VehicleTypes) {
		v := vtype{num(t, VehicleTypes, i, r, "pack_kg"), num(t, VehicleTypes, i, r, "weibull_shape"), num(t, VehicleTypes, i, r, "weibull_scale_years")}
		if v.packKg <= 0 || v.shape <= 0 || v.scale <= 0 || r["source"] == "" {
			t.Errorf("%s:%d: %v: want positive parameters and a source", VehicleTypes, i+2, r)
		}
		out[r["vehicle_type"]] = v
	}
	for _, n := range []string{"passenger_bev", "passenger_phev", "bus", "commercial"} {
		if _, ok := out[n]; !ok {
			t.Errorf("%s: no row for %s", VehicleTypes, n)
		}
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
	var pre int64
	for y := 2011; y < 2017; y++ {
		if byYear[y] <= 0 || (y > 2011 && byYear[y] <= byYear[y-1]) {
			t.Errorf("model year %d: %d vehicles, want a positive, growing pre-2017 remainder", y, byYear[y])
		}
		pre += byYear[y]
	}
	// The remainder is calibrated on the 2020/2021 stock; before retirements it
	// must exceed the bare difference stock - registrations (about 0.8 M).
	if pre < 800000 || pre > 1500000 {
		t.Errorf("pre-2017 remainder %d vehicles, want 0.8-1.5 M", pre)
	}
}

// stockAt is cumulative registrations minus Weibull retirements at the
// decimal date (2025.0 = 2024-12-31), registrations at mid-year.
func stockAt(cells []cell, types map[string]vtype, date float64, keep func(cell) bool) float64 {
	var s float64
	for _, c := range cells {
		if !keep(c) {
			continue
		}
		y := float64(c.year)
		switch {
		case y+1 <= date:
			s += float64(c.vehicles) * (1 - weibull(date-y-0.5, types[c.vtype]))
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
	// The national modelled stock stays near the official 31.4 M.
	if all < 29e6 || all > 33e6 {
		t.Errorf("national stock 2024-12-31 %.0f, want within 29-33 M (official 31.4 M)", all)
	}
}

// TestRetirement2030InPublishedRange applies the planner's forecast formula
// to the whole stock: at least Wu et al. 2020's 708 kt and near MIIT's > 1 Mt.
func TestRetirement2030InPublishedRange(t *testing.T) {
	types, cells := vehicleTypes(t), stock(t)
	var tonnes float64
	for _, c := range cells {
		v := types[c.vtype]
		a := float64(2030 - c.year)
		tonnes += float64(c.vehicles) * (weibull(a+0.5, v) - weibull(a-0.5, v)) * v.packKg / 1000
	}
	if tonnes < 0.8e6 || tonnes > 1.4e6 {
		t.Errorf("national 2030 retirement %.0f t, want 0.8-1.4 Mt", tonnes)
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

func TestPlantsAndFleet(t *testing.T) {
	plants := map[string]bool{}
	for i, r := range rows(t, Plants) {
		if plants[r["id"]] {
			t.Errorf("%s:%d: duplicate id %s", Plants, i+2, r["id"])
		}
		plants[r["id"]] = true
		if !inChina(num(t, Plants, i, r, "lat"), num(t, Plants, i, r, "lon")) {
			t.Errorf("%s:%d: outside China", Plants, i+2)
		}
		// The 2024 spec's 5,000 t/yr minimum is ~96 t/week; intake is 1-6 times it.
		if w := integer(t, Plants, i, r, "intake_kg_per_week"); w < 96000 || w > 6*97000 {
			t.Errorf("%s:%d: intake %d kg/week, want 96-582 t", Plants, i+2, w)
		}
	}
	if len(plants) < 40 || len(plants) > 51 {
		t.Errorf("%d plants, want the partial white list (<= 51 firms)", len(plants))
	}
	types := vehicleTypes(t)
	hasFleet := map[string]bool{}
	for i, r := range rows(t, Fleet) {
		if !plants[r["plant_id"]] {
			t.Errorf("%s:%d: plant_id %q not in %s", Fleet, i+2, r["plant_id"], Plants)
		}
		hasFleet[r["plant_id"]] = true
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
		if !hasFleet[id] {
			t.Errorf("plant %s has no fleet", id)
		}
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
