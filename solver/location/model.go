package location

import (
	"math"
	"slices"
)

// model is the solver's private view of a Problem: rows sorted by distance,
// per-entry costs c_ij = w_j·g(d_ij) for the objective at hand, and the
// transposed lists (facility -> demands) that the swap gains need.
type model struct {
	obj   Objective
	n, F  int
	w     []float64
	start []int
	fac   []int32
	dist  []float64
	cost  []float64 // c_ij per row entry
	ucost []float64 // cost of leaving demand j unserved (w_j·U or w_j)

	// transposed: facility i's entries are istart[i]..istart[i+1]
	istart []int
	idem   []int32
	icost  []float64

	fixed   []bool    // already open
	fcost   []float64 // fixed cost charged by the objective (0 unless FacilityLocation)
	capa    []float64 // capacity, +Inf when uncapacitated
	capped  bool      // some facility has finite capacity
	cands   []int32   // facilities that may be opened (not fixed)
	p       int       // new sites to open (PMedian, MaxCover); -1 = free
	radius  float64
	unitU   float64 // unserved distance per unit weight
	totalW  float64
	single  bool
	siteCst []float64 // SetCover: cost of opening each facility
	maxUnit float64   // largest unit cost g(d) of a listed pair

	// target marks the Lagrangian model of a capacitated SetCover
	// (coverModel): instead of an unserved cost per demand, at most slack
	// weight may stay uncovered.
	target bool
	slack  float64
}

func newModel(p *Problem) *model {
	n, F := len(p.Weights), len(p.Facilities)
	m := &model{obj: p.Objective, n: n, F: F, w: p.Weights, radius: p.Radius, single: p.SingleSource}
	nnz := len(p.Dist.Facility)
	m.start = slices.Clone(p.Dist.Start)
	m.fac = make([]int32, nnz)
	m.dist = make([]float64, nnz)
	type ent struct {
		f int32
		d float64
	}
	var buf []ent
	mark := make([]int32, F)
	maxD := 0.0
	for j := 0; j < n; j++ {
		a, b := p.Dist.Start[j], p.Dist.Start[j+1]
		buf = buf[:0]
		for e := a; e < b; e++ {
			buf = append(buf, ent{p.Dist.Facility[e], p.Dist.Dist[e]})
		}
		slices.SortFunc(buf, func(x, y ent) int {
			if x.d != y.d {
				if x.d < y.d {
					return -1
				}
				return 1
			}
			return int(x.f) - int(y.f)
		})
		// A facility listed twice keeps its shorter distance.
		k := a
		for _, x := range buf {
			if mark[x.f] == int32(j+1) {
				continue
			}
			mark[x.f] = int32(j + 1)
			m.fac[k], m.dist[k] = x.f, x.d
			k++
			maxD = max(maxD, x.d)
		}
		// pad duplicates away by shrinking: rows keep their original span,
		// so mark removed tail entries with a sentinel and compact below.
		for ; k < b; k++ {
			m.fac[k] = -1
		}
	}
	m.compact()

	m.fixed = make([]bool, F)
	m.fcost = make([]float64, F)
	m.capa = make([]float64, F)
	m.siteCst = make([]float64, F)
	sumF := 0.0
	allZero := true
	for i, f := range p.Facilities {
		m.fixed[i] = f.Open
		if !f.Open {
			m.cands = append(m.cands, int32(i))
			sumF += f.FixedCost
			if f.FixedCost > 0 {
				allZero = false
			}
		}
		if p.Objective == FacilityLocation && !f.Open {
			m.fcost[i] = f.FixedCost
		}
		if f.Capacity > 0 {
			m.capa[i] = f.Capacity
			m.capped = true
		} else {
			m.capa[i] = math.Inf(1)
		}
	}
	for i, f := range p.Facilities {
		if allZero {
			m.siteCst[i] = 1
		} else {
			m.siteCst[i] = f.FixedCost
		}
	}
	minW := math.Inf(1)
	for _, w := range p.Weights {
		m.totalW += w
		if w > 0 {
			minW = min(minW, w)
		}
	}
	m.unitU = p.UnservedCost
	if m.unitU <= 0 {
		m.unitU = 10*maxD + 1
		if sumF > 0 && !math.IsInf(minW, 1) {
			m.unitU += sumF / minW
		}
	}
	m.p = -1
	if p.Objective == PMedian || p.Objective == MaxCover {
		m.p = min(p.P, len(m.cands))
	}
	m.setCosts()
	m.transpose()
	for _, d := range m.dist {
		m.maxUnit = max(m.maxUnit, m.g(d))
	}
	return m
}

// compact removes the sentinel entries left by duplicate removal.
func (m *model) compact() {
	k := 0
	newStart := make([]int, m.n+1)
	for j := 0; j < m.n; j++ {
		newStart[j] = k
		for e := m.start[j]; e < m.start[j+1]; e++ {
			if m.fac[e] >= 0 {
				m.fac[k], m.dist[k] = m.fac[e], m.dist[e]
				k++
			}
		}
	}
	newStart[m.n] = k
	m.start = newStart
	m.fac = m.fac[:k]
	m.dist = m.dist[:k]
}

// g maps a distance to the per-unit cost of the objective.
func (m *model) g(d float64) float64 {
	switch m.obj {
	case MaxCover, SetCover:
		if d <= m.radius {
			return 0
		}
		return 1
	}
	return d
}

func (m *model) gU() float64 {
	if m.obj == MaxCover || m.obj == SetCover {
		return 1
	}
	return m.unitU
}

func (m *model) setCosts() {
	m.cost = make([]float64, len(m.fac))
	m.ucost = make([]float64, m.n)
	gu := m.gU()
	for j := 0; j < m.n; j++ {
		w := m.w[j]
		m.ucost[j] = w * gu
		for e := m.start[j]; e < m.start[j+1]; e++ {
			m.cost[e] = w * m.g(m.dist[e])
		}
	}
}

func (m *model) transpose() {
	m.istart = make([]int, m.F+1)
	for _, f := range m.fac {
		m.istart[f+1]++
	}
	for i := 0; i < m.F; i++ {
		m.istart[i+1] += m.istart[i]
	}
	pos := slices.Clone(m.istart[:m.F])
	m.idem = make([]int32, len(m.fac))
	m.icost = make([]float64, len(m.fac))
	for j := 0; j < m.n; j++ {
		for e := m.start[j]; e < m.start[j+1]; e++ {
			f := m.fac[e]
			k := pos[f]
			pos[f]++
			m.idem[k] = int32(j)
			m.icost[k] = m.cost[e]
		}
	}
}

// costOf returns c_ij for a listed pair, or +Inf when j does not list i.
func (m *model) costOf(j, i int) float64 {
	for e := m.start[j]; e < m.start[j+1]; e++ {
		if int(m.fac[e]) == i {
			return m.cost[e]
		}
	}
	return math.Inf(1)
}
