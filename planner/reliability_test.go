package planner

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/domain/domaintest"
)

// TestSitingRefusesWhatDoesNotFit: the siting problem's memory is estimated
// from sampled neighbourhoods before anything is built; a problem over the
// budget is refused with the settings to change, one under it is solved.
func TestSitingRefusesWhatDoesNotFit(t *testing.T) {
	in := loadDefault(t)
	reg, _ := ParseRegions(in, []string{"CN-HI"})
	cells, err := Density(context.Background(), in, 2030, 7, reg)
	if err != nil {
		t.Fatal(err)
	}
	cov, _ := AnalyzeCoverage(cells, in.Outlets, 20, defaultDetour(), 0, nil)
	cands, src, err := DefaultCandidates(cells, cov, in.Places, reg, 7, 200)
	if err != nil {
		t.Fatal(err)
	}
	defer func(f func() int64) { memoryBudget = f }(memoryBudget)
	opt := SitingOptions{Objective: ObjectiveCoverage, New: 3, RadiusKm: 300, Detour: defaultDetour()}
	memoryBudget = func() int64 { return 1 << 20 }
	_, err = ChooseSites(context.Background(), cells, in.Outlets, cands, src, opt)
	var tl *TooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("error %v, want a *TooLargeError", err)
	}
	for _, want := range []string{"siting: ", "within 300 km", "more than the 1 MB this run can use", "use a smaller radius_km, fewer regions, a coarser resolution or fewer siting.max_candidates"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if tl.ExitCode() != 2 {
		t.Errorf("exit code %d, want 2", tl.ExitCode())
	}
	memoryBudget = func() int64 { return 1 << 40 }
	if _, err := ChooseSites(context.Background(), cells, in.Outlets, cands, src, opt); err != nil {
		t.Fatalf("with room: %v", err)
	}
}

func TestScenarioRegionsAndName(t *testing.T) {
	for _, c := range []struct {
		yaml, name, err string
	}{
		{"regions: []\n", "", "line 1: regions: an empty list; list provinces such as [CN-GD], or [CN] for the whole country"},
		{"regions:\n", "", "line 1: regions: an empty list"},
		{"regions:\n-\n", "", "line 2, column 2: regions: an empty list entry (a bare - or ~)"}, // found by FuzzScenario in CI
		{"regions: [CN-GD, ~]\n", "", "line 1, column 18: regions: an empty list entry"},
		{"siting:\n  site_types:\n    -\n", "", "line 3, column 6: siting.site_types: an empty list entry"},
		{"<<: {regions: []}\n", "", "line 1, column 1: merge key <<: not accepted in a scenario file"}, // found by FuzzScenario
		{"routes: {<<: {time_limit: 5s}}\n", "", "line 1, column 10: merge key <<"},
		{"radius_km: &a 2.5\nseed: *a\n", "", "line 1, column 12: anchor &a: YAML anchors are not accepted"},
		{"regions: [CN]\n<<: {name: x}\n", "", "line 2, column 1: merge key <<"},
		{"regions: [GD]\n", "", `regions: "GD": want ISO 3166-2 province codes`},
		{"regions: [CN-FJ]\nyear: 2035\n", "cn-fj-2035", ""},
		{"regions: [CN]\n", "cn-2030", ""},
		{"name: mine\nregions: [CN]\n", "mine", ""},
		{"name: \"\"\nregions: [CN-HI]\n", "cn-hi-2030", ""}, // found by FuzzScenario
		{"year: 2031\n", "cn-gd-2031", ""},
		{"siting:\n  time_limit: 25h\n", "", "siting.time_limit: 25h0m0s: want a duration in (0s, 24h]"},
		{"siting:\n  site_capacity_kg: 1e-300\n", "", "siting.site_capacity_kg: 1e-300: want a storage limit from 100 to 10000000 kg"},
		{"radius_km: 10000\n", "", "radius_km: 10000: want a distance in (0, 500] km"},
		{"# " + strings.Repeat("x", MaxScenarioBytes) + "\n", "", "s.yaml: larger than 1024 KiB: not a scenario file"},
	} {
		s, err := ParseScenario("s.yaml", strings.NewReader(c.yaml))
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: error %v, want %q", c.yaml, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("%q: %v", c.yaml, err)
		case c.err == "" && s.Name != c.name:
			t.Errorf("%q: name %q, want %q", c.yaml, s.Name, c.name)
		}
	}
}

func TestResolutionWarning(t *testing.T) {
	if w := ResolutionWarning(7, 15); w != "" {
		t.Errorf("resolution 7 at 15 km: %q, want no warning", w)
	}
	w := ResolutionWarning(3, 15)
	for _, want := range []string{"H3 resolution 3 has cells about 138 km across", "wider than the 15 km service radius", "resolution 6 or finer fits the radius (default 7)"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q lacks %q", w, want)
		}
	}
}

