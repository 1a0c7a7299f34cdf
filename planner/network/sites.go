package network

import (
	"fmt"
	"math"

	"github.com/rlplan/rlplan/planner/domain"
)

// SiteType is a kind of site the plan can open: its storage limit and what
// it costs a year (rent, staff and equipment annualised: costs.csv).
type SiteType struct {
	Name       string  // as sites.csv names it: "collection", "central"
	OutletType string  // the outlet type it is: domain.OutletCollection or domain.OutletCentral
	StorageKg  float64 // storage limit
	YearlyCost float64 // CNY per year
}

// Upgrade turns an existing outlet of type From into a site of type To
// (larger storage) on the same spot, for YearlyCost more a year.
type Upgrade struct {
	From       string   // the outlet type upgraded
	To         SiteType // what it becomes; To.YearlyCost is unused
	YearlyCost float64  // CNY per year on top of the outlet's present cost
}

// Catalogue is what the siting may open: site types at candidate places and
// upgrades of existing outlets.
type Catalogue struct {
	Types    []SiteType
	Upgrades []Upgrade
}

// Check reports a catalogue the siting cannot use, naming the entry.
func (c Catalogue) Check() error {
	if len(c.Types) == 0 && len(c.Upgrades) == 0 {
		return fmt.Errorf("site types: none: want at least one site type or upgrade")
	}
	names := map[string]bool{}
	for _, t := range c.Types {
		if err := t.check(); err != nil {
			return err
		}
		if names[t.Name] {
			return fmt.Errorf("site type %q: listed twice", t.Name)
		}
		names[t.Name] = true
	}
	from := map[string]bool{}
	for _, u := range c.Upgrades {
		if err := u.To.check(); err != nil {
			return fmt.Errorf("upgrade from %s: %w", u.From, err)
		}
		if u.From != domain.OutletCollection && u.From != domain.OutletCentral {
			return fmt.Errorf("upgrade from %q: want an outlet type (collection or central)", u.From)
		}
		if from[u.From] {
			return fmt.Errorf("upgrade from %s: listed twice (one upgrade per outlet type)", u.From)
		}
		from[u.From] = true
		if !(u.YearlyCost >= 0) || math.IsInf(u.YearlyCost, 0) {
			return fmt.Errorf("upgrade from %s: yearly cost %g: want a cost >= 0 CNY", u.From, u.YearlyCost)
		}
	}
	return nil
}

func (t SiteType) check() error {
	switch {
	case t.Name == "":
		return fmt.Errorf("site type: no name")
	case t.OutletType != domain.OutletCollection && t.OutletType != domain.OutletCentral:
		return fmt.Errorf("site type %s: outlet type %q: want collection or central", t.Name, t.OutletType)
	case !(t.StorageKg > 0) || math.IsInf(t.StorageKg, 0):
		return fmt.Errorf("site type %s: storage %g kg: want a limit > 0", t.Name, t.StorageKg)
	case t.OutletType == domain.OutletCollection && t.StorageKg > domain.CollectionMaxKg:
		return fmt.Errorf("site type %s: storage %g kg: a collection outlet holds at most %g kg (MIIT 2019 guide); make it central",
			t.Name, t.StorageKg, float64(domain.CollectionMaxKg))
	case t.OutletType == domain.OutletCentral && t.StorageKg < domain.CentralMinKg:
		return fmt.Errorf("site type %s: storage %g kg: a central storage outlet holds at least %g kg (MIIT 2019 guide)",
			t.Name, t.StorageKg, float64(domain.CentralMinKg))
	case !(t.YearlyCost >= 0) || math.IsInf(t.YearlyCost, 0):
		return fmt.Errorf("site type %s: yearly cost %g: want a cost >= 0 CNY", t.Name, t.YearlyCost)
	}
	return nil
}

// upgradeOf returns the upgrade an outlet may have, if any: one from its
// type to a larger storage.
func (c Catalogue) upgradeOf(o domain.Outlet) (Upgrade, bool) {
	for _, u := range c.Upgrades {
		if u.From == o.Type && u.To.StorageKg > o.CapacityKg {
			return u, true
		}
	}
	return Upgrade{}, false
}
