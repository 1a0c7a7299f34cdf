package network

import (
	"context"
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
)

// Consolidation hubs: an outlet no plant's truck reaches and brings back
// within a shift is emptied by milk runs from a hub, a central storage
// outlet with trucks of its own, which ships full truckloads to a plant
// (line-haul). A leg leaves as soon as a load has gathered, so the hub's
// storage must hold a waiting load plus the largest delivery a truck
// brings: the load is min(payload, storage x fill - largest truck).
// Which outlets become hubs, and which remote outlet each hub empties, is
// a facility-location model priced per week:
//
//	hub fixed cost   operating a depot (HubWeekCost: a truck on duty every
//	                 work day) plus, for a collection outlet, the upgrade
//	                 to central storage it needs (yearly cost / 52)
//	assignment cost  per tonne: the milk run, km to the hub x the trucks'
//	                 cost per tonne-km, plus the line-haul, km from the hub
//	                 to its nearest plant, there loaded and back empty, over
//	                 the hub's load
//
// An outlet is tied whole to one hub, and only to hubs whose trucks reach
// it within a shift. The hub's trucks are sized to what it receives, so
// neither its storage nor its fleet caps what it takes in a week; plant
// intake does, when the legs are booked (BookLinehaul).

// Linehaul is the truck of the line-haul legs (costs.csv).
type Linehaul struct {
	PayloadKg float64
	SpeedKmh  float64
	CostPerKm float64 // CNY per km driven (loaded or empty)
	CO2GPerKm float64
}

// Check reports a line-haul truck that cannot carry anything.
func (l Linehaul) Check() error {
	for _, v := range []struct {
		name string
		x    float64
	}{{"payload", l.PayloadKg}, {"speed", l.SpeedKmh}} {
		if !(v.x > 0) || math.IsInf(v.x, 0) {
			return fmt.Errorf("line-haul truck: %s %g: want a figure > 0", v.name, v.x)
		}
	}
	if !(l.CostPerKm >= 0) || !(l.CO2GPerKm >= 0) || math.IsInf(l.CostPerKm+l.CO2GPerKm, 0) {
		return fmt.Errorf("line-haul truck: cost %g CNY/km, CO2 %g g/km: want figures >= 0", l.CostPerKm, l.CO2GPerKm)
	}
	return nil
}

// HubLoad is the load of a hub's line-haul legs: the usable storage
// (limit x fill) less the largest delivery a truck brings while a load
// waits, up to a full payload; <= 0 when the hub cannot hold both.
func HubLoad(storageKg, maxDeliveryKg float64, tp Throughput, l Linehaul) float64 {
	return math.Min(l.PayloadKg, storageKg*tp.Fill-maxDeliveryKg)
}

// HubProblem is the hub model's input.
type HubProblem struct {
	// Outlets is the network after siting; KgPerWeek and PacksPerWeek
	// their catchments (mean kg and packs a week); Remote marks the outlets
	// no plant's truck reaches within a shift.
	Outlets                 []domain.Outlet
	KgPerWeek, PacksPerWeek []float64
	Remote                  []bool
	// Plants are the line-haul destinations (those with intake).
	Plants []domain.Plant
	// Reach reports the road km from a hub to an outlet and whether the
	// hub's trucks get there and back within a shift; it is asked only for
	// the pairs within MaxReachKm by road (great-circle x Detour).
	Reach      func(hub, o domain.Outlet) (km float64, ok bool)
	MaxReachKm float64
	Detour     geo.Detour
	// Road is the road km between two places (ids for a road matrix).
	Road      func(fromID, toID string, from, to domain.Outlet) float64
	PlantRoad func(hub domain.Outlet, p domain.Plant) float64
	// Catalogue offers the upgrade a collection outlet needs to be a hub
	// (to central storage).
	Catalogue  Catalogue
	Throughput Throughput
	Linehaul   Linehaul
	// MilkCostPerTonneKm prices the milk runs: CNY per tonne per km from
	// the hub (both ways of the truck included).
	MilkCostPerTonneKm float64
	// HubWeekCost is the weekly cost of operating a hub's trucks, CNY.
	HubWeekCost float64
	// MaxTruckKg is the largest truck a hub runs: what one delivery can
	// bring while a load waits.
	MaxTruckKg float64
	Settings   location.Settings
}

// Hub is an outlet chosen as a consolidation hub.
type Hub struct {
	Outlet int // index into HubProblem.Outlets
	// Upgrade is set when the outlet is upgraded to be a hub.
	Upgrade *Upgrade
	// StorageKg is its storage (after any upgrade); LoadKg the design load
	// of a leg (HubLoad).
	StorageKg, LoadKg float64
	// OwnKgPerWeek is its own catchment; InflowKgPerWeek adds the outlets
	// it empties (planned, mean).
	OwnKgPerWeek, InflowKgPerWeek float64
	Plant                         int     // nearest plant (design estimate of the line-haul)
	PlantKm                       float64 // road km to it
	Serves                        []int   // remote outlets it empties
	WeekCost                      float64 // fixed cost a week (operation, upgrade)
}