// smallPlanFS is the miniature Guangdong dataset with extra rows, and the
// embedded costs (typed siting and hubs read them).
func smallPlanFS(outlets, fleet string) fstest.MapFS {
	fsys := domaintest.SmallFS()
	costs, err := fs.ReadFile(datasets.FS, domain.DefaultCosts)
	if err != nil {
		panic(err) // embedded at build time
	}
	fsys[domain.DefaultCosts] = &fstest.MapFile{Data: costs}
	if outlets != "" {
		fsys[domain.DefaultOutlets] = &fstest.MapFile{Data: append(append([]byte(nil), fsys[domain.DefaultOutlets].Data...), outlets...)}
	}
	if fleet != "" {
		fsys[domain.DefaultFleet] = &fstest.MapFile{Data: []byte("plant_id,vehicle_type,count,capacity_kg,capacity_packs,speed_kmh,shift_hours,cost_per_km,co2_g_per_km\n" + fleet)}
	}
	return fsys
}

func quickScenario() Scenario {
	s := DefaultScenario()
	s.Siting.TimeLimit.Duration, s.Routes.TimeLimit.Duration = 2*time.Second, 2*time.Second
	s.Siting.NewSites = 1
	return s
}

// TestRunPlanWarnings: an outlet at 0,0 and a fleet without trucks are
// legal; the run says so on stderr (the loader's Warn) and in report.md.
func TestRunPlanWarnings(t *testing.T) {
	var logged []string
	l := &Loader{Defaults: smallPlanFS("O3,nowhere,0,0,CN-GD,collection,5000\n", "P1,truck,0,8000,20,50,10,7.5,800\n"),
		Warn: func(s string) { logged = append(logged, s) }}
	p, err := RunPlan(context.Background(), quickScenario(), l, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`outlets.csv (embedded): outlet O3 is at 0,0 ("null island", in the Gulf of Guinea): a missing coordinate written as zero?`,
		"no plant has a truck (every fleet row counts 0, 1 rows): no outlet of CN-GD can be served; give the plants trucks in the fleet file",
	}
	report := p.Report()
	for _, w := range want {
		if !contains(logged, w) {
			t.Errorf("not logged: %s\nlogged: %q", w, logged)
		}
		if !strings.Contains(report, "- "+w+"\n") {
			t.Errorf("report.md lacks %q:\n%s", w, report)
		}
	}
	if !strings.Contains(report, "## Input warnings") {
		t.Errorf("report.md has no input warnings section:\n%s", report)
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// TestCandidatesOutsideRegions: candidates labelled outside the planned
// regions are ignored with a warning (they could capture nothing); a file
// with none inside is refused with its name.
func TestCandidatesOutsideRegions(t *testing.T) {
	in, err := (&Loader{Defaults: smallPlanFS("", "")}).Load(InputPaths{})
	if err != nil {
		t.Fatal(err)
	}
	reg, _ := ParseRegions(in, []string{"CN-GD"})
	dir := t.TempDir()
	write := func(name, rows string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("id,name,lat,lon,province,type,capacity_kg\n"+rows), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mixed := write("mixed.csv", "C1,a,23.2,113.3,CN-GD,collection,5000\nC2,b,26.1,119.3,CN-FJ,collection,5000\nC3,c,23.1,113.2,CN-GD,collection,5000\n")
	var warned []string
	cands, src, err := Candidates(context.Background(), mixed, func(s string) { warned = append(warned, s) }, in, nil, nil, reg, 7, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 2 || cands[0].ID != "C1" || cands[1].ID != "C3" || src[1] != "file C3" {
		t.Errorf("candidates %v %v, want C1 and C3", cands, src)
	}
	wantWarn := []string{
		mixed + ": 1 candidate sites outside the planned regions CN-GD are ignored: C2 (CN-FJ)",
		mixed + ": candidate C3 is at the same point (23.1, 113.2) as existing outlet O1",
	}
	if strings.Join(warned, "\n") != strings.Join(wantWarn, "\n") {
		t.Errorf("warnings\n%s\nwant\n%s", strings.Join(warned, "\n"), strings.Join(wantWarn, "\n"))
	}
	outside := write("outside.csv", "C2,b,26.1,119.3,CN-FJ,collection,5000\n")
	_, _, err = Candidates(context.Background(), outside, func(string) {}, in, nil, nil, reg, 7, 10)
	if err == nil || !strings.Contains(err.Error(), outside+": none of its 1 candidate sites lies in the planned regions CN-GD (they are in C2 (CN-FJ)): give candidates in those provinces, or plan their regions") {
		t.Errorf("error %v, want the file refused", err)
	}
}

// TestPlanRefusesOutputsThatDoNotFit: a plan whose grid would make layers
// and a map larger than the memory the run may use is refused after the
// grid is counted and before anything else is built.
func TestPlanRefusesOutputsThatDoNotFit(t *testing.T) {
	defer func(f func() int64) { memoryBudget = f }(memoryBudget)
	memoryBudget = func() int64 { return 4096 } // one cell's worth
	_, err := RunPlan(context.Background(), quickScenario(), &Loader{Defaults: smallPlanFS("", "")}, nil)
	var tl *TooLargeError
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), "plan: a density grid of 28 cells makes layers and a map of about 115 kB of memory, more than the 4 kB this run can use") ||
		!strings.HasSuffix(err.Error(), "use a coarser resolution or fewer regions") {
		t.Errorf("error %v, want the plan refused with the settings to change", err)
	}
}
