package planner

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/network"
	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
)

// StepCapacity is the progress name of the plant-capacity step.
const StepCapacity = "plant capacity"

// CapacityScenario configures the plant-capacity step (package network's
// capacity model): where listed plants' intake runs short of what retires
// in the year, and the expansions and new plants that close it.
type CapacityScenario struct {
	Enabled bool `yaml:"enabled"`
	// Apply runs the week on the plants as the investments would build
	// them: added intake at expanded plants, new plants as depots, each with
	// trucks for what it unlocks (network.FleetRule).
	Apply bool `yaml:"apply"`
	// ExpansionModulesT and NewPlantModulesT are the module sizes (t/yr)
	// a listed plant and a candidate city may take, each at most once.
	ExpansionModulesT []float64 `yaml:"expansion_modules_t"`
	NewPlantModulesT  []float64 `yaml:"new_plant_modules_t"`
	// NewPlant is the kind of new plant costed: "dismantling"
	// (plant_new_capex: dismantling, crushing, cascade lines) or
	// "hydrometallurgy" (plant_new_capex_with_hydrometallurgy).
	NewPlant string `yaml:"new_plant"`
	// Neighbours is how many candidate cities, nearest first, a region may
	// send tonnes to a new plant in.
	Neighbours int `yaml:"neighbours"`
	// UnservedCostPerT is the charge per tonne a year no plant takes (CNY);
	// 0 means network.DefaultUnservedCost.
	UnservedCostPerT float64 `yaml:"unserved_cost_per_t"`
	// MaxIterations bounds the improvement rounds of the modular solve
	// (reproducible); TimeLimit bounds each solve.
	MaxIterations int      `yaml:"max_iterations"`
	TimeLimit     Duration `yaml:"time_limit"`
}

// New-plant kinds of CapacityScenario.NewPlant.
const (
	NewPlantDismantling     = "dismantling"
	NewPlantHydrometallurgy = "hydrometallurgy"
)

// DefaultCapacityIterations is the default of capacity.max_iterations: on
// the national 2035 instance the gap to the bound moves from 2.95 % after
// one round to 2.84 % after ten, at about 1.3 s of CPU a round
// (BENCHMARKS.md), so a few rounds keep the plan quick and reproducible.
const DefaultCapacityIterations = 3

// DefaultCapacityTimeLimit is the default of capacity.time_limit, a safety
// cap per solve: the location solver gives its Lagrangian bound a fifth of
// the time limit, and the bound's iterates are where the modular solve finds
// its answer, so a cap that binds on a busy machine would make the answer
// depend on the machine's speed. The national 2035 instance needs about 9 s
// of CPU in all.
const DefaultCapacityTimeLimit = 5 * time.Minute

// DefaultCapacity is the capacity step of the default scenario.
func DefaultCapacity() CapacityScenario {
	return CapacityScenario{Enabled: true, ExpansionModulesT: slices.Clone(network.DefaultExpansionModules),
		NewPlantModulesT: slices.Clone(network.DefaultNewPlantModules), NewPlant: NewPlantDismantling,
		Neighbours: network.DefaultNewPlantNeighbours, MaxIterations: DefaultCapacityIterations, TimeLimit: Duration{DefaultCapacityTimeLimit}}
}

// check reports a setting out of range, naming its scenario key.
func (c *CapacityScenario) check() error {
	for _, k := range []struct {
		key string
		ms  []float64
	}{{"capacity.expansion_modules_t", c.ExpansionModulesT}, {"capacity.new_plant_modules_t", c.NewPlantModulesT}} {
		if len(k.ms) > 12 {
			return fmt.Errorf("%s: %d sizes: want at most 12", k.key, len(k.ms))
		}
		for _, m := range k.ms {
			if !(m > 0) || math.IsInf(m, 0) {
				return fmt.Errorf("%s: %g: want module sizes > 0 t/yr", k.key, m)
			}
		}
	}
	switch {
	case c.NewPlant != NewPlantDismantling && c.NewPlant != NewPlantHydrometallurgy:
		return fmt.Errorf("capacity.new_plant: %q: want %s or %s", c.NewPlant, NewPlantDismantling, NewPlantHydrometallurgy)
	case c.Neighbours < 1:
		return fmt.Errorf("capacity.neighbours: %d: want at least 1", c.Neighbours)
	case !(c.UnservedCostPerT >= 0) || math.IsInf(c.UnservedCostPerT, 0):
		return fmt.Errorf("capacity.unserved_cost_per_t: %g: want a cost >= 0 CNY per tonne (0 = derived default)", c.UnservedCostPerT)
	case c.MaxIterations < 1:
		return fmt.Errorf("capacity.max_iterations: %d: want at least 1", c.MaxIterations)
	case c.TimeLimit.Duration <= 0:
		return fmt.Errorf("capacity.time_limit: %v: want a duration > 0", c.TimeLimit)
	}
	return nil
}

