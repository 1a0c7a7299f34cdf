package bench

import (
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"strconv"

	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/periodic"
)

// cordeauFile is the common content of Cordeau's MDVRP and PVRP files.
type cordeauFile struct {
	typ, m, n, t int
	dq           [][2]float64 // per depot (MDVRP) or day (PVRP): D, Q
	nodes        []cordeauNode
}

type cordeauNode struct {
	id       int
	x, y     float64
	service  float64
	demand   int64
	freq     int
	patterns []uint32 // as written: leftmost bit = day 1
	line     int
}

// parseCordeau reads "type m n t", t lines "D Q", then count node lines
// "i x y d q [f a list...]" (extra trailing fields such as time windows are
// ignored). Blank lines are skipped anywhere.
func parseCordeau(l *lineReader, wantType int, nodeCount func(n, t int) int) (*cordeauFile, error) {
	f, ok := l.nextNonEmpty()
	if !ok {
		return nil, l.eofErr("the header line: type m n t")
	}
	if len(f) != 4 {
		return nil, l.errorf("header has %d fields, want 4: type m n t", len(f))
	}
	var h [4]int
	names := [4]string{"type", "m (vehicles)", "n (customers)", "t (depots or days)"}
	for i := range h {
		v, err := l.int(f[i], names[i])
		if err != nil {
			return nil, err
		}
		h[i] = v
	}
	c := &cordeauFile{typ: h[0], m: h[1], n: h[2], t: h[3]}
	maxT := maxNodes // depots
	if wantType == 1 {
		maxT = periodic.MaxDays // days of a bit-mask pattern
	}
	switch {
	case c.typ != wantType:
		return nil, l.errorf("problem type %d, want %d", c.typ, wantType)
	case c.m < 0:
		return nil, l.errorf("m = %d vehicles, want >= 0", c.m)
	case c.n < 1 || c.n > maxNodes:
		return nil, l.errorf("n = %d customers, want 1..%d", c.n, maxNodes)
	case c.t < 1 || c.t > maxT:
		return nil, l.errorf("t = %d, want 1..%d", c.t, maxT)
	}
	for k := 0; k < c.t; k++ {
		f, ok := l.nextNonEmpty()
		if !ok {
			return nil, l.eofErr(fmt.Sprintf("line %d of %d: D Q", k+1, c.t))
		}
		if len(f) != 2 {
			return nil, l.errorf("has %d fields, want 2: D (max duration) Q (capacity)", len(f))
		}
		d, err := l.float(f[0], "D")
		if err != nil {
			return nil, err
		}
		q, err := l.float(f[1], "Q")
		if err != nil {
			return nil, err
		}
		if d < 0 || q < 0 {
			return nil, l.errorf("D %g and Q %g: want both >= 0", d, q)
		}
		c.dq = append(c.dq, [2]float64{d, q})
	}
	count := nodeCount(c.n, c.t)
	for k := 0; k < count; k++ {
		f, ok := l.nextNonEmpty()
		if !ok {
			return nil, l.eofErr(fmt.Sprintf("node line %d of %d", k+1, count))
		}
		if len(f) < 5 {
			return nil, l.errorf("node line has %d fields, want at least 5: i x y d q", len(f))
		}
		nd := cordeauNode{line: l.line}
		var err error
		if nd.id, err = l.int(f[0], "node id"); err != nil {
			return nil, err
		}
		if nd.x, err = l.float(f[1], "x"); err != nil {
			return nil, err
		}
		if nd.y, err = l.float(f[2], "y"); err != nil {
			return nil, err
		}
		if nd.service, err = l.float(f[3], "service duration d"); err != nil {
			return nil, err
		}
		q, err := l.int(f[4], "demand q")
		if err != nil {
			return nil, err
		}
		if q < 0 || nd.service < 0 {
			return nil, l.errorf("node %d: negative demand or service duration", nd.id)
		}
		nd.demand = int64(q)
		if len(f) >= 7 {
			if nd.freq, err = l.int(f[5], "frequency f"); err != nil {
				return nil, err
			}
			a, err := l.int(f[6], "combination count a")
			if err != nil {
				return nil, err
			}
			if a < 0 || 7+a > len(f) {
				return nil, l.errorf("node %d: a = %d combinations but %d listed", nd.id, a, len(f)-7)
			}
			for _, tok := range f[7 : 7+a] {
				code, err := l.int(tok, "combination")
				if err != nil {
					return nil, err
				}
				if wantType != 1 {
					continue // MDVRP: the periodic fields are trivial
				}
				if code < 0 || code >= 1<<uint(c.t) {
					return nil, l.errorf("node %d: combination %d does not fit in %d days", nd.id, code, c.t)
				}
				nd.patterns = append(nd.patterns, uint32(code))
			}
		}
		c.nodes = append(c.nodes, nd)
	}
	return c, nil
}

