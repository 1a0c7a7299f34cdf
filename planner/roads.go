package planner

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/geo/roads"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/solver/location"
)

// StepRoads is the progress step that reads the road graph.
const StepRoads = "road graph"

// RoadLocalKm is the great-circle distance within which two outlets get
// road legs between them, besides the legs between every plant and every
// outlet. Assumption: consecutive stops of a trip lie within a couple of
// catchment radii (15-20 km by default) of each other; longer
// outlet-to-outlet legs keep the great-circle estimate. A fixed distance,
// not a number of neighbours, makes the set of legs depend on each pair
// alone, so `rlplan check` rebuilds exactly the legs the plan used from the
// outlets plan.json records.
const RoadLocalKm = 30

// IsRoadGraph reports whether a roads input names an OpenStreetMap extract
// (.osm.pbf) rather than a road matrix CSV.
func IsRoadGraph(path string) bool { return strings.HasSuffix(strings.ToLower(path), ".pbf") }

// RoadNet is an OpenStreetMap road graph on which the planner measures
// road distances: plant and outlet legs for the weekly routes and shift
// reach, cell-to-outlet distances for coverage and siting. Snapped points
// are remembered, so each place is snapped once per run. Its methods are
// safe for concurrent use.
type RoadNet struct {
	Graph     *roads.Graph
	File      string
	FromCache bool
	// Place are the snapping limits for plants and outlets (cells snap at
	// any distance: their access leg counts as straight driving).
	Place roads.PlaceOptions
	warn  func(string)

	mu   sync.Mutex
	memo map[orb.Point]roads.Snap
}

// OpenRoadNet loads the road graph of an .osm.pbf file (from its cache next
// to the file when valid) with the default truck profile. warn receives
// notes for the user (cache not written, places far from roads).
func OpenRoadNet(ctx context.Context, path string, warn func(string), progress func(stage string, done, total int64)) (*RoadNet, error) {
	if warn == nil {
		warn = func(string) {}
	}
	g, rep, err := roads.Load(ctx, path, &roads.LoadOptions{BuildOptions: roads.BuildOptions{Progress: progress}})
	if err != nil {
		return nil, err
	}
	if rep.CacheErr != nil {
		warn(fmt.Sprintf("road graph cache not written (%v); the next run parses %s again", rep.CacheErr, path))
	}
	return &RoadNet{Graph: g, File: path, FromCache: rep.FromCache, warn: warn, memo: map[orb.Point]roads.Snap{}}, nil
}

// snap places points on the graph, remembering each; points outside the
// extract's area are not placed.
func (n *RoadNet) snap(pts []orb.Point) []roads.Snap {
	n.mu.Lock()
	defer n.mu.Unlock()
	area := n.Graph.Info.Area()
	var todo []orb.Point
	seen := map[orb.Point]bool{}
	for _, p := range pts {
		if _, ok := n.memo[p]; !ok && !seen[p] && area.Contains(p, 0) {
			seen[p] = true
			todo = append(todo, p)
		}
	}
	for i, s := range n.Graph.SnapPoints(todo) {
		n.memo[todo[i]] = s
	}
	out := make([]roads.Snap, len(pts))
	for i, p := range pts {
		s, ok := n.memo[p]
		if !ok {
			s = roads.Snap{Seg: -1, Point: p, DistM: math.Inf(1)}
		}
		out[i] = s
	}
	return out
}

