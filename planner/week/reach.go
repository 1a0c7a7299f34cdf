package week

import (
	"math"

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

// Remote marks the outlets of r (aligned with r.Outlets) that no truck of
// any plant with a fleet reaches and brings back within a shift inside
// opening hours (as AssignPlants tests it for a due outlet): outlets for
// consolidation hubs.
func (r *Rules) Remote(plants []domain.Plant, fleet []domain.FleetRow, legs Legs, opt *Options) []bool {
	fleetOf := fleetByPlant(fleet)
	out := make([]bool, len(r.Outlets))
	for i := range r.Outlets {
		op := &r.Outlets[i]
		service := VisitService(op, opt)
		out[i] = true
		for _, pl := range plants {
			if f := fleetOf[pl.ID]; len(f) > 0 {
				if _, ok, _ := Reach(pl, op.Outlet, f, service, legs, opt); ok {
					out[i] = false
					break
				}
			}
		}
	}
	return out
}
