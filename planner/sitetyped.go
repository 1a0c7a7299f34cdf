package planner

import (
	"context"
	"fmt"

	"github.com/rlplan/rlplan/planner/network"
	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
)

// UpgradedOutlet is an existing outlet the siting upgrades.
type UpgradedOutlet struct {
	Outlet     // as it is after the upgrade
	FromType   string
	FromKg     float64 // its storage before
	SiteType   string  // the catalogue's site type it becomes
	YearlyCost float64 // CNY a year on top of its present cost
	AbsorbedT  float64 // what its catchment brings a year after siting (t)
}

// siteTyped runs the typed siting of the scenario (package network): where
// the existing outlets, within the radius and their throughput, leave
// retiring tonnes over, it opens site types at candidate places and
// upgrades existing outlets.
func siteTyped(ctx context.Context, p *Plan, cat network.Catalogue, pf *planFiles, set location.Settings) (*SitingResult, error) {
	s := p.Scenario
	var region []Outlet
	for _, o := range p.Inputs.Outlets {
		if p.Regions.Keep(o.Province) {
			region = append(region, o)
		}
	}
	if len(region) == 0 {
		return nil, fmt.Errorf("siting: no outlets in %s", p.Regions)
	}
	tp := network.Throughput{Fill: s.Routes.Fill, WorkDays: s.Routes.WorkDays}
	sp := &network.SitingProblem{Cells: p.Cells, Outlets: region, Catalogue: cat, Objective: s.Siting.Objective, Target: s.Siting.Target,
		RadiusKm: s.RadiusKm, Detour: p.Detour, Throughput: tp, CostPerTonneKm: s.Siting.TonneKmCost, UncollectedCost: s.Siting.UncollectedCost,
		Reach: reachOf(ctx, pf.net, p.Detour), Settings: set}
	before, err := sp.Assign(ctx, region)
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err() // stopped before the siting had a solution
	}
	places, err := typedPlaces(ctx, p, before, pf)
	if err != nil {
		return nil, err
	}
	sp.Places, sp.Before = places, before
	r, err := network.Site(ctx, sp)
	if err != nil {
		return nil, err
	}
	out := &SitingResult{Objective: s.Siting.Objective, Cost: r.Cost, Bound: r.Bound, Gap: r.Gap, HasBound: r.HasBound, Status: r.Status,
		Iterations: r.Iterations, Candidates: len(places), Typed: true, YearlyCost: r.YearlyCost, UncollectedCost: r.UncollectedCost,
		CatchBefore: before, CatchAfter: r.After}
	cells := make([]int, len(r.After.Outlets))
	for _, f := range r.After.Flows {
		cells[f.Outlet]++
	}
	for k, ns := range r.Sites {
		out.Sites = append(out.Sites, Site{Outlet: ns.Outlet, Source: ns.Source, CapturedTonnes: ns.AbsorbedT, CapturedCells: cells[len(region)+k],
			SiteType: ns.Site.Name, YearlyCost: ns.Site.YearlyCost})
	}
	upgraded := map[string]Outlet{}
	for _, u := range r.Upgrades {
		out.Upgrades = append(out.Upgrades, UpgradedOutlet{Outlet: u.After, FromType: u.Before.Type, FromKg: u.Before.CapacityKg,
			SiteType: u.Upgrade.To.Name, YearlyCost: u.Upgrade.YearlyCost, AbsorbedT: u.Absorbed})
		upgraded[u.After.ID] = u.After
	}
	for _, o := range p.Inputs.Outlets {
		if u, ok := upgraded[o.ID]; ok {
			o = u
		}
		out.Outlets = append(out.Outlets, o)
	}
	out.Outlets = append(out.Outlets, sitesAsOutlets(out.Sites)...)
	if err := out.nearestCoverage(p, region, r.Outlets, pf.net); err != nil {
		return nil, err
	}
	return out, nil
}

// NetworkIterations bounds the improvement rounds of each component of the
// network models (typed siting, hubs), so that the iteration budget, not
// the clock, ends their search and the plan is reproducible: components
// are small (a few hundred demands), where the local search settles in a
// few rounds.
const NetworkIterations = 50

// networkSettings are the location settings of the network models.
func networkSettings(s Scenario) location.Settings {
	return location.Settings{TimeLimit: s.Siting.TimeLimit.Duration, MaxIterations: NetworkIterations, Seed: solver.Seed(s.Seed)}
}

// nearestCoverage fills Before and After with the nearest-outlet coverage
// of the outlets before and after siting (by road on a road graph), and
// AfterService and AfterProvince for the map. It is measured to the end
// even when the run was interrupted: the report describes the sites found.
func (r *SitingResult) nearestCoverage(p *Plan, before, after []Outlet, net *RoadNet) error {
	ctx := context.Background()
	b, err := AnalyzeCoverageBy(ctx, p.Cells, before, p.Scenario.RadiusKm, p.Detour, net, 0, nil)
	if err != nil {
		return err
	}
	a, err := AnalyzeCoverageBy(ctx, p.Cells, after, p.Scenario.RadiusKm, p.Detour, net, 0, nil)
	if err != nil {
		return err
	}
	r.Before, r.After = b.National, a.National
	r.AfterService, r.AfterProvince = a.Service, a.Province
	return nil
}

// typedPlaces are the candidate places: the file's (inputs.candidates), or
// where the existing outlets leave tonnes over.
func typedPlaces(ctx context.Context, p *Plan, before *network.Catchment, pf *planFiles) ([]network.Place, error) {
	s := p.Scenario
	if pf.cands == nil {
		return network.DefaultPlaces(p.Cells, before, p.Inputs.Places, p.Regions.Keep, s.Resolution, s.Siting.MaxCandidates)
	}
	cands, src, err := FileCandidates(ctx, s.Inputs.Candidates, pf.cands, pf.warn, p.Inputs, p.Regions)
	if err != nil {
		return nil, err
	}
	out := make([]network.Place, len(cands))
	for i, c := range cands {
		out[i] = network.Place{Point: c.Point, Name: c.Name, Province: c.Province, Source: src[i]}
	}
	return out, nil
}
