package network

import (
	"context"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/solver"
)

var detour13, _ = geo.NewDetour(1.3)

// sixDays is the default: 80 % fill, trucks Monday to Saturday.
var sixDays = Throughput{Fill: 0.8, WorkDays: 6}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

// Throughput by hand: 5000 kg at 80 % is 4000 kg; Monday to Saturday the
// longest wait is Saturday to Monday, 2 days: 2000 kg a day, 730 t a year.
// Every day: 4000 kg a day. Monday to Friday: 3 days, 1333 kg a day.
func TestThroughputHandChecked(t *testing.T) {
	for _, c := range []struct {
		wd   int
		want float64
	}{{6, 2000}, {7, 4000}, {5, 4000.0 / 3}, {1, 4000.0 / 7}} {
		tp := Throughput{Fill: 0.8, WorkDays: c.wd}
		if got := tp.KgPerDay(5000); !near(got, c.want, 1e-12) {
			t.Errorf("%d work days: %g kg a day, want %g", c.wd, got, c.want)
		}
	}
	if got := sixDays.TonnesPerYear(5000); !near(got, 730, 1e-12) {
		t.Errorf("%g t a year, want 730", got)
	}
	for _, bad := range []Throughput{{0, 6}, {1.1, 6}, {0.8, 0}, {0.8, 8}, {math.NaN(), 6}} {
		if bad.Check() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// reachOfOutlets is the great-circle x 1.3 reach of outlets.
func reachOfOutlets(t *testing.T, outlets []domain.Outlet) Reach {
	t.Helper()
	pts := make([]orb.Point, len(outlets))
	for i, o := range outlets {
		pts[i] = o.Point
	}
	r, err := Indexed(pts, detour13)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Spill to the next outlet, by hand. A and B are 5 t collection outlets
// (730 t a year each) 0.05° apart (5.56 km, 7.2 km by road). Cell 1 sits
// on A with 1000 t a year: A takes 730, the 270 left spill to B. Cell 2,
// 0.1° north of B (14.5 km by road; 21.7 km from A), brings B 100 t more.
// Cell 3 is 50 km away: beyond the radius. Nothing is over capacity.
func TestAssignSpillsToTheNextOutlet(t *testing.T) {
	outlets := []domain.Outlet{{ID: "A", Point: orb.Point{113, 23}, CapacityKg: 5000}, {ID: "B", Point: orb.Point{113, 23.05}, CapacityKg: 5000}}
	cells := []domain.DensityCell{
		{Center: orb.Point{113, 23}, Tonnes: 1000, Packs: 4000},
		{Center: orb.Point{113, 23.15}, Tonnes: 100, Packs: 200},
		{Center: orb.Point{113.5, 23}, Tonnes: 10, Packs: 20},
	}
	c, err := Assign(context.Background(), cells, outlets, 15, reachOfOutlets(t, outlets), sixDays)
	if err != nil {
		t.Fatal(err)
	}
	if !near(c.Absorbed[0], 730, 1e-6) || !near(c.Absorbed[1], 370, 1e-6) {
		t.Errorf("absorbed A %g, B %g t a year, want 730 and 370", c.Absorbed[0], c.Absorbed[1])
	}
	// A: 730 t a year is 2000 kg a day, of cell 1's 4 packs a tonne.
	if !near(c.Rates[0].KgPerDay, 2000, 1e-6) || !near(c.Rates[0].PacksPerDay, 2920/365.0, 1e-6) {
		t.Errorf("A fills %+v, want 2000 kg and 8 packs a day", c.Rates[0])
	}
	// B: 270 t of cell 1 (1080 packs) and 100 t of cell 2 (200 packs).
	if !near(c.Rates[1].KgPerDay, 370000/365.0, 1e-6) || !near(c.Rates[1].PacksPerDay, 1280/365.0, 1e-6) {
		t.Errorf("B fills %+v, want %g kg and %g packs a day", c.Rates[1], 370000/365.0, 1280/365.0)
	}
	if !near(c.AbsorbedT, 1100, 1e-9) || c.OverCapacityT != 0 || c.BeyondT != 10 || !c.CellBeyond[2] || c.CellLeft[2] != 10 {
		t.Errorf("absorbed %g, over %g, beyond %g t; want 1100, 0, 10", c.AbsorbedT, c.OverCapacityT, c.BeyondT)
	}
	if len(c.Left) != 1 || c.Left[0] != (domain.Leftover{Cause: domain.LeftBeyondRadius, Cells: 1, TonnesPerYear: 10}) {
		t.Errorf("left over %+v, want cell 3's 10 t beyond the radius", c.Left)
	}
	if c.Status != solver.IterationLimit && c.Status != solver.Optimal {
		t.Errorf("status %v", c.Status)
	}
}

// Over capacity, by hand: cell 1 brings 1600 t, cell 2 100 t, into 1460 t
// of throughput. Absorbing the most first (1460 t), the fewest tonne-km
// then: cell 1 fills A (0 km) and B (7.2 km), 730 t each, and cell 2,
// which only B reaches (14.5 km), is left: 140 + 100 t over capacity. (Cell
// 2 to B and 630 t of cell 1 to B would absorb as much at more tonne-km.)
func TestAssignOverCapacity(t *testing.T) {
	outlets := []domain.Outlet{{ID: "A", Point: orb.Point{113, 23}, CapacityKg: 5000}, {ID: "B", Point: orb.Point{113, 23.05}, CapacityKg: 5000}}
	cells := []domain.DensityCell{{Center: orb.Point{113, 23}, Tonnes: 1600, Packs: 1600}, {Center: orb.Point{113, 23.15}, Tonnes: 100, Packs: 100}}
	c, err := Assign(context.Background(), cells, outlets, 15, reachOfOutlets(t, outlets), sixDays)
	if err != nil {
		t.Fatal(err)
	}
	if !near(c.CellLeft[0], 140, 1e-6) || !near(c.CellLeft[1], 100, 1e-6) || !near(c.OverCapacityT, 240, 1e-6) || c.BeyondT != 0 {
		t.Errorf("left %v, over %g, beyond %g; want [140 100], 240, 0", c.CellLeft, c.OverCapacityT, c.BeyondT)
	}
	if len(c.Left) != 1 || c.Left[0].Cause != domain.LeftOverCapacity || c.Left[0].Cells != 2 {
		t.Errorf("left over %+v, want 2 cells over capacity", c.Left)
	}
}

// catalogue is the default catalogue at costs.csv's figures.
func catalogue() Catalogue {
	central := SiteType{Name: "central", OutletType: domain.OutletCentral, StorageKg: 30000, YearlyCost: 360745}
	return Catalogue{Types: []SiteType{{Name: "collection", OutletType: domain.OutletCollection, StorageKg: 5000, YearlyCost: 44351}, central},
		Upgrades: []Upgrade{{From: domain.OutletCollection, To: central, YearlyCost: 316394}}}
}

// An upgrade chosen over a new site, by hand. A collection outlet (730 t a
// year) sits on a cell of 3000 t a year: 2270 t are over capacity. The one
// candidate place is 0.03° away (3.3 km, 4.3 km by road). With a tonne left
// over worth 10,000 CNY, everything is absorbed; the ways to do it: upgrade
// the outlet (+3650 t, 316,394 CNY), a central site at the place (4380 t,
// 360,745 CNY + 2270 t x 4.3 km x 2 CNY), a collection site (730 t) leaves
// 1540 t over. The upgrade is cheapest.
func TestSiteUpgradeOverNewSite(t *testing.T) {
	outlets := []domain.Outlet{{ID: "O1", Point: orb.Point{113, 23}, Type: domain.OutletCollection, CapacityKg: 5000}}
	cells := []domain.DensityCell{{Center: orb.Point{113, 23}, Tonnes: 3000, Packs: 10000, Province: "CN-GD"}}
	sp := &SitingProblem{Cells: cells, Outlets: outlets, Places: []Place{{Point: orb.Point{113, 23.03}, Source: "test"}}, Catalogue: catalogue(),
		Objective: SiteCost, RadiusKm: 15, Detour: detour13, Throughput: sixDays, CostPerTonneKm: 2, UncollectedCost: 10000}
	r, err := Site(context.Background(), sp)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Sites) != 0 || len(r.Upgrades) != 1 || r.Upgrades[0].After.Type != domain.OutletCentral || r.Upgrades[0].After.CapacityKg != 30000 {
		t.Fatalf("sites %+v, upgrades %+v; want O1 upgraded to central storage (30 t) and no new site", r.Sites, r.Upgrades)
	}
	if r.YearlyCost != 316394 || !near(r.Upgrades[0].AddedT, 3650, 1e-6) || !near(r.Upgrades[0].Absorbed, 3000, 1e-6) {
		t.Errorf("yearly %g CNY, added %g t, absorbed %g t; want 316394, 3650, 3000", r.YearlyCost, r.Upgrades[0].AddedT, r.Upgrades[0].Absorbed)
	}
	if r.After.OverCapacityT > 1e-6 || r.Outlets[0].Type != domain.OutletCentral {
		t.Errorf("after: %g t over capacity, outlet %+v", r.After.OverCapacityT, r.Outlets[0])
	}
	// Cheaper tonnes make the upgrade not worth it: at 100 CNY a tonne the
	// 2270 t cost 227,000 CNY, less than any upgrade or central site; a
	// collection site (44,351 CNY for 730 t) still pays.
	sp.UncollectedCost = 100
	r, err = Site(context.Background(), sp)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Upgrades) != 0 || len(r.Sites) != 1 || r.Sites[0].Site.Name != "collection" || !near(r.Sites[0].AbsorbedT, 730, 1e-6) {
		t.Errorf("at 100 CNY a tonne: sites %+v, upgrades %+v; want one collection site absorbing 730 t", r.Sites, r.Upgrades)
	}
}

// The cover objective opens the cheapest sites that bring the absorbed
// share to the target: 2270 of 3000 t are over capacity; a target of 0.9
// needs 2700 t absorbed, 1970 t more: an upgrade (3650 t, 316,394 CNY) is
// cheaper than a central site (360,745 CNY), and a collection site (730 t)
// is not enough.
func TestSiteCoverTarget(t *testing.T) {
	outlets := []domain.Outlet{{ID: "O1", Point: orb.Point{113, 23}, Type: domain.OutletCollection, CapacityKg: 5000}}
	cells := []domain.DensityCell{{Center: orb.Point{113, 23}, Tonnes: 3000, Packs: 10000}}
	sp := &SitingProblem{Cells: cells, Outlets: outlets, Places: []Place{{Point: orb.Point{113, 23.03}}}, Catalogue: catalogue(),
		Objective: SiteCover, Target: 0.9, RadiusKm: 15, Detour: detour13, Throughput: sixDays}
	r, err := Site(context.Background(), sp)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Upgrades) != 1 || len(r.Sites) != 0 || r.YearlyCost != 316394 {
		t.Errorf("sites %+v, upgrades %d, %g CNY; want the upgrade alone", r.Sites, len(r.Upgrades), r.YearlyCost)
	}
	// A target the outlets meet already opens nothing.
	sp.Target = 0.2
	if r, err = Site(context.Background(), sp); err != nil || len(r.Sites)+len(r.Upgrades) != 0 {
		t.Errorf("target 0.2 (730 of 3000 t absorbed): %v, %d sites, %d upgrades; want none", err, len(r.Sites), len(r.Upgrades))
	}
}