// HubPlan is the outcome of the hub model.
type HubPlan struct {
	Hubs []Hub
	// HubOf[i] is the hub (index into Hubs) that empties outlet i, -1 for
	// none; a hub's own outlet maps to itself.
	HubOf []int
	// Unreached lists remote outlets with a catchment that no hub
	// candidate reaches within a shift.
	Unreached        []int
	Cost, Bound, Gap float64
	HasBound         bool
	Status           solver.Status
	Candidates       int
}

// candidateHub is a hub candidate of the model.
type candidateHub struct {
	outlet  int
	upgrade *Upgrade
	storage float64
	load    float64
	plant   int
	plantKm float64
	fixed   float64
	perT    float64 // line-haul CNY per tonne
}

// Hubs chooses the hubs and ties each remote outlet to one. The answer is
// checked by the independent validator.
func Hubs(ctx context.Context, hp *HubProblem) (*HubPlan, error) {
	if err := hp.check(); err != nil {
		return nil, err
	}
	plan := &HubPlan{HubOf: make([]int, len(hp.Outlets)), Status: solver.Optimal}
	for i := range plan.HubOf {
		plan.HubOf[i] = -1
	}
	var remote []int
	for i, r := range hp.Remote {
		if r && hp.KgPerWeek[i] > 0 {
			remote = append(remote, i)
		}
	}
	if len(remote) == 0 {
		return plan, nil
	}
	cands := hp.candidates()
	plan.Candidates = len(cands)
	p, err := hp.problem(remote, cands)
	if err != nil {
		return nil, err
	}
	m, err := solveComponents(ctx, p, hp.Settings, "hubs")
	if err != nil {
		return nil, err
	}
	plan.Cost, plan.Bound, plan.Gap, plan.HasBound, plan.Status = m.cost, m.bound, m.gap, m.hasBound, m.status
	plan.build(hp, remote, cands, m)
	return plan, nil
}

func (hp *HubProblem) check() error {
	n := len(hp.Outlets)
	switch {
	case len(hp.KgPerWeek) != n || len(hp.PacksPerWeek) != n || len(hp.Remote) != n:
		return fmt.Errorf("hubs: %d outlets but %d, %d and %d rates and remote flags", n, len(hp.KgPerWeek), len(hp.PacksPerWeek), len(hp.Remote))
	case hp.Reach == nil || hp.PlantRoad == nil:
		return fmt.Errorf("hubs: no reach or road function")
	case !(hp.MilkCostPerTonneKm >= 0) || !(hp.HubWeekCost >= 0):
		return fmt.Errorf("hubs: milk-run cost %g, hub cost %g: want costs >= 0", hp.MilkCostPerTonneKm, hp.HubWeekCost)
	}
	if err := hp.Throughput.Check(); err != nil {
		return err
	}
	return hp.Linehaul.Check()
}

// candidates lists the outlets that can be hubs: central storage outlets,
// and collection outlets the catalogue can upgrade to central storage,
// each with room left after its own catchment and a plant to ship to.
func (hp *HubProblem) candidates() []candidateHub {
	var cs []candidateHub
	for i, o := range hp.Outlets {
		c := candidateHub{outlet: i, storage: o.CapacityKg, fixed: hp.HubWeekCost, plant: -1}
		if o.Type != domain.OutletCentral {
			u, ok := hp.Catalogue.upgradeOf(o)
			if !ok || u.To.OutletType != domain.OutletCentral {
				continue
			}
			c.upgrade, c.storage = &u, u.To.StorageKg
			c.fixed += u.YearlyCost / 52
		}
		if c.load = HubLoad(c.storage, hp.MaxTruckKg, hp.Throughput, hp.Linehaul); c.load <= 0 {
			continue
		}
		c.plant, c.plantKm = hp.nearestPlant(o)
		if c.plant < 0 {
			continue
		}
		// A leg drives loaded to the plant and back empty.
		c.perT = 2 * c.plantKm * hp.Linehaul.CostPerKm / (c.load / 1000)
		cs = append(cs, c)
	}
	return cs
}

// nearestPlant is the plant with intake nearest by road, -1 for none.
func (hp *HubProblem) nearestPlant(o domain.Outlet) (int, float64) {
	best, km := -1, math.Inf(1)
	for k, pl := range hp.Plants {
		if pl.IntakeKgPerWeek <= 0 {
			continue
		}
		if d := hp.PlantRoad(o, pl); d < km {
			best, km = k, d
		}
	}
	return best, km
}

