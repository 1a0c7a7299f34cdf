package bench

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

func TestTinyCVRP(t *testing.T) {
	p, err := ReadCVRP("testdata/tiny.vrp")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Jobs) != 3 || p.Vehicles[0].Capacity[0] != 10 || p.Vehicles[0].Count != 0 {
		t.Fatalf("jobs %d capacity %v count %d, want 3 [10] 0", len(p.Jobs), p.Vehicles[0].Capacity, p.Vehicles[0].Count)
	}
	if d := p.Distance[0][2]; d != 5 {
		t.Errorf("d(1,3) = %g, want 5", d)
	}
	sol, err := ReadCVRPSolution("testdata/tiny.sol", p)
	if err != nil {
		t.Fatal(err)
	}
	r := validate.Build(p, sol.Routes)
	if err := validate.Check(p, r); err != nil {
		t.Fatal(err)
	}
	if r.Cost != 20 || sol.Cost != 20 {
		t.Errorf("cost %g, file %g, want 20", r.Cost, sol.Cost)
	}
}

func TestNintRounding(t *testing.T) {
	// 0.5 rounds up; 2.4999 down.
	m := nint([][2]float64{{0, 0}, {0.5, 0}, {2.4999, 0}, {3, 4}})
	if m[0][1] != 1 || m[0][2] != 2 || m[0][3] != 5 {
		t.Errorf("nint row 0 = %v, want [0 1 2 5]", m[0])
	}
}

func TestTinyVRPTW(t *testing.T) {
	p, err := ReadVRPTW("testdata/tiny_vrptw.txt")
	if err != nil {
		t.Fatal(err)
	}
	v := p.Vehicles[0]
	if v.Count != 2 || v.Capacity[0] != 10 || v.ShiftStart != 0 || v.ShiftEnd != 100 {
		t.Fatalf("vehicle %+v", v)
	}
	j := p.Jobs[1]
	if j.Location != 2 || j.Service != 2 || j.Windows[0] != (routing.TimeWindow{Open: 10, Close: 20}) || j.Amount[0] != 5 {
		t.Fatalf("job 1 = %+v", j)
	}
	// 0-1-2-0: a at 3, b at 8 waits to 10 (window opens), back at 17.
	r := validate.Build(p, []routing.Route{{Jobs: []int{0, 1}}, {Vehicle: 1, Jobs: []int{2}}})
	if err := validate.Check(p, r); err != nil {
		t.Fatal(err)
	}
	if r.Distance != 20 {
		t.Errorf("distance %g, want 20", r.Distance)
	}
}

func TestTinyMDVRP(t *testing.T) {
	p, err := ReadMDVRP("testdata/tiny_mdvrp.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Vehicles) != 2 || len(p.Jobs) != 3 {
		t.Fatalf("%d types %d jobs, want 2 3", len(p.Vehicles), len(p.Jobs))
	}
	v := p.Vehicles[1]
	if v.Start != 4 || v.End != 4 || v.Count != 1 || v.Capacity[0] != 12 || v.MaxDuration != 20 {
		t.Fatalf("depot 5 vehicle = %+v", v)
	}
	// Depot 5 at (8,0) serves 3 (4,0) and 2 (4,3): 4+3+5 = 12 travel + 3
	// service = 15 <= 20. Depot 4 serves 1: 6.
	r := validate.Build(p, []routing.Route{{Type: 0, Jobs: []int{0}}, {Type: 1, Jobs: []int{2, 1}}})
	if err := validate.Check(p, r); err != nil {
		t.Fatal(err)
	}
	if r.Cost != 18 || r.Routes[1].Duration != 15 {
		t.Errorf("cost %g duration %g, want 18 15", r.Cost, r.Routes[1].Duration)
	}
}

