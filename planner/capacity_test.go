package planner

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/planner/network"
)

// The capacity model reads its figures from costs.csv by item and unit:
// the embedded file's expansion and new-plant costs, and a truck-km of
// line-haul over a 25 t payload, back empty.
func TestCapacityCostsFromCostsFile(t *testing.T) {
	l := &Loader{Defaults: datasets.FS}
	costs, err := l.LoadCosts("")
	if err != nil {
		t.Fatal(err)
	}
	c, err := CapacityCosts(costs, NewPlantDismantling)
	if err != nil {
		t.Fatal(err)
	}
	want := network.CapacityCosts{ExpansionCapexPerT: 8500, ExpansionYearlyPerT: 1267, NewCapexPerT: 10300, NewYearlyPerT: 1535,
		LinehaulCostPerKm: 11.6, LinehaulPayloadT: 25}
	if c != want {
		t.Errorf("costs %+v, want %+v", c, want)
	}
	if got := c.CostPerTonneKm(); math.Abs(got-0.928) > 1e-12 {
		t.Errorf("cost per t-km %v, want 2 x 11.6 / 25 = 0.928", got)
	}
	h, err := CapacityCosts(costs, NewPlantHydrometallurgy)
	if err != nil {
		t.Fatal(err)
	}
	if h.NewCapexPerT != 22500 || math.Abs(h.NewYearlyPerT-22500*0.149029) > 1e-6 {
		t.Errorf("hydrometallurgy: capex %v, yearly %v, want 22500 and 22500 x 0.149029", h.NewCapexPerT, h.NewYearlyPerT)
	}
	delete(costs.Items, "linehaul_payload")
	if _, err := CapacityCosts(costs, NewPlantDismantling); err == nil || !strings.Contains(err.Error(), "linehaul_payload") {
		t.Errorf("a missing row: %v, want an error naming linehaul_payload", err)
	}
}

