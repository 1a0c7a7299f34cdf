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
	mReal := len(g.from)
	if g.pen == nil {
		g.pen = make([]float64, mReal, mReal+N)
	}
	maxC, maxP := g.largestCostAndPenalty()
	art := (maxP + 1) * float64(N+1)
	supScale := g.largestSupply()
	warm := g.warmStartBalanced(supScale)
	g.addArtificialArcs(warm, art)
	t := g.newSpanningTree(warm)
	if warm && !t.loadWarmFlow() { // fall back to the artificial start
		g.dropArtificialArcs(mReal)
		g.initTree = nil
		return g.solve(stop)
	}
	t.linkTreeArcs()
	t.hang(int32(N), -1, -1)
	// Pricing tolerance on the cost level, relative to the largest real
	// cost: potentials are sums along tree paths, so their rounding grows
	// with depth; penalties are exact.
	t.eps = 1e-11 * (maxC + 1)
	t.flowEps = 1e-12 * math.Max(1, supScale)
	t.block = max(10, int(math.Sqrt(float64(len(g.from)))))
	if !t.pivotToOptimum(stop) {
		return false
	}
	for e := mReal; e < len(g.from); e++ {
		if g.flow[e] > t.flowEps*float64(N+1) {
			return false
		}
	}
	g.dropArtificialArcs(mReal)
	g.flow = g.flow[:mReal]
	g.pi, g.piPen, g.eps = t.pi, t.piPen, t.eps
	return true
}

// largestCostAndPenalty returns the largest absolute unit cost and penalty
// of the real arcs.
func (g *mcf) largestCostAndPenalty() (maxC, maxP float64) {
	for e, c := range g.cost {
		maxC = math.Max(maxC, math.Abs(c))
		maxP = math.Max(maxP, math.Abs(g.pen[e]))
	}
	return maxC, maxP
}

// largestSupply returns the largest absolute supply or demand of a node.
func (g *mcf) largestSupply() float64 {
	supScale := 0.0
	for i := 0; i < g.nodes; i++ {
		supScale = math.Max(supScale, math.Abs(g.supply[i]))
	}
	return supScale
}

// warmStartBalanced reports whether a warm start was given and its flow is
// within the arcs' bounds and balances every node's supply.
//
// A warm start is a balanced feasible flow on the real arcs plus, per node,
// the real arc joining it to its tree parent (-1: the root). All artificial
// arcs then point to the root and carry nothing; as the root has no outgoing
// arc none can ever carry flow, so the tree ones cost 0 and the others art
// (never attractive).
func (g *mcf) warmStartBalanced(supScale float64) bool {
	N, mReal := g.nodes, len(g.from)
	if g.initTree == nil || len(g.initFlow) != mReal {
		return false
	}
	bal := make([]float64, N)
	copy(bal, g.supply)
	for e := 0; e < mReal; e++ {
		f := g.initFlow[e]
		if f < 0 || f > g.cap[e] {
			return false
		}
		bal[g.from[e]] -= f
		bal[g.to[e]] += f
	}
	for i := 0; i < N; i++ {
		if math.Abs(bal[i]) > 1e-9*math.Max(1, supScale) {
			return false
		}
	}
	return true
}

