package network

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/solver/location"
)

// Plant capacity: where the listed plants' intake runs short of what
// retires, and the investments that close it.
//
// The model is a capacitated facility-location problem over a year:
//
//	demand      the tonnes retiring in each region (city) in the year, t/yr,
//	            at the region's seat
//	facilities  every listed plant, open, with its listed intake (weekly
//	            intake x 52) as capacity; expansion modules at each listed
//	            plant and new-plant modules at candidate cities, each with
//	            its annualised capital cost as fixed cost and its size as
//	            capacity (each module built at most once per site)
//	assignment  line-haul cost of a tonne from the region's seat to the
//	            plant: road km (great-circle x detour) x CostPerTonneKm; a
//	            region may use every listed plant and its expansions, and a
//	            new plant in one of its NewPlantNeighbours nearest cities
//	unserved    UnservedCostPerT per tonne no facility takes
//
// Package solver/location solves it in four steps, and every answer passes
// the independent validator (solver/location/validate) before it is used:
//
//  1. listed: the listed plants alone (a transportation problem): which
//     plants bind, and the tonnes they cannot take;
//  2. relaxed: the linear relaxation of the modules (a module may be built
//     in part, at its cost per tonne): a transportation problem whose proven
//     bound bounds the whole modular problem from below;
//  3. modular: the capacitated facility-location problem the relaxation
//     leaves open. The tonnes it sends to listed plants stay there (those
//     plants keep the room it leaves); at each site where it builds, the
//     modules it fills for sure are built and the site's other modules are
//     candidates; a region may use the candidates of its NewPlantNeighbours
//     nearest sites. The location solver chooses the modules;
//  4. final: every region's tonnes re-assigned over the listed plants and
//     the modules chosen (a transportation problem), so the flows reported
//     are the cheapest for the investments proposed.
//
// The gap reported is the final cost against the bound of step 2: a proven
// gap for the whole model, whatever steps 3 and 4 left out.

// WeeksPerYear converts a plant's weekly intake to a yearly capacity and
// back: the plants file's intake is the yearly capacity spread evenly over
// 52 weeks (datasets/README.md).
const WeeksPerYear = 52

// CapacityCosts are the cost figures of the capacity model (costs.csv).
type CapacityCosts struct {
	// ExpansionCapexPerT and ExpansionYearlyPerT: capital cost of a tonne
	// a year of capacity added at a listed plant, and the same annualised
	// (costs.csv plant_expansion_capex, plant_expansion_yearly_cost).
	ExpansionCapexPerT, ExpansionYearlyPerT float64
	// NewCapexPerT and NewYearlyPerT: the same for a new plant
	// (plant_new_capex, plant_new_yearly_cost; or the figures with
	// hydrometallurgy).
	NewCapexPerT, NewYearlyPerT float64
	// LinehaulCostPerKm is a line-haul truck's cost per km (CNY) and
	// LinehaulPayloadT its payload in tonnes (linehaul_cost_per_km,
	// linehaul_payload).
	LinehaulCostPerKm, LinehaulPayloadT float64
}

// EmptyReturn is the truck-km a loaded line-haul km costs: dedicated
// dangerous-goods trucks carry full loads to the plant and return empty
// (assumption: no back-haul of class 9 goods from a recycling plant).
const EmptyReturn = 2

// CostPerTonneKm is the line-haul cost of a tonne over a road km: a full
// truckload, back empty.
func (c CapacityCosts) CostPerTonneKm() float64 {
	return EmptyReturn * c.LinehaulCostPerKm / c.LinehaulPayloadT
}

func (c CapacityCosts) check() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"plant_expansion_capex", c.ExpansionCapexPerT}, {"plant_expansion_yearly_cost", c.ExpansionYearlyPerT},
		{"plant_new_capex", c.NewCapexPerT}, {"plant_new_yearly_cost", c.NewYearlyPerT},
		{"linehaul_cost_per_km", c.LinehaulCostPerKm}, {"linehaul_payload", c.LinehaulPayloadT}} {
		if !(f.v > 0) || math.IsInf(f.v, 0) {
			return fmt.Errorf("capacity costs: %s %v: want a finite figure > 0", f.name, f.v)
		}
	}
	return nil
}

