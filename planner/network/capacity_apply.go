package network

import (
	"fmt"
	"math"
	"sort"

	"github.com/rlplan/rlplan/planner/domain"
)

// FleetRule sizes the trucks of capacity the plan adds, as the default
// dataset sized every listed plant's fleet (datasets/README.md, fleets): a
// plant's trucks carry what it receives in WorkDays at Fill of their
// capacity with one trip a day, in the truck classes of the fleet table and
// in the same mix (each class's share of the table's total capacity).
type FleetRule struct {
	// WorkDays is the number of working days a week (> 0).
	WorkDays int
	// Fill is the average share of a truck's capacity a day's pickups use;
	// 0 means PlanningFill.
	Fill float64
}

// PlanningFill is the fill the default fleets were sized at: the weekly
// plan's own estimate when it books plants' trucks (assumption, stated in
// datasets/README.md).
const PlanningFill = 0.7

// ProposedBasis is the capacity basis of a plant the plan proposes.
const ProposedBasis = "proposed"

// Apply returns the plants and fleet with the plan's investments built:
// each expanded plant's weekly intake grows by its added capacity / 52 and
// its fleet by the trucks its unlocked tonnes need; each new plant joins
// the plants (intake = its capacity / 52, basis "proposed") with trucks for
// its unlocked tonnes, at least one of each class. The inputs are not
// modified.
func (cp *CapacityPlan) Apply(plants []domain.Plant, fleet []domain.FleetRow, rule FleetRule) ([]domain.Plant, []domain.FleetRow, error) {
	if rule.WorkDays <= 0 {
		return nil, nil, fmt.Errorf("capacity: apply: %d work days: want at least 1", rule.WorkDays)
	}
	if rule.Fill == 0 {
		rule.Fill = PlanningFill
	}
	if !(rule.Fill > 0 && rule.Fill <= 1) {
		return nil, nil, fmt.Errorf("capacity: apply: fill %v: want a share in (0, 1]", rule.Fill)
	}
	classes := truckClasses(fleet)
	outP := append([]domain.Plant(nil), plants...)
	outF := append([]domain.FleetRow(nil), fleet...)
	idx := map[string]int{}
	for i, p := range outP {
		idx[p.ID] = i
	}
	for _, inv := range cp.Investments {
		if inv.AddedT <= 0 {
			continue
		}
		if len(classes) == 0 {
			return nil, nil, fmt.Errorf("capacity: apply: the fleet table has no trucks to equip %s with", inv.PlantID)
		}
		weekKg := inv.UnlockedT * 1000 / WeeksPerYear
		switch inv.Kind {
		case KindExpansion:
			i, ok := idx[inv.PlantID]
			if !ok {
				return nil, nil, fmt.Errorf("capacity: apply: expansion of %s, which is not in the plants table", inv.PlantID)
			}
			p := &outP[i]
			p.IntakeKgPerWeek += inv.AddedT * 1000 / WeeksPerYear
			if p.CapacityTPerYear > 0 {
				p.CapacityTPerYear += inv.AddedT
			}
			outF = addTrucks(outF, inv.PlantID, classes, weekKg, rule, false)
		case KindNewPlant:
			if _, dup := idx[inv.PlantID]; dup {
				return nil, nil, fmt.Errorf("capacity: apply: new plant %s: the plants table already has that id", inv.PlantID)
			}
			idx[inv.PlantID] = len(outP)
			outP = append(outP, domain.Plant{ID: inv.PlantID, Name: "new plant at " + inv.Name, Point: inv.Point, Province: inv.Province,
				IntakeKgPerWeek: inv.AddedT * 1000 / WeeksPerYear, CapacityTPerYear: inv.AddedT, CapacityBasis: ProposedBasis,
				Source: "proposed by the capacity model (investments.csv)"})
			outF = addTrucks(outF, inv.PlantID, classes, weekKg, rule, true)
		}
	}
	return outP, outF, nil
}

// truckClass is a truck class of the fleet table and its share of the
// table's capacity.
type truckClass struct {
	row   domain.FleetRow // the class's first row; PlantID and Count unused
	share float64
}

// truckClasses lists the fleet table's classes (by vehicle type, the first
// row of each), ascending by capacity, with their share of the total
// capacity of the table.
func truckClasses(fleet []domain.FleetRow) []truckClass {
	first := map[string]int{}
	kg := map[string]float64{}
	total := 0.0
	for i, f := range fleet {
		if _, ok := first[f.VehicleType]; !ok {
			first[f.VehicleType] = i
		}
		c := float64(f.Count) * f.CapacityKg
		kg[f.VehicleType] += c
		total += c
	}
	var out []truckClass
	for vt, i := range first {
		if kg[vt] > 0 {
			out = append(out, truckClass{row: fleet[i], share: kg[vt] / total})
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].row.CapacityKg != out[b].row.CapacityKg {
			return out[a].row.CapacityKg < out[b].row.CapacityKg
		}
		return out[a].row.VehicleType < out[b].row.VehicleType
	})
	return out
}

// addTrucks equips plant with the trucks that carry weekKg under rule:
// each class carries its share, adding to the plant's row of that class or
// appending one.
func addTrucks(fleet []domain.FleetRow, plant string, classes []truckClass, weekKg float64, rule FleetRule, atLeastOne bool) []domain.FleetRow {
	for _, c := range classes {
		n := int(math.Ceil(c.share*weekKg/(float64(rule.WorkDays)*rule.Fill*c.row.CapacityKg) - 1e-9))
		if atLeastOne && n < 1 {
			n = 1
		}
		if n <= 0 {
			continue
		}
		found := false
		for i := range fleet {
			if fleet[i].PlantID == plant && fleet[i].VehicleType == c.row.VehicleType {
				fleet[i].Count += n
				found = true
				break
			}
		}
		if !found {
			r := c.row
			r.PlantID, r.Count = plant, n
			fleet = append(fleet, r)
		}
	}
	return fleet
}
