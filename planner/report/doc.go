// Package report computes and renders what a plan is judged by and what
// people read of it: the carbon account (collection transport by truck type
// and load, line-haul, and the emissions avoided by recycling the collected
// packs, per plant, province and scenario; carbon.go) and the HTML map (the
// density grid at several levels of detail, province figures, plant
// catchments, the KPI panel and the catalogue of layer kinds; map.go).
//
// It takes typed values that package planner gathers from a plan, and may
// import planner/domain, geo and geo/webmap; never package planner or a
// sibling: package planner builds the inputs and puts the results into
// kpis.json, report.md and map.html. What it writes is deterministic.
package report
