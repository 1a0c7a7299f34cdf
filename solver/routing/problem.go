package routing

import (
	"fmt"
	"time"

	"github.com/rlplan/rlplan/solver"
)

// Problem is a multi-depot vehicle-routing problem with pickups.
//
// Locations are indexes into Distance and Duration. Depots are not listed
// separately: each vehicle type names its start and end location.
type Problem struct {
	// Distance[i][j] is the travel distance from location i to j
	// (asymmetric allowed). Every row has len(Distance) entries.
	Distance [][]float64
	// Duration[i][j] is the travel time from i to j, in the same time unit as
	// windows, service times and shifts. Nil means Duration = Distance.
	Duration [][]float64

	Vehicles []VehicleType
	Jobs     []Job

	// MinimizeVehicles asks for the fewest routes first, then the lowest cost
	// (the hierarchical objective of the classical VRPTW literature).
	MinimizeVehicles bool
}

// VehicleType describes Count identical vehicles.
type VehicleType struct {
	ID string
	// Count is how many vehicles of this type exist; 0 means unlimited.
	Count int
	// Capacity per dimension; a route's summed job Amounts must not exceed
	// it in any dimension. len(Capacity) is the problem's dimension count and
	// is the same for every vehicle type and job.
	Capacity []int64
	// Start and End are location indexes (the depot).
	Start, End int
	// ShiftStart and ShiftEnd bound the route: it leaves Start no earlier
	// than ShiftStart and is back at End no later than ShiftEnd.
	// ShiftEnd = 0 means no end limit.
	ShiftStart, ShiftEnd float64
	// MaxDuration limits End arrival minus Start departure, waiting and
	// service included; 0 means no limit.
	MaxDuration float64
	// FixedCost is paid once per used vehicle.
	FixedCost float64
	// CostPerDistance and CostPerDuration price a route's distance and
	// duration (departure to return).
	CostPerDistance float64
	CostPerDuration float64
}

// Job is a pickup at one location.
type Job struct {
	ID       string
	Location int
	// Amount picked up, one entry per capacity dimension.
	Amount []int64
	// Service is the time spent at the location.
	Service float64
	// Windows are the allowed intervals for the start of service, sorted
	// and disjoint; a vehicle arriving early waits. Empty means any time.
	Windows []TimeWindow
	// AllowedTypes lists the vehicle-type indexes that may serve the job;
	// empty means all types.
	AllowedTypes []int
	// Penalty is the cost of leaving the job unserved. 0 means the job is
	// mandatory: the solver serves it whenever any feasible route can, and
	// otherwise reports it in Result.Unserved with the blocking limit.
	Penalty float64
}

// TimeWindow is an interval [Open, Close] for the start of service.
type TimeWindow struct{ Open, Close float64 }

// Dims returns the number of capacity dimensions.
func (p *Problem) Dims() int {
	if len(p.Vehicles) > 0 {
		return len(p.Vehicles[0].Capacity)
	}
	if len(p.Jobs) > 0 {
		return len(p.Jobs[0].Amount)
	}
	return 0
}

// Validate reports the first structural error in p: matrix shape, location
// indexes out of range, dimension mismatches, negative values, unsorted or
// inverted windows. It does not decide feasibility.
func (p *Problem) Validate() error {
	n := len(p.Distance)
	for i, row := range p.Distance {
		if len(row) != n {
			return fmt.Errorf("routing: Distance row %d has %d entries, want %d", i, len(row), n)
		}
	}
	if p.Duration != nil {
		if len(p.Duration) != n {
			return fmt.Errorf("routing: Duration has %d rows, want %d", len(p.Duration), n)
		}
		for i, row := range p.Duration {
			if len(row) != n {
				return fmt.Errorf("routing: Duration row %d has %d entries, want %d", i, len(row), n)
			}
		}
	}
	if len(p.Vehicles) == 0 {
		return fmt.Errorf("routing: no vehicle types")
	}
	d := p.Dims()
	for k, v := range p.Vehicles {
		switch {
		case v.Count < 0:
			return fmt.Errorf("routing: vehicle type %d (%s): negative count %d", k, v.ID, v.Count)
		case len(v.Capacity) != d:
			return fmt.Errorf("routing: vehicle type %d (%s): %d capacity dimensions, want %d", k, v.ID, len(v.Capacity), d)
		case v.Start < 0 || v.Start >= n || v.End < 0 || v.End >= n:
			return fmt.Errorf("routing: vehicle type %d (%s): start %d or end %d outside 0..%d", k, v.ID, v.Start, v.End, n-1)
		case v.ShiftEnd != 0 && v.ShiftEnd < v.ShiftStart:
			return fmt.Errorf("routing: vehicle type %d (%s): shift ends (%g) before it starts (%g)", k, v.ID, v.ShiftEnd, v.ShiftStart)
		case v.MaxDuration < 0:
			return fmt.Errorf("routing: vehicle type %d (%s): negative max duration", k, v.ID)
		}
		for _, c := range v.Capacity {
			if c < 0 {
				return fmt.Errorf("routing: vehicle type %d (%s): negative capacity", k, v.ID)
			}
		}
	}
	for j, job := range p.Jobs {
		switch {
		case job.Location < 0 || job.Location >= n:
			return fmt.Errorf("routing: job %d (%s): location %d outside 0..%d", j, job.ID, job.Location, n-1)
		case len(job.Amount) != d:
			return fmt.Errorf("routing: job %d (%s): %d amount dimensions, want %d", j, job.ID, len(job.Amount), d)
		case job.Service < 0 || job.Penalty < 0:
			return fmt.Errorf("routing: job %d (%s): negative service time or penalty", j, job.ID)
		}
		for _, a := range job.Amount {
			if a < 0 {
				return fmt.Errorf("routing: job %d (%s): negative amount", j, job.ID)
			}
		}
		for w, tw := range job.Windows {
			if tw.Close < tw.Open {
				return fmt.Errorf("routing: job %d (%s): window %d closes (%g) before it opens (%g)", j, job.ID, w, tw.Close, tw.Open)
			}
			if w > 0 && tw.Open < job.Windows[w-1].Close {
				return fmt.Errorf("routing: job %d (%s): windows not sorted and disjoint", j, job.ID)
			}
		}
		for _, t := range job.AllowedTypes {
			if t < 0 || t >= len(p.Vehicles) {
				return fmt.Errorf("routing: job %d (%s): allowed vehicle type %d outside 0..%d", j, job.ID, t, len(p.Vehicles)-1)
			}
		}
	}
	return nil
}

