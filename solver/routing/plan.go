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

// Visits is the number of visits job j is served in: 1, or its pieces
// when it is split (see Job.Splittable).
func (m *Model) Visits(j int) int { return int(m.in.first[j+1] - m.in.first[j]) }

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
// duration costs, as Result.Cost counts them (without Penalty).
func (pl *Plan) Cost() float64 {
	c := 0.0
	for _, r := range pl.w.s.routes {
		if len(r.jobs) > 0 {
			c += r.cost - pl.m.in.routeW
		}
	}
	return c - pl.w.s.excess()
}

// SetPenalties makes the plan's limits on load (capacity of each trip) and
// duration (MaxDuration) soft: a load above capacity costs perLoad per unit
// and a day longer than MaxDuration perTime per time unit, so that
// insertions and moves may pass through infeasible plans, as penalised
// searches do (Vidal et al. 2012's HGS). Both 0 make them hard again (the
// default). Windows, the shift end and the trip count stay hard. Routes are
// priced again at once.
func (pl *Plan) SetPenalties(perLoad, perTime float64) {
	s := pl.w.s
	s.soft, s.lq, s.lt = perLoad > 0 || perTime > 0, perLoad, perTime
	for ri, r := range s.routes {
		if len(r.jobs) > 0 {
			pl.w.buf = append(pl.w.buf[:0], r.jobs...)
			s.replace(ri, pl.w.buf)
		}
	}
	s.recompute()
	pl.ver++
}

// Penalty is what the plan's broken limits cost at the current penalties
// (0 with hard limits).
func (pl *Plan) Penalty() float64 { return pl.w.s.excess() }

// Feasible reports whether every route meets every limit.
func (pl *Plan) Feasible() bool {
	for _, r := range pl.w.s.routes {
		if len(r.jobs) > 0 && (r.exLoad > 0 || r.exTime > eps || !r.winOK) {
			return false
		}
	}
	return true
}

// Evict takes jobs off the routes that break a limit, the last visit of
// such a route first, until every route meets every limit, and returns
// them (each with all its visits removed), in increasing order.
func (pl *Plan) Evict() []int {
	in, s := pl.m.in, pl.w.s
	var out []int
	for ri, r := range s.routes {
		for len(r.jobs) > 0 && (r.exLoad > 0 || r.exTime > eps || !r.winOK) {
			x := r.jobs[len(r.jobs)-1]
			if in.isMark(x) {
				pl.w.buf = append(pl.w.buf[:0], r.jobs[:len(r.jobs)-1]...)
				s.replace(ri, pl.w.buf)
				continue
			}
			j := int(in.job[x])
			pl.remove(j)
			out = append(out, j)
		}
	}
	pl.ver++
	slices.Sort(out)
	return slices.Compact(out)
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
// the plan changes. Its Cost includes the change of Penalty.
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
// nowhere, when j is already in the plan, or when no vehicle can serve it
// alone (see Model.Servable), even with soft limits.
func (pl *Plan) BestInsertion(j int) (ins Insertion, ok bool) {
	in, s := pl.m.in, pl.w.s
	if pl.Has(j) {
		return Insertion{}, false
	}
	for v := in.first[j]; v < in.first[j+1]; v++ {
		if !in.active[v] {
			return Insertion{}, false
		}
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
	before := pl.Cost() + pl.Penalty()
	s.beginLog()
	ok = true
	for v := first; v < last && ok; v++ {
		p := pl.place(v)
		if ok = p.ri >= 0; ok {
			ins.places = append(ins.places, p)
			pl.apply(v, p)
		}
	}
	ins.cost = pl.Cost() + pl.Penalty() - before
	s.undo()
	return ins, ok
}

// place is the cheapest feasible insertion of visit v (ri < 0: none).
func (pl *Plan) place(v int32) insertion { return pl.placeBelow(v, inf) }

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
// saved, Penalty included.
func (pl *Plan) Remove(j int) float64 {
	pl.ver++
	return pl.remove(j)
}

func (pl *Plan) remove(j int) float64 {
	in, s := pl.m.in, pl.w.s
	before := pl.Cost() + pl.Penalty()
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
	return before - pl.Cost() - pl.Penalty()
}

// Relocate moves job j to its cheapest place in the plan (every visit,
// one after another) when that lowers Cost plus Penalty, and reports
// whether it did.
func (pl *Plan) Relocate(j int) bool {
	if !pl.Has(j) {
		return false
	}
	if moved, done := pl.relocateFast(j); done {
		return moved
	}
	return pl.relocate(j)
}

// relocate is Relocate by removal, insertion and undo or commit.
func (pl *Plan) relocate(j int) bool {
	in, s := pl.m.in, pl.w.s
	before := pl.Cost() + pl.Penalty()
	s.beginLog()
	pl.remove(j)
	for v := in.first[j]; v < in.first[j+1]; v++ {
		p := pl.place(v)
		if p.ri < 0 {
			s.undo()
			return false
		}
		pl.apply(v, p)
	}
	if pl.Cost()+pl.Penalty() < before-1e-7 {
		s.commit()
		pl.ver++
		return true
	}
	s.undo()
	return false
}

// RemovalGain is what Remove(j) would save, without changing the plan.
func (pl *Plan) RemovalGain(j int) float64 {
	if g, ok := pl.removalGainFast(j); ok {
		return g
	}
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
// are read; times are recomputed. It fails, leaving the plan as it was,
// when a route breaks a limit or the fleet, or a job is visited more than
// it has pieces.
func (pl *Plan) SetRoutes(routes []Route) error {
	in := pl.m.in
	old := pl.w.s
	s := newSolution(in)
	s.soft, s.lq, s.lt = old.soft, old.lq, old.lt
	pl.w.s = s
	pl.ver++
	taken := make([]bool, in.nj)
	for k, rt := range routes {
		if rt.Type < 0 || rt.Type >= in.nt {
			pl.w.s = old
			return fmt.Errorf("routing: route %d: vehicle type %d outside 0..%d", k, rt.Type, in.nt-1)
		}
		if len(rt.Trips) > in.types[rt.Type].maxTrips {
			pl.w.s = old
			return fmt.Errorf("routing: route %d: %d trips, vehicle type %d makes at most %d", k, len(rt.Trips), rt.Type, in.types[rt.Type].maxTrips)
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
				pl.w.s = old
				return fmt.Errorf("routing: route %d visits job %d more often than it has pieces", k, j)
			}
			taken[v] = true
			seq = append(seq, v)
		}
		ri := s.spare[rt.Type]
		if ri < 0 {
			pl.w.s = old
			return fmt.Errorf("routing: route %d: no vehicle of type %d left", k, rt.Type)
		}
		s.replace(ri, seq)
		if r := s.routes[ri]; !r.feas || r.exLoad > 0 || r.exTime > eps {
			pl.w.s = old
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
