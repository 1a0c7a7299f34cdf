package location_test

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
)

// writeLP writes the textbook MIP of p (CPLEX LP format): x_j_i assignment
// shares, u_j unserved share, binary y_i for new sites, fixed outlets as
// constants. MaxCover is written as "minimise uncovered weight".
func writeLP(t *testing.T, p *location.Problem, path string) {
	t.Helper()
	var b strings.Builder
	n := len(p.Weights)
	u := unitUnserved(p)
	unit := func(d float64) float64 {
		if p.Objective == location.MaxCover {
			return b2f(d > p.Radius)
		}
		return d
	}
	uu := u
	if p.Objective == location.MaxCover {
		uu = 1
	}
	term := func(c float64, v string) string { return " + " + strconv.FormatFloat(c, 'g', 17, 64) + " " + v }
	b.WriteString("Minimize\n obj:")
	for j := 0; j < n; j++ {
		w := p.Weights[j]
		fmt.Fprint(&b, term(w*uu, fmt.Sprintf("u_%d", j)))
		for e := p.Dist.Start[j]; e < p.Dist.Start[j+1]; e++ {
			fmt.Fprint(&b, term(w*unit(p.Dist.Dist[e]), fmt.Sprintf("x_%d_%d", j, p.Dist.Facility[e])))
		}
		b.WriteString("\n")
	}
	if p.Objective == location.FacilityLocation {
		for i, f := range p.Facilities {
			if !f.Open {
				fmt.Fprint(&b, term(f.FixedCost, fmt.Sprintf("y_%d", i)))
			}
		}
	}
	b.WriteString("\nSubject To\n")
	for j := 0; j < n; j++ {
		fmt.Fprintf(&b, " a_%d: u_%d", j, j)
		for e := p.Dist.Start[j]; e < p.Dist.Start[j+1]; e++ {
			fmt.Fprintf(&b, " + x_%d_%d", j, p.Dist.Facility[e])
		}
		b.WriteString(" = 1\n")
		for e := p.Dist.Start[j]; e < p.Dist.Start[j+1]; e++ {
			i := p.Dist.Facility[e]
			if !p.Facilities[i].Open {
				fmt.Fprintf(&b, " l_%d_%d: x_%d_%d - y_%d <= 0\n", j, i, j, i, i)
			}
		}
	}
	if p.Objective == location.PMedian || p.Objective == location.MaxCover {
		b.WriteString(" card:")
		for i, f := range p.Facilities {
			if !f.Open {
				fmt.Fprintf(&b, " + y_%d", i)
			}
		}
		fmt.Fprintf(&b, " = %d\n", p.P)
	}
	for i, f := range p.Facilities {
		if f.Capacity == 0 {
			continue
		}
		fmt.Fprintf(&b, " c_%d:", i)
		for j := 0; j < n; j++ {
			for e := p.Dist.Start[j]; e < p.Dist.Start[j+1]; e++ {
				if int(p.Dist.Facility[e]) == i {
					fmt.Fprint(&b, term(p.Weights[j], fmt.Sprintf("x_%d_%d", j, i)))
				}
			}
		}
		if f.Open {
			fmt.Fprintf(&b, " <= %s\n", strconv.FormatFloat(f.Capacity, 'g', 17, 64))
		} else {
			fmt.Fprintf(&b, " - %s y_%d <= 0\n", strconv.FormatFloat(f.Capacity, 'g', 17, 64), i)
		}
	}
	b.WriteString("Bounds\n")
	for j := 0; j < n; j++ {
		fmt.Fprintf(&b, " 0 <= u_%d <= 1\n", j)
		for e := p.Dist.Start[j]; e < p.Dist.Start[j+1]; e++ {
			fmt.Fprintf(&b, " 0 <= x_%d_%d <= 1\n", j, p.Dist.Facility[e])
		}
	}
	b.WriteString("Binaries\n")
	for i, f := range p.Facilities {
		if !f.Open {
			fmt.Fprintf(&b, " y_%d\n", i)
		}
	}
	b.WriteString("End\n")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runCBC solves an LP file with cbc and returns the optimal objective.
func runCBC(t *testing.T, lp string) float64 {
	t.Helper()
	sol := lp + ".sol"
	cmd := exec.Command("cbc", lp, "solve", "solu", sol)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cbc failed: %v\n%s", err, out)
	}
	f, err := os.Open(sol)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		t.Fatal("cbc solution file is empty")
	}
	line := sc.Text()
	if !strings.HasPrefix(line, "Optimal") {
		t.Fatalf("cbc status line %q, want Optimal", line)
	}
	k := strings.LastIndex(line, "value")
	v, err := strconv.ParseFloat(strings.TrimSpace(line[k+len("value"):]), 64)
	if err != nil {
		t.Fatalf("cannot parse cbc objective from %q: %v", line, err)
	}
	return v
}