func TestTinyPVRPBitOrder(t *testing.T) {
	p, err := ReadPVRP("testdata/tiny_pvrp.txt")
	if err != nil {
		t.Fatal(err)
	}
	// File codes (leftmost bit = day 1): 3 = "11" both days; 1 = "01"
	// day 2; 2 = "10" day 1.
	want := [][]uint32{{0b11}, {0b10, 0b01}, {0b10}}
	for j, w := range want {
		got := p.Jobs[j].Patterns
		if len(got) != len(w) {
			t.Fatalf("job %d patterns %b, want %b", j, got, w)
		}
		for i := range w {
			if got[i] != w[i] {
				t.Errorf("job %d pattern %d = %02b, want %02b (day 1 = bit 0)", j, i, got[i], w[i])
			}
		}
	}
	sol, err := ReadPVRPSolution("testdata/tiny.res", p)
	if err != nil {
		t.Fatal(err)
	}
	r := validate.BuildPeriodic(p, patternsOf(p.Jobs, sol.Days), sol.Days)
	if err := validate.CheckPeriodic(p, r); err != nil {
		t.Fatal(err)
	}
	if r.Cost != 24 || sol.Cost != 24 {
		t.Errorf("cost %g, file %g, want 24", r.Cost, sol.Cost)
	}
	// Under the reversed bit order customer 3 would be a day-1 customer:
	// swapping the days' routes must break its rule.
	sol.Days[0], sol.Days[1] = sol.Days[1], sol.Days[0]
	r = validate.BuildPeriodic(p, patternsOf(p.Jobs, sol.Days), sol.Days)
	if err := validate.CheckPeriodic(p, r); err == nil {
		t.Fatal("customer 3 (code 1 = day 2 only) accepted on day 1")
	}
}

// TestDepotDemandIgnored: a demand above CAPACITY on the depot's line is
// read (the depot is not a job), one on a customer's is refused above.
func TestDepotDemandIgnored(t *testing.T) {
	data := "DIMENSION : 3\nCAPACITY : 10\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\nDEMAND_SECTION\n1 20\n2 5\n3 10\nDEPOT_SECTION\n1\n-1\nEOF\n"
	p, err := ParseCVRP("f.vrp", strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Jobs) != 2 || p.Jobs[1].Amount[0] != 10 {
		t.Errorf("jobs %+v, want nodes 2 and 3 with demands 5 and 10", p.Jobs)
	}
}

func TestTinyBKS(t *testing.T) {
	b, err := ReadBKS("testdata/tiny_bks.csv")
	if err != nil {
		t.Fatal(err)
	}
	if b["tiny"].Cost != 24.25 || b["other"].Cost != 10 || b["tiny"].Fields["note"] != "a, b" {
		t.Errorf("bks = %+v", b)
	}
}

func TestErrorsNamePlace(t *testing.T) {
	cases := []struct {
		name, data, want string
		parse            func(name, data string) error
	}{
		{"cvrp bad coordinate", "NAME : x\r\nDIMENSION : 2\r\nCAPACITY : 5\r\nNODE_COORD_SECTION\r\n1 0 zero\r\n", "f.vrp:5: y: \"zero\" is not a finite number", func(n, d string) error { _, err := ParseCVRP(n, strings.NewReader(d)); return err }},
		{"cvrp missing node", "DIMENSION : 3\nCAPACITY : 5\nNODE_COORD_SECTION\n1 0 0\n2 1 1\nDEMAND_SECTION\n1 0\n2 1\n3 1\nDEPOT_SECTION\n1\n-1\nEOF\n", "NODE_COORD_SECTION has 2 nodes, want DIMENSION = 3", func(n, d string) error { _, err := ParseCVRP(n, strings.NewReader(d)); return err }},
		{"cvrp demand above capacity", "DIMENSION : 3\nCAPACITY : 10\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\nDEMAND_SECTION\n1 20\n2 5\n3 50\nDEPOT_SECTION\n1\n-1\nEOF\n", "f.vrp:10: demand 50 of node 3 is above CAPACITY 10", func(n, d string) error { _, err := ParseCVRP(n, strings.NewReader(d)); return err }},
		{"vrptw short row", "x\nVEHICLE\nNUMBER CAPACITY\n2 10\nCUSTOMER\nCUST NO. X\n0 0 0 0 0 100 0\n1 0 3 4 0 10\n", "f.vrp:8: customer line has 6 fields, want 7", func(n, d string) error { _, err := ParseVRPTW(n, strings.NewReader(d)); return err }},
		{"mdvrp wrong type", "1 1 3 2\n", "f.vrp:1: problem type 1, want 2", func(n, d string) error { _, err := ParseMDVRP(n, strings.NewReader(d)); return err }},
		{"pvrp code too wide", "1 1 1 2\n0 10\n0 10\n0 0 0 0 0 0 0\n1 1 1 0 1 1 1 4\n", "f.vrp:5: node 1: combination 4 does not fit in 2 days", func(n, d string) error { _, err := ParsePVRP(n, strings.NewReader(d)); return err }},
		{"pvrp truncated", "1 1 2 2\n0 10\n0 10\n0 0 0 0 0 0 0\n1 1 1 0 1 1 1 2\n", "unexpected end of file, want node line 3 of 3", func(n, d string) error { _, err := ParsePVRP(n, strings.NewReader(d)); return err }},
		{"bks bad cost", "instance,bks_cost\na,1\nb,x\n", "f.vrp:3: bks_cost \"x\" of b", func(n, d string) error { _, err := ParseBKS(n, strings.NewReader(d)); return err }},
	}
	for _, tc := range cases {
		err := tc.parse("f.vrp", tc.data)
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want a ParseError containing %q", tc.name, err, tc.want)
		}
	}
}

