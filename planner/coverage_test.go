package planner

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
)

// A hand-built case on the equator, where one degree of longitude is
// 111.195 km (R = 6371.0088 km): outlet at lon 0; cells at 0.05°, 0.2° and
// 1.0° east, i.e. 5.56, 22.24 and 111.2 km by great circle, x1.25 by road.
func TestCoverageHandBuilt(t *testing.T) {
	deg := 6371.0088 * math.Pi / 180
	cells := []DensityCell{
		{Center: orb.Point{0.05, 0}, Province: "CN-AA", Tonnes: 6, Packs: 20},
		{Center: orb.Point{0.2, 0}, Province: "CN-AA", Tonnes: 3, Packs: 10},
		{Center: orb.Point{1.0, 0}, Province: "CN-BB", Tonnes: 1, Packs: 5},
	}
	outlets := []Outlet{{ID: "far", Point: orb.Point{5, 5}}, {ID: "O", Point: orb.Point{0, 0}}}
	detour, err := geo.NewDetour(1.25)
	if err != nil {
		t.Fatal(err)
	}
	cov, err := AnalyzeCoverage(cells, outlets, 30, detour, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	km := []float64{0.05 * deg * 1.25, 0.2 * deg * 1.25, 1.0 * deg * 1.25} // 6.95, 27.80, 138.99
	for i, s := range cov.Service {
		if s.Outlet != 1 || math.Abs(s.Km-km[i]) > 1e-6 {
			t.Errorf("cell %d: outlet %d at %.4f km, want outlet 1 at %.4f km", i, s.Outlet, s.Km, km[i])
		}
	}
	n := cov.National
	if math.Abs(n.CoveredTonnesShare-0.9) > 1e-12 {
		t.Errorf("covered share %g, want 0.9 (6+3 of 10 t within 30 km)", n.CoveredTonnesShare)
	}
	wantMean := (6*km[0] + 3*km[1] + 1*km[2]) / 10
	if math.Abs(n.MeanKm-wantMean) > 1e-6 {
		t.Errorf("mean %g km, want %g", n.MeanKm, wantMean)
	}
	// 95 % of 10 t is 9.5 t: reached only with the far cell.
	if math.Abs(n.P95Km-km[2]) > 1e-6 {
		t.Errorf("p95 %g km, want %g", n.P95Km, km[2])
	}
	if len(cov.Province) != 2 || cov.Province[0].Area != "CN-AA" || cov.Province[0].CoveredTonnesShare != 1 || cov.Province[1].CoveredTonnesShare != 0 {
		t.Errorf("per-province = %+v, want CN-AA fully covered and CN-BB not", cov.Province)
	}
	if len(cov.Hotspots) != 1 || cov.Hotspots[0].NearestOutlet != "O" || cov.Hotspots[0].Tonnes != 1 {
		t.Errorf("hotspots = %+v, want the 1 t cell served by O", cov.Hotspots)
	}
	if _, err := AnalyzeCoverage(cells, outlets, 0, detour, 5, nil); err == nil {
		t.Error("radius 0 accepted")
	}
}
