package network

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb/geojson"
)

// CapacityView is the capacity plan as seen from an area (the plan's
// provinces): the model is national, the tables show what concerns the
// area.
type CapacityView struct {
	// Plants are the listed plants in the area or taking its tonnes (in
	// either solve), in the plants table's order.
	Plants []PlantUse
	// Provinces are the area's provinces, by code.
	Provinces []ProvinceUse
	// Investments are those in the area or taking its tonnes.
	Investments []Investment
	// Totals over Provinces, Plants and Investments.
	RetiringT, ListedT, ShortT      float64
	UnprocessedT, UnprocessedAfterT float64
	BindingPlants                   int
	AddedT, UnlockedT               float64
	CapexCNY, YearlyCNY, CostPerT   float64
	Expansions, NewPlants           int
}

// View restricts the plan to the provinces keep accepts (nil: all).
func (cp *CapacityPlan) View(keep func(province string) bool) CapacityView {
	if keep == nil {
		keep = func(string) bool { return true }
	}
	takes := func(from map[string]float64) bool {
		for p, t := range from {
			if t > 0 && keep(p) {
				return true
			}
		}
		return false
	}
	var v CapacityView
	for _, p := range cp.Provinces {
		if keep(p.Province) {
			v.Provinces = append(v.Provinces, p)
			v.RetiringT += p.RetiringT
			v.ListedT += p.ListedT
			v.ShortT += p.ShortT
			v.UnprocessedT += p.Before.UnprocessedT
			v.UnprocessedAfterT += p.After.UnprocessedT
		}
	}
	for _, p := range cp.Plants {
		if keep(p.Plant.Province) || takes(p.From) || takes(p.FromAfter) {
			v.Plants = append(v.Plants, p)
			if p.Binding {
				v.BindingPlants++
			}
		}
	}
	for _, inv := range cp.Investments {
		if !keep(inv.Province) && !takes(inv.From) {
			continue
		}
		v.Investments = append(v.Investments, inv)
		v.AddedT += inv.AddedT
		v.UnlockedT += inv.UnlockedT
		v.CapexCNY += inv.CapexCNY
		v.YearlyCNY += inv.YearlyCNY
		if inv.Kind == KindExpansion {
			v.Expansions++
		} else {
			v.NewPlants++
		}
	}
	if v.UnlockedT > 0 {
		v.CostPerT = v.YearlyCNY / v.UnlockedT
	}
	return v
}

func r(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

func perWeek(t float64) float64 { return r(t/WeeksPerYear, 2) }

// fromString lists tonnes by province, largest first: "CN-SC 80000; CN-CQ 1200".
func fromString(from map[string]float64) string {
	type kv struct {
		k string
		v float64
	}
	var xs []kv
	for k, v := range from {
		if v >= 0.5 {
			xs = append(xs, kv{k, v})
		}
	}
	sort.Slice(xs, func(a, b int) bool {
		if xs[a].v != xs[b].v {
			return xs[a].v > xs[b].v
		}
		return xs[a].k < xs[b].k
	})
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%s %.0f", x.k, x.v)
	}
	return strings.Join(parts, "; ")
}

func modulesString(ms []float64) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = fmt.Sprintf("%.0f", m)
	}
	return strings.Join(parts, "+")
}

// InvestmentRecord is a row of investments.csv. Tonnes are t/yr unless the
// column says per week; costs CNY (yearly: annualised capital).
type InvestmentRecord struct {
	ID               string  `csv:"id"`
	Kind             string  `csv:"kind"`
	PlantID          string  `csv:"plant_id"`
	Name             string  `csv:"name"`
	Province         string  `csv:"province"`
	Lat              float64 `csv:"lat"`
	Lon              float64 `csv:"lon"`
	Modules          string  `csv:"modules_t_per_year"`
	AddedT           float64 `csv:"added_t_per_year"`
	AddedWeekT       float64 `csv:"added_t_per_week"`
	CapexCNY         float64 `csv:"capex_cny"`
	YearlyCNY        float64 `csv:"yearly_cost_cny"`
	UnlockedT        float64 `csv:"unlocked_t_per_year"`
	UnlockedWeekT    float64 `csv:"unlocked_t_per_week"`
	CostPerT         float64 `csv:"cost_cny_per_t"`
	FromProvincesTYr string  `csv:"takes_t_per_year_from"`
}

