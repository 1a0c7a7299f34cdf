// Package week plans a week of pickups as a pipeline of named stages, each
// taking and returning typed values, each testable alone:
//
//	catchments   cells -> outlets within the radius: kg and packs a day per
//	             outlet, and what no outlet collects, by cause
//	             (NearestOutlet; a throughput-aware CatchmentFunc can replace it)
//	visit rules  storage limits -> cycle weeks and allowed day patterns of each
//	             outlet due this week (VisitRules)
//	assignment   due outlets -> plants in reach with intake and trucks left
//	             (AssignPlants)
//	per-plant    one periodic routing problem per plant, trucks making
//	solve        trips with reloads and split pickups inside the model
//	             (SolvePlants with a PlantSolver: SolveInModel)
//	sheet        the route sheet and its summaries (Assemble), and the plan
//	             record `rlplan check` needs (Record)
//
// package planner runs the stages in order (planner.PlanWeekCells) and has
// the sheet, as written, checked by planner/sheetcheck.
//
// It imports planner/domain, geo and solver; never package planner or a
// sibling of its own (sheetcheck must stay independent of the writer).
package week
