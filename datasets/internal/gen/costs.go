package main

import (
	"fmt"
	"io"
	"math"
)

// costItem is one row of costs.csv.
type costItem struct {
	item   string
	value  float64
	unit   string
	basis  string // cited, derived or assumed
	source string
	note   string
}

// annuity is the yearly payment that repays 1 over life years at rate r.
func annuity(r, life float64) float64 { return r / (1 - math.Pow(1+r, -life)) }

// costItems lists the cost figures offered for network design (site types,
// hubs, plant expansions): cited components, stated assumptions, and the
// yearly figures derived from them. README.md explains each.
func costItems() []costItem {
	const (
		rate, equipLife, buildLife = 0.08, 10, 20
		rent, wage                 = 31.1, 120698
		collArea, collFTE, collEq  = 30, 0.25, 20000
		centArea, centFTE, centEq  = 200, 2, 300000
		newPre, newHydro, expand   = 10300, 22500, 8500
		lhBase, surcharge, lhLitre = 8.0, 1.45, 33.0
	)
	af, afb := annuity(rate, equipLife), annuity(rate, buildLife)
	coll := collArea*rent*12 + collFTE*wage + collEq*af
	cent := centArea*rent*12 + centFTE*wage + centEq*af
	const dr = "https://m.fwdebook.qq.com/read/1037204902/18"
	const dep = "https://acc5.com/wenda/question_6378.html"
	const cw = "https://cw-prod-emeagws-a-cd.azurewebsites.net/en/greater-china/insights/greater-china-logistics-market-report"
	const jereh = "http://www.networthdetail.com/news/show-htm-itemid-54295.html"
	return []costItem{
		{"discount_rate", rate, "per year", "cited", dr, "social discount rate 8 % of 建设项目经济评价方法与参数 (third edition, NDRC/MOHURD)"},
		{"equipment_life", equipLife, "years", "cited", dep, "minimum depreciation life of machinery and production equipment (企业所得税法实施条例 art. 60)"},
		{"building_life", buildLife, "years", "cited", dep, "minimum depreciation life of buildings (same article)"},
		{"annuity_factor_equipment", af, "per year", "derived", "", fmt.Sprintf("r/(1-(1+r)^-n) at r = %g, n = %d: yearly cost of 1 CNY of equipment", rate, equipLife)},
		{"annuity_factor_building", afb, "per year", "derived", "", fmt.Sprintf("same at n = %d", buildLife)},
		{"warehouse_rent", rent, "CNY/m2/month", "cited", cw, "premium logistics warehouse average rent, mainland China, Q4 2024 (Cushman & Wakefield); South China 38.4 (戴德梁行 via http://www.idatastar.cn/12346.html)"},
		{"staff_wage", wage, "CNY/yr", "cited", "http://dzb.jmrb.com:8090/jmrb/html/2024-05/18/content_703617.htm", "average wage of urban non-private units, 2023 (NBS via Xinhua)"},
		{"collection_outlet_area", collArea, "m2", "assumed", "http://www.tkus.cn/focus/1642.html", "the 2019 MIIT guide asks at least 10 m2 for a collection outlet (<= 5 t); 30 m2 assumed for racks, aisles and separation"},
		{"collection_outlet_staff", collFTE, "FTE", "assumed", "", "collection outlets sit at dealers and repair shops: a quarter of one person's time"},
		{"collection_outlet_equipment", collEq, "CNY", "assumed", "", "insulated tools, extinguishers, insulation tester, racks, signage"},
		{"collection_outlet_yearly_cost", math.Round(coll), "CNY/yr", "derived", "", "area x rent x 12 + staff x wage + equipment x annuity_factor_equipment (5 t storage limit)"},
		{"central_storage_area", centArea, "m2", "assumed", "", "30 t of packs on racks at about 0.5 t/m2 is 60 m2; aisles, isolation of damaged packs and fire separation (class C-2 site, GB/T 38698.2 reference row) bring it to 200 m2"},
		{"central_storage_staff", centFTE, "FTE", "assumed", "", "two people: receiving, testing, loading"},
		{"central_storage_equipment", centEq, "CNY", "assumed", "", "forklift, racks, fire suppression, insulation and state-of-charge testing, monitoring"},
		{"central_storage_yearly_cost", math.Round(cent), "CNY/yr", "derived", "", "as collection_outlet_yearly_cost, for a 30 t centralised storage outlet (>= 30 t, MIIT 2019 guide)"},
		{"upgrade_collection_to_central_capex", centEq - collEq, "CNY", "derived", "", "equipment of a central storage outlet less that of the collection outlet it replaces (fit-out of a larger rented area is in the rent)"},
		{"upgrade_collection_to_central_yearly_cost", math.Round(cent - coll), "CNY/yr", "derived", "", "an upgraded outlet costs central_storage_yearly_cost instead of collection_outlet_yearly_cost"},
		{"plant_new_capex", newPre, "CNY per t/yr", "cited", jereh, "Jereh's Zhengzhou plant: 1.2e8 CNY for 10 kt/yr, 4.6e8 for 50 kt/yr, 1.03e9 for 100 kt/yr (dismantling, crushing, cascade lines; hydrometallurgy later)"},
		{"plant_new_capex_with_hydrometallurgy", newHydro, "CNY per t/yr", "cited", "https://ni.ccmn.cn/news/ZX018/202503/7f25a6e8dd2648dc890f45afc8ce526d.html", "Nanchong project: 4.5e8 CNY for 20 kt/yr dismantling with hydrometallurgy to nickel/cobalt sulphate and lithium carbonate"},
		{"plant_expansion_capex", expand, "CNY per t/yr", "cited", jereh, "Jereh phase 2: 3.4e8 CNY for +40 kt/yr on the same site; Hunan Yuneng 1.5e8 CNY for +20 kt/yr on reserved land (7,500, https://news.smm.cn/news/103299607)"},
		{"plant_new_yearly_cost", math.Round(newPre * af), "CNY per t/yr per yr", "derived", "", "plant_new_capex x annuity_factor_equipment (capital only; operating costs not included)"},
		{"plant_expansion_yearly_cost", math.Round(expand * af), "CNY per t/yr per yr", "derived", "", "plant_expansion_capex x annuity_factor_equipment (capital only)"},
		{"linehaul_gross_weight_limit", 49000, "kg", "cited", "http://www.toplawyer365.cn/news/zixun/202.html", "GB 1589-2016 mass limit of a six-axle articulated vehicle"},
		{"linehaul_payload", 25000, "kg", "assumed", "", "49 t less about 16 t of tractor and box semi-trailer, less racking and dunnage; class 9 packs fill the mass before the volume"},
		{"linehaul_speed", 60, "km/h", "cited", "http://ccacoalition.org/en/resources/china-green-freight-assessment", "average speed of mainline freight vehicles in China (CATARC China Green Freight Assessment, 2018)"},
		{"linehaul_cost_per_km", lhBase * surcharge, "CNY/km", "assumed", "", fmt.Sprintf("assumed general full-truckload rate %.1f CNY/km for a 49 t articulated truck plus the 40-50 %% dangerous-goods surcharge row of the reference file (45 %%), as fleet.csv", lhBase)},
		{"linehaul_co2_per_km", math.Round(2680 * lhLitre / 100), "g/km", "derived", "", fmt.Sprintf("diesel 2.68 kg CO2/L (IPCC 2006 default) x %.0f L/100 km (assumed for a loaded 49 t truck)", lhLitre)},
	}
}

// writeCosts writes costs.csv.
func writeCosts(out string, log io.Writer) error {
	var rows [][]string
	for _, c := range costItems() {
		rows = append(rows, []string{c.item, ff(c.value, 6), c.unit, c.basis, c.source, c.note})
		fmt.Fprintf(log, "cost %s: %s %s (%s)\n", c.item, ff(c.value, 6), c.unit, c.basis)
	}
	return writeCSV(out, "costs.csv", []string{"item", "value", "unit", "basis", "source", "note"}, rows)
}
