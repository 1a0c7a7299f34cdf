// Package location solves facility-location problems over sparse distances:
// maximal covering, p-median, capacitated facility location and set cover,
// with facilities that are already open, and reports lower bounds.
//
// It is pure optimisation over ids, weights and distances: it must not import
// geo or planner.
//
// # Model
//
// A Problem has demand points (weights), facilities (candidate sites and
// outlets already open, each with a fixed cost and an optional capacity) and
// sparse distance rows: each demand lists the facilities it may use (within
// a cutoff, or its k nearest) in compressed sparse rows with int32 ids, so a
// national instance of 10^5 demands × 40 neighbours takes tens of MB. A pair
// that is not listed cannot be used; a demand with no usable facility is
// unserved and pays Problem.UnservedCost per unit of weight (MaxCover and
// SetCover simply count it as uncovered). Capacities apply to every
// objective: demand is assigned to open facilities within capacity, split
// across facilities (a transportation problem) or whole (SingleSource).
//
// # One entry point
//
// Solve(ctx, problem, settings) dispatches on Problem.Objective, in the
// style of gonum's optimize.Minimize, under the contract of package solver:
// Settings' zero value means the documented defaults (DefaultTimeLimit,
// DefaultMaxIterations, ...), stated on each field; Problem.Validate is the
// structural check (Solve calls it first); Result.Status is a solver.Status
// (optimal, iteration_limit, time_limit, interrupted, infeasible) and the
// seed a solver.Seed. Cancelling ctx or running out of time returns the best
// solution found so far.
//
// Every result can be checked by package solver/location/validate, which
// shares no code with the solver: the planner runs it on every siting
// answer, the tests and `rlplan bench location` on every result.
//
// # Methods
//
//   - Uncapacitated PMedian, MaxCover and FacilityLocation: lazy greedy
//     construction, then the fast interchange of Whitaker (1983) with the
//     gain/loss/extra bookkeeping of Resende & Werneck (2003): each insertion
//     candidate is scored against every removal in O(|its list|) and only the
//     demands listing the two facilities of a move are updated. A variable
//     neighbourhood search (random k-swaps) continues from the best solution
//     and from the best Lagrangian iterate.
//   - With capacities: the Lagrangian heuristic of Beasley (1988) — the
//     iterates' site sets are repaired to enough capacity and scored
//     exactly by a network-simplex transportation solve, as often as a third
//     of the bound's effort allows — then a local search over add, drop and
//     swap moves ranked by transportation duals, iterated from an elite pool
//     with random and dual-guided kicks. Where one exact transportation
//     problem is expensive (national instances: a second or more), moves are
//     scored on regions: only the demands a move touches and the other
//     customers of their nearest options are re-optimised, every other flow
//     fixed (region.go), and the whole problem is re-solved only at local
//     optima. With SingleSource the assignment is a regret/multi-order
//     construction with shift and swap repair (a heuristic for the
//     generalised assignment).
//   - SetCover: cost-effectiveness greedy, redundancy elimination and
//     drop-and-refill local search with randomised restarts; under
//     capacities also Beasley's heuristic on the cover bound's iterates
//     (each site set completed greedily to the target, pruned and scored
//     by the transportation solve).
//
// # Bounds
//
// Every Result carries Bound and Gap, with HasBound false when the run
// stopped before the bound's first iterate (or BoundIterations < 0).
// PMedian and FacilityLocation relax
// "each demand is assigned once" (Σ_i x_ij + u_j = 1) with multipliers λ_j:
// each facility then solves its own subproblem (a continuous knapsack when it
// has a capacity, which makes the bound the strong LP relaxation of the
// capacitated problem, valid for single-source too). MaxCover uses the
// coverage-form relaxation of z_j <= Σ y_i (an upper bound on the covered
// weight). Uncapacitated SetCover uses the partial-cover relaxation with a
// fractional knapsack for the target; under capacities (coverbound.go) the
// strong linear relaxation of capacitated partial cover — capacity rows,
// x_ij <= y_i and the target row kept — by relaxing "each demand is covered
// at most once": each facility then solves the continuous knapsack of
// facility location and the target becomes a fractional knapsack over the
// demands (the target row's multiplier optimised out exactly), so the same
// volume algorithm, reduced-cost fixing and branch and bound serve it. The
// partial-cover relaxation ignores capacities and lets a fraction of a site
// cover whole demands: on the typed Guangdong siting it left a 79 % gap
// where the strong relaxation leaves 4-8 %, which is the LP's integrality
// gap (cbc's root LP gives the same value). Bounds are rounded up when every
// cost is an integer.
//
// The multipliers of the assignment relaxation follow the volume algorithm
// (Barahona & Anbil 2000), which
// converges far faster than plain subgradient steps on large instances
// (Barahona & Chudak 2005). Capacitated FacilityLocation starts them from the
// duals of the weak linear relaxation (sites paid per unit of capacity: one
// transportation problem with every site open), whose value they bound from
// below at once; capacitated SetCover from one price per unit of weight a
// little above the cheapest site's; the other objectives from the first
// solution's costs or
// transportation duals. With Workers > 1 each evaluation is split between
// goroutines.
//
// Reduced-cost fixing at the bound's best multipliers removes sites no
// better solution can open and locks those every better solution opens.
// When at most 15 remain undecided, enumerating their subsets proves the
// best optimal (for capacitated SetCover cheapest subset first, so the first
// that reaches the target ends it); for capacitated FacilityLocation with
// split demand and capacitated SetCover, up to
// 64 undecided sites on a small model go to a branch and bound (branch.go)
// whose nodes force sites open or closed, bound by the Lagrangian
// warm-started from the parent's multipliers, fix further sites by their
// values and score the node's site set exactly; a tree explored within its
// work budget (counted in work, not time) proves the best optimal. The
// national typed siting is a sum of such small components (package
// planner/network).
//
// # Determinism
//
// The same Problem, Settings and Seed give the same search path. A run that
// ends on MaxIterations or on a closed gap is reproducible bit for bit; a run
// cut by TimeLimit or ctx stops at a point that depends on machine speed.
// The solver starts goroutines only when Settings.Workers > 1: the bound's
// evaluations are split between them (fixed ranges, sums merged in order),
// and each worker runs the improvement phase with its own state and seed,
// the best result winning (ties to the lowest worker), so iteration-bounded
// runs with the same Workers stay reproducible.
//
// The benchmark readers (OR-Library pmed, cap, optimal.csv) and the runner
// behind `rlplan bench location` live in the bench subpackage.
package location
