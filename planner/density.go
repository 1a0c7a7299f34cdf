package planner

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
)

// DefaultResolution is the H3 resolution of the density grid (see
// domain.DefaultResolution).
const DefaultResolution = domain.DefaultResolution

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
	regions, places, err := regionMasses(ctx, in, year, reg)
	if err != nil {
		return nil, err
	}
	edgeKm, err := h3.HexagonEdgeLengthAvgKm(res)
	if err != nil {
		return nil, fmt.Errorf("density: %w", err)
	}
	spacing := edgeKm * math.Sqrt(3) // distance between neighbouring cell centres
	if err := checkGridSize(regions, places, res, spacing, reg); err != nil {
		return nil, err
	}
	g := &densityGrid{cells: map[h3.Cell]*cellMass{}, res: res, spacing: spacing}
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
			g.add(c, 1, m)
			continue
		}
		var popSum float64
		for _, p := range ps {
			popSum += math.Max(p.Population, 1)
		}
		for _, p := range ps {
			if err := g.spread(p, math.Max(p.Population, 1)/popSum, m); err != nil {
				return nil, err
			}
		}
	}
	out := make([]DensityCell, 0, len(g.cells))
	for c, a := range g.cells {
		ctr, err := geo.CellCenter(c)
		if err != nil {
			return nil, err
		}
		out = append(out, DensityCell{Cell: c, Center: ctr, Province: a.province, Packs: a.packs, Tonnes: a.tons})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Cell < out[j].Cell })
	return out, nil
}

// regionMass is one region's retirements in the year, and its seat.
type regionMass struct {
	id, province string
	seat         orb.Point
	packs, tons  float64
}

// regionMasses sums the forecast of year by region (in forecast order) and
// lists each region's places.
func regionMasses(ctx context.Context, in *Inputs, year int, reg Regions) ([]*regionMass, map[string][]Place, error) {
	rows, err := ForecastContext(ctx, in, year, year, reg.Keep)
	if err != nil {
		return nil, nil, err
	}
	var regions []*regionMass
	byID := map[string]*regionMass{}
	var total float64
	for _, r := range rows {
		m := byID[r.RegionID]
		if m == nil {
			m = &regionMass{id: r.RegionID, province: r.Province}
			byID[r.RegionID] = m
			regions = append(regions, m)
		}
		m.packs += r.Packs
		m.tons += r.Tonnes
		total += r.Packs + r.Tonnes
	}
	if math.IsNaN(total) || math.IsInf(total, 0) {
		// The readers bound every factor, so this guards the arithmetic.
		return nil, nil, fmt.Errorf("density: the retirements of %s in %d add up to %g t and packs: check vehicles and pack_kg", reg, year, total)
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
	return regions, places, nil
}

// checkGridSize refuses a grid of more than MaxGridCells before it is
// built, from the size of each place's footprint in cells.
func checkGridSize(regions []*regionMass, places map[string][]Place, res int, spacing float64, reg Regions) error {
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
		return &TooLargeError{What: fmt.Sprintf("density: resolution %d over %s would touch about %.0f cells (limit %d)", res, reg, estimate, MaxGridCells),
			Changes: []Change{{SettingResolution, "a coarser"}, {SettingRegions, "fewer"}}}
	}
	return nil
}

// cellMass accumulates one cell of the grid.
type cellMass struct {
	packs, tons float64
	province    string
	best        float64 // largest single contribution, decides the province
}

// densityGrid is the grid being built, with buffers reused across places.
type densityGrid struct {
	cells   map[h3.Cell]*cellMass
	res     int
	spacing float64
	disk    []h3.Cell
	weights []float64
}

// add gives cell c the share of region m's mass.
func (g *densityGrid) add(c h3.Cell, share float64, m *regionMass) {
	a := g.cells[c]
	if a == nil {
		a = &cellMass{}
		g.cells[c] = a
	}
	a.packs += share * m.packs
	a.tons += share * m.tons
	if share*m.tons > a.best || a.province == "" {
		a.best, a.province = share*m.tons, m.province
	}
}

// spread gives the cells of place p's urban footprint the share of region
// m's mass, weighted by a Gaussian of the distance from the place.
func (g *densityGrid) spread(p Place, share float64, m *regionMass) error {
	radius := urbanKm(p.Population)
	sigma := radius / 2
	center, err := geo.Cell(p.Point, g.res)
	if err != nil {
		return fmt.Errorf("density: place %s: %w", p.ID, err)
	}
	disk, err := geo.Disk(center, int(math.Ceil(radius/g.spacing)))
	if err != nil {
		return fmt.Errorf("density: place %s: %w", p.ID, err)
	}
	g.disk, g.weights = g.disk[:0], g.weights[:0]
	dmin := math.Inf(1)
	for _, c := range disk {
		cp, err := geo.CellCenter(c)
		if err != nil {
			return err
		}
		d := float64(geo.Haversine(p.Point, cp))
		if d > radius && c != center {
			continue
		}
		g.disk = append(g.disk, c)
		g.weights = append(g.weights, d)
		dmin = math.Min(dmin, d)
	}
	// Gaussian weights relative to the nearest kept cell, so the largest is
	// 1 and the sum never underflows to 0: on a coarse grid the only cell
	// kept (the place's own) may lie 100 km from the place, where
	// exp(-d²/2σ²) alone is 0 and 0/0 spread NaN.
	var wsum float64
	for j, d := range g.weights {
		w := math.Exp(-0.5 * (d - dmin) * (d + dmin) / (sigma * sigma))
		g.weights[j] = w
		wsum += w
	}
	for j, c := range g.disk {
		g.add(c, share*g.weights[j]/wsum, m)
	}
	return nil
}
