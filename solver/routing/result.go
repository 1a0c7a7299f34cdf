package routing

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// layout fills out (Type and Vehicle already set) with the day of a vehicle
// of type t that leaves its start at dep and serves the nodes seq: visits
// with their amounts, arrival and service times, trips (cut at the
// reloads), distance, load and cost. It returns what forward returns when a
// window or the shift end is missed (the times after it are then left 0).
func (nd *nodes) layout(t *vtype, seq []int32, dep float64, out *Route) (fail int, failAt float64) {
	arr := make([]float64, len(seq))
	st := make([]float64, len(seq))
	ret, fail, failAt := nd.forward(t.start, t.end, t.shiftEnd, seq, dep, arr, st)
	if fail >= 0 {
		ret = 0
	}
	nv := len(seq)
	for _, x := range seq {
		if int(x) >= nd.nv {
			nv--
		}
	}
	out.Jobs = make([]int, 0, nv)
	out.Amounts = make([][]int64, 0, nv)
	out.Arrival = make([]float64, 0, nv)
	out.Start = make([]float64, 0, nv)
	out.Load = make([]int64, nd.dim)
	out.Trips = out.Trips[:0]
	out.Depart, out.Return = dep, ret
	trip := Trip{Depart: dep, Load: make([]int64, nd.dim)}
	prev := int(t.start)
	for i, x := range seq {
		l := int(nd.loc[x])
		d := nd.dist[prev*nd.n+l]
		prev = l
		trip.Distance += d
		out.Distance += d
		if int(x) >= nd.nv { // back at end: the trip is over
			trip.To, trip.Return = len(out.Jobs), arr[i]
			out.Trips = append(out.Trips, trip)
			trip = Trip{From: len(out.Jobs), Depart: st[i] + nd.svc[x], Load: make([]int64, nd.dim)}
			continue
		}
		a := nd.amt[int(x)*nd.dim : int(x+1)*nd.dim]
		out.Jobs = append(out.Jobs, int(nd.job[x]))
		out.Amounts = append(out.Amounts, slices.Clone(a))
		out.Arrival = append(out.Arrival, arr[i])
		out.Start = append(out.Start, st[i])
		for k, v := range a {
			trip.Load[k] += v
			out.Load[k] += v
		}
	}
	d := nd.dist[prev*nd.n+int(t.end)]
	trip.Distance += d
	out.Distance += d
	trip.To, trip.Return = len(out.Jobs), ret
	out.Trips = append(out.Trips, trip)
	out.Duration = out.Return - out.Depart
	out.Cost = t.fixed + t.cpd*out.Distance + t.cpt*out.Duration
	return fail, failAt
}

// schedule lays out route r: it leaves at the departure time that
// minimises its duration (see simulate), then serves every node at its
// earliest possible start.
func (in *inst) schedule(r *route) Route {
	_, _, dep, _ := in.simulate(r.t, r.jobs)
	out := Route{Type: r.t}
	in.nodes.layout(&in.types[r.t], r.jobs, dep, &out)
	return out
}

// result converts a solution to the public form.
func (in *inst) result(s *solution) *Result {
	res := &Result{}
	var rs []*route
	for _, r := range s.routes {
		if len(r.jobs) > 0 {
			rs = append(rs, r)
		}
	}
	slices.SortFunc(rs, func(a, b *route) int {
		if c := cmp.Compare(a.t, b.t); c != 0 {
			return c
		}
		return cmp.Compare(a.jobs[0], b.jobs[0])
	})
	next := make([]int, in.nt)
	for _, r := range rs {
		rt := in.schedule(r)
		rt.Vehicle = next[rt.Type]
		next[rt.Type]++
		res.Routes = append(res.Routes, rt)
		res.Cost += rt.Cost
		res.Distance += rt.Distance
	}
	res.Unserved = in.unserved(s)
	for _, u := range res.Unserved {
		job := &in.p.Jobs[u.Job]
		res.Cost += job.Penalty * job.ServiceShare(u.Amount)
	}
	return res
}

// unserved lists, job by job, what the solution leaves out: the visits no
// vehicle could serve alone (with the limit found by checkAlone), then
// those the fleet or the penalties left out.
func (in *inst) unserved(s *solution) []Unserved {
	var out []Unserved
	for j := range in.p.Jobs {
		var u *Unserved
		for v := in.first[j]; v < in.first[j+1]; v++ {
			if s.jr[v] >= 0 {
				continue
			}
			if u == nil {
				out = append(out, Unserved{Job: j, Amount: make([]int64, in.dim)})
				u = &out[len(out)-1]
			}
			for d, a := range in.visitAmt(v) {
				u.Amount[d] += a
			}
			switch {
			case u.Reason != "":
			case !in.active[v]:
				u.Reason, u.Detail = in.pre[v].Reason, in.pre[v].Detail
			case in.mandatory[v]:
				u.Reason = ReasonFleetSize
				u.Detail = "feasible on a route of its own, but no route of the available fleet could take it"
			default:
				u.Reason = ReasonPenalty
				u.Detail = fmt.Sprintf("leaving it out (penalty %g) was cheaper than serving it", in.p.Jobs[j].Penalty)
			}
		}
		if n := in.first[j+1] - in.first[j]; u != nil && n > 1 && !slices.Equal(u.Amount, in.p.Jobs[j].Amount) {
			u.Detail = fmt.Sprintf("%s (collected %v of %v in pieces)", u.Detail, sub(in.p.Jobs[j].Amount, u.Amount), in.p.Jobs[j].Amount)
		}
	}
	return out
}

func sub(a, b []int64) []int64 {
	out := make([]int64, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}

// setBound records a proven lower bound and the gap it leaves.
func (r *Result) setBound(b float64) {
	r.Bound, r.HasBound = b, true
	r.Gap = math.Abs(r.Cost-b) / math.Max(math.Abs(r.Cost), 1e-12)
}