// ReadMDVRP reads a Cordeau multi-depot VRP file (problem type 2).
func ReadMDVRP(path string) (*routing.Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseMDVRP(path, f)
}

// ParseMDVRP parses Cordeau's MDVRP format: "2 m n t", t depot lines "D Q",
// n customer lines "i x y d q ..." (i = 1..n) and t depot lines "i x y ..."
// (i = n+1..n+t).
//
// Conventions: Euclidean distances in double precision, travel time =
// distance; one vehicle type per depot with Count = m, Capacity = Q,
// MaxDuration = D (0 = none; travel plus service), each vehicle returning to
// its own depot; cost = distance. Location i-1 is node i: customers first,
// then depots; job j is customer j+1.
func ParseMDVRP(name string, r io.Reader) (*routing.Problem, error) {
	l := newLineReader(name, r)
	c, err := parseCordeau(l, 2, func(n, t int) int { return n + t })
	if err != nil {
		return nil, err
	}
	xy := make([][2]float64, c.n+c.t)
	for k, nd := range c.nodes {
		if nd.id != k+1 {
			return nil, &ParseError{File: name, Line: nd.line, Msg: fmt.Sprintf("node id %d, want %d (customers 1..n then depots n+1..n+t)", nd.id, k+1)}
		}
		xy[k] = [2]float64{nd.x, nd.y}
	}
	p := &routing.Problem{Distance: euclid(xy)}
	for k := 0; k < c.t; k++ {
		q := c.dq[k][1]
		if q != float64(int64(q)) {
			return nil, &ParseError{File: name, Line: 1 + k + 1, Msg: fmt.Sprintf("capacity %g: want an integer", q)}
		}
		p.Vehicles = append(p.Vehicles, routing.VehicleType{
			ID: "depot-" + strconv.Itoa(c.n+k+1), Count: c.m, Capacity: []int64{int64(q)},
			Start: c.n + k, End: c.n + k, MaxDuration: c.dq[k][0], CostPerDistance: 1,
		})
	}
	for k := 0; k < c.n; k++ {
		nd := c.nodes[k]
		p.Jobs = append(p.Jobs, routing.Job{ID: strconv.Itoa(nd.id), Location: k, Amount: []int64{nd.demand}, Service: nd.service})
	}
	return p, nil
}

// ReadPVRP reads a Cordeau periodic VRP file (problem type 1).
func ReadPVRP(path string) (*periodic.Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParsePVRP(path, f)
}

// ParsePVRP parses Cordeau's PVRP format: "1 m n t", t day lines "D Q",
// then n+1 node lines "i x y d q f a list..." with node 0 the depot.
//
// Conventions: Euclidean distances in double precision, travel time =
// distance; per day m vehicles of capacity Q, maximum route duration D
// (travel plus service, 0 = none), starting and ending at the depot; cost =
// distance (service time is not a cost). Location i is node i, job j is
// customer j+1. Combination codes are t-bit numbers whose LEFTMOST bit is
// day 1; they are converted to periodic's order (bit d = day d+1). The
// listed combinations are authoritative and f is not enforced: p11's
// customer 131 (f = 0, five one-day combinations) is thus visited once, as
// in Cordeau's own solution. D and Q must be the same on every day.
func ParsePVRP(name string, r io.Reader) (*periodic.Problem, error) {
	l := newLineReader(name, r)
	c, err := parseCordeau(l, 1, func(n, t int) int { return n + 1 })
	if err != nil {
		return nil, err
	}
	for k := 1; k < c.t; k++ {
		if c.dq[k] != c.dq[0] {
			return nil, &ParseError{File: name, Line: 1 + k + 1, Msg: fmt.Sprintf("day %d has D Q = %g %g, day 1 has %g %g: per-day limits must be equal", k+1, c.dq[k][0], c.dq[k][1], c.dq[0][0], c.dq[0][1])}
		}
	}
	q := c.dq[0][1]
	if q != float64(int64(q)) {
		return nil, &ParseError{File: name, Line: 2, Msg: fmt.Sprintf("capacity %g: want an integer", q)}
	}
	xy := make([][2]float64, c.n+1)
	p := &periodic.Problem{Days: c.t}
	for k, nd := range c.nodes {
		if nd.id != k {
			return nil, &ParseError{File: name, Line: nd.line, Msg: fmt.Sprintf("node id %d, want %d (depot 0 then customers 1..n)", nd.id, k)}
		}
		xy[k] = [2]float64{nd.x, nd.y}
		if k == 0 {
			continue
		}
		if len(nd.patterns) == 0 {
			return nil, &ParseError{File: name, Line: nd.line, Msg: fmt.Sprintf("customer %d lists no visit-day combination, want at least one", nd.id)}
		}
		job := periodic.Job{Job: routing.Job{ID: strconv.Itoa(nd.id), Location: k, Amount: []int64{nd.demand}, Service: nd.service}}
		for _, code := range nd.patterns {
			if code == 0 {
				return nil, &ParseError{File: name, Line: nd.line, Msg: fmt.Sprintf("customer %d: combination 0 has no day", nd.id)}
			}
			job.Patterns = append(job.Patterns, reverseDays(code, c.t))
		}
		p.Jobs = append(p.Jobs, job)
	}
	p.Distance = euclid(xy)
	p.Vehicles = []routing.VehicleType{{ID: "vehicle", Count: c.m, Capacity: []int64{int64(q)}, MaxDuration: c.dq[0][0], CostPerDistance: 1}}
	return p, nil
}

