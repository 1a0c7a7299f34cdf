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
//
// A vehicle's route is its whole day: one or more trips (up to MaxTrips),
// each leaving the depot, collecting, and coming back to End, where the
// vehicle unloads for ReloadTime before it leaves on the next trip. Loads
// reset at each return; the shift, MaxDuration and FixedCost bind the day.
type VehicleType struct {
	ID string
	// Count is how many vehicles (physical trucks) of this type exist; 0
	// means unlimited.
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
	// MaxDuration limits the last return to End minus the first departure
	// from Start, waiting, service and reloads included; 0 means no limit.
	MaxDuration float64
	// MaxTrips is the most trips a vehicle makes in a day; 0 means 1. Each
	// trip after the first leaves from End.
	MaxTrips int
	// ReloadTime is the time a vehicle spends at End between two trips
	// (unloading, paperwork), in the time unit of Duration.
	ReloadTime float64
	// FixedCost is paid once per used vehicle (per day, whatever its
	// number of trips).
	FixedCost float64
	// CostPerDistance and CostPerDuration price a route's distance and
	// duration (first departure to last return, reloads included).
	CostPerDistance float64
	CostPerDuration float64
}

// Trips returns MaxTrips with its default applied: at least 1.
func (v *VehicleType) Trips() int { return max(v.MaxTrips, 1) }

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
	// Splittable lets the solver collect Amount in pieces (a split
	// pickup) when it does not fit the smallest allowed vehicle type: the
	// job is divided into the fewest near-equal pieces that each fit every
	// allowed type, and each piece is a visit of its own, on any vehicle
	// or trip. Route.Amounts reports what each visit collects; a piece left
	// out is reported in Unserved with the amount not collected. A job that
	// fits whole is never split.
	Splittable bool
	// FixedService is the part of Service that a visit takes whatever it
	// collects (paperwork, safety checks); it only matters for split jobs:
	// a visit collecting a share s of Amount (ServiceShare) takes
	// FixedService + s*(Service-FixedService). 0 means service time is
	// proportional to the amount collected.
	FixedService float64
}

// ServiceShare is the share of a job's Amount that a visit collecting a
// carries, as the split rules count it: the largest a[d]/Amount[d] over the
// dimensions with Amount[d] > 0, 1 when every Amount is 0.
func (j *Job) ServiceShare(a []int64) float64 {
	s, any := 0.0, false
	for d, tot := range j.Amount {
		if tot > 0 && d < len(a) {
			s, any = max(s, float64(a[d])/float64(tot)), true
		}
	}
	if !any {
		return 1
	}
	return s
}

// VisitService is the service time of a visit collecting a (the whole
// Amount: Service).
func (j *Job) VisitService(a []int64) float64 {
	return j.FixedService + j.ServiceShare(a)*(j.Service-j.FixedService)
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
		case v.MaxTrips < 0 || v.MaxTrips > MaxTrips:
			return fmt.Errorf("routing: vehicle type %d (%s): %d trips a day, want 0..%d (0 means 1)", k, v.ID, v.MaxTrips, MaxTrips)
		case v.ReloadTime < 0:
			return fmt.Errorf("routing: vehicle type %d (%s): negative reload time %g", k, v.ID, v.ReloadTime)
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
		case job.FixedService < 0 || job.FixedService > job.Service:
			return fmt.Errorf("routing: job %d (%s): fixed service %g outside 0..Service (%g)", j, job.ID, job.FixedService, job.Service)
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
		if k := p.pieces(j); k > MaxPieces {
			return fmt.Errorf("routing: job %d (%s): amount %v needs %d pieces on the smallest allowed vehicle, more than %d", j, job.ID, job.Amount, k, MaxPieces)
		}
	}
	return nil
}

// Limits of the model that keep it a routing problem.
const (
	// MaxTrips bounds VehicleType.MaxTrips.
	MaxTrips = 32
	// MaxPieces bounds the pieces of one split job.
	MaxPieces = 1000
)

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
	// Progress, when not nil, is called from the solving goroutine with the
	// best cost so far: once the first solution is built, then about every
	// 200 ms. It must return quickly.
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

// Route is one vehicle's day, depot to depot: one or more trips.
type Route struct {
	// Type is the vehicle-type index, Vehicle the 0-based vehicle of that
	// type (distinct routes of one type have distinct Vehicle values).
	Type, Vehicle int
	// Jobs are the visits in order, over all trips, as job indexes. A split
	// job appears once per piece the vehicle collects.
	Jobs []int
	// Amounts[i] is what visit i collects, per dimension: the job's whole
	// Amount unless the job is split.
	Amounts [][]int64
	// Arrival and Start give, per visit, the arrival time and the start
	// of service (Start >= Arrival, inside a window).
	Arrival, Start []float64
	// Trips cut Jobs into the vehicle's trips, in time order; a route that
	// is one trip has one.
	Trips []Trip
	// Depart is the time the vehicle leaves its start depot; Return the time
	// it is back at its end depot after its last trip.
	Depart, Return float64
	Distance       float64
	Duration       float64 // Return - Depart
	// Load is what the vehicle collects over the day (the sum of its trips'
	// loads), per dimension; capacity binds each trip's Load.
	Load []int64
	Cost float64
}

// Trip is one depot-to-depot part of a route: the visits Jobs[From:To].
// The first trip leaves Start at Route.Depart; each later trip leaves End
// at least the type's ReloadTime after the previous trip's Return.
type Trip struct {
	From, To       int
	Depart, Return float64
	Distance       float64
	Load           []int64
}

// Reason names the limit that kept a job out of every route.
type Reason string

// Reasons for an unserved job.
const (
	ReasonCapacity    Reason = "capacity"     // its amount exceeds every allowed vehicle's capacity
	ReasonTimeWindow  Reason = "time_window"  // no vehicle can reach it before its last window closes
	ReasonShiftLength Reason = "shift_length" // a round trip from any allowed depot ends after the shift or exceeds the maximum duration
	ReasonVehicleType Reason = "vehicle_type" // no vehicle of an allowed type exists
	ReasonFleetSize   Reason = "fleet_size"   // feasible alone, but the fleet could not fit it in
	ReasonPenalty     Reason = "penalty"      // serving it would cost more than its penalty
)

// Unserved is a job left out of every route, or the part of a split job
// left out, with the limit that blocked it.
type Unserved struct {
	Job    int
	Reason Reason
	Detail string
	// Amount is what was not collected: the job's Amount, or less when
	// some pieces of a split job were collected.
	Amount []int64
}
