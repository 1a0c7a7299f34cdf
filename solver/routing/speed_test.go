package routing

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The hot paths of the search keep partial results (updateKept keeps the
// unchanged head and tail of a route's segments) and evaluate insertions
// with fused, early-exiting arithmetic (posEval). These tests pin that
// both give bit for bit what the plain computation gives, so that the
// search follows the same trajectory for a seed.

// speedProblem is a random problem of nj jobs. kind 0: capacity only,
// symmetric distances (the CVRP fast path); kind 1: windows (some jobs with
// two), a shift, asymmetric durations, a duration cost and limit, several
// trips and two vehicle types; kind 2: kind 1 with one window per job and
// no duration cost (the VRPTW path).
func speedProblem(rng *rand.Rand, nj, kind int) *Problem {
	pts := make([][2]float64, nj+2)
	for i := range pts {
		pts[i] = [2]float64{float64(rng.IntN(100)), float64(rng.IntN(100))}
	}
	n := len(pts)
	dist := make([][]float64, n)
	dur := make([][]float64, n)
	for i := range dist {
		dist[i], dur[i] = make([]float64, n), make([]float64, n)
		for j := range dist[i] {
			dist[i][j] = math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1])
			dur[i][j] = dist[i][j] * (0.8 + 0.4*rng.Float64())
		}
	}
	p := &Problem{Distance: dist}
	if kind == 0 {
		p.Vehicles = []VehicleType{{ID: "a", Capacity: []int64{int64(10 + rng.IntN(20))}, CostPerDistance: 1}}
	} else {
		p.Duration = dur
		p.Vehicles = []VehicleType{
			{ID: "a", Count: nj, Capacity: []int64{14, 3}, ShiftEnd: 1000, CostPerDistance: 1, FixedCost: 5, MaxTrips: 3, ReloadTime: 10},
			{ID: "b", Count: nj, Capacity: []int64{12, 4}, Start: 1, End: 1, ShiftEnd: 900, CostPerDistance: 1.5, MaxDuration: 500},
		}
		if kind == 1 {
			p.Vehicles[0].CostPerDuration = 0.3
		}
	}
	for j := 0; j < nj; j++ {
		job := Job{Location: j + 2, Amount: []int64{int64(1 + rng.IntN(5))}, Service: float64(rng.IntN(10))}
		if kind > 0 {
			job.Amount = append(job.Amount, int64(rng.IntN(2)))
			o := float64(rng.IntN(600))
			job.Windows = []TimeWindow{{Open: o, Close: o + 60 + float64(rng.IntN(200))}}
			if kind == 1 && rng.IntN(4) == 0 {
				job.Windows = append(job.Windows, TimeWindow{Open: o + 300, Close: o + 400})
			}
		}
		p.Jobs = append(p.Jobs, job)
	}
	return p
}

// randomEdit changes one route of s at random: a string of it removed,
// reversed or moved, an unassigned job inserted, a job moved to another
// route, or the route emptied.
func randomEdit(rng *rand.Rand, s *solution, buf []int32) []int32 {
	ri := rng.IntN(len(s.routes))
	r := s.routes[ri]
	L := len(r.jobs)
	buf = append(buf[:0], r.jobs...)
	a, b := 0, 0
	if L > 0 {
		a = rng.IntN(L)
		b = a + 1 + rng.IntN(min(L-a, 4))
	}
	switch k := rng.IntN(6); {
	case k == 0 && L > 0:
		buf = slices.Delete(buf, a, b)
	case k == 1 && L > 0:
		slices.Reverse(buf[a:b])
	case k == 2 && len(s.out) > 0:
		buf = slices.Insert(buf, rng.IntN(L+1), s.out[rng.IntN(len(s.out))])
	case k == 3 && L > 0:
		x := buf[a]
		buf = slices.Delete(buf, a, a+1)
		o := s.routes[rng.IntN(len(s.routes))]
		if o == r {
			buf = slices.Insert(buf, rng.IntN(len(buf)+1), x)
			break
		}
		s.replace(ri, buf)
		buf = append(buf[:0], o.jobs...)
		buf = slices.Insert(buf, rng.IntN(len(buf)+1), x)
		for i := range s.routes {
			if s.routes[i] == o {
				ri = i
			}
		}
	case k == 4 && L > 0 && s.in.multiTrip:
		buf = slices.Insert(buf, rng.IntN(L+1), s.in.types[r.t].mark)
	case k == 5:
		buf = buf[:0]
	}
	s.replace(ri, buf)
	return buf
}

