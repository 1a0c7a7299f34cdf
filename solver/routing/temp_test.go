package routing

import (
	"math"
	"testing"
)

// TestTempRange checks the annealing temperatures by hand on three jobs at
// a=(2,1), b=(2,4), c=(0,4) (Manhattan distances a-b 3, a-c 5, b-c 2) for
// a first solution of mean arc 40.
//
// Neighbour scale with k = 2: a's two neighbours are 3 and 5 away (mean 4),
// b's 3 and 2 (2.5), c's 5 and 2 (3.5): mean 10/3. With k = 1: (3+2+2)/3 =
// 7/3. Plain CVRP with the neighbour scale on (start 2.5, end 0.025):
// 2.5 x 10/3 = 25/3 and 1/12; at 2 per unit of distance twice that. Off,
// or on any other problem, the mean arc decides: 1.0 x 40 = 40 and 0.4,
// three times that with windows (120, 1.2); a gated-out problem keeps them
// with the neighbour scale on.
func TestTempRange(t *testing.T) {
	plain := func() *Problem {
		pts := [][2]float64{{0, 0}, {2, 1}, {2, 4}, {0, 4}}
		p := &Problem{Distance: manhattan(pts), Vehicles: []VehicleType{{ID: "t", Capacity: []int64{3}, CostPerDistance: 1}}}
		for k := 1; k < len(pts); k++ {
			p.Jobs = append(p.Jobs, Job{ID: string(rune('a' + k - 1)), Location: k, Amount: []int64{1}})
		}
		return p
	}
	defer func(on bool, s, e float64, k int) {
		nearTemp, nearTempStart, nearTempEnd, nearK = on, s, e, k
	}(nearTemp, nearTempStart, nearTempEnd, nearK)
	nearTempStart, nearTempEnd = 2.5, 0.025
	cases := []struct {
		name   string
		edit   func(p *Problem)
		near   bool // neighbour scale switched on
		k      int
		plain  bool
		t0, tf float64
	}{
		{"plain CVRP, mean arc", func(*Problem) {}, false, 2, true, 40, 0.4},
		{"plain CVRP, neighbours", func(*Problem) {}, true, 2, true, 25.0 / 3, 1.0 / 12},
		{"plain CVRP, one neighbour", func(*Problem) {}, true, 1, true, 2.5 * 7 / 3, 0.025 * 7 / 3},
		{"plain CVRP, 2 per distance", func(p *Problem) { p.Vehicles[0].CostPerDistance = 2 }, true, 2, true, 50.0 / 3, 1.0 / 6},
		{"windows", func(p *Problem) { p.Jobs[0].Windows = []TimeWindow{{Open: 0, Close: 100}} }, true, 2, false, 120, 1.2},
		{"two types", func(p *Problem) { p.Vehicles = append(p.Vehicles, p.Vehicles[0]); p.Vehicles[1].ID = "u" }, true, 2, false, 40, 0.4},
		{"restricted job", func(p *Problem) { p.Jobs[1].AllowedTypes = []int{0} }, true, 2, false, 40, 0.4},
		{"two trips", func(p *Problem) { p.Vehicles[0].MaxTrips = 2 }, true, 2, false, 40, 0.4},
		{"shift end", func(p *Problem) { p.Vehicles[0].ShiftEnd = 1000 }, true, 2, false, 40, 0.4},
		{"time cost", func(p *Problem) { p.Vehicles[0].CostPerDuration = 1 }, true, 2, false, 40, 0.4},
		{"minimise vehicles", func(p *Problem) { p.MinimizeVehicles = true }, true, 2, false, 40, 0.4},
	}
	for _, c := range cases {
		p := plain()
		c.edit(p)
		if err := p.Validate(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		in := newInst(p)
		if got := in.plainCVRP(); got != c.plain {
			t.Errorf("%s: plainCVRP %v, want %v", c.name, got, c.plain)
		}
		nearTemp, nearK = c.near, c.k
		t0, tf := in.tempRange(40)
		if math.Abs(t0-c.t0) > 1e-12 || math.Abs(tf-c.tf) > 1e-12 {
			t.Errorf("%s: temperatures %v -> %v, want %v -> %v", c.name, t0, tf, c.t0, c.tf)
		}
	}
	// As a cap the neighbour scale only cools: a mean arc of 40 or 10 gives
	// 25/3 and 1/12 as above; of 4 or 5 keeps 4, 0.04 and 5, 0.05 (below
	// 25/3 and 1/12).
	in := newInst(plain())
	nearTemp, nearCap, nearK = true, true, 2
	defer func() { nearCap = false }()
	for _, c := range []struct{ arc, t0, tf float64 }{{40, 25.0 / 3, 1.0 / 12}, {4, 4, 0.04}, {5, 5, 0.05}, {10, 25.0 / 3, 1.0 / 12}} {
		t0, tf := in.tempRange(c.arc)
		if math.Abs(t0-c.t0) > 1e-12 || math.Abs(tf-c.tf) > 1e-12 {
			t.Errorf("cap, mean arc %v: temperatures %v -> %v, want %v -> %v", c.arc, t0, tf, c.t0, c.tf)
		}
	}
}

// TestMeanArc: one route 0-a-b-c-0 over the jobs above costs 3+3+2+4 = 12
// on 4 arcs, mean 3; a fixed cost of 100 is not an arc.
func TestMeanArc(t *testing.T) {
	pts := [][2]float64{{0, 0}, {2, 1}, {2, 4}, {0, 4}}
	p := &Problem{Distance: manhattan(pts), Vehicles: []VehicleType{{ID: "t", Capacity: []int64{3}, CostPerDistance: 1, FixedCost: 100}}}
	for k := 1; k < len(pts); k++ {
		p.Jobs = append(p.Jobs, Job{ID: string(rune('a' + k - 1)), Location: k, Amount: []int64{1}})
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	in := newInst(p)
	s := newSolution(in)
	if got := in.meanArc(s); got != 1 {
		t.Errorf("no routes: mean arc %v, want 1", got)
	}
	s.beginLog()
	s.replace(0, []int32{0, 1, 2})
	s.commit()
	if got := in.meanArc(s); math.Abs(got-3) > 1e-12 {
		t.Errorf("route a-b-c: mean arc %v, want 3", got)
	}
}
