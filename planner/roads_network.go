package planner

import (
	"context"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/network"
	"github.com/rlplan/rlplan/planner/week"
	"github.com/rlplan/rlplan/solver/location"
)

// reachOf is how the network models measure a cell's road km to places: on
// the road graph (net), or great-circle x detour when net is nil.
func reachOf(ctx context.Context, net *RoadNet, detour geo.Detour) network.ReachOf {
	if net == nil {
		return nil
	}
	return func(pts []orb.Point, cells []DensityCell, radiusKm float64) (network.Reach, error) {
		return net.reach(ctx, pts, cells, radiusKm, detour)
	}
}

// reach measures, on the road graph, the road km from each cell to the
// places within radiusKm of it as the crow flies (a road is not shorter),
// with one search per place (SiteDistances), and answers each cell's
// query from that table; a point that is no cell's centre, or a pair the
// graph has no road for, keeps the great-circle estimate x detour.
func (n *RoadNet) reach(ctx context.Context, pts []orb.Point, cells []DensityCell, radiusKm float64, detour geo.Detour) (network.Reach, error) {
	crow, err := geo.NewDetour(1)
	if err != nil {
		return nil, err
	}
	gc, err := network.Indexed(pts, crow)
	if err != nil {
		return nil, err
	}
	est, err := network.Indexed(pts, detour)
	if err != nil {
		return nil, err
	}
	d := &location.Distances{}
	row := map[orb.Point]int{}
	var buf []network.Neighbour
	ids, ds := []int32{}, []float64{}
	for j, c := range cells {
		row[c.Center] = j
		buf = gc(buf, c.Center, radiusKm)
		ids, ds = ids[:0], ds[:0]
		for _, nb := range buf {
			ids, ds = append(ids, int32(nb.ID)), append(ds, nb.Km*detour.Factor())
		}
		d.AppendRow(ids, ds)
	}
	if len(cells) == 0 {
		d.Start = []int{0}
	}
	if err := n.SiteDistances(ctx, cells, pts, d); err != nil {
		return nil, err
	}
	return func(out []network.Neighbour, p orb.Point, km float64) []network.Neighbour {
		j, ok := row[p]
		if !ok {
			return est(out, p, km)
		}
		out = out[:0]
		for e := d.Start[j]; e < d.Start[j+1]; e++ {
			if d.Dist[e] <= km {
				out = append(out, network.Neighbour{ID: int(d.Facility[e]), Km: d.Dist[e]})
			}
		}
		return out
	}, nil
}

// roadThroughputs is the weekly plan's catchment stage on a road graph:
// each outlet within its throughput, cells to outlets by road km (pairs
// without a road value at the detour the stage is called with). Fill and
// work days are opt's when set, the documented defaults otherwise.
func (n *RoadNet) roadThroughputs(ctx context.Context, opt *ScheduleOptions) week.CatchmentFunc {
	tp := network.Throughput{Fill: opt.FillTarget, WorkDays: opt.WorkDays}
	if tp.Fill == 0 {
		tp.Fill = week.OptFill.Default
	}
	if tp.WorkDays == 0 {
		tp.WorkDays = int(week.OptWorkDays.Default)
	}
	return func(cells []DensityCell, outlets []Outlet, radiusKm float64, detour geo.Detour) (*domain.Catchments, error) {
		return network.Throughputs(ctx, tp, reachOf(ctx, n, detour))(cells, outlets, radiusKm, detour)
	}
}
