// Package location solves facility-location problems over sparse distances:
// maximal covering, p-median, capacitated facility location and set cover,
// with facilities that are already open, and reports lower bounds.
//
// It is pure optimisation over ids, weights and distances: it must not import
// geo or planner.
package location
