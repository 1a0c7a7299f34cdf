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

// Recompute scores r with the validator's own arithmetic. Routes with an
// invalid type or job index are skipped (Check reports them).
func Recompute(p *routing.Problem, r *routing.Result) Totals {
	var t Totals
	for ri := range r.Routes {
		rt := &r.Routes[ri]
		if !routeIndexesOK(p, rt) {
			continue
		}
		ev := evalSequence(p, rt.Type, rt.Jobs)
		t.Distance += ev.Distance
		t.Cost += routeCost(p.Vehicles[rt.Type], ev.Distance, rt.Return-rt.Depart)
		if len(rt.Jobs) > 0 {
			t.Routes++
		}
	}
	for _, u := range r.Unserved {
		t.Unserved++
		if u.Job < 0 || u.Job >= len(p.Jobs) {
			continue
		}
		if pen := p.Jobs[u.Job].Penalty; pen > 0 {
			t.Cost += pen
		} else {
			t.Mandatory++
		}
	}
	return t
}

func routeIndexesOK(p *routing.Problem, rt *routing.Route) bool {
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

// seqEval is the order-dependent part of a route that needs no schedule.
type seqEval struct {
	Distance float64
	Load     []int64
}

func evalSequence(p *routing.Problem, typ int, jobs []int) seqEval {
	vt := p.Vehicles[typ]
	dims := len(vt.Capacity)
	for _, j := range jobs {
		if len(p.Jobs[j].Amount) > dims {
			dims = len(p.Jobs[j].Amount)
		}
	}
	ev := seqEval{Load: make([]int64, dims)}
	at := vt.Start
	for _, j := range jobs {
		job := p.Jobs[j]
		ev.Distance += p.Distance[at][job.Location]
		for d, a := range job.Amount {
			ev.Load[d] += a
		}
		at = job.Location
	}
	ev.Distance += p.Distance[at][vt.End]
	if len(jobs) == 0 && vt.Start == vt.End {
		ev.Distance = 0
	}
	return ev
}

// RouteDistance is the distance of visiting jobs in order with a vehicle of
// type typ, depot to depot. Indexes must be valid.
func RouteDistance(p *routing.Problem, typ int, jobs []int) float64 {
	return evalSequence(p, typ, jobs).Distance
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
// route given its Type, Vehicle and Jobs. It departs at the shift start,
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
	ev := evalSequence(p, typ, jobs)
	return routing.Route{
		Type: typ, Vehicle: vehicle, Jobs: append([]int(nil), jobs...),
		Arrival: arr, Start: start, Depart: depart, Return: ret,
		Distance: ev.Distance, Duration: ret - depart, Load: ev.Load,
		Cost: routeCost(vt, ev.Distance, ret-depart),
	}
}

// Build turns visiting orders into a complete Result (schedules, loads,
// costs and totals) with the validator's arithmetic, for scoring published
// solutions and for tests. Only Type, Vehicle and Jobs of each input route
// are read. Jobs that appear in no route are not added to Unserved, so
// Check reports them.
func Build(p *routing.Problem, routes []routing.Route) *routing.Result {
	r := &routing.Result{} // Status stays solver.Unknown: nothing was solved
	for _, in := range routes {
		if !routeIndexesOK(p, &in) {
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
