package main

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

// plant is one white-list firm placed at its city.
type plant struct {
	id, name, province, basis string
	lat, lon                  float64
	capacityT                 float64 // t/yr
	capBasis, source          string  // "cited" or "assumed", and why
	intakeKg                  int64   // per week
}

// plantOverride is one row of sources/plant_capacity.csv.
type plantOverride struct {
	action    string // cited, assumed or skip
	capacityT float64
	provZh    string
	source    string
	note      string
}

func readPlantOverrides() (map[string]plantOverride, error) {
	recs, err := readSourceCSV("plant_capacity.csv", []string{"company_zh", "action", "capacity_t_per_year", "province_zh", "source", "note"})
	if err != nil {
		return nil, err
	}
	out := map[string]plantOverride{}
	for i, r := range recs {
		o := plantOverride{action: r[1], provZh: r[3], source: r[4], note: r[5]}
		switch o.action {
		case "cited":
			if o.capacityT, err = strconv.ParseFloat(r[2], 64); err != nil || o.capacityT <= 0 || o.source == "" {
				return nil, fmt.Errorf("sources/plant_capacity.csv:%d: a cited row needs a capacity > 0 and a source", i+2)
			}
		case "assumed", "skip":
		default:
			return nil, fmt.Errorf("sources/plant_capacity.csv:%d: action %q, want cited, assumed or skip", i+2, o.action)
		}
		out[r[0]] = o
	}
	return out, nil
}

// weeksPerYear spreads a yearly capacity evenly over the weeks of the year.
const weeksPerYear = 52

// buildPlants places every white-list firm whose province is known at its
// city (else its provincial capital) and gives it a capacity: cited where
// sources/plant_capacity.csv cites one, otherwise the national white-list
// capacity left after the cited rows, spread evenly over the others (which
// stand in for the white-list firms whose names were not found).
func buildPlants(ws []firm, sm []place, provIso map[string]string, ft figureTable) ([]plant, []string, error) {
	over, err := readPlantOverrides()
	if err != nil {
		return nil, nil, err
	}
	capital := map[string]place{}
	for _, p := range sm {
		if p.capital == "primary" || p.capital == "admin" {
			if c, ok := capital[p.province]; !ok || p.pop > c.pop {
				capital[p.province] = p
			}
		}
	}
	var out []plant
	var notes []string
	used := map[string]bool{}
	for _, f := range ws {
		o, hasOver := over[f.name]
		used[f.name] = hasOver
		if hasOver && o.action == "skip" {
			notes = append(notes, fmt.Sprintf("line %d %s: skipped: %s", f.line, f.name, o.note))
			continue
		}
		if f.capacityT > 0 && !hasOver {
			return nil, nil, fmt.Errorf("cn_battery_whitelist.csv:%d: %s has a capacity of %.0f t/yr but no decision in sources/plant_capacity.csv", f.line, f.name, f.capacityT)
		}
		provZh := f.provZh
		if provZh == "" && hasOver {
			provZh = o.provZh
		}
		if provZh == "" {
			notes = append(notes, fmt.Sprintf("line %d %s: left out, province unknown", f.line, f.name))
			continue
		}
		iso, ok := provIso[provZh]
		if !ok {
			return nil, nil, fmt.Errorf("cn_battery_whitelist.csv:%d: province_zh %q matches no province in the city files", f.line, provZh)
		}
		p := plant{name: f.name, province: iso, lat: f.lat, lon: f.lon, basis: "city"}
		if !f.hasCoord {
			c, ok := capital[iso]
			if !ok {
				return nil, nil, fmt.Errorf("cn_battery_whitelist.csv:%d: no coordinates and no provincial capital for %s", f.line, iso)
			}
			p.lat, p.lon, p.basis = c.lat, c.lon, "provincial capital "+c.name
		}
		if hasOver && o.action == "cited" {
			p.capacityT, p.capBasis, p.source = o.capacityT, "cited", o.source+" ("+o.note+")"
		} else if hasOver {
			p.source = o.note + " (" + o.source + ")"
		}
		out = append(out, p)
	}
	for name := range over {
		if !used[name] {
			return nil, nil, fmt.Errorf("sources/plant_capacity.csv: %s is not a firm of cn_battery_whitelist.csv", name)
		}
	}
	notes = append(notes, assumeCapacities(out, ft)...)
	for i := range out {
		out[i].id = fmt.Sprintf("P%03d", i+1)
		out[i].intakeKg = int64(math.Round(out[i].capacityT * 1000 / weeksPerYear))
	}
	return out, notes, nil
}

