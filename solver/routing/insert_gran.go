package routing

// Granular insertion positions (issue 17, wave 5). SISR's recreate
// (bestInsert) tries every position of every route, among those of the
// job's candNear nearest visits, that has room for it. Here a job is tried
// only next to its granK nearest visits in routes with room (looked for
// among its granWalk nearest): before and after each, at both ends of
// those routes when the depot is nearer to the job than the farthest of
// them, and in one empty route per type. Built for capacity-only problems
// with one trip per vehicle, hard limits and symmetric distances
// (granOK): there the cost of a position is its detour alone.
//
// Off: on CVRPLIB X it saves nothing worth having. The capacity test
// already leaves 2.6-2.9 of the 7-9 candidate routes per insertion, so
// the full scan tries 11 (X-n251), 21 (X-n561) and 34 (X-n1001) positions
// at about a nanosecond each, in order; granK = 10 tries 13, 17 and 18,
// read out of order, and picks a worse place than the full scan 1-4 % of
// the time. It was not better at equal CPU, at 5 s nor at 30 s
// (README.md, wave 5). Note that FILO's
// recreate (Accorsi & Vigo 2021) also tries every position of the routes
// of a job's neighbours, as bestInsert does.

// granOn switches granular positions on in Solve's recreate; off by
// default: measured no better at equal CPU (README.md, wave 5).
var granOn = false

// granK is how many nearest neighbours give the positions (at most the
// 149 of the SISR adjacency lists).
var granK = 10

// granWalk is how far down a job's adjacency list granNear looks for
// visits in routes the job fits (149 at most).
var granWalk = 40

// granDepot adds both ends of the neighbours' routes when the depot is
// nearer to the job than its granK-th neighbour.
var granDepot = true

// granPos is a position of a granular insertion: after node pos of route
// ri (the tests' record of what was tried).
type granPos struct{ ri, pos int32 }

// granOK reports whether granular positions apply to the worker's search.
func (w *worker) granOK() bool {
	in := w.in
	return w.gran && in.noTime && in.sym && !in.multiTrip && !w.s.soft
}

// granNear lists in w.gnb the granK visits nearest to j (SISR's
// adjacency list, up to its 149 entries) that are in a route j may join
// (type allowed, capacity), and in w.cand those routes, each once, in the
// order of their first neighbour. Skipping visits out of every route
// matters (a ruin removes strings around one visit, so during recreate
// many of a job's nearest visits are out), and so does skipping full
// routes: the routes of the nearest visits are often full, and without
// them the granular choice was an empty route or a poor one 14 % of the
// time at granK = 10 (README.md, wave 5). w.gfit holds each route's
// verdict for the routes stamped with w.rst.
func (w *worker) granNear(j int32) []int32 {
	s, in := w.s, w.in
	nr := len(s.routes)
	if len(w.rstamp) < nr {
		w.rstamp = append(w.rstamp, make([]int32, nr-len(w.rstamp))...)
	}
	if len(w.gfit) < nr {
		w.gfit = append(w.gfit, make([]bool, nr-len(w.gfit))...)
	}
	w.rst++
	a := in.visitAmt(j)
	nb, c := w.gnb[:0], w.cand[:0]
	walk := in.adj[j][1:]
	walk = walk[:min(granWalk, len(walk))]
	for _, v := range walk {
		ri := s.jr[v]
		if ri < 0 {
			continue
		}
		if w.rstamp[ri] != w.rst {
			w.rstamp[ri] = w.rst
			r := s.routes[ri]
			ok := in.allowed[int(j)*in.nt+r.t] && w.capOK(r.t, r.load(in), a, w.zero)
			w.gfit[ri] = ok
			if ok {
				c = append(c, int(ri))
			}
		}
		if w.gfit[ri] {
			nb = append(nb, v)
			if len(nb) == granK {
				break
			}
		}
	}
	w.gnb, w.cand = nb, c
	return nb
}

// bestInsertGran is bestInsert on the granular positions of visit j: after
// and before each of its granK nearest visits in a route j may join
// (granNear), in the order of the neighbours; both ends of those routes
// when the depot is nearer than the farthest of those visits; one empty
// route per type.
// Each position is skipped with probability blink; when none is feasible,
// bestInsert's full scan decides. The cost of a position is rangeNoTime's,
// by the same float operations (TestGranCostIsFullCost). A position may be
// tried twice (after v and before the visit that follows v).
func (w *worker) bestInsertGran(j int32, blink float64) insertion {
	in, s := w.in, w.s
	best := insertion{ri: -1, pos: -1, cost: in.pen[j]}
	lj := int(in.loc[j])
	row := in.dist[lj*in.n : (lj+1)*in.n]
	nb := w.granNear(j)
	c := w.cand
	try := func(ri int, r *route, i int, extra float64) {
		if w.gtrace != nil {
			*w.gtrace = append(*w.gtrace, granPos{int32(ri), int32(i)})
		}
		if blink > 0 {
			if w.blinkGap == 0 {
				w.blinkGap = w.drawGap(blink)
				return
			}
			w.blinkGap--
		}
		cost := extra + in.types[r.t].cpd*(row[r.locs[i]]+row[r.locs[i+1]]-(r.cumD[i+1]-r.cumD[i]))
		if cost < best.cost {
			best = insertion{ri: ri, pos: i, cost: cost}
		}
	}
	for _, v := range nb {
		ri := s.jr[v]
		r := s.routes[ri]
		p := int(s.jp[v])
		try(int(ri), r, p-1, 0)
		try(int(ri), r, p, 0)
	}
	if granDepot && len(nb) > 0 && in.depotDist[j] <= row[in.loc[nb[len(nb)-1]]] {
		for _, ri := range c {
			r := s.routes[ri]
			try(ri, r, 0, 0)
			try(ri, r, len(r.jobs), 0)
		}
	}
	for t, ri := range s.spare {
		if ri >= 0 && in.allowed[int(j)*in.nt+t] {
			try(ri, s.routes[ri], 0, in.types[t].fixed+in.routeW)
		}
	}
	if best.ri < 0 {
		return w.bestInsert(j, blink)
	}
	return best
}
