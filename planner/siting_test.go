package planner

import (
	"context"
	"math"
	"testing"

	"github.com/rlplan/rlplan/geo"
)

// The siting glue must give the solver exact coverage: its objective equals
// the covered tonnes recomputed by brute force after siting, every new site
// brings tonnes into reach that no existing outlet had, and existing outlets
// stay open (coverage never drops).
func TestSitingCoverageIsExact(t *testing.T) {
	in := loadDefault(t)
	reg, _ := ParseRegions(in, []string{"CN-GD"})
	cells, err := Density(context.Background(), in, 2030, 7, reg)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := geo.NewDetour(1.3)
	const radius = 10.0
	cov, _ := AnalyzeCoverage(cells, in.Outlets, radius, d, 0, nil)
	cands, src, err := DefaultCandidates(cells, cov, in.Places, reg, 7, 5000)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ChooseSites(context.Background(), cells, in.Outlets, cands, src, SitingOptions{Objective: ObjectiveCoverage, New: 5, RadiusKm: radius, Detour: d})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Sites) != 5 {
		t.Fatalf("%d sites, want 5", len(r.Sites))
	}
	var covered float64
	for i, c := range cells {
		ok := cov.Service[i].Km <= radius
		for _, s := range r.Sites {
			ok = ok || float64(geo.Haversine(c.Center, s.Point))*1.3 <= radius
		}
		if ok {
			covered += c.Tonnes
		}
	}
	if math.Abs(covered-r.Cost) > 1e-6*covered {
		t.Errorf("solver covers %.3f t, brute force after siting %.3f t", r.Cost, covered)
	}
	if r.Bound < r.Cost-1e-6 {
		t.Errorf("upper bound %.3f below the covered %.3f", r.Bound, r.Cost)
	}
	if r.After.CoveredTonnesShare < r.Before.CoveredTonnesShare {
		t.Errorf("coverage fell from %g to %g", r.Before.CoveredTonnesShare, r.After.CoveredTonnesShare)
	}
	for _, s := range r.Sites {
		var gain float64
		for i, c := range cells {
			if cov.Service[i].Km > radius && float64(geo.Haversine(c.Center, s.Point))*1.3 <= radius {
				gain += c.Tonnes
			}
		}
		if gain <= 0 {
			t.Errorf("site %s at %v brings no new tonnes into reach", s.ID, s.Point)
		}
		if s.CapturedTonnes <= 0 {
			t.Errorf("site %s captures no catchment", s.ID)
		}
	}
}