// InvestmentRecords are the rows of investments.csv.
func (v CapacityView) InvestmentRecords() []InvestmentRecord {
	out := make([]InvestmentRecord, len(v.Investments))
	for i, inv := range v.Investments {
		out[i] = InvestmentRecord{ID: inv.ID, Kind: inv.Kind, PlantID: inv.PlantID, Name: inv.Name, Province: inv.Province,
			Lat: r(inv.Point[1], 6), Lon: r(inv.Point[0], 6), Modules: modulesString(inv.ModulesT), AddedT: r(inv.AddedT, 1),
			AddedWeekT: perWeek(inv.AddedT), CapexCNY: r(inv.CapexCNY, 0), YearlyCNY: r(inv.YearlyCNY, 0), UnlockedT: r(inv.UnlockedT, 1),
			UnlockedWeekT: perWeek(inv.UnlockedT), CostPerT: r(inv.CostPerT, 1), FromProvincesTYr: fromString(inv.From)}
	}
	return out
}

// PlantCapacityRecord is a row of capacity_plants.csv: a listed plant with
// the listed plants alone ("used", "short") and with the investments
// ("added", "used_after").
type PlantCapacityRecord struct {
	ID         string  `csv:"plant_id"`
	Name       string  `csv:"name"`
	Province   string  `csv:"province"`
	Basis      string  `csv:"capacity_basis"`
	ListedWeek float64 `csv:"listed_t_per_week"`
	UsedWeek   float64 `csv:"used_t_per_week"`
	UsedShare  float64 `csv:"used_share"`
	Binding    bool    `csv:"binding"`
	ShortWeek  float64 `csv:"short_t_per_week"`
	AddedWeek  float64 `csv:"added_t_per_week"`
	AfterWeek  float64 `csv:"used_after_t_per_week"`
	From       string  `csv:"takes_t_per_year_from"`
}

// PlantRecords are the rows of capacity_plants.csv.
func (v CapacityView) PlantRecords() []PlantCapacityRecord {
	out := make([]PlantCapacityRecord, len(v.Plants))
	for i, p := range v.Plants {
		share := 0.0
		if p.ListedT > 0 {
			share = p.UsedT / p.ListedT
		}
		out[i] = PlantCapacityRecord{ID: p.Plant.ID, Name: p.Plant.Name, Province: p.Plant.Province, Basis: p.Plant.CapacityBasis,
			ListedWeek: perWeek(p.ListedT), UsedWeek: perWeek(p.UsedT), UsedShare: r(share, 4), Binding: p.Binding,
			ShortWeek: perWeek(p.ShortT), AddedWeek: perWeek(p.AddedT), AfterWeek: perWeek(p.UsedAfterT), From: fromString(p.From)}
	}
	return out
}

// ProvinceCapacityRecord is a row of capacity_provinces.csv: where a
// province's retiring tonnes go with the listed plants alone and with the
// investments, in t/week.
type ProvinceCapacityRecord struct {
	Province         string  `csv:"province"`
	RetiringWeek     float64 `csv:"retiring_t_per_week"`
	ListedWeek       float64 `csv:"listed_t_per_week"`
	ShortWeek        float64 `csv:"short_t_per_week"`
	LocalWeek        float64 `csv:"local_t_per_week"`
	ExportWeek       float64 `csv:"export_t_per_week"`
	ImportWeek       float64 `csv:"import_t_per_week"`
	UnprocessedWeek  float64 `csv:"unprocessed_t_per_week"`
	MeanKm           float64 `csv:"mean_haul_km"`
	AddedWeek        float64 `csv:"added_t_per_week"`
	LocalAfterWeek   float64 `csv:"local_after_t_per_week"`
	ExportAfterWeek  float64 `csv:"export_after_t_per_week"`
	UnprocessedAfter float64 `csv:"unprocessed_after_t_per_week"`
	MeanKmAfter      float64 `csv:"mean_haul_km_after"`
}