// Settings control a solve. The zero value, like a nil *Settings, means the
// documented default of every field.
type Settings struct {
	// TimeLimit stops the search; 0 means DefaultTimeLimit (10 s).
	TimeLimit time.Duration
	// MaxIterations stops the search after this many ruin-and-recreate
	// iterations, summed over workers; 0 means DefaultMaxIterations
	// (100,000) and a negative value means no iteration limit (TimeLimit
	// alone ends the search, as the benchmark runs want). The result is
	// reproducible for a Seed when MaxIterations binds before TimeLimit.
	MaxIterations int
	// Seed for the random number generators (every value, 0 included, is
	// a seed). The same seed and problem give the same result when the
	// iteration limit binds.
	Seed solver.Seed
	// Workers is the number of parallel searches; 0 means DefaultWorkers
	// (1). Results do not depend on scheduling: workers are combined in a
	// fixed order.
	Workers int
	// Progress, when not nil, is called from the solving goroutine now and
	// then with the best cost so far. It must return quickly.
	Progress func(Progress)
}

// Progress reports the state of a running solve.
type Progress struct {
	Iterations int
	BestCost   float64
	Elapsed    time.Duration
}

// Result is the best solution found.
type Result struct {
	Routes   []Route
	Unserved []Unserved
	// Cost = fixed costs + distance and duration costs + penalties of
	// unserved jobs with a penalty. Mandatory unserved jobs are listed but
	// carry no cost: check Unserved before trusting Cost.
	Cost     float64
	Distance float64
	// Bound is a proven lower bound on Cost when HasBound; Gap is
	// (Cost-Bound)/max(|Cost|, 1e-12), 0 when the solution is proven
	// optimal. Without a bound (HasBound false) both are 0. Only exact
	// solves of tiny problems prove a bound: Status Optimal, Bound = Cost.
	Bound    float64
	Gap      float64
	HasBound bool
	// Iterations counts ruin-and-recreate iterations over all workers.
	Iterations int
	Elapsed    time.Duration
	// Status says why the solve stopped: solver.Optimal, IterationLimit,
	// TimeLimit or Interrupted.
	Status solver.Status
}

// Route is one vehicle's trip, depot to depot.
type Route struct {
	// Type is the vehicle-type index, Vehicle the 0-based vehicle of that
	// type (distinct routes of one type have distinct Vehicle values).
	Type, Vehicle int
	// Jobs in visiting order, as job indexes.
	Jobs []int
	// Arrival and Start give, per visited job, the arrival time and the start
	// of service (Start >= Arrival, inside a window).
	Arrival, Start []float64
	// Depart is the time the vehicle leaves its start depot; Return the time
	// it is back at its end depot.
	Depart, Return float64
	Distance       float64
	Duration       float64 // Return - Depart
	// Load is the summed Amount of the route's jobs per dimension.
	Load []int64
	Cost float64
}

// Reason names the limit that kept a job out of every route.
type Reason string

// Reasons for an unserved job.
const (
	ReasonCapacity    Reason = "capacity"     // its amount exceeds every allowed vehicle's capacity
	ReasonTimeWindow  Reason = "time_window"  // no vehicle can reach it inside a window and get back in time
	ReasonShiftLength Reason = "shift_length" // a round trip from any allowed depot exceeds the maximum duration
	ReasonVehicleType Reason = "vehicle_type" // no vehicle of an allowed type exists
	ReasonFleetSize   Reason = "fleet_size"   // feasible alone, but the fleet could not fit it in
	ReasonPenalty     Reason = "penalty"      // serving it would cost more than its penalty
)

// Unserved is a job left out of every route, with the limit that blocked it.
type Unserved struct {
	Job    int
	Reason Reason
	Detail string
}
