package routing

import "math"

// exactMaxJobs bounds the problems solved by enumeration.
const exactMaxJobs = 8

// exactMaxSeqs bounds the node sequences enumerated per vehicle type; it
// keeps an exact solve well under a second (about 30 ns per sequence).
const exactMaxSeqs = 4_000_000

// exactOn lets tests switch the exact path off to exercise the search on
// tiny problems.
var exactOn = true

// exact solves a problem with at most exactMaxJobs servable visits to
// proven optimality: the best day of every visit subset on every vehicle
// type by enumeration of every order and, for vehicles making several trips,
// every placement of reloads (at most 109,601 orders per type for 8 visits),
// then a dynamic programme over visit subsets and vehicles used per limited
// type that chooses routes and left-out visits. It returns nil when the
// problem is too large for it.
func (in *inst) exact() *solution {
	var act []int32
	for j := 0; j < in.nj; j++ {
		if in.active[j] {
			act = append(act, int32(j))
		}
	}
	m := len(act)
	if m == 0 || m > exactMaxJobs {
		return nil
	}
	for t := range in.types {
		if exactSeqs(m, in.types[t].maxTrips) > exactMaxSeqs {
			return nil
		}
	}
	e := &exactDP{in: in, act: act, full: 1 << m}
	if !e.fleetStates() {
		return nil
	}
	e.bestRoutes()
	e.g = make([]float64, e.full*e.states)
	e.done = make([]bool, e.full*e.states)
	e.solve(e.full-1, 0)
	return e.rebuild()
}

// exactSeqs counts the sequences of up to m visits with at most trips-1
// reloads between visits: sum over L of m!/(m-L)! * sum_{r<trips} C(L-1, r).
func exactSeqs(m, trips int) int {
	total, perm := 0, 1
	for L := 1; L <= m; L++ {
		perm *= m - L + 1
		cuts, c := 0, 1 // C(L-1, r)
		for r := 0; r < trips && r <= L-1; r++ {
			cuts += c
			c = c * (L - 1 - r) / (r + 1)
		}
		total += perm * cuts
	}
	return total
}

// exactDP holds the enumeration and the dynamic programme of exact.
type exactDP struct {
	in   *inst
	act  []int32
	full int
	// fleet: types whose count could bind, in a mixed radix
	lim, radix, stride []int
	limIdx             []int
	states             int
	// best day per (type, subset) and its node sequence
	rb []float64
	ro [][]int32
	// g[S*states+u]: cheapest way to settle the visits of S with the
	// limited vehicles already used encoded in u
	g    []float64
	done []bool
}

// fleetStates sets up the vehicle-count radix; false when too large.
func (e *exactDP) fleetStates() bool {
	in, m := e.in, len(e.act)
	e.limIdx = make([]int, in.nt)
	e.states = 1
	for t := range in.types {
		e.limIdx[t] = -1
		if in.types[t].count < m {
			e.limIdx[t] = len(e.lim)
			e.lim = append(e.lim, t)
			e.stride = append(e.stride, e.states)
			e.radix = append(e.radix, in.types[t].count+1)
			e.states *= in.types[t].count + 1
		}
	}
	return e.states*e.full <= 1<<20
}

// bestRoutes enumerates, per type, every sequence of allowed visits with
// reloads between trips (each trip within capacity) and keeps the cheapest
// feasible one per visit subset. Segments are extended node by node, so a
// sequence costs O(1) (plus an exact schedule with several windows).
func (e *exactDP) bestRoutes() {
	in, full := e.in, e.full
	e.rb = make([]float64, in.nt*full)
	e.ro = make([][]int32, in.nt*full)
	for i := range e.rb {
		e.rb[i] = math.Inf(1)
	}
	m := len(e.act)
	seq := make([]int32, 0, 2*m)
	pcs := make([]piece, 0, 2*m+1)
	load := make([]int64, in.dim)
	for t := range in.types {
		vt := &in.types[t]
		pcs = append(pcs[:0], piece{s: vt.startS})
		var dfs func(mask, trips, multi int)
		dfs = func(mask, trips, multi int) {
			top := pcs[len(pcs)-1]
			if top.s.tw > eps || top.s.dur > vt.maxDur+eps {
				return // time warp and duration only grow
			}
			if mask != 0 && !in.isMark(seq[len(seq)-1]) {
				e.record(t, mask, seq, top, multi > 0)
			}
			if mask != 0 && !in.isMark(seq[len(seq)-1]) && trips < vt.maxTrips {
				saved := append([]int64(nil), load...)
				clear(load)
				seq = append(seq, vt.mark)
				pcs = append(pcs, in.join(top, piece{s: in.jseg[vt.mark]}))
				dfs(mask, trips+1, multi)
				seq, pcs = seq[:len(seq)-1], pcs[:len(pcs)-1]
				copy(load, saved)
			}
			// Highest visit index first: among equally cheap orders this
			// keeps the one the search itself tends to return (examples
			// elsewhere print routes).
			for k := m - 1; k >= 0; k-- {
				j := e.act[k]
				if mask&(1<<k) != 0 || !in.allowed[int(j)*in.nt+t] || !addLoad(load, in.visitAmt(j), vt.capa) {
					continue
				}
				seq = append(seq, j)
				pcs = append(pcs, in.join(top, piece{s: in.jseg[j]}))
				mu := 0
				if in.multi[j] {
					mu = 1
				}
				dfs(mask|1<<k, trips, multi+mu)
				seq, pcs = seq[:len(seq)-1], pcs[:len(pcs)-1]
				for d, a := range in.visitAmt(j) {
					load[d] -= a
				}
			}
		}
		dfs(0, 1, 0)
	}
}

