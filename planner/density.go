package planner

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/rlplan/rlplan/geo"
)

// DefaultResolution is the H3 resolution of the density grid: cells of
// about 5 km², small enough to tell a district from its neighbour and
// coarse enough for a national grid of a few hundred thousand cells.
const DefaultResolution = 7

// MaxGridCells is the largest grid Density builds; beyond it a request
// (a fine resolution over a large area) is refused with an explanation
// instead of exhausting memory.
const MaxGridCells = 4_000_000

// Urban footprint of a place: its retirements spread over a Gaussian kernel
// whose radius grows with the square root of the population (area grows
// with population): urbanKm(p) = clamp(1.5 km * sqrt(p / 100,000), 2 km, 20 km).
// The kernel's standard deviation is half that radius; the disk is cut at
// the radius and each place's weights are renormalised, so mass is conserved
// exactly.
const (
	urbanKmPer100k = 1.5
	urbanKmMin     = 2.0
	urbanKmMax     = 20.0
)

func urbanKm(pop float64) float64 {
	r := urbanKmPer100k * math.Sqrt(math.Max(pop, 0)/1e5)
	return math.Min(math.Max(r, urbanKmMin), urbanKmMax)
}

// Density spreads each region's retirements in year over H3 cells at
// resolution res. A region's mass is divided among its places in proportion
// to population (a region without places keeps its mass at its seat), and
// each place's share is spread over the cells of its urban footprint with a
// Gaussian weight by distance from the place. The sum over cells equals the
// sum over regions (mass conservation). Cells are sorted by H3 index.
func Density(ctx context.Context, in *Inputs, year, res int, reg Regions) ([]DensityCell, error) {
	if res < 0 || res > 15 {
		return nil, fmt.Errorf("density: resolution %d outside 0..15", res)
	}
	rows, err := ForecastContext(ctx, in, year, year, reg.Keep)
	if err != nil {
		return nil, err
	}
	type regionMass struct {
		id, province string
		seat         orb.Point
		packs, tons  float64
	}
	var regions []*regionMass
	byID := map[string]*regionMass{}
	for _, r := range rows {
		m := byID[r.RegionID]
		if m == nil {
			m = &regionMass{id: r.RegionID, province: r.Province}
			byID[r.RegionID] = m
			regions = append(regions, m)
		}
		m.packs += r.Packs
		m.tons += r.Tonnes
	}
	for _, s := range in.Stock {
		if m := byID[s.RegionID]; m != nil {
			m.seat = s.Point
		}
	}
	places := map[string][]Place{}
	for _, p := range in.Places {
		if byID[p.RegionID] != nil {
			places[p.RegionID] = append(places[p.RegionID], p)
		}
	}

	edgeKm, err := h3.HexagonEdgeLengthAvgKm(res)
	if err != nil {
		return nil, fmt.Errorf("density: %w", err)
	}
	spacing := edgeKm * math.Sqrt(3) // distance between neighbouring cell centres
	// Refuse absurd grids before allocating them.
	var estimate float64
	for _, m := range regions {
		ps := places[m.id]
		if len(ps) == 0 {
			estimate++
		}
		for _, p := range ps {
			k := math.Ceil(urbanKm(p.Population) / spacing)
			estimate += 3*k*(k+1) + 1
		}
	}
	if estimate > MaxGridCells {
		return nil, &TooLargeError{What: fmt.Sprintf("density: resolution %d over %s would touch about %.0f cells (limit %d)", res, reg, estimate, MaxGridCells),
			Changes: []Change{{SettingResolution, "a coarser"}, {SettingRegions, "fewer"}}}
	}

	type acc struct {
		packs, tons float64
		province    string
		best        float64 // largest single contribution, decides the province
	}
	grid := map[h3.Cell]*acc{}
	add := func(c h3.Cell, share float64, m *regionMass) {
		a := grid[c]
		if a == nil {
			a = &acc{}
			grid[c] = a
		}
		a.packs += share * m.packs
		a.tons += share * m.tons
		if share*m.tons > a.best || a.province == "" {
			a.best, a.province = share*m.tons, m.province
		}
	}
	var cells []h3.Cell
	var weights []float64
	for i, m := range regions {
		if i%64 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		ps := places[m.id]
		if len(ps) == 0 {
			c, err := geo.Cell(m.seat, res)
			if err != nil {
				return nil, fmt.Errorf("density: region %s: %w", m.id, err)
			}
			add(c, 1, m)
			continue
		}
		var popSum float64
		for _, p := range ps {
			popSum += math.Max(p.Population, 1)
		}
		for _, p := range ps {
			share := math.Max(p.Population, 1) / popSum
			radius := urbanKm(p.Population)
			sigma := radius / 2
			center, err := geo.Cell(p.Point, res)
			if err != nil {
				return nil, fmt.Errorf("density: place %s: %w", p.ID, err)
			}
			k := int(math.Ceil(radius / spacing))
			disk, err := geo.Disk(center, k)
			if err != nil {
				return nil, fmt.Errorf("density: place %s: %w", p.ID, err)
			}
			cells, weights = cells[:0], weights[:0]
			dmin := math.Inf(1)
			for _, c := range disk {
				cp, err := geo.CellCenter(c)
				if err != nil {
					return nil, err
				}
				d := float64(geo.Haversine(p.Point, cp))
				if d > radius && c != center {
					continue
				}
				cells = append(cells, c)
				weights = append(weights, d)
				dmin = math.Min(dmin, d)
			}
			// Gaussian weights relative to the nearest kept cell, so the
			// largest is 1 and the sum never underflows to 0: on a coarse
			// grid the only cell kept (the place's own) may lie 100 km from
			// the place, where exp(-d²/2σ²) alone is 0 and 0/0 spread NaN.
			var wsum float64
			for j, d := range weights {
				w := math.Exp(-0.5 * (d - dmin) * (d + dmin) / (sigma * sigma))
				weights[j] = w
				wsum += w
			}
			for j, c := range cells {
				add(c, share*weights[j]/wsum, m)
			}
		}
	}
	var total float64
	for _, m := range regions {
		total += m.tons + m.packs
	}
	if math.IsNaN(total) || math.IsInf(total, 0) {
		// The readers bound every factor, so this guards the arithmetic.
		return nil, fmt.Errorf("density: the retirements of %s in %d add up to %g t and packs: check vehicles and pack_kg", reg, year, total)
	}
	out := make([]DensityCell, 0, len(grid))
	for c, a := range grid {
		ctr, err := geo.CellCenter(c)
		if err != nil {
			return nil, err
		}
		out = append(out, DensityCell{Cell: c, Center: ctr, Province: a.province, Packs: a.packs, Tonnes: a.tons})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Cell < out[j].Cell })
	return out, nil
}
