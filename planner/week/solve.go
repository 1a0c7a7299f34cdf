package week

import (
	"context"
	"sync"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
)

// Stage 4, per-plant solve: each plant's week is planned on its own (one
// periodic routing problem per plant, each truck's day with its trips).

// PlantPlan is one plant's week as planned.
type PlantPlan struct {
	// Patterns[i] is the day pattern of PlantWeek.Jobs[i] (bit d = day
	// d+1); 0 when the job is unserved.
	Patterns []uint32
	// Days[d] are the trucks used on day d+1, by vehicle type (in the
	// fleet's order) and truck number.
	Days [][]Truck
	// Unserved lists the jobs the plant cannot serve, with the limit.
	Unserved []Unplanned
	Status   solver.Status
}

// Unplanned is a job of a plant's week that is not served.
type Unplanned struct {
	Job    int    // index into PlantWeek.Jobs
	Reason string // one of the Unserved* reasons
	Detail string
}

// Truck is one truck's day: its trips in time order.
type Truck struct {
	Type   int // index into PlantWeek.Fleet
	Number int // 1, 2, ... among the trucks of its type that day
	Trips  []Trip
}

// Trip leaves the plant, makes its stops and comes back.
type Trip struct {
	Stops         []TripStop
	Leave, Return float64 // minutes after midnight
	Km            float64 // plant to plant
}

// TripStop is one stop of a trip.
type TripStop struct {
	Job                   int     // index into PlantWeek.Jobs
	Arrive, Start, Depart float64 // minutes after midnight; service from Start to Depart
	Km                    float64 // leg from the previous place
	Kg, Packs             float64 // collected
}

// PlantSolver plans one plant's week within timeLimit; a cancelled ctx
// returns the best plan found (Status solver.Interrupted). SolveInModel is
// the engine's: trips, reloads, split pickups and the choice of truck type
// inside its model.
type PlantSolver func(ctx context.Context, w *PlantWeek, opt *Options, timeLimit time.Duration) (*PlantPlan, error)

var _ PlantSolver = SolveInModel

// SolvePlants plans every plant's week with solve, opt.Workers plants at a
// time, in a fixed order; each plant has its own seed, so the result does
// not depend on the scheduling of the workers. Each plant may use all the
// time left of opt.TimeLimit (at least 100 ms): its iteration budgets, not
// the clock, should end its search. opt.Progress is told after each plant.
func SolvePlants(ctx context.Context, weeks []PlantWeek, opt *Options, solve PlantSolver) ([]*PlantPlan, error) {
	plans := make([]*PlantPlan, len(weeks))
	errs := make([]error, len(weeks))
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	next := make(chan int)
	for w := 0; w < opt.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				share := max(opt.TimeLimit-time.Since(start), 100*time.Millisecond)
				plans[k], errs[k] = solve(ctx, &weeks[k], opt, share)
				mu.Lock()
				done++
				if opt.Progress != nil {
					opt.Progress(done, len(weeks))
				}
				mu.Unlock()
			}
		}()
	}
	for k := range weeks {
		next <- k
	}
	close(next)
	wg.Wait()
	for k, err := range errs {
		if err != nil {
			return nil, &PlantError{Plant: weeks[k].Plant.ID, Err: err}
		}
	}
	return plans, nil
}

// PlantError is a plant whose week could not be planned.
type PlantError struct {
	Plant string
	Err   error
}

func (e *PlantError) Error() string { return "schedule: plant " + e.Plant + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *PlantError) Unwrap() error { return e.Err }

// unservedReason maps the routing solver's reason onto the sheet's.
func unservedReason(r routing.Reason) string {
	switch r {
	case routing.ReasonCapacity:
		return UnservedCapacity
	case routing.ReasonTimeWindow:
		return UnservedHours
	case routing.ReasonShiftLength:
		return UnservedShift
	}
	return UnservedFleet
}
