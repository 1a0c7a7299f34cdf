// Package network designs the collection network a week of routes runs on:
//
//	throughput   how much an outlet can take in: its storage limit x the fill
//	             target, emptied as often as the work days allow (Throughput)
//	catchments   cells -> outlets within the radius and within each outlet's
//	             throughput, nearest first, spilling to the next outlet in
//	             reach: a transportation problem (Assign)
//	siting       places and site types (collection outlet, central storage)
//	             and upgrades of existing outlets, chosen together by a
//	             capacitated facility-location model (Site)
//	hubs         outlets beyond every plant's shift reach, emptied by milk
//	             runs from consolidation hubs chosen by a facility-location
//	             model with the hub's fixed cost and line-haul costs (Hubs)
//	line-haul    full truckloads from hubs to plants, booked against plant
//	             intake (BookLinehaul), and the week's legs (Legs)
//	capacity     plant intake over a year against what retires in every
//	             region of the country, and the expansions of listed plants
//	             and new plants that close the shortfall at the least yearly
//	             cost, with a proven bound (PlanCapacity); Apply builds them
//	             into the plants and fleets the week runs on
//
// Every optimisation goes through package solver/location and every answer
// through its independent validator (solver/location/validate) before it is
// used.
//
// It imports planner/domain, geo and solver; never package planner or a
// sibling (package week calls it through the typed values of domain, as
// package planner wires them).
package network
