package domain

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/internal/csvin"
)

// StockRow is the number of vehicles of one type and model year registered
// in one region (city). The forecast retires them with a Weibull lifetime.
type StockRow struct {
	RegionID    string
	Name        string
	Province    string // ISO 3166-2, e.g. CN-GD
	Point       orb.Point
	ModelYear   int
	VehicleType string
	Vehicles    float64
}

// Vehicle uses: how a class is driven decides how fast its packs wear out.
const (
	UsePrivate   = "private"   // private cars
	UseOperating = "operating" // taxis, ride-hailing, buses, logistics: high daily mileage
)

// VehicleType carries the pack mass and lifetime of one vehicle class.
type VehicleType struct {
	Name      string
	PackKg    float64
	Life      Lifetime
	Chemistry string
	// Use is UsePrivate, UseOperating or "" (not stated).
	Use string
}

// Place is a town or city used to spread a region's retirements over the
// grid in proportion to population.
type Place struct {
	ID         string
	Name       string
	Province   string
	Point      orb.Point
	Population float64
	RegionID   string
}

// Outlet types (MIIT 2019 guide): a collection outlet stores at most 5 t, a
// centralized storage outlet 30 t or more.
const (
	OutletCollection = "collection"
	OutletCentral    = "central"
	// CollectionMaxKg and CentralMinKg are the guide's storage limits of
	// the two types.
	CollectionMaxKg = 5000
	CentralMinKg    = 30000
)

// Outlet is a collection point where retired packs are handed in.
type Outlet struct {
	ID         string
	Name       string
	Point      orb.Point
	Province   string
	Type       string
	CapacityKg float64
}

// Plant is a licensed dismantling and recycling plant: a depot for trucks.
type Plant struct {
	ID              string
	Name            string
	Point           orb.Point
	Province        string
	IntakeKgPerWeek float64
	// CapacityTPerYear is the plant's yearly processing capacity when the
	// plants file states it (0 otherwise); the weekly intake is the limit
	// the plan uses. CapacityBasis says whether the capacity is cited
	// (CapacityCited) or assumed (CapacityAssumed); Source names the
	// citation or the assumption.
	CapacityTPerYear float64
	CapacityBasis    string
	Source           string
}

// Capacity bases of a plant row.
const (
	CapacityCited   = "cited"
	CapacityAssumed = "assumed"
)

// FleetRow is a group of identical dedicated vehicles (UN3480 class 9) of a
// plant.
type FleetRow struct {
	PlantID       string
	VehicleType   string
	Count         int
	CapacityKg    float64
	CapacityPacks int
	SpeedKmh      float64
	ShiftHours    float64
	CostPerKm     float64
	CO2GPerKm     float64
	// CO2GPerKmEmpty and CO2GPerKmFull, when given (both or neither), are the
	// truck's CO2e per km unladen and at full payload; the carbon account
	// interpolates between them by the load on each leg (the linear load
	// model of GB/T 4352-2022). Zero: not given, CO2GPerKm applies to every km.
	CO2GPerKmEmpty, CO2GPerKmFull float64
}

// Inputs are the loaded and cross-checked input tables.
type Inputs struct {
	Stock        []StockRow
	VehicleTypes map[string]VehicleType
	Places       []Place
	Outlets      []Outlet
	Plants       []Plant
	Fleet        []FleetRow
	// ProvincesGeoJSON is the raw boundary file for maps.
	ProvincesGeoJSON []byte
	// Sources says where each input came from and, for the default
	// dataset's files, whether they are real, derived, mixed or synthetic.
	Sources []InputSource
	// Findings are rows that are legal but suspicious (CheckPlacement),
	// found when the inputs were loaded.
	Findings []Finding
}

// InputPaths names the input files; an empty path means the embedded default.
type InputPaths struct {
	Stock, VehicleTypes, Places, Outlets, Plants, Fleet, Provinces string
}

// openFunc opens a named input; tests and the embedded dataset replace it.
type openFunc func(path string) (io.ReadCloser, error)

