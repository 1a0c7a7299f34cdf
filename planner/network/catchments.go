package network

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
	"github.com/rlplan/rlplan/solver/location/validate"
)

// Catchments: each cell's packs go to the outlets within the radius by road,
// within each outlet's throughput, nearest first, spilling to the next
// outlet in reach. As a transportation problem (cells supply their tonnes,
// outlets take up to their throughput, a tonne costs its road km, a tonne
// left over costs more than any chain of re-assignments could save) its
// optimum absorbs as much as the outlets can take and, among such
// assignments, carries the fewest tonne-km: greedy "nearest first" can
// strand a cell whose only outlet a nearer cell has filled, the
// transportation optimum cannot.

// Neighbour is a facility in reach of a cell and its road distance.
type Neighbour struct {
	ID int     // index into the facilities
	Km float64 // by road
}

// Reach lists, for a point, the facilities within a road distance, nearest
// first. Indexed builds it from great-circle distances x detour; a road
// network can supply its own.
type Reach func(buf []Neighbour, p orb.Point, km float64) []Neighbour

// Indexed returns the Reach of points by great-circle distance x detour
// (exact, through geo's point index).
func Indexed(points []orb.Point, detour geo.Detour) (Reach, error) {
	ix, err := geo.NewPointIndex(points)
	if err != nil {
		return nil, err
	}
	f := detour.Factor()
	var within []geo.Neighbor
	return func(buf []Neighbour, p orb.Point, km float64) []Neighbour {
		buf = buf[:0]
		within = ix.Within(within[:0], p, geo.Kilometers(km/f))
		for _, n := range within {
			if d := float64(n.Dist) * f; d <= km {
				buf = append(buf, Neighbour{n.ID, d})
			}
		}
		return buf
	}, nil
}

// ReachOf builds the Reach of a list of places (outlets, candidate sites)
// for the cells that will ask it, up to radiusKm (a road graph measures
// those pairs in one go). nil means great-circle distances x the detour
// (Indexed).
type ReachOf func(pts []orb.Point, cells []domain.DensityCell, radiusKm float64) (Reach, error)

// reachOf returns r, or Indexed with detour when r is nil.
func reachOf(r ReachOf, detour geo.Detour) ReachOf {
	if r != nil {
		return r
	}
	return func(pts []orb.Point, _ []domain.DensityCell, _ float64) (Reach, error) { return Indexed(pts, detour) }
}

// points are the outlets' places.
func points(outlets []domain.Outlet) []orb.Point {
	pts := make([]orb.Point, len(outlets))
	for i, o := range outlets {
		pts[i] = o.Point
	}
	return pts
}

// Throughputs returns the catchment stage of the weekly plan (the
// signature of week.CatchmentFunc): Assign within tp, outlets reached as
// r measures (nil: great-circle x the detour the stage is given). ctx
// bounds the transportation solve.
func Throughputs(ctx context.Context, tp Throughput, r ReachOf) func([]domain.DensityCell, []domain.Outlet, float64, geo.Detour) (*domain.Catchments, error) {
	return func(cells []domain.DensityCell, outlets []domain.Outlet, radiusKm float64, detour geo.Detour) (*domain.Catchments, error) {
		reach, err := reachOf(r, detour)(points(outlets), cells, radiusKm)
		if err != nil {
			return nil, err
		}
		c, err := Assign(ctx, cells, outlets, radiusKm, reach, tp)
		if err != nil {
			return nil, err
		}
		return &c.Catchments, nil
	}
}

// Flow is the part of a cell's yearly tonnes an outlet absorbs.
type Flow struct {
	Cell, Outlet int
	Tonnes       float64
}

// Catchment is the outcome of Assign: the outlets' rates (the week's input),
// the flows behind them and the coverage they give, in three parts.
type Catchment struct {
	domain.Catchments
	// Capacity[i] is outlet i's throughput and Absorbed[i] what its
	// catchment brings, both in t/yr.
	Capacity, Absorbed []float64
	// Flows are the cell -> outlet parts, by cell then outlet.
	Flows []Flow
	// The retiring tonnes per year: absorbed by an outlet within the
	// radius; within the radius of some outlet but over the throughput of
	// all of them; beyond the radius of every outlet.
	AbsorbedT, OverCapacityT, BeyondT float64
	// CellLeft[c] is what cell c leaves over (t/yr) and CellBeyond[c]
	// whether no outlet is within the radius.
	CellLeft   []float64
	CellBeyond []bool
	Status     solver.Status
}

