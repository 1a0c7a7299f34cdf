package planner

import (
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/network"
	"github.com/rlplan/rlplan/planner/report"
)

// CatchmentKPI splits the retiring tonnes of a year by what outlets absorb
// within the radius and their throughput.
type CatchmentKPI struct {
	AbsorbedT     float64 `json:"absorbed_t"`      // within the radius and absorbed
	OverCapacityT float64 `json:"over_capacity_t"` // within the radius, over every outlet's throughput
	BeyondRadiusT float64 `json:"beyond_radius_t"` // beyond the radius of every outlet
	AbsorbedShare float64 `json:"absorbed_share"`
}

// CatchmentsKPI is the catchment split of the existing outlets (Before),
// after siting (After) and of the week's network (Week: after siting, as
// the week assigned it).
type CatchmentsKPI struct {
	Before *CatchmentKPI `json:"before,omitempty"`
	After  *CatchmentKPI `json:"after,omitempty"`
	Week   *CatchmentKPI `json:"week,omitempty"`
}

// NetworkKPI summarises the week's hub tier.
type NetworkKPI struct {
	Hubs int `json:"hubs"`
	// HubOutlets are the outlets with a visit rule whose depot is a hub.
	HubOutlets int `json:"hub_outlets"`
	// HubOwnT is what the hubs' own catchments bring in the week (t).
	HubOwnT      float64 `json:"hub_own_t"`
	LinehaulLegs int     `json:"linehaul_legs"`
	LinehaulT    float64 `json:"linehaul_t"`
	// LinehaulKm counts every leg there and back; cost and CO2 likewise.
	LinehaulKm      float64 `json:"linehaul_km"`
	LinehaulCostCNY float64 `json:"linehaul_cost_cny"`
	LinehaulCO2Kg   float64 `json:"linehaul_co2_kg"`
}

// catchmentKPI splits total tonnes by the leftovers.
func catchmentKPI(total float64, left []domain.Leftover) *CatchmentKPI {
	k := &CatchmentKPI{}
	for _, l := range left {
		switch l.Cause {
		case domain.LeftOverCapacity:
			k.OverCapacityT += l.TonnesPerYear
		case domain.LeftBeyondRadius:
			k.BeyondRadiusT += l.TonnesPerYear
		}
	}
	k.AbsorbedT = total - k.OverCapacityT - k.BeyondRadiusT
	if total > 0 {
		k.AbsorbedShare = round(k.AbsorbedT/total, 5)
	}
	k.AbsorbedT, k.OverCapacityT, k.BeyondRadiusT = round(k.AbsorbedT, 2), round(k.OverCapacityT, 2), round(k.BeyondRadiusT, 2)
	return k
}

func catchmentOf(total float64, c *network.Catchment) *CatchmentKPI {
	if c == nil {
		return nil
	}
	return catchmentKPI(total, c.Left)
}

// typedSitingKPIs adds the site types, upgrades, cost and catchments of a
// typed siting.
func (p *Plan) typedSitingKPIs(k *KPIs) {
	s := p.Siting
	k.Siting.SitesByType = map[string]int{}
	for _, site := range s.Sites {
		k.Siting.SitesByType[site.SiteType]++
	}
	k.Siting.Upgrades = len(s.Upgrades)
	k.Siting.YearlyCostCNY = round(s.YearlyCost, 0)
	k.Siting.UncollectedCost = round(s.UncollectedCost, 2)
	k.Catchments = &CatchmentsKPI{Before: catchmentOf(k.Forecast.Tonnes, s.CatchBefore), After: catchmentOf(k.Forecast.Tonnes, s.CatchAfter)}
}

// WeekKPI sums a weekly schedule: the routes section of kpis.json, and
// what `rlplan routes --format json` prints: collected (trucks and hubs),
// due, the share and what blocks the rest.
func WeekKPI(sch *Schedule) *RoutesKPI {
	r := &RoutesKPI{Week: sch.Week, Stops: len(sch.Stops), VehicleDays: sch.VehicleDays, Trips: sch.Trips, Km: round(sch.Km, 1), Hours: round(sch.Hours, 2),
		CostCNY: round(sch.Cost, 0), CO2Kg: round(sch.CO2Kg, 1), UnservedOutlets: len(sch.Unserved), UnservedByReason: map[string]int{},
		BlockedTonnes: map[string]float64{}, UncollectedTonnes: round(sch.Uncollected.Tonnes, 1), Status: sch.Status}
	collected := sch.CollectedKg + sch.HubOwnKg
	due := collected
	blocked := map[string]float64{}
	for _, u := range sch.Unserved {
		r.UnservedByReason[u.Reason]++
		blocked[u.Reason] += u.WeekKg
		due += u.WeekKg
	}
	for reason, kg := range blocked {
		r.BlockedTonnes[reason] = round(kg/1000, 3)
	}
	r.CollectedTonnes, r.DueTonnes = round(collected/1000, 3), round(due/1000, 3)
	if due > 0 {
		r.CollectedShare = round(collected/due, 4)
	}
	if collected > 0 {
		cost, co2 := sch.Cost, sch.CO2Kg
		for _, l := range sch.Linehaul {
			cost += l.CostCNY
			co2 += l.CO2Kg
		}
		r.CO2KgPerTonne = round(co2/(collected/1000), 3)
		r.CostPerTonne = round(cost/(collected/1000), 2)
	}
	if c := sch.Consistency; c != nil {
		r.Consistency = &ConsistencyKPI{From: c.From, Outlets: c.Outlets, Kept: c.Kept, KeptShare: round(c.Share, 4), NotDue: c.NotDue,
			PreviousCostCNY: round(c.PreviousCost, 0), CostChangeCNY: unsigned0(round(c.CostChange, 0)), ChargeCNY: round(c.Charge, 2),
			Added: c.Added, Dropped: c.Dropped, PreviousTonnes: round(c.PreviousKg/1000, 3), Tonnes: round(c.CollectedKg/1000, 3),
			PerTonneChangeShare: unsigned0(round(c.PerTonneChange, 5))}
		if c.PreviousCost > 0 {
			r.Consistency.CostChangeShare = unsigned0(round(c.CostChange/c.PreviousCost, 5))
		}
	}
	return r
}

