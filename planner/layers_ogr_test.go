package planner_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/planner"
)

// These tests hand every GeoJSON layer of a plan to GDAL (ogrinfo), the
// reader behind QGIS and most GIS tools: if GDAL counts other features,
// infers another geometry type or misses a property, users' tools will too.

// ogrSummary is what `ogrinfo -ro -al -so` reports about a one-layer file.
type ogrSummary struct {
	geometry string // "Point", "Line String", "Polygon", "Multi Polygon", "Unknown (any)"
	count    int
	extent   *orb.Bound // nil when ogrinfo prints none (empty layer)
	srs4326  bool
	fields   map[string]string // name -> OGR type (String, Real, Integer, Integer64)
}

var (
	ogrGeometry = regexp.MustCompile(`(?m)^Geometry: (.+)$`)
	ogrCount    = regexp.MustCompile(`(?m)^Feature Count: (\d+)$`)
	ogrExtent   = regexp.MustCompile(`(?m)^Extent: \(([-0-9.]+), ([-0-9.]+)\) - \(([-0-9.]+), ([-0-9.]+)\)$`)
	ogrField    = regexp.MustCompile(`(?m)^([A-Za-z_][A-Za-z0-9_]*): ([A-Za-z0-9]+)(?:\([A-Za-z0-9]+\))? \(\d+\.\d+\)$`)
	ogrSRS      = regexp.MustCompile(`ID\["EPSG",4326\]`)
)

// ogrinfo runs `ogrinfo -ro -al -so path` and parses its summary.
func ogrinfo(t *testing.T, path string) ogrSummary {
	t.Helper()
	out, err := exec.Command("ogrinfo", "-ro", "-al", "-so", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo -ro -al -so %s: %v\n%s", path, err, out)
	}
	text := string(out)
	if strings.Contains(text, "ERROR") || strings.Contains(text, "Warning") {
		t.Errorf("ogrinfo complains about %s:\n%s", path, text)
	}
	var s ogrSummary
	m := ogrGeometry.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("ogrinfo printed no geometry line for %s:\n%s", path, text)
	}
	s.geometry = m[1]
	if m = ogrCount.FindStringSubmatch(text); m == nil {
		t.Fatalf("ogrinfo printed no feature count for %s:\n%s", path, text)
	}
	s.count, _ = strconv.Atoi(m[1])
	if m = ogrExtent.FindStringSubmatch(text); m != nil {
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		s.extent = &orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}
	}
	s.srs4326 = ogrSRS.MatchString(text)
	s.fields = map[string]string{}
	for _, f := range ogrField.FindAllStringSubmatch(text, -1) {
		s.fields[f[1]] = f[2]
	}
	return s
}

// ogrGeometryName is how OGR names the geometry type of a layer whose
// features all have type g.
var ogrGeometryName = map[string]string{
	"Point": "Point", "MultiPoint": "Multi Point", "LineString": "Line String",
	"MultiLineString": "Multi Line String", "Polygon": "Polygon", "MultiPolygon": "Multi Polygon",
}

// layerGeometry returns the OGR geometry name a layer should report: the
// common type of its features, or "Unknown (any)" when empty or mixed.
func layerGeometry(fc *geojson.FeatureCollection) string {
	types := map[string]bool{}
	for _, f := range fc.Features {
		types[f.Geometry.GeoJSONType()] = true
	}
	if len(types) != 1 {
		return "Unknown (any)"
	}
	for t := range types {
		return ogrGeometryName[t]
	}
	return ""
}

// propertyKinds returns, per property name, "string" when every value is a
// string and "number" when every value is a number.
func propertyKinds(t *testing.T, name string, fc *geojson.FeatureCollection) map[string]string {
	t.Helper()
	kinds := map[string]string{}
	for i, f := range fc.Features {
		for k, v := range f.Properties {
			var kind string
			switch v.(type) {
			case string:
				kind = "string"
			case float64, float32, int, int64, int32, uint32, uint64:
				kind = "number"
			default:
				t.Errorf("%s feature %d: property %s has type %T, want a string or a number", name, i, k, v)
				continue
			}
			if prev, ok := kinds[k]; ok && prev != kind {
				t.Errorf("%s: property %s mixes strings and numbers", name, k)
			}
			kinds[k] = kind
		}
	}
	return kinds
}

