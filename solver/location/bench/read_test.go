package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rlplan/rlplan/solver/location"
)

func TestReadPMedShortestPathsLastEdgeWins(t *testing.T) {
	// 1-2 listed twice: the last cost (5) wins, so 1->3 goes 1-2-3 = 5+1.
	in := " 3 3 1 \n 1 2 10 \n 2 3 1 \n 2 1 5 \n"
	p, err := ReadPMed(strings.NewReader(in), "t.txt")
	if err != nil {
		t.Fatal(err)
	}
	if p.N != 3 || p.P != 1 {
		t.Fatalf("n=%d p=%d, want 3 1", p.N, p.P)
	}
	if got := p.Dist[0][2]; got != 6 {
		t.Errorf("d(1,3) = %v, want 6 (1-2 at the last cost 5, then 2-3 at 1)", got)
	}
	if got := p.Dist[2][0]; got != 6 {
		t.Errorf("d(3,1) = %v, want 6 (symmetric)", got)
	}
}

func TestReadErrorsNameFileAndLine(t *testing.T) {
	cases := []struct {
		read func(string) error
		in   string
		want string
	}{
		{pm, "3 1 1\n1 4 2\n", "t.txt:2:3: edge 1 endpoint j = 4, want 1..3"},
		{pm, "3 2 1\n1 2 2\n", "t.txt:3: unexpected end of file, expected edge 2 endpoint i"},
		{pm, "3 1 1\n1 2 x\n", `t.txt:2:5: edge 1 cost: "x" is not a finite number`},
		{pm, "3 1 1\n1 2 2\n9\n", `t.txt:3:1: unexpected trailing token "9"`},
		{cp, "2 1\n5 1\ncapacity 2\n", `t.txt:3:1: warehouse 2 capacity is the word "capacity" but earlier ones are numbers`},
		{cp, "1 1\n5 1\n-3 1\n", "t.txt:3:1: customer 1 demand -3, want >= 0"},
		{op, "instance,optimum\npmed1,abc,x\n", `t.txt:2:2: optimum "abc" is not a finite number`},
		{op, "name,value\n", `t.txt:1: header "name,value", want it to start with instance,optimum`},
		{op, "instance,optimum\ncapa@x,1\n", `t.txt:2:1: instance "capa@x": capacity "x" after @ is not a positive number`},
	}
	for _, c := range cases {
		err := c.read(c.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %v, want a *ParseError", c.in, err)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.in, err, c.want)
		}
	}
}

func pm(s string) error { _, err := ReadPMed(strings.NewReader(s), "t.txt"); return err }
func cp(s string) error { _, err := ReadCap(strings.NewReader(s), "t.txt"); return err }
func op(s string) error { _, err := ReadOptimal(strings.NewReader(s), "t.txt"); return err }

func TestReadCapTemplateAndTokenStream(t *testing.T) {
	// line breaks inside a customer's costs are arbitrary
	in := " 2 2 \n capacity 10. \n capacity 20. \n 4 \n 8. \n 12. 2 \n 2. 6.\n"
	c, err := ReadCap(strings.NewReader(in), "t.txt")
	if err != nil {
		t.Fatal(err)
	}
	if c.Capacity != nil {
		t.Errorf("capacities %v, want nil for a template", c.Capacity)
	}
	if c.Demand[1] != 2 || c.Cost[1][1] != 6 || c.Fixed[1] != 20 {
		t.Errorf("parsed %+v", c)
	}
	p, err := c.Problem(true, 7)
	if err != nil {
		t.Fatal(err)
	}
	if p.Facilities[0].Capacity != 7 || p.Dist.Dist[0] != 2 { // 8 / demand 4
		t.Errorf("capacity %v unit cost %v, want 7 and 2", p.Facilities[0].Capacity, p.Dist.Dist[0])
	}
	if _, err := c.Problem(true, 0); err == nil {
		t.Error("template without capacity accepted")
	}
}

// benchDir finds ../shared/bench relative to the repository root.
func benchDir(t *testing.T, set string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			dir := filepath.Join(d, "..", "shared", "bench", set)
			if _, err := os.Stat(dir); err != nil {
				t.Skipf("benchmark folder %s absent: skipping", dir)
			}
			return dir
		}
		if filepath.Dir(d) == d {
			t.Skip("repository root not found")
		}
	}
}