// unsigned0 prints a change rounded to nothing as 0, not -0.
func unsigned0(x float64) float64 {
	if x == 0 {
		return 0
	}
	return x
}

// networkKPI summarises the hubs and their legs; nil without hubs.
func networkKPI(sch *Schedule) *NetworkKPI {
	if len(sch.Hubs) == 0 {
		return nil
	}
	n := &NetworkKPI{Hubs: len(sch.Hubs), HubOwnT: round(sch.HubOwnKg/1000, 3), LinehaulLegs: len(sch.Linehaul)}
	hub := map[string]bool{}
	for _, h := range sch.Hubs {
		hub[h.ID] = true
	}
	for _, o := range sch.Outlets {
		if hub[o.Plant] {
			n.HubOutlets++
		}
	}
	for _, l := range sch.Linehaul {
		n.LinehaulT += l.LoadKg / 1000
		n.LinehaulKm += 2 * l.Km
		n.LinehaulCostCNY += l.CostCNY
		n.LinehaulCO2Kg += l.CO2Kg
	}
	n.LinehaulT, n.LinehaulKm, n.LinehaulCostCNY, n.LinehaulCO2Kg = round(n.LinehaulT, 3), round(n.LinehaulKm, 1), round(n.LinehaulCostCNY, 0), round(n.LinehaulCO2Kg, 1)
	return n
}

// plantKPIs compares each plant's week (its trucks' deliveries and the
// legs it receives) with its intake; plants that receive nothing are left
// out.
func plantKPIs(sch *Schedule, plants []Plant) []PlantKPI {
	planned, linehaul := map[string]float64{}, map[string]float64{}
	for _, pd := range sch.PlantDays {
		planned[pd.Plant] += pd.DeliveredTonnes
	}
	for _, l := range sch.Linehaul {
		planned[l.Plant] += l.LoadKg / 1000
		linehaul[l.Plant] += l.LoadKg / 1000
	}
	var out []PlantKPI
	for _, pl := range plants {
		if t, ok := planned[pl.ID]; ok {
			out = append(out, PlantKPI{ID: pl.ID, IntakeT: round(pl.IntakeKgPerWeek/1000, 3), PlannedT: round(t, 3), LinehaulT: round(linehaul[pl.ID], 3),
				IntakeShare: round(t*1000/pl.IntakeKgPerWeek, 4)})
		}
	}
	return out
}

// linehaulTruck names the line-haul truck in the carbon account.
const linehaulTruck = "linehaul_truck"

// linehaulCarbon adds the week's line-haul legs to the carbon account's
// inputs: each leg there loaded and back empty, booked to the plant it
// delivers to and the hub's province, at the line-haul truck's one flat
// figure (costs.csv gives it for a loaded truck: the empty return is
// counted at it, an upper bound); and the packs handed in at the hubs as
// collected, by the chemistry shares of their province.
func linehaulCarbon(in *report.CarbonInput, s *Schedule, chem map[string]map[string]float64) {
	if s.LinehaulTruck == nil {
		return
	}
	l := s.LinehaulTruck
	in.Trucks = append(in.Trucks, report.TruckFactor{VehicleType: linehaulTruck, CapacityKg: l.PayloadKg, EmptyGPerKm: l.CO2GPerKm, FullGPerKm: l.CO2GPerKm,
		Source: "costs.csv linehaul_co2_per_km (flat)"})
	province := map[string]string{}
	for _, d := range s.HubDepots {
		province[d.ID] = d.Province
	}
	for _, h := range s.Hubs {
		if _, ok := province[h.ID]; !ok {
			province[h.ID] = ""
		}
	}
	for _, leg := range s.Linehaul {
		prov := province[leg.Hub]
		in.LineHaul = append(in.LineHaul,
			report.Leg{Kind: report.LineHaul, Plant: leg.Plant, Province: prov, VehicleType: linehaulTruck, Km: leg.Km, LoadKg: leg.LoadKg},
			report.Leg{Kind: report.LineHaul, Plant: leg.Plant, Province: prov, VehicleType: linehaulTruck, Km: leg.Km})
	}
	for _, h := range s.Hubs {
		shares := chem[province[h.ID]]
		if shares == nil {
			shares = chem[""]
		}
		for _, c := range []string{report.LFP, report.NCM, report.Other} { // a fixed order: same sums every run
			if sh := shares[c]; sh > 0 && h.KgPerDay > 0 {
				in.Collected = append(in.Collected, report.Collected{Plant: h.ID, Province: province[h.ID], Chemistry: c, Kg: h.KgPerDay * 7 * sh})
			}
		}
	}
}