// ogrPlan runs a small plan in process on the embedded dataset.
//
// Plans are deterministic and the tests only read them, so each (regions,
// siting) pair is planned once per test binary: the layer and map tests
// share the Shanghai and Hainan plan (a minute under the race detector).
func ogrPlan(t *testing.T, regions []string, siting bool) *planner.Plan {
	t.Helper()
	key := fmt.Sprint(regions, siting)
	ogrPlans.Lock()
	defer ogrPlans.Unlock()
	if p, ok := ogrPlans.m[key]; ok {
		return p
	}
	p := runOGRPlan(t, regions, siting)
	if ogrPlans.m == nil {
		ogrPlans.m = map[string]*planner.Plan{}
	}
	ogrPlans.m[key] = p
	return p
}

var ogrPlans struct {
	sync.Mutex
	m map[string]*planner.Plan
}

func runOGRPlan(t *testing.T, regions []string, siting bool) *planner.Plan {
	t.Helper()
	s := planner.DefaultScenario()
	s.Name, s.Regions = "ogr", regions
	s.Siting.Enabled = siting
	// Six sites of the coverage objective, so that new_sites has features
	// (the typed siting opens none where the outlets absorb enough).
	s.Siting.Objective, s.Siting.NewSites = planner.ObjectiveCoverage, 6
	s.Siting.TimeLimit.Duration = 20 * time.Second
	s.Routes.TimeLimit.Duration = 20 * time.Second
	p, err := planner.RunPlan(context.Background(), s, &planner.Loader{Defaults: datasets.FS}, nil)
	if err != nil {
		t.Fatalf("plan %v: %v", regions, err)
	}
	return p
}

// skipOGR skips a GDAL read-back without ogrinfo, and with -short (the race
// step: the plans these tests write are planned by the other tests under
// the race detector; what GDAL reads is checked once, in make test).
func skipOGR(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the GDAL read-back runs in make test")
	}
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo (GDAL) is not on PATH; install it (Debian: apt-get install gdal-bin) to check the layers with GDAL")
	}
}

