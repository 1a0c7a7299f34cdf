// Package bench reads the public routing benchmark sets kept in
// shared/bench (CVRPLIB X, Solomon and Gehring-Homberger VRPTW, Cordeau
// MDVRP and PVRP, with their best-known-solution tables and published
// solutions), converts them to routing.Problem or periodic.Problem under each
// family's conventions, and runs a solver over a folder of instances, scoring
// every result with package validate rather than trusting reported costs.
//
// Readers never panic on malformed input; their errors name the file, the
// line and what was expected. Each family's conventions (distance rounding,
// fleet, duration limits, pattern bit order) are documented at its reader.
// The package is for benchmarks and tests; production code does not import it.
package bench
