package location

import (
	"math"
)

// mcf is a min-cost flow problem solved by the primal network simplex method
// (artificial root, block-search pricing, strongly feasible trees after
// Cunningham so that degenerate pivots cannot cycle). The spanning tree is
// re-derived from its arc list after each basis change, O(nodes) per pivot:
// simpler than thread-index updates and fast enough for the transportation
// problems of facility location (10^3 nodes, 10^5 arcs).
//
// Costs are lexicographic pairs (pen, cost): a flow is better when its
// penalty Σ pen·flow is lower, and at equal penalty when its cost is lower.
// Penalties must be integers (so that their sums are exact). This is how a
// huge charge (leaving demand unserved, the big-M of artificial arcs) is
// priced exactly: folded into cost as 4·10^13 it would round every
// potential it touches to the nearest 0.01 and force a pricing tolerance of
// tens of cost units. The artificial arcs carry the penalty
// (max pen + 1)·(nodes + 1), which no path of real arcs can match.
type mcf struct {
	nodes  int
	from   []int32
	to     []int32
	cap    []float64 // +Inf for uncapacitated arcs
	cost   []float64
	pen    []float64 // integer penalty per unit of flow; nil = all 0
	flow   []float64
	supply []float64 // > 0 supply, < 0 demand; must sum to 0
	// pi and piPen are the node potentials after solve: on an arc below
	// capacity (pen + piPen[from] - piPen[to], cost + pi[from] - pi[to]) is
	// lexicographically >= 0 within eps (and <= 0 on an arc at capacity).
	pi, piPen []float64
	eps       float64 // the pricing tolerance on cost
	// work counts the arcs priced and the tree nodes re-hung: a
	// machine-independent measure of the solve's effort, which lets a
	// caller share effort between methods and stay reproducible.
	work int64

	// Optional warm start (see solve): initFlow per real arc, initTree per
	// node (its tree arc to the parent, -1 for the root).
	initFlow []float64
	initTree []int32
}

func (g *mcf) addArc(u, v int, c, cost float64) int {
	g.from = append(g.from, int32(u))
	g.to = append(g.to, int32(v))
	g.cap = append(g.cap, c)
	g.cost = append(g.cost, cost)
	if g.pen != nil {
		g.pen = append(g.pen, 0)
	}
	return len(g.from) - 1
}

// addPenaltyArc adds an arc whose unit cost is the integer penalty pen
// (and cost 0 on the second level).
func (g *mcf) addPenaltyArc(u, v int, c, pen float64) int {
	if g.pen == nil {
		g.pen = make([]float64, len(g.from), cap(g.from))
	}
	e := g.addArc(u, v, c, 0)
	g.pen[e] = pen
	return e
}

// reduced returns arc e's reduced cost pair at the current potentials.
func (g *mcf) reduced(e int, pi, piPen []float64) (float64, float64) {
	u, v := g.from[e], g.to[e]
	return g.pen[e] + piPen[u] - piPen[v], g.cost[e] + pi[u] - pi[v]
}

// lexLess reports (p1, c1) < (p2, c2): penalties first (they are integer
// sums, so 0.5 separates them), costs within eps.
func lexLess(p1, c1, p2, c2, eps float64) bool {
	if p1 < p2-0.5 {
		return true
	}
	return p1 < p2+0.5 && c1 < c2-eps
}

const (
	stTree  = 0
	stLower = 1
	stUpper = -1
)

