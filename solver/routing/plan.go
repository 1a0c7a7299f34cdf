package routing

import (
	"fmt"
	"slices"

	"github.com/rlplan/rlplan/solver"
)

// Model is a Problem prepared once for many Plans (the days of a periodic
// plan share one): matrices flattened, jobs split into visits, neighbour
// lists built, each job checked alone. It is read-only, so Plans on one
// Model may run in parallel.
type Model struct{ in *inst }

// NewModel prepares p; it fails when p.Validate does. p must not change
// while the Model is in use.
func NewModel(p *Problem) (*Model, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Model{in: newInst(p)}, nil
}

// Problem returns the problem the model was built from.
func (m *Model) Problem() *Problem { return m.in.p }

// Servable reports whether job j fits some allowed vehicle on a route of its
// own (every piece of it, when split); when it does not, the Unserved says
// which limit blocks it (capacity, time_window, shift_length or
// vehicle_type), as Solve would report it.
func (m *Model) Servable(j int) (bool, Unserved) {
	in := m.in
	for v := in.first[j]; v < in.first[j+1]; v++ {
		if !in.active[v] {
			u := in.pre[v]
			u.Job, u.Amount = j, slices.Clone(in.p.Jobs[j].Amount)
			return false, u
		}
	}
	return true, Unserved{}
}

// Plan is a set of feasible routes over a Model's jobs, built job by job with
// routing's own moves: the cheapest insertion (any position of any route, a
// new trip of a vehicle already out, an empty vehicle; the one Solve
// recreates with) and the local search that polishes Solve's best
// solutions. It is how the periodic planner edits one day. Jobs start out
// of the plan and cost nothing there; every route always meets every limit.
// A Plan is not safe for concurrent use.
type Plan struct {
	m   *Model
	w   *worker
	ver int // changes with the routes; an Insertion is valid for one ver
}

// NewPlan returns an empty plan; seed drives the local search's order.
func (m *Model) NewPlan(seed solver.Seed) *Plan {
	return &Plan{m: m, w: newWorker(m.in, splitmix(uint64(seed)))}
}

// Cost is the summed cost of the plan's routes: fixed, distance and
// duration costs, as Result.Cost counts them (no penalties).
func (pl *Plan) Cost() float64 {
	c := 0.0
	for _, r := range pl.w.s.routes {
		if len(r.jobs) > 0 {
			c += r.cost - pl.m.in.routeW
		}
	}
	return c
}

// Has reports whether any visit of job j is in the plan.
func (pl *Plan) Has(j int) bool {
	in := pl.m.in
	for v := in.first[j]; v < in.first[j+1]; v++ {
		if pl.w.s.jr[v] >= 0 {
			return true
		}
	}
	return false
}

// Insertion is the cheapest way found to add a job to a plan, valid until
// the plan changes.
type Insertion struct {
	job, ver int
	cost     float64
	places   []insertion // one per visit, in order (split jobs)
}

// Cost is what the insertion adds to Plan.Cost.
func (ins Insertion) Cost() float64 { return ins.cost }

// BestInsertion finds the cheapest feasible insertion of every visit of job
// j (pieces one after another, each at its cheapest place given the ones
// before), without changing the plan. ok is false when some visit fits
// nowhere, or when j is already in the plan.
func (pl *Plan) BestInsertion(j int) (ins Insertion, ok bool) {
	in, s := pl.m.in, pl.w.s
	if pl.Has(j) {
		return Insertion{}, false
	}
	ins = Insertion{job: j, ver: pl.ver}
	first, last := in.first[j], in.first[j+1]
	if last-first == 1 {
		p := pl.place(first)
		if p.ri < 0 {
			return Insertion{}, false
		}
		ins.cost, ins.places = p.cost, []insertion{p}
		return ins, true
	}
	before := pl.Cost()
	s.beginLog()
	ok = true
	for v := first; v < last && ok; v++ {
		p := pl.place(v)
		if ok = p.ri >= 0; ok {
			ins.places = append(ins.places, p)
			pl.apply(v, p)
		}
	}
	ins.cost = pl.Cost() - before
	s.undo()
	return ins, ok
}

// place is the cheapest feasible insertion of visit v (ri < 0: none).
func (pl *Plan) place(v int32) insertion {
	best := insertion{ri: -1, pos: -1, cost: inf}
	for _, ri := range pl.w.candidates(v, true) {
		pl.w.evalInsert(ri, v, 0, &best)
	}
	return best
}

func (pl *Plan) apply(v int32, p insertion) {
	w := pl.w
	w.nodes = p.nodes(w.nodes[:0], w.in, w.s.routes[p.ri].t, v)
	w.buf = w.s.insert(p.ri, p.pos, w.buf, w.nodes...)
}

// Insert adds the job of ins to the plan. An insertion found before the
// plan last changed is searched again; false when the job fits nowhere.
func (pl *Plan) Insert(ins Insertion) bool {
	if ins.ver != pl.ver || len(ins.places) == 0 {
		var ok bool
		if ins, ok = pl.BestInsertion(ins.job); !ok {
			return false
		}
	}
	in := pl.m.in
	for k, p := range ins.places {
		pl.apply(in.first[ins.job]+int32(k), p)
	}
	pl.ver++
	return true
}

