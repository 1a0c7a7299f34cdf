package routing

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// schedule fills the times of route out (type out.Type, jobs out.Jobs):
// leave at the departure time that minimises the route duration (see
// simulate), then serve every job at its earliest possible start.
func (in *inst) schedule(out *Route) {
	k := out.Type
	n := in.n
	seq := make([]int32, len(out.Jobs))
	for i, j := range out.Jobs {
		seq[i] = int32(j)
	}
	_, _, dep, _ := in.simulate(k, seq)
	out.Arrival = make([]float64, len(seq))
	out.Start = make([]float64, len(seq))
	out.Depart = dep
	time := dep
	prev := int(in.types[k].start)
	dist := 0.0
	for i, j := range seq {
		l := int(in.loc[j])
		arr := time + in.dur[prev*n+l]
		st, _ := in.earliestStart(j, arr)
		out.Arrival[i], out.Start[i] = arr, st
		dist += in.dist[prev*n+l]
		time = st + in.svc[j]
		prev = l
	}
	end := int(in.types[k].end)
	out.Return = time + in.dur[prev*n+end]
	dist += in.dist[prev*n+end]
	out.Distance = dist
	out.Duration = out.Return - out.Depart
	out.Load = make([]int64, in.dim)
	for _, j := range seq {
		for d, a := range in.jobAmt(j) {
			out.Load[d] += a
		}
	}
	t := &in.types[k]
	out.Cost = t.fixed + t.cpd*out.Distance + t.cpt*out.Duration
}

// result converts a solution to the public form.
func (in *inst) result(s *solution) *Result {
	res := &Result{}
	for _, r := range s.routes {
		if len(r.jobs) == 0 {
			continue
		}
		rt := Route{Type: r.t, Jobs: make([]int, len(r.jobs))}
		for i, j := range r.jobs {
			rt.Jobs[i] = int(j)
		}
		res.Routes = append(res.Routes, rt)
	}
	slices.SortFunc(res.Routes, func(a, b Route) int {
		if c := cmp.Compare(a.Type, b.Type); c != 0 {
			return c
		}
		return cmp.Compare(a.Jobs[0], b.Jobs[0])
	})
	next := make([]int, in.nt)
	for i := range res.Routes {
		rt := &res.Routes[i]
		rt.Vehicle = next[rt.Type]
		next[rt.Type]++
		in.schedule(rt)
		res.Cost += rt.Cost
		res.Distance += rt.Distance
	}
	res.Unserved = append(res.Unserved, in.pre...)
	for j, ri := range s.jr {
		if ri >= 0 || !in.active[j] {
			continue
		}
		u := Unserved{Job: j}
		if in.mandatory[j] {
			u.Reason = ReasonFleetSize
			u.Detail = "feasible on a route of its own, but no route of the available fleet could take it"
		} else {
			u.Reason = ReasonPenalty
			u.Detail = fmt.Sprintf("leaving it out (penalty %g) was cheaper than serving it", in.p.Jobs[j].Penalty)
		}
		res.Unserved = append(res.Unserved, u)
	}
	slices.SortFunc(res.Unserved, func(a, b Unserved) int { return cmp.Compare(a.Job, b.Job) })
	for _, u := range res.Unserved {
		res.Cost += in.p.Jobs[u.Job].Penalty
	}
	return res
}

// setBound records a proven lower bound and the gap it leaves.
func (r *Result) setBound(b float64) {
	r.Bound, r.HasBound = b, true
	r.Gap = math.Abs(r.Cost-b) / math.Max(math.Abs(r.Cost), 1e-12)
}