// reverseDays converts a t-bit code with day 1 leftmost into periodic's
// order (bit d = day d+1).
func reverseDays(code uint32, t int) uint32 {
	return bits.Reverse32(code) >> uint(32-t)
}

// ReadPVRPSolution reads a Cordeau .res file for p.
func ReadPVRPSolution(path string, p *periodic.Problem) (*PeriodicSolution, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParsePVRPSolution(path, f, p)
}

// PeriodicSolution is a published periodic solution.
type PeriodicSolution struct {
	// Days[d] are the routes of day d+1 (Type 0, Vehicle = file's vehicle
	// number - 1, Jobs = customer - 1, Duration and Load as printed in the
	// file); routes without customers are left out.
	Days [][]routing.Route
	// Cost is the file's total (travel only).
	Cost float64
}

// ParsePVRPSolution parses a .res file: the total cost, then one line per
// route "day vehicle duration load 0 c1 ... 0".
func ParsePVRPSolution(name string, r io.Reader, p *periodic.Problem) (*PeriodicSolution, error) {
	l := newLineReader(name, r)
	f, ok := l.nextNonEmpty()
	if !ok {
		return nil, l.eofErr("the total cost")
	}
	if len(f) != 1 {
		return nil, l.errorf("first line has %d fields, want the total cost", len(f))
	}
	cost, err := l.float(f[0], "total cost")
	if err != nil {
		return nil, err
	}
	sol := &PeriodicSolution{Cost: cost, Days: make([][]routing.Route, p.Days)}
	for {
		f, ok := l.nextNonEmpty()
		if !ok {
			break
		}
		if len(f) < 6 {
			return nil, l.errorf("route line has %d fields, want: day vehicle duration load 0 customers... 0", len(f))
		}
		day, err := l.int(f[0], "day")
		if err != nil {
			return nil, err
		}
		veh, err := l.int(f[1], "vehicle")
		if err != nil {
			return nil, err
		}
		if day < 1 || day > p.Days {
			return nil, l.errorf("day %d outside 1..%d", day, p.Days)
		}
		if veh < 1 {
			return nil, l.errorf("vehicle %d: want >= 1", veh)
		}
		if f[4] != "0" || f[len(f)-1] != "0" {
			return nil, l.errorf("route must start and end at depot 0, found %s ... %s", f[4], f[len(f)-1])
		}
		dur, err := l.float(f[2], "route duration")
		if err != nil {
			return nil, err
		}
		load, err := l.float(f[3], "route load")
		if err != nil {
			return nil, err
		}
		if load != math.Trunc(load) || math.Abs(load) > 1<<52 {
			return nil, l.errorf("route load %g: want an integer", load)
		}
		// Duration and Load keep the file's figures for cross-checks;
		// validate.Build recomputes them.
		rt := routing.Route{Type: 0, Vehicle: veh - 1, Duration: dur, Load: []int64{int64(load)}}
		for _, tok := range f[5 : len(f)-1] {
			cu, err := l.int(tok, "customer")
			if err != nil {
				return nil, err
			}
			if cu < 1 || cu > len(p.Jobs) {
				return nil, l.errorf("customer %d outside 1..%d", cu, len(p.Jobs))
			}
			rt.Jobs = append(rt.Jobs, cu-1)
		}
		if len(rt.Jobs) > 0 {
			sol.Days[day-1] = append(sol.Days[day-1], rt)
		}
	}
	if err := l.ioErr(); err != nil {
		return nil, err
	}
	return sol, nil
}
