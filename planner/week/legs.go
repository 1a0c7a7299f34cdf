package week

import (
	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
)

// Legs gives the road distance and time between two places: from the road
// matrix where it lists the pair, otherwise great-circle x detour.
type Legs struct {
	Detour geo.Detour
	Roads  *domain.RoadMatrix // nil: estimates only
}

// Leg returns the road km from one place to another and the minutes when
// the road matrix gives them; minutes < 0 means "derive from the truck's
// speed". The same place is 0 km and 0 minutes away.
func (l Legs) Leg(fromID, toID string, from, to orb.Point) (km, minutes float64) {
	if l.Roads != nil && fromID != toID {
		if rkm, rmin, ok, okMin := l.Roads.Leg(fromID, toID); ok {
			if !okMin {
				rmin = -1
			}
			return rkm, rmin
		}
	}
	return float64(geo.Haversine(from, to)) * l.Detour.Factor(), -1
}

// fleetByPlant lists each plant's fleet rows with trucks (count > 0), in
// the order of the fleet table.
func fleetByPlant(fleet []domain.FleetRow) map[string][]domain.FleetRow {
	out := map[string][]domain.FleetRow{}
	for _, f := range fleet {
		if f.Count > 0 {
			out[f.PlantID] = append(out[f.PlantID], f)
		}
	}
	return out
}