func sameSegs(a, b []seg) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !sameF(x.dur, y.dur) || !sameF(x.tw, y.tw) || !sameF(x.e, y.e) || !sameF(x.l, y.l) || x.first != y.first || x.last != y.last {
			return false
		}
	}
	return true
}

func sameF(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

// fwSegs, bwSegs and bwjSegs are a route's segments as its readers see
// them (prefix, suffix, jobsFrom), whether kept or flat.
func fwSegs(r *route) []seg {
	var a []seg
	for i := 0; i <= len(r.jobs)+1; i++ {
		a = append(a, r.fwSeg(i))
	}
	return a
}

func bwSegs(r *route) []seg {
	var a []seg
	for i := 0; i <= len(r.jobs)+1; i++ {
		a = append(a, r.bwSeg(i))
	}
	return a
}

func bwjSegs(in *inst, r *route) []seg {
	var a []seg
	for i := len(r.jobs); i >= 1; i-- {
		a = append(a, in.jobsFrom(r, i).s)
	}
	return a
}

// routeDiff compares r with a copy of it computed from scratch; it
// returns the first field that differs, "" when none. bwj is computed when
// asked: on r itself when fill, else on a copy, so that r keeps entries
// not computed yet into its next change.
func routeDiff(in *inst, r *route, fill bool) string {
	f := &route{t: r.t, jobs: slices.Clone(r.jobs)}
	in.update(f)
	L := len(r.jobs)
	rj := r
	if !fill {
		c := *r
		c.bwj = slices.Clone(r.bwj)
		rj = &c
	}
	if L > 0 {
		for _, x := range []*route{rj, f} {
			in.jobsFrom(x, max(x.bwjFrom-1, 1))
			in.jobsFrom(x, 1)
		}
	}
	switch {
	case !sameSegs(fwSegs(r), fwSegs(f)):
		return "fw"
	case !sameSegs(bwSegs(r), bwSegs(f)):
		return "bw"
	case !sameSegs(bwjSegs(in, rj), bwjSegs(in, f)):
		return "bwj"
	case !slices.EqualFunc(r.cumD, f.cumD, sameF):
		return "cumD"
	case !slices.Equal(r.locs, f.locs):
		return "locs"
	case !slices.Equal(r.cumL, f.cumL):
		return "cumL"
	case !slices.Equal(r.mk, f.mk) || len(r.mk) > 0 && !slices.Equal(r.tp, f.tp):
		return "trips"
	case !sameF(r.dist, f.dist) || !sameF(r.dur, f.dur) || !sameF(r.exLoad, f.exLoad) || !sameF(r.exTime, f.exTime):
		return "totals"
	case r.nm != f.nm || r.feas != f.feas || r.winOK != f.winOK:
		return "flags"
	}
	if !sameF(r.cost, f.cost) {
		return "cost"
	}
	return ""
}

// TestUpdateKeptEqualsFull: after any sequence of route changes, the data
// updateKept leaves in each route (head and tail kept from before) equal
// bit for bit those of a route computed from scratch.
func TestUpdateKeptEqualsFull(t *testing.T) {
	for kind := 0; kind < 3; kind++ {
		for seed := uint64(1); seed <= 6; seed++ {
			rng := rand.New(rand.NewPCG(seed, uint64(kind)))
			p := speedProblem(rng, 20+rng.IntN(40), kind)
			in := newInst(p)
			w := newWorker(in, seed)
			w.recreate(0)
			var buf []int32
			for step := 0; step < 400; step++ {
				buf = randomEdit(rng, w.s, buf)
				for ri, r := range w.s.routes {
					if d := routeDiff(in, r, rng.IntN(3) == 0); d != "" {
						t.Fatalf("kind %d seed %d step %d route %d (%d nodes): %s differs from a full update", kind, seed, step, ri, len(r.jobs), d)
					}
				}
			}
		}
	}
}

// refEvalInsert is evalInsert as it was before the fast paths (one loop,
// a blink drawn per position, the plain segment concatenation): the
// reference the fast paths must reproduce.
func refEvalInsert(w *worker, ri int, j int32, blink float64, best *insertion) {
	in := w.in
	r := w.s.routes[ri]
	t := &in.types[r.t]
	perTrip, ok := w.insertFits(ri, j, best)
	if !ok {
		return
	}
	L := len(r.jobs)
	soft := w.s.soft
	n := in.n
	lj := int(in.loc[j])
	sj := in.jseg[j]
	extra := 0.0
	if L == 0 {
		extra = t.fixed + in.routeW
	}
	exact := r.nm > 0 || in.multi[j]
	prev := int(t.start)
	for i := 0; i <= L; i++ {
		next := int(t.end)
		if i < L {
			next = int(in.loc[r.jobs[i]])
		}
		if blink > 0 {
			if w.blinkGap == 0 {
				w.blinkGap = w.drawGap(blink)
				prev = next
				continue
			}
			w.blinkGap--
		}
		trip := 0
		if perTrip {
			if trip = r.tripOf(i); !w.tfit[trip] {
				prev = next
				continue
			}
		}
		dd := in.dist[prev*n+lj] + in.dist[lj*n+next] - in.dist[prev*n+next]
		if in.sym {
			dd = in.dist[lj*n+prev] + in.dist[lj*n+next] - (r.cumD[i+1] - r.cumD[i])
		}
		c := extra + t.cpd*dd
		if soft {
			c += w.tpen[trip]
		}
		prev = next
		if c >= best.cost && !in.hasTimeCost {
			continue
		}
		if in.noTime {
			*best = insertion{ri: ri, pos: i, cost: c}
			continue
		}
		s := in.cat(in.cat(r.fw[i], sj), r.bw[i+1])
		pen, ok := w.timePen(t, s, r)
		if !ok {
			continue
		}
		c += t.cpt*(s.dur-r.dur) + pen
		if c >= best.cost {
			continue
		}
		if exact {
			w.seq = append(w.seq[:0], r.jobs[:i]...)
			w.seq = append(w.seq, j)
			w.seq = append(w.seq, r.jobs[i:]...)
			ok, dur, _, _ := in.simulate(r.t, w.seq)
			if !ok || dur > t.maxDur+eps {
				continue
			}
			c = extra + t.cpd*dd + t.cpt*(dur-r.dur)
			if soft {
				c += w.tpen[trip] + w.s.lt*(max(dur-t.maxDur, 0)-r.exTime)
			}
			if c >= best.cost {
				continue
			}
		}
		*best = insertion{ri: ri, pos: i, cost: c}
	}
	if L > 0 && r.trips() < t.maxTrips {
		w.evalNewTrip(ri, j, best)
	}
}

// TestEvalInsertMatchesReference: on random solutions, with and without
// blinks, in hard and soft mode, evalInsert finds the same insertion (cost
// bit for bit) as the reference and leaves the blink state and the random
// stream where the reference leaves them.
func TestEvalInsertMatchesReference(t *testing.T) {
	evals := 0
	for kind := 0; kind < 3; kind++ {
		for seed := uint64(1); seed <= 6; seed++ {
			rng := rand.New(rand.NewPCG(seed, 7+uint64(kind)))
			p := speedProblem(rng, 20+rng.IntN(60), kind)
			in := newInst(p)
			fast, ref := newWorker(in, seed), newWorker(in, seed)
			fast.recreate(0)
			ref.s = fast.s
			fast.rng, ref.rng = rand.New(rand.NewPCG(seed, 1)), rand.New(rand.NewPCG(seed, 1))
			fast.blinkGap, ref.blinkGap = 0, 0
			var buf []int32
			for step := 0; step < 150; step++ {
				if step == 75 { // the penalised search of the periodic planner
					fast.s.soft, fast.s.lq, fast.s.lt = true, 3, 2
				}
				buf = randomEdit(rng, fast.s, buf)
				blink := []float64{0, 0.01, 0.3}[step%3]
				j := int32(rng.IntN(in.nj))
				for ri := range fast.s.routes {
					start := insertion{ri: -1, pos: -1, cost: []float64{inf, 30, 5}[rng.IntN(3)]}
					a, b := start, start
					fast.evalInsert(ri, j, blink, &a)
					refEvalInsert(ref, ri, j, blink, &b)
					evals++
					if a.ri != b.ri || a.pos != b.pos || a.kind != b.kind || !sameF(a.cost, b.cost) || fast.blinkGap != ref.blinkGap {
						t.Fatalf("kind %d seed %d step %d: job %d route %d (%d nodes) blink %g: got %+v gap %d, reference %+v gap %d",
							kind, seed, step, j, ri, len(fast.s.routes[ri].jobs), blink, a, fast.blinkGap, b, ref.blinkGap)
					}
				}
				if fast.rng.Uint64() != ref.rng.Uint64() {
					t.Fatalf("kind %d seed %d step %d: random streams differ", kind, seed, step)
				}
			}
		}
	}
	if evals < 1000 {
		t.Fatalf("only %d evaluations compared", evals)
	}
}

// TestCandidatesMatchReference: the candidate routes of a job are those of
// its nearest neighbours in order of first appearance, then the spare
// routes, as a plain scan finds them.
func TestCandidatesMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := speedProblem(rng, 300, 0)
	in := newInst(p)
	w := newWorker(in, 5)
	w.recreate(0)
	var buf []int32
	for step := 0; step < 300; step++ {
		buf = randomEdit(rng, w.s, buf)
		j := int32(rng.IntN(in.nj))
		got := slices.Clone(w.candidates(j, false))
		var want []int
		seen := map[int]bool{}
		if len(w.s.routes) <= 16 {
			t.Fatalf("%d routes: the neighbour scan is not exercised", len(w.s.routes))
		}
		for _, v := range in.near[j][:min(candNear, len(in.near[j]))] {
			if ri := int(w.s.jr[v]); ri >= 0 && !seen[ri] {
				seen[ri] = true
				want = append(want, ri)
			}
		}
		for _, ri := range w.s.spare {
			if ri >= 0 && !seen[ri] {
				seen[ri] = true
				want = append(want, ri)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("step %d job %d: candidates %v, want %v", step, j, got, want)
		}
	}
}

// BenchmarkRecreate times one ruin-and-recreate iteration of the search
// (SISR's ruin, greedy insertion with blinks, undo), the loop that
// Solve's iterations per second depend on, on three kinds of instance:
// capacity only with 500 jobs (CVRPLIB X-like), 100 jobs with windows
// (Solomon-like) and 100 jobs with several trips, windows and a duration
// cost. Run with
//
//	go test ./solver/routing -run '^$' -bench Recreate -count 5
func BenchmarkRecreate(b *testing.B) {
	for _, c := range []struct {
		name     string
		nj, kind int
	}{{"cvrp500", 500, 0}, {"vrptw100", 100, 2}, {"trips100", 100, 1}} {
		b.Run(c.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			in := newInst(speedProblem(rng, c.nj, c.kind))
			w := newWorker(in, 3)
			w.recreate(0)
			w.localSearch(nil)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				w.s.beginLog()
				w.ruin()
				w.recreate(sisrBlink)
				w.s.undo()
			}
		})
	}
}

