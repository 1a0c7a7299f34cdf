package week

import (
	"math"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/periodic"
)

// Iteration budgets of the weekly plan per unit of Effort, chosen so that a
// province-sized week ends on them (reproducibly) well inside a minute.
const (
	scheduleRounds            = 10  // pattern-search rounds (improve, then perturb)
	scheduleRoutingIterations = 300 // per routing.Solve call
)

// plantProblem is one plant's week for the periodic engine: location 0 is
// the plant, 1..n its jobs' outlets; times in minutes after midnight,
// distances in road km (one duration matrix at the slowest truck's speed);
// capacities in kg and packs. Each truck is one vehicle making up to
// TripsPerDay trips a day with ReloadMin at the plant between them; every
// pickup may be split (the engine splits only those larger than the
// plant's smallest truck), each piece taking ServiceMin plus its share of
// the per-pack loading time.
func plantProblem(w *PlantWeek, opt *Options) *periodic.Problem {
	n := len(w.Jobs) + 1
	ids := make([]string, n)
	pts := make([]orb.Point, n)
	ids[0], pts[0] = w.Plant.ID, w.Plant.Point
	for i, j := range w.Jobs {
		ids[i+1], pts[i+1] = j.Outlet.ID, j.Outlet.Point
	}
	speed := math.Inf(1)
	for _, f := range w.Fleet {
		speed = math.Min(speed, f.SpeedKmh)
	}
	legs := Legs{Detour: opt.Detour, Roads: opt.Roads}
	p := &periodic.Problem{Days: opt.WorkDays, Distance: make([][]float64, n), Duration: make([][]float64, n)}
	for a := 0; a < n; a++ {
		p.Distance[a] = make([]float64, n)
		p.Duration[a] = make([]float64, n)
		for b := 0; b < n; b++ {
			km, min := legs.Leg(ids[a], ids[b], pts[a], pts[b])
			if min < 0 {
				min = km / speed * 60
			}
			p.Distance[a][b], p.Duration[a][b] = km, min
		}
	}
	for _, f := range w.Fleet {
		p.Vehicles = append(p.Vehicles, routing.VehicleType{
			ID: f.VehicleType, Count: f.Count, Capacity: []int64{amount(f.CapacityKg), int64(f.CapacityPacks)},
			ShiftStart: opt.ShiftStartHour * 60, ShiftEnd: opt.ShiftStartHour*60 + f.ShiftHours*60,
			MaxTrips: opt.TripsPerDay, ReloadTime: opt.ReloadMin,
			FixedCost: opt.VehicleDayCost, CostPerDistance: f.CostPerKm,
		})
	}
	for i, j := range w.Jobs {
		p.Jobs = append(p.Jobs, periodic.Job{Job: routing.Job{
			ID: j.Outlet.ID, Location: i + 1, Amount: []int64{amount(math.Ceil(j.VisitKg)), amount(math.Ceil(j.VisitPacks))},
			Service: opt.ServiceMin + opt.ServiceMinPerPack*math.Ceil(j.VisitPacks), FixedService: opt.ServiceMin, Splittable: true,
			Windows: []routing.TimeWindow{{Open: opt.OpenHour * 60, Close: opt.CloseHour * 60}},
		}, Patterns: j.Patterns})
	}
	return p
}

// maxAmount caps the amounts handed to the engine: far above any truck
// (so such a job is unserved for capacity) and far from overflowing when
// the engine adds a few of them.
const maxAmount = 1 << 53

// amount converts a non-negative figure to the engine's integer units
// without overflow: a conversion of a float above the int64 range is
// undefined in Go and gave negative amounts (which every truck "fits").
func amount(x float64) int64 {
	if !(x < maxAmount) { // also NaN
		return maxAmount
	}
	return int64(x)
}