// Assign computes the catchments of outlets within radiusKm (road km, as
// reach measures it) and their throughput. The transportation problem goes
// through location.Solve with every outlet open and capacitated, and its
// answer through the independent validator. A cancelled ctx returns the
// best assignment found (Status solver.Interrupted).
func Assign(ctx context.Context, cells []domain.DensityCell, outlets []domain.Outlet, radiusKm float64, reach Reach, tp Throughput) (*Catchment, error) {
	if err := tp.Check(); err != nil {
		return nil, err
	}
	if !(radiusKm > 0) || math.IsInf(radiusKm, 0) {
		return nil, fmt.Errorf("catchments: radius %g km: want a distance > 0", radiusKm)
	}
	if len(outlets) == 0 {
		return nil, fmt.Errorf("catchments: no outlets")
	}
	c := &Catchment{Catchments: domain.Catchments{Outlets: outlets, Rates: make([]domain.Rate, len(outlets))},
		Capacity: make([]float64, len(outlets)), Absorbed: make([]float64, len(outlets)),
		CellLeft: make([]float64, len(cells)), CellBeyond: make([]bool, len(cells)), Status: solver.Optimal}
	p := &location.Problem{Objective: location.FacilityLocation, Facilities: make([]location.Facility, len(outlets))}
	for i, o := range outlets {
		c.Capacity[i] = tp.capacity(o.CapacityKg)
		p.Facilities[i] = location.Facility{Open: true, Capacity: c.Capacity[i]}
	}
	demand := listReach(cells, func(ci int) float64 { return cells[ci].Tonnes }, radiusKm, reach, p, func(i int) bool { return c.Capacity[i] > 0 })
	for k, ci := range demand {
		c.CellBeyond[ci] = p.Dist.Start[k] == p.Dist.Start[k+1]
	}
	res, err := solveValidated(ctx, p, "catchments")
	if err != nil {
		return nil, err
	}
	c.Status = res.Status
	c.collect(cells, demand, p, res)
	return c, nil
}

// listReach fills p's demands with the cells of positive weight (t/yr)
// and their facilities within radiusKm (those ok accepts) and returns the
// cell of each demand. The unserved charge is set so that absorbing a tonne always
// beats any chain of re-assignments (see Catchments above).
func listReach(cells []domain.DensityCell, weight func(cell int) float64, radiusKm float64, reach Reach, p *location.Problem, ok func(int) bool) []int {
	var demand []int
	var near []Neighbour
	ids := []int32{}
	ds := []float64{}
	for ci, cell := range cells {
		w := weight(ci)
		if !(w > 0) {
			continue
		}
		demand = append(demand, ci)
		p.Weights = append(p.Weights, w)
		ids, ds = ids[:0], ds[:0]
		near = reach(near, cell.Center, radiusKm)
		for _, n := range near {
			if ok(n.ID) {
				ids = append(ids, int32(n.ID))
				ds = append(ds, n.Km)
			}
		}
		p.Dist.AppendRow(ids, ds)
	}
	if len(demand) == 0 {
		p.Dist.Start = []int{0}
	}
	p.UnservedCost = float64(len(p.Weights)+len(p.Facilities)+2) * (radiusKm + 1)
	return demand
}

// solveValidated solves p and has the answer checked by the independent
// validator: a failure is a solver bug, not a plan.
func solveValidated(ctx context.Context, p *location.Problem, what string) (*location.Result, error) {
	res, err := location.Solve(ctx, p, &location.Settings{BoundIterations: -1})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return res, validateResult(p, res, what)
}

// validateResult has an answer checked by the independent validator.
func validateResult(p *location.Problem, res *location.Result, what string) error {
	if err := validate.Check(p, res); err != nil {
		return fmt.Errorf("%s: the solver's answer fails validation (a bug, please report it): %w", what, err)
	}
	return nil
}

// collect turns the solver's flows into rates, leftovers and coverage.
func (c *Catchment) collect(cells []domain.DensityCell, demand []int, p *location.Problem, res *location.Result) {
	served := make([]float64, len(demand))
	for _, f := range flowsOf(p, res) {
		ci := demand[f.Demand]
		cell := cells[ci]
		c.Flows = append(c.Flows, Flow{Cell: ci, Outlet: f.Facility, Tonnes: f.Weight})
		served[f.Demand] += f.Weight
		c.Absorbed[f.Facility] += f.Weight
		r := &c.Rates[f.Facility]
		r.KgPerDay += f.Weight * 1000 / 365
		r.PacksPerDay += cell.Packs * (f.Weight / cell.Tonnes) / 365
	}
	over := domain.Leftover{Cause: domain.LeftOverCapacity}
	beyond := domain.Leftover{Cause: domain.LeftBeyondRadius}
	for k, ci := range demand {
		left := math.Max(0, p.Weights[k]-served[k])
		if left <= 1e-9*p.Weights[k] {
			left = 0
		}
		c.CellLeft[ci] = left
		switch {
		case c.CellBeyond[ci]:
			beyond.Cells++
			beyond.TonnesPerYear += left
		case left > 0:
			over.Cells++
			over.TonnesPerYear += left
		}
		c.AbsorbedT += p.Weights[k] - left
	}
	c.OverCapacityT, c.BeyondT = over.TonnesPerYear, beyond.TonnesPerYear
	for _, l := range []domain.Leftover{beyond, over} {
		if l.Cells > 0 {
			c.Left = append(c.Left, l)
		}
	}
}

// flowsOf returns the result's flows by demand then facility; an
// uncapacitated answer has none, its assignment is the whole story.
func flowsOf(p *location.Problem, res *location.Result) []location.Flow {
	fl := slices.Clone(res.Flows)
	if fl == nil {
		for j, f := range res.Assign {
			if f >= 0 && p.Weights[j] > 0 {
				fl = append(fl, location.Flow{Demand: j, Facility: f, Weight: p.Weights[j]})
			}
		}
	}
	slices.SortFunc(fl, func(a, b location.Flow) int {
		if a.Demand != b.Demand {
			return a.Demand - b.Demand
		}
		return a.Facility - b.Facility
	})
	return fl
}
