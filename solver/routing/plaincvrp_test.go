package routing

import (
	"math"
	"testing"
)

// TestTempRange: the SA temperatures for a first solution of mean arc 40,
// checked by hand: plain CVRP starts at cvrpTempStart (0.5) x 40 = 20 and
// ends at 0.01 x 40 = 0.4; a problem with windows at 3 x (1.0 x 40 = 40,
// 0.4) = (120, 1.2); every other capacity-only problem (two vehicle types,
// a job restricted to a type, several trips, a shift end, minimised
// vehicles) at the general (40, 0.4).
func TestTempRange(t *testing.T) {
	plain := func() *Problem {
		pts := [][2]float64{{0, 0}, {2, 1}, {2, 4}, {0, 4}}
		p := &Problem{Distance: manhattan(pts), Vehicles: []VehicleType{{ID: "t", Capacity: []int64{3}, CostPerDistance: 1}}}
		for k := 1; k < len(pts); k++ {
			p.Jobs = append(p.Jobs, Job{ID: string(rune('a' + k - 1)), Location: k, Amount: []int64{1}})
		}
		return p
	}
	cases := []struct {
		name   string
		edit   func(p *Problem)
		plain  bool
		t0, tf float64
	}{
		{"plain CVRP", func(*Problem) {}, true, 20, 0.4},
		{"windows", func(p *Problem) { p.Jobs[0].Windows = []TimeWindow{{Open: 0, Close: 100}} }, false, 120, 1.2},
		{"two types", func(p *Problem) { p.Vehicles = append(p.Vehicles, p.Vehicles[0]); p.Vehicles[1].ID = "u" }, false, 40, 0.4},
		{"restricted job", func(p *Problem) { p.Jobs[1].AllowedTypes = []int{0} }, false, 40, 0.4},
		{"two trips", func(p *Problem) { p.Vehicles[0].MaxTrips = 2 }, false, 40, 0.4},
		{"shift end", func(p *Problem) { p.Vehicles[0].ShiftEnd = 1000 }, false, 40, 0.4},
		{"minimise vehicles", func(p *Problem) { p.MinimizeVehicles = true }, false, 40, 0.4},
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
		t0, tf := in.tempRange(40)
		if math.Abs(t0-c.t0) > 1e-12 || math.Abs(tf-c.tf) > 1e-12 {
			t.Errorf("%s: temperatures %v -> %v, want %v -> %v", c.name, t0, tf, c.t0, c.tf)
		}
	}
}
