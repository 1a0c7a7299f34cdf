// Package datasets embeds rlplan's default inputs: vehicle stock by city and
// model year, collection outlets, recycling plants and their fleets, and
// province boundaries, all derived from public data (see README.md).
package datasets
