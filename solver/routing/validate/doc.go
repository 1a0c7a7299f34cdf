// Package validate checks routing solutions independently of the solver that
// produced them.
//
// It reads routing.Problem and routing.Result as plain data and recomputes
// everything from scratch with its own forward pass: coverage, fleet,
// capacities of every trip, time windows, shifts, trips of one vehicle
// (in order, none before the previous return plus the reload time, no more
// than the type makes), split pickups (pieces only for splittable jobs,
// adding up to the job with what Unserved reports left), service times of
// pieces, distances, durations and costs. It must not call any function or
// method of package routing (not even Problem.Validate or
// Job.VisitService), nor share code with the solver: a bug shared by solver
// and validator would pass unnoticed. Benchmark code uses Build and
// Recompute to score solutions with the validator's own arithmetic rather
// than trusting reported costs.
//
// CheckPeriodic does the same for periodic (multi-day) results: every job is
// collected in full on exactly the days of one of its allowed patterns.
package validate
