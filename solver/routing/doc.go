// Package routing solves rich vehicle-routing problems: several depots,
// heterogeneous vehicle types with vector capacities (for example kg and
// packs), shift windows and maximum route durations, jobs with service times,
// one or more time windows, allowed vehicle types and optional penalties for
// leaving them unserved.
//
// It is pure optimisation over a distance and a duration matrix indexed by
// location; it knows nothing of maps or batteries and must not import geo or
// planner. Package routing/validate checks solutions independently.
package routing
