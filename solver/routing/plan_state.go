package routing

// Helpers for searches that edit Plans many times a second (the periodic
// planner's ruin and recreate): a reusable save and a size measure.

// SaveTo records the plan's routes into st, reusing its storage: a search
// that saves and restores every iteration then allocates nothing.
func (pl *Plan) SaveTo(st *PlanState) { pl.w.s.save(&st.snap) }

// Arcs is the number of arcs the plan's routes travel (nodes visited,
// reloads included, plus one per route), the count a mean arc cost is
// taken over.
func (pl *Plan) Arcs() int {
	n := 0
	for _, r := range pl.w.s.routes {
		if len(r.jobs) > 0 {
			n += len(r.jobs) + 1
		}
	}
	return n
}

// Begin starts recording the plan's changes so that Undo can take them
// back in time proportional to the routes changed (Restore rebuilds every
// route). Insert, Remove and BestInsertion of a job with one visit may run
// in between; BestInsertion of a split job, Relocate and Improve use the
// same record and must not (Commit first).
func (pl *Plan) Begin() { pl.w.s.beginLog() }

// Undo returns the plan to its state at Begin.
func (pl *Plan) Undo() {
	pl.w.s.undo()
	pl.w.s.recompute()
	pl.ver++
}

// Commit keeps the changes since Begin and stops recording.
func (pl *Plan) Commit() { pl.w.s.commit() }
