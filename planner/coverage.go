package planner

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
)

// CoverageKPI summarises how well outlets serve retirements in an area.
type CoverageKPI struct {
	Area   string  `json:"area"` // "CN" or a province code
	Name   string  `json:"name"`
	Tonnes float64 `json:"tonnes"`
	Packs  float64 `json:"packs"`
	// CoveredTonnesShare is the share of tonnes whose nearest outlet is
	// within the radius by road (haversine x detour).
	CoveredTonnesShare float64 `json:"covered_tonnes_share"`
	// MeanKm and P95Km are tonnes-weighted road distances to the nearest outlet.
	MeanKm float64 `json:"mean_km"`
	P95Km  float64 `json:"p95_km"`
	MaxKm  float64 `json:"max_km"`
	Cells  int     `json:"cells"`
}

// Hotspot is an uncovered cell with much retirement mass.
type Hotspot struct {
	Cell          string    `json:"h3"`
	Center        orb.Point `json:"-"`
	Lat           float64   `json:"lat"`
	Lon           float64   `json:"lon"`
	Province      string    `json:"province"`
	Tonnes        float64   `json:"tonnes"`
	NearestOutlet string    `json:"nearest_outlet"`
	NearestKm     float64   `json:"nearest_km"`
}

// CellService is one cell's nearest outlet by road.
type CellService struct {
	Outlet int // index into the outlet list, -1 when there is none
	Km     float64
}

// Coverage is the result of a coverage analysis.
type Coverage struct {
	RadiusKm float64
	Detour   float64
	National CoverageKPI
	Province []CoverageKPI
	Hotspots []Hotspot
	// Service holds each density cell's nearest outlet, aligned with the cells.
	Service []CellService
}

// OutletIndex builds the exact nearest-outlet index.
func OutletIndex(outlets []Outlet) (*geo.PointIndex, error) {
	pts := make([]orb.Point, len(outlets))
	for i, o := range outlets {
		pts[i] = o.Point
	}
	return geo.NewPointIndex(pts)
}

// AnalyzeCoverage finds each cell's nearest outlet (exact, by haversine) and
// reports the tonnes-weighted share within radiusKm of road distance
// (haversine x detour), the mean and 95th-percentile distance, nationally
// and per province, and the topN heaviest uncovered cells. Outlets of every
// province serve: a cell near a border may be served across it.
func AnalyzeCoverage(cells []DensityCell, outlets []Outlet, radiusKm float64, detour geo.Detour, topN int, names map[string]string) (*Coverage, error) {
	return AnalyzeCoverageBy(context.Background(), cells, outlets, radiusKm, detour, nil, topN, names)
}

// AnalyzeCoverageContext is AnalyzeCoverage that stops with ctx's error
// once ctx is done (a fine national grid has millions of cells).
func AnalyzeCoverageContext(ctx context.Context, cells []DensityCell, outlets []Outlet, radiusKm float64, detour geo.Detour, topN int, names map[string]string) (*Coverage, error) {
	return AnalyzeCoverageBy(ctx, cells, outlets, radiusKm, detour, nil, topN, names)
}

// AnalyzeCoverageBy is AnalyzeCoverage measured on a road graph when roads
// is not nil: each cell's nearest outlet and distance are by road km from
// the cell's centre (see RoadNet.CellService).
func AnalyzeCoverageBy(ctx context.Context, cells []DensityCell, outlets []Outlet, radiusKm float64, detour geo.Detour, roads *RoadNet, topN int, names map[string]string) (*Coverage, error) {
	if !(radiusKm > 0) || math.IsInf(radiusKm, 0) {
		return nil, fmt.Errorf("coverage: radius %g km: want a distance > 0", radiusKm)
	}
	if len(outlets) == 0 {
		return nil, fmt.Errorf("coverage: no outlets to measure against")
	}
	ix, err := OutletIndex(outlets)
	if err != nil {
		return nil, err
	}
	cov := &Coverage{RadiusKm: radiusKm, Detour: detour.Factor(), Service: make([]CellService, len(cells))}
	f := detour.Factor()
	if roads != nil {
		if cov.Service, err = roads.CellService(ctx, cells, outlets, detour); err != nil {
			return nil, err
		}
	} else {
		for i, c := range cells {
			if i%4096 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			id, d, ok := ix.Nearest(c.Center)
			if !ok {
				cov.Service[i] = CellService{Outlet: -1, Km: math.Inf(1)}
				continue
			}
			cov.Service[i] = CellService{Outlet: id, Km: float64(d) * f}
		}
	}
	byProv := map[string][]int{}
	all := make([]int, len(cells))
	for i, c := range cells {
		all[i] = i
		byProv[c.Province] = append(byProv[c.Province], i)
	}
	cov.National = summarize("total", "all cells", all, cells, cov.Service, radiusKm)
	provs := make([]string, 0, len(byProv))
	for p := range byProv {
		provs = append(provs, p)
	}
	sort.Strings(provs)
	for _, p := range provs {
		cov.Province = append(cov.Province, summarize(p, names[p], byProv[p], cells, cov.Service, radiusKm))
	}
	var unc []int
	for i, s := range cov.Service {
		if s.Km > radiusKm {
			unc = append(unc, i)
		}
	}
	sort.SliceStable(unc, func(a, b int) bool { return cells[unc[a]].Tonnes > cells[unc[b]].Tonnes })
	if topN < 0 {
		topN = 0
	}
	if len(unc) > topN {
		unc = unc[:topN]
	}
	for _, i := range unc {
		h := Hotspot{Cell: cells[i].Cell.String(), Center: cells[i].Center, Lat: cells[i].Center[1], Lon: cells[i].Center[0],
			Province: cells[i].Province, Tonnes: cells[i].Tonnes, NearestKm: cov.Service[i].Km}
		if o := cov.Service[i].Outlet; o >= 0 {
			h.NearestOutlet = outlets[o].ID
		}
		cov.Hotspots = append(cov.Hotspots, h)
	}
	return cov, nil
}

func summarize(area, name string, idx []int, cells []DensityCell, svc []CellService, radius float64) CoverageKPI {
	k := CoverageKPI{Area: area, Name: name, Cells: len(idx)}
	type wd struct{ km, t float64 }
	ds := make([]wd, 0, len(idx))
	var covered, weighted float64
	for _, i := range idx {
		t, km := cells[i].Tonnes, svc[i].Km
		k.Tonnes += t
		k.Packs += cells[i].Packs
		if km <= radius {
			covered += t
		}
		weighted += t * km
		k.MaxKm = math.Max(k.MaxKm, km)
		ds = append(ds, wd{km, t})
	}
	if k.Tonnes > 0 {
		k.CoveredTonnesShare = covered / k.Tonnes
		k.MeanKm = weighted / k.Tonnes
		sort.Slice(ds, func(a, b int) bool { return ds[a].km < ds[b].km })
		target, run := 0.95*k.Tonnes, 0.0
		for _, d := range ds {
			run += d.t
			if run >= target {
				k.P95Km = d.km
				break
			}
		}
	}
	return k
}
