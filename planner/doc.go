// Package planner is the domain and the pipeline of rlplan: scenario and
// input loading, the retirement forecast, density grid, coverage, siting and
// weekly scheduling orchestration, KPIs and exports.
//
// It imports geo and the solver packages; nothing below it imports planner.
package planner
