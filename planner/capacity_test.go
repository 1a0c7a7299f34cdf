package planner

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

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
// drive, and the 2030 capacity model proposes a new plant there. With
// capacity.apply the week runs on that plant (with trucks for what it
// unlocks) and collects; without, it collects nothing. The route sheet is
// checked as written either way.
func TestCapacityApplyLetsTheWeekCollect(t *testing.T) {
	if testing.Short() {
		t.Skip("plans Yunnan's week twice (-short)")
	}
	collected := map[bool]float64{}
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
		for _, pd := range p.Schedule.PlantDays {
			if !newPlant[pd.Plant] {
				t.Errorf("apply %v: the week delivers to %s, not a proposed plant in Yunnan", apply, pd.Plant)
			}
			collected[apply] += pd.DeliveredTonnes
		}
	}
	if collected[false] != 0 || collected[true] <= 0 {
		t.Errorf("collected %v t without the investments and %v with: want none, then some", collected[false], collected[true])
	}
}