// benchDir is the shared benchmark folder; tests that need it skip when it
// is absent.
func benchDir(t testing.TB, set string) string {
	dir := os.Getenv("RLPLAN_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "bench")
	}
	dir = filepath.Join(dir, set)
	if _, err := os.Stat(filepath.Join(dir, "bks.csv")); err != nil {
		t.Skipf("benchmark folder %s not available (set RLPLAN_BENCH_DIR)", dir)
	}
	return dir
}

// TestCVRPLIBSolutions re-scores every published X solution through the
// reader and the validator: the cost must be exactly the BKS.
func TestCVRPLIBSolutions(t *testing.T) {
	dir := benchDir(t, "cvrp")
	bks, err := ReadBKS(filepath.Join(dir, "bks.csv"))
	if err != nil {
		t.Fatal(err)
	}
	sols, _ := filepath.Glob(filepath.Join(dir, "*.sol"))
	if len(sols) == 0 {
		t.Fatal("no .sol files")
	}
	for _, sp := range sols {
		name := strings.TrimSuffix(filepath.Base(sp), ".sol")
		p, err := ReadCVRP(filepath.Join(dir, name+".vrp"))
		if err != nil {
			t.Fatal(err)
		}
		sol, err := ReadCVRPSolution(sp, p)
		if err != nil {
			t.Fatal(err)
		}
		r := validate.Build(p, sol.Routes)
		if err := validate.Check(p, r); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if err := validate.Complete(r); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		b, ok := bks[name]
		if !ok {
			t.Errorf("%s missing from bks.csv", name)
			continue
		}
		if r.Cost != sol.Cost || r.Cost != b.Cost {
			t.Errorf("%s: recomputed %g, .sol %g, bks %g: want all equal", name, r.Cost, sol.Cost, b.Cost)
		}
		if b.Fields["bks_routes"] != "" && len(r.Routes) != atoi(b.Fields["bks_routes"]) {
			t.Errorf("%s: %d routes, bks.csv says %s", name, len(r.Routes), b.Fields["bks_routes"])
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// TestCordeauPVRPSolutions re-scores Cordeau's .res files: feasible under
// our reading of the rules (pattern bit order, p11's f = 0 customer) and
// equal to the printed cost.
func TestCordeauPVRPSolutions(t *testing.T) {
	dir := benchDir(t, "pvrp")
	bks, err := ReadBKS(filepath.Join(dir, "bks.csv"))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.res"))
	if len(files) == 0 {
		t.Fatal("no .res files")
	}
	for _, rp := range files {
		name := strings.TrimSuffix(filepath.Base(rp), ".res")
		p, err := ReadPVRP(filepath.Join(dir, name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		sol, err := ReadPVRPSolution(rp, p)
		if err != nil {
			t.Fatal(err)
		}
		if name == "p01" {
			// p01.res leaves out the zero-length route of the dummy
			// customer 51 (at the depot, demand = Q, day 1 only).
			sol.Days[0] = append(sol.Days[0], routing.Route{Vehicle: 2, Jobs: []int{50}})
		}
		r := validate.BuildPeriodic(p, patternsOf(p.Jobs, sol.Days), sol.Days)
		if err := validate.CheckPeriodic(p, r); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		// Route by route, duration (travel + service) and load must match
		// the printed figures: this pins the service-time convention.
		for d := range sol.Days {
			for i, in := range sol.Days[d] {
				if in.Load == nil {
					continue // the p01 dummy route added above
				}
				got := r.Days[d][i]
				if math.Abs(got.Duration-in.Duration) > 0.005+1e-9 || got.Load[0] != in.Load[0] {
					t.Errorf("%s day %d route %d: duration %.4f load %d, file %.2f %d", name, d+1, i, got.Duration, got.Load[0], in.Duration, in.Load[0])
				}
			}
		}
		if math.Abs(r.Cost-sol.Cost) > 0.005+1e-9 {
			t.Errorf("%s: recomputed %.4f, file %.2f", name, r.Cost, sol.Cost)
		}
		b := bks[name]
		if c := b.Fields["cordeau1997_cost"]; c == "" || math.Abs(parseF(c)-sol.Cost) > 1e-9 {
			t.Errorf("%s: bks.csv cordeau1997_cost %q, .res %.2f", name, c, sol.Cost)
		}
		if b.Cost > sol.Cost+1e-9 {
			t.Errorf("%s: BKS %g above a known feasible %g", name, b.Cost, sol.Cost)
		}
	}
}

func parseF(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

// patternsOf derives each job's pattern from the days it is routed on.
func patternsOf[J any](jobs []J, days [][]routing.Route) []uint32 {
	out := make([]uint32, len(jobs))
	for j := range jobs {
		out[j] = validate.PatternOf(days, j)
	}
	return out
}

// TestReadAllSets parses every instance of every set and checks that each
// has a bks.csv row, with a few hand-checked facts per family.
func TestReadAllSets(t *testing.T) {
	for _, set := range []Set{SetCVRP, SetVRPTW, SetMDVRP, SetPVRP} {
		dir := benchDir(t, string(set))
		insts, err := List(set, dir, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(insts) == 0 {
			t.Fatalf("%s: no instances", set)
		}
		for _, in := range insts {
			if _, err := in.Load(); err != nil {
				t.Errorf("%s: %v", in.Name, err)
			}
			if in.BKS <= 0 {
				t.Errorf("%s: no BKS", in.Name)
			}
		}
	}
	dir := benchDir(t, "vrptw")
	p, err := ReadVRPTW(filepath.Join(dir, "C101.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if v := p.Vehicles[0]; v.Count != 25 || v.Capacity[0] != 200 || v.ShiftEnd != 1236 || len(p.Jobs) != 100 {
		t.Errorf("C101: vehicle %+v, %d jobs", v, len(p.Jobs))
	}
	if j := p.Jobs[0]; j.Windows[0].Open != 912 || j.Windows[0].Close != 967 || j.Service != 90 || p.Distance[0][1] != math.Sqrt(349) {
		t.Errorf("C101 customer 1 = %+v, d = %v", j, p.Distance[0][1])
	}
	dir = benchDir(t, "mdvrp")
	p, err = ReadMDVRP(filepath.Join(dir, "pr01.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Vehicles) != 4 || p.Vehicles[0].MaxDuration != 500 || p.Vehicles[0].Count != 1 || p.Jobs[0].Service != 2 || len(p.Jobs) != 48 {
		t.Errorf("pr01: %+v, job 0 %+v", p.Vehicles[0], p.Jobs[0])
	}
	dir = benchDir(t, "pvrp")
	pp, err := ReadPVRP(filepath.Join(dir, "p11.txt"))
	if err != nil {
		t.Fatal(err)
	}
	// Customer 131: f = 0, codes 1 2 4 8 16 = days 5, 4, 3, 2, 1.
	if got := pp.Jobs[130].Patterns; len(got) != 5 || got[0] != 1<<4 || got[4] != 1 {
		t.Errorf("p11 customer 131 patterns %b", got)
	}
}
