package week

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
)

// Stage 1, catchments: which outlet collects the packs retiring in each
// cell, and so how fast each outlet fills.

// The catchment types are domain's (package network computes catchments
// within outlets' throughput); these names keep the week's API.
type (
	Rate       = domain.Rate
	Leftover   = domain.Leftover
	Catchments = domain.Catchments
)

// Causes of retirement mass that no outlet collects (see package domain).
const (
	LeftBeyondRadius = domain.LeftBeyondRadius
	LeftOverCapacity = domain.LeftOverCapacity
)

// CatchmentFunc is the signature of stage 1, so that an assignment that
// respects each outlet's weekly throughput can replace NearestOutlet.
type CatchmentFunc func(cells []domain.DensityCell, outlets []domain.Outlet, radiusKm float64, detour geo.Detour) (*Catchments, error)

var _ CatchmentFunc = NearestOutlet

// NearestOutlet gives each cell to its nearest outlet (exact, by haversine)
// when that outlet is within radiusKm by road (haversine x detour); a cell
// beyond is left over (LeftBeyondRadius). Cells and outlets are taken in
// order, so the rates are reproducible to the bit.
func NearestOutlet(cells []domain.DensityCell, outlets []domain.Outlet, radiusKm float64, detour geo.Detour) (*Catchments, error) {
	if !(radiusKm > 0) || math.IsInf(radiusKm, 0) {
		return nil, fmt.Errorf("catchments: radius %g km: want a distance > 0", radiusKm)
	}
	if len(outlets) == 0 {
		return nil, fmt.Errorf("catchments: no outlets")
	}
	pts := make([]orb.Point, len(outlets))
	for i, o := range outlets {
		pts[i] = o.Point
	}
	ix, err := geo.NewPointIndex(pts)
	if err != nil {
		return nil, err
	}
	f := detour.Factor()
	return ByNearest(cells, outlets, radiusKm, func(cell int) (int, float64) {
		id, d, ok := ix.Nearest(cells[cell].Center)
		if !ok {
			return -1, math.Inf(1)
		}
		return id, float64(d) * f
	}), nil
}

// ByNearest gives each cell to the outlet nearest() names (an index into
// outlets, -1 for none) when it is within radiusKm by road; a cell beyond
// is left over (LeftBeyondRadius). It is the accumulation of every
// nearest-outlet catchment, whatever measures the distance (great circle x
// detour in NearestOutlet, a road graph in the planner). Cells are taken in
// order, so the rates are reproducible to the bit.
func ByNearest(cells []domain.DensityCell, outlets []domain.Outlet, radiusKm float64, nearest func(cell int) (outlet int, km float64)) *Catchments {
	c := &Catchments{Outlets: outlets, Rates: make([]Rate, len(outlets))}
	beyond := Leftover{Cause: LeftBeyondRadius}
	for i, cell := range cells {
		id, km := nearest(i)
		if id < 0 || !(km <= radiusKm) {
			beyond.Cells++
			beyond.TonnesPerYear += cell.Tonnes
			continue
		}
		c.Rates[id].KgPerDay += cell.Tonnes * 1000 / 365
		c.Rates[id].PacksPerDay += cell.Packs / 365
	}
	if beyond.Cells > 0 {
		c.Left = append(c.Left, beyond)
	}
	return c
}

// leftTotal sums the leftovers of every cause.
func leftTotal(left []Leftover) (cells int, tonnes float64) {
	for _, l := range left {
		cells += l.Cells
		tonnes += l.TonnesPerYear
	}
	return cells, tonnes
}
