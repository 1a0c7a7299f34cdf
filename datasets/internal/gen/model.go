package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// First and last model year of the stock. 2011-2016 hold the pre-2017
// remainder; 2017-2025 are official new registrations.
const (
	firstYear = 2011
	lastYear  = 2025
	nYears    = lastYear - firstYear + 1
)

// vtype is one vehicle class with its pack mass and Weibull lifetime.
type vtype struct {
	name          string
	packKg        float64
	shape, scale  float64
	chemistry     string
	source        string
	shareAssumed  []anchor // share of NEV registrations (bus, commercial); nil for passenger types
	passengerBEV  bool
	passengerPHEV bool
}

// anchor is a (year, value) point of a piecewise-linear assumption.
type anchor struct {
	year  int
	value float64
}

// interp evaluates a piecewise-linear curve through the anchors, flat
// outside them.
func interp(as []anchor, year int) float64 {
	if year <= as[0].year {
		return as[0].value
	}
	for i := 1; i < len(as); i++ {
		if year <= as[i].year {
			a, b := as[i-1], as[i]
			t := float64(year-a.year) / float64(b.year-a.year)
			return a.value + t*(b.value-a.value)
		}
	}
	return as[len(as)-1].value
}

// Bus and commercial (logistics van / truck) shares of NEV registrations are
// assumptions: the shared official figures give only BEV vs PHEV. They follow
// the order of magnitude of industry sales statistics (buses about a fifth of
// early NEV sales, a few per mille today). Both classes are counted as BEV.
var (
	busShare        = []anchor{{2011, 0.20}, {2016, 0.20}, {2017, 0.11}, {2019, 0.06}, {2021, 0.02}, {2023, 0.01}, {2025, 0.005}}
	commercialShare = []anchor{{2011, 0.10}, {2016, 0.10}, {2017, 0.15}, {2019, 0.08}, {2021, 0.05}, {2025, 0.04}}
)

// vehicleTypes builds the four classes from cited rows of
// model_parameters_reference.csv; bus and commercial pack masses are
// documented assumptions (the reference file has no row for them).
func vehicleTypes(ps []param) ([]vtype, error) {
	shape, _, err := lookupParam(ps, "weibull_shape", "battery life")
	if err != nil {
		return nil, err
	}
	_, bevPackRow, err := lookupParam(ps, "pack_mass", "BCEV_LFP")
	if err != nil {
		return nil, err
	}
	if !strings.Contains(bevPackRow.source, "PHEV 227-357 kg") {
		return nil, fmt.Errorf("model_parameters_reference.csv: pack_mass BCEV_LFP row no longer notes \"PHEV 227-357 kg\" (found %q)", bevPackRow.source)
	}
	bevPack, _, err := lookupParam(ps, "pack_mass", "Nissan Leaf")
	if err != nil {
		return nil, err
	}
	bevScale, _, err := lookupParam(ps, "weibull_scale", "BEV NCM622")
	if err != nil {
		return nil, err
	}
	phevScale, _, err := lookupParam(ps, "weibull_scale", "PHEV LFP")
	if err != nil {
		return nil, err
	}
	genScale, _, err := lookupParam(ps, "weibull_scale", "generic")
	if err != nil {
		return nil, err
	}
	return []vtype{
		{name: "bus", packKg: 2000, shape: shape, scale: genScale, chemistry: "LFP", shareAssumed: busShare,
			source: "assumption: 12 m city bus ~250 kWh LFP pack ~2 t (reference has no bus row; Jiangsu fleet average 0.67 t/vehicle row used as a check); weibull_shape 3.5 + weibull_scale 8.89 (generic: mean life 8 y)"},
		{name: "commercial", packKg: 600, shape: shape, scale: genScale, chemistry: "LFP", shareAssumed: commercialShare,
			source: "assumption: logistics vans and light trucks ~80 kWh LFP ~0.6 t; weibull_shape 3.5 + weibull_scale 8.89 (generic: mean life 8 y)"},
		{name: "passenger_bev", packKg: bevPack, shape: shape, scale: bevScale, chemistry: "LFP/NCM", passengerBEV: true,
			source: "pack_mass 303 kg (Nissan Leaf ~40 kWh; within passenger range 100-550 kg); weibull_shape 3.5; weibull_scale 10.0 (BEV NCM622; middle of the 9.0 LFP - 10.5 NCM811 presets)"},
		{name: "passenger_phev", packKg: 227, shape: shape, scale: phevScale, chemistry: "LFP", passengerPHEV: true,
			source: "pack_mass row BCEV_LFP note: PHEV 227-357 kg (lower end); weibull_shape 3.5; weibull_scale 10.5 (PHEV LFP)"},
	}, nil
}

