package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rlplan/rlplan/planner/network"
	"github.com/rlplan/rlplan/solver"
)

// CapacityKPI summarises the plant-capacity step (kpis.json "capacity"):
// the plan's area first, then the national model it is part of. Tonnes are
// a year's unless a name says per week; costs CNY.
type CapacityKPI struct {
	Year int `json:"year"`
	// The area: tonnes retiring, listed intake of its plants, the sum of
	// its provinces' shortfalls (retiring beyond the listed intake in the
	// province), its listed plants that bind, its tonnes no listed plant
	// takes, and the same with the investments.
	RetiringT         float64 `json:"retiring_t"`
	ListedT           float64 `json:"listed_t"`
	ShortTPerWeek     float64 `json:"short_t_per_week"`
	BindingPlants     int     `json:"binding_plants"`
	UnprocessedT      float64 `json:"unprocessed_t"`
	UnprocessedAfterT float64 `json:"unprocessed_after_t"`
	// Investments in the area or taking its tonnes.
	Investments int     `json:"investments"`
	Expansions  int     `json:"expansions"`
	NewPlants   int     `json:"new_plants"`
	AddedT      float64 `json:"added_t"`
	UnlockedT   float64 `json:"unlocked_t"`
	CapexCNY    float64 `json:"capex_cny"`
	YearlyCNY   float64 `json:"yearly_cost_cny"`
	CostPerT    float64 `json:"cost_cny_per_t"`
	// Applied says whether the week ran on the plants as built.
	Applied  bool                `json:"applied"`
	National CapacityNationalKPI `json:"national"`
}

// CapacityNationalKPI is the national model: its totals, its cost with and
// without the investments, the proven bound and gap of the modular answer,
// the status of the modular choice, and the figures the model used.
type CapacityNationalKPI struct {
	RetiringT           float64       `json:"retiring_t"`
	ListedT             float64       `json:"listed_t"`
	UnprocessedT        float64       `json:"unprocessed_t"`
	UnprocessedAfterT   float64       `json:"unprocessed_after_t"`
	Investments         int           `json:"investments"`
	AddedT              float64       `json:"added_t"`
	YearlyCNY           float64       `json:"yearly_cost_cny"`
	CostListedCNY       float64       `json:"cost_listed_cny_per_year"`
	CostCNY             float64       `json:"cost_cny_per_year"`
	LinehaulCNY         float64       `json:"linehaul_cny_per_year"`
	Bound               float64       `json:"bound"`
	GapPct              float64       `json:"gap_pct"`
	HasBound            bool          `json:"has_bound"`
	Status              solver.Status `json:"status"`
	CandidateCities     int           `json:"candidate_cities"`
	UnservedCostPerT    float64       `json:"unserved_cost_cny_per_t"`
	LinehaulCostPerTkm  float64       `json:"linehaul_cost_cny_per_tkm"`
	ExpansionModulesT   []float64     `json:"expansion_modules_t"`
	NewPlantModulesT    []float64     `json:"new_plant_modules_t"`
	ExpansionCostPerTYr float64       `json:"expansion_cost_cny_per_t_yr"`
	NewPlantCostPerTYr  float64       `json:"new_plant_cost_cny_per_t_yr"`
}

// CapacityKPIOf summarises cp for the area keep accepts (nil: all).
func CapacityKPIOf(cp *network.CapacityPlan, year int, keep func(string) bool, applied bool) *CapacityKPI {
	v := cp.View(keep)
	all := cp.View(nil)
	k := &CapacityKPI{Year: year, RetiringT: round(v.RetiringT, 1), ListedT: round(v.ListedT, 1), ShortTPerWeek: round(v.ShortT/network.WeeksPerYear, 2),
		BindingPlants: v.BindingPlants, UnprocessedT: round(v.UnprocessedT, 1), UnprocessedAfterT: round(v.UnprocessedAfterT, 1),
		Investments: len(v.Investments), Expansions: v.Expansions, NewPlants: v.NewPlants, AddedT: round(v.AddedT, 1), UnlockedT: round(v.UnlockedT, 1),
		CapexCNY: round(v.CapexCNY, 0), YearlyCNY: round(v.YearlyCNY, 0), CostPerT: round(v.CostPerT, 1), Applied: applied}
	n := &k.National
	n.RetiringT, n.ListedT, n.UnprocessedT, n.UnprocessedAfterT = round(all.RetiringT, 1), round(all.ListedT, 1), round(all.UnprocessedT, 1), round(all.UnprocessedAfterT, 1)
	n.Investments, n.AddedT, n.YearlyCNY = len(all.Investments), round(all.AddedT, 1), round(all.YearlyCNY, 0)
	n.CostListedCNY, n.CostCNY, n.LinehaulCNY = round(cp.Listed.Cost, 0), round(cp.Invested.Cost, 0), round(cp.Invested.Linehaul, 0)
	if cp.HasBound {
		n.Bound, n.GapPct, n.HasBound = round(cp.Bound, 0), round(100*cp.Gap, 3), true
	}
	n.Status = cp.Listed.Status
	if cp.Modular != nil {
		n.Status = cp.Modular.Status
	}
	n.CandidateCities, n.UnservedCostPerT, n.LinehaulCostPerTkm = cp.Candidates, round(cp.UnservedCostPerT, 1), round(cp.CostPerTonneKm, 4)
	n.ExpansionModulesT, n.NewPlantModulesT = cp.ExpansionModules, cp.NewPlantModules
	n.ExpansionCostPerTYr, n.NewPlantCostPerTYr = cp.Costs.ExpansionYearlyPerT, cp.Costs.NewYearlyPerT
	return k
}