// Default module sizes, t/yr, each from a cited project (costs.csv sources).
var (
	// DefaultExpansionModules: +20 kt/yr (Hunan Yuneng, on reserved land)
	// and +40 kt/yr (Jereh, phase 2 on the same site); a plant may take
	// either or both (+60 kt/yr).
	DefaultExpansionModules = []float64{20000, 40000}
	// DefaultNewPlantModules: 20 kt/yr (Nanchong), 50 and 100 kt/yr
	// (Jereh's Zhengzhou phases); several at one city are phases of one
	// plant (up to 170 kt/yr).
	DefaultNewPlantModules = []float64{10000, 20000, 50000, 100000}
)

// Retiring is a place where batteries retire: a region's seat and the
// tonnes retiring there in a year.
type Retiring struct {
	ID, Name, Province string
	Point              orb.Point
	TonnesPerYear      float64
}

// PlantSite is a candidate city for a new plant.
type PlantSite struct {
	ID, Name, Province string
	Point              orb.Point
}

// CapacityOptions configure PlanCapacity. The zero value of a field means
// its documented default.
type CapacityOptions struct {
	Costs CapacityCosts
	// ExpansionModules are the sizes (t/yr) of the expansions one listed
	// plant may take, each at most once; nil means DefaultExpansionModules,
	// an empty non-nil slice none.
	ExpansionModules []float64
	// NewPlantModules are the sizes (t/yr) a new plant at a candidate city
	// may be built in, each at most once; nil means DefaultNewPlantModules,
	// an empty non-nil slice none.
	NewPlantModules []float64
	// NewPlantNeighbours is how many candidate cities, nearest first, a
	// region's tonnes may go to a new plant in; 0 means
	// DefaultNewPlantNeighbours. Listed plants and their expansions are
	// open to every region.
	NewPlantNeighbours int
	// UnservedCostPerT is charged per tonne a year no plant takes; 0 means
	// the default of DefaultUnservedCost.
	UnservedCostPerT float64
	// Detour turns great-circle km into road km.
	Detour geo.Detour
	// Settings of both solves (zero: the location package's defaults).
	Settings location.Settings
}

// DefaultUnservedCost is the charge per unprocessed tonne when none is
// set: twice the yearly cost of a tonne of the dearer kind of new capacity
// plus twice the line-haul of the longest leg listed. It is large enough
// that (1) no tonne a listed plant has room for is left for its distance,
// and (2) every module that would be at least half used is built: such a
// module of S t/yr costs at most S·c a year and saves at least
// S/2·(U − longest haul) >= S·c. A module used less than half is built only
// when the haul it saves pays for it.
func DefaultUnservedCost(costs CapacityCosts, longestKm float64) float64 {
	c := math.Max(costs.NewYearlyPerT, costs.ExpansionYearlyPerT)
	return 2 * (c + longestKm*costs.CostPerTonneKm())
}

// DefaultNewPlantNeighbours is the default of
// CapacityOptions.NewPlantNeighbours.
const DefaultNewPlantNeighbours = 10

func (o *CapacityOptions) neighbours() int {
	if o.NewPlantNeighbours <= 0 {
		return DefaultNewPlantNeighbours
	}
	return o.NewPlantNeighbours
}

// maxModules bounds the module sizes per kind of site: the rounding of the
// relaxation enumerates their subsets.
const maxModules = 12

func (o *CapacityOptions) modules() (exp, nw []float64, err error) {
	exp, nw = o.ExpansionModules, o.NewPlantModules
	if exp == nil {
		exp = DefaultExpansionModules
	}
	if nw == nil {
		nw = DefaultNewPlantModules
	}
	for _, m := range [][]float64{exp, nw} {
		if len(m) > maxModules {
			return nil, nil, fmt.Errorf("capacity: %d module sizes: want at most %d per kind of site", len(m), maxModules)
		}
		for _, s := range m {
			if !(s > 0) || math.IsInf(s, 0) {
				return nil, nil, fmt.Errorf("capacity: module size %v t/yr: want a finite size > 0", s)
			}
		}
	}
	return exp, nw, nil
}

// Investment kinds.
const (
	KindExpansion = "expansion" // modules added at a listed plant
	KindNewPlant  = "new_plant" // a new plant at a candidate city
)