// TestSortByTotalOrder: sortBy orders by key, then job index, whatever the
// length (insertion sort or not), NaN and signed zeros included.
func TestSortByTotalOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	w := &worker{}
	keys := []float64{math.NaN(), math.Copysign(0, -1), 0, 1, -1, math.Inf(1), 2.5}
	for trial := 0; trial < 200; trial++ {
		n := rng.IntN(40)
		key := make([]float64, n)
		a := make([]int32, n)
		for i := range a {
			a[i] = int32(i)
			key[i] = keys[rng.IntN(len(keys))]
		}
		rng.Shuffle(n, func(x, y int) { a[x], a[y] = a[y], a[x] })
		want := slices.Clone(a)
		slices.SortFunc(want, func(x, y int32) int {
			if c := cmp.Compare(key[x], key[y]); c != 0 {
				return c
			}
			return cmp.Compare(x, y)
		})
		w.sortBy(a, func(j int32) float64 { return key[j] })
		if !slices.Equal(a, want) {
			t.Fatalf("trial %d: %v, want %v", trial, a, want)
		}
	}
}

// TestRemovalGainFastMatches: on two plans built alike, RemovalGain (its
// fast way where it applies) and removal plus undo give the same gain bit
// for bit and leave the plans in the same state (cost, job index,
// unassigned list, undo log), through insertions, relocations, local
// search and penalised limits.
func TestRemovalGainFastMatches(t *testing.T) {
	fastCalls := 0
	for kind := 0; kind < 3; kind++ {
		for seed := uint64(1); seed <= 4; seed++ {
			rng := rand.New(rand.NewPCG(seed, 11+uint64(kind)))
			p, a, b := twinPlans(t, rng, kind)
			for step := 0; step < 300; step++ {
				j := rng.IntN(len(p.Jobs))
				switch rng.IntN(8) {
				case 0:
					a.Relocate(j)
					b.Relocate(j)
				case 1:
					a.Improve(j)
					b.Improve(j)
				}
				if step == 150 { // penalised limits, cheap enough to be broken
					a.SetPenalties(0.05, 0.05)
					b.SetPenalties(0.05, 0.05)
				}
				ga, ok := a.removalGainFast(j)
				if ok {
					fastCalls++
				} else {
					ga = a.RemovalGain(j)
				}
				sb := b.w.s
				sb.beginLog()
				gb := b.remove(j)
				sb.undo()
				if d := planDiff(a, b); !sameF(ga, gb) || d != "" {
					t.Fatalf("kind %d seed %d step %d job %d: gain %v against %v by removal and undo; state differs in %q", kind, seed, step, j, ga, gb, d)
				}
			}
		}
	}
	if fastCalls < 500 {
		t.Fatalf("the fast way ran %d times only", fastCalls)
	}
}

