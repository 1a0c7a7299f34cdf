package bench

import (
	"io"
	"os"
	"strings"

	"github.com/rlplan/rlplan/solver/routing"
)

// ReadVRPTW reads a Solomon or Gehring-Homberger VRPTW file.
func ReadVRPTW(path string) (*routing.Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseVRPTW(path, f)
}

// ParseVRPTW parses the Solomon format: a name line, a VEHICLE block
// (NUMBER CAPACITY) and a CUSTOMER table (CUST NO., XCOORD., YCOORD.,
// DEMAND, READY TIME, DUE DATE, SERVICE TIME) whose row 0 is the depot.
//
// Conventions: Euclidean distances in double precision, travel time =
// distance (Duration nil); service must start within [ready, due], early
// arrivals wait; the fleet is NUMBER vehicles of capacity CAPACITY whose
// shift is the depot's [ready, due] (the planning horizon); cost =
// distance, not vehicles (MinimizeVehicles false), so the matching
// reference is the distance-only BKS. Location i is customer number i; job
// j is customer j+1.
func ParseVRPTW(name string, r io.Reader) (*routing.Problem, error) {
	l := newLineReader(name, r)
	if _, ok := l.nextNonEmpty(); !ok {
		return nil, l.eofErr("the instance name")
	}
	if err := expectKeyword(l, "VEHICLE"); err != nil {
		return nil, err
	}
	f, ok := l.nextNonEmpty()
	if !ok {
		return nil, l.eofErr("the NUMBER CAPACITY header")
	}
	if strings.ToUpper(f[0]) == "NUMBER" {
		if f, ok = l.nextNonEmpty(); !ok {
			return nil, l.eofErr("the vehicle number and capacity")
		}
	}
	if len(f) != 2 {
		return nil, l.errorf("vehicle line has %d fields, want: NUMBER CAPACITY", len(f))
	}
	number, err := l.int(f[0], "vehicle NUMBER")
	if err != nil {
		return nil, err
	}
	capacity, err := l.int(f[1], "vehicle CAPACITY")
	if err != nil {
		return nil, err
	}
	if number < 1 || capacity < 1 {
		return nil, l.errorf("vehicle NUMBER %d and CAPACITY %d: want both positive", number, capacity)
	}
	if err := expectKeyword(l, "CUSTOMER"); err != nil {
		return nil, err
	}
	if f, ok = l.nextNonEmpty(); !ok {
		return nil, l.eofErr("the customer table header")
	}
	if strings.ToUpper(f[0]) != "CUST" {
		l.unread(f)
	}
	var xy [][2]float64
	var jobs []routing.Job
	var horizon routing.TimeWindow
	for {
		f, ok := l.nextNonEmpty()
		if !ok {
			break
		}
		if len(f) != 7 {
			return nil, l.errorf("customer line has %d fields, want 7: number x y demand ready due service", len(f))
		}
		id, err := l.int(f[0], "CUST NO.")
		if err != nil {
			return nil, err
		}
		if id != len(xy) {
			return nil, l.errorf("customer number %d, want %d (rows numbered 0, 1, 2, ... with the depot first)", id, len(xy))
		}
		if len(xy) >= maxNodes {
			return nil, l.errorf("more than %d customers", maxNodes)
		}
		var v [6]float64
		names := [6]string{"XCOORD.", "YCOORD.", "DEMAND", "READY TIME", "DUE DATE", "SERVICE TIME"}
		for i := range v {
			if v[i], err = l.float(f[i+1], names[i]); err != nil {
				return nil, err
			}
		}
		demand, err := l.int(f[3], "DEMAND")
		if err != nil {
			return nil, err
		}
		switch {
		case demand < 0 || v[5] < 0:
			return nil, l.errorf("customer %d: negative demand or service time", id)
		case v[4] < v[3]:
			return nil, l.errorf("customer %d: due date %g before ready time %g", id, v[4], v[3])
		}
		xy = append(xy, [2]float64{v[0], v[1]})
		if id == 0 {
			if v[4] <= 0 {
				return nil, l.errorf("depot due date %g: want a positive planning horizon", v[4])
			}
			horizon = routing.TimeWindow{Open: v[3], Close: v[4]}
			continue
		}
		jobs = append(jobs, routing.Job{
			ID: f[0], Location: id, Amount: []int64{int64(demand)}, Service: v[5],
			Windows: []routing.TimeWindow{{Open: v[3], Close: v[4]}},
		})
	}
	if err := l.ioErr(); err != nil {
		return nil, err
	}
	if len(jobs) == 0 {
		return nil, &ParseError{File: name, Line: l.line, Msg: "no customer rows after the depot"}
	}
	return &routing.Problem{
		Distance: euclid(xy),
		Vehicles: []routing.VehicleType{{
			ID: "vehicle", Count: number, Capacity: []int64{int64(capacity)},
			ShiftStart: horizon.Open, ShiftEnd: horizon.Close, CostPerDistance: 1,
		}},
		Jobs: jobs,
	}, nil
}

func expectKeyword(l *lineReader, kw string) error {
	f, ok := l.nextNonEmpty()
	if !ok {
		return l.eofErr(kw)
	}
	if len(f) != 1 || strings.ToUpper(f[0]) != kw {
		return l.errorf("found %q, want %s", strings.Join(f, " "), kw)
	}
	return nil
}
