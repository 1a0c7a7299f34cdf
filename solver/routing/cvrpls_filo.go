package routing

import "slices"

// FILO's localised local search (Accorsi & Vigo 2021) on plain CVRP: after
// every ruin and recreate, before the annealing decides, the dedicated
// local search (cvrpls.go) runs with only the clients whose arcs the
// iteration changed as the moving client u (their granular neighbours still
// move with them), and SWAP* only between the routes of those clients and
// the routes of their nearest neighbours. Capacity is hard. It costs
// 20-30x an iteration of plain ruin and recreate and still wins at equal
// CPU on CVRPLIB X (README.md, wave 8): the annealing then compares local
// optima, as FILO's does.
//
// The local search keeps a mirror of the worker's solution: its route r is
// the solution's route r. A route is copied in only when its stamp
// (route.mod) differs from the one mirrored, which after a ruin and
// recreate (or an undo) are the few routes it touched, and only the routes
// the local search changed are written back, through solution.replace, so
// that the undo log of the iteration restores them when the annealing
// rejects it. A worker's solution that is swapped (the pool's turns) or
// reloaded (route squeezing) is mirrored again as a whole (filoState.stale).

// Settings of the localised search (README.md, wave 8: at equal CPU on
// X-n251..n1001, seeds 1-6, 5 s 1.115 -> 0.843 %, 30 s 0.668 -> 0.544 %).
var (
	// filoOn runs the localised local search after every ruin and
	// recreate on plain CVRP (fastOK; bench env FILOLS=0 turns it off).
	filoOn = true
	// filoCheap: only relocate and swap of one client, the ruined clients
	// as u, no SWAP* (FILOCHEAP=1).
	filoCheap = false
	// filoRoutes: every client of the routes the iteration touched is a u
	// (FILOFOCUS=routes), instead of the ends of its new arcs.
	filoRoutes = false
	// filoStar: SWAP* between the routes of the focus clients and their
	// neighbours' routes in each pass (FILONOSTAR=1 turns it off).
	filoStar = true
	// filoStarK > 0 pairs a focus client's route for SWAP* only with the
	// routes of its filoStarK nearest neighbours (FILOSTARK=k; 0: all its
	// granular neighbours). 5 makes a step 0.55-0.65x as costly and was
	// better at equal CPU than all neighbours at 30 s (README.md, wave 8).
	filoStarK = 5
	// filoHeat multiplies the annealing's temperatures while filoOn
	// (FILOHEAT=x).
	filoHeat = 1.0
)

// filoState is a worker's mirror of its solution in the local search.
type filoState struct {
	ls     *cvrpLS
	sol    *solution // the solution mirrored
	mod    []int64   // per route: the route.mod mirrored
	stale  bool      // mirror everything again before the next step
	open   bool      // the fleet is unlimited: a move may open a route
	rem    []int32   // the clients the ruin removed (visits)
	succ   []int32   // per visit: its successor in the route before the iteration (-1 the depot)
	sstamp []int32   // per visit: the stamp under which succ holds
	st     int32
	fstamp []int32 // per id: the stamp under which it is in ls.focus
	fst    int32
	jobs   []int32    // scratch: a route written back
	gains  gainWindow // the search's last gains: steps spared (cvrpls_filo_skip.go)
}

// filoOK reports whether the localised search runs in this worker's
// annealing: filoOn on plain CVRP as the dedicated search admits it.
func (w *worker) filoOK() bool { return filoOn && w.in.fastOK() }

// newFilo prepares the mirror (the solution is mirrored at the first step).
func (w *worker) newFilo() *filoState {
	ls := newCVRPLS(w.in, hgsNear, w.rng)
	ls.lq = 1e12 // a unit of excess costs more than any saving: hard capacity
	if filoStarK > 0 {
		ls.nearest = make([][]int32, ls.m)
		for i := 1; i < ls.m; i++ {
			ls.nearest[i] = slices.Clone(ls.near[i][:min(filoStarK, len(ls.near[i]))])
		}
	}
	fs := &filoState{ls: ls, stale: true}
	fs.open = w.in.types[0].count >= w.in.nj
	fs.succ = make([]int32, w.in.nj)
	fs.sstamp = make([]int32, w.in.nj)
	fs.fstamp = make([]int32, ls.m)
	return fs
}

// noteRuin records the clients the ruin left out (before recreate).
func (fs *filoState) noteRuin(s *solution) { fs.rem = append(fs.rem[:0], s.out...) }

