// Package domain holds the types every stage of the planner shares (vehicle
// stock, vehicle types, places, outlets, plants, fleets, density cells,
// regions) and the strict readers of the input tables.
//
// It imports no other planner package: forecast, network, week, trace and
// report build on it, and package planner orchestrates them.
package domain
