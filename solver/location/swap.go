package location

import (
	"container/heap"
	"math"
	"math/rand/v2"
	"slices"
)

// swapState is the incremental state of the fast interchange (Whitaker 1983,
// with the gain/loss/extra bookkeeping of Resende & Werneck 2003/2007) for
// uncapacitated assignment: every demand goes to its cheapest open facility.
// For each demand it keeps the closest (f1, c1) and second closest (f2, c2)
// open facility; a missing one is the "unserved" alternative of cost ucost.
//
//	loss[r]  = Σ_{j: f1(j)=r} (c2(j) - c1(j))          (cost of closing r)
//	gain(i)  = Σ_j max(0, c1(j) - c_ij)                  (saving of opening i)
//	extra(i,r) = Σ_{j: f1(j)=r, c_ij < c2(j)} (c2(j) - max(c_ij, c1(j)))
//	profit(swap in i, out r) = gain(i) - loss[r] + extra(i,r) (+ fixed costs)
//
// extra is computed on the fly from i's transposed list, so one insertion
// candidate is evaluated against every removal in O(|list of i| + 1) once the
// best "plain" removal (largest fcost-loss) is known.
type swapState struct {
	m      *model
	open   []bool
	f1, f2 []int32
	c1, c2 []float64
	loss   []float64
	// newOpen lists the open non-fixed facilities; pos[i] is i's index in it or -1.
	newOpen []int32
	pos     []int32

	extra     []float64
	touched   []int32
	inTouched []bool
	stamp     []uint32
	stampV    uint32

	bestDropR int32
	bestDropV float64
	eps       float64

	// cands are the sites that may be opened (m.cands minus those the
	// Lagrangian reduced costs exclude); locked sites may not be closed.
	cands  []int32
	locked []bool

	// journal records applied moves while logging, so that a VNS round
	// that brings nothing is undone in O(moves · list length) instead of a
	// full O(nnz) re-initialisation.
	logging bool
	journal [][2]int32
}

// undo reverts the journalled moves, newest first, and clears the journal.
func (s *swapState) undo() {
	s.logging = false
	for k := len(s.journal) - 1; k >= 0; k-- {
		mv := s.journal[k]
		s.apply(mv[1], mv[0])
	}
	s.journal = s.journal[:0]
}

func newSwapState(m *model) *swapState {
	s := &swapState{
		m:         m,
		open:      make([]bool, m.F),
		f1:        make([]int32, m.n),
		f2:        make([]int32, m.n),
		c1:        make([]float64, m.n),
		c2:        make([]float64, m.n),
		loss:      make([]float64, m.F),
		pos:       make([]int32, m.F),
		extra:     make([]float64, m.F),
		inTouched: make([]bool, m.F),
		stamp:     make([]uint32, m.n),
		cands:     m.cands,
	}
	return s
}

// init sets the open set to the fixed facilities plus sites and recomputes
// everything from scratch (which also clears floating-point drift).
func (s *swapState) init(sites []int32) {
	m := s.m
	for i := range s.open {
		s.open[i] = m.fixed[i]
		s.pos[i] = -1
		s.loss[i] = 0
	}
	s.newOpen = s.newOpen[:0]
	for _, i := range sites {
		if !s.open[i] {
			s.open[i] = true
			s.pos[i] = int32(len(s.newOpen))
			s.newOpen = append(s.newOpen, i)
		}
	}
	total := 0.0
	for j := 0; j < m.n; j++ {
		s.assign(j)
		if s.f1[j] >= 0 {
			s.loss[s.f1[j]] += s.c2[j] - s.c1[j]
		}
		total += s.c1[j]
	}
	s.eps = 1e-9 * math.Max(1, math.Abs(total))
	s.refreshDrop()
}

// assign finds demand j's two cheapest open facilities.
func (s *swapState) assign(j int) {
	m := s.m
	uc := m.ucost[j]
	s.f1[j], s.f2[j] = -1, -1
	s.c1[j], s.c2[j] = uc, uc
	found := 0
	for e := m.start[j]; e < m.start[j+1]; e++ {
		f := m.fac[e]
		if !s.open[f] {
			continue
		}
		c := m.cost[e]
		if c > uc {
			break // rows are sorted: the rest are worse than unserved
		}
		if found == 0 {
			s.f1[j], s.c1[j] = f, c
			found = 1
			continue
		}
		s.f2[j], s.c2[j] = f, c
		break
	}
}