func TestCapacityScenarioKeys(t *testing.T) {
	for _, tc := range []struct {
		yaml, want string
	}{
		{"capacity:\n  new_plant: smelter\n", `capacity.new_plant: "smelter"`},
		{"capacity:\n  expansion_modules_t: [20000, -1]\n", "capacity.expansion_modules_t: -1"},
		{"capacity:\n  new_plant_modules_t: [.nan]\n", "capacity.new_plant_modules_t: NaN"},
		{"capacity:\n  neighbours: 0\n", "capacity.neighbours: 0"},
		{"capacity:\n  unserved_cost_per_t: -5\n", "capacity.unserved_cost_per_t: -5"},
		{"capacity:\n  max_iterations: 0\n", "capacity.max_iterations: 0"},
		{"capacity:\n  time_limit: 0s\n", "capacity.time_limit"},
		{"capacity:\n  neighbours: 2.5\n", "want a whole number"},
		{"capacity:\n  apply: maybe\n", "line 2"},
	} {
		_, err := ParseScenario("s.yaml", strings.NewReader(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one containing %q", tc.yaml, err, tc.want)
		}
	}
	s, err := ParseScenario("s.yaml", strings.NewReader("capacity:\n  expansion_modules_t: []\n  apply: true\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !s.Capacity.Apply || s.Capacity.ExpansionModulesT == nil || len(s.Capacity.ExpansionModulesT) != 0 || len(s.Capacity.NewPlantModulesT) != 4 {
		t.Errorf("capacity %+v: want apply, no expansion modules, the default new-plant modules", s.Capacity)
	}
}

// Yunnan has no listed plant: its packs find no plant within a shift's
// drive, and the 2030 capacity model proposes a new plant there. Without
// capacity.apply the week's consolidation hubs empty the outlets and ship
// everything by line-haul to plants outside the province; with it the
// proposed plant (with trucks for what it unlocks) takes Yunnan's packs,
// from its own trucks or by line-haul, and the line-haul's tonne-km fall.
// The route sheet is checked as written either way.
func TestCapacityApplyLetsTheWeekCollect(t *testing.T) {
	if testing.Short() {
		t.Skip("plans Yunnan's week twice (-short)")
	}
	toNew, tkm := map[bool]float64{}, map[bool]float64{}
	for _, apply := range []bool{false, true} {
		s := DefaultScenario()
		s.Name, s.Regions = "yn", []string{"CN-YN"}
		s.Siting.Enabled = false
		s.Routes.TimeLimit.Duration = 10 * time.Second
		s.Capacity.Apply = apply
		p, err := RunPlan(context.Background(), s, &Loader{Defaults: datasets.FS}, nil)
		if err != nil {
			t.Fatal(err)
		}
		k := p.KPIs.Capacity
		if k == nil || k.Applied != apply || k.NewPlants < 1 || k.ListedT != 0 {
			t.Fatalf("apply %v: capacity KPIs %+v: want a new plant in Yunnan, which lists no intake", apply, k)
		}
		newPlant := map[string]bool{}
		for _, inv := range p.Capacity.View(p.Regions.Keep).Investments {
			if inv.Kind == network.KindNewPlant && inv.Province == "CN-YN" {
				newPlant[inv.PlantID] = true
			}
		}
		hub := map[string]bool{}
		for _, h := range p.Schedule.HubDepots {
			hub[h.ID] = true
		}
		for _, pd := range p.Schedule.PlantDays {
			switch {
			case newPlant[pd.Plant]:
				toNew[apply] += pd.DeliveredTonnes
			case !hub[pd.Plant] && pd.DeliveredTonnes > 0:
				t.Errorf("apply %v: %s's trucks deliver %.1f t; want no listed plant within a shift's drive", apply, pd.Plant, pd.DeliveredTonnes)
			}
		}
		for _, l := range p.Schedule.Linehaul {
			if newPlant[l.Plant] {
				toNew[apply] += l.LoadKg / 1000
			}
			tkm[apply] += l.Km * l.LoadKg / 1000
		}
	}
	if toNew[false] != 0 || toNew[true] <= 0 {
		t.Errorf("%v t reach the proposed plant without the investments and %v with: want none, then some", toNew[false], toNew[true])
	}
	if !(tkm[false] > 0 && tkm[true] < tkm[false]) {
		t.Errorf("line-haul %.0f t-km without the investments, %.0f with: want hubs shipping out of Yunnan, then less", tkm[false], tkm[true])
	}
}

// The report section, the KPIs and the tables of a case small enough to
// check by hand: one plant of 5,200 t/yr (100 t/week) at the seat of a
// region retiring 7,800 t/yr (150 t/week), a 5,200 t/yr expansion module at
// 100 CNY per t/yr a year, nothing else to build: the plant binds, 50
// t/week are short, the expansion adds 100 t/week and takes 50, at 200 CNY
// per tonne.
func TestCapacityReportByHand(t *testing.T) {
	p0 := orb.Point{113, 23}
	demand := []network.Retiring{{ID: "R1", Name: "City", Province: "CN-GD", Point: p0, TonnesPerYear: 7800}}
	plants := []Plant{{ID: "P1", Name: "Plant", Point: p0, Province: "CN-GD", IntakeKgPerWeek: 100000, CapacityBasis: "assumed"}}
	cp, err := network.PlanCapacity(context.Background(), demand, plants, nil, network.CapacityOptions{
		Costs:            network.CapacityCosts{ExpansionCapexPerT: 1000, ExpansionYearlyPerT: 100, NewCapexPerT: 1500, NewYearlyPerT: 150, LinehaulCostPerKm: 1, LinehaulPayloadT: 2},
		ExpansionModules: []float64{5200}, NewPlantModules: []float64{}, UnservedCostPerT: 1000})
	if err != nil {
		t.Fatal(err)
	}
	rep := CapacityReport(cp, 2030, "CN-GD", nil, false)
	for _, want := range []string{
		"## Plant capacity (2030)",
		"CN-GD: 7800 t retire in 2030 (150.0 t/week); its listed plants take 100.0 t/week.",
		"With the listed plants alone, 1 of the 1 plants taking CN-GD's tonnes or standing in it are at their intake limit, and 50.0 t/week of its tonnes find no plant.",
		"Proposed: 1 investment (1 expansion, 0 new plants), adding 5200 t/yr (100.0 t/week) for 5200000 CNY of capital, 520000 CNY a year annualised: 200 CNY per tonne the added capacity takes (2600 t/yr); 0.0 t/week stay unprocessed.",
		"| CN-GD | 150.0 | 100.0 | 50.0 | 0.0 | 50.0 | 0 | 100.0 | 0.0 | 0 |",
		"| P1 Plant | CN-GD | 100.0 | 50.0 | 100.0 | assumed |",
		"| X-P1 (expansion) | Plant, CN-GD | 5200 | 100.0 | 5200000 | 520000 | 2600 | 200 |",
	} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q:\n%s", want, rep)
		}
	}
	k := CapacityKPIOf(cp, 2030, nil, false)
	if k.ShortTPerWeek != 50 || k.BindingPlants != 1 || k.UnprocessedT != 2600 || k.Investments != 1 || k.AddedT != 5200 || k.UnlockedT != 2600 ||
		k.YearlyCNY != 520000 || k.CostPerT != 200 || k.National.CostListedCNY != 2600000 || k.National.CostCNY != 520000 {
		t.Errorf("KPIs %+v", k)
	}
	tables := CapacityTables(cp, nil)
	var b strings.Builder
	if err := WriteCSV(&b, tables["investments.csv"]); err != nil {
		t.Fatal(err)
	}
	if want := "X-P1,expansion,P1,Plant,CN-GD,23,113,5200,5200,100,5200000,520000,2600,50,200,CN-GD 7800\n"; !strings.HasSuffix(b.String(), want) {
		t.Errorf("investments.csv:\n%s\nwant the row %s", b.String(), want)
	}
}