// addLoad adds a to load if it stays within capa.
func addLoad(load, a, capa []int64) bool {
	for d := range a {
		if load[d]+a[d] > capa[d] {
			return false
		}
	}
	for d := range a {
		load[d] += a[d]
	}
	return true
}

// record keeps seq as the best day of type t for the visits of mask when it
// is feasible and cheaper.
func (e *exactDP) record(t, mask int, seq []int32, top piece, multi bool) {
	in := e.in
	vt := &in.types[t]
	c, ok := in.pieceCost(t, in.join(top, piece{s: vt.endS}))
	if ok && multi {
		feas, dur, _, _ := in.simulate(t, seq)
		ok = feas && dur <= vt.maxDur+eps
		c = vt.fixed + in.routeW + vt.cpd*in.join(top, piece{s: vt.endS}).d + vt.cpt*dur
	}
	if k := t*e.full + mask; ok && c < e.rb[k] {
		e.rb[k] = c
		e.ro[k] = append(e.ro[k][:0], seq...)
	}
}

// next returns the fleet state after using one more vehicle of type t, or
// -1 when its count is used up.
func (e *exactDP) next(u, t int) int {
	k := e.limIdx[t]
	if k < 0 {
		return u
	}
	if (u/e.stride[k])%e.radix[k] == e.radix[k]-1 {
		return -1
	}
	return u + e.stride[k]
}

func lowBit(S int) (low, i int) {
	low = S & -S
	for 1<<i != low {
		i++
	}
	return low, i
}

// solve is the dynamic programme: the lowest visit of S is left out (its
// penalty) or served by a day covering it and a subset of the others.
func (e *exactDP) solve(S, u int) float64 {
	if S == 0 {
		return 0
	}
	key := S*e.states + u
	if e.done[key] {
		return e.g[key]
	}
	low, i := lowBit(S)
	best := e.in.pen[e.act[i]] + e.solve(S&^low, u)
	rest := S &^ low
	for sub := rest; ; sub = (sub - 1) & rest {
		T := sub | low
		for t := range e.in.types {
			c := e.rb[t*e.full+T]
			nu := e.next(u, t)
			if math.IsInf(c, 1) || nu < 0 {
				continue
			}
			if v := c + e.solve(S&^T, nu); v < best {
				best = v
			}
		}
		if sub == 0 {
			break
		}
	}
	e.done[key], e.g[key] = true, best
	return best
}

// rebuild follows the choices of solve into a solution.
func (e *exactDP) rebuild() *solution {
	in := e.in
	sol := newSolution(in)
	S, u := e.full-1, 0
	for S != 0 {
		low, i := lowBit(S)
		target := e.g[S*e.states+u]
		if v := in.pen[e.act[i]] + e.solve(S&^low, u); v == target {
			S &^= low
			continue
		}
		rest := S &^ low
		found := false
		for sub := rest; !found; sub = (sub - 1) & rest {
			T := sub | low
			for t := range in.types {
				c := e.rb[t*e.full+T]
				nu := e.next(u, t)
				if math.IsInf(c, 1) || nu < 0 {
					continue
				}
				if c+e.solve(S&^T, nu) == target {
					sol.replace(sol.spare[t], e.ro[t*e.full+T])
					S, u, found = S&^T, nu, true
					break
				}
			}
			if sub == 0 {
				break
			}
		}
		if !found { // cannot happen: target was computed from these terms
			return nil
		}
	}
	sol.recompute()
	return sol
}
