// Package trace is the chain of custody of retired traction batteries on the
// reverse-logistics leg rlplan plans: the pack codes held at outlets
// (inventory.csv, checked against GB/T 34014), one transfer manifest per trip
// of the route sheet (CSV for systems, printable HTML per truck-day), sample
// inventories and scan files of a faultless week, and the reconciliation of
// scan events (pickups at outlets, receipts at plants) against the plan.
//
// It imports planner/domain and geo, never package planner or a sibling:
// package planner and cmd/rlplan call it. Nothing here depends on the clock;
// the same plan, inventory, scans and seed give the same bytes.
package trace