// addArtificialArcs joins every node to the root (node g.nodes) by an
// uncapacitated arc priced at the penalty art, or at nothing for the root's
// own tree arcs of a warm start.
func (g *mcf) addArtificialArcs(warm bool, art float64) {
	root := g.nodes
	for i := 0; i < g.nodes; i++ {
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
}

// dropArtificialArcs cuts the arc lists back to the mReal real arcs.
func (g *mcf) dropArtificialArcs(mReal int) {
	g.from, g.to, g.cap, g.cost, g.pen = g.from[:mReal], g.to[:mReal], g.cap[:mReal], g.cost[:mReal], g.pen[:mReal]
}

// nsTree is the working state of one network simplex run: every arc's state
// (in the tree, at its lower or upper bound), the spanning tree rooted at the
// artificial root with its node depths and potentials, and the pricing
// cursor.
type nsTree struct {
	g        *mcf
	state    []int8
	treeArcs []int32 // the N tree arcs
	treePos  []int32 // index of arc e in treeArcs, -1 off the tree
	parent   []int32
	pred     []int32 // the tree arc to the parent
	up       []bool  // pred arc points child -> parent
	depth    []int32
	pi       []float64
	piPen    []float64
	adj      [][]int32 // tree arcs at each node
	// posF[e], posT[e]: index of tree arc e in adj[from[e]] and adj[to[e]],
	// so that removal is O(1) even at a node with 10^5 tree arcs.
	posF, posT []int32
	queue      []int32
	next       int // the arc where pricing resumes
	block      int // arcs priced per block
	eps        float64
	flowEps    float64
}

// newSpanningTree sets up the starting basis: the warm start's tree arcs, or
// else the artificial arcs carrying each node's supply.
func (g *mcf) newSpanningTree(warm bool) *nsTree {
	N := g.nodes
	M := len(g.from)
	mReal := M - N
	g.flow = make([]float64, M)
	t := &nsTree{g: g, state: make([]int8, M), treeArcs: make([]int32, N), treePos: make([]int32, M)}
	for e := range t.state {
		t.state[e] = stLower
	}
	for i := range t.treePos {
		t.treePos[i] = -1
	}
	for i := 0; i < N; i++ {
		e := int32(mReal + i)
		if warm {
			if a := g.initTree[i]; a >= 0 {
				e = a
			}
		} else {
			g.flow[e] = math.Abs(g.supply[i])
		}
		t.state[e] = stTree
		t.treeArcs[i] = e
		t.treePos[e] = int32(i)
	}
	return t
}

// loadWarmFlow copies the warm start's flow and puts the saturated non-tree
// arcs at their upper bound; it reports false if a non-tree arc lies
// strictly between its bounds (the start is not a basis).
func (t *nsTree) loadWarmFlow() bool {
	g := t.g
	mReal := len(g.from) - g.nodes
	copy(g.flow, g.initFlow)
	for e := 0; e < mReal; e++ {
		if t.state[e] != stTree && g.flow[e] > 0 {
			if g.flow[e] < g.cap[e] {
				return false
			}
			t.state[e] = stUpper
		}
	}
	return true
}

// linkTreeArcs allocates the tree's node arrays and records every tree arc
// at both its end nodes.
func (t *nsTree) linkTreeArcs() {
	N, M := t.g.nodes, len(t.g.from)
	t.parent = make([]int32, N+1)
	t.pred = make([]int32, N+1)
	t.up = make([]bool, N+1)
	t.depth = make([]int32, N+1)
	t.pi = make([]float64, N+1)
	t.piPen = make([]float64, N+1)
	t.adj = make([][]int32, N+1)
	t.posF = make([]int32, M)
	t.posT = make([]int32, M)
	for _, e := range t.treeArcs {
		t.addAdj(e)
	}
	t.queue = make([]int32, 0, N+1)
}

// addAdj records tree arc e at both its end nodes.
func (t *nsTree) addAdj(e int32) {
	u, v := t.g.from[e], t.g.to[e]
	t.posF[e] = int32(len(t.adj[u]))
	t.adj[u] = append(t.adj[u], e)
	t.posT[e] = int32(len(t.adj[v]))
	t.adj[v] = append(t.adj[v], e)
}

// removeAt removes the k-th tree arc at node x, moving the last one into
// its place.
func (t *nsTree) removeAt(x, k int32) {
	l := t.adj[x]
	last := l[len(l)-1]
	l[k] = last
	if t.g.from[last] == x {
		t.posF[last] = k
	}
	if t.g.to[last] == x {
		t.posT[last] = k
	}
	t.adj[x] = l[:len(l)-1]
}

// removeAdj removes tree arc e from both its end nodes.
func (t *nsTree) removeAdj(e int32) {
	t.removeAt(t.g.from[e], t.posF[e])
	t.removeAt(t.g.to[e], t.posT[e])
}

// hang sets v's parent to u through arc e and recomputes depth and
// potential of v's whole subtree (the part of the tree that moved).
func (t *nsTree) hang(v, u, e int32) {
	g := t.g
	parent, pred, depth, pi, piPen := t.parent, t.pred, t.depth, t.pi, t.piPen
	queue := t.queue[:0]
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
				t.up[x] = true
				pi[x] = pi[px] - g.cost[e] // cost + pi[x] - pi[px] = 0
				piPen[x] = piPen[px] - g.pen[e]
			} else {
				t.up[x] = false
				pi[x] = pi[px] + g.cost[e]
				piPen[x] = piPen[px] + g.pen[e]
			}
		}
		for _, a := range t.adj[x] {
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
	t.queue = queue
	g.work += int64(len(queue))
}

// pivotToOptimum pivots until no arc prices in; it returns false if stop
// fired or the problem is unbounded. A generous pivot cap guards against
// stalling on floating-point noise; the flow is feasible at every pivot, so
// stopping there is safe.
func (t *nsTree) pivotToOptimum(stop func() bool) bool {
	g := t.g
	maxPivots := 50 * (len(g.from) + g.nodes)
	for iter := 0; iter < maxPivots; iter++ {
		if iter&255 == 255 && stop() {
			return false
		}
		in, scanned := t.price()
		g.work += int64(scanned)
		if in < 0 {
			break
		}
		if !t.pivot(in) {
			return false
		}
	}
	return true
}

