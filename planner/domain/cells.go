package domain

import (
	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// DefaultResolution is the H3 resolution of the density grid: cells of
// about 5 km², small enough to tell a district from its neighbour and
// coarse enough for a national grid of a few hundred thousand cells.
const DefaultResolution = 7

// DensityCell is the retirement mass of one H3 cell in one year.
type DensityCell struct {
	Cell     h3.Cell
	Center   orb.Point
	Province string // province of the place contributing most to the cell
	Packs    float64
	Tonnes   float64
}