// twinPlans builds a random problem of the kind and two plans of it
// filled alike by cheapest insertion, for comparing a fast path on one with
// the plain computation on the other.
func twinPlans(t *testing.T, rng *rand.Rand, kind int) (*Problem, *Plan, *Plan) {
	t.Helper()
	p := speedProblem(rng, 30+rng.IntN(40), kind)
	m, err := NewModel(p)
	if err != nil {
		t.Fatal(err)
	}
	a, b := m.NewPlan(1), m.NewPlan(1)
	for j := range p.Jobs {
		for _, pl := range []*Plan{a, b} {
			if ins, ok := pl.BestInsertion(j); ok {
				pl.Insert(ins)
			}
		}
	}
	return p, a, b
}

// planDiff names the first part of a's solution that differs from b's.
func planDiff(a, b *Plan) string {
	x, y := a.w.s, b.w.s
	switch {
	case !sameF(x.cost, y.cost):
		return "cost"
	case !slices.Equal(x.jr, y.jr) || !slices.Equal(x.jp, y.jp):
		return "job index"
	case !slices.Equal(x.out, y.out) || !slices.Equal(x.outPos, y.outPos):
		return "unassigned"
	case x.logOn != y.logOn || !slices.Equal(x.logRoute, y.logRoute) || !slices.Equal(x.logStart, y.logStart) || !slices.Equal(x.logPool, y.logPool):
		return "undo log"
	case x.stamp != y.stamp || !slices.Equal(x.touched, y.touched):
		return "stamps"
	case !slices.Equal(x.used, y.used) || !slices.Equal(x.spare, y.spare) || len(x.routes) != len(y.routes):
		return "fleet"
	}
	for k := range x.routes {
		if !slices.Equal(x.routes[k].jobs, y.routes[k].jobs) || !sameF(x.routes[k].cost, y.routes[k].cost) {
			return "routes"
		}
	}
	return ""
}

