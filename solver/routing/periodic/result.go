package periodic

import (
	"slices"
	"sort"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
)

// finish turns the state into a Result, with the jobs given up listed
// unserved.
func (sv *search) finish(unserved []int) *Result {
	sort.Ints(unserved)
	unserved = sv.placeLeft(slices.Compact(unserved), nil, true) // warm.go
	for _, j := range unserved {
		sv.dropJob(j)
	}
	res := sv.result()
	for _, j := range unserved {
		res.Patterns[j] = 0
		res.Unserved = append(res.Unserved, sv.unservedReason(j))
	}
	return res
}

// result lays out every day's routes.
func (sv *search) result() *Result {
	status := sv.status
	if sv.timeBound && status == solver.IterationLimit {
		status = solver.TimeLimit
	}
	res := &Result{Patterns: append([]uint32(nil), sv.pat...), Days: make([][]routing.Route, sv.days), Iterations: sv.iters, Status: status}
	for d, pl := range sv.plans {
		res.Days[d] = pl.Routes()
		for _, rt := range res.Days[d] {
			res.Cost += rt.Cost
			res.Distance += rt.Distance
		}
	}
	if sv.p.Previous != nil {
		Relabel(sv.p.Previous, res.Days)
		res.Kept, res.Compared = Kept(sv.p.Previous, res.Days)
	}
	return res
}

// unservedReason tells why job j could not be placed: the limit that keeps
// it off every vehicle alone, or the fleet when it fits alone.
func (sv *search) unservedReason(j int) routing.Unserved {
	if ok, u := sv.model.Servable(j); !ok {
		return u
	}
	return routing.Unserved{Job: j, Reason: routing.ReasonFleetSize, Detail: "no allowed pattern fits the daily fleets",
		Amount: slices.Clone(sv.p.Jobs[j].Amount)}
}