// ProvinceRecords are the rows of capacity_provinces.csv.
func (v CapacityView) ProvinceRecords() []ProvinceCapacityRecord {
	out := make([]ProvinceCapacityRecord, len(v.Provinces))
	for i, p := range v.Provinces {
		out[i] = ProvinceCapacityRecord{Province: p.Province, RetiringWeek: perWeek(p.RetiringT), ListedWeek: perWeek(p.ListedT),
			ShortWeek: perWeek(p.ShortT), LocalWeek: perWeek(p.Before.LocalT), ExportWeek: perWeek(p.Before.ExportT),
			ImportWeek: perWeek(p.Before.ImportT), UnprocessedWeek: perWeek(p.Before.UnprocessedT), MeanKm: r(p.Before.MeanKm, 1),
			AddedWeek: perWeek(p.AddedT), LocalAfterWeek: perWeek(p.After.LocalT), ExportAfterWeek: perWeek(p.After.ExportT),
			UnprocessedAfter: perWeek(p.After.UnprocessedT), MeanKmAfter: r(p.After.MeanKm, 1)}
	}
	return out
}

// Layer draws the view's listed plants (their use, whether they bind, their
// shortfall and what the plan adds) and the new plants it proposes, as
// points with property kind "listed" or "new_plant".
func (v CapacityView) Layer() *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	inv := map[string]Investment{}
	for _, x := range v.Investments {
		inv[x.PlantID] = x
	}
	for _, p := range v.Plants {
		f := geojson.NewFeature(p.Plant.Point)
		f.Properties["kind"] = "listed"
		f.Properties["id"] = p.Plant.ID
		f.Properties["name"] = p.Plant.Name
		f.Properties["province"] = p.Plant.Province
		f.Properties["listed_t_per_week"] = perWeek(p.ListedT)
		f.Properties["used_t_per_week"] = perWeek(p.UsedT)
		share := 0.0
		if p.ListedT > 0 {
			share = p.UsedT / p.ListedT
		}
		f.Properties["used_share"] = r(share, 4)
		f.Properties["binding"] = map[bool]string{true: "yes", false: "no"}[p.Binding]
		f.Properties["short_t_per_week"] = perWeek(p.ShortT)
		f.Properties["added_t_per_week"] = perWeek(p.AddedT)
		if x, ok := inv[p.Plant.ID]; ok {
			f.Properties["investment"] = x.ID
			f.Properties["unlocked_t_per_week"] = perWeek(x.UnlockedT)
			f.Properties["cost_cny_per_t"] = r(x.CostPerT, 1)
		}
		fc.Append(f)
	}
	for _, x := range v.Investments {
		if x.Kind != KindNewPlant {
			continue
		}
		f := geojson.NewFeature(x.Point)
		f.Properties["kind"] = KindNewPlant
		f.Properties["id"] = x.ID
		f.Properties["name"] = x.Name
		f.Properties["province"] = x.Province
		f.Properties["investment"] = x.ID
		f.Properties["modules_t_per_year"] = modulesString(x.ModulesT)
		f.Properties["added_t_per_week"] = perWeek(x.AddedT)
		f.Properties["unlocked_t_per_week"] = perWeek(x.UnlockedT)
		f.Properties["cost_cny_per_t"] = r(x.CostPerT, 1)
		fc.Append(f)
	}
	return fc
}