// bevPoint is an official (NEV stock, BEV stock) pair at a date, in vehicles.
type bevPoint struct {
	asOf     string
	months   int // months since 2020-12-31
	nev, bev float64
	bevText  string // how the note of the row states the BEV stock (checked)
}

// bevShares returns the BEV share of each model year's registrations. The
// official figures give BEV stock at several dates; the share of each
// interval's stock increase is BEV/NEV growth over that interval, and a
// year's share is the time-weighted mean of the intervals it overlaps.
// Years up to 2020 get the BEV share of the 2020 stock (no earlier figure).
func bevShares(fs facts) ([]float64, error) {
	pts := []bevPoint{
		{asOf: "2020-12-31", months: 0, bevText: "BEV ~4.00M", bev: 4.00e6},
		{asOf: "2021-12-31", months: 12, bevText: "BEV 6.40M", bev: 6.40e6},
		{asOf: "2022-12-31", months: 24, bevText: "BEV 10.45M", bev: 10.45e6},
		{asOf: "2023-09-30", months: 33, bevText: "BEV 14.01M", bev: 14.01e6},
		{asOf: "2024-06-30", months: 42, bevText: "BEV 18.13M", bev: 18.13e6},
		{asOf: "2024-12-31", months: 48},
		{asOf: "2025-12-31", months: 60},
	}
	for i := range pts {
		f, err := fs.find("nev_stock", "CN", pts[i].asOf)
		if err != nil {
			return nil, err
		}
		pts[i].nev = f.value
		if pts[i].bevText != "" {
			if !strings.Contains(f.note, pts[i].bevText) {
				return nil, fmt.Errorf("china_official_figures.csv: nev_stock CN %s: note %q does not state %q", pts[i].asOf, f.note, pts[i].bevText)
			}
			continue
		}
		b, err := fs.find("bev_stock", "CN", pts[i].asOf)
		if err != nil {
			return nil, err
		}
		pts[i].bev = b.value
	}
	out := make([]float64, nYears)
	for y := firstYear; y <= 2020; y++ {
		out[y-firstYear] = pts[0].bev / pts[0].nev
	}
	for y := 2021; y <= lastYear; y++ {
		m0, m1 := (y-2021)*12, (y-2020)*12
		var acc float64
		for i := 1; i < len(pts); i++ {
			lo, hi := max(m0, pts[i-1].months), min(m1, pts[i].months)
			if hi > lo {
				acc += float64(hi-lo) * (pts[i].bev - pts[i-1].bev) / (pts[i].nev - pts[i-1].nev)
			}
		}
		out[y-firstYear] = acc / 12
	}
	return out, nil
}

// typeShares returns, per model year, the share of each vehicle type.
func typeShares(types []vtype, bev []float64) ([][]float64, error) {
	out := make([][]float64, nYears)
	for yi := range out {
		y := firstYear + yi
		out[yi] = make([]float64, len(types))
		other := 0.0
		for ti, t := range types {
			if t.shareAssumed != nil {
				out[yi][ti] = interp(t.shareAssumed, y)
				other += out[yi][ti]
			}
		}
		for ti, t := range types {
			switch {
			case t.passengerBEV:
				out[yi][ti] = bev[yi] - other
			case t.passengerPHEV:
				out[yi][ti] = 1 - bev[yi]
			}
			if out[yi][ti] < 0 {
				return nil, fmt.Errorf("model year %d: share of %s is %.3f < 0", y, t.name, out[yi][ti])
			}
		}
	}
	return out, nil
}

// survival is the fraction of model year c still in use at decimal date t
// (2025.0 = end of 2024), with registrations at mid-year as in the planner's
// forecast formula.
func survival(t vtype, c int, date float64) float64 {
	return 1 - weibullCDF(date-float64(c)-0.5, t.shape, t.scale)
}

// national holds the national cohorts.
type national struct {
	years    []int64   // vehicles registered per model year
	byType   [][]int64 // [year][type]
	pre2017  int64
	preByAnc map[string]float64 // pre-2017 total implied by each stock anchor
	official map[int]int64      // official registrations 2017-2025
}

// preWeights spreads the pre-2017 remainder over 2011-2016 with registrations
// doubling every year (NEV sales in China grew roughly that fast before 2017).
func preWeights() []float64 {
	w := make([]float64, 2017-firstYear)
	for i := range w {
		w[i] = math.Pow(2, float64(i))
	}
	return w
}

