package planner

import (
	"sort"

	"github.com/rlplan/rlplan/planner/network"
)

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
	seats := regionSeats(in)
	by := map[string]float64{}
	for _, r := range rows {
		by[r.RegionID] += r.Tonnes
	}
	out := make([]network.Retiring, 0, len(by))
	for _, c := range seats {
		if t := by[c.ID]; t > 0 {
			out = append(out, network.Retiring{ID: c.ID, Name: c.Name, Province: c.Province, Point: c.Point, TonnesPerYear: t})
		}
	}
	return out, nil
}

// CapacitySites are the candidate cities for new plants: the seat of every
// region of the stock, in id order.
func CapacitySites(in *Inputs) []network.PlantSite { return regionSeats(in) }

func regionSeats(in *Inputs) []network.PlantSite {
	seen := map[string]bool{}
	var out []network.PlantSite
	for _, s := range in.Stock {
		if seen[s.RegionID] {
			continue
		}
		seen[s.RegionID] = true
		out = append(out, network.PlantSite{ID: s.RegionID, Name: s.Name, Province: s.Province, Point: s.Point})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}
