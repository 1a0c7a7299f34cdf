package routing

// Three choices for problems with windows (issue 17, wave 13; Solomon at
// the 1 s budget, README.md "wave 13" has the measurements).
//
// The first solution is not polished. Solve's first solution with windows
// is a sequential insertion (recreate from nothing), 6-22 % above the
// best known after the engine's local search; that search took 23-60 ms
// of a 1 s budget on Solomon's 100 customers, and the annealing, which
// starts hot, leaves its local optimum at once. The annealing now starts
// from the insertion itself (its mean arc, larger, sets a hotter
// temperature, as the rule in temp.go says).
//
// No local search on new bests in the first twLSFrom of the budget. Early
// on a new best comes every few iterations and its local search costs
// 10-25 ms (the solution is far from a local optimum); in a 1 s run those
// searches took about a tenth of the time on the long routes of Solomon's
// type-2 instances.
//
// A route squeeze one route above the capacity bound. maintain squeezes a
// solution with more routes than the capacity bound on problems without
// windows; with windows it did not, so a run on Solomon's C203 that settles
// on four routes (620.30, 4.9 % above the three-route optimum 591.17) never
// leaves them: no ruin and recreate empties a route of 25 visits. Here the
// same squeeze (SISR with the fleet capped, its smallest route emptied)
// runs on problems with windows, one vehicle type and one trip, hard
// limits, when the solution has twSqueezeAbove routes more than the bound.
// The objective is distance, and with wide windows the cheapest solutions
// often use more routes than the bound (R201: 8-9 routes against a bound
// of 2), so the squeezed solution is kept only when it costs no more than
// the one before, which is restored otherwise; and further above the bound
// (R1, RC1, R2, RC2: 2-10 routes above it) squeezing cost iterations and
// gained nothing. A squeeze that is not kept backs off as a failed one
// does (the interval doubles).

// Two more insertion orders. SISR recreates in one of four orders drawn
// with weights 4, 4, 2, 1: random, largest demand, farthest from the
// depot, closest. None looks at the windows, so a job with a narrow or
// early window is often inserted after the jobs around it have taken the
// times it could use, and its only places left are on another route or a
// route of its own. On Solomon's class two orders are added, each drawn
// with weight twOrderDraws: the narrowest window first (Solomon's tight
// jobs), and the earliest latest start first (the routes built forward in
// time, as Solomon's I1 insertion heuristic extends them).

// twClass reports whether the instance is of the class these choices were
// measured on: windows, one vehicle type open to every job, one trip, no
// time cost, vehicles not minimised (Solomon's VRPTW). The weekly plan's
// days (several types, trips, time costs) keep their search as it was.
func (in *inst) twClass() bool {
	return in.anyWindows && in.nt == 1 && !in.restrict && !in.multiTrip && !in.hasTimeCost && in.routeW == 0
}

// twOrders switches the two window orders on (bench env TWORD=0 off);
// twOrderDraws is the weight of each (bench env TWORDW=k).
var (
	twOrders     = true
	twOrderDraws = 1
)

// insertOrders is the number of draws recreate picks its order from:
// SISR's, plus the window orders' on Solomon's class.
func (w *worker) insertOrders() int {
	if twOrders && w.in.twClass() {
		return sisrOrders + 2*twOrderDraws
	}
	return sisrOrders
}

// windowOrder sorts the jobs by window width (x < twOrderDraws) or by
// latest start (the hull of their windows; ties by job index).
func (w *worker) windowOrder(rem []int32, x int) {
	seg := w.in.jseg
	if x < twOrderDraws {
		w.sortBy(rem, func(j int32) float64 { return seg[j].l - seg[j].e })
		return
	}
	w.sortBy(rem, func(j int32) float64 { return seg[j].l })
}

// twPolishFirst polishes the first solution with windows as before wave 13
// (bench env TWPOLISH=1).
var twPolishFirst = false

// twLSFrom is the part of the budget after which new bests get their local
// search on problems with windows (bench env TWLSFROM=x).
var twLSFrom = 0.15

// twSqueezeOn switches the squeeze with windows on (bench env TWSQZ=0 off).
var twSqueezeOn = true

// capBound is ceil(total demand / capacity) over the dimensions for one
// vehicle type without restrictions and one trip, windows or not; 0 when
// it does not apply.
func (in *inst) capBound() int {
	if in.nt != 1 || in.restrict || in.multiTrip {
		return 0
	}
	b := 0
	for d := 0; d < in.dim; d++ {
		sum := int64(0)
		for j := 0; j < in.nj; j++ {
			if in.active[j] && in.mandatory[j] {
				sum += in.amt[j*in.dim+d]
			}
		}
		if c := in.types[0].capa[d]; c > 0 {
			b = max(b, int((sum+c-1)/c))
		}
	}
	return b
}

// twSqueezeOK reports whether maintain squeezes with windows.
func (w *worker) twSqueezeOK() bool {
	return twSqueezeOn && w.in.twClass() && w.in.twBound > 0 && w.tw == nil && !w.s.soft
}

// twSqueezeDue reports whether maintain squeezes with windows now: at the
// squeeze's turn, the solution 1 to twSqueezeAbove routes above the bound.
func (w *worker) twSqueezeDue(it, next int) bool {
	above := w.s.nRoutes() - w.in.twBound
	return it >= next && above > 0 && above <= twSqueezeAbove && w.twSqueezeOK()
}

// squeezeKept is squeeze, keeping its result only when it has fewer routes
// at no more cost; it returns the iterations used and whether it kept it.
func (w *worker) squeezeKept(stop func() bool, budget int, temp float64) (int, bool) {
	s := w.s
	s.recompute()
	before, nr := s.cost, s.nRoutes()
	var snap snapshot
	s.save(&snap)
	used := w.squeeze(stop, budget, temp)
	s.recompute()
	if s.nRoutes() < nr && s.cost <= before+1e-9 {
		return used, true
	}
	if s.nRoutes() < nr {
		s.load(&snap)
	}
	return used, false
}

// twSqueezeAbove is how many routes above the capacity bound a solution
// may be for the squeeze to run (bench env TWSQZA=k).
var twSqueezeAbove = 1