// TestRelocateFastMatches: on two plans built alike, Relocate (its fast
// way where it applies) and the plain removal, insertion and undo or commit
// make the same decision and leave the plans in the same state, through
// removals, insertions, local search and penalised limits.
func TestRelocateFastMatches(t *testing.T) {
	fast, moved, penalised := 0, 0, 0
	for kind := 0; kind < 3; kind++ {
		for seed := uint64(1); seed <= 4; seed++ {
			rng := rand.New(rand.NewPCG(seed, 21+uint64(kind)))
			p, a, b := twinPlans(t, rng, kind)
			for step := 0; step < 400; step++ {
				j := rng.IntN(len(p.Jobs))
				switch rng.IntN(10) {
				case 0:
					a.Remove(j)
					b.Remove(j)
				case 1:
					if ins, ok := a.BestInsertion(j); ok {
						a.Insert(ins)
					}
					if ins, ok := b.BestInsertion(j); ok {
						b.Insert(ins)
					}
				case 2:
					a.Improve(j)
					b.Improve(j)
				}
				if step == 200 { // penalised limits, cheap enough to be broken
					a.SetPenalties(0.05, 0.05)
					b.SetPenalties(0.05, 0.05)
				}
				if !a.Has(j) {
					continue
				}
				ma, done := a.relocateFast(j)
				if done {
					fast++
				} else {
					ma = a.relocate(j)
				}
				mb := b.relocate(j)
				if ma {
					moved++
				}
				if a.Penalty() > 0 {
					penalised++
				}
				if d := planDiff(a, b); ma != mb || d != "" {
					t.Fatalf("kind %d seed %d step %d job %d: moved %v, plain %v; state differs in %q", kind, seed, step, j, ma, mb, d)
				}
			}
		}
	}
	t.Logf("fast %d moved %d penalised %d", fast, moved, penalised)
	if fast < 1000 || moved < 20 || penalised < 100 {
		t.Fatalf("fast way decided %d times, %d moves made: the test does not exercise both ways", fast, moved)
	}
}
