package planner

import (
	"context"
	"math"
	"testing"

	"github.com/rlplan/rlplan/datasets"
)

// siteOnlyScenario is the default scenario with only the siting step, in
// region, with a tonne left over charged uncollected CNY (0: derived).
func siteOnlyScenario(region string, uncollected float64) Scenario {
	s := DefaultScenario()
	s.Regions, s.Siting.UncollectedCost = []string{region}, uncollected
	s.Routes.Enabled, s.Capacity.Enabled, s.Network.Hubs = false, false, false
	return s
}

// The site command's typed siting (ChooseTypedSites) is the plan's siting
// step: the same sites, types, cost and bound on the same scenario. Its
// figures come from the costs file: each site costs its type's yearly cost
// and holds its type's storage, and the default charge per tonne left over
// is the existing outlets' yearly cost (by their type's row) per tonne they
// absorb, recomputed here from the rows.
func TestTypedSitingIsThePlansSiting(t *testing.T) {
	ctx := context.Background()
	l := &Loader{Defaults: datasets.FS}
	costs, err := l.LoadCosts("")
	if err != nil {
		t.Fatal(err)
	}
	yearly := map[string]float64{}
	for typ, item := range map[string]string{OutletCollection: "collection_outlet_yearly_cost", OutletCentral: "central_storage_yearly_cost"} {
		if yearly[typ], err = costs.Get(item, "CNY/yr"); err != nil {
			t.Fatal(err)
		}
	}
	storage := map[string]float64{"collection": 5000, "central": 30000}
	for _, tc := range []struct {
		region      string
		uncollected float64
	}{{"CN-HI", 0}, {"CN-HI", 3000}, {"CN-NX", 3000}} {
		s := siteOnlyScenario(tc.region, tc.uncollected)
		p, err := RunPlan(ctx, s, l, nil)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ChooseTypedSites(ctx, TypedSiting{Scenario: s, Inputs: p.Inputs, Regions: p.Regions, Cells: p.Cells, Costs: costs})
		if err != nil {
			t.Fatal(err)
		}
		name := tc.region
		want := p.Siting
		if r.Cost != want.Cost || r.Bound != want.Bound || len(r.Sites) != len(want.Sites) || len(r.Upgrades) != len(want.Upgrades) {
			t.Fatalf("%s at %g: site command %d sites, %d upgrades, cost %g, bound %g; plan %d, %d, %g, %g", name, tc.uncollected,
				len(r.Sites), len(r.Upgrades), r.Cost, r.Bound, len(want.Sites), len(want.Upgrades), want.Cost, want.Bound)
		}
		if tc.uncollected > 0 && len(r.Sites) == 0 {
			t.Errorf("%s at %g CNY/t: no site opened; the case is meant to open some", name, tc.uncollected)
		}
		sum := 0.0
		for k, st := range r.Sites {
			if st.Point != want.Sites[k].Point || st.SiteType != want.Sites[k].SiteType {
				t.Errorf("%s site %d: %s at %v, plan %s at %v", name, k, st.SiteType, st.Point, want.Sites[k].SiteType, want.Sites[k].Point)
			}
			if st.CapacityKg != storage[st.SiteType] || st.YearlyCost != yearly[st.Type] {
				t.Errorf("%s site %s: type %s, %g kg, %g CNY/yr; want the catalogue's %g kg, %g CNY/yr", name, st.ID, st.SiteType, st.CapacityKg,
					st.YearlyCost, storage[st.SiteType], yearly[st.Type])
			}
			sum += st.YearlyCost
		}
		for _, u := range r.Upgrades {
			sum += u.YearlyCost
		}
		if math.Abs(sum-r.YearlyCost) > 1e-6 {
			t.Errorf("%s: yearly cost %g, sites and upgrades sum to %g", name, r.YearlyCost, sum)
		}
		if !r.HasBound || r.Bound > r.Cost*(1+1e-9) || math.Abs(r.Gap-(r.Cost-r.Bound)/r.Cost) > 1e-9 {
			t.Errorf("%s: cost %g, bound %g (has %v), gap %g", name, r.Cost, r.Bound, r.HasBound, r.Gap)
		}
		if left := r.CatchAfter.OverCapacityT + r.CatchAfter.BeyondT; r.Unserved != left {
			t.Errorf("%s: unserved %g t, the catchment after siting leaves %g t", name, r.Unserved, left)
		}
		if tc.uncollected > 0 {
			if r.UncollectedCost != tc.uncollected {
				t.Errorf("%s: charge %g CNY/t, set %g", name, r.UncollectedCost, tc.uncollected)
			}
			continue
		}
		own := 0.0
		for _, o := range p.Inputs.Outlets {
			if p.Regions.Keep(o.Province) {
				own += yearly[o.Type]
			}
		}
		if w := own / r.CatchBefore.AbsorbedT; math.Abs(r.UncollectedCost-w) > 1e-9*w {
			t.Errorf("%s: default charge %g CNY/t, the outlets' own cost per tonne is %g", name, r.UncollectedCost, w)
		}
	}
}

// A scenario without a catalogue is not a typed siting: the error says so.
func TestTypedSitingWantsACatalogue(t *testing.T) {
	s := siteOnlyScenario("CN-HI", 0)
	s.Siting.SiteTypes, s.Siting.Upgrades = nil, nil
	_, err := ChooseTypedSites(context.Background(), TypedSiting{Scenario: s})
	if err == nil || err.Error() != "siting: objective capacitated with 0 site types and 0 upgrades: want capacitated or cover with a catalogue" {
		t.Fatalf("error %v", err)
	}
}
