package routing

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// SISR parameters (Christiaens & Vanden Berghe 2020, table 6).
const (
	sisrCbarDefault = 10.0 // average number of removed jobs
	sisrSplit       = 0.5  // probability of the split-string variant
	sisrPreserve    = 0.5  // continue growing the preserved part with this probability
	sisrBlink       = 0.01 // blink rate of the greedy insertion
)

var sisrCbar = sisrCbarDefault

// sisrLmax is the maximum string length.
var sisrLmax = 10.0

type worker struct {
	in      *inst
	s       *solution
	rng     *rand.Rand
	cand    []int
	fitc    []int // the candidates with room (evalRoutes)
	rstamp  []int32
	rst     int32
	nstamp  []int32 // candidates' stamps: route ri at ri+1, "no route" at 0
	nst     int32
	seq     []int32
	buf     []int32
	rem     []int32
	lsJobs  []int32
	seedOut bool       // ruin around unassigned jobs (route squeezing)
	holdCap bool       // a successful squeeze keeps its fleet cap (a route-count probe: pool_probe.go)
	starTW  bool       // SWAP* with windows may run (Solve's search, not a Plan's: op_swapstar_tw.go)
	gran    bool       // granular insertion positions may run (Solve's search: insert_gran.go)
	gnb     []int32    // the near visits of a granular insertion (granNear)
	gfit    []bool     // per route: may the visit being inserted join it (granPositions)
	gtrace  *[]granPos // when set, the positions granular insertion tries (tests)
	tw      *warpState // the time-warp price when it is on (twarp.go)
	fls     *cvrpLS    // the plain-CVRP local search on new bests (cvrpls.go: bestLS)
	sqls    *cvrpLS    // the priced squeeze's search (cvrpls_squeeze.go)
	// blinkGap counts the insertion positions left before the next blink.
	blinkGap int
	tmp      []int64
	tmp2     []int64
	zero     []int64
	tload    []int64   // a trip's load
	tfit     []bool    // per trip of a route: does the visit being inserted fit
	tpen     []float64 // per trip of a route: the load excess it adds (soft mode)
	nodes    []int32   // the nodes of an insertion
	keyed    []keyedJob
	// scratch routes and sequences (Plan's fast ways, plan_gain.go)
	scratch, scratch2       route
	scratchSeq, scratchSeq2 []int32
	ls                      lsState
}

func newWorker(in *inst, seed uint64) *worker {
	return &worker{in: in, s: newSolution(in), rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)),
		tmp: make([]int64, in.dim), tmp2: make([]int64, in.dim), zero: make([]int64, in.dim), tload: make([]int64, in.dim)}
}

// ruin removes strings of consecutive jobs from routes near a random seed
// job (SISR's adjacent string removal). The removed jobs are left
// unassigned.
func (w *worker) ruin() {
	s, in, rng := w.s, w.in, w.rng
	assigned, nr := 0, 0
	for _, r := range s.routes {
		if len(r.jobs) > 0 {
			assigned += len(r.jobs)
			nr++
		}
	}
	if nr == 0 {
		return
	}
	lsmax := min(sisrLmax, float64(assigned)/float64(nr))
	ksmax := 4*sisrCbar/(1+lsmax) - 1
	ks := int(rng.Float64()*ksmax) + 1
	// seed: a random assigned job, or while squeezing a left-out one so
	// that the strings come from the routes around it
	var seed int32 = -1
	if w.seedOut {
		if len(s.out) > 0 {
			seed = s.out[rng.IntN(len(s.out))]
		} else if s.nWarp > 0 {
			seed = w.lateJob() // twarp.go
		}
	}
	for try := 0; try < 32 && seed < 0; try++ {
		j := int32(rng.IntN(in.nj))
		if s.jr[j] >= 0 {
			seed = j
		}
	}
	if seed < 0 {
		for j, ri := range s.jr {
			if ri >= 0 {
				seed = int32(j)
				break
			}
		}
	}
	if len(w.rstamp) < len(s.routes) {
		w.rstamp = append(w.rstamp, make([]int32, len(s.routes)-len(w.rstamp))...)
	}
	w.rst++
	for _, c := range in.adj[seed] {
		if ks == 0 {
			break
		}
		ri := s.jr[c]
		if ri < 0 || w.rstamp[ri] == w.rst {
			continue
		}
		w.rstamp[ri] = w.rst
		ks--
		r := s.routes[ri]
		L := len(r.jobs)
		lmax := min(float64(L), lsmax)
		l := int(rng.Float64()*lmax) + 1
		pos := int(s.jp[c]) - 1
		keepFrom, keepTo := 0, 0 // preserved part, relative to the string start
		if l < L && rng.Float64() < sisrSplit {
			m := 1
			for l+m < L && rng.Float64() < sisrPreserve {
				m++
			}
			keepFrom = 1 + rng.IntN(l) // never preserve the first: c may sit there
			keepTo = keepFrom + m
			l += m
		}
		lo, hi := max(0, pos-l+1), min(pos, L-l)
		start := lo + rng.IntN(hi-lo+1)
		w.buf = append(w.buf[:0], r.jobs[:start]...)
		for k := 0; k < l; k++ {
			j := r.jobs[start+k]
			if k >= keepFrom && k < keepTo && j != c || in.isMark(j) {
				w.buf = append(w.buf, j)
			} else {
				w.rem = append(w.rem, j)
			}
		}
		w.buf = append(w.buf, r.jobs[start+l:]...)
		s.replace(int(ri), w.buf)
	}
}

