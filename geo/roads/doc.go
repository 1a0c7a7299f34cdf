// Package roads turns an OpenStreetMap extract (.osm.pbf) into a road graph
// for loaded trucks and computes road distance and travel-time matrices on it.
//
// The pipeline:
//
//   - Build reads the PBF twice with github.com/paulmach/osm (ways, then only
//     the nodes those ways use), keeps the ways a Profile lets a loaded truck
//     use (highway class, one-way rules, access, hgv and hazmat tags, speeds),
//     merges pass-through nodes into multi-point segments and stores the
//     result as a compact Graph (CSR arcs, int32 E7 coordinates).
//   - Load does the same but keeps a binary cache next to the PBF
//     (FILE.osm.pbf.rlroads), versioned and checked against the PBF's size,
//     modification time and SHA-256 and the profile; a cache that is stale,
//     foreign or corrupt is rebuilt, never trusted.
//   - Snap places points on the nearest segment of the largest strongly
//     connected component (so every snapped pair is mutually reachable) and
//     reports how far each point is from the road.
//   - Matrix runs one Dijkstra per source (or per target, whichever side is
//     smaller) in parallel, each stopped once every target is settled or a
//     bound is passed, and returns km and minutes between every pair, with the
//     pairs it could not connect and why.
//
// Distances are on the sphere of geo.EarthRadius, like geo.Haversine, so road
// km / great-circle km is a detour factor comparable with geo.Detour. Times
// are free-flow driving times at the profile's speeds: no junction delays,
// turn restrictions or traffic (see Profile).
//
// Map data © OpenStreetMap contributors, available under the Open Database
// License (ODbL); a matrix derived from it is a produced work that must
// credit OpenStreetMap.
//
// A Graph is immutable once built or loaded and safe for concurrent use.
// roads imports geo, never planner or solver.
package roads
