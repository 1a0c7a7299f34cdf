// Package report computes and renders what a plan is judged by: today the
// carbon account (collection transport by truck type and load, line-haul,
// and the emissions avoided by recycling the collected packs), with typed
// inputs and outputs, per plant, province and scenario.
//
// It may import planner/domain, never package planner or a sibling: package
// planner builds the inputs from a plan and puts the results into kpis.json
// and report.md.
package report
