package week

import (
	"math"
	"sort"

	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/periodic"
)

// Trip chaining (part of stage 4 until the routing engine plans trips
// inside its model, which replaces this file). The routing engine plans each day as trips that leave the
// plant and come back, one per truck. Pickups of a few tonnes make short
// trips: a truck back from one by mid-morning can unload and go again. After
// the day is solved, its trips of each vehicle type are packed onto trucks:
// a truck takes another trip when, after ReloadMin at the plant, every stop
// of that trip still starts inside its opening hours and the truck is back
// before its shift ends. Trips never change (same stops, same order, same
// km); only the departure times and the number of trucks do, and the number
// of trucks never exceeds the trips the engine planned within the fleet.

// timedTrip is one trip with its timetable.
type timedTrip struct {
	jobs           []int // problem job indexes, in visiting order
	arrival, start []float64
	depart, ret    float64 // leaves the plant, back at the plant (minutes after midnight)
	distance       float64
	firstJob       int // tie-break for a deterministic packing
}

// engineTrip keeps the routing engine's timetable of a route.
func engineTrip(rt routing.Route) timedTrip {
	return timedTrip{jobs: rt.Jobs, arrival: rt.Arrival, start: rt.Start, depart: rt.Depart, ret: rt.Return,
		distance: rt.Distance, firstJob: rt.Jobs[0]}
}

// retime lays out jobs leaving the plant (location 0) at t0: arrival after
// the travel time, service at the earliest start inside a window. ok is
// false when a stop misses every window or the truck is back after shiftEnd.
func retime(p *periodic.Problem, jobs []int, t0, shiftEnd float64) (timedTrip, bool) {
	tt := timedTrip{jobs: jobs, depart: t0, firstJob: jobs[0]}
	t, loc := t0, 0
	for _, j := range jobs {
		jb := p.Jobs[j].Job
		arr := t + p.Duration[loc][jb.Location]
		start, ok := windowStart(jb.Windows, arr)
		if !ok {
			return tt, false
		}
		tt.arrival = append(tt.arrival, arr)
		tt.start = append(tt.start, start)
		tt.distance += p.Distance[loc][jb.Location]
		t, loc = start+jb.Service, jb.Location
	}
	tt.ret = t + p.Duration[loc][0]
	tt.distance += p.Distance[loc][0]
	return tt, tt.ret <= shiftEnd+1e-9
}

// windowStart is the earliest service start at or after arr inside one of
// ws (no windows: any time).
func windowStart(ws []routing.TimeWindow, arr float64) (float64, bool) {
	if len(ws) == 0 {
		return arr, true
	}
	best, ok := math.Inf(1), false
	for _, w := range ws {
		if arr <= w.Close {
			best, ok = math.Min(best, math.Max(arr, w.Open)), true
		}
	}
	return best, ok
}

// chainTrips packs one day's routes of one vehicle type onto trucks, first
// fit by decreasing trip length: each truck's first trip keeps the engine's
// timetable; a later trip leaves reload minutes after the truck is back and
// is retimed. A truck makes at most maxTrips trips. The result lists the
// trucks, each with its trips in time order.
func chainTrips(p *periodic.Problem, routes []routing.Route, shiftEnd, reload float64, maxTrips int) [][]timedTrip {
	trips := make([]timedTrip, 0, len(routes))
	for _, rt := range routes {
		if len(rt.Jobs) > 0 {
			trips = append(trips, engineTrip(rt))
		}
	}
	sort.SliceStable(trips, func(a, b int) bool {
		da, db := trips[a].ret-trips[a].depart, trips[b].ret-trips[b].depart
		if da != db {
			return da > db
		}
		return trips[a].firstJob < trips[b].firstJob
	})
	var trucks [][]timedTrip
	for _, tt := range trips {
		placed := false
		for k, tr := range trucks {
			if len(tr) >= maxTrips {
				continue
			}
			last := tr[len(tr)-1]
			if next, ok := retime(p, tt.jobs, last.ret+reload, shiftEnd); ok {
				trucks[k] = append(tr, next)
				placed = true
				break
			}
		}
		if !placed {
			trucks = append(trucks, []timedTrip{tt})
		}
	}
	return trucks
}

// packWeek packs every day's trips of every vehicle type onto trucks:
// trucks[d][t] are the trucks of type t on day d+1, each with its trips in
// time order. fits reports whether no day needs more trucks of a type than
// the fleet has.
func packWeek(p *periodic.Problem, res *periodic.Result, fleet []domain.FleetRow, opt *Options) (trucks [][][][]timedTrip, fits bool) {
	fits = true
	trucks = make([][][][]timedTrip, len(res.Days))
	for d, routes := range res.Days {
		byType := make([][]routing.Route, len(fleet))
		for _, rt := range routes {
			byType[rt.Type] = append(byType[rt.Type], rt)
		}
		trucks[d] = make([][][]timedTrip, len(fleet))
		for ti, rts := range byType {
			trucks[d][ti] = chainTrips(p, rts, p.Vehicles[ti].ShiftEnd, opt.ReloadMin, opt.TripsPerDay)
			if len(trucks[d][ti]) > fleet[ti].Count {
				fits = false
			}
		}
	}
	return trucks, fits
}

// laidOut turns packed trips into the stage's trucks: every stop with its
// times, its leg and what it collects on the pattern chosen for its job.
func laidOut(w *PlantWeek, p *periodic.Problem, patterns []uint32, packed [][][][]timedTrip) [][]Truck {
	days := make([][]Truck, len(packed))
	for d, byType := range packed {
		for ti, trucks := range byType {
			for k, trips := range trucks {
				tr := Truck{Type: ti, Number: k + 1}
				for _, tt := range trips {
					trip := Trip{Leave: tt.depart, Return: tt.ret, Km: tt.distance}
					prevLoc := 0
					for s, j := range tt.jobs {
						loc := p.Jobs[j].Location
						kg, packs := w.Jobs[j].Collect(patterns[j], d)
						trip.Stops = append(trip.Stops, TripStop{Job: j, Arrive: tt.arrival[s], Start: tt.start[s], Depart: tt.start[s] + p.Jobs[j].Service,
							Km: p.Distance[prevLoc][loc], Kg: kg, Packs: packs})
						prevLoc = loc
					}
					tr.Trips = append(tr.Trips, trip)
				}
				days[d] = append(days[d], tr)
			}
		}
	}
	return days
}
