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
type mcf struct {
	nodes  int
	from   []int32
	to     []int32
	cap    []float64 // +Inf for uncapacitated arcs
	cost   []float64
	flow   []float64
	supply []float64 // > 0 supply, < 0 demand; must sum to 0
	pi     []float64 // node potentials after solve: cost + pi[from] - pi[to] >= 0 on arcs below capacity

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
	return len(g.from) - 1
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
	maxC := 0.0
	for _, c := range g.cost {
		maxC = math.Max(maxC, math.Abs(c))
	}
	art := (maxC + 1) * float64(N+1)
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
			g.addArc(i, root, math.Inf(1), art)
		case g.supply[i] >= 0:
			g.addArc(i, root, math.Inf(1), art)
		default:
			g.addArc(root, i, math.Inf(1), art)
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
			g.from, g.to, g.cap, g.cost = g.from[:mReal], g.to[:mReal], g.cap[:mReal], g.cost[:mReal]
			g.initTree = nil
			return g.solve(stop)
		}
	}
	parent := make([]int32, N+1)
	pred := make([]int32, N+1)
	up := make([]bool, N+1) // pred arc points child -> parent
	depth := make([]int32, N+1)
	pi := make([]float64, N+1)
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
				depth[x], pi[x] = 0, 0
			} else {
				depth[x] = depth[px] + 1
				if g.to[e] == px {
					up[x] = true
					pi[x] = pi[px] - g.cost[e] // cost + pi[x] - pi[px] = 0
				} else {
					up[x] = false
					pi[x] = pi[px] + g.cost[e]
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
	// Pricing tolerance: relative to the largest cost, which includes the
	// (large) unserved cost, so it must be tight to price real arcs exactly.
	eps := 1e-12 * (maxC + 1)
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
		// Pricing: block search for the most violating arc.
		in := -1
		bestV := 0.0
		cnt := 0
		for scanned := 0; scanned < M; scanned++ {
			e := next
			next++
			if next == M {
				next = 0
			}
			if state[e] != stTree {
				rc := (g.cost[e] + pi[g.from[e]] - pi[g.to[e]]) * float64(state[e])
				if rc < -eps && rc < bestV {
					bestV, in = rc, e
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
	g.from, g.to, g.cap, g.cost = g.from[:mReal], g.to[:mReal], g.cap[:mReal], g.cost[:mReal]
	g.flow = g.flow[:mReal]
	g.pi = pi
	return true
}
