package network

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/location"
)

// The transportation problem behind every model here separates into the
// connected components of the graph "demand -- facility it lists": no flow
// crosses between two of them. A component without a facility to choose
// (every one already open) has the same answer whatever the model opens
// elsewhere, so the model only needs the components that hold a facility
// to choose. On a province most retiring tonnes sit in dense components the
// existing outlets serve; the candidates sit where tonnes are left over.

// subproblem is one component of p that holds a facility to choose, with
// the maps back to p's indices.
type subproblem struct {
	p      *location.Problem
	demand []int // demand of p for each demand of the subproblem
	fac    []int // facility of p for each facility of the subproblem
}

// components splits p into its components that hold a facility to choose,
// in the order of their first facility; demands and facilities keep their
// order inside each.
func components(p *location.Problem) []*subproblem {
	n, F := len(p.Weights), len(p.Facilities)
	parent := make([]int32, n+F) // demands 0..n-1, facilities n..n+F-1
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for j := 0; j < n; j++ {
		ids, _ := p.Dist.Row(j)
		for _, i := range ids {
			if a, b := find(int32(j)), find(int32(n)+i); a != b {
				parent[a] = b
			}
		}
	}
	comp := map[int32]*subproblem{}
	var subs []*subproblem
	for i, f := range p.Facilities {
		if r := find(int32(n + i)); !f.Open && comp[r] == nil {
			comp[r] = &subproblem{p: &location.Problem{Objective: p.Objective, P: p.P, Radius: p.Radius, CoverTarget: p.CoverTarget,
				UnservedCost: p.UnservedCost, SingleSource: p.SingleSource}}
			subs = append(subs, comp[r])
		}
	}
	newID := make([]int32, F)
	for i, f := range p.Facilities {
		if s := comp[find(int32(n+i))]; s != nil {
			newID[i] = int32(len(s.fac))
			s.fac = append(s.fac, i)
			s.p.Facilities = append(s.p.Facilities, f)
		}
	}
	var ids []int32
	for j := 0; j < n; j++ {
		s := comp[find(int32(j))]
		if s == nil {
			continue
		}
		row, dist := p.Dist.Row(j)
		ids = ids[:0]
		for _, i := range row {
			ids = append(ids, newID[i])
		}
		s.demand = append(s.demand, j)
		s.p.Weights = append(s.p.Weights, p.Weights[j])
		s.p.Dist.AppendRow(ids, dist)
	}
	for _, s := range subs {
		if len(s.demand) == 0 {
			s.p.Dist.Start = []int{0}
		}
	}
	return subs
}

// merged is the answer of every component, in p's indices.
type merged struct {
	open             []int // facilities opened, ascending
	assign           []int // each demand's facility (the largest part), -1 for none
	cost, bound, gap float64
	hasBound         bool
	status           solver.Status
	iterations       int
}

// solveComponents solves every component of p that holds a facility to
// choose (each answer checked by the validator) and merges the answers:
// costs and bounds add up (the components share nothing), the status is
// the weakest. A component left without a solution by ctx ends the loop.
func solveComponents(ctx context.Context, p *location.Problem, set location.Settings, what string) (*merged, error) {
	m := &merged{status: solver.Optimal, hasBound: true, assign: make([]int, len(p.Weights))}
	for j := range m.assign {
		m.assign[j] = -1
	}
	limit := set.TimeLimit
	if limit <= 0 {
		limit = location.DefaultTimeLimit
	}
	start := time.Now()
	for _, s := range components(p) {
		// The components share the time limit: each may use what is left.
		set.TimeLimit = max(limit-time.Since(start), time.Millisecond)
		res, err := location.Solve(ctx, s.p, &set)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if err := validateResult(s.p, res, what); err != nil {
			return nil, err
		}
		for _, i := range res.Open {
			m.open = append(m.open, s.fac[i])
		}
		for d, i := range res.Assign {
			if i >= 0 {
				m.assign[s.demand[d]] = s.fac[i]
			}
		}
		m.cost += res.Cost
		m.bound += res.Bound
		m.hasBound = m.hasBound && res.HasBound
		m.iterations += res.Iterations
		m.status = weaker(m.status, res.Status)
	}
	slices.Sort(m.open)
	if !m.hasBound {
		m.bound = 0
	} else if m.cost > 0 {
		m.gap = math.Abs(m.cost-m.bound) / m.cost
	}
	return m, nil
}

// weaker returns the status that says less about the answer: interrupted,
// then time limit, then iteration limit, then optimal.
func weaker(a, b solver.Status) solver.Status {
	rank := func(s solver.Status) int {
		switch s {
		case solver.Optimal:
			return 0
		case solver.IterationLimit:
			return 1
		case solver.TimeLimit:
			return 2
		case solver.Interrupted:
			return 3
		}
		return 4
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// joined is every component of p that holds a facility to choose, as one
// problem (for an objective that couples them, such as a cover target).
func joined(p *location.Problem) *subproblem {
	subs := components(p)
	j := &subproblem{p: &location.Problem{Objective: p.Objective, P: p.P, Radius: p.Radius, CoverTarget: p.CoverTarget,
		UnservedCost: p.UnservedCost, SingleSource: p.SingleSource}}
	for _, s := range subs {
		off := int32(len(j.fac))
		j.fac = append(j.fac, s.fac...)
		j.p.Facilities = append(j.p.Facilities, s.p.Facilities...)
		for k, d := range s.demand {
			row, dist := s.p.Dist.Row(k)
			ids := make([]int32, len(row))
			for e, i := range row {
				ids[e] = i + off
			}
			j.demand = append(j.demand, d)
			j.p.Weights = append(j.p.Weights, s.p.Weights[k])
			j.p.Dist.AppendRow(ids, dist)
		}
	}
	if len(j.demand) == 0 {
		j.p.Dist.Start = []int{0}
	}
	return j
}
