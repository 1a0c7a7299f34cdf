package domain

import (
	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// DensityCell is the retirement mass of one H3 cell in one year.
type DensityCell struct {
	Cell     h3.Cell
	Center   orb.Point
	Province string // province of the place contributing most to the cell
	Packs    float64
	Tonnes   float64
}
