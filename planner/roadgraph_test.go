package planner

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/geo/roads"
	"github.com/rlplan/rlplan/geo/roads/roadstest"
	"github.com/rlplan/rlplan/planner/domain/domaintest"
)

// delawareRoads copies the Delaware extract shipped in paulmach/osm's
// testdata (© OpenStreetMap contributors, ODbL) into a temporary folder (its
// cache goes next to it), or skips. The inputs in testdata/delaware are
// synthetic: real town positions, made-up stock, outlets, plants and fleets.
func delawareRoads(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping road-graph planning on the Delaware extract in -short mode")
	}
	src := roadstest.Delaware(t)
	in, err := os.Open(src)
	if err != nil {
		t.Skipf("skipping: no Delaware extract at %s", src)
	}
	defer in.Close()
	dst := filepath.Join(t.TempDir(), "delaware.osm.pbf")
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, in); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return dst
}

func delawareInputs(t *testing.T) *Inputs {
	t.Helper()
	in, err := (&Loader{Defaults: os.DirFS("testdata/delaware")}).Load(InputPaths{})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestPlanWeekOnRoadGraph(t *testing.T) {
	pbf := delawareRoads(t)
	in := delawareInputs(t)
	ctx := context.Background()
	r, err := LoadRoads(ctx, pbf, in, Regions{}, func(s string) { t.Log(s) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	rm, legs := r.Matrix, r.Legs
	local := 0 // ordered pairs of outlets within RoadLocalKm
	for _, a := range in.Outlets {
		for _, b := range in.Outlets {
			if a.ID != b.ID && float64(geo.Haversine(a.Point, b.Point)) <= RoadLocalKm {
				local++
			}
		}
	}
	if legs.PlantLegs != 2*2*len(in.Outlets) || legs.LocalLegs != local || legs.MissingLegs != 0 {
		t.Errorf("legs %d plant-outlet, %d local, %d missing; want %d, %d and 0", legs.PlantLegs, legs.LocalLegs, legs.MissingLegs, 4*len(in.Outlets), local)
	}
	if len(legs.Detour) != 2 {
		t.Fatalf("detour table %+v, want the two kinds of legs of CN-DE", legs.Detour)
	}
	for _, d := range legs.Detour {
		if d.Province != "CN-DE" || !(d.Median > 1 && d.Median < 1.6) || !(d.P25 <= d.Median && d.Median <= d.P75) {
			t.Errorf("detour %+v: want a median between 1 and 1.6 within its quartiles", d)
		}
	}
	// Every road leg is at least the great circle, and minutes are at
	// most the profile's top speed.
	for _, p := range in.Plants {
		for _, o := range in.Outlets {
			for _, pair := range [][2]string{{p.ID, o.ID}, {o.ID, p.ID}} {
				km, min, ok, okMin := rm.Leg(pair[0], pair[1])
				gc := float64(geo.Haversine(p.Point, o.Point))
				if !ok || !okMin || km < gc-1e-9 || min < km/80*60-1e-9 {
					t.Errorf("%s -> %s: %.3f km %.2f min (%v %v) for %.3f km of great circle", pair[0], pair[1], km, min, ok, okMin, gc)
				}
			}
		}
	}
	opt := ScheduleOptions{Year: 2030, Week: "2030-W10", RadiusKm: 20, TimeLimit: time.Minute, VehicleDayCost: 600, ReloadMin: 30}
	r.Apply(ctx, &opt)
	sch, err := PlanWeek(ctx, in, Regions{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, st := range sch.Stops {
		if st.Seq != 1 {
			continue
		}
		km, min, _, _ := rm.Leg(st.Plant, st.Outlet)
		if math.Abs(st.Km-km) > 1e-9 {
			t.Errorf("first leg %s -> %s: %.3f km, want the road graph's %.3f", st.Plant, st.Outlet, st.Km, km)
		}
		for _, v := range sch.Vehicles {
			// The truck leaves when it must to arrive at opening time or
			// later: arrival - departure is the road time or more.
			if v.Vehicle == st.Vehicle && v.Day == st.Day && st.Arrive-v.Startat < min-1e-6 {
				t.Errorf("%s reached %.2f min after leaving, faster than the road's %.2f", st.Outlet, st.Arrive-v.Startat, min)
			}
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no route: the test checks nothing")
	}
	// Catchments by road: each outlet's rate is the mass of the cells whose
	// nearest outlet by road is it, within the radius.
	cells, err := Density(ctx, in, 2030, DefaultResolution, Regions{})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := r.Net.CellService(ctx, cells, in.Outlets, opt.Detour)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{}
	for i, c := range cells {
		if svc[i].Outlet >= 0 && svc[i].Km <= opt.RadiusKm {
			want[in.Outlets[svc[i].Outlet].ID] += c.Tonnes * 1000 / 365
		}
	}
	for _, o := range sch.Outlets {
		if math.Abs(o.KgPerDay-want[o.Outlet.ID]) > 1e-9*want[o.Outlet.ID] {
			t.Errorf("outlet %s fills %.6f kg/day, want %.6f from its catchment by road", o.Outlet.ID, o.KgPerDay, want[o.Outlet.ID])
		}
	}
	// The week as written passes rlplan check, which rebuilds the legs from
	// the extract named in plan.json and the places it records.
	dir := t.TempDir()
	files, err := ScheduleFiles(sch)
	if err != nil {
		t.Fatal(err)
	}
	for n, b := range files {
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(string(files["plan.json"]), `"roads": "`+pbf+`"`) {
		t.Errorf("plan.json does not name the extract %s", pbf)
	}
	rep, err := CheckSheetFiles(SheetCheck{Sheet: filepath.Join(dir, "routes.csv"), Record: filepath.Join(dir, "plan.json")})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || len(rep.Notes) > 0 {
		t.Errorf("check of the written week: %d violations, %d notes: %+v %+v", len(rep.Violations), len(rep.Notes), rep.Violations, rep.Notes)
	}
}

func TestCoverageByRoad(t *testing.T) {
	pbf := delawareRoads(t)
	in := delawareInputs(t)
	ctx := context.Background()
	net, err := OpenRoadNet(ctx, pbf, func(s string) { t.Log(s) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	cells, err := Density(ctx, in, 2030, DefaultResolution, Regions{})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := geo.NewDetour(1.3)
	cov, err := AnalyzeCoverageBy(ctx, cells, in.Outlets, 15, d, net, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Cross-check with the matrix path: each cell's nearest outlet by road
	// km is the minimum of its row of a shortest-route matrix.
	var cpts, opts []orb.Point
	for _, c := range cells {
		cpts = append(cpts, c.Center)
	}
	for _, o := range in.Outlets {
		opts = append(opts, o.Point)
	}
	mx, err := net.Graph.Matrix(ctx, net.Graph.SnapPoints(cpts), net.Graph.SnapPoints(opts), &roads.MatrixOptions{Metric: roads.Shortest})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for i, c := range cells {
		if !net.Graph.Info.Area().Contains(c.Center, 0) {
			continue // outside the extract: the estimate, as logged
		}
		checked++
		best, arg := math.Inf(1), -1
		for j := range in.Outlets {
			if km, _, ok := mx.At(i, j); ok && km < best {
				best, arg = km, j
			}
		}
		s := cov.Service[i]
		if math.Abs(s.Km-best) > 1e-6*best || s.Km < float64(geo.Haversine(c.Center, in.Outlets[s.Outlet].Point))-1e-9 {
			t.Errorf("cell %v: nearest outlet %d at %.4f km by road; the matrix says %d at %.4f km", c.Cell, s.Outlet, s.Km, arg, best)
		}
	}
	if checked < len(cells)*9/10 {
		t.Errorf("%d of %d cells checked", checked, len(cells))
	}
	if cov.National.MeanKm <= 0 || cov.National.CoveredTonnesShare <= 0 {
		t.Errorf("national coverage %+v: want distances and a covered share", cov.National)
	}
}

func TestRunPlanOnRoadGraph(t *testing.T) {
	pbf := delawareRoads(t)
	s := DefaultScenario()
	s.Name, s.Regions = "delaware-2030", nil
	d, _ := filepath.Abs("testdata/delaware")
	s.Inputs = ScenarioInputs{Stock: filepath.Join(d, "stock.csv"), VehicleTypes: filepath.Join(d, "vehicle_types.csv"), Places: filepath.Join(d, "places.csv"),
		Outlets: filepath.Join(d, "outlets.csv"), Plants: filepath.Join(d, "plants.csv"), Fleet: filepath.Join(d, "fleet.csv"),
		Provinces: filepath.Join(d, "provinces.geojson"), Roads: pbf, Costs: filepath.Join(d, "..", "..", "..", "datasets", "data", "costs.csv")}
	s.Siting.TimeLimit.Duration, s.Routes.TimeLimit.Duration = 20*time.Second, 20*time.Second
	run := func(s Scenario) (*Plan, map[string][]byte) {
		p, err := RunPlan(context.Background(), s, &Loader{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.Roads == nil || p.Roads.PlantLegs == 0 || p.KPIs.Roads == nil {
			t.Fatalf("plan roads %+v, KPIs %+v: want the road legs", p.Roads, p.KPIs.Roads)
		}
		if p.Siting == nil || p.Schedule == nil || p.KPIs.Catchments == nil || p.KPIs.Routes == nil || !(p.KPIs.Routes.DueTonnes > 0) {
			t.Fatal("the plan has no siting, routes or catchments")
		}
		files, err := p.Files()
		if err != nil {
			t.Fatal(err)
		}
		return p, files
	}
	// The default design (typed siting, hubs), its catchments measured by
	// road (roads_network.go): on Delaware's data the existing outlets
	// absorb all but the cells beyond the radius, which no site pays for.
	p, _ := run(s)
	if c := p.KPIs.Catchments.After; c == nil || !(c.AbsorbedT > 0) || c.OverCapacityT != 0 {
		t.Errorf("typed siting on roads: catchments after %+v: want tonnes absorbed by road and none over capacity", c)
	}
	// The single-type siting opens its sites on road distances; the plan is
	// the same twice.
	s.Siting.Objective, s.Siting.NewSites = ObjectiveCoverage, 3
	p, a := run(s)
	if len(p.Siting.Sites) == 0 {
		t.Error("coverage siting on roads opened no site")
	}
	_, b := run(s)
	if !strings.Contains(string(a["report.md"]), "## Road network") || !strings.Contains(string(a["road_detour.csv"]), "CN-DE,,plant_outlet,") {
		t.Errorf("report.md or road_detour.csv lacks the road network:\n%s\n%s", a["report.md"], a["road_detour.csv"])
	}
	for n := range a {
		if !bytes.Equal(a[n], b[n]) {
			t.Errorf("%s differs between two identical runs", n)
		}
	}
}

func TestRoadGraphOutsideRegion(t *testing.T) {
	pbf := delawareRoads(t)
	in, err := (&Loader{Defaults: domaintest.SmallFS()}).Load(InputPaths{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = LoadRoads(context.Background(), pbf, in, Regions{}, nil, nil)
	if !errors.Is(err, roads.ErrOutside) || !strings.Contains(err.Error(), "O1 (23.1000, 113.2000)") || !strings.Contains(err.Error(), pbf) {
		t.Fatalf("error %v: want ErrOutside naming the Guangdong outlets and the file", err)
	}
}
