// Package datasets embeds rlplan's default inputs: vehicle stock by city and
// model year, vehicle types with their lifetimes, collection outlets,
// recycling plants and their fleets, cost figures for network design and
// province boundaries, derived from public data or stated as synthetic or
// assumed (see README.md and provenance.csv).
//
// The files are produced by the deterministic generator in internal/gen from
// the shared reference data and committed; tests check that regenerating
// gives identical bytes. This package only serves bytes (FS, Open, Export):
// parsing and validation of the tables live in planner, so that user-supplied
// files and the defaults go through the same checks. It imports nothing from
// rlplan.
package datasets
