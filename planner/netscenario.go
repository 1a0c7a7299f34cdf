package planner

import (
	"fmt"
	"math"

	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/network"
)

// The network design keys of a scenario: the catalogue of site types and
// upgrades the siting may open (siting.site_types, siting.upgrades) and the
// hub tier with its line-haul truck (network.*). A figure left empty is the
// value of its row in the costs file (inputs.costs; the embedded
// costs.csv, whose every row cites its source or states its assumption).

// SiteTypeScenario is a site type of the catalogue.
type SiteTypeScenario struct {
	Name      string  `yaml:"name"`
	Type      string  `yaml:"type"` // the outlet type: collection or central
	StorageKg float64 `yaml:"storage_kg"`
	// YearlyCost in CNY; empty means the value of CostItem in the costs
	// file.
	YearlyCost *float64 `yaml:"yearly_cost"`
	CostItem   string   `yaml:"cost_item"`
}

// UpgradeScenario turns an existing outlet of type From into the site type
// named To, for YearlyCost (or CostItem's value) more a year.
type UpgradeScenario struct {
	From       string   `yaml:"from"`
	To         string   `yaml:"to"`
	YearlyCost *float64 `yaml:"yearly_cost"`
	CostItem   string   `yaml:"cost_item"`
}

// NetworkScenario configures the hub tier of the week.
type NetworkScenario struct {
	// Hubs empties the outlets no plant's truck reaches within a shift by
	// milk runs from consolidation hubs (central storage outlets, or
	// collection outlets upgraded), which ship full truckloads to plants.
	Hubs     bool             `yaml:"hubs"`
	Linehaul LinehaulScenario `yaml:"linehaul"`
}

// LinehaulScenario is the line-haul truck; each figure left empty is the
// costs file's (linehaul_payload, linehaul_speed, linehaul_cost_per_km,
// linehaul_co2_per_km).
type LinehaulScenario struct {
	PayloadKg *float64 `yaml:"payload_kg"`
	SpeedKmh  *float64 `yaml:"speed_kmh"`
	CostPerKm *float64 `yaml:"cost_per_km"`
	CO2GPerKm *float64 `yaml:"co2_g_per_km"`
}

// Default catalogue: the two outlet types of the MIIT 2019 guide at their
// limits (a collection outlet holds at most 5 t, a centralised storage
// outlet 30 t or more) and the upgrade of one to the other, priced by the
// costs file.
var (
	defaultSiteTypes = []SiteTypeScenario{
		{Name: "collection", Type: OutletCollection, StorageKg: domain.CollectionMaxKg, CostItem: "collection_outlet_yearly_cost"},
		{Name: "central", Type: OutletCentral, StorageKg: domain.CentralMinKg, CostItem: "central_storage_yearly_cost"},
	}
	defaultUpgrades = []UpgradeScenario{{From: OutletCollection, To: "central", CostItem: "upgrade_collection_to_central_yearly_cost"}}
)

// typed reports whether the siting chooses among the site types (objectives
// capacitated and cover with a catalogue); otherwise every new site is a
// collection outlet of siting.site_capacity_kg (objectives coverage,
// median).
func (s SitingScenario) typed() bool {
	return (s.Objective == ObjectiveCapacitated || s.Objective == ObjectiveCover) && (len(s.SiteTypes) > 0 || len(s.Upgrades) > 0)
}

// checkCatalogue checks the catalogue keys without the costs file.
func (s SitingScenario) checkCatalogue() error {
	names := map[string]bool{}
	for i, t := range s.SiteTypes {
		key := fmt.Sprintf("siting.site_types[%d]", i)
		switch {
		case t.Name == "":
			return fmt.Errorf("%s.name: empty: want a name such as collection", key)
		case names[t.Name]:
			return fmt.Errorf("%s.name: %q listed twice", key, t.Name)
		case t.Type != OutletCollection && t.Type != OutletCentral:
			return fmt.Errorf("%s.type: %q: want collection or central", key, t.Type)
		case !(t.StorageKg > 0) || math.IsInf(t.StorageKg, 0):
			return fmt.Errorf("%s.storage_kg: %g: want a storage limit > 0 kg", key, t.StorageKg)
		}
		if err := costKey(key, t.YearlyCost, t.CostItem); err != nil {
			return err
		}
		names[t.Name] = true
	}
	for i, u := range s.Upgrades {
		key := fmt.Sprintf("siting.upgrades[%d]", i)
		switch {
		case u.From != OutletCollection && u.From != OutletCentral:
			return fmt.Errorf("%s.from: %q: want an outlet type, collection or central", key, u.From)
		case !names[u.To]:
			return fmt.Errorf("%s.to: %q: want the name of a site type of siting.site_types", key, u.To)
		}
		if err := costKey(key, u.YearlyCost, u.CostItem); err != nil {
			return err
		}
	}
	if !(s.UncollectedCost >= 0) || math.IsInf(s.UncollectedCost, 0) {
		return fmt.Errorf("siting.uncollected_cost: %g: want a cost >= 0 CNY per tonne (0: the existing outlets' own cost per tonne)", s.UncollectedCost)
	}
	return nil
}