// buildNational computes the national cohorts: official registrations
// 2017-2025 and a pre-2017 remainder chosen so that the modelled stock
// (registrations minus Weibull retirements) matches the official stock at
// the end of 2020 and of 2021 on average.
func buildNational(fs facts, types []vtype, shares [][]float64) (*national, error) {
	n := &national{years: make([]int64, nYears), official: map[int]int64{}, preByAnc: map[string]float64{}}
	for y := 2017; y <= lastYear; y++ {
		f, err := fs.find("nev_new_registrations", "CN", fmt.Sprint(y))
		if err != nil {
			return nil, err
		}
		n.years[y-firstYear] = int64(f.value)
		n.official[y] = int64(f.value)
	}
	surv := func(y int, date float64) float64 { // share-weighted survival of model year y
		var s float64
		for ti, t := range types {
			s += shares[y-firstYear][ti] * survival(t, y, date)
		}
		return s
	}
	pw := preWeights()
	var wsum float64
	for _, w := range pw {
		wsum += w
	}
	var pres []float64
	for _, anc := range []struct {
		asOf string
		end  int
	}{{"2020-12-31", 2020}, {"2021-12-31", 2021}} {
		f, err := fs.find("nev_stock", "CN", anc.asOf)
		if err != nil {
			return nil, err
		}
		date := float64(anc.end + 1)
		reg := 0.0
		for y := 2017; y <= anc.end; y++ {
			reg += float64(n.years[y-firstYear]) * surv(y, date)
		}
		unit := 0.0
		for i, w := range pw {
			unit += w / wsum * surv(firstYear+i, date)
		}
		p := (f.value - reg) / unit
		n.preByAnc[anc.asOf] = p
		pres = append(pres, p)
	}
	n.pre2017 = int64(math.Round((pres[0] + pres[1]) / 2))
	if n.pre2017 <= 0 {
		return nil, fmt.Errorf("pre-2017 remainder is %d vehicles, want > 0", n.pre2017)
	}
	for i, v := range largestRemainder(n.pre2017, pw) {
		n.years[i] = v
	}
	n.byType = make([][]int64, nYears)
	for yi := range n.years {
		n.byType[yi] = largestRemainder(n.years[yi], shares[yi])
	}
	return n, nil
}

// region is a city of stock.csv: a SimpleMaps city that stands for the
// area around it.
type region struct {
	id string
	place
	weight float64
}

// Region rule: SimpleMaps cities with population >= regionMinPop, plus
// provincial capitals, deduplicated within regionDedupKm (keeping the larger).
const (
	regionMinPop   = 300000
	regionDedupKm  = 5.0
	placeDedupKm   = 3.0
	fillPopWithinK = 5.0
)

// fillPopulation gives SimpleMaps cities without a population the population
// of the nearest GeoNames place within fillPopWithinK km (Chengde, for one).
func fillPopulation(sm, gn []place) []string {
	var notes []string
	for i := range sm {
		if sm[i].pop > 0 {
			continue
		}
		best, bestD := -1, fillPopWithinK
		for j := range gn {
			if gn[j].province != sm[i].province {
				continue
			}
			if d := haversineKm(sm[i].lat, sm[i].lon, gn[j].lat, gn[j].lon); d <= bestD {
				best, bestD = j, d
			}
		}
		if best >= 0 {
			sm[i].pop = gn[best].pop
			notes = append(notes, fmt.Sprintf("%s %s: population %d from %s %s (%.1f km)", sm[i].id, sm[i].name, gn[best].pop, gn[best].id, gn[best].name, bestD))
		} else {
			notes = append(notes, fmt.Sprintf("%s %s: no population and no GeoNames place within %.0f km", sm[i].id, sm[i].name, fillPopWithinK))
		}
	}
	return notes
}

// byPopDesc orders places by population, then id, for greedy deduplication.
func byPopDesc(ps []place) {
	sort.SliceStable(ps, func(a, b int) bool {
		if ps[a].pop != ps[b].pop {
			return ps[a].pop > ps[b].pop
		}
		return ps[a].id < ps[b].id
	})
}

// dedup keeps, among places closer than km to each other, the one with the
// larger population (greedy in population order). Returns kept and, for each
// dropped place, the id of the kept place that absorbed it.
func dedup(ps []place, km float64) (kept []place, absorbedBy map[string]string) {
	c := append([]place(nil), ps...)
	byPopDesc(c)
	absorbedBy = map[string]string{}
	dlat := km / 111.0
	for _, p := range c {
		hit := ""
		for _, k := range kept {
			if math.Abs(k.lat-p.lat) > dlat {
				continue
			}
			if haversineKm(k.lat, k.lon, p.lat, p.lon) < km {
				hit = k.id
				break
			}
		}
		if hit != "" {
			absorbedBy[p.id] = hit
			continue
		}
		kept = append(kept, p)
	}
	return kept, absorbedBy
}

