package location

import (
	"math"
	"slices"
)

// Branch and bound over the sites reduced-cost fixing leaves undecided,
// for free facility location (no fixed number of sites, split demand).
//
// A node forces some sites open and some closed; its bound is the
// Lagrangian of the model with the forced-open sites counted as open
// outlets (their fixed cost and knapsack always in L) and the forced-closed
// ones out of the choice, its multipliers started from the parent's best
// (a few hundred volume steps then suffice on the small models this runs
// on). Site values ρ_i at the node's best multipliers fix more sites before
// branching: forcing i the other way than L(λ) chose raises L(λ) by |ρ_i|,
// so when that reaches the best cost the other way holds no better
// solution. The node branches on the undecided site with the smallest |ρ_i|,
// the side L(λ) chose first. The node's best Lagrangian site set (with the
// forced-open ones) is scored exactly, which may improve the best. A tree explored to
// the end proves the best optimal; a tree cut by the node budget or the
// clock proves nothing (the root bound stands).
//
// The budget is counted in nodes, not time, so that a run that ends on it
// is reproducible; the models it runs on are small (the national siting's
// components that the root bound leaves open hold a few dozen demands).
const (
	branchMaxUndecided = 64    // more undecided sites: no tree
	branchMaxEntries   = 20000 // model size (listed pairs + demands) above which no tree
	branchMaxNodes     = 4000
	branchIters        = 150 // Lagrangian iterations per node
	// branchWork bounds the tree's work: Lagrangian entries visited
	// (iterations x (2 x listed pairs + demands)) plus three times the
	// network-simplex work of its exact evaluations (about their relative
	// cost per unit, as the Lagrangian heuristic counts them), so that a
	// run ending on it is reproducible. About a third of a second.
	branchWork = 1e8
)

// enumMax is the most undecided sites fix enumerates instead of branching;
// a variable so that tests can send every case through the tree.
var enumMax = 15

// branch explores the tree below the root (open forced open, free
// undecided) from multipliers lambda; it reports whether the tree was
// explored to the end (the best is then optimal).
func (c *capRun) branch(open, free []int32, lambda []float64) bool {
	return branchFrom(c, c.m, open, free, lambda)
}

// branchHost is what the tree needs from the search it proves: the best
// cost so far, exact scoring of a site set (keeping it when best; false
// when stopped), the evaluator's work so far and the run's stop.
type branchHost interface {
	bestCost() float64
	score(sites []int32) bool
	evalWork() int64
	stop() bool
	// round raises a node's bound to the least cost a solution can have
	// at or above it (the identity for facility location).
	round(lb float64) float64
}

// branchFrom explores the tree of base (a Lagrangian model: facility
// location, or a capacitated cover's coverModel) below the root and
// reports whether it was explored to the end.
func branchFrom(h branchHost, base *model, open, free []int32, lambda []float64) bool {
	b := &brancher{c: h, base: base, work0: h.evalWork()}
	b.node(open, free, lambda)
	return b.complete
}

func (c *capRun) bestCost() float64 { return c.best.cost }
func (c *capRun) evalWork() int64   { return c.ev.work }
func (c *capRun) stop() bool        { return c.r.stop() }
func (c *capRun) round(lb float64) float64 {
	return lb
}
func (c *capRun) score(sites []int32) bool {
	return c.consider(sites) != nil
}

type brancher struct {
	c        branchHost
	base     *model
	nodes    int
	work     int64 // Lagrangian entries visited
	work0    int64 // the evaluator's work when the tree started
	complete bool
	cut      bool
}

// tol is how far below the best cost a bound must be to keep a node.
func (b *brancher) tol() float64 {
	return 1e-9 * math.Max(1, math.Abs(b.c.bestCost()))
}

func (b *brancher) node(open, free []int32, lambda []float64) {
	c := b.c
	if b.cut || c.stop() || b.nodes >= branchMaxNodes || b.work+3*(c.evalWork()-b.work0) > branchWork {
		b.cut, b.complete = true, false
		return
	}
	if b.nodes == 0 {
		b.complete = true
	}
	b.nodes++
	if len(free) == 0 {
		b.score(open)
		return
	}
	mm := *b.base
	mm.fixed = slices.Clone(b.base.fixed)
	for _, i := range open {
		mm.fixed[i] = true
	}
	mm.cands = free
	lo := mm.lagrange(branchIters, c.bestCost(), lambda, c.stop, nil, 1)
	b.work += int64(branchIters) * int64(2*len(mm.fac)+mm.n)
	if lo.rho == nil { // stopped
		b.cut, b.complete = true, false
		return
	}
	if c.round(lo.bound) >= c.bestCost()-b.tol() {
		return
	}
	// The node's Lagrangian site set, with the forced-open sites, scored
	// exactly: the tree's source of better solutions.
	b.score(append(slices.Clone(open), lo.sites...))
	ub := c.bestCost()
	if c.round(lo.bound) >= ub-b.tol() {
		return
	}
	nopen := slices.Clone(open)
	var nfree []int32
	for _, i := range free {
		switch r := lo.rho[i]; {
		case r >= 0 && c.round(lo.bound+r) >= ub-b.tol():
			// closed: opening it cannot beat the best
		case r < 0 && c.round(lo.bound-r) >= ub-b.tol():
			nopen = append(nopen, i)
		default:
			nfree = append(nfree, i)
		}
	}
	if len(nfree) == 0 {
		b.node(nopen, nil, lo.lambda)
		return
	}
	pick := 0
	for k, i := range nfree {
		if math.Abs(lo.rho[i]) < math.Abs(lo.rho[nfree[pick]]) {
			pick = k
		}
	}
	i := nfree[pick]
	rest := slices.Delete(slices.Clone(nfree), pick, pick+1)
	withI := append(slices.Clone(nopen), i)
	if lo.rho[i] < 0 {
		b.node(withI, rest, lo.lambda)
		b.node(nopen, rest, lo.lambda)
	} else {
		b.node(nopen, rest, lo.lambda)
		b.node(withI, rest, lo.lambda)
	}
}

// score evaluates a site set exactly (the transportation problem), keeping
// it when it is the best.
func (b *brancher) score(sites []int32) {
	sites = slices.Clone(sites)
	slices.Sort(sites)
	if !b.c.score(sites) {
		b.cut, b.complete = true, false
	}
}

// branchable reports whether a tree over und undecided sites is worth
// running on m: free facility location with split demand, few sites, a
// small model.
func (m *model) branchable(und int) bool {
	return m.p < 0 && !m.single && und > enumMax && und <= branchMaxUndecided && len(m.fac)+m.n <= branchMaxEntries
}