func costKey(key string, v *float64, item string) error {
	switch {
	case v != nil && (!(*v >= 0) || math.IsInf(*v, 0)):
		return fmt.Errorf("%s.yearly_cost: %g: want a cost >= 0 CNY a year", key, *v)
	case v == nil && item == "":
		return fmt.Errorf("%s: no yearly_cost and no cost_item: want one (cost_item names a row of the costs file)", key)
	}
	return nil
}

// checkLinehaul checks the line-haul figures given (the others come from
// the costs file).
func (n NetworkScenario) checkLinehaul() error {
	l := n.Linehaul
	for _, f := range []struct {
		key      string
		v        *float64
		positive bool
	}{{"payload_kg", l.PayloadKg, true}, {"speed_kmh", l.SpeedKmh, true}, {"cost_per_km", l.CostPerKm, false}, {"co2_g_per_km", l.CO2GPerKm, false}} {
		if f.v == nil {
			continue
		}
		if x := *f.v; math.IsInf(x, 0) || !(x >= 0) || (f.positive && x == 0) {
			return fmt.Errorf("network.linehaul.%s: %g: want a finite figure %s", f.key, x, map[bool]string{true: "> 0", false: ">= 0"}[f.positive])
		}
	}
	return nil
}

// costOf is v, or the costs file's value of item in unit.
func costOf(v *float64, costs *domain.Costs, item, unit string) (float64, error) {
	if v != nil {
		return *v, nil
	}
	return costs.Get(item, unit)
}

// Catalogue is the scenario's catalogue with every cost resolved.
func (s *Scenario) Catalogue(costs *domain.Costs) (network.Catalogue, error) {
	var c network.Catalogue
	byName := map[string]network.SiteType{}
	for _, t := range s.Siting.SiteTypes {
		cost, err := costOf(t.YearlyCost, costs, t.CostItem, "CNY/yr")
		if err != nil {
			return c, err
		}
		st := network.SiteType{Name: t.Name, OutletType: t.Type, StorageKg: t.StorageKg, YearlyCost: cost}
		c.Types = append(c.Types, st)
		byName[t.Name] = st
	}
	for _, u := range s.Siting.Upgrades {
		cost, err := costOf(u.YearlyCost, costs, u.CostItem, "CNY/yr")
		if err != nil {
			return c, err
		}
		c.Upgrades = append(c.Upgrades, network.Upgrade{From: u.From, To: byName[u.To], YearlyCost: cost})
	}
	return c, c.Check()
}

// LinehaulTruck is the scenario's line-haul truck with every figure
// resolved.
func (s *Scenario) LinehaulTruck(costs *domain.Costs) (network.Linehaul, error) {
	l := s.Network.Linehaul
	var out network.Linehaul
	var err error
	for _, f := range []struct {
		dst        *float64
		v          *float64
		item, unit string
	}{{&out.PayloadKg, l.PayloadKg, "linehaul_payload", "kg"}, {&out.SpeedKmh, l.SpeedKmh, "linehaul_speed", "km/h"},
		{&out.CostPerKm, l.CostPerKm, "linehaul_cost_per_km", "CNY/km"}, {&out.CO2GPerKm, l.CO2GPerKm, "linehaul_co2_per_km", "g/km"}} {
		if *f.dst, err = costOf(f.v, costs, f.item, f.unit); err != nil {
			return out, err
		}
	}
	return out, out.Check()
}
