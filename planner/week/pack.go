package week

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing/periodic"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

// SolveAndPack is today's PlantSolver: the periodic engine plans the week
// with each truck counted as TripsPerDay vehicles (its possible trips of a
// day), then each day's trips are packed onto the real trucks (trips.go).
// When the trips do not fit the fleet, the plant is planned again with one
// trip fewer per truck, down to one trip per truck (which always fits); an
// interrupted plant whose trips do not fit gets a quick one-trip plan.
func SolveAndPack(ctx context.Context, w *PlantWeek, opt *Options, timeLimit time.Duration) (*PlantPlan, error) {
	settings := &periodic.Settings{TimeLimit: timeLimit, Seed: solver.Seed(opt.Seed + int64(w.Index)),
		MaxIterations:     int(math.Ceil(opt.Effort * scheduleRounds)),
		RoutingIterations: int(math.Ceil(opt.Effort * scheduleRoutingIterations))}
	trips := opt.TripsPerDay
	prob, res, err := solvePeriodic(ctx, w, opt, trips, settings)
	var packed [][][][]timedTrip
	for err == nil {
		var fits bool
		if packed, fits = packWeek(prob, res, w.Fleet, opt); fits || trips == 1 {
			break // one trip per truck always fits
		}
		if ctx.Err() != nil {
			// Interrupted with trips that do not fit the fleet: a quick
			// one-trip plan is the best that is valid.
			trips = 1
			quick := &periodic.Settings{TimeLimit: 5 * time.Second, Seed: settings.Seed, MaxIterations: 1, RoutingIterations: 1}
			if prob, res, err = solvePeriodic(context.Background(), w, opt, trips, quick); err == nil {
				res.Status = solver.Interrupted
			}
			continue
		}
		trips--
		prob, res, err = solvePeriodic(ctx, w, opt, trips, settings)
	}
	if err != nil {
		return nil, err
	}
	plan := &PlantPlan{Patterns: res.Patterns, Days: laidOut(w, prob, res.Patterns, packed), Status: res.Status, TripsPerTruck: trips}
	for _, u := range res.Unserved {
		plan.Unserved = append(plan.Unserved, Unplanned{Job: u.Job, Reason: unservedReason(u.Reason), Detail: u.Detail})
	}
	return plan, nil
}

// solvePeriodic solves the plant's week with tripsPerTruck trips per truck
// and has the engine's own independent validator check the result.
func solvePeriodic(ctx context.Context, w *PlantWeek, opt *Options, tripsPerTruck int, s *periodic.Settings) (*periodic.Problem, *periodic.Result, error) {
	prob := plantProblem(w, opt, tripsPerTruck)
	res, err := periodic.Solve(ctx, prob, s)
	if err == nil {
		if verr := validate.CheckPeriodic(prob, res); verr != nil {
			err = fmt.Errorf("internal error: the plan violates its own limits, please report it: %w", verr)
		}
	}
	return prob, res, err
}