// Remove takes every visit of job j out of the plan and returns the cost
// saved.
func (pl *Plan) Remove(j int) float64 {
	pl.ver++
	return pl.remove(j)
}

func (pl *Plan) remove(j int) float64 {
	in, s := pl.m.in, pl.w.s
	before := pl.Cost()
	for v := in.first[j]; v < in.first[j+1]; v++ {
		ri := s.jr[v]
		if ri < 0 {
			continue
		}
		r := s.routes[ri]
		pl.w.buf = append(pl.w.buf[:0], r.jobs...)
		pl.w.buf = slices.DeleteFunc(pl.w.buf, func(x int32) bool { return x == v })
		s.replace(int(ri), pl.w.buf)
	}
	return before - pl.Cost()
}

// RemovalGain is what Remove(j) would save, without changing the plan.
func (pl *Plan) RemovalGain(j int) float64 {
	s := pl.w.s
	s.beginLog()
	g := pl.remove(j)
	s.undo()
	return g
}

// Improve runs the local search of Solve (relocate, swap, 2-opt*, moves
// inside a route and between trips) on the visits of the given jobs, or of
// every job in the plan when none is given, until no move improves.
func (pl *Plan) Improve(jobs ...int) {
	in := pl.m.in
	var vs []int32
	if len(jobs) == 0 {
		for v := 0; v < in.nj; v++ {
			if pl.w.s.jr[v] >= 0 {
				vs = append(vs, int32(v))
			}
		}
	}
	for _, j := range jobs {
		for v := in.first[j]; v < in.first[j+1]; v++ {
			vs = append(vs, v)
		}
	}
	if len(vs) > 0 {
		pl.w.localSearch(vs)
		pl.w.s.recompute()
		pl.ver++
	}
}

// Routes lays out the plan's routes as Solve reports them (vehicles
// numbered per type, timetables, trips, amounts).
func (pl *Plan) Routes() []Route {
	res := pl.m.in.result(pl.w.s)
	return res.Routes
}

// PlanState is a saved state of a Plan.
type PlanState struct{ snap snapshot }

// Save records the plan's routes.
func (pl *Plan) Save() PlanState {
	var st PlanState
	pl.w.s.save(&st.snap)
	return st
}

// Restore returns the plan to a saved state.
func (pl *Plan) Restore(st PlanState) {
	pl.w.s.load(&st.snap)
	pl.ver++
}

// SetRoutes replaces the plan by routes whose Type and Jobs (and Amounts,
// for split jobs: each visit takes a piece of its job with that amount)
// are read; times are recomputed. It fails, leaving the plan empty, when a
// route breaks a limit or the fleet, or a job is visited more than it has
// pieces.
func (pl *Plan) SetRoutes(routes []Route) error {
	in := pl.m.in
	s := newSolution(in)
	pl.w.s = s
	pl.ver++
	taken := make([]bool, in.nj)
	for k, rt := range routes {
		if rt.Type < 0 || rt.Type >= in.nt {
			return fmt.Errorf("routing: route %d: vehicle type %d outside 0..%d", k, rt.Type, in.nt-1)
		}
		var seq []int32
		for i, j := range rt.Jobs {
			if i > 0 && len(rt.Trips) > 0 && startsTrip(rt.Trips, i) {
				seq = append(seq, in.types[rt.Type].mark)
			}
			var amt []int64
			if i < len(rt.Amounts) {
				amt = rt.Amounts[i]
			}
			v := in.pieceOf(j, amt, taken)
			if v < 0 {
				return fmt.Errorf("routing: route %d visits job %d more often than it has pieces", k, j)
			}
			taken[v] = true
			seq = append(seq, v)
		}
		ri := s.spare[rt.Type]
		if ri < 0 {
			pl.w.s = newSolution(in)
			return fmt.Errorf("routing: route %d: no vehicle of type %d left", k, rt.Type)
		}
		s.replace(ri, seq)
		if !s.routes[ri].feas {
			pl.w.s = newSolution(in)
			return fmt.Errorf("routing: route %d breaks a limit of vehicle type %d", k, rt.Type)
		}
	}
	s.recompute()
	return nil
}

func startsTrip(trips []Trip, i int) bool {
	for _, t := range trips {
		if t.From == i {
			return true
		}
	}
	return false
}

// pieceOf picks a visit of job j not yet taken, preferring one collecting
// amt; -1 when none is left.
func (in *inst) pieceOf(j int, amt []int64, taken []bool) int32 {
	if j < 0 || j >= len(in.p.Jobs) {
		return -1
	}
	any := int32(-1)
	for v := in.first[j]; v < in.first[j+1]; v++ {
		if taken[v] {
			continue
		}
		if amt == nil || slices.Equal(in.visitAmt(v), amt) {
			return v
		}
		if any < 0 {
			any = v
		}
	}
	return any
}