// buildRegions selects and numbers the regions.
func buildRegions(sm []place) []region {
	var cand []place
	for _, p := range sm {
		if p.pop >= regionMinPop || p.capital == "primary" || p.capital == "admin" {
			cand = append(cand, p)
		}
	}
	kept, _ := dedup(cand, regionDedupKm)
	sort.SliceStable(kept, func(a, b int) bool {
		if kept[a].province != kept[b].province {
			return kept[a].province < kept[b].province
		}
		if kept[a].pop != kept[b].pop {
			return kept[a].pop > kept[b].pop
		}
		return kept[a].id < kept[b].id
	})
	rs := make([]region, len(kept))
	for i, p := range kept {
		rs[i] = region{id: fmt.Sprintf("R%04d", i+1), place: p}
	}
	return rs
}

// shareOf is the weight share of regions in a province at exponent alpha.
func shareOf(rs []region, province string, alpha float64) float64 {
	var num, den float64
	for _, r := range rs {
		w := math.Pow(float64(r.pop), alpha)
		den += w
		if r.province == province {
			num += w
		}
	}
	return num / den
}

// calibrateAlpha finds alpha in [lo, hi] by bisection so that the province's
// share of weights pop^alpha equals target.
func calibrateAlpha(rs []region, province string, target, lo, hi float64) (float64, error) {
	flo, fhi := shareOf(rs, province, lo)-target, shareOf(rs, province, hi)-target
	if flo*fhi > 0 {
		return 0, fmt.Errorf("calibrating alpha: %s share %.4f at alpha=%.2f and %.4f at alpha=%.2f do not bracket the target %.4f",
			province, flo+target, lo, fhi+target, hi, target)
	}
	for i := 0; i < 100; i++ {
		mid := (lo + hi) / 2
		fm := shareOf(rs, province, mid) - target
		if (fm < 0) == (flo < 0) {
			lo, flo = mid, fm
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2, nil
}

// stockCell is one row of stock.csv.
type stockCell struct {
	region   int
	year     int
	vtype    int
	vehicles int64
}

// splitStock spreads each national (year, type) cohort over the regions in
// proportion to their weights.
func splitStock(rs []region, n *national, types []vtype) []stockCell {
	ws := make([]float64, len(rs))
	for i, r := range rs {
		ws[i] = r.weight
	}
	var out []stockCell
	for yi := range n.byType {
		for ti := range types {
			for ri, v := range largestRemainder(n.byType[yi][ti], ws) {
				if v > 0 {
					out = append(out, stockCell{ri, firstYear + yi, ti, v})
				}
			}
		}
	}
	sort.Slice(out, func(a, b int) bool {
		x, y := out[a], out[b]
		if x.region != y.region {
			return x.region < y.region
		}
		if x.year != y.year {
			return x.year < y.year
		}
		return types[x.vtype].name < types[y.vtype].name
	})
	return out
}

// stockAt is the surviving stock at a decimal date (end of 2021 = 2022.0) of
// the cells accepted by keep; the cohort of the running year counts for the
// elapsed fraction of the year.
func stockAt(cells []stockCell, types []vtype, date float64, keep func(stockCell) bool) float64 {
	var s float64
	for _, c := range cells {
		if keep != nil && !keep(c) {
			continue
		}
		yc := float64(c.year)
		switch {
		case yc+1 <= date:
			s += float64(c.vehicles) * survival(types[c.vtype], c.year, date)
		case yc < date:
			s += float64(c.vehicles) * (date - yc)
		}
	}
	return s
}

// retiredTonnes is the planner's forecast: model year c retires in calendar
// year Y the fraction F(Y-c+0.5) - F(Y-c-0.5).
func retiredTonnes(cells []stockCell, types []vtype, year int, keep func(stockCell) bool) (tonnes, packs float64) {
	for _, c := range cells {
		if keep != nil && !keep(c) {
			continue
		}
		t := types[c.vtype]
		a := float64(year - c.year)
		f := weibullCDF(a+0.5, t.shape, t.scale) - weibullCDF(a-0.5, t.shape, t.scale)
		packs += float64(c.vehicles) * f
		tonnes += float64(c.vehicles) * f * t.packKg / 1000
	}
	return tonnes, packs
}
