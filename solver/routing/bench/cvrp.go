package bench

import (
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
// job j is customer j+1 of a .sol file.
func ParseCVRP(name string, r io.Reader) (*routing.Problem, error) {
	l := newLineReader(name, r)
	dim, capacity := -1, int64(-1)
	var xy [][2]float64
	var demand []int64
	var depots []int
	seenXY, seenDem := map[int]bool{}, map[int]bool{}
	section := ""
	sawEOF := false
	for !sawEOF {
		f, ok := l.next()
		if !ok {
			break
		}
		if len(f) == 0 {
			continue
		}
		key := strings.TrimSuffix(f[0], ":")
		if isCVRPSection(key) {
			section = key
			if key == "EOF" {
				sawEOF = true
			}
			if (key == "NODE_COORD_SECTION" || key == "DEMAND_SECTION") && dim < 0 {
				return nil, l.errorf("%s before DIMENSION", key)
			}
			continue
		}
		if section == "" {
			// Header "KEY : value" or "KEY: value".
			line := strings.Join(f, " ")
			i := strings.Index(line, ":")
			if i < 0 {
				return nil, l.errorf("header line %q: want KEY : value", line)
			}
			k, v := strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
			switch k {
			case "TYPE":
				if v != "CVRP" {
					return nil, l.errorf("TYPE %q: want CVRP", v)
				}
			case "DIMENSION":
				n, err := l.int(v, "DIMENSION")
				if err != nil {
					return nil, err
				}
				if n < 2 || n > maxNodes {
					return nil, l.errorf("DIMENSION %d: want 2..%d", n, maxNodes)
				}
				dim = n
				xy = make([][2]float64, n)
				demand = make([]int64, n)
			case "EDGE_WEIGHT_TYPE":
				if v != "EUC_2D" {
					return nil, l.errorf("EDGE_WEIGHT_TYPE %q: want EUC_2D", v)
				}
			case "CAPACITY":
				c, err := l.int(v, "CAPACITY")
				if err != nil {
					return nil, err
				}
				if c <= 0 {
					return nil, l.errorf("CAPACITY %d: want a positive integer", c)
				}
				capacity = int64(c)
			}
			continue
		}
		switch section {
		case "NODE_COORD_SECTION":
			if len(f) != 3 {
				return nil, l.errorf("coordinate line has %d fields, want: id x y", len(f))
			}
			id, err := l.nodeID(f[0], dim)
			if err != nil {
				return nil, err
			}
			if seenXY[id] {
				return nil, l.errorf("node %d listed twice in NODE_COORD_SECTION", id)
			}
			seenXY[id] = true
			if xy[id-1][0], err = l.float(f[1], "x"); err != nil {
				return nil, err
			}
			if xy[id-1][1], err = l.float(f[2], "y"); err != nil {
				return nil, err
			}
		case "DEMAND_SECTION":
			if len(f) != 2 {
				return nil, l.errorf("demand line has %d fields, want: id demand", len(f))
			}
			id, err := l.nodeID(f[0], dim)
			if err != nil {
				return nil, err
			}
			if seenDem[id] {
				return nil, l.errorf("node %d listed twice in DEMAND_SECTION", id)
			}
			seenDem[id] = true
			d, err := l.int(f[1], "demand")
			if err != nil {
				return nil, err
			}
			if d < 0 {
				return nil, l.errorf("demand %d of node %d: want >= 0", d, id)
			}
			demand[id-1] = int64(d)
		case "DEPOT_SECTION":
			if len(f) != 1 {
				return nil, l.errorf("depot line has %d fields, want one node id or -1", len(f))
			}
			if f[0] == "-1" {
				section = "DEPOT_END"
				continue
			}
			id, err := l.nodeID(f[0], dim)
			if err != nil {
				return nil, err
			}
			depots = append(depots, id)
		default:
			return nil, l.errorf("unexpected line %q after %s", strings.Join(f, " "), section)
		}
	}
	if err := l.ioErr(); err != nil {
		return nil, err
	}
	switch {
	case dim < 0:
		return nil, &ParseError{File: name, Msg: "no DIMENSION header"}
	case capacity < 0:
		return nil, &ParseError{File: name, Msg: "no CAPACITY header"}
	case len(seenXY) != dim:
		return nil, &ParseError{File: name, Msg: "NODE_COORD_SECTION has " + strconv.Itoa(len(seenXY)) + " nodes, want DIMENSION = " + strconv.Itoa(dim)}
	case len(seenDem) != dim:
		return nil, &ParseError{File: name, Msg: "DEMAND_SECTION has " + strconv.Itoa(len(seenDem)) + " nodes, want DIMENSION = " + strconv.Itoa(dim)}
	case len(depots) != 1:
		return nil, &ParseError{File: name, Msg: "DEPOT_SECTION lists " + strconv.Itoa(len(depots)) + " depots, want exactly 1"}
	}
	depot := depots[0] - 1
	p := &routing.Problem{
		Distance: nint(xy),
		Vehicles: []routing.VehicleType{{ID: "vehicle", Capacity: []int64{capacity}, Start: depot, End: depot, CostPerDistance: 1}},
	}
	for loc := 0; loc < dim; loc++ {
		if loc == depot {
			continue
		}
		p.Jobs = append(p.Jobs, routing.Job{ID: strconv.Itoa(loc + 1), Location: loc, Amount: []int64{demand[loc]}})
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
