package planner

import (
	"math"

	"github.com/paulmach/orb/geojson"

	"github.com/rlplan/rlplan/geo"
)

// round keeps d decimals, so that tables and layers do not carry float noise.
func round(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

// DensityLayer turns density cells into H3 hexagon features with properties
// h3, packs, tonnes and province.
func DensityLayer(cells []DensityCell) (*geojson.FeatureCollection, error) {
	fc := geojson.NewFeatureCollection()
	for _, c := range cells {
		poly, err := geo.CellPolygon(c.Cell)
		if err != nil {
			return nil, err
		}
		f := geojson.NewFeature(poly)
		f.Properties["h3"] = c.Cell.String()
		f.Properties["packs"] = round(c.Packs, 2)
		f.Properties["tonnes"] = round(c.Tonnes, 4)
		f.Properties["province"] = c.Province
		fc.Append(f)
	}
	return fc, nil
}