// refreshDrop recomputes the best plain removal: max over open new sites of
// fcost[r] - loss[r].
func (s *swapState) refreshDrop() {
	s.bestDropR, s.bestDropV = -1, math.Inf(-1)
	for _, r := range s.newOpen {
		if s.locked != nil && s.locked[r] {
			continue
		}
		v := s.m.fcost[r] - s.loss[r]
		if v > s.bestDropV || (v == s.bestDropV && r < s.bestDropR) {
			s.bestDropR, s.bestDropV = r, v
		}
	}
}

// cost is the objective of the current state.
func (s *swapState) cost() float64 {
	t := 0.0
	for j := 0; j < s.m.n; j++ {
		t += s.c1[j]
	}
	for _, r := range s.newOpen {
		t += s.m.fcost[r]
	}
	return t
}

// gainOf returns gain(i) - fcost[i], the profit of opening i alone.
func (s *swapState) gainOf(i int32) float64 {
	m := s.m
	g := -m.fcost[i]
	for k := m.istart[i]; k < m.istart[i+1]; k++ {
		j := m.idem[k]
		if c := m.icost[k]; c < s.c1[j] {
			g += s.c1[j] - c
		}
	}
	return g
}

// evalInsert returns the profit of opening i alone and of the best swap
// (open i, close r) with its r (-1 when nothing can be closed).
func (s *swapState) evalInsert(i int32) (addProfit float64, r int32, swapProfit float64) {
	m := s.m
	gain := 0.0
	for k := m.istart[i]; k < m.istart[i+1]; k++ {
		j := m.idem[k]
		c := m.icost[k]
		c1 := s.c1[j]
		if c < c1 {
			gain += c1 - c
		}
		f := s.f1[j]
		if f >= 0 && s.pos[f] >= 0 && c < s.c2[j] && (s.locked == nil || !s.locked[f]) {
			if !s.inTouched[f] {
				s.inTouched[f] = true
				s.touched = append(s.touched, f)
			}
			s.extra[f] += s.c2[j] - math.Max(c, c1)
		}
	}
	r, best := s.bestDropR, s.bestDropV
	for _, f := range s.touched {
		v := s.extra[f] + m.fcost[f] - s.loss[f]
		if v > best || (v == best && f < r) {
			r, best = f, v
		}
		s.extra[f] = 0
		s.inTouched[f] = false
	}
	s.touched = s.touched[:0]
	addProfit = gain - m.fcost[i]
	if r < 0 {
		return addProfit, -1, math.Inf(-1)
	}
	return addProfit, r, addProfit + best
}

// apply opens in and closes out (either may be -1) and updates the demands
// that list them: only those can change their two closest facilities.
func (s *swapState) apply(in, out int32) {
	m := s.m
	if s.logging {
		s.journal = append(s.journal, [2]int32{in, out})
	}
	if in >= 0 {
		s.open[in] = true
		s.pos[in] = int32(len(s.newOpen))
		s.newOpen = append(s.newOpen, in)
	}
	if out >= 0 {
		s.open[out] = false
		k := s.pos[out]
		last := s.newOpen[len(s.newOpen)-1]
		s.newOpen[k] = last
		s.pos[last] = k
		s.newOpen = s.newOpen[:len(s.newOpen)-1]
		s.pos[out] = -1
	}
	s.stampV++
	if s.stampV == 0 {
		clear(s.stamp)
		s.stampV = 1
	}
	for _, f := range [2]int32{in, out} {
		if f < 0 {
			continue
		}
		for k := m.istart[f]; k < m.istart[f+1]; k++ {
			j := m.idem[k]
			if s.stamp[j] == s.stampV {
				continue
			}
			s.stamp[j] = s.stampV
			if f == in && m.icost[k] >= s.c2[j] && s.f1[j] != out && s.f2[j] != out {
				continue // the new site is no better than j's second choice
			}
			if s.f1[j] >= 0 {
				s.loss[s.f1[j]] -= s.c2[j] - s.c1[j]
			}
			s.assign(int(j))
			if s.f1[j] >= 0 {
				s.loss[s.f1[j]] += s.c2[j] - s.c1[j]
			}
		}
	}
	if out >= 0 {
		s.loss[out] = 0
	}
	s.refreshDrop()
}

