// Package solver holds the contract every optimiser of rlplan shares
// (solver/location, solver/routing, solver/routing/periodic): one Status
// vocabulary, one Seed type, and the meaning of limits.
//
// The contract, which each solver package documents on its own Settings:
//   - Solve(ctx, *Problem, *Settings) (*Result, error); a nil or zero
//     Settings means the documented defaults, field by field: a zero limit
//     (TimeLimit, MaxIterations, ...) always means "the documented default",
//     never "none" and never "stop at once".
//   - A cancelled ctx or an exhausted limit returns the best solution found
//     so far with the Status that says why it stopped; an error means the
//     problem itself is invalid.
//   - The Result carries Cost, Bound and Gap (HasBound false when the solver
//     proves no bound), Iterations, Elapsed and Status.
//   - The same Problem, Settings and Seed give the same Result when the run
//     ends on an iteration limit or on proof; a time limit or a cancellation
//     stops the same search path at a point that depends on machine speed.
//   - Each solver package has a Validate function in an independent package
//     (sharing no code with the solver) that checks a Result against its
//     Problem.
//
// This package imports nothing of rlplan.
package solver
