package routing

import (
	"cmp"
	"slices"
)

// indiv is one solution of the population search (pool_hgs.go): its routes,
// its giant tour, its cost without penalty and its load above capacity, and
// what the diversity measure needs.
type indiv struct {
	snap   snapshot
	tour   []int32
	obj    float64 // routes' cost, no penalty
	excess float64 // load above capacity, summed over routes and dimensions
	adj    adjacency
	close  []indivDist // the others of its subpopulation, nearest first
	fit    float64     // biased fitness (lower is better), set by rank
}

type indivDist struct {
	d float64
	o *indiv
}

func (x *indiv) feasible() bool { return x.excess == 0 }

// pcost is the penalised cost at load price lq.
func (x *indiv) pcost(lq float64) float64 { return x.obj + lq*x.excess }

// subpop is one of HGS's two subpopulations (feasible, infeasible).
type subpop struct {
	xs []*indiv
}

// hgsParams are the population's sizes (Vidal 2022, HGS-CVRP defaults:
// mu 25, lambda 40, 4 elites, diversity over the 5 closest).
type hgsParams struct {
	mu, lambda, elite, close int
}

// add puts x into the subpopulation, with its distance to every member,
// and removes the worst members down to mu when it has grown past
// mu+lambda. active marks the visits the distance counts.
func (p *subpop) add(x *indiv, hp hgsParams, active []bool, lq float64) {
	for _, o := range p.xs {
		d := brokenPairs(&x.adj, &o.adj, active)
		x.close = insertDist(x.close, indivDist{d, o})
		o.close = insertDist(o.close, indivDist{d, x})
	}
	p.xs = append(p.xs, x)
	if len(p.xs) > hp.mu+hp.lambda {
		for len(p.xs) > hp.mu {
			p.removeWorst(hp, lq)
		}
	}
}

// insertDist inserts e into the list sorted by distance (ties: after the
// equal ones, so the order depends only on the order of insertion).
func insertDist(l []indivDist, e indivDist) []indivDist {
	k := len(l)
	for k > 0 && l[k-1].d > e.d {
		k--
	}
	l = append(l, indivDist{})
	copy(l[k+1:], l[k:])
	l[k] = e
	return l
}

// removeWorst removes the member with the worst biased fitness, a clone
// (distance 0 to another member) first, as HGS does.
func (p *subpop) removeWorst(hp hgsParams, lq float64) {
	p.rank(hp, lq)
	worst := -1
	worstClone := false
	for k, x := range p.xs {
		clone := len(x.close) > 0 && x.close[0].d < 1e-12
		if worst < 0 || clone && !worstClone || clone == worstClone && x.fit > p.xs[worst].fit {
			worst, worstClone = k, clone
		}
	}
	gone := p.xs[worst]
	p.xs = slices.Delete(p.xs, worst, worst+1)
	for _, x := range p.xs {
		for k, e := range x.close {
			if e.o == gone {
				x.close = slices.Delete(x.close, k, k+1)
				break
			}
		}
	}
}

// diversity is x's mean distance to its nClose nearest others.
func (x *indiv) diversity(nClose int) float64 {
	m := min(nClose, len(x.close))
	if m == 0 {
		return 0
	}
	s := 0.0
	for _, e := range x.close[:m] {
		s += e.d
	}
	return s / float64(m)
}

// rank sets the biased fitness of every member (Vidal et al. 2012): the
// rank of its penalised cost plus (1 - elite/n) times the rank of its
// diversity, most diverse first, both divided by n-1. Ties keep the
// members' order, which is the order of insertion.
func (p *subpop) rank(hp hgsParams, lq float64) {
	n := len(p.xs)
	if n == 1 {
		p.xs[0].fit = 0
	}
	if n <= 1 {
		return
	}
	idx := make([]int, n)
	for k := range idx {
		idx[k] = k
	}
	div := make([]float64, n)
	for k, x := range p.xs {
		div[k] = x.diversity(hp.close)
	}
	costRank := make([]float64, n)
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(p.xs[a].pcost(lq), p.xs[b].pcost(lq)) })
	for r, k := range idx {
		costRank[k] = float64(r) / float64(n-1)
	}
	for k := range idx {
		idx[k] = k
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(div[b], div[a]) })
	w := 1 - float64(hp.elite)/float64(n)
	for r, k := range idx {
		p.xs[k].fit = costRank[k] + w*float64(r)/float64(n-1)
	}
}

// best returns the member with the lowest penalised cost (nil when empty).
func (p *subpop) best(lq float64) *indiv {
	var b *indiv
	for _, x := range p.xs {
		if b == nil || x.pcost(lq) < b.pcost(lq) {
			b = x
		}
	}
	return b
}
