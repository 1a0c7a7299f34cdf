// Package periodic plans visits over a period of several days (a weekly
// pickup schedule): each job must be visited on exactly the days of one of its
// allowed day patterns, and each day's visits are routed with routing.Solve.
//
// The solver chooses patterns and routes together: it starts from a pattern
// assignment that balances daily load, routes every day with a small
// iteration budget, then moves single jobs to other patterns (cheapest
// insertion into the new days) and re-optimises the days that changed. It is
// the periodic VRP of Cordeau, Gendreau & Laporte (1997); package
// routing/bench reads their benchmark set into a Problem.
//
// Like routing, it is pure optimisation over matrices and must not import geo
// or planner. Results are checked by routing/validate.CheckPeriodic.
package periodic