func (p *Plan) capacityKPI() *CapacityKPI {
	if p.Capacity == nil {
		return nil
	}
	return CapacityKPIOf(p.Capacity, p.Scenario.Year, p.Regions.Keep, p.Scenario.Capacity.Apply)
}

// CapacityTables are the capacity step's CSV tables by file name, for the
// area keep accepts.
func CapacityTables(cp *network.CapacityPlan, keep func(string) bool) map[string]any {
	v := cp.View(keep)
	return map[string]any{"investments.csv": v.InvestmentRecords(), "capacity_plants.csv": v.PlantRecords(), "capacity_provinces.csv": v.ProvinceRecords()}
}

func (p *Plan) capacityTables() map[string]any {
	if p.Capacity == nil {
		return nil
	}
	return CapacityTables(p.Capacity, p.Regions.Keep)
}

func (p *Plan) capacityReport() string {
	if p.Capacity == nil {
		return ""
	}
	return CapacityReport(p.Capacity, p.Scenario.Year, p.Regions.String(), p.Regions.Keep, p.Scenario.Capacity.Apply)
}

// reportRows bounds the rows of each capacity table in report.md; the CSV
// files hold them all.
const reportRows = 25

// CapacityReport renders the report's plant-capacity section for the area
// keep accepts (named area).
func CapacityReport(cp *network.CapacityPlan, year int, area string, keep func(string) bool, applied bool) string {
	v := cp.View(keep)
	all := cp.View(nil)
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Plant capacity (%d)\n\n", year)
	fmt.Fprintf(&b, "%s: %.0f t retire in %d (%.1f t/week); its listed plants take %.1f t/week. Plants take batteries across provinces, so every listed plant is weighed against the tonnes of the whole country (%.0f t against %.0f t of listed intake), hauled by road in full truckloads at %.3f CNY per t-km (back empty).\n\n",
		area, v.RetiringT, year, v.RetiringT/network.WeeksPerYear, v.ListedT/network.WeeksPerYear, all.RetiringT, all.ListedT, cp.CostPerTonneKm)
	fmt.Fprintf(&b, "With the listed plants alone, %d of the %d plants taking %s's tonnes or standing in it are at their intake limit, and %.1f t/week of its tonnes find no plant.",
		v.BindingPlants, len(v.Plants), area, v.UnprocessedT/network.WeeksPerYear)
	if len(v.Investments) == 0 {
		b.WriteString(" No investment pays for itself: the listed plants suffice at the haul they need.\n")
	} else {
		fmt.Fprintf(&b, " Proposed: %s (%s, %s), adding %.0f t/yr (%.1f t/week) for %.0f CNY of capital, %.0f CNY a year annualised: %.0f CNY per tonne the added capacity takes (%.0f t/yr); %.1f t/week stay unprocessed.\n",
			count(len(v.Investments), "investment", "investments"), count(v.Expansions, "expansion", "expansions"), count(v.NewPlants, "new plant", "new plants"), v.AddedT, v.AddedT/network.WeeksPerYear, v.CapexCNY, v.YearlyCNY, v.CostPerT, v.UnlockedT, v.UnprocessedAfterT/network.WeeksPerYear)
	}
	writeProvinceTable(&b, v)
	writeBindingTable(&b, v)
	writeInvestmentTable(&b, v)
	bound := "no bound (the relaxation stopped early)"
	if cp.HasBound {
		bound = fmt.Sprintf("a proven bound of %.0f (gap %.2f %%)", cp.Bound, 100*cp.Gap)
	}
	status := cp.Listed.Status
	if cp.Modular != nil {
		status = cp.Modular.Status
	}
	if len(all.Investments) != len(v.Investments) {
		fmt.Fprintf(&b, "\nNationally: %s, adding %.0f t/yr for %.0f CNY a year (`rlplan capacity --region CN`).\n", count(len(all.Investments), "investment", "investments"), all.AddedT, all.YearlyCNY)
	}
	fmt.Fprintf(&b, "\nNational model: %.0f CNY a year with the investments (%.0f with the listed plants alone), against %s; modular choice %s over %d candidate cities. A tonne no plant takes is charged %.0f CNY. Expansions cost %.0f CNY per t/yr a year (modules %s t/yr), new plants %.0f (modules %s t/yr): costs.csv.",
		cp.Invested.Cost, cp.Listed.Cost, bound, status, cp.Candidates, cp.UnservedCostPerT, cp.Costs.ExpansionYearlyPerT, joinT(cp.ExpansionModules),
		cp.Costs.NewYearlyPerT, joinT(cp.NewPlantModules))
	if applied {
		b.WriteString(" The week below runs on the plants as these investments would build them (capacity.apply).")
	}
	b.WriteString(" Tables: investments.csv, capacity_plants.csv, capacity_provinces.csv; layer capacity.geojson.\n")
	return b.String()
}

