package validate

import (
	"math"

	"github.com/rlplan/rlplan/solver/routing"
)

// Totals are a result's figures recomputed by the validator.
type Totals struct {
	// Cost = route costs (fixed + distance + duration, with the reported
	// Return-Depart as duration) + penalties of unserved jobs.
	Cost     float64
	Distance float64
	Routes   int // routes with at least one job
	// Unserved counts jobs in Unserved; Mandatory those with Penalty 0.
	Unserved  int
	Mandatory int
}

// Recompute scores r with the validator's own arithmetic. Routes whose
// type, job indexes, amounts or trips are malformed are skipped (Check
// reports them). An unserved job with a penalty costs the penalty times the
// share of its amount the routes leave (all of it unless split).
func Recompute(p *routing.Problem, r *routing.Result) Totals {
	var t Totals
	got := make([][]int64, len(p.Jobs))
	for ri := range r.Routes {
		rt := &r.Routes[ri]
		if !routeIndexesOK(p, rt) {
			continue
		}
		for k := range rt.Trips {
			t.Distance += evalTrip(p, rt, k).Distance
		}
		t.Cost += routeCost(p.Vehicles[rt.Type], tripsDistance(p, rt), rt.Return-rt.Depart)
		if len(rt.Jobs) > 0 {
			t.Routes++
		}
		for i, j := range rt.Jobs {
			if got[j] == nil {
				got[j] = make([]int64, len(p.Jobs[j].Amount))
			}
			for d, a := range rt.Amounts[i] {
				got[j][d] += a
			}
		}
	}
	for _, u := range r.Unserved {
		t.Unserved++
		if u.Job < 0 || u.Job >= len(p.Jobs) {
			continue
		}
		job := p.Jobs[u.Job]
		if job.Penalty == 0 {
			t.Mandatory++
			continue
		}
		left := append([]int64(nil), job.Amount...)
		for d := range left {
			if got[u.Job] != nil {
				left[d] -= got[u.Job][d]
			}
		}
		t.Cost += job.Penalty * share(job, left)
	}
	return t
}

// routeIndexesOK reports whether a route can be walked: type, depots and job
// indexes in range, one amount of the right size per visit, and trips that
// cut the visits in order.
func routeIndexesOK(p *routing.Problem, rt *routing.Route) bool {
	if !buildable(p, rt) || len(rt.Amounts) != len(rt.Jobs) {
		return false
	}
	for i := range rt.Jobs {
		if len(rt.Amounts[i]) != len(p.Vehicles[rt.Type].Capacity) {
			return false
		}
	}
	next := 0
	for _, tr := range rt.Trips {
		if tr.From != next || tr.To < tr.From || tr.To > len(rt.Jobs) {
			return false
		}
		next = tr.To
	}
	return next == len(rt.Jobs)
}

// buildable reports whether a route's type, its depots and its jobs'
// locations are in range.
func buildable(p *routing.Problem, rt *routing.Route) bool {
	n := len(p.Distance)
	if rt.Type < 0 || rt.Type >= len(p.Vehicles) {
		return false
	}
	vt := p.Vehicles[rt.Type]
	if vt.Start < 0 || vt.Start >= n || vt.End < 0 || vt.End >= n {
		return false
	}
	for _, j := range rt.Jobs {
		if j < 0 || j >= len(p.Jobs) || p.Jobs[j].Location < 0 || p.Jobs[j].Location >= n {
			return false
		}
	}
	return true
}

// tripEval is the order-dependent part of a trip that needs no schedule.
type tripEval struct {
	Distance float64
	Load     []int64
}

// tripOrigin is where trip k of a vehicle of type vt leaves from.
func tripOrigin(vt routing.VehicleType, k int) int {
	if k == 0 {
		return vt.Start
	}
	return vt.End
}

// evalTrip recomputes trip k of rt (indexes valid): from its origin through
// its visits back to End, and the amounts it collects.
func evalTrip(p *routing.Problem, rt *routing.Route, k int) tripEval {
	vt := p.Vehicles[rt.Type]
	tr := rt.Trips[k]
	ev := tripEval{Load: make([]int64, len(vt.Capacity))}
	at := tripOrigin(vt, k)
	for i := tr.From; i < tr.To; i++ {
		job := p.Jobs[rt.Jobs[i]]
		ev.Distance += p.Distance[at][job.Location]
		for d, a := range rt.Amounts[i] {
			ev.Load[d] += a
		}
		at = job.Location
	}
	ev.Distance += p.Distance[at][vt.End]
	return ev
}

// tripsDistance is the distance of all trips of rt.
func tripsDistance(p *routing.Problem, rt *routing.Route) float64 {
	d := 0.0
	for k := range rt.Trips {
		d += evalTrip(p, rt, k).Distance
	}
	return d
}

