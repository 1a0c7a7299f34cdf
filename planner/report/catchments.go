package report

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/uber/h3-go/v4"

	"github.com/rlplan/rlplan/geo"
)

// CatchmentRes is the H3 resolution of plant catchments: cells of about
// 250 km², coarse enough that a plant's outlets form areas, fine enough to
// follow provinces and coasts.
const CatchmentRes = 5

// Pickup is what a plant's trucks collect at one outlet in the week.
type Pickup struct {
	Point orb.Point // the outlet
	Plant string
	Kg    float64
}

// PlantWeek is a plant's week: intake and the trucks' work.
type PlantWeek struct {
	ID, Name, Province string
	IntakeT            float64 // weekly intake limit, t
	PlannedT           float64 // delivered this week, t
	Outlets            int     // outlets its trucks visit
	TruckDays, Trips   int
	Km, CostCNY, CO2Kg float64
}

// CatchmentLayer draws each plant's catchment: the H3 cells (CatchmentRes)
// of the outlets its trucks empty this week, each cell given to the plant
// that collects most there (ties to the smaller plant id), merged into one
// MultiPolygon per plant. Properties: plant, name, province, outlets, cells,
// planned_t, intake_limit_t, intake_used_share, truck_days, trips, km,
// cost_cny, co2_kg. Plants without pickups have no feature.
func CatchmentLayer(pickups []Pickup, plants []PlantWeek) (*geojson.FeatureCollection, error) {
	kg := map[h3.Cell]map[string]float64{}
	for _, p := range pickups {
		c, err := geo.Cell(p.Point, CatchmentRes)
		if err != nil {
			return nil, err
		}
		if kg[c] == nil {
			kg[c] = map[string]float64{}
		}
		kg[c][p.Plant] += p.Kg
	}
	cellsOf := map[string][]h3.Cell{}
	for c, by := range kg {
		best, bkg := "", math.Inf(-1)
		for pl, v := range by {
			if v > bkg || v == bkg && pl < best {
				best, bkg = pl, v
			}
		}
		cellsOf[best] = append(cellsOf[best], c)
	}
	fc := geojson.NewFeatureCollection()
	for _, pl := range plants {
		cells := cellsOf[pl.ID]
		if len(cells) == 0 {
			continue
		}
		sort.Slice(cells, func(i, j int) bool { return cells[i] < cells[j] })
		mp, err := geo.CellsToMultiPolygon(cells)
		if err != nil {
			return nil, err
		}
		f := geojson.NewFeature(mp)
		f.Properties["plant"] = pl.ID
		f.Properties["name"] = pl.Name
		f.Properties["province"] = pl.Province
		f.Properties["outlets"] = pl.Outlets
		f.Properties["cells"] = len(cells)
		f.Properties["planned_t"] = round(pl.PlannedT, 2)
		f.Properties["intake_limit_t"] = round(pl.IntakeT, 1)
		if pl.IntakeT > 0 {
			f.Properties["intake_used_share"] = round(pl.PlannedT/pl.IntakeT, 4)
		}
		f.Properties["truck_days"] = pl.TruckDays
		f.Properties["trips"] = pl.Trips
		f.Properties["km"] = round(pl.Km, 0)
		f.Properties["cost_cny"] = round(pl.CostCNY, 0)
		f.Properties["co2_kg"] = round(pl.CO2Kg, 0)
		fc.Append(f)
	}
	return fc, nil
}