// CapacityCosts reads the capacity model's figures from a costs table.
func CapacityCosts(costs *domain.Costs, newPlant string) (network.CapacityCosts, error) {
	var c network.CapacityCosts
	var payloadKg float64
	get := func(dst *float64, item, unit string) error {
		v, err := costs.Get(item, unit)
		*dst = v
		return err
	}
	err := firstError(get(&c.ExpansionCapexPerT, "plant_expansion_capex", "CNY per t/yr"),
		get(&c.ExpansionYearlyPerT, "plant_expansion_yearly_cost", "CNY per t/yr per yr"),
		get(&c.LinehaulCostPerKm, "linehaul_cost_per_km", "CNY/km"), get(&payloadKg, "linehaul_payload", "kg"))
	if err != nil {
		return c, err
	}
	c.LinehaulPayloadT = payloadKg / 1000
	if newPlant == NewPlantHydrometallurgy {
		var af float64
		if err := firstError(get(&c.NewCapexPerT, "plant_new_capex_with_hydrometallurgy", "CNY per t/yr"),
			get(&af, "annuity_factor_equipment", "per year")); err != nil {
			return c, err
		}
		c.NewYearlyPerT = c.NewCapexPerT * af
		return c, nil
	}
	return c, firstError(get(&c.NewCapexPerT, "plant_new_capex", "CNY per t/yr"), get(&c.NewYearlyPerT, "plant_new_yearly_cost", "CNY per t/yr per yr"))
}

// CapacityOptions are the capacity model's options of scenario s.
func (s *Scenario) CapacityOptions(costs *domain.Costs, detour geo.Detour) (network.CapacityOptions, error) {
	c := s.Capacity
	cc, err := CapacityCosts(costs, c.NewPlant)
	if err != nil {
		return network.CapacityOptions{}, err
	}
	return network.CapacityOptions{Costs: cc, ExpansionModules: nonNil(c.ExpansionModulesT), NewPlantModules: nonNil(c.NewPlantModulesT),
		NewPlantNeighbours: c.Neighbours, UnservedCostPerT: c.UnservedCostPerT, Detour: detour,
		Settings: location.Settings{MaxIterations: c.MaxIterations, TimeLimit: c.TimeLimit.Duration, Seed: solver.Seed(s.Seed)}}, nil
}

// nonNil keeps an empty list empty (none) rather than nil (the default).
func nonNil(xs []float64) []float64 {
	if xs == nil {
		return []float64{}
	}
	return xs
}

// PlanCapacity runs the capacity model of scenario s for year on loaded
// inputs (registrations already projected): every region's tonnes retiring
// in year against every listed plant, nationwide.
func PlanCapacity(ctx context.Context, s *Scenario, in *Inputs, costs *domain.Costs, detour geo.Detour, year int) (*network.CapacityPlan, error) {
	opt, err := s.CapacityOptions(costs, detour)
	if err != nil {
		return nil, err
	}
	demand, err := CapacityDemand(in, year)
	if err != nil {
		return nil, err
	}
	return network.PlanCapacity(ctx, demand, in.Plants, CapacitySites(in), opt)
}

// capacity runs the plan's capacity step and, with capacity.apply, puts
// the investments into the inputs the week runs on (Plan.Inputs: the
// capacity analysis keeps the listed plants).
func (p *Plan) capacity(ctx context.Context, costs *domain.Costs) error {
	s := &p.Scenario
	cp, err := PlanCapacity(ctx, s, p.Inputs, costs, p.Detour, s.Year)
	if err != nil {
		return err
	}
	p.Capacity = cp
	p.Interrupted = p.Interrupted || cp.Interrupted
	if !s.Capacity.Apply {
		return nil
	}
	built := *p.Inputs
	if built.Plants, built.Fleet, err = cp.Apply(p.Inputs.Plants, p.Inputs.Fleet, network.FleetRule{WorkDays: s.Routes.WorkDays}); err != nil {
		return err
	}
	p.Inputs = &built
	return nil
}

// CapacityDemand is the capacity model's demand: the tonnes retiring in
// every region (city) of the stock in year, nationwide, at the region's
// seat. Plants take batteries across provincial borders, so a plan of one
// province still weighs its plants against every region's tonnes. Regions
// are in id order; regions retiring nothing are left out.
func CapacityDemand(in *Inputs, year int) ([]network.Retiring, error) {
	rows, err := Forecast(in, year, year, nil)
	if err != nil {
		return nil, err
	}
	by := map[string]float64{}
	for _, r := range rows {
		by[r.RegionID] += r.Tonnes
	}
	var out []network.Retiring
	for _, c := range regionSeats(in) {
		if t := by[c.ID]; t > 0 {
			out = append(out, network.Retiring{ID: c.ID, Name: c.Name, Province: c.Province, Point: c.Point, TonnesPerYear: t})
		}
	}
	return out, nil
}

// CapacitySites are the candidate cities for new plants: the seat of every
// region of the stock (the prefecture-level cities of the embedded data),
// in id order.
func CapacitySites(in *Inputs) []network.PlantSite { return regionSeats(in) }

func regionSeats(in *Inputs) []network.PlantSite {
	seen := map[string]bool{}
	var out []network.PlantSite
	for _, s := range in.Stock {
		if !seen[s.RegionID] {
			seen[s.RegionID] = true
			out = append(out, network.PlantSite{ID: s.RegionID, Name: s.Name, Province: s.Province, Point: s.Point})
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}
