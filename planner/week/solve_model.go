package week

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/periodic"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

// SolveInModel is the PlantSolver: the periodic engine plans the plant's
// week with trips, reloads and split pickups inside its model. Each truck of
// the plant's fleet is one vehicle making up to TripsPerDay trips a day,
// ReloadMin at the plant between them, inside one shift; a pickup larger
// than the plant's smallest truck is collected in pieces (on several
// trucks or trips, or on a larger truck); each pickup rides the type the
// costs choose. The engine's independent validator checks the plan, and the
// trucks' days are laid out by the engine's own forward pass
// (routing.Problem.LayOut), the timetable the sheet prints.
func SolveInModel(ctx context.Context, w *PlantWeek, opt *Options, timeLimit time.Duration) (*PlantPlan, error) {
	settings := &periodic.Settings{TimeLimit: timeLimit, Seed: solver.Seed(opt.Seed + int64(w.Index)),
		MaxIterations:     int(math.Ceil(opt.Effort * scheduleRounds)),
		RoutingIterations: int(math.Ceil(opt.Effort * scheduleRoutingIterations)),
		SearchIterations:  int(math.Ceil(opt.Effort * periodic.DefaultSearchIterations)), ConsistencyCost: opt.ConsistencyCost}
	prob := plantProblem(w, opt)
	prob.Previous = w.Previous
	res, err := periodic.Solve(ctx, prob, settings)
	if err != nil {
		return nil, err
	}
	if verr := validate.CheckPeriodic(prob, res); verr != nil {
		return nil, fmt.Errorf("internal error: the plan violates its own limits, please report it: %w", verr)
	}
	days, err := trucksOf(w, prob, res)
	if err != nil {
		return nil, err
	}
	plan := &PlantPlan{Patterns: res.Patterns, Days: days, Status: res.Status}
	for _, u := range res.Unserved {
		plan.Unserved = append(plan.Unserved, Unplanned{Job: u.Job, Reason: unservedReason(u.Reason), Detail: u.Detail})
	}
	return plan, nil
}

// trucksOf lays out the engine's routes as the stage's trucks: every trip
// with its stops, the times of the engine's forward pass, each stop's leg
// and what it collects (a piece of a split pickup its share of the visit).
func trucksOf(w *PlantWeek, p *periodic.Problem, res *periodic.Result) ([][]Truck, error) {
	day := &routing.Problem{Distance: p.Distance, Duration: p.Duration, Vehicles: p.Vehicles}
	for _, j := range p.Jobs {
		day.Jobs = append(day.Jobs, j.Job)
	}
	days := make([][]Truck, len(res.Days))
	for d, routes := range res.Days {
		for _, rt := range routes {
			laid, err := day.LayOut(rt.Type, visitsOf(rt), rt.Depart)
			if err != nil {
				return nil, fmt.Errorf("internal error: day %d, %s truck %d: %w", d+1, p.Vehicles[rt.Type].ID, rt.Vehicle+1, err)
			}
			days[d] = append(days[d], truckOf(w, day, res.Patterns, d, laid, rt.Vehicle))
		}
	}
	return days, nil
}

// visitsOf is a route's trips as LayOut reads them.
func visitsOf(rt routing.Route) [][]routing.Visit {
	trips := make([][]routing.Visit, len(rt.Trips))
	for k, tr := range rt.Trips {
		for i := tr.From; i < tr.To; i++ {
			trips[k] = append(trips[k], routing.Visit{Job: rt.Jobs[i], Amount: rt.Amounts[i]})
		}
	}
	return trips
}

// truckOf is truck number vehicle+1 of a laid-out route on day d (0-based).
func truckOf(w *PlantWeek, p *routing.Problem, patterns []uint32, d int, rt routing.Route, vehicle int) Truck {
	tr := Truck{Type: rt.Type, Number: vehicle + 1}
	for _, t := range rt.Trips {
		trip := Trip{Leave: t.Depart, Return: t.Return, Km: t.Distance}
		prev := 0 // the plant
		for i := t.From; i < t.To; i++ {
			j := rt.Jobs[i]
			job := &p.Jobs[j]
			kg, packs := w.Jobs[j].Collect(patterns[j], d)
			kg *= part(rt.Amounts[i][0], job.Amount[0])
			packs *= part(rt.Amounts[i][1], job.Amount[1])
			trip.Stops = append(trip.Stops, TripStop{Job: j, Arrive: rt.Arrival[i], Start: rt.Start[i],
				Depart: rt.Start[i] + job.VisitService(rt.Amounts[i]), Km: p.Distance[prev][job.Location], Kg: kg, Packs: packs})
			prev = job.Location
		}
		tr.Trips = append(tr.Trips, trip)
	}
	return tr
}

// part is the share a of whole (1 when whole is 0).
func part(a, whole int64) float64 {
	if whole == 0 {
		return 1
	}
	return float64(a) / float64(whole)
}
