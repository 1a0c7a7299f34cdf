package bench

import (
	"bytes"
	"os"
	"testing"

	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/periodic"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

// The fuzz targets check that readers never panic and that whatever they
// accept is structurally sound. Seeds: the testdata/tiny* files plus the
// corpus in testdata/fuzz/<target>. Run one with, for example,
//
//	go test -run '^$' -fuzz '^FuzzReadCVRP$' -fuzztime 30s ./solver/routing/bench

func addSeed(f *testing.F, file string) {
	b, err := os.ReadFile(file)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")))
	f.Add(b[:len(b)/2])
}

// sound reports a structural problem of an accepted instance.
func sound(t *testing.T, p *routing.Problem) {
	t.Helper()
	if err := p.Validate(); err != nil {
		t.Fatalf("reader accepted an unsound problem: %v", err)
	}
}

func FuzzReadCVRP(f *testing.F) {
	addSeed(f, "testdata/tiny.vrp")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseCVRP("fuzz.vrp", bytes.NewReader(data))
		if err == nil {
			sound(t, p)
		}
	})
}

func FuzzReadCVRPSolution(f *testing.F) {
	addSeed(f, "testdata/tiny.sol")
	p, err := ReadCVRP("testdata/tiny.vrp")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sol, err := ParseCVRPSolution("fuzz.sol", bytes.NewReader(data), p)
		if err != nil {
			return
		}
		r := validate.Build(p, sol.Routes)
		_ = validate.Check(p, r) // may fail, must not panic
	})
}

func FuzzReadVRPTW(f *testing.F) {
	addSeed(f, "testdata/tiny_vrptw.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseVRPTW("fuzz.txt", bytes.NewReader(data))
		if err == nil {
			sound(t, p)
		}
	})
}

func FuzzReadMDVRP(f *testing.F) {
	addSeed(f, "testdata/tiny_mdvrp.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseMDVRP("fuzz.txt", bytes.NewReader(data))
		if err == nil {
			sound(t, p)
		}
	})
}

func soundPeriodic(t *testing.T, p *periodic.Problem) {
	t.Helper()
	rp := &routing.Problem{Distance: p.Distance, Vehicles: p.Vehicles}
	for _, j := range p.Jobs {
		rp.Jobs = append(rp.Jobs, j.Job)
		if len(j.Patterns) == 0 {
			t.Fatalf("job %s without patterns accepted", j.ID)
		}
		for _, pat := range j.Patterns {
			if pat == 0 || p.Days < 32 && pat>>uint(p.Days) != 0 {
				t.Fatalf("job %s: pattern %b outside %d days", j.ID, pat, p.Days)
			}
		}
	}
	sound(t, rp)
}

func FuzzReadPVRP(f *testing.F) {
	addSeed(f, "testdata/tiny_pvrp.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePVRP("fuzz.txt", bytes.NewReader(data))
		if err == nil {
			soundPeriodic(t, p)
		}
	})
}

func FuzzReadPVRPSolution(f *testing.F) {
	addSeed(f, "testdata/tiny.res")
	p, err := ReadPVRP("testdata/tiny_pvrp.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sol, err := ParsePVRPSolution("fuzz.res", bytes.NewReader(data), p)
		if err != nil {
			return
		}
		pats := make([]uint32, len(p.Jobs))
		for j := range pats {
			pats[j] = validate.PatternOf(sol.Days, j)
		}
		_ = validate.CheckPeriodic(p, validate.BuildPeriodic(p, pats, sol.Days))
	})
}

func FuzzReadBKS(f *testing.F) {
	addSeed(f, "testdata/tiny_bks.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBKS("fuzz.csv", bytes.NewReader(data))
		if err != nil {
			return
		}
		for name, row := range b {
			if !(row.Cost > 0) || name == "" {
				t.Fatalf("accepted row %q with cost %g", name, row.Cost)
			}
		}
	})
}