// RouteDistance is the distance of visiting jobs in order on one trip with
// a vehicle of type typ, depot to depot. Indexes must be valid.
func RouteDistance(p *routing.Problem, typ int, jobs []int) float64 {
	vt := p.Vehicles[typ]
	if len(jobs) == 0 && vt.Start == vt.End {
		return 0
	}
	d, at := 0.0, vt.Start
	for _, j := range jobs {
		d += p.Distance[at][p.Jobs[j].Location]
		at = p.Jobs[j].Location
	}
	return d + p.Distance[at][vt.End]
}

func travel(p *routing.Problem, i, j int) float64 {
	if p.Duration != nil {
		return p.Duration[i][j]
	}
	return p.Distance[i][j]
}

// forward computes the earliest schedule for a departure time; win[i] is the
// index of the window used (-1 none / no windows).
func forward(p *routing.Problem, vt routing.VehicleType, jobs []int, depart float64) (arr, start []float64, win []int, ret float64) {
	arr = make([]float64, len(jobs))
	start = make([]float64, len(jobs))
	win = make([]int, len(jobs))
	at, free := vt.Start, depart
	for i, j := range jobs {
		job := p.Jobs[j]
		a := free + travel(p, at, job.Location)
		s, w := a, -1
		for k, tw := range job.Windows {
			if a <= tw.Close {
				s, w = math.Max(a, tw.Open), k
				break
			}
		}
		arr[i], start[i], win[i] = a, s, w
		at, free = job.Location, s+job.Service
	}
	if len(jobs) == 0 && vt.Start == vt.End {
		return arr, start, win, depart
	}
	return arr, start, win, free + travel(p, at, vt.End)
}

// BuildRoute fills in the schedule, distance, duration, load and cost of a
// one-trip route collecting whole jobs, given its Type, Vehicle and Jobs. It departs at the shift start,
// then as late as possible without moving the return, so that the duration
// is the shortest for this visiting order (the figure MaxDuration limits).
// Indexes must be valid (see Check).
func BuildRoute(p *routing.Problem, typ, vehicle int, jobs []int) routing.Route {
	vt := p.Vehicles[typ]
	arr, start, win, ret := forward(p, vt, jobs, vt.ShiftStart)
	// Delay the departure by the waiting that can be absorbed: delaying by
	// d moves service k by max(0, d - waits up to k) and must keep it in
	// its window.
	delay, cum := math.Inf(1), 0.0
	for i, j := range jobs {
		cum += start[i] - arr[i]
		if win[i] >= 0 {
			delay = math.Min(delay, p.Jobs[j].Windows[win[i]].Close-start[i]+cum)
		}
	}
	delay = math.Min(delay, cum)
	if delay > 0 {
		a2, s2, _, r2 := forward(p, vt, jobs, vt.ShiftStart+delay)
		if r2 <= ret {
			arr, start, ret = a2, s2, r2
			ret = math.Max(ret, vt.ShiftStart+delay)
			return finishRoute(p, typ, vehicle, jobs, arr, start, vt.ShiftStart+delay, ret)
		}
	}
	return finishRoute(p, typ, vehicle, jobs, arr, start, vt.ShiftStart, ret)
}

func finishRoute(p *routing.Problem, typ, vehicle int, jobs []int, arr, start []float64, depart, ret float64) routing.Route {
	vt := p.Vehicles[typ]
	rt := routing.Route{
		Type: typ, Vehicle: vehicle, Jobs: append([]int(nil), jobs...),
		Arrival: arr, Start: start, Depart: depart, Return: ret,
		Duration: ret - depart, Load: make([]int64, len(vt.Capacity)),
	}
	for _, j := range jobs {
		rt.Amounts = append(rt.Amounts, append([]int64(nil), p.Jobs[j].Amount...))
	}
	if len(jobs) > 0 {
		rt.Trips = []routing.Trip{{From: 0, To: len(jobs), Depart: depart, Return: ret}}
		ev := evalTrip(p, &rt, 0)
		rt.Trips[0].Distance, rt.Trips[0].Load = ev.Distance, ev.Load
		rt.Distance = ev.Distance
		copy(rt.Load, ev.Load)
	}
	rt.Cost = routeCost(vt, rt.Distance, ret-depart)
	return rt
}

// Build turns visiting orders into a complete Result (schedules, loads,
// costs and totals) with the validator's arithmetic, for scoring published
// solutions and for tests. Only Type, Vehicle and Jobs of each input route
// are read: each route is one trip collecting whole jobs. Jobs that appear in no route are not added to Unserved, so
// Check reports them.
func Build(p *routing.Problem, routes []routing.Route) *routing.Result {
	r := &routing.Result{} // Status stays solver.Unknown: nothing was solved
	for _, in := range routes {
		if !buildable(p, &in) {
			// Keep it as given so that Check reports it.
			r.Routes = append(r.Routes, in)
			continue
		}
		r.Routes = append(r.Routes, BuildRoute(p, in.Type, in.Vehicle, in.Jobs))
	}
	t := Recompute(p, r)
	r.Cost, r.Distance = t.Cost, t.Distance
	return r
}
