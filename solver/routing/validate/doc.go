// Package validate checks routing solutions independently of the solver that
// produced them.
//
// It reads routing.Problem and routing.Result as plain data and recomputes
// everything from scratch (coverage, fleet, capacities, time windows, shifts,
// distances, durations and costs). It must not call any function or method of
// package routing (not even Problem.Check), nor share code with the solver:
// a bug shared by solver and validator would pass unnoticed. Benchmark code
// uses Build and Recompute to score solutions with the validator's own
// arithmetic rather than trusting reported costs.
//
// CheckPeriodic does the same for periodic (multi-day) results: every job is
// visited on exactly the days of one of its allowed patterns.
package validate