// assumeCapacities gives the plants without a cited capacity an equal
// share of the national white-list capacity left after the cited ones.
func assumeCapacities(ps []plant, ft figureTable) []string {
	national := ft.mustGet("whitelist_capacity_2024")
	var cited float64
	var n int
	for _, p := range ps {
		if p.capBasis == "cited" {
			cited += p.capacityT
		} else {
			n++
		}
	}
	each := math.Round((national - cited) / float64(n))
	why := fmt.Sprintf("assumed: (white-list nominal capacity %.0f t/yr in 2024 - %.0f t/yr cited here) / %d firms without a cited figure, which stand in for the %.0f white-list firms not placed here (https://www.cinn.cn/qc/2025/12-02/q19pPVZk.html)",
		national, cited, n, ft.mustGet("whitelist_firms")-float64(len(ps)))
	for i := range ps {
		if ps[i].capBasis == "cited" {
			continue
		}
		ps[i].capacityT, ps[i].capBasis = each, "assumed"
		if ps[i].source != "" {
			ps[i].source = why + "; " + ps[i].source
		} else {
			ps[i].source = why
		}
	}
	return []string{fmt.Sprintf("capacity: %d cited (%.0f t/yr), %d assumed at %.0f t/yr each; total %.0f t/yr", len(ps)-n, cited, n, each, cited+each*float64(n))}
}

// truck is a dedicated UN3480 class 9 vehicle class of fleet.csv.
type truck struct {
	name           string
	capKg          int64
	speed, shift   float64
	costKm, co2gKm float64
	share          float64 // share of a plant's weekly tonnes this class is sized to carry
}

// Fleet assumptions (README.md): diesel CO2 2.68 kg/L (IPCC 2006 default
// 74,100 kg CO2/TJ at 43 MJ/kg and 0.84 kg/L) times assumed consumption
// 12 L/100 km (4.5 t light truck) and 20 L/100 km (10 t truck); cost per km
// is an assumed general-freight rate (3.5 / 5.5 CNY/km) plus the 40-50 %
// dangerous-goods surcharge row of model_parameters_reference.csv (45 %).
var trucks = []truck{
	{name: "light_truck_4500kg", capKg: 4500, speed: 50, shift: 10, costKm: 3.5 * 1.45, co2gKm: 2680.0 * 12 / 100, share: 0.4},
	{name: "truck_10000kg", capKg: 10000, speed: 45, shift: 9, costKm: 5.5 * 1.45, co2gKm: 2680.0 * 20 / 100, share: 0.6},
}

// Fleet sizing (README.md): the retirements of the sizing year at each
// region seat go to the plants whose heavy truck can fetch them and be back
// within a shift, nearest first, each up to its weekly intake (largest
// regions first); a plant's trucks must carry what it receives in fleetDays
// at fleetFill with one trip a day, the estimate by which the planner
// assigns outlets to plants (planner/week, planningFill); near plants'
// trucks can make more trips, which the routing uses. Regions beyond every
// plant's shift are served through consolidation hubs (network design) and
// size no fleet here.
const (
	fleetYear     = 2030
	fleetDetour   = 1.3 // great-circle to road, the planner's default
	fleetHandling = 2.0 // hours a trip spends loading at outlets and unloading at the plant
	fleetFill     = 0.7 // average load factor of pickups of a few tonnes
	fleetDays     = 6
)

// fleetCounts returns, per plant, the number of vehicles of each truck
// class, the weekly tonnes it receives and their mean road distance.
func fleetCounts(ps []plant, seats []region, tonnes []float64) (counts [][]int64, supply, meanKm []float64) {
	heavy := trucks[1]
	reach := (heavy.shift - fleetHandling) * heavy.speed / 2 // one-way road km of one trip a shift
	supply, meanKm = make([]float64, len(ps)), make([]float64, len(ps))
	weighted := make([]float64, len(ps))
	free := make([]float64, len(ps))
	for pi, p := range ps {
		free[pi] = float64(p.intakeKg) / 1000
	}
	order := make([]int, len(seats))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return tonnes[order[a]] > tonnes[order[b]] })
	type near struct {
		plant int
		km    float64
	}
	for _, ri := range order {
		r := seats[ri]
		var in []near
		for pi, p := range ps {
			if km := haversineKm(r.lat, r.lon, p.lat, p.lon) * fleetDetour; km <= reach {
				in = append(in, near{pi, km})
			}
		}
		sort.SliceStable(in, func(a, b int) bool { return in[a].km < in[b].km })
		left := tonnes[ri] / weeksPerYear
		for _, n := range in {
			take := math.Min(left, free[n.plant])
			supply[n.plant] += take
			weighted[n.plant] += take * n.km
			free[n.plant] -= take
			if left -= take; left <= 0 {
				break
			}
		}
	}
	counts = make([][]int64, len(ps))
	for pi := range ps {
		if supply[pi] > 0 {
			meanKm[pi] = weighted[pi] / supply[pi]
		}
		counts[pi] = make([]int64, len(trucks))
		for ti, t := range trucks {
			perTruck := float64(t.capKg) / 1000 * fleetFill * fleetDays
			counts[pi][ti] = max(1, int64(math.Ceil(supply[pi]*t.share/perTruck)))
		}
	}
	return counts, supply, meanKm
}

// sortedKeys returns the keys of a map in order (for deterministic logs).
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
