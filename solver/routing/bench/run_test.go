package bench

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/periodic"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

// oneRoutePerJob is a stand-in solver: every job on its own vehicle.
func oneRoutePerJob(_ context.Context, p *routing.Problem, _ *routing.Settings) (*routing.Result, error) {
	var routes []routing.Route
	for j := range p.Jobs {
		routes = append(routes, routing.Route{Vehicle: j, Jobs: []int{j}})
	}
	return validate.Build(p, routes), nil
}

func tinyFolder(t *testing.T) string {
	dir := t.TempDir()
	b, err := os.ReadFile("testdata/tiny.vrp")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a.vrp", "b.vrp"} {
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "bks.csv"), []byte("instance,bks_cost\na,20\nb,25\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRunScoresWithValidator(t *testing.T) {
	dir := tinyFolder(t)
	var seen []string
	rows, err := Run(context.Background(), SetCVRP, dir, Options{
		Solve:    oneRoutePerJob,
		Progress: func(done, total int, r Row) { seen = append(seen, r.Instance) },
	})
	if err != nil {
		t.Fatal(err)
	}
	// Round trips 6 + 10 + 8 = 24: gap 20 % against 20, -4 % against 25.
	if len(rows) != 2 || rows[0].Cost != 24 || rows[0].Routes != 3 || !rows[0].Valid {
		t.Fatalf("rows = %+v", rows)
	}
	if math.Abs(rows[0].GapPct-20) > 1e-9 || math.Abs(rows[1].GapPct+4) > 1e-9 {
		t.Errorf("gaps %g %g, want 20 -4", rows[0].GapPct, rows[1].GapPct)
	}
	if strings.Join(seen, ",") != "a,b" {
		t.Errorf("progress saw %v", seen)
	}
	s := Summarize(rows)
	if math.Abs(s.MeanGapPct-8) > 1e-9 || s.Valid != 2 {
		t.Errorf("summary %+v, want mean gap 8, 2 valid", s)
	}
	var csv bytes.Buffer
	if err := WriteCSV(&csv, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if lines[0] != "instance,cost,bks,gap_pct,routes,seconds,valid" || !strings.HasPrefix(lines[1], "a,24.00,20.00,20.000,3,") || !strings.HasPrefix(lines[3], "mean,,,8.000,,") || !strings.HasSuffix(lines[3], ",2/2") {
		t.Errorf("csv:\n%s", csv.String())
	}
	var tab bytes.Buffer
	if err := WriteTable(&tab, rows); err != nil || !strings.Contains(tab.String(), "gap_pct") {
		t.Errorf("table: %v\n%s", err, tab.String())
	}

	// A solver that lies about its cost is caught and its row is invalid.
	rows, err = Run(context.Background(), SetCVRP, dir, Options{Instances: "b", Solve: func(ctx context.Context, p *routing.Problem, s *routing.Settings) (*routing.Result, error) {
		r, _ := oneRoutePerJob(ctx, p, s)
		r.Cost = 1
		return r, nil
	}})
	if err != nil || len(rows) != 1 || rows[0].Valid || rows[0].Cost != 24 || !strings.Contains(rows[0].Problem, "cost") {
		t.Fatalf("lying solver: rows %+v err %v", rows, err)
	}
}

func TestRunErrors(t *testing.T) {
	dir := tinyFolder(t)
	if _, err := Run(context.Background(), SetCVRP, dir, Options{}); err == nil {
		t.Error("no solver accepted")
	}
	if _, err := Run(context.Background(), SetCVRP, dir, Options{Solve: oneRoutePerJob, Instances: "zz*"}); err == nil {
		t.Error("empty selection accepted")
	}
	if _, err := ParseSet("tsp"); err == nil {
		t.Error("unknown set accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, SetCVRP, dir, Options{Solve: oneRoutePerJob}); err == nil {
		t.Error("cancelled context ignored")
	}
}

// TestPVRPBitOrderMatters: reading the codes with the rightmost bit as day 1
// breaks Cordeau's own p11 solution, as the README warns.
func TestPVRPBitOrderMatters(t *testing.T) {
	dir := benchDir(t, "pvrp")
	p, err := ReadPVRP(filepath.Join(dir, "p11.txt"))
	if err != nil {
		t.Fatal(err)
	}
	sol, err := ReadPVRPSolution(filepath.Join(dir, "p11.res"), p)
	if err != nil {
		t.Fatal(err)
	}
	rev := *p
	rev.Jobs = append([]periodic.Job(nil), p.Jobs...)
	for j := range rev.Jobs {
		var ps []uint32
		for _, x := range rev.Jobs[j].Patterns {
			ps = append(ps, reverseDays(x, p.Days))
		}
		rev.Jobs[j].Patterns = ps
	}
	pats := patternsOf(p.Jobs, sol.Days)
	if err := validate.CheckPeriodic(p, validate.BuildPeriodic(p, pats, sol.Days)); err != nil {
		t.Fatalf("p11.res rejected under the documented order: %v", err)
	}
	err = validate.CheckPeriodic(&rev, validate.BuildPeriodic(&rev, pats, sol.Days))
	ve, ok := err.(*validate.Error)
	if !ok {
		t.Fatalf("reversed order accepted p11.res: %v", err)
	}
	if n := len(ve.Violations); n != 12 {
		t.Errorf("reversed order: %d violations, README says 12 customers break: %v", n, err)
	}
}