// placeDepots places plants and outlets with the Place checks: an outlet
// outside the extract is an error (the file does not cover the area
// planned); a plant outside it keeps the estimate. It returns the snaps,
// plants first.
func (n *RoadNet) placeDepots(plants []Plant, outlets []Outlet) ([]roads.Snap, error) {
	area := n.Graph.Info.Area()
	var ids []string
	var pts []orb.Point
	var outside []string
	for _, o := range outlets {
		if !area.Contains(o.Point, 0) {
			outside = append(outside, fmt.Sprintf("%s (%.4f, %.4f)", o.ID, o.Point[1], o.Point[0]))
		}
	}
	if len(outside) > 0 {
		return nil, &roads.InputError{File: n.File, Err: roads.ErrOutside, Msg: fmt.Sprintf("%d of the %d outlets planned lie outside the extract's area (%s): %s; want an extract that covers the region planned",
			len(outside), len(outlets), area, strings.Join(outside[:min(5, len(outside))], ", "))}
	}
	var away []string
	at := make([]int, len(plants)) // index of each plant's point, -1 outside
	for i, p := range plants {
		at[i] = -1
		if !area.Contains(p.Point, 0) {
			away = append(away, p.ID)
			continue
		}
		at[i] = len(ids)
		ids, pts = append(ids, p.ID), append(pts, p.Point)
	}
	if len(away) > 0 {
		n.warn(fmt.Sprintf("%s: %d plants lie outside the extract and keep the great-circle estimate: %s", filepath.Base(n.File), len(away), strings.Join(away, " ")))
	}
	first := len(ids)
	for _, o := range outlets {
		ids, pts = append(ids, o.ID), append(pts, o.Point)
	}
	pl, err := n.Graph.Place(ids, pts, &n.Place)
	if err != nil {
		var ie *roads.InputError
		if errors.As(err, &ie) && ie.File == "" {
			ie.File = n.File
		}
		return nil, err
	}
	if len(pl.Far) > 0 || len(pl.Unplaced) > 0 {
		var far []string
		for _, f := range append(pl.Unplaced, pl.Far...)[:min(8, len(pl.Far)+len(pl.Unplaced))] {
			far = append(far, fmt.Sprintf("%s %.1f km", f.ID, f.Km))
		}
		n.warn(fmt.Sprintf("%s: %d places snap more than %g km from a usable road (their access counts as straight driving) and %d more than %g km (they keep the estimate): %s",
			filepath.Base(n.File), len(pl.Far), n.Place.WarnKm, len(pl.Unplaced), n.Place.MaxKm, strings.Join(far, ", ")))
	}
	out := make([]roads.Snap, 0, len(plants)+len(outlets))
	for i, p := range plants {
		if at[i] < 0 {
			out = append(out, roads.Snap{Seg: -1, Point: p.Point})
			continue
		}
		out = append(out, pl.Snaps[at[i]])
	}
	return append(out, pl.Snaps[first:]...), nil
}

// RoadLegs summarises the road legs given to the weekly plan.
type RoadLegs struct {
	File                  string
	Profile               string
	Vertices, RoadKm      int
	Plants, Outlets       int
	PlantLegs, LocalLegs  int // plant<->outlet and outlet->near outlet legs with a road value
	MissingLegs           int // pairs without a road value (unplaced places): they keep the estimate
	Detour                []ProvinceDetour
	plantRatio, localRate map[string][]float64
}

// ProvinceDetour is the effective detour factor (road km / great-circle km)
// of the legs from or to the outlets of one province.
type ProvinceDetour struct {
	Province string  `csv:"province"`
	Name     string  `csv:"name"`
	Kind     string  `csv:"legs"` // plant_outlet or outlet_outlet
	Legs     int     `csv:"count"`
	Median   float64 `csv:"median"`
	P25      float64 `csv:"p25"`
	P75      float64 `csv:"p75"`
}

// detourMinKm keeps legs whose great-circle length is at least this out of
// the detour statistics: below it, snapping and access legs dominate.
const detourMinKm = 2

// DepotMatrix computes the road legs of a weekly plan: between every plant
// with a fleet and every outlet, both ways (one forward and one backward
// search per plant, each stopped when every outlet is settled), and from
// each outlet to its RoadNeighbours nearest outlets. Legs it cannot give
// (places too far from the road) stay out of the matrix and keep the
// great-circle estimate; they are counted in RoadLegs.MissingLegs.
func (n *RoadNet) DepotMatrix(ctx context.Context, in *Inputs, outlets []Outlet, progress func(done, total int)) (*RoadMatrix, *RoadLegs, error) {
	var plants []Plant
	hasFleet := map[string]bool{}
	for _, f := range in.Fleet {
		if f.Count > 0 {
			hasFleet[f.PlantID] = true
		}
	}
	for _, p := range in.Plants {
		if hasFleet[p.ID] {
			plants = append(plants, p)
		}
	}
	snaps, err := n.placeDepots(plants, outlets)
	if err != nil {
		return nil, nil, err
	}
	ps, ls := snaps[:len(plants)], snaps[len(plants):]
	info := n.Graph.Info
	legs := &RoadLegs{File: filepath.Base(n.File), Profile: info.Profile, Vertices: info.Vertices, RoadKm: int(info.RoadKm),
		Plants: len(plants), Outlets: len(outlets), plantRatio: map[string][]float64{}, localRate: map[string][]float64{}}
	total := 2*len(plants) + len(outlets)
	step := func(base int) func(int, int) {
		return func(d, _ int) {
			if progress != nil {
				progress(base+d, total)
			}
		}
	}
	opt := &roads.MatrixOptions{Metric: roads.Fastest, Progress: step(0)}
	out, err := n.Graph.Matrix(ctx, ps, ls, opt)
	if err != nil {
		return nil, nil, err
	}
	opt.Progress = step(len(plants))
	back, err := n.Graph.Matrix(ctx, ls, ps, opt)
	if err != nil {
		return nil, nil, err
	}
	rm := domain.NewRoadMatrix(n.File, true)
	for i, p := range plants {
		for j, o := range outlets {
			for _, leg := range []struct {
				from, to string
				km, min  float64
				ok       bool
			}{
				{p.ID, o.ID, out.Km[i*out.Cols+j], out.Minutes[i*out.Cols+j], !math.IsNaN(out.Km[i*out.Cols+j])},
				{o.ID, p.ID, back.Km[j*back.Cols+i], back.Minutes[j*back.Cols+i], !math.IsNaN(back.Km[j*back.Cols+i])},
			} {
				if !leg.ok {
					legs.MissingLegs++
					continue
				}
				if err := rm.Set(leg.from, leg.to, leg.km, leg.min); err != nil {
					return nil, nil, err
				}
				legs.PlantLegs++
			}
			if km, ok := out.Km[i*out.Cols+j], !math.IsNaN(out.Km[i*out.Cols+j]); ok {
				if gc := float64(geo.Haversine(p.Point, o.Point)); gc >= detourMinKm {
					legs.plantRatio[o.Province] = append(legs.plantRatio[o.Province], km/gc)
				}
			}
		}
	}
	if err := n.neighbourLegs(ctx, outlets, ls, rm, legs, step(2*len(plants))); err != nil {
		return nil, nil, err
	}
	legs.Detour = detourTable(legs, in.ProvinceNames())
	return rm, legs, nil
}