// problem builds the hub location problem: remote outlets (t a week) as
// demands, candidates as facilities; a pair is listed when the hub's
// trucks reach the outlet within a shift.
func (hp *HubProblem) problem(remote []int, cands []candidateHub) (*location.Problem, error) {
	p := &location.Problem{Objective: location.FacilityLocation, Facilities: make([]location.Facility, len(cands))}
	pts := make([]orb.Point, len(cands))
	for k, c := range cands {
		p.Facilities[k] = location.Facility{FixedCost: c.fixed}
		pts[k] = hp.Outlets[c.outlet].Point
	}
	near, err := Indexed(pts, hp.Detour)
	if err != nil {
		return nil, err
	}
	ids := []int32{}
	ds := []float64{}
	var buf []Neighbour
	for _, j := range remote {
		o := hp.Outlets[j]
		ids, ds = ids[:0], ds[:0]
		buf = near(buf, o.Point, hp.MaxReachKm)
		for _, n := range buf {
			c := cands[n.ID]
			if c.outlet == j {
				ids, ds = append(ids, int32(n.ID)), append(ds, c.perT) // its own hub: line-haul only
				continue
			}
			if km, ok := hp.Reach(hp.Outlets[c.outlet], o); ok {
				ids, ds = append(ids, int32(n.ID)), append(ds, km*hp.MilkCostPerTonneKm+c.perT)
			}
		}
		p.Weights = append(p.Weights, hp.KgPerWeek[j]/1000)
		p.Dist.AppendRow(ids, ds)
	}
	return p, nil
}

// build turns the model's answer into hubs and ties. A hub's own outlet
// is emptied by its own line-haul, whatever the model tied it to.
func (plan *HubPlan) build(hp *HubProblem, remote []int, cands []candidateHub, m *merged) {
	hubAt := map[int]int{} // candidate -> hub
	for _, k := range m.open {
		c := cands[k]
		hubAt[k] = len(plan.Hubs)
		plan.HubOf[c.outlet] = len(plan.Hubs)
		plan.Hubs = append(plan.Hubs, Hub{Outlet: c.outlet, Upgrade: c.upgrade, StorageKg: c.storage, LoadKg: c.load, Plant: c.plant, PlantKm: c.plantKm,
			OwnKgPerWeek: hp.KgPerWeek[c.outlet], InflowKgPerWeek: hp.KgPerWeek[c.outlet], WeekCost: c.fixed})
	}
	for d, j := range remote {
		if plan.HubOf[j] >= 0 { // a hub itself
			continue
		}
		h, ok := hubAt[m.assign[d]]
		if !ok {
			plan.Unreached = append(plan.Unreached, j)
			continue
		}
		plan.HubOf[j] = h
		plan.Hubs[h].Serves = append(plan.Hubs[h].Serves, j)
		plan.Hubs[h].InflowKgPerWeek += hp.KgPerWeek[j]
	}
}

// Direct ties each outlet to one plant whose trucks reach it (reach[i],
// road km), within the plants' weekly intake (kg), fewest tonne-km first:
// a transportation problem with whole outlets (location.Solve, single
// source, every plant open; checked by the validator). It returns each
// outlet's plant, -1 for an outlet no plant in reach has intake left for
// (or none reaches): the outlets consolidation hubs may take to plants
// with intake farther away.
func Direct(ctx context.Context, kgPerWeek []float64, intake []float64, reach [][]domain.PlantKm, set location.Settings) ([]int, error) {
	out := make([]int, len(kgPerWeek))
	for i := range out {
		out[i] = -1
	}
	p := &location.Problem{Objective: location.FacilityLocation, SingleSource: true, Facilities: make([]location.Facility, len(intake))}
	for k, c := range intake {
		p.Facilities[k] = location.Facility{Open: true, Capacity: math.Max(c/1000, 1e-12)}
	}
	var demand []int
	ids := []int32{}
	ds := []float64{}
	for i, kg := range kgPerWeek {
		if !(kg > 0) || len(reach[i]) == 0 {
			continue
		}
		ids, ds = ids[:0], ds[:0]
		for _, r := range reach[i] {
			ids, ds = append(ids, int32(r.Plant)), append(ds, r.Km)
		}
		demand = append(demand, i)
		p.Weights = append(p.Weights, kg/1000)
		p.Dist.AppendRow(ids, ds)
	}
	if len(demand) == 0 {
		return out, nil
	}
	res, err := location.Solve(ctx, p, &set)
	if err != nil {
		return nil, fmt.Errorf("direct tier: %w", err)
	}
	if err := validateResult(p, res, "direct tier"); err != nil {
		return nil, err
	}
	for d, k := range res.Assign {
		out[demand[d]] = k
	}
	return out, nil
}
