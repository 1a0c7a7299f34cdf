package routing

import "math"

// exactMaxJobs bounds the problems solved by enumeration.
const exactMaxJobs = 8

// exactOn lets tests switch the exact path off to exercise the search on
// tiny problems.
var exactOn = true

// exact solves a problem with at most exactMaxJobs servable jobs to proven
// optimality: the best order of every job subset on every vehicle type by
// enumeration (at most 109,601 sequences per type for 8 jobs), then a
// dynamic programme over job subsets and vehicles used per limited type that
// chooses routes and left-out jobs. It returns nil when the problem is too
// large for it.
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
	full := 1 << m
	// vehicles are tracked only for types whose fleet could bind
	var lim []int // type indexes with count < m
	radix := []int{}
	states := 1
	for t := range in.types {
		if in.types[t].count < m {
			lim = append(lim, t)
			radix = append(radix, in.types[t].count+1)
			states *= in.types[t].count + 1
		}
	}
	if states*full > 1<<20 {
		return nil
	}
	// best route per (type, subset)
	rb := make([]float64, in.nt*full)
	ro := make([][]int32, in.nt*full)
	for i := range rb {
		rb[i] = math.Inf(1)
	}
	seq := make([]int32, 0, m)
	load := make([]int64, in.dim)
	for t := range in.types {
		var dfs func(mask int)
		dfs = func(mask int) {
			if mask != 0 {
				if c, ok := in.seqCost(t, seq); ok && c < rb[t*full+mask] {
					rb[t*full+mask] = c
					ro[t*full+mask] = append(ro[t*full+mask][:0], seq...)
				}
			}
			// Highest job index first: among equally cheap orders this keeps
			// the one the search itself tends to return (examples elsewhere
			// print routes).
			for k := len(act) - 1; k >= 0; k-- {
				j := act[k]
				if mask&(1<<k) != 0 || !in.allowed[int(j)*in.nt+t] {
					continue
				}
				a := in.jobAmt(j)
				fits := true
				for d := range a {
					if load[d]+a[d] > in.types[t].capa[d] {
						fits = false
					}
				}
				if !fits {
					continue
				}
				for d := range a {
					load[d] += a[d]
				}
				seq = append(seq, j)
				dfs(mask | 1<<k)
				seq = seq[:len(seq)-1]
				for d := range a {
					load[d] -= a[d]
				}
			}
		}
		dfs(0)
	}
	// g[S*states+u]: cheapest way to settle the jobs of S with the limited
	// vehicles already used encoded in u (mixed radix over lim)
	g := make([]float64, full*states)
	done := make([]bool, full*states)
	limIdx := make([]int, in.nt)
	for t := range limIdx {
		limIdx[t] = -1
	}
	stride := make([]int, len(lim))
	s := 1
	for k, t := range lim {
		limIdx[t] = k
		stride[k] = s
		s *= radix[k]
	}
	var solve func(S, u int) float64
	solve = func(S, u int) float64 {
		if S == 0 {
			return 0
		}
		key := S*states + u
		if done[key] {
			return g[key]
		}
		low := S & -S
		i := 0
		for 1<<i != low {
			i++
		}
		best := in.pen[act[i]] + solve(S&^low, u)
		rest := S &^ low
		for sub := rest; ; sub = (sub - 1) & rest {
			T := sub | low
			for t := range in.types {
				c := rb[t*full+T]
				if math.IsInf(c, 1) {
					continue
				}
				nu := u
				if k := limIdx[t]; k >= 0 {
					if (u/stride[k])%radix[k] == radix[k]-1 {
						continue
					}
					nu += stride[k]
				}
				if v := c + solve(S&^T, nu); v < best {
					best = v
				}
			}
			if sub == 0 {
				break
			}
		}
		done[key], g[key] = true, best
		return best
	}
	solve(full-1, 0)
	// rebuild the choice
	sol := newSolution(in)
	S, u := full-1, 0
	for S != 0 {
		low := S & -S
		i := 0
		for 1<<i != low {
			i++
		}
		target := g[S*states+u]
		if v := in.pen[act[i]] + solve(S&^low, u); v == target {
			S &^= low
			continue
		}
		rest := S &^ low
		found := false
		for sub := rest; !found; sub = (sub - 1) & rest {
			T := sub | low
			for t := range in.types {
				c := rb[t*full+T]
				if math.IsInf(c, 1) {
					continue
				}
				nu := u
				if k := limIdx[t]; k >= 0 {
					if (u/stride[k])%radix[k] == radix[k]-1 {
						continue
					}
					nu += stride[k]
				}
				if c+solve(S&^T, nu) == target {
					ri := sol.spare[t]
					sol.replace(ri, ro[t*full+T])
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