// neighbourLegs adds the legs between outlets within RoadLocalKm of each
// other (great circle), both ways.
func (n *RoadNet) neighbourLegs(ctx context.Context, outlets []Outlet, snaps []roads.Snap, rm *RoadMatrix, legs *RoadLegs, progress func(int, int)) error {
	if len(outlets) < 2 {
		return nil
	}
	pts := make([]orb.Point, len(outlets))
	for i, o := range outlets {
		pts[i] = o.Point
	}
	ix, err := geo.NewPointIndex(pts)
	if err != nil {
		return err
	}
	want := make([][]int32, len(outlets))
	var near []geo.Neighbor
	for i, o := range outlets {
		near = ix.Within(near[:0], o.Point, RoadLocalKm)
		for _, nb := range near {
			if nb.ID != i && outlets[nb.ID].ID != o.ID {
				want[i] = append(want[i], int32(nb.ID))
			}
		}
		sort.Slice(want[i], func(a, b int) bool { return want[i][a] < want[i][b] })
	}
	vals, err := n.Graph.Sparse(ctx, snaps, snaps, want, false, &roads.MatrixOptions{Metric: roads.Fastest, Progress: progress})
	if err != nil {
		return err
	}
	for i, list := range want {
		for k, j := range list {
			v := vals[i][k]
			if v.Reason != "" {
				legs.MissingLegs++
				continue
			}
			if err := rm.Set(outlets[i].ID, outlets[j].ID, v.Km, v.Minutes); err != nil {
				return err
			}
			legs.LocalLegs++
			if gc := float64(geo.Haversine(outlets[i].Point, outlets[j].Point)); gc >= detourMinKm {
				legs.localRate[outlets[i].Province] = append(legs.localRate[outlets[i].Province], v.Km/gc)
			}
		}
	}
	return nil
}

// quantile returns the q-quantile of sorted xs (nearest rank).
func quantile(xs []float64, q float64) float64 {
	k := int(math.Ceil(q*float64(len(xs)))) - 1
	return xs[max(0, min(k, len(xs)-1))]
}

func detourTable(legs *RoadLegs, names map[string]string) []ProvinceDetour {
	var out []ProvinceDetour
	for _, kind := range []struct {
		name string
		m    map[string][]float64
	}{{"plant_outlet", legs.plantRatio}, {"outlet_outlet", legs.localRate}} {
		provs := make([]string, 0, len(kind.m))
		for p := range kind.m {
			provs = append(provs, p)
		}
		sort.Strings(provs)
		for _, p := range provs {
			xs := append([]float64(nil), kind.m[p]...)
			sort.Float64s(xs)
			out = append(out, ProvinceDetour{Province: p, Name: names[p], Kind: kind.name, Legs: len(xs),
				Median: round(quantile(xs, 0.5), 3), P25: round(quantile(xs, 0.25), 3), P75: round(quantile(xs, 0.75), 3)})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Province < out[b].Province })
	return out
}

