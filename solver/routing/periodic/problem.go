package periodic

import (
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
)

// MaxDays is the longest period a pattern bit mask can describe.
const MaxDays = 32

// Problem is a periodic vehicle-routing problem.
//
// Locations index Distance and Duration exactly as in routing.Problem. The
// fleet in Vehicles is available afresh on every day: VehicleType.Count is
// the number of vehicles of that type per day (0 = unlimited), and shifts are
// measured within a day.
type Problem struct {
	// Days is the length of the period, 1..MaxDays.
	Days int
	// Distance and Duration as in routing.Problem (Duration nil = Distance).
	Distance [][]float64
	Duration [][]float64
	// Vehicles is the per-day fleet.
	Vehicles []routing.VehicleType
	Jobs     []Job
	// Previous, when set, is an earlier plan of these jobs (last week's):
	// Previous[d] are the routes of day d+1, of which Type, Vehicle, Jobs
	// and Trips are read (Vehicle names the vehicle of its type, 0-based,
	// below the type's Count when that is set). The solve starts from it
	// (a warm start: the routes that still meet every limit are kept as
	// they were, the other jobs inserted on their previous days when
	// still allowed), numbers its vehicles so that each route keeps the
	// vehicle whose jobs it shares most, and charges
	// Settings.ConsistencyCost per job that moves. A job may be missing
	// from it (a new job); nil means a cold start.
	Previous [][]routing.Route
}

// Job is a location visited on several days of the period.
type Job struct {
	// Job describes one visit: location, amount collected on each visit,
	// service time, windows within the day and allowed vehicle types.
	// Penalty must be 0: every periodic job is mandatory.
	routing.Job
	// Patterns lists the allowed sets of visit days as bit masks. Bit d
	// (value 1<<d) stands for day d+1, so day 1 is the LEAST significant
	// bit: with 5 days, 0b00101 = days 1 and 3. (Cordeau's files write
	// day 1 as the leftmost bit; the bench reader converts.) A job is
	// visited once on each day of exactly one of its patterns.
	Patterns []uint32
}

// Settings control a periodic solve. The zero value, like a nil *Settings,
// means the documented default of every field.
type Settings struct {
	// TimeLimit bounds the whole solve; 0 means DefaultTimeLimit (30 s).
	TimeLimit time.Duration
	// MaxIterations bounds the rounds of each pattern search (a round
	// improves until no move helps, then perturbs); 0 means
	// DefaultMaxIterations (100) and a negative value means no round limit
	// (the time limit and the stall rule end each search).
	MaxIterations int
	// RoutingIterations is the iteration budget of each joint routing
	// solve; 0 means DefaultRoutingIterations (5,000) and a negative value
	// means none (each solve runs for its share of the time limit). When
	// both iteration limits bind before the time limit, the same Seed gives
	// the same result.
	RoutingIterations int
	// SearchIterations is the iteration budget of the ruin-and-recreate
	// search over patterns and days (one iteration removes a few related
	// jobs from every day and puts each back with its cheapest pattern);
	// 0 means DefaultSearchIterations (2,000) and a negative value means
	// none (the search runs to the time limit). It takes part in the
	// reproducibility rule of RoutingIterations.
	SearchIterations int
	// Seed for all random choices (every value, 0 included, is a seed).
	Seed solver.Seed
	// Workers is passed to routing.Solve; 0 means 1.
	Workers int
	// ConsistencyCost is charged per job of Problem.Previous that does not
	// keep its days and vehicles (see Kept), added to the cost the search
	// minimises but not to Result.Cost. 0 (the default) means a warm start
	// only: the search starts from Previous and keeps the cheapest plan.
	ConsistencyCost float64
}

// Result is the best plan found.
type Result struct {
	// Patterns[j] is the pattern chosen for job j, 0 if it is unserved.
	Patterns []uint32
	// Days[d] are the routes of day d+1; Route.Jobs index Problem.Jobs.
	Days [][]routing.Route
	// Unserved lists jobs that no allowed pattern could fit.
	Unserved []routing.Unserved
	// Cost sums the route costs of all days; Distance their distances.
	Cost     float64
	Distance float64
	// Bound, Gap and HasBound as in routing.Result: the periodic search
	// proves no bound, so HasBound is false and both are 0.
	Bound    float64
	Gap      float64
	HasBound bool
	// Iterations sums routing.Solve iterations and pattern-search rounds.
	Iterations int
	Elapsed    time.Duration
	// Kept and Compared count, with Problem.Previous set, the jobs of
	// Previous that keep their days and vehicles, and all jobs of Previous
	// (see Kept); both 0 without it.
	Kept, Compared int
	// Status: solver.IterationLimit when the iteration budgets ended every
	// phase, solver.TimeLimit when a phase's share of the time limit did
	// (the result then depends on machine speed), solver.Interrupted when
	// ctx was cancelled.
	Status solver.Status
}
