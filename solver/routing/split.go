package routing

// Giant tours and Split (Prins 2004; Vidal 2022, HGS-CVRP): a solution of a
// plain CVRP without its route boundaries is a sequence of every visit, the
// giant tour; Split cuts a giant tour into routes optimally for that order.
// Used by the population search (pool_hgs.go) on problems with one vehicle
// type, an unlimited fleet, no time aspect and one trip per vehicle.

// splitMaxLoad bounds a route Split considers: HGS stops extending a route
// once its load passes 1.5 times the capacity (a route that full is never
// worth its penalty), which makes Split O(n B) for B visits a route.
const splitMaxLoad = 1.5

// split cuts the giant tour into routes of type 0 minimising the sum of the
// route costs (fixed cost + cost per distance x distance, depots included)
// plus lq times each route's load above capacity, summed over dimensions.
// Bellman's recursion over the tour's prefixes: best[j] is the cheapest cut
// of tour[:j], from[j] where its last route starts. Every route holds at
// least one visit, so the result covers the tour exactly once. It returns
// the routes in tour order, sharing no memory with tour.
func (in *inst) split(tour []int32, lq float64) [][]int32 {
	n := len(tour)
	t := &in.types[0]
	st, en, nn, dim := int(t.start), int(t.end), in.n, in.dim
	best := make([]float64, n+1)
	from := make([]int, n+1)
	for j := 1; j <= n; j++ {
		best[j] = inf
	}
	load := make([]int64, dim)
	for i := 0; i < n; i++ {
		if best[i] == inf {
			continue
		}
		clear(load)
		d := 0.0
		for j := i; j < n; j++ {
			l := int(in.loc[tour[j]])
			if j == i {
				d = in.dist[st*nn+l]
			} else {
				d += in.dist[int(in.loc[tour[j-1]])*nn+l]
			}
			over := false
			for k, a := range in.visitAmt(tour[j]) {
				load[k] += a
				over = over || float64(load[k]) > splitMaxLoad*float64(t.capa[k])
			}
			if over && j > i {
				break
			}
			c := best[i] + t.fixed + in.routeW + t.cpd*(d+in.dist[l*nn+en]) + lq*excessOf(load, t.capa)
			if c < best[j+1] {
				best[j+1], from[j+1] = c, i
			}
		}
	}
	var routes [][]int32
	for j := n; j > 0; j = from[j] {
		routes = append(routes, append([]int32(nil), tour[from[j]:j]...))
	}
	for a, b := 0, len(routes)-1; a < b; a, b = a+1, b-1 {
		routes[a], routes[b] = routes[b], routes[a]
	}
	return routes
}

// orderedCrossover is the OX crossover of HGS (Oliver et al. 1987): the
// child keeps a's visits at positions from..to (cyclically, inclusive) and
// takes the others in b's order, reading b from position to+1 on and
// writing from position to+1 on. a and b must hold the same visits; the
// child is written to dst and returned.
func orderedCrossover(dst, a, b []int32, from, to int, used []bool) []int32 {
	n := len(a)
	dst = append(dst[:0], make([]int32, n)...)
	for _, j := range a {
		used[j] = false
	}
	k := from
	for {
		dst[k] = a[k]
		used[a[k]] = true
		if k == to {
			break
		}
		k = (k + 1) % n
	}
	k = (to + 1) % n
	for i := 1; i <= n; i++ {
		j := b[(to+i)%n]
		if used[j] {
			continue
		}
		dst[k] = j
		used[j] = true
		k = (k + 1) % n
	}
	return dst
}

// giantTour concatenates routes into one sequence, chaining them greedily:
// after a route comes the unused route whose first visit is nearest to its
// last one (ties: the lower index), starting from the first route. Problem
// has no coordinates, so this stands in for HGS's order of the routes by
// polar angle: neighbouring routes stay next to each other in the tour, and
// the crossover's segments keep whole regions.
func (in *inst) giantTour(dst []int32, routes [][]int32) []int32 {
	dst = dst[:0]
	done := make([]bool, len(routes))
	cur := -1
	for range routes {
		next := -1
		bestD := inf
		for k, r := range routes {
			if done[k] || len(r) == 0 {
				continue
			}
			if cur < 0 {
				next = k
				break
			}
			last := routes[cur][len(routes[cur])-1]
			if d := in.dist[int(in.loc[last])*in.n+int(in.loc[r[0]])]; d < bestD {
				next, bestD = k, d
			}
		}
		if next < 0 {
			break
		}
		done[next] = true
		dst = append(dst, routes[next]...)
		cur = next
	}
	return dst
}
