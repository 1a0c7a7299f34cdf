// Package geo holds the spatial primitives of rlplan: great-circle and road
// distances, the H3 density grid, an exact nearest-outlet index over
// tidwall/rtree, distance and duration matrices, and RFC 7946 GeoJSON output.
//
// geo must not import planner or solver.
package geo
