package routing

// Route-count moves at the pool's culls for problems with windows. On
// Solomon's instances the runs that end far from the best known (RC102 at
// 1.46 % with 15 routes where 14 give 0.28 %, RC203 at 2.49 % with 4 routes
// where the best known has 5, R112 at 2.50 % with 11 where it has 10) are
// caught with a wrong number of routes: ruin and recreate moves visits, and
// opening or closing a whole route is a coordinated move it rarely makes at
// low temperature. So a trajectory restarted from a copy of the best at a
// cull first changes the copy's route count: alternately one route fewer
// (squeeze: the jobs of its smallest route served by the others, or the
// copy as it was) and one route more (the route with the most visits cut
// in two). The copy then anneals from there; if its count was the worse
// choice, a later cull replaces it.

// cullRestart is the pool's restart for Solve's search on problems with
// windows: squeeze or split the copy (w.s), by the cull's parity. squeeze
// runs SISR iterations, which it returns.
func (w *worker) cullRestart(cull int, stop func() bool, budget int, temp float64) int {
	if cullSplit && cull%2 == 0 {
		w.splitLongest()
		return 0
	}
	before := w.s.nRoutes()
	used := w.squeeze(stop, budget, temp)
	if cullCap && w.s.nRoutes() < before {
		// keep the fleet at the new count until the next cull (uncap):
		// otherwise the annealing reopens the route before the new
		// structure has been worked on
		s := w.s
		for t := range s.limit {
			s.limit[t] = s.used[t]
			s.fixSpare(t)
		}
	}
	return used
}

// uncap gives s its whole fleet back.
func (w *worker) uncap(s *solution) {
	for t := range s.limit {
		s.limit[t] = w.in.types[t].count
		s.fixSpare(t)
	}
}

// splitLongest cuts the route with the most visits (ties: lowest index) in
// two halves, the second on a free vehicle of its type. Without the triangle
// inequality the second half may start too late or the first end too late:
// then nothing changes.
func (w *worker) splitLongest() {
	s := w.s
	ri := -1
	for k, r := range s.routes {
		if len(r.jobs) >= 2 && s.spare[r.t] >= 0 && (ri < 0 || len(r.jobs) > len(s.routes[ri].jobs)) {
			ri = k
		}
	}
	if ri < 0 {
		return
	}
	r := s.routes[ri]
	h := len(r.jobs) / 2
	head := append(w.seq[:0], r.jobs[:h]...)
	tail := append(w.buf[:0], r.jobs[h:]...)
	w.seq, w.buf = head, tail
	sp := s.spare[r.t]
	s.beginLog()
	s.replace(ri, head)
	s.replace(sp, tail)
	if !s.routes[ri].feas || !s.routes[sp].feas {
		s.undo()
		return
	}
	s.commit()
}
