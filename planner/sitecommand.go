package planner

import (
	"context"
	"fmt"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/solver/location"
)

// TypedSiting is a typed siting run on its own, outside a plan (`rlplan
// site --objective capacitated`): the same model, catalogue and costs the
// plan's siting step uses (site types at candidate places and upgrades of
// existing outlets, throughput from the week's fill and work days, a stated
// charge per tonne left without an outlet), on inputs already loaded.
type TypedSiting struct {
	// Scenario gives the regions' radius, detour, resolution and seed, the
	// siting keys (catalogue, tonne_km_cost, uncollected_cost,
	// max_candidates, time_limit) and routes.fill and routes.work_days.
	Scenario Scenario
	Inputs   *Inputs
	Regions  Regions
	Cells    []DensityCell
	// Costs prices the catalogue (costs.csv).
	Costs *domain.Costs
	// Candidates are the candidate file's sites (CandidatesPath names the
	// file); nil proposes the places where the existing outlets leave
	// tonnes over (network.DefaultPlaces).
	Candidates     []Outlet
	CandidatesPath string
	// Settings are the solver's, per component of the model; the zero
	// value is the plan's (networkSettings).
	Settings *location.Settings
	Warn     func(string)
}

// ChooseTypedSites solves a typed siting: which site types to open where,
// and which outlets to upgrade. Every component's answer has passed the
// independent validator (solver/location/validate). Unserved is what the
// network after siting leaves over (beyond the radius or over throughput),
// in t/yr.
func ChooseTypedSites(ctx context.Context, t TypedSiting) (*SitingResult, error) {
	s := t.Scenario
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if !s.Siting.typed() {
		return nil, fmt.Errorf("siting: objective %s with %d site types and %d upgrades: want capacitated or cover with a catalogue", s.Siting.Objective,
			len(s.Siting.SiteTypes), len(s.Siting.Upgrades))
	}
	cat, err := s.Catalogue(t.Costs)
	if err != nil {
		return nil, err
	}
	detour, err := geo.NewDetour(s.Detour)
	if err != nil {
		return nil, err
	}
	warn := t.Warn
	if warn == nil {
		warn = func(string) {}
	}
	set := networkSettings(s)
	if t.Settings != nil {
		set = *t.Settings
	}
	s.Inputs.Candidates = t.CandidatesPath
	p := &Plan{Scenario: s, Inputs: t.Inputs, Regions: t.Regions, Cells: t.Cells, Detour: detour}
	r, err := siteTyped(ctx, p, cat, &planFiles{cands: t.Candidates, warn: warn}, set)
	if err != nil {
		return nil, err
	}
	r.Unserved = r.CatchAfter.OverCapacityT + r.CatchAfter.BeyondT
	return r, nil
}
