package report

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Province is one province's figures for the map's overview.
type Province struct {
	Code, Name string
	Tonnes     float64 // retiring per year
	Packs      float64
	Cells      int
	// CoveredBefore and CoveredAfter are the shares of the tonnes within
	// reach of an outlet, before and after the new sites (equal without
	// siting); MeanKm is the tonnes-weighted road distance after.
	CoveredBefore, CoveredAfter, MeanKm float64
	Outlets, NewSites                   int
	// Week is set when a week of routes was planned: DueT is what the
	// province's outlets needed collected that week, CollectedT what the
	// trucks picked up there, UnservedOutlets the outlets left waiting.
	Week                   bool
	DueT, CollectedT       float64
	UnservedOutlets        int
	UnservedT, BeyondReach float64 // t this week at unserved outlets; t/yr beyond every outlet's reach
}

// ProvinceLayer returns the boundaries of the provinces in figs (matched by
// the iso_3166_2 property of boundaries, a GeoJSON FeatureCollection), in
// the order of figs, with their figures as properties: province, name,
// tonnes, packs, cells, covered_before, covered_share (after), mean_km,
// outlets, new_sites and, for a planned week, due_t, collected_t,
// collected_share, unserved_outlets and unserved_t. Provinces without a
// boundary are an error: the overview would silently miss them.
func ProvinceLayer(boundaries []byte, figs []Province) (*geojson.FeatureCollection, error) {
	in, err := geojson.UnmarshalFeatureCollection(boundaries)
	if err != nil {
		return nil, fmt.Errorf("report: province boundaries: %w", err)
	}
	geom := map[string]orb.Geometry{}
	for _, f := range in.Features {
		if code, _ := f.Properties["iso_3166_2"].(string); code != "" {
			geom[code] = f.Geometry
		}
	}
	out := geojson.NewFeatureCollection()
	for _, p := range figs {
		g, ok := geom[p.Code]
		if !ok {
			return nil, fmt.Errorf("report: province %s has figures but no boundary", p.Code)
		}
		f := geojson.NewFeature(g)
		f.Properties["province"] = p.Code
		f.Properties["name"] = p.Name
		f.Properties["tonnes"] = round(p.Tonnes, 1)
		f.Properties["packs"] = round(p.Packs, 0)
		f.Properties["cells"] = p.Cells
		f.Properties["covered_before"] = round(p.CoveredBefore, 4)
		f.Properties["covered_share"] = round(p.CoveredAfter, 4)
		f.Properties["mean_km"] = round(p.MeanKm, 2)
		f.Properties["outlets"] = p.Outlets
		f.Properties["new_sites"] = p.NewSites
		f.Properties["beyond_reach_t"] = round(p.BeyondReach, 1)
		if p.Week {
			f.Properties["due_t"] = round(p.DueT, 2)
			f.Properties["collected_t"] = round(p.CollectedT, 2)
			if p.DueT > 0 {
				f.Properties["collected_share"] = round(p.CollectedT/p.DueT, 4)
			}
			f.Properties["unserved_outlets"] = p.UnservedOutlets
			f.Properties["unserved_t"] = round(p.UnservedT, 2)
		}
		out.Append(f)
	}
	return out, nil
}
