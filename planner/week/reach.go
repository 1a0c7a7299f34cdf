package week

import (
	"math"
	"sort"

	"github.com/rlplan/rlplan/planner/domain"
)

// VisitService is the longest a visit of the outlet can take: the handling
// time plus the packs that gather over the longest wait its rule allows
// (as many days as its fill target lasts, at most its cycle).
func VisitService(op *OutletPlan, opt *Options) float64 {
	days := float64(7 * max(op.CycleWeeks, 1))
	if op.KgPerDay > 0 {
		days = math.Min(days, op.Outlet.CapacityKg*opt.FillTarget/op.KgPerDay)
	}
	return opt.ServiceMin + opt.ServiceMinPerPack*math.Ceil(op.PacksPerDay*days)
}

// InReach lists, for each outlet of r (aligned with r.Outlets), the plants
// with a fleet whose trucks reach it and bring it back within a shift
// inside opening hours (as AssignPlants tests a due outlet), nearest
// first. An outlet with none is one for consolidation hubs.
func (r *Rules) InReach(plants []domain.Plant, fleet []domain.FleetRow, legs Legs, opt *Options) [][]domain.PlantKm {
	fleetOf := fleetByPlant(fleet)
	out := make([][]domain.PlantKm, len(r.Outlets))
	for i := range r.Outlets {
		op := &r.Outlets[i]
		service := VisitService(op, opt)
		for k, pl := range plants {
			if f := fleetOf[pl.ID]; len(f) > 0 {
				if km, ok, _ := Reach(pl, op.Outlet, f, service, legs, opt); ok {
					out[i] = append(out[i], domain.PlantKm{Plant: k, Km: km})
				}
			}
		}
		sort.SliceStable(out[i], func(a, b int) bool { return out[i][a].Km < out[i][b].Km })
	}
	return out
}
