// Package geo holds the spatial primitives of rlplan: great-circle and road
// distances, the H3 density grid, an exact nearest-outlet index over
// tidwall/rtree, distance and duration matrices, and RFC 7946 GeoJSON output.
//
// Conventions:
//   - Points are orb.Point{longitude, latitude} in degrees (WGS 84).
//   - Lengths are Kilometers, times Hours and speeds KmPerHour, distinct
//     types so that units cannot be mixed by accident; distances are on a
//     sphere of EarthRadius (6371.0088 km).
//   - Road distance without a road network is haversine times a Detour
//     factor (default 1.3, valid 1.0 to 3.0); a MatrixSource such as a
//     MemoryMatrix filled from a user's road matrix replaces it.
//   - Values built once and then only read (PointIndex, DistMatrix,
//     MemoryMatrix after its last Set) are safe for concurrent readers.
//   - Output is deterministic: same input, same bytes.
//
// geo must not import planner or solver.
package geo