func TestRealInstancesHitOptimum(t *testing.T) {
	cases := []struct {
		set, file string
		capacity  float64
		optimum   float64
	}{
		{"pmed", "pmed1.txt", 0, 5819},
		{"pmed", "pmed5.txt", 0, 1355},
		{"cflp", "cap41.txt", 0, 1040444.375},
		{"cflp", "cap131.txt", 0, 793439.562},
		{"ufl", "cap71.txt", 0, 932615.750},
		{"ufl", "cap134.txt", 0, 928941.750},
	}
	for _, c := range cases {
		t.Run(c.set+"/"+c.file, func(t *testing.T) {
			dir := benchDir(t, c.set)
			f, err := os.Open(filepath.Join(dir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var pr *location.Problem
			if c.set == "pmed" {
				inst, err := ReadPMed(f, c.file)
				if err != nil {
					t.Fatal(err)
				}
				pr = inst.Problem()
			} else {
				inst, err := ReadCap(f, c.file)
				if err != nil {
					t.Fatal(err)
				}
				if pr, err = inst.Problem(c.set == "cflp", c.capacity); err != nil {
					t.Fatal(err)
				}
			}
			res, err := location.Solve(context.Background(), pr, &location.Settings{TimeLimit: 20 * time.Second, MaxIterations: 100, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(res.Cost-c.optimum) > 1e-6*c.optimum {
				t.Errorf("cost %.3f, optimum %.3f (status %v)", res.Cost, c.optimum, res.Status)
			}
			if res.Bound > res.Cost*(1+1e-9) {
				t.Errorf("bound %.3f above cost %.3f", res.Bound, res.Cost)
			}
		})
	}
}

func TestRunAndWrite(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "pmed1.txt"), []byte(" 3 3 1 \n 1 2 1 \n 2 3 1 \n 1 3 5 \n"), 0o644)
	os.WriteFile(filepath.Join(dir, "optimal.csv"), []byte("instance,optimum,source\npmed1,2,hand\n"), 0o644)
	rows, err := Run(context.Background(), Options{Set: "pmed", Dir: dir, Settings: location.Settings{MaxIterations: 5}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Cost != 2 || rows[0].GapPct != 0 {
		t.Fatalf("rows %+v, want one row with cost 2 (median at vertex 2) and gap 0", rows)
	}
	var b bytes.Buffer
	if err := Write(&b, rows, "csv"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || lines[0] != "instance,cost,optimum,gap_pct,bound,bound_gap_pct,seconds,status" ||
		!strings.HasPrefix(lines[1], "pmed1,2.000,2,0.0000,2.000,0.0000,") || !strings.HasSuffix(lines[1], ",optimal") ||
		lines[2] != "# mean_gap_pct,0.0000,instances,1,mean_bound_gap_pct,0.0000,proven_optimal,1" {
		t.Errorf("csv output:\n%s", b.String())
	}
}

func FuzzReadPMed(f *testing.F) {
	f.Add([]byte(" 3 3 1 \n 1 2 10 \n 2 3 1 \n 2 1 5 \n"))
	f.Add([]byte("2 1 1\n1 2 1e308\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadPMed(bytes.NewReader(data), "f")
		if err != nil {
			return
		}
		for i := range p.Dist {
			if p.Dist[i][i] != 0 {
				t.Fatalf("d(%d,%d) = %v, want 0", i, i, p.Dist[i][i])
			}
		}
	})
}

func FuzzReadCap(f *testing.F) {
	f.Add([]byte(" 2 2 \n capacity 10. \n capacity 20. \n 4 \n 8. \n 12. 2 \n 2. 6.\n"))
	f.Add([]byte("1 1\n5 0.\n3\n9.\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ReadCap(bytes.NewReader(data), "f")
		if err != nil {
			return
		}
		if len(c.Cost) != c.N || len(c.Fixed) != c.M {
			t.Fatalf("sizes %d/%d for m=%d n=%d", len(c.Fixed), len(c.Cost), c.M, c.N)
		}
		if _, err := c.Problem(false, 0); err != nil {
			t.Fatalf("UFL conversion failed: %v", err)
		}
	})
}

func FuzzReadOptimal(f *testing.F) {
	f.Add([]byte("instance,optimum,source\ncapa@8000,19240822.449,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ReadOptimal(bytes.NewReader(data), "f")
		if err != nil {
			return
		}
		for _, r := range rows {
			if r.Instance == "" || math.IsNaN(r.Value) {
				t.Fatalf("bad row %+v", r)
			}
		}
	})
}

// TestUFLOptFilesPriceAsPublished re-prices UflLib's optimal assignments
// (NAME.txt.opt: 0-based warehouse per customer, then the objective) with
// the parsed costs, which pins down the reading of fixed and allocation costs.
func TestUFLOptFilesPriceAsPublished(t *testing.T) {
	dir := benchDir(t, "ufl")
	for _, name := range []string{"cap71", "cap101", "cap131", "capa"} {
		f, err := os.Open(filepath.Join(dir, name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		c, err := ReadCap(f, name)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(filepath.Join(dir, name+".txt.opt"))
		if err != nil {
			t.Fatal(err)
		}
		fields := strings.Fields(string(raw))
		if len(fields) < c.N+1 {
			t.Fatalf("%s.opt: %d fields, want %d", name, len(fields), c.N+1)
		}
		opened := map[int]bool{}
		cost := 0.0
		for j := 0; j < c.N; j++ {
			var i int
			if _, err := fmt.Sscan(fields[j], &i); err != nil || i < 0 || i >= c.M {
				t.Fatalf("%s.opt field %d = %q", name, j+1, fields[j])
			}
			cost += c.Cost[j][i]
			if !opened[i] {
				opened[i] = true
				cost += c.Fixed[i]
			}
		}
		var want float64
		fmt.Sscan(fields[c.N], &want)
		if math.Abs(cost-want) > 1e-6*want {
			t.Errorf("%s: published assignment prices at %.5f, file says %.5f", name, cost, want)
		}
	}
}
