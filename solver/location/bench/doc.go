// Package bench reads the OR-Library facility-location benchmarks (Beasley's
// pmed p-median graphs, cap capacitated warehouse files and their
// capa/capb/capc templates, optimal.csv) and runs location.Solve over a
// folder of them for `rlplan bench location`.
//
// Readers never panic on malformed input: every error is a *ParseError that
// names the file, line and column and says what was expected. Each reader
// has a native fuzz target with a seed corpus under testdata/fuzz, e.g.
//
//	go test -run '^$' -fuzz '^FuzzReadCap$' -fuzztime 30s ./solver/location/bench
//
// Conventions (see ../shared/bench/README.md): pmed distances are shortest
// paths and the last duplicate edge wins; cap files are token streams; cflp
// optima are multi-source (split demand), so the capacitated problem keeps
// demand as weight and allocation cost / demand as unit distance; ufl ignores
// capacities. Optima are compared with a relative tolerance of 1e-6.
//
// It imports location only; location must not import it.
package bench
