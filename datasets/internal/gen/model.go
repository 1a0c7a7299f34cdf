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

// national holds the national cohorts, rounded to whole vehicles.
type national struct {
	byType [][]int64 // [model year][type]
	years  []int64   // vehicles per model year
}

// roundNational rounds the continuous cohorts per model year by largest
// remainder, keeping the official 2017-2025 registrations exact.
func roundNational(coh [][]float64, reg map[int]float64) (*national, error) {
	n := &national{byType: make([][]int64, len(coh)), years: make([]int64, len(coh))}
	for yi, c := range coh {
		var sum float64
		for _, v := range c {
			sum += v
		}
		total := int64(math.Round(sum))
		if want, ok := reg[firstYear+yi]; ok && total != int64(want) {
			return nil, fmt.Errorf("model year %d: cohorts sum to %d, the official registrations are %.0f", firstYear+yi, total, want)
		}
		n.byType[yi] = largestRemainder(total, c)
		n.years[yi] = total
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

// stockAt is the registered stock at a decimal date (end of 2021 = 2022.0)
// of the cells accepted by keep; the cohort of the running year counts for
// the elapsed fraction of the year.
func stockAt(cells []stockCell, lv []life, date float64, keep func(stockCell) bool) float64 {
	var s float64
	for _, c := range cells {
		if keep != nil && !keep(c) {
			continue
		}
		yc := float64(c.year)
		switch {
		case yc+1 <= date:
			s += float64(c.vehicles) * lv[c.vtype].inUse(date-yc-0.5)
		case yc < date:
			s += float64(c.vehicles) * (date - yc)
		}
	}
	return s
}

// retiredTonnes is the planner's forecast: model year c retires in
// calendar year Y the packs of its lifetime's share for that year.
func retiredTonnes(cells []stockCell, types []vtype, lv []life, year int, keep func(stockCell) bool) (tonnes, packs float64) {
	for _, c := range cells {
		if keep != nil && !keep(c) {
			continue
		}
		f := lv[c.vtype].retired(c.year, year)
		packs += float64(c.vehicles) * f
		tonnes += float64(c.vehicles) * f * types[c.vtype].packKg / 1000
	}
	return tonnes, packs
}