// solve runs the network simplex; it returns false if the problem is
// infeasible (some artificial arc keeps flow) or stop fired.
func (g *mcf) solve(stop func() bool) bool {
	N := g.nodes
	root := N
	mReal := len(g.from)
	if g.pen == nil {
		g.pen = make([]float64, mReal, mReal+N)
	}
	maxC, maxP := 0.0, 0.0
	for e, c := range g.cost {
		maxC = math.Max(maxC, math.Abs(c))
		maxP = math.Max(maxP, math.Abs(g.pen[e]))
	}
	art := (maxP + 1) * float64(N+1)
	supScale := 0.0
	for i := 0; i < N; i++ {
		supScale = math.Max(supScale, math.Abs(g.supply[i]))
	}
	// A warm start is a balanced feasible flow on the real arcs plus, per
	// node, the real arc joining it to its tree parent (-1: the root). All
	// artificial arcs then point to the root and carry nothing; as the root
	// has no outgoing arc none can ever carry flow, so the tree ones cost 0
	// and the others art (never attractive).
	warm := g.initTree != nil && len(g.initFlow) == mReal
	if warm {
		bal := make([]float64, N)
		copy(bal, g.supply)
		for e := 0; e < mReal; e++ {
			f := g.initFlow[e]
			if f < 0 || f > g.cap[e] {
				warm = false
				break
			}
			bal[g.from[e]] -= f
			bal[g.to[e]] += f
		}
		for i := 0; warm && i < N; i++ {
			if math.Abs(bal[i]) > 1e-9*math.Max(1, supScale) {
				warm = false
			}
		}
	}
	for i := 0; i < N; i++ {
		switch {
		case warm && g.initTree[i] < 0:
			g.addArc(i, root, math.Inf(1), 0)
		case warm:
			g.addPenaltyArc(i, root, math.Inf(1), art)
		case g.supply[i] >= 0:
			g.addPenaltyArc(i, root, math.Inf(1), art)
		default:
			g.addPenaltyArc(root, i, math.Inf(1), art)
		}
	}
	M := len(g.from)
	g.flow = make([]float64, M)
	state := make([]int8, M)
	for e := range state {
		state[e] = stLower
	}
	treeArcs := make([]int32, N)
	treePos := make([]int32, M)
	for i := range treePos {
		treePos[i] = -1
	}
	for i := 0; i < N; i++ {
		e := int32(mReal + i)
		if warm {
			if t := g.initTree[i]; t >= 0 {
				e = t
			}
		} else {
			g.flow[e] = math.Abs(g.supply[i])
		}
		state[e] = stTree
		treeArcs[i] = e
		treePos[e] = int32(i)
	}
	if warm {
		copy(g.flow, g.initFlow)
		for e := 0; e < mReal; e++ {
			if state[e] != stTree && g.flow[e] > 0 {
				if g.flow[e] < g.cap[e] {
					warm = false // a non-tree arc strictly between bounds: not a basis
					break
				}
				state[e] = stUpper
			}
		}
		if !warm { // fall back to the artificial start
			g.from, g.to, g.cap, g.cost, g.pen = g.from[:mReal], g.to[:mReal], g.cap[:mReal], g.cost[:mReal], g.pen[:mReal]
			g.initTree = nil
			return g.solve(stop)
		}
	}
	parent := make([]int32, N+1)
	pred := make([]int32, N+1)
	up := make([]bool, N+1) // pred arc points child -> parent
	depth := make([]int32, N+1)
	pi := make([]float64, N+1)
	piPen := make([]float64, N+1)
	adj := make([][]int32, N+1) // tree arcs at each node
	// posF[e], posT[e]: index of tree arc e in adj[from[e]] and adj[to[e]],
	// so that removal is O(1) even at a node with 10^5 tree arcs.
	posF := make([]int32, M)
	posT := make([]int32, M)
	addAdj := func(e int32) {
		u, v := g.from[e], g.to[e]
		posF[e] = int32(len(adj[u]))
		adj[u] = append(adj[u], e)
		posT[e] = int32(len(adj[v]))
		adj[v] = append(adj[v], e)
	}
	for _, e := range treeArcs {
		addAdj(e)
	}
	queue := make([]int32, 0, N+1)
	// hang sets v's parent to u through arc e and recomputes depth and
	// potential of v's whole subtree (the part of the tree that moved).
	hang := func(v, u, e int32) {
		queue = queue[:0]
		parent[v] = u
		pred[v] = e
		queue = append(queue, v)
		for h := 0; h < len(queue); h++ {
			x := queue[h]
			px := parent[x]
			e := pred[x]
			if px < 0 {
				depth[x], pi[x], piPen[x] = 0, 0, 0
			} else {
				depth[x] = depth[px] + 1
				if g.to[e] == px {
					up[x] = true
					pi[x] = pi[px] - g.cost[e] // cost + pi[x] - pi[px] = 0
					piPen[x] = piPen[px] - g.pen[e]
				} else {
					up[x] = false
					pi[x] = pi[px] + g.cost[e]
					piPen[x] = piPen[px] + g.pen[e]
				}
			}
			for _, a := range adj[x] {
				if a == e {
					continue
				}
				y := g.to[a]
				if y == x {
					y = g.from[a]
				}
				parent[y] = x
				pred[y] = a
				queue = append(queue, y)
			}
		}
		g.work += int64(len(queue))
	}
	removeAt := func(x, k int32) {
		l := adj[x]
		last := l[len(l)-1]
		l[k] = last
		if g.from[last] == x {
			posF[last] = k
		}
		if g.to[last] == x {
			posT[last] = k
		}
		adj[x] = l[:len(l)-1]
	}
	removeAdj := func(e int32) {
		removeAt(g.from[e], posF[e])
		removeAt(g.to[e], posT[e])
	}
	hang(int32(root), -1, -1)
	// Pricing tolerance on the cost level, relative to the largest real
	// cost: potentials are sums along tree paths, so their rounding grows
	// with depth; penalties are exact.
	eps := 1e-11 * (maxC + 1)
	flowEps := 1e-12 * math.Max(1, supScale)
	block := max(10, int(math.Sqrt(float64(M))))
	next := 0
	// A generous pivot cap guards against stalling on floating-point noise;
	// the flow is feasible at every pivot, so stopping there is safe.
	maxPivots := 50 * (M + N)
	for iter := 0; iter < maxPivots; iter++ {
		if iter&255 == 255 && stop() {
			return false
		}
		// Pricing: block search for the most violating arc, lexicographically.
		in := -1
		bestP, bestV := 0.0, -eps
		cnt := 0
		scanned := 0
		for ; scanned < M; scanned++ {
			e := next
			next++
			if next == M {
				next = 0
			}
			if state[e] != stTree {
				sg := float64(state[e])
				rp, rc := g.reduced(e, pi, piPen)
				if rp, rc = rp*sg, rc*sg; lexLess(rp, rc, bestP, bestV, 0) {
					bestP, bestV, in = rp, rc, e
				}
			}
			cnt++
			if cnt >= block {
				if in >= 0 {
					break
				}
				cnt = 0
			}
		}
		g.work += int64(scanned)
		if in < 0 {
			break
		}
		first, second := g.from[in], g.to[in]
		if state[in] == stUpper {
			first, second = second, first
		}
		// join node
		u, v := first, second
		for u != v {
			if depth[u] >= depth[v] {
				u = parent[u]
			} else {
				v = parent[v]
			}
		}
		join := u
		delta := g.cap[in]
		outNode := int32(-1)
		side := 0
		for u := first; u != join; u = parent[u] {
			e := pred[u]
			d := g.flow[e]
			if !up[u] {
				d = g.cap[e] - g.flow[e]
			}
			if d < delta {
				delta, outNode, side = d, u, 1
			}
		}
		for u := second; u != join; u = parent[u] {
			e := pred[u]
			d := g.flow[e]
			if up[u] {
				d = g.cap[e] - g.flow[e]
			}
			if d <= delta {
				delta, outNode, side = d, u, 2
			}
		}
		if math.IsInf(delta, 1) {
			return false // unbounded: cannot happen with non-negative costs
		}
		if delta > 0 {
			if state[in] == stLower {
				g.flow[in] += delta
			} else {
				g.flow[in] -= delta
			}
			for u := first; u != join; u = parent[u] {
				e := pred[u]
				if up[u] {
					g.flow[e] -= delta
				} else {
					g.flow[e] += delta
				}
			}
			for u := second; u != join; u = parent[u] {
				e := pred[u]
				if up[u] {
					g.flow[e] += delta
				} else {
					g.flow[e] -= delta
				}
			}
		}
		if side == 0 {
			// the entering arc itself blocks: it moves to its other bound
			if state[in] == stLower {
				state[in] = stUpper
				g.flow[in] = g.cap[in]
			} else {
				state[in] = stLower
				g.flow[in] = 0
			}
			continue
		}
		out := pred[outNode]
		if g.flow[out] <= flowEps {
			g.flow[out] = 0
			state[out] = stLower
		} else {
			g.flow[out] = g.cap[out]
			state[out] = stUpper
		}
		state[in] = stTree
		k := treePos[out]
		treePos[out] = -1
		treeArcs[k] = int32(in)
		treePos[in] = k
		removeAdj(out)
		addAdj(int32(in))
		if side == 1 {
			hang(first, second, int32(in)) // first's side was cut off
		} else {
			hang(second, first, int32(in))
		}
	}
	for e := mReal; e < M; e++ {
		if g.flow[e] > flowEps*float64(N+1) {
			return false
		}
	}
	g.from, g.to, g.cap, g.cost, g.pen = g.from[:mReal], g.to[:mReal], g.cap[:mReal], g.cost[:mReal], g.pen[:mReal]
	g.flow = g.flow[:mReal]
	g.pi, g.piPen, g.eps = pi, piPen, eps
	return true
}
