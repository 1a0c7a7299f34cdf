package bench

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/rlplan/rlplan/solver/routing"
)

// ReadCVRP reads a CVRPLIB/TSPLIB CVRP file (the Uchoa et al. X set).
func ReadCVRP(path string) (*routing.Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseCVRP(path, f)
}

// ParseCVRP parses a CVRPLIB file read from r; name is used in errors.
//
// Conventions (CVRPLIB): EUC_2D distances rounded with TSPLIB nint,
// floor(d+0.5); one depot; an unlimited fleet of vehicles of capacity
// CAPACITY; cost = distance. Location i is node id i+1; the jobs are the
// non-depot nodes in id order, job ID = node id, so with the depot at node 1
// job j is customer j+1 of a .sol file. A customer whose demand is above
// CAPACITY is refused with its line: no vehicle could carry it.
func ParseCVRP(name string, r io.Reader) (*routing.Problem, error) {
	c := &cvrpFile{l: newLineReader(name, r), dim: -1, capacity: -1, seenXY: map[int]bool{}, seenDem: map[int]bool{}}
	l := c.l
	for c.section != "EOF" {
		f, ok := l.next()
		if !ok {
			break
		}
		if len(f) == 0 {
			continue
		}
		var err error
		key := strings.TrimSuffix(f[0], ":")
		switch {
		case isCVRPSection(key):
			c.section = key
			if (key == "NODE_COORD_SECTION" || key == "DEMAND_SECTION") && c.dim < 0 {
				err = l.errorf("%s before DIMENSION", key)
			}
		case c.section == "":
			err = c.header(f)
		default:
			err = c.body(f)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := l.ioErr(); err != nil {
		return nil, err
	}
	return c.problem(name)
}

// cvrpFile is the state of ParseCVRP.
type cvrpFile struct {
	l               *lineReader
	dim             int
	capacity        int64
	xy              [][2]float64
	demand          []int64
	depots          []int
	seenXY, seenDem map[int]bool
	section         string
	// overCap: the first two nodes whose demand is above CAPACITY, with
	// their lines (an error unless the node turns out to be the depot).
	overCap [][2]int
}

// header reads a "KEY : value" or "KEY: value" line.
func (c *cvrpFile) header(f []string) error {
	l := c.l
	line := strings.Join(f, " ")
	i := strings.Index(line, ":")
	if i < 0 {
		return l.errorf("header line %q: want KEY : value", line)
	}
	k, v := strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
	switch k {
	case "TYPE":
		if v != "CVRP" {
			return l.errorf("TYPE %q: want CVRP", v)
		}
	case "DIMENSION":
		n, err := l.int(v, "DIMENSION")
		if err != nil {
			return err
		}
		if n < 2 || n > maxNodes {
			return l.errorf("DIMENSION %d: want 2..%d", n, maxNodes)
		}
		c.dim = n
		c.xy = make([][2]float64, n)
		c.demand = make([]int64, n)
	case "EDGE_WEIGHT_TYPE":
		if v != "EUC_2D" {
			return l.errorf("EDGE_WEIGHT_TYPE %q: want EUC_2D", v)
		}
	case "CAPACITY":
		n, err := l.int(v, "CAPACITY")
		if err != nil {
			return err
		}
		if n <= 0 {
			return l.errorf("CAPACITY %d: want a positive integer", n)
		}
		c.capacity = int64(n)
	}
	return nil
}

// body reads a line of the current section.
func (c *cvrpFile) body(f []string) error {
	l := c.l
	switch c.section {
	case "NODE_COORD_SECTION":
		if len(f) != 3 {
			return l.errorf("coordinate line has %d fields, want: id x y", len(f))
		}
		id, err := l.nodeID(f[0], c.dim)
		if err != nil {
			return err
		}
		if c.seenXY[id] {
			return l.errorf("node %d listed twice in NODE_COORD_SECTION", id)
		}
		c.seenXY[id] = true
		if c.xy[id-1][0], err = l.float(f[1], "x"); err != nil {
			return err
		}
		if c.xy[id-1][1], err = l.float(f[2], "y"); err != nil {
			return err
		}
	case "DEMAND_SECTION":
		if len(f) != 2 {
			return l.errorf("demand line has %d fields, want: id demand", len(f))
		}
		id, err := l.nodeID(f[0], c.dim)
		if err != nil {
			return err
		}
		if c.seenDem[id] {
			return l.errorf("node %d listed twice in DEMAND_SECTION", id)
		}
		c.seenDem[id] = true
		d, err := l.int(f[1], "demand")
		if err != nil {
			return err
		}
		if d < 0 {
			return l.errorf("demand %d of node %d: want >= 0", d, id)
		}
		c.demand[id-1] = int64(d)
		if c.capacity > 0 && int64(d) > c.capacity && len(c.overCap) < 2 {
			c.overCap = append(c.overCap, [2]int{id, l.line})
		}
	case "DEPOT_SECTION":
		if len(f) != 1 {
			return l.errorf("depot line has %d fields, want one node id or -1", len(f))
		}
		if f[0] == "-1" {
			c.section = "DEPOT_END"
			return nil
		}
		id, err := l.nodeID(f[0], c.dim)
		if err != nil {
			return err
		}
		c.depots = append(c.depots, id)
	default:
		return l.errorf("unexpected line %q after %s", strings.Join(f, " "), c.section)
	}
	return nil
}

// problem checks that every section was complete and builds the problem.
func (c *cvrpFile) problem(name string) (*routing.Problem, error) {
	switch {
	case c.dim < 0:
		return nil, &ParseError{File: name, Msg: "no DIMENSION header"}
	case c.capacity < 0:
		return nil, &ParseError{File: name, Msg: "no CAPACITY header"}
	case len(c.seenXY) != c.dim:
		return nil, &ParseError{File: name, Msg: "NODE_COORD_SECTION has " + strconv.Itoa(len(c.seenXY)) + " nodes, want DIMENSION = " + strconv.Itoa(c.dim)}
	case len(c.seenDem) != c.dim:
		return nil, &ParseError{File: name, Msg: "DEMAND_SECTION has " + strconv.Itoa(len(c.seenDem)) + " nodes, want DIMENSION = " + strconv.Itoa(c.dim)}
	case len(c.depots) != 1:
		return nil, &ParseError{File: name, Msg: "DEPOT_SECTION lists " + strconv.Itoa(len(c.depots)) + " depots, want exactly 1"}
	}
	depot := c.depots[0] - 1
	for _, o := range c.overCap {
		if id := o[0]; id-1 != depot {
			return nil, &ParseError{File: name, Line: o[1], Msg: fmt.Sprintf("demand %d of node %d is above CAPACITY %d: no vehicle can carry it; want a demand <= CAPACITY",
				c.demand[id-1], id, c.capacity)}
		}
	}
	p := &routing.Problem{
		Distance: nint(c.xy),
		Vehicles: []routing.VehicleType{{ID: "vehicle", Capacity: []int64{c.capacity}, Start: depot, End: depot, CostPerDistance: 1}},
	}
	for loc := 0; loc < c.dim; loc++ {
		if loc == depot {
			continue
		}
		p.Jobs = append(p.Jobs, routing.Job{ID: strconv.Itoa(loc + 1), Location: loc, Amount: []int64{c.demand[loc]}})
	}
	return p, nil
}

func isCVRPSection(k string) bool {
	switch k {
	case "NODE_COORD_SECTION", "DEMAND_SECTION", "DEPOT_SECTION", "EOF":
		return true
	}
	return false
}

func (l *lineReader) nodeID(tok string, dim int) (int, error) {
	id, err := l.int(tok, "node id")
	if err != nil {
		return 0, err
	}
	if id < 1 || id > dim {
		return 0, l.errorf("node id %d outside 1..%d", id, dim)
	}
	return id, nil
}

// Solution is a published solution: visiting orders and the cost its file
// states.
type Solution struct {
	// Routes hold job indexes of the problem the solution was read for,
	// with Type and Vehicle set; validate.Build completes them.
	Routes []routing.Route
	Cost   float64
}

// ReadCVRPSolution reads a CVRPLIB .sol file for p (as returned by
// ParseCVRP).
func ReadCVRPSolution(path string, p *routing.Problem) (*Solution, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseCVRPSolution(path, f, p)
}

// ParseCVRPSolution parses "Route #r: c1 c2 ..." lines and a "Cost C" line.
// Customer numbers c are CVRPLIB's 1-based customer indices: node id minus
// one, the depot (node 1) omitted. Vehicle numbers follow the route order.
func ParseCVRPSolution(name string, r io.Reader, p *routing.Problem) (*Solution, error) {
	jobAt := map[int]int{}
	for j, job := range p.Jobs {
		jobAt[job.Location] = j
	}
	l := newLineReader(name, r)
	sol := &Solution{Cost: -1}
	for {
		f, ok := l.next()
		if !ok {
			break
		}
		if len(f) == 0 {
			continue
		}
		switch {
		case f[0] == "Route" && len(f) >= 2 && strings.HasPrefix(f[1], "#") && strings.HasSuffix(f[1], ":"):
			rt := routing.Route{Type: 0, Vehicle: len(sol.Routes)}
			for _, tok := range f[2:] {
				c, err := l.int(tok, "customer")
				if err != nil {
					return nil, err
				}
				j, ok := jobAt[c]
				if !ok || c <= 0 {
					return nil, l.errorf("customer %d is not a customer of the instance (want 1..%d)", c, len(p.Jobs))
				}
				rt.Jobs = append(rt.Jobs, j)
			}
			sol.Routes = append(sol.Routes, rt)
		case f[0] == "Cost" && len(f) == 2:
			c, err := l.float(f[1], "cost")
			if err != nil {
				return nil, err
			}
			sol.Cost = c
		default:
			return nil, l.errorf("line %q: want \"Route #r: customers...\" or \"Cost C\"", strings.Join(f, " "))
		}
	}
	if err := l.ioErr(); err != nil {
		return nil, err
	}
	if sol.Cost < 0 {
		return nil, &ParseError{File: name, Msg: "no \"Cost C\" line"}
	}
	return sol, nil
}