func TestAgainstCBC(t *testing.T) {
	if _, err := exec.LookPath("cbc"); err != nil {
		t.Skip("cbc not on PATH (Debian: apt-get install coinor-cbc): skipping the MIP cross-check")
	}
	if testing.Short() {
		t.Skip("cbc cross-check skipped in -short")
	}
	cases := []struct {
		obj         location.Objective
		capacitated bool
		p           int
	}{
		{location.PMedian, false, 5},
		{location.PMedian, true, 6},
		{location.MaxCover, false, 3},
		{location.FacilityLocation, false, 0},
		{location.FacilityLocation, true, 0},
	}
	dir := t.TempDir()
	for k, c := range cases {
		for seed := uint64(11); seed <= 12; seed++ {
			name := fmt.Sprintf("%v/cap=%v/seed=%d", c.obj, c.capacitated, seed)
			t.Run(name, func(t *testing.T) {
				p := randomProblem(seed, c.obj, 40, 16, 3, c.capacitated, false)
				p.P = c.p
				lp := filepath.Join(dir, fmt.Sprintf("m%d_%d.lp", k, seed))
				writeLP(t, p, lp)
				want := runCBC(t, lp)
				if p.Objective == location.MaxCover {
					total := 0.0
					for _, w := range p.Weights {
						total += w
					}
					want = total - want
				}
				res, err := location.Solve(context.Background(), p, &location.Settings{MaxIterations: 300, Seed: solver.Seed(seed)})
				if err != nil {
					t.Fatal(err)
				}
				checkResult(t, p, res)
				if math.Abs(res.Cost-want) > 1e-6*math.Max(1, math.Abs(want)) {
					t.Errorf("cost %v, cbc optimum %v", res.Cost, want)
				}
			})
		}
	}
}

// TestMaxCoverAgainstCBC checks a clustered 3,000-demand maximal covering
// instance against cbc on the coverage model (z_j <= Σ y_i), a formulation
// independent of the solver's assignment view.
func TestMaxCoverAgainstCBC(t *testing.T) {
	if _, err := exec.LookPath("cbc"); err != nil {
		t.Skip("cbc not on PATH (Debian: apt-get install coinor-cbc): skipping the MIP cross-check")
	}
	if testing.Short() {
		t.Skip("cbc cross-check skipped in -short")
	}
	p := nationalInstance(3000, 600, 300, 40, 1)
	p.Objective = location.MaxCover
	p.P = 30
	p.Radius = 10
	var b strings.Builder
	b.WriteString("Maximize\n obj:")
	covFixed := 0.0
	var rows, bounds []string
	for j := range p.Weights {
		fixedCov := false
		var ys []string
		for e := p.Dist.Start[j]; e < p.Dist.Start[j+1]; e++ {
			if p.Dist.Dist[e] <= p.Radius {
				i := p.Dist.Facility[e]
				if p.Facilities[i].Open {
					fixedCov = true
				} else {
					ys = append(ys, fmt.Sprintf("y_%d", i))
				}
			}
		}
		if fixedCov {
			covFixed += p.Weights[j]
			continue
		}
		if len(ys) == 0 {
			continue
		}
		fmt.Fprintf(&b, " + %g z_%d", p.Weights[j], j)
		rows = append(rows, fmt.Sprintf(" r_%d: z_%d - %s <= 0", j, j, strings.Join(ys, " - ")))
		bounds = append(bounds, fmt.Sprintf(" z_%d <= 1", j))
	}
	b.WriteString("\nSubject To\n")
	for _, r := range rows {
		b.WriteString(r + "\n")
	}
	b.WriteString(" card:")
	for i, f := range p.Facilities {
		if !f.Open {
			fmt.Fprintf(&b, " + y_%d", i)
		}
	}
	fmt.Fprintf(&b, " = %d\nBounds\n", p.P)
	b.WriteString(strings.Join(bounds, "\n") + "\n")
	b.WriteString("Binaries\n")
	for i, f := range p.Facilities {
		if !f.Open {
			fmt.Fprintf(&b, " y_%d\n", i)
		}
	}
	b.WriteString("End\n")
	lp := filepath.Join(t.TempDir(), "m.lp")
	os.WriteFile(lp, []byte(b.String()), 0o644)
	res, err := location.Solve(context.Background(), p, &location.Settings{MaxIterations: 100})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, p, res)
	want := runCBC(t, lp) + covFixed
	if math.Abs(res.Cost-want) > 1e-6*want {
		t.Errorf("covered %.3f, cbc optimum %.3f", res.Cost, want)
	}
	if res.Bound < want-1e-6*want {
		t.Errorf("upper bound %.3f below the cbc optimum %.3f", res.Bound, want)
	}
}