// price is a block search for the most violating arc, lexicographically;
// it returns the entering arc (-1: the tree is optimal) and the number of
// arcs priced.
func (t *nsTree) price() (in, scanned int) {
	g := t.g
	M := len(g.from)
	in = -1
	bestP, bestV := 0.0, -t.eps
	cnt := 0
	for ; scanned < M; scanned++ {
		e := t.next
		t.next++
		if t.next == M {
			t.next = 0
		}
		if t.state[e] != stTree {
			sg := float64(t.state[e])
			rp, rc := g.reduced(e, t.pi, t.piPen)
			if rp, rc = rp*sg, rc*sg; lexLess(rp, rc, bestP, bestV, 0) {
				bestP, bestV, in = rp, rc, e
			}
		}
		cnt++
		if cnt >= t.block {
			if in >= 0 {
				break
			}
			cnt = 0
		}
	}
	return in, scanned
}

// pivot brings arc in into the basis: it pushes flow round the cycle that in
// closes and exchanges the blocking arc for it (or moves in to its other
// bound when in blocks itself). It returns false if the cycle is unbounded.
func (t *nsTree) pivot(in int) bool {
	g := t.g
	first, second := g.from[in], g.to[in]
	if t.state[in] == stUpper {
		first, second = second, first
	}
	join := t.joinNode(first, second)
	delta, outNode, side := t.ratioTest(in, first, second, join)
	if math.IsInf(delta, 1) {
		return false // unbounded: cannot happen with non-negative costs
	}
	if delta > 0 {
		t.augment(in, first, second, join, delta)
	}
	if side == 0 {
		// the entering arc itself blocks: it moves to its other bound
		if t.state[in] == stLower {
			t.state[in] = stUpper
			g.flow[in] = g.cap[in]
		} else {
			t.state[in] = stLower
			g.flow[in] = 0
		}
		return true
	}
	t.exchange(in, t.pred[outNode], first, second, side)
	return true
}

// joinNode returns the apex of the cycle: the deepest common ancestor of
// first and second.
func (t *nsTree) joinNode(first, second int32) int32 {
	u, v := first, second
	for u != v {
		if t.depth[u] >= t.depth[v] {
			u = t.parent[u]
		} else {
			v = t.parent[v]
		}
	}
	return u
}

// ratioTest finds how much flow the cycle of arc in can carry and the
// blocking tree arc's child node; side is 1 or 2 for a blocking arc on the
// first or second path to the join, 0 when arc in blocks itself. Ties go
// to the second path and there to the arc nearest the join, on the first
// path to the arc nearest first (Cunningham's rule: the tree stays strongly
// feasible).
func (t *nsTree) ratioTest(in int, first, second, join int32) (delta float64, outNode int32, side int) {
	g := t.g
	delta = g.cap[in]
	outNode = -1
	for u := first; u != join; u = t.parent[u] {
		e := t.pred[u]
		d := g.flow[e]
		if !t.up[u] {
			d = g.cap[e] - g.flow[e]
		}
		if d < delta {
			delta, outNode, side = d, u, 1
		}
	}
	for u := second; u != join; u = t.parent[u] {
		e := t.pred[u]
		d := g.flow[e]
		if t.up[u] {
			d = g.cap[e] - g.flow[e]
		}
		if d <= delta {
			delta, outNode, side = d, u, 2
		}
	}
	return delta, outNode, side
}

// augment pushes delta units round the cycle of arc in.
func (t *nsTree) augment(in int, first, second, join int32, delta float64) {
	g := t.g
	if t.state[in] == stLower {
		g.flow[in] += delta
	} else {
		g.flow[in] -= delta
	}
	for u := first; u != join; u = t.parent[u] {
		e := t.pred[u]
		if t.up[u] {
			g.flow[e] -= delta
		} else {
			g.flow[e] += delta
		}
	}
	for u := second; u != join; u = t.parent[u] {
		e := t.pred[u]
		if t.up[u] {
			g.flow[e] += delta
		} else {
			g.flow[e] -= delta
		}
	}
}

// exchange replaces tree arc out by arc in, out going to the bound it
// reached, and re-hangs the subtree that was cut off (on the given side).
func (t *nsTree) exchange(in int, out, first, second int32, side int) {
	g := t.g
	if g.flow[out] <= t.flowEps {
		g.flow[out] = 0
		t.state[out] = stLower
	} else {
		g.flow[out] = g.cap[out]
		t.state[out] = stUpper
	}
	t.state[in] = stTree
	k := t.treePos[out]
	t.treePos[out] = -1
	t.treeArcs[k] = int32(in)
	t.treePos[in] = k
	t.removeAdj(out)
	t.addAdj(int32(in))
	if side == 1 {
		t.hang(first, second, int32(in)) // first's side was cut off
	} else {
		t.hang(second, first, int32(in))
	}
}