// count writes n with the singular or plural noun.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func joinT(ms []float64) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = fmt.Sprintf("%.0f", m)
	}
	return strings.Join(parts, ", ")
}

func writeProvinceTable(b *strings.Builder, v network.CapacityView) {
	b.WriteString("\n| province | retiring t/week | listed intake t/week | short t/week | shipped out t/week | unprocessed t/week | mean haul km | added t/week | unprocessed after | mean haul km after |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	ps := append([]network.ProvinceUse(nil), v.Provinces...)
	sort.SliceStable(ps, func(a, c int) bool { return ps[a].ShortT > ps[c].ShortT })
	for i, p := range ps {
		if i == reportRows {
			fmt.Fprintf(b, "| … %d more in capacity_provinces.csv | | | | | | | | | |\n", len(ps)-reportRows)
			break
		}
		w := func(t float64) float64 { return t / network.WeeksPerYear }
		fmt.Fprintf(b, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f | %.1f | %.1f | %.0f |\n", p.Province, w(p.RetiringT), w(p.ListedT), w(p.ShortT),
			w(p.Before.ExportT), w(p.Before.UnprocessedT), p.Before.MeanKm, w(p.AddedT), w(p.After.UnprocessedT), p.After.MeanKm)
	}
}

func writeBindingTable(b *strings.Builder, v network.CapacityView) {
	var bind []network.PlantUse
	for _, p := range v.Plants {
		if p.Binding {
			bind = append(bind, p)
		}
	}
	if len(bind) == 0 {
		return
	}
	sort.SliceStable(bind, func(a, c int) bool { return bind[a].ShortT > bind[c].ShortT })
	b.WriteString("\nListed plants at their intake limit (short: tonnes retiring nearer to the plant than to any other that it cannot take):\n\n| plant | province | intake t/week | short t/week | added t/week | capacity basis |\n|---|---|---:|---:|---:|---|\n")
	for i, p := range bind {
		if i == reportRows {
			fmt.Fprintf(b, "| … %d more in capacity_plants.csv | | | | | |\n", len(bind)-reportRows)
			break
		}
		basis := p.Plant.CapacityBasis
		if basis == "" {
			basis = "not stated"
		}
		fmt.Fprintf(b, "| %s %s | %s | %.1f | %.1f | %.1f | %s |\n", p.Plant.ID, p.Plant.Name, p.Plant.Province, p.ListedT/network.WeeksPerYear,
			p.ShortT/network.WeeksPerYear, p.AddedT/network.WeeksPerYear, basis)
	}
}

func writeInvestmentTable(b *strings.Builder, v network.CapacityView) {
	if len(v.Investments) == 0 {
		return
	}
	inv := append([]network.Investment(nil), v.Investments...)
	sort.SliceStable(inv, func(a, c int) bool { return inv[a].AddedT > inv[c].AddedT })
	b.WriteString("\n| investment | where | modules t/yr | added t/week | capital CNY | CNY/yr | takes t/yr | CNY per t |\n|---|---|---|---:|---:|---:|---:|---:|\n")
	for i, x := range inv {
		if i == reportRows {
			fmt.Fprintf(b, "| … %d more in investments.csv | | | | | | | |\n", len(inv)-reportRows)
			break
		}
		fmt.Fprintf(b, "| %s (%s) | %s, %s | %s | %.1f | %.0f | %.0f | %.0f | %.0f |\n", x.ID, strings.ReplaceAll(x.Kind, "_", " "), x.Name, x.Province,
			joinT(x.ModulesT), x.AddedT/network.WeeksPerYear, x.CapexCNY, x.YearlyCNY, x.UnlockedT, x.CostPerT)
	}
}
