// Package routing solves rich vehicle-routing problems: several depots,
// heterogeneous vehicle types with vector capacities (for example kg and
// packs), shift windows and maximum route durations, several trips a day
// per vehicle with a reload time at the depot between them, jobs with
// service times, one or more time windows, allowed vehicle types, optional
// penalties for leaving them unserved, and split pickups (a job larger than
// a vehicle collected in pieces).
//
// A vehicle's route is its day: Route.Trips cut it into depot-to-depot trips
// whose loads each respect the capacity, while the shift, the maximum
// duration and the fixed cost bind the whole day (a reload inside the model,
// as PyVRP's reload depots, not trips packed onto trucks afterwards).
//
// Entry points: Solve (the metaheuristic, exact on tiny problems); Model
// and Plan (routing's own insertion and local search for callers that edit
// a plan job by job, such as package periodic); Problem.LayOut (the solver's
// forward pass, to lay out or retime a vehicle's day). Every limit the
// solver applies is documented on the Problem fields.
//
// It is pure optimisation over a distance and a duration matrix indexed by
// location; it knows nothing of maps or batteries and must not import geo or
// planner. Package routing/validate checks solutions independently.
package routing