// TestLayersReadByOGR writes every layer of two small plans (one with a
// feature in every layer, one with empty new-site, plant and route layers) and
// checks what GDAL reads back against the FeatureCollections: feature count,
// geometry type, extent, CRS and one field per property.
func TestLayersReadByOGR(t *testing.T) {
	skipOGR(t)
	cases := []struct {
		name    string
		regions []string
		siting  bool
		empty   []string // layers expected to be empty
	}{
		{"Shanghai and Hainan with siting", []string{"CN-SH", "CN-HI"}, true, nil},
		// Hainan has no plant, and none within a day's drive of its outlets:
		// its outlets are emptied by hubs' trucks (routes, hub layers), which
		// no plant catchment shows.
		{"Hainan without siting", []string{"CN-HI"}, false, []string{"new_sites.geojson", "plants.geojson", "catchments.geojson"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := ogrPlan(t, c.regions, c.siting)
			layers, err := p.Layers()
			if err != nil {
				t.Fatal(err)
			}
			files, err := p.Files()
			if err != nil {
				t.Fatal(err)
			}
			names := make([]string, 0, len(layers))
			for n := range layers {
				names = append(names, n)
			}
			sort.Strings(names)
			want := "capacity.geojson catchments.geojson density.geojson hub_catchments.geojson hubs.geojson linehaul.geojson new_sites.geojson outlets.geojson plants.geojson routes.geojson service_areas.geojson unserved.geojson"
			if got := strings.Join(names, " "); got != want {
				t.Errorf("layers %s, want %s", got, want)
			}
			dir := t.TempDir()
			for _, n := range names {
				path := filepath.Join(dir, n)
				if err := os.WriteFile(path, files[n], 0o644); err != nil {
					t.Fatal(err)
				}
				checkOGRLayer(t, n, path, layers[n], contains(c.empty, n))
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// layerGeometryWant is the geometry every non-empty layer must have.
var layerGeometryWant = map[string]string{
	"density.geojson": "Polygon", "new_sites.geojson": "Point", "outlets.geojson": "Point",
	"plants.geojson": "Point", "routes.geojson": "Line String", "service_areas.geojson": "Multi Polygon",
	"unserved.geojson": "Point", "catchments.geojson": "Multi Polygon", "hubs.geojson": "Point", "hub_catchments.geojson": "Multi Line String", "linehaul.geojson": "Line String",
	"capacity.geojson": "Point",
}

func checkOGRLayer(t *testing.T, name, path string, fc *geojson.FeatureCollection, wantEmpty bool) {
	t.Helper()
	got := ogrinfo(t, path)
	n := len(fc.Features)
	if wantEmpty != (n == 0) {
		t.Errorf("%s: %d features, want empty %v", name, n, wantEmpty)
	}
	if got.count != n {
		t.Errorf("%s: ogrinfo counts %d features, the FeatureCollection has %d", name, got.count, n)
	}
	if g := layerGeometry(fc); got.geometry != g {
		t.Errorf("%s: ogrinfo reads geometry %q, the features are %q", name, got.geometry, g)
	}
	if n > 0 && got.geometry != layerGeometryWant[name] {
		t.Errorf("%s: geometry %q, want %q", name, got.geometry, layerGeometryWant[name])
	}
	if !got.srs4326 {
		t.Errorf("%s: ogrinfo does not read the layer as EPSG:4326 (RFC 7946 GeoJSON is WGS 84)", name)
	}
	if n == 0 {
		return
	}
	b := fc.Features[0].Geometry.Bound()
	for _, f := range fc.Features[1:] {
		b = b.Union(f.Geometry.Bound())
	}
	if got.extent == nil {
		t.Errorf("%s: ogrinfo printed no extent for %d features", name, n)
	} else if d := maxCornerDiff(*got.extent, b); d > 2e-6 {
		t.Errorf("%s: ogrinfo extent %v, features span %v (corners differ by %g°)", name, *got.extent, b, d)
	}
	kinds := propertyKinds(t, name, fc)
	var missing, extra []string
	for k, kind := range kinds {
		ft, ok := got.fields[k]
		if !ok {
			missing = append(missing, k)
			continue
		}
		switch {
		case kind == "string" && ft != "String":
			t.Errorf("%s: property %s holds strings, ogrinfo reads the field as %s", name, k, ft)
		case kind == "number" && ft != "Real" && ft != "Integer" && ft != "Integer64":
			t.Errorf("%s: property %s holds numbers, ogrinfo reads the field as %s", name, k, ft)
		}
	}
	for k := range got.fields {
		if _, ok := kinds[k]; !ok {
			extra = append(extra, k)
		}
	}
	if len(missing) > 0 || len(extra) > 0 {
		sort.Strings(missing)
		sort.Strings(extra)
		t.Errorf("%s: properties missing from ogrinfo's fields %v; fields with no property %v", name, missing, extra)
	}
}

func maxCornerDiff(a, b orb.Bound) float64 {
	return math.Max(math.Max(math.Abs(a.Min[0]-b.Min[0]), math.Abs(a.Min[1]-b.Min[1])),
		math.Max(math.Abs(a.Max[0]-b.Max[0]), math.Abs(a.Max[1]-b.Max[1])))
}

// TestPlantsReadByOGRInOrder reads every plant feature back through ogrinfo
// and checks ids and intake limits in file order: the attribute values, not
// only the schema, survive GDAL.
func TestPlantsReadByOGRInOrder(t *testing.T) {
	skipOGR(t)
	p := ogrPlan(t, []string{"CN-SH"}, false)
	layers, err := p.Layers()
	if err != nil {
		t.Fatal(err)
	}
	files, err := p.Files()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plants.geojson")
	if err := os.WriteFile(path, files["plants.geojson"], 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ogrinfo", "-ro", "-al", "-q", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	var want []string
	for _, f := range layers["plants.geojson"].Features {
		want = append(want, fmt.Sprintf("%v %v", f.Properties["id"], f.Properties["intake_limit_t_per_week"]))
	}
	if len(want) == 0 {
		t.Fatal("no plants in the Shanghai plan")
	}
	ids := regexp.MustCompile(`(?m)^\s+id \(String\) = (\S+)$`).FindAllStringSubmatch(string(out), -1)
	intakes := regexp.MustCompile(`(?m)^\s+intake_limit_t_per_week \((?:Real|Integer|Integer64)\) = (\S+)$`).FindAllStringSubmatch(string(out), -1)
	if len(ids) != len(want) || len(intakes) != len(want) {
		t.Fatalf("ogrinfo shows %d ids and %d intake limits, want %d:\n%s", len(ids), len(intakes), len(want), out)
	}
	for i := range want {
		v, _ := strconv.ParseFloat(intakes[i][1], 64)
		if got := fmt.Sprintf("%s %v", ids[i][1], v); got != want[i] {
			t.Errorf("plant %d: ogrinfo reads %q, the layer has %q", i, got, want[i])
		}
	}
}