// localSearch runs first-improvement fast interchange until a full cycle over
// the candidates brings no improving move. With a cardinality (m.p >= 0) the
// moves are swaps; without, adds, drops and swaps. stop is polled now and
// then; it returns false when stopped early.
func (s *swapState) localSearch(stop func() bool) bool {
	m := s.m
	nc := len(s.cands)
	if nc == 0 {
		return true
	}
	free := m.p < 0
	idx, since, polls := 0, 0, 0
	for since < nc {
		polls++
		if polls&63 == 0 && stop() {
			return false
		}
		if free && s.bestDropR >= 0 && s.bestDropV > s.eps {
			s.apply(-1, s.bestDropR)
			since = 0
			continue
		}
		i := s.cands[idx]
		idx++
		if idx == nc {
			idx = 0
		}
		since++
		if s.open[i] {
			continue
		}
		add, r, sw := s.evalInsert(i)
		switch {
		case free && add > s.eps && add >= sw:
			s.apply(i, -1)
			since = 0
		case r >= 0 && sw > s.eps:
			s.apply(i, r)
			since = 0
		case !free && len(s.newOpen) < m.p:
			s.apply(i, -1) // fill up to p (only when construction left room)
			since = 0
		}
	}
	return true
}

// gainItem is a lazy-greedy heap entry.
type gainItem struct {
	gain  float64
	i     int32
	round int
}

type gainHeap []gainItem

func (h gainHeap) Len() int { return len(h) }
func (h gainHeap) Less(a, b int) bool {
	if h[a].gain != h[b].gain {
		return h[a].gain > h[b].gain
	}
	return h[a].i < h[b].i
}
func (h gainHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *gainHeap) Push(x any)   { *h = append(*h, x.(gainItem)) }
func (h *gainHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// greedy opens sites one at a time by largest saving (p sites, or while the
// saving beats the fixed cost when p < 0), starting from the fixed outlets.
// Gains only shrink as sites open (submodularity), so stale heap entries are
// upper bounds: the lazy "CELF" evaluation re-scores only the top entry.
func (s *swapState) greedy(stop func() bool) {
	m := s.m
	s.init(nil)
	h := make(gainHeap, 0, len(m.cands))
	for _, i := range m.cands {
		h = append(h, gainItem{s.gainOf(i), i, 0})
	}
	heap.Init(&h)
	round := 0
	for h.Len() > 0 {
		if m.p >= 0 && len(s.newOpen) >= m.p {
			break
		}
		if round&31 == 0 && stop() {
			break
		}
		top := h[0]
		if top.round != round {
			h[0].gain = s.gainOf(top.i)
			h[0].round = round
			heap.Fix(&h, 0)
			continue
		}
		if m.p < 0 && top.gain <= s.eps {
			break
		}
		heap.Pop(&h)
		s.apply(top.i, -1)
		round++
	}
	// Fill up to p when stopped early (every candidate is acceptable).
	for _, i := range m.cands {
		if m.p < 0 || len(s.newOpen) >= m.p {
			break
		}
		if !s.open[i] {
			s.apply(i, -1)
		}
	}
}

// shake applies k random moves: swaps with a cardinality, flips without.
func (s *swapState) shake(rng *rand.Rand, k int) {
	m := s.m
	nc := len(s.cands)
	if nc == 0 {
		return
	}
	closed := 0
	for _, c := range s.cands {
		if !s.open[c] {
			closed++
		}
	}
	for range k {
		if m.p >= 0 {
			if len(s.newOpen) == 0 || closed == 0 {
				return
			}
			var in int32 = -1
			for try := 0; try < 4*nc && in < 0; try++ {
				if c := s.cands[rng.IntN(nc)]; !s.open[c] {
					in = c
				}
			}
			out := s.newOpen[rng.IntN(len(s.newOpen))]
			if in < 0 || s.locked != nil && s.locked[out] {
				continue
			}
			s.apply(in, out)
			continue
		}
		i := s.cands[rng.IntN(nc)]
		if s.open[i] {
			if s.locked == nil || !s.locked[i] {
				s.apply(-1, i)
			}
		} else {
			s.apply(i, -1)
		}
	}
}

func (s *swapState) sites() []int32 {
	out := slices.Clone(s.newOpen)
	slices.Sort(out)
	return out
}