// CellService returns each cell's nearest outlet by road km (the route an
// owner drives from the cell's centre), with one multi-source search over
// reversed arcs. Cells or outlets outside the extract fall back to the
// great-circle estimate x detour (counted in a warning).
func (n *RoadNet) CellService(ctx context.Context, cells []DensityCell, outlets []Outlet, detour geo.Detour) ([]CellService, error) {
	opts := make([]orb.Point, len(outlets))
	for i, o := range outlets {
		opts[i] = o.Point
	}
	cpts := make([]orb.Point, len(cells))
	for i, c := range cells {
		cpts[i] = c.Center
	}
	ls, cs := n.snap(opts), n.snap(cpts)
	near, err := n.Graph.NearestSource(ctx, ls, cs, true, roads.Shortest)
	if err != nil {
		return nil, err
	}
	svc := make([]CellService, len(cells))
	var ix *geo.PointIndex
	fallback := 0
	for i := range cells {
		if near[i].Source >= 0 {
			svc[i] = CellService{Outlet: near[i].Source, Km: near[i].Km}
			continue
		}
		if ix == nil {
			if ix, err = OutletIndex(outlets); err != nil {
				return nil, err
			}
		}
		fallback++
		svc[i] = CellService{Outlet: -1, Km: math.Inf(1)}
		if id, d, ok := ix.Nearest(cells[i].Center); ok {
			svc[i] = CellService{Outlet: id, Km: float64(d) * detour.Factor()}
		}
	}
	if fallback > 0 {
		n.warn(fmt.Sprintf("%s: %d of %d cells are outside the extract or have no outlet by road; they keep the great-circle estimate", filepath.Base(n.File), fallback, len(cells)))
	}
	return svc, nil
}

// SiteDistances replaces the distances of a siting problem's rows (cell j
// to the facilities listed in d's row j, at facilities[id]) by road km from
// the cell to the facility: one search per facility over reversed arcs,
// stopped when the cells listing it are settled. Pairs without a road value
// keep the estimate they have.
func (n *RoadNet) SiteDistances(ctx context.Context, cells []DensityCell, facilities []orb.Point, d *location.Distances) error {
	want := make([][]int32, len(facilities))
	entry := make([][]int, len(facilities))
	for j := range cells {
		for e := d.Start[j]; e < d.Start[j+1]; e++ {
			f := d.Facility[e]
			want[f] = append(want[f], int32(j))
			entry[f] = append(entry[f], e)
		}
	}
	cpts := make([]orb.Point, len(cells))
	for i, c := range cells {
		cpts[i] = c.Center
	}
	fs, cs := n.snap(facilities), n.snap(cpts)
	vals, err := n.Graph.Sparse(ctx, fs, cs, want, true, &roads.MatrixOptions{Metric: roads.Shortest})
	if err != nil {
		return err
	}
	kept := 0
	for f := range vals {
		for k, v := range vals[f] {
			if v.Reason != "" {
				kept++
				continue
			}
			d.Dist[entry[f][k]] = v.Km
		}
	}
	if kept > 0 {
		n.warn(fmt.Sprintf("%s: %d of %d cell-to-site pairs have no road value (places outside the extract or off the road) and keep the estimate", filepath.Base(n.File), kept, len(d.Dist)))
	}
	return nil
}

// RoadInputs are what a roads input gives a weekly plan.
type RoadInputs struct {
	Matrix *RoadMatrix
	// Legs and Net are set for an OpenStreetMap extract, nil for a CSV.
	Legs *RoadLegs
	Net  *RoadNet
}

// Apply sets a weekly plan's road legs and, on a road graph, its
// catchments by road.
func (r *RoadInputs) Apply(ctx context.Context, opt *ScheduleOptions) {
	opt.Roads = r.Matrix
	if r.Net != nil {
		opt.Catchments = r.Net.roadThroughputs(ctx, opt)
	}
}

// LoadRoads reads a --roads input for a weekly plan: a road matrix CSV, or
// an OpenStreetMap extract from which the plant and outlet legs of the
// region's outlets are computed.
func LoadRoads(ctx context.Context, path string, in *Inputs, reg Regions, warn func(string), progress func(stage string, done, total int64)) (*RoadInputs, error) {
	if !IsRoadGraph(path) {
		rm, err := ReadRoadMatrix(path, in.PlaceIDs(), warn)
		return &RoadInputs{Matrix: rm}, err
	}
	net, err := OpenRoadNet(ctx, path, warn, progress)
	if err != nil {
		return nil, err
	}
	var bar func(int, int)
	if progress != nil {
		bar = func(d, t int) { progress("road searches", int64(d), int64(t)) }
	}
	rm, legs, err := net.DepotMatrix(ctx, in, regionOutlets(in.Outlets, reg), bar)
	if err != nil {
		return nil, err
	}
	return &RoadInputs{Matrix: rm, Legs: legs, Net: net}, nil
}