// step runs the localised search on the solution that recreate left, with
// the undo log still open. It returns whether a move was applied.
func (fs *filoState) step(s *solution) bool {
	if len(s.out) > 0 {
		// A blink left a client out (its penalty rejects the state): the
		// mirror has no place for it, so the search would read a stale one.
		return false
	}
	fs.sync(s)
	fs.setFocus(s)
	ls := fs.ls
	if len(ls.focus) == 0 {
		return false
	}
	start := ls.clock
	ls.searchLocal(filoCheap, fs.open)
	if ls.clock == start {
		return false
	}
	fs.writeBack(s, start)
	return true
}

// sync makes the mirror equal to s: every route whose stamp differs is
// copied in (all of them when s is another solution or was reloaded).
func (fs *filoState) sync(s *solution) {
	ls := fs.ls
	if fs.sol != s {
		fs.sol, fs.stale = s, true
	}
	nr := len(s.routes)
	ls.grow(nr)
	for len(fs.mod) < nr {
		fs.mod = append(fs.mod, -1)
	}
	fs.mod = fs.mod[:nr]
	ls.clock++
	id := ls.idOf()
	for ri, r := range s.routes {
		if !fs.stale && fs.mod[ri] == r.mod && len(ls.seq[ri]) == len(r.jobs)+2 {
			continue
		}
		q := append(ls.seq[ri][:0], 0)
		for _, j := range r.jobs {
			q = append(q, id[j])
		}
		ls.seq[ri] = append(q, 0)
		ls.update(ri)
		fs.mod[ri] = r.mod
	}
	fs.stale = false
}

// grow sizes the per-route state for nr routes (new routes empty).
func (ls *cvrpLS) grow(nr int) {
	for len(ls.seq) < nr {
		ls.seq = append(ls.seq, []int32{0, 0})
		ls.cum = append(ls.cum, []int64{0, 0})
		ls.load = append(ls.load, 0)
		ls.pen = append(ls.pen, 0)
		ls.dist = append(ls.dist, 0)
		ls.modified = append(ls.modified, ls.clock)
	}
	ls.seq, ls.cum, ls.load, ls.pen = ls.seq[:nr], ls.cum[:nr], ls.load[:nr], ls.pen[:nr]
	ls.dist, ls.modified = ls.dist[:nr], ls.modified[:nr]
}

// setFocus sets ls.focus: the clients at either end of an arc of a touched
// route that the route did not have before the iteration (FILO's
// selective vertex caching), or every client of the touched routes
// (filoRoutes), or the ruined clients (filoCheap).
func (fs *filoState) setFocus(s *solution) {
	ls := fs.ls
	id := ls.idOf()
	ls.focus = ls.focus[:0]
	fs.fst++
	add := func(j int32) {
		if i := id[j]; fs.fstamp[i] != fs.fst {
			fs.fstamp[i] = fs.fst
			ls.focus = append(ls.focus, i)
		}
	}
	if filoCheap {
		for _, j := range fs.rem {
			if s.jr[j] >= 0 {
				add(j)
			}
		}
		return
	}
	for k, ri := range s.logRoute {
		end := len(s.logPool)
		if k+1 < len(s.logStart) {
			end = s.logStart[k+1]
		}
		now := s.routes[ri].jobs
		if filoRoutes {
			for _, j := range now {
				add(j)
			}
			continue
		}
		fs.newArcs(s.logPool[s.logStart[k]:end], now, add)
	}
}

// newArcs calls add for both client ends of every arc of route now that
// route old did not have (the depot is -1).
func (fs *filoState) newArcs(old, now []int32, add func(int32)) {
	fs.st++
	first := int32(-1)
	for k, j := range old {
		if k == 0 {
			first = j
		}
		next := int32(-1)
		if k+1 < len(old) {
			next = old[k+1]
		}
		fs.succ[j], fs.sstamp[j] = next, fs.st
	}
	prev := int32(-1)
	for _, j := range now {
		if prev < 0 && j != first || prev >= 0 && (fs.sstamp[prev] != fs.st || fs.succ[prev] != j) {
			if prev >= 0 {
				add(prev)
			}
			add(j)
		}
		prev = j
	}
	if prev >= 0 && (fs.sstamp[prev] != fs.st || fs.succ[prev] != -1) {
		add(prev)
	}
}