// recreate inserts every unassigned job greedily with blinks, in one of
// SISR's orders (random, largest demand, farthest or closest to a depot;
// on Solomon's class also two orders by window: tw_search.go).
func (w *worker) recreate(blink float64) {
	s := w.s
	w.rem = s.unassigned(w.rem)
	rem := w.rem
	if len(rem) == 0 {
		return
	}
	w.orderRemoved(rem, w.rng.IntN(w.insertOrders()))
	one := w.oneTripHard() // insertOne is insert there
	gran := w.granOK()
	for _, j := range rem {
		var ins insertion
		if gran {
			ins = w.bestInsertGran(j, blink)
		} else {
			ins = w.bestInsert(j, blink)
		}
		switch {
		case ins.ri < 0:
		case one && ins.kind == plain && s.jr[j] < 0:
			s.insertOne(ins.ri, ins.pos, j)
		default:
			w.nodes = ins.nodes(w.nodes[:0], w.in, s.routes[ins.ri].t, j)
			w.buf = s.insert(ins.ri, ins.pos, w.buf, w.nodes...)
		}
	}
	w.rem = w.rem[:0]
}

// sisrOrders is the number of draws that pick SISR's orders: 4 random,
// 4 largest demand, 2 farthest from a depot, 1 closest (Christiaens and
// Vanden Berghe's weights).
const sisrOrders = 11

// orderRemoved puts the jobs to insert in the order of draw x, 0 <= x <
// insertOrders().
func (w *worker) orderRemoved(rem []int32, x int) {
	in, rng := w.in, w.rng
	switch {
	case x < 4:
		rng.Shuffle(len(rem), func(a, b int) { rem[a], rem[b] = rem[b], rem[a] })
	case x < 8:
		w.sortBy(rem, func(j int32) float64 { return -in.size[j] })
	case x < 10:
		w.sortBy(rem, func(j int32) float64 { return -in.depotDist[j] })
	case x < sisrOrders:
		w.sortBy(rem, func(j int32) float64 { return in.depotDist[j] })
	default:
		w.windowOrder(rem, x-sisrOrders) // tw_search.go
	}
}

// sortBy sorts a by increasing key, ties by job index: a total order, so
// the result does not depend on the algorithm. The keys are computed once;
// the few jobs of a ruin are sorted by insertion.
func (w *worker) sortBy(a []int32, key func(int32) float64) {
	ks := w.keyed[:0]
	for _, j := range a {
		ks = append(ks, keyedJob{key(j), j})
	}
	order := func(x, y keyedJob) int {
		if c := cmp.Compare(x.k, y.k); c != 0 {
			return c
		}
		return cmp.Compare(x.j, y.j)
	}
	if len(ks) > 24 {
		slices.SortFunc(ks, order)
	} else {
		for i := 1; i < len(ks); i++ {
			x := ks[i]
			k := i
			for ; k > 0 && order(x, ks[k-1]) < 0; k-- {
				ks[k] = ks[k-1]
			}
			ks[k] = x
		}
	}
	for i, x := range ks {
		a[i] = x.j
	}
	w.keyed = ks
}

// keyedJob is a job with its sort key.
type keyedJob struct {
	k float64
	j int32
}

// temperature schedule: exponential decay from t0 to tf over progress 0..1.
func temperature(t0, tf, progress float64) float64 {
	return t0 * math.Pow(tf/t0, min(progress, 1))
}