// roadsForRecord rebuilds, for `rlplan check`, the road legs a week planned
// on a road graph used: the same legs between the recorded plants and
// outlets (each leg depends on its two places alone).
func roadsForRecord(file string, rec *domain.PlanRecord, warn func(string)) (*RoadMatrix, error) {
	ctx := context.Background()
	net, err := OpenRoadNet(ctx, file, warn, nil)
	if err != nil {
		return nil, err
	}
	in := &Inputs{}
	for _, p := range rec.Plants {
		in.Plants = append(in.Plants, Plant{ID: p.ID, Point: orb.Point{p.Lon, p.Lat}, IntakeKgPerWeek: p.IntakeKgPerWeek})
	}
	for _, f := range rec.Fleet {
		in.Fleet = append(in.Fleet, FleetRow{PlantID: f.PlantID, VehicleType: f.VehicleType, Count: f.Count})
	}
	var outlets []Outlet
	for _, o := range rec.Outlets {
		outlets = append(outlets, Outlet{ID: o.ID, Point: orb.Point{o.Lon, o.Lat}, CapacityKg: o.CapacityKg})
	}
	rm, _, err := net.DepotMatrix(ctx, in, outlets, nil)
	return rm, err
}

// RoadsKPI summarises the road graph of a plan in kpis.json.
type RoadsKPI struct {
	File        string `json:"file"`
	Profile     string `json:"profile"`
	PlantLegs   int    `json:"plant_outlet_legs"`
	LocalLegs   int    `json:"outlet_outlet_legs"`
	MissingLegs int    `json:"legs_estimated"`
}

func (p *Plan) roadsKPI() *RoadsKPI {
	if p.Roads == nil {
		return nil
	}
	r := p.Roads
	return &RoadsKPI{File: r.File, Profile: r.Profile, PlantLegs: r.PlantLegs, LocalLegs: r.LocalLegs, MissingLegs: r.MissingLegs}
}

// legsInfo describes the graph before any leg is computed.
func (n *RoadNet) legsInfo() *RoadLegs {
	i := n.Graph.Info
	return &RoadLegs{File: filepath.Base(n.File), Profile: i.Profile, Vertices: i.Vertices, RoadKm: int(i.RoadKm)}
}

// roadTables are the road-detour table of a plan run on a road graph.
func (p *Plan) roadTables() map[string]any {
	if p.Roads == nil {
		return nil
	}
	return map[string]any{"road_detour.csv": p.Roads.Detour}
}

// distanceNote says how report.md's distances were measured.
func (p *Plan) distanceNote() string {
	if p.Roads == nil {
		return fmt.Sprintf("detour x%g", p.Scenario.Detour)
	}
	return fmt.Sprintf("on the road graph of %s; detour x%g where it gives no value", p.Roads.File, p.Scenario.Detour)
}

// roadSection is the road-graph section of report.md.
func (p *Plan) roadSection() string {
	r := p.Roads
	if r == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Road network\n\nDistances by road on %s (OpenStreetMap, © OpenStreetMap contributors, ODbL; profile %s: %d vertices, %d km of road). "+
		"%d plants and %d outlets: %d plant-outlet legs and %d legs to near outlets by road; %d legs without a road value keep the estimate (great circle x %g).\n",
		r.File, r.Profile, r.Vertices, r.RoadKm, r.Plants, r.Outlets, r.PlantLegs, r.LocalLegs, r.MissingLegs, p.Scenario.Detour)
	if len(r.Detour) > 0 {
		fmt.Fprintf(&b, "\nEffective detour (road km / great-circle km, legs of %g km or more), against the %g assumed without roads:\n\n| province | legs | count | median | p25 | p75 |\n|---|---|---:|---:|---:|---:|\n", float64(detourMinKm), p.Scenario.Detour)
		for _, d := range r.Detour {
			name := d.Province
			if d.Name != "" {
				name += " " + d.Name
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %.2f | %.2f | %.2f |\n", name, d.Kind, d.Legs, d.Median, d.P25, d.P75)
		}
	}
	return b.String()
}

// regionOutlets are the outlets a weekly plan of reg serves.
func regionOutlets(outlets []Outlet, reg Regions) []Outlet {
	var out []Outlet
	for _, o := range outlets {
		if reg.Keep(o.Province) {
			out = append(out, o)
		}
	}
	return out
}