func osOpen(path string) (io.ReadCloser, error) { return os.Open(path) }

// readTable opens a table and feeds each record to row; warnings go to warn.
func readTable(open openFunc, path string, cols []csvin.Column, warn func(string), row func(r *csvin.Reader) error) error {
	f, err := open(path)
	if err != nil {
		return &csvin.Error{File: path, Msg: fmt.Sprintf("cannot open: %v", underlying(err))}
	}
	defer f.Close()
	r, err := csvin.NewReader(path, f, cols)
	if err != nil {
		return err
	}
	for _, w := range r.Warnings() {
		warn(w)
	}
	for {
		ok, err := r.Next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if err := row(r); err != nil {
			return err
		}
		if err := r.Err(); err != nil {
			return err
		}
	}
}

func underlying(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// uniqueID records id at the reader's row and fails on a repeat.
func uniqueID(r *csvin.Reader, col, id string, seen map[string]int) {
	if id == "" {
		return
	}
	if prev, dup := seen[id]; dup {
		r.Failf(col, "duplicate id %q (first on line %d)", id, prev)
		return
	}
	seen[id] = r.Line()
}

func provinceCode(r *csvin.Reader, col string) string {
	p := r.String(col, true)
	if p != "" && !isProvinceCode(p) {
		r.Fail(col, fmt.Sprintf("%q", p), "an ISO 3166-2 province code such as CN-GD")
	}
	return p
}

func isProvinceCode(s string) bool {
	return len(s) == 5 && strings.HasPrefix(s, "CN-") && s[3] >= 'A' && s[3] <= 'Z' && s[4] >= 'A' && s[4] <= 'Z'
}

func readStock(open openFunc, path string, vtypes map[string]VehicleType, warn func(string)) ([]StockRow, error) {
	typeNames := make([]string, 0, len(vtypes))
	for n := range vtypes {
		typeNames = append(typeNames, n)
	}
	sort.Strings(typeNames)
	cols := csvin.Cols("region_id,name?,province,lat,lon,model_year,vehicle_type,vehicles")
	var out []StockRow
	type key struct {
		region, vtype string
		year          int
	}
	seen := map[key]int{}
	type regionAt struct {
		province string
		point    orb.Point
		line     int
	}
	regions := map[string]regionAt{}
	err := readTable(open, path, cols, warn, func(r *csvin.Reader) error {
		var s StockRow
		s.RegionID = r.String("region_id", true)
		s.Name = r.String("name", false)
		s.Province = provinceCode(r, "province")
		lat, lon := r.LatLon("lat", "lon")
		s.Point = orb.Point{lon, lat}
		s.ModelYear = int(r.Int("model_year", true, 0, 1990, 2100, "the model (registration) year"))
		s.VehicleType = r.String("vehicle_type", true)
		if _, ok := vtypes[s.VehicleType]; !ok && s.VehicleType != "" {
			r.Fail("vehicle_type", fmt.Sprintf("%q", s.VehicleType), "a vehicle type of the vehicle-types file: "+strings.Join(typeNames, ", "))
		}
		s.Vehicles = r.AtMost("vehicles", r.NonNegative("vehicles", true, 0, "vehicles registered in that model year"),
			MaxVehicles, "vehicles in one row (more than twice China's whole NEV stock)")
		if prev, ok := regions[s.RegionID]; ok && r.Err() == nil {
			if prev.province != s.Province {
				r.Fail("province", fmt.Sprintf("%q for region %s", s.Province, s.RegionID), fmt.Sprintf("%s as on line %d: a region lies in one province", prev.province, prev.line))
			} else if prev.point != s.Point {
				r.Failf("lat", "region %s is at %g,%g here but at %g,%g on line %d: a region has one seat", s.RegionID,
					s.Point[1], s.Point[0], prev.point[1], prev.point[0], prev.line)
			}
		} else if r.Err() == nil {
			regions[s.RegionID] = regionAt{s.Province, s.Point, r.Line()}
		}
		k := key{s.RegionID, s.VehicleType, s.ModelYear}
		if prev, dup := seen[k]; dup && r.Err() == nil {
			r.Failf("region_id", "region %q, model year %d, type %q appears twice (first on line %d)", s.RegionID, s.ModelYear, s.VehicleType, prev)
		}
		seen[k] = r.Line()
		out = append(out, s)
		return nil
	})
	return out, err
}

func readVehicleTypes(open openFunc, path string, warn func(string)) (map[string]VehicleType, error) {
	cols := csvin.Cols("vehicle_type,pack_kg,weibull_shape,weibull_scale_years,chemistry?,source?,use?,vehicle_life_shape?,vehicle_life_scale_years?,replacement_share?")
	out := map[string]VehicleType{}
	seen := map[string]int{}
	err := readTable(open, path, cols, warn, func(r *csvin.Reader) error {
		var v VehicleType
		v.Name = r.String("vehicle_type", true)
		uniqueID(r, "vehicle_type", v.Name, seen)
		v.PackKg = r.AtMost("pack_kg", r.Positive("pack_kg", true, 0, "pack mass in kg"), MaxPayloadKg, "kg (no road vehicle carries more)")
		v.Life.Pack.Shape = r.Positive("weibull_shape", true, 0, "Weibull shape of the pack life (about 3.5)")
		weibullBounds(r, "weibull_shape", "weibull_scale_years", v.Life.Pack.Shape, 0)
		v.Life.Pack.Scale = r.Positive("weibull_scale_years", true, 0, "Weibull scale of the pack life in years")
		weibullBounds(r, "weibull_shape", "weibull_scale_years", 0, v.Life.Pack.Scale)
		v.Chemistry = r.String("chemistry", false)
		v.Use = r.OneOf("use", false, UsePrivate, UseOperating)
		readVehicleLife(r, &v.Life)
		out[v.Name] = v
		return nil
	})
	return out, err
}

// readVehicleLife reads the optional vehicle life and replacement share of
// a vehicle-types row. The vehicle life is given whole (shape and scale) or
// not at all; a replacement share needs a vehicle life, since a pack is
// replaced only when it wears out before its vehicle is scrapped.
// weibullBounds checks a lifetime's shape or scale (whichever is > 0; an
// absent optional field reads as 0 and is not checked) against the bounds
// of limits.go.
func weibullBounds(r *csvin.Reader, shapeCol, scaleCol string, shape, scale float64) {
	if shape > 0 {
		r.AtMost(shapeCol, r.AtLeast(shapeCol, shape, MinWeibullShape, "(published models use about 3.5)"), MaxWeibullShape, "(published models use about 3.5)")
	}
	if scale > 0 {
		r.AtMost(scaleCol, r.AtLeast(scaleCol, scale, MinWeibullScaleYears, "years (published models use 8 to 12.5)"), MaxWeibullScaleYears, "years (published models use 8 to 12.5)")
	}
}

func readVehicleLife(r *csvin.Reader, l *Lifetime) {
	shape := r.Positive("vehicle_life_shape", false, 0, "Weibull shape of the vehicle life")
	weibullBounds(r, "vehicle_life_shape", "vehicle_life_scale_years", shape, 0)
	scale := r.Positive("vehicle_life_scale_years", false, 0, "Weibull scale of the vehicle life in years")
	weibullBounds(r, "vehicle_life_shape", "vehicle_life_scale_years", 0, scale)
	repl := r.NonNegative("replacement_share", false, 0, "share of vehicles given a second pack, 0 to 1")
	if r.Err() != nil {
		return
	}
	switch {
	case shape > 0 && scale == 0:
		r.Fail("vehicle_life_scale_years", "an empty field", "the vehicle life's scale in years, since vehicle_life_shape is given")
	case scale > 0 && shape == 0:
		r.Fail("vehicle_life_shape", "an empty field", "the vehicle life's shape, since vehicle_life_scale_years is given")
	case repl > 1:
		r.Fail("replacement_share", fmt.Sprintf("%q", r.String("replacement_share", false)), "a share from 0 to 1")
	case repl > 0 && shape == 0:
		r.Fail("replacement_share", fmt.Sprintf("%q", r.String("replacement_share", false)),
			"empty or 0 unless vehicle_life_shape and vehicle_life_scale_years are given: a pack is replaced only when it wears out before its vehicle is scrapped")
	}
	l.Vehicle = Weibull{Shape: shape, Scale: scale}
	l.Replacement = repl
}

func readPlaces(open openFunc, path string, regions map[string]bool, warn func(string)) ([]Place, error) {
	cols := csvin.Cols("place_id,name?,province,lat,lon,population,region_id,source?")
	var out []Place
	seen := map[string]int{}
	err := readTable(open, path, cols, warn, func(r *csvin.Reader) error {
		var p Place
		p.ID = r.String("place_id", true)
		uniqueID(r, "place_id", p.ID, seen)
		p.Name = r.String("name", false)
		p.Province = provinceCode(r, "province")
		lat, lon := r.LatLon("lat", "lon")
		p.Point = orb.Point{lon, lat}
		p.Population = r.AtMost("population", r.NonNegative("population", true, 0, "inhabitants"), MaxPopulation, "inhabitants (more than China)")
		p.RegionID = r.String("region_id", true)
		if p.RegionID != "" && !regions[p.RegionID] {
			r.Fail("region_id", fmt.Sprintf("%q", p.RegionID), "a region_id of the stock file")
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// OutletColumns are the columns of outlets.csv (and of candidate files).
var outletColumns = csvin.Cols("id,name?,lat,lon,province,type,capacity_kg")

func readOutlets(open openFunc, path string, warn func(string)) ([]Outlet, error) {
	var out []Outlet
	seen := map[string]int{}
	err := readTable(open, path, outletColumns, warn, func(r *csvin.Reader) error {
		var o Outlet
		o.ID = r.String("id", true)
		uniqueID(r, "id", o.ID, seen)
		o.Name = r.String("name", false)
		lat, lon := r.LatLon("lat", "lon")
		o.Point = orb.Point{lon, lat}
		o.Province = provinceCode(r, "province")
		o.Type = r.OneOf("type", true, OutletCollection, OutletCentral)
		o.CapacityKg = r.Positive("capacity_kg", true, 0, "storage limit in kg")
		r.AtLeast("capacity_kg", o.CapacityKg, MinOutletCapacityKg, "kg (one pack weighs 100 kg or more)")
		r.AtMost("capacity_kg", o.CapacityKg, MaxOutletCapacityKg, "kg (10,000 t)")
		if r.Err() == nil && o.Type == OutletCollection && o.CapacityKg > CollectionMaxKg {
			r.Fail("capacity_kg", fmt.Sprintf("%g", o.CapacityKg), "at most 5000 kg for a collection outlet (MIIT 2019 guide); use type central for larger stores")
		}
		out = append(out, o)
		return nil
	})
	return out, err
}

func readPlants(open openFunc, path string, warn func(string)) ([]Plant, error) {
	cols := csvin.Cols("id,name?,lat,lon,province,intake_kg_per_week,capacity_t_per_year?,capacity_basis?,source?")
	var out []Plant
	seen := map[string]int{}
	err := readTable(open, path, cols, warn, func(r *csvin.Reader) error {
		var p Plant
		p.ID = r.String("id", true)
		uniqueID(r, "id", p.ID, seen)
		p.Name = r.String("name", false)
		lat, lon := r.LatLon("lat", "lon")
		p.Point = orb.Point{lon, lat}
		p.Province = provinceCode(r, "province")
		p.IntakeKgPerWeek = r.AtMost("intake_kg_per_week", r.Positive("intake_kg_per_week", true, 0, "weekly intake limit in kg"),
			MaxIntakeKgPerWeek, "kg a week (more than China retires in a year)")
		p.CapacityTPerYear = r.AtMost("capacity_t_per_year", r.Positive("capacity_t_per_year", false, 0, "yearly processing capacity in tonnes"),
			MaxIntakeKgPerWeek/1000*52, "t a year (52 weeks of the largest intake)")
		p.CapacityBasis = r.OneOf("capacity_basis", false, CapacityCited, CapacityAssumed)
		p.Source = r.String("source", false)
		if r.Err() == nil && p.CapacityBasis != "" && p.CapacityTPerYear == 0 {
			r.Fail("capacity_basis", fmt.Sprintf("%q", p.CapacityBasis), "empty unless capacity_t_per_year is given: the basis is that of the capacity")
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

func readFleet(open openFunc, path string, plants []Plant, warn func(string)) ([]FleetRow, error) {
	cols := csvin.Cols("plant_id,vehicle_type,count,capacity_kg,capacity_packs,speed_kmh,shift_hours,cost_per_km,co2_g_per_km,co2_g_per_km_empty?,co2_g_per_km_full?")
	known := map[string]bool{}
	for _, p := range plants {
		known[p.ID] = true
	}
	var out []FleetRow
	seen := map[string]int{}
	err := readTable(open, path, cols, warn, func(r *csvin.Reader) error {
		var f FleetRow
		f.PlantID = r.String("plant_id", true)
		if f.PlantID != "" && !known[f.PlantID] {
			r.Fail("plant_id", fmt.Sprintf("%q", f.PlantID), "the id of a plant in the plants file")
		}
		f.VehicleType = r.String("vehicle_type", true)
		uniqueID(r, "vehicle_type", f.PlantID+"/"+f.VehicleType, seen)
		f.Count = int(r.Int("count", true, 0, 0, 10000, "vehicles of this type at the plant"))
		f.CapacityKg = r.AtMost("capacity_kg", r.Positive("capacity_kg", true, 0, "payload in kg"), MaxPayloadKg, "kg (GB 1589: no road vehicle carries more)")
		f.CapacityPacks = int(r.Int("capacity_packs", true, 0, 1, 100000, "packs per load"))
		f.SpeedKmh = r.Positive("speed_kmh", true, 0, "mean road speed in km/h")
		r.AtMost("speed_kmh", r.AtLeast("speed_kmh", f.SpeedKmh, MinSpeedKmh, "km/h"), MaxSpeedKmh, "km/h (the expressway limit)")
		f.ShiftHours = r.Positive("shift_hours", true, 0, "shift length in hours")
		if r.Err() == nil && f.ShiftHours > 24 {
			r.Fail("shift_hours", fmt.Sprintf("%g", f.ShiftHours), "at most 24 hours")
		}
		f.CostPerKm = r.AtMost("cost_per_km", r.NonNegative("cost_per_km", true, 0, "cost per km (CNY)"), MaxCostPerKm, "CNY per km")
		f.CO2GPerKm = r.AtMost("co2_g_per_km", r.NonNegative("co2_g_per_km", true, 0, "CO2 in g per km"), MaxCO2GPerKm, "g per km")
		f.CO2GPerKmEmpty = r.AtMost("co2_g_per_km_empty", r.Positive("co2_g_per_km_empty", false, 0, "CO2e in g per km unladen"), MaxCO2GPerKm, "g per km")
		f.CO2GPerKmFull = r.AtMost("co2_g_per_km_full", r.Positive("co2_g_per_km_full", false, 0, "CO2e in g per km at full payload"), MaxCO2GPerKm, "g per km")
		if r.Err() == nil && (f.CO2GPerKmEmpty == 0) != (f.CO2GPerKmFull == 0) {
			r.Failf("co2_g_per_km_empty", "give both co2_g_per_km_empty and co2_g_per_km_full, or neither")
		} else if r.Err() == nil && f.CO2GPerKmEmpty > f.CO2GPerKmFull {
			r.Fail("co2_g_per_km_empty", fmt.Sprintf("%g above co2_g_per_km_full %g", f.CO2GPerKmEmpty, f.CO2GPerKmFull), "at most the full-payload figure")
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

// ReadCandidates reads candidate sites in the outlets.csv format.
func ReadCandidates(path string, warn func(string)) ([]Outlet, error) {
	return readOutlets(osOpen, path, warn)
}

// RoadMatrix holds user-supplied road distances and travel times between
// plants and outlets, by id. Pairs it lacks fall back to the great-circle
// estimate (haversine x detour at the truck's speed).
type RoadMatrix struct {
	m geo.MemoryMatrix
	// minutes reports whether the file gave travel times.
	minutes bool
	file    string
}

// File returns the path the matrix was read from.
func (r *RoadMatrix) File() string { return r.file }

// Leg returns the road km and minutes from one id to another, ok=false when
// the file does not list the pair (or, for minutes, gave no times).
func (r *RoadMatrix) Leg(from, to string) (km, minutes float64, hasKm, hasMinutes bool) {
	d, h, err := r.m.Leg(from, to)
	if err != nil {
		return 0, 0, false, false
	}
	return float64(d), float64(h) * 60, true, r.minutes
}

// Len returns the number of legs in the file.
func (r *RoadMatrix) Len() int { return r.m.Len() }

// NewRoadMatrix returns an empty matrix to fill with Set, computed from
// file (a road graph, for instance, which File then names); withMinutes
// says whether its legs carry travel times. A leg set one way also serves
// the other way unless that is set too.
func NewRoadMatrix(file string, withMinutes bool) *RoadMatrix {
	return &RoadMatrix{m: geo.MemoryMatrix{Symmetric: true}, minutes: withMinutes, file: file}
}

// Set records the road km and minutes from one id to another (minutes are
// ignored by a matrix made without them). It is not safe for concurrent use.
func (r *RoadMatrix) Set(from, to string, km, minutes float64) error {
	return r.m.Set(from, to, geo.Kilometers(km), geo.Hours(minutes/60))
}

// PlaceIDs returns the ids of every plant and outlet, for ReadRoadMatrix.
func (in *Inputs) PlaceIDs() map[string]bool {
	known := map[string]bool{}
	for _, p := range in.Plants {
		known[p.ID] = true
	}
	for _, o := range in.Outlets {
		known[o.ID] = true
	}
	return known
}

// ReadRoadMatrix reads a CSV with columns from_id,to_id,km[,minutes]. A pair
// listed once serves both directions; listing both directions gives an
// asymmetric matrix. Ids are plant and outlet ids; when known is not nil an
// id outside it is an error (a leg that could never be used is a typo).
func ReadRoadMatrix(path string, known map[string]bool, warn func(string)) (*RoadMatrix, error) {
	rm := &RoadMatrix{m: geo.MemoryMatrix{Symmetric: true}, file: path}
	seen := map[[2]string]int{}
	first := true
	err := readTable(osOpen, path, csvin.Cols("from_id,to_id,km,minutes?"), warn, func(r *csvin.Reader) error {
		if first {
			rm.minutes, first = r.Has("minutes"), false
		}
		from, to := r.String("from_id", true), r.String("to_id", true)
		for _, c := range []struct{ col, id string }{{"from_id", from}, {"to_id", to}} {
			if known != nil && c.id != "" && !known[c.id] {
				r.Fail(c.col, fmt.Sprintf("%q", c.id), "the id of a plant or an outlet of the inputs")
			}
		}
		km := r.AtMost("km", r.NonNegative("km", true, 0, "road distance in km"), MaxRoadKm, "km (half the earth's circumference)")
		min := r.AtMost("minutes", r.NonNegative("minutes", rm.minutes, 0, "travel time in minutes"), MaxRoadMinutes, "minutes (two weeks)")
		if r.Err() != nil {
			return nil
		}
		k := [2]string{from, to}
		if prev, dup := seen[k]; dup {
			r.Failf("from_id", "the pair %s -> %s appears twice (first on line %d)", from, to, prev)
			return nil
		}
		seen[k] = r.Line()
		if err := rm.m.Set(from, to, geo.Kilometers(km), geo.Hours(min/60)); err != nil {
			r.Failf("km", "%v", err)
		}
		return nil
	})
	return rm, err
}