// writeBack replaces every route the search changed since clock start.
func (fs *filoState) writeBack(s *solution, start int) {
	ls := fs.ls
	for ri := range ls.seq {
		if ls.modified[ri] <= start {
			continue
		}
		q := fs.jobs[:0]
		for _, i := range ls.seq[ri][1 : len(ls.seq[ri])-1] {
			q = append(q, ls.vis[i])
		}
		fs.jobs = q
		s.replace(ri, q)
		fs.mod[ri] = s.routes[ri].mod
	}
}

// searchLocal is search for the clients of ls.focus only, on a mirror
// whose stamps carry over between calls: a pair whose two routes are
// unchanged since u was last tested against it is not tested again, in
// the first pass too (its moves depend on those routes only). cheap keeps
// relocate and swap of one client and drops SWAP*; open allows moves into
// an empty route.
func (ls *cvrpLS) searchLocal(cheap, open bool) {
	rng := ls.rng
	order := ls.focus
	rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
	for _, i := range order {
		if nb := ls.near[i]; len(nb) > 0 && rng.IntN(len(nb)) == 0 {
			rng.Shuffle(len(nb), func(a, b int) { nb[a], nb[b] = nb[b], nb[a] })
		}
	}
	for loop := 0; ; loop++ {
		changed := false
		for _, u := range order {
			if ls.localClient(u, loop > 0 && open, cheap) {
				changed = true
			}
		}
		if !cheap && filoStar && ls.swapStarLocal() {
			changed = true
		}
		if !changed && (loop > 0 || !open) {
			return
		}
	}
}

// localClient tries client u against each of its neighbours (and an
// empty route when empty is set); it reports whether a move was applied.
func (ls *cvrpLS) localClient(u int32, empty, cheap bool) bool {
	last := ls.testedRI[u]
	ls.testedRI[u] = ls.clock
	changed := false
	for _, v := range ls.near[u] {
		ru, rv := ls.route[u], ls.route[v]
		if max(ls.modified[ru], ls.modified[rv]) <= last {
			continue
		}
		pv := int(ls.pos[v])
		if cheap {
			ls.evals++
			if ls.relocate(u, int(rv), pv, 1, false) || ls.swap(u, 1, v, 1) ||
				ls.seq[rv][pv-1] == 0 && ls.relocate(u, int(rv), 0, 1, false) {
				changed = true
			}
			continue
		}
		if ls.tryPair(u, int(rv), pv) {
			changed = true
			continue
		}
		if ls.seq[rv][pv-1] == 0 && ls.tryDepot(u, int(rv)) {
			changed = true
		}
	}
	if empty {
		if re := ls.emptyRoute(); re >= 0 && ls.tryDepot(u, re) {
			changed = true
		}
	}
	return changed
}

// swapStarLocal tests SWAP* between the route of each focus client and
// the routes of its neighbours, skipping pairs tested since both last
// changed (a test that applied nothing then finds nothing now).
func (ls *cvrpLS) swapStarLocal() bool {
	st := &ls.ss
	nr := len(ls.seq)
	ls.ssTables()
	if st.stride < nr {
		st.stride = max(2*nr, 64)
		st.pairAt = make([]int, st.stride*st.stride)
		for k := range st.pairAt {
			st.pairAt[k] = -1
		}
		st.pairSeen = make([]int32, st.stride*st.stride)
	}
	st.pst++
	st.list = st.list[:0]
	for _, u := range ls.focus {
		ru := ls.route[u]
		nb := ls.near[u]
		if filoStarK > 0 {
			nb = ls.nearest[u]
		}
		for _, v := range nb {
			rv := ls.route[v]
			if rv == ru {
				continue
			}
			a, b := min(ru, rv), max(ru, rv)
			if k := int(a)*st.stride + int(b); st.pairSeen[k] != st.pst {
				st.pairSeen[k] = st.pst
				st.list = append(st.list, k)
			}
		}
	}
	ls.rng.Shuffle(len(st.list), func(a, b int) { st.list[a], st.list[b] = st.list[b], st.list[a] })
	changed := false
	for _, k := range st.list {
		ra, rb := k/st.stride, k%st.stride
		if len(ls.seq[ra]) == 2 || len(ls.seq[rb]) == 2 || max(ls.modified[ra], ls.modified[rb]) <= st.pairAt[k] {
			continue
		}
		st.pairAt[k] = ls.clock
		if ls.swapStar(ra, rb) {
			changed = true
		}
	}
	return changed
}
