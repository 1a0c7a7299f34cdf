// Package periodic plans visits over a period of several days (a weekly
// pickup schedule): each job must be visited on exactly the days of one of its
// allowed day patterns, and each day's visits are routed by package routing,
// trips, reloads, split pickups and mixed fleets included.
//
// The solver chooses patterns and routes together. Each day is a
// routing.Plan: jobs enter and leave a day through routing's own cheapest
// insertion and local search, so the periodic search never re-implements
// routing. Jobs whose patterns are all single days float between days
// inside one multi-day routing problem (one vehicle type per day), so
// routing.Solve picks their day; jobs with several visits get their
// pattern from a cheapest-insertion construction and an iterated local
// search that moves one job to another pattern (remove from the days it
// leaves, cheapest insertion into the days it joins) while pricing load and
// time excess with adaptive weights. A joint routing solve with the
// patterns found follows that search, and a ruin and recreate over
// patterns and days ends the solve: a few related jobs leave every day
// they are on and come back one by one with the pattern whose cheapest
// insertions cost least (exact: days are independent), under simulated
// annealing, routing's local search polishing each new best. It is the
// periodic VRP of
// Cordeau, Gendreau & Laporte (1997); package routing/bench reads their
// benchmark set into a Problem.
//
// Like routing, it is pure optimisation over matrices and must not import geo
// or planner. Results are checked by routing/validate.CheckPeriodic.
package periodic
