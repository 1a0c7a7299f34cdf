package location

import (
	"math"
	"slices"
)

// kItem is an item of the covering knapsack: its cost and the amount it
// covers.
type kItem struct {
	cost, size float64
}

// coverKnap solves the covering knapsack with divisible items
//
//	min Σ_b c_b y_b + Σ_u c_u z_u  s.t.  Σ_b s_b y_b + Σ_u s_u z_u >= need,
//	y_b ∈ {0,1}, z_u ∈ [0,1]
//
// the site part of the capacitated Lagrangian subproblem with the aggregate
// capacity constraint of Cornuéjols, Sridharan & Thizy (1991): binary items
// are candidate sites (ρ_i, capacity s_i), divisible ones demands left
// unserved (cu_j - λ_j, weight w_j). Items of negative cost are always
// taken. The rest is a depth-first branch and bound in ratio order, include
// first (its first leaf is the greedy solution), pruned by the Dantzig bound
// (the linear relaxation, filled greedily). After nodeLimit nodes (and once
// a first solution is found: the first dive, at most one node per item) it
// stops and the bound is the least linear bound of the nodes left open,
// still valid. Buffers are reused between calls; not safe for concurrent use.
type coverKnap struct {
	bin, cont []int // item indexes of the non-negative items, by ratio
	taken     []bool
	best      []bool
	nodes     int
	limit     int
	openLB    float64 // least bound of the nodes cut by the limit
	incumbent float64
	bItems    []kItem
	cItems    []kItem
	contCum   []float64 // prefix sizes of cont
	contCost  []float64 // prefix costs of cont
}

// solve returns a lower bound on the optimum (the optimum itself unless the
// node limit cut the search), the binary choice and divisible fractions of
// the best solution found, whose value is the second result. With need > the
// total size of everything the problem is infeasible: +Inf.
func (k *coverKnap) solve(bin, cont []kItem, need float64, nodeLimit int, y []bool, z []float64) (bound, value float64) {
	base := 0.0
	k.bItems, k.cItems = bin, cont
	k.bin, k.cont = k.bin[:0], k.cont[:0]
	for b, it := range bin {
		y[b] = false
		switch {
		case it.cost < 0 || it.cost == 0 && it.size > 0:
			// free or paid-for coverage: always worth taking
			y[b] = true
			base += it.cost
			need -= it.size
		case it.size > 0:
			k.bin = append(k.bin, b)
		}
	}
	for u, it := range cont {
		z[u] = 0
		switch {
		case it.cost < 0 || it.cost == 0 && it.size > 0:
			z[u] = 1
			base += it.cost
			need -= it.size
		case it.size > 0:
			k.cont = append(k.cont, u)
		}
	}
	if need <= 0 {
		return base, base
	}
	ratio := func(it kItem) float64 { return it.cost / it.size }
	byRatio := func(items []kItem) func(a, b int) int {
		return func(a, b int) int {
			if c := cmpF(ratio(items[a]), ratio(items[b])); c != 0 {
				return c
			}
			return a - b
		}
	}
	slices.SortFunc(k.bin, byRatio(bin))
	slices.SortFunc(k.cont, byRatio(cont))
	k.contCum = append(k.contCum[:0], 0)
	k.contCost = append(k.contCost[:0], 0)
	for _, u := range k.cont {
		k.contCum = append(k.contCum, k.contCum[len(k.contCum)-1]+cont[u].size)
		k.contCost = append(k.contCost, k.contCost[len(k.contCost)-1]+cont[u].cost)
	}
	k.taken = resizeBool(k.taken, len(bin))
	k.best = resizeBool(k.best, len(bin))
	k.nodes, k.limit, k.openLB = 0, nodeLimit, math.Inf(1)
	k.incumbent = math.Inf(1)
	k.dfs(0, need, 0)
	if math.IsInf(k.incumbent, 1) {
		return math.Inf(1), math.Inf(1)
	}
	// The best solution: its binaries, then the divisible items in ratio
	// order for what they leave.
	r := need
	for _, b := range k.bin {
		if k.best[b] {
			y[b] = true
			r -= bin[b].size
		}
	}
	for _, u := range k.cont {
		if r <= 0 {
			break
		}
		f := math.Min(1, r/cont[u].size)
		z[u] = f
		r -= f * cont[u].size
	}
	return base + math.Min(k.incumbent, k.openLB), base + k.incumbent
}

func resizeBool(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// fillCont is the cost of covering r with the divisible items alone, +Inf
// when they do not suffice.
func (k *coverKnap) fillCont(r float64) float64 {
	if r <= 0 {
		return 0
	}
	n := len(k.cont)
	if k.contCum[n] < r {
		return math.Inf(1)
	}
	// first prefix covering r
	p, _ := slices.BinarySearch(k.contCum, r)
	it := k.cItems[k.cont[p-1]]
	return k.contCost[p-1] + (r-k.contCum[p-1])/it.size*it.cost
}

// lp is the linear relaxation's value of covering r with the binaries from
// position pos on and the divisible items: both filled greedily by ratio.
func (k *coverKnap) lp(pos int, r float64) float64 {
	v := 0.0
	c := 0
	for r > 0 {
		var it kItem
		switch {
		case pos < len(k.bin) && (c >= len(k.cont) ||
			k.bItems[k.bin[pos]].cost*k.cItems[k.cont[c]].size <= k.cItems[k.cont[c]].cost*k.bItems[k.bin[pos]].size):
			it = k.bItems[k.bin[pos]]
			pos++
		case c < len(k.cont):
			it = k.cItems[k.cont[c]]
			c++
		default:
			return math.Inf(1)
		}
		f := math.Min(1, r/it.size)
		v += f * it.cost
		r -= f * it.size
	}
	return v
}

func (k *coverKnap) dfs(pos int, r, cost float64) {
	lb := cost + k.lp(pos, r)
	if lb >= k.incumbent-1e-12*math.Max(1, math.Abs(k.incumbent)) {
		return
	}
	if k.nodes >= k.limit && !math.IsInf(k.incumbent, 1) {
		k.openLB = math.Min(k.openLB, lb)
		return
	}
	k.nodes++
	// Stopping here and covering the rest with divisible items is a
	// solution.
	if v := cost + k.fillCont(r); v < k.incumbent {
		k.incumbent = v
		copy(k.best, k.taken)
	}
	if pos == len(k.bin) {
		return
	}
	b := k.bin[pos]
	it := k.bItems[b]
	k.taken[b] = true
	if r-it.size <= 0 {
		if v := cost + it.cost; v < k.incumbent {
			k.incumbent = v
			copy(k.best, k.taken)
		}
	} else {
		k.dfs(pos+1, r-it.size, cost+it.cost)
	}
	k.taken[b] = false
	k.dfs(pos+1, r, cost)
}
