package routing

// Trips inside a route. A vehicle's day is one node sequence; reload nodes
// (one per vehicle type, standing for "back at End, unload for ReloadTime")
// cut it into trips, as PyVRP's reload depots do. Time, distance and cost
// are those of the whole sequence, so the segments of segment.go evaluate a
// day of trips exactly like one trip; only loads reset at each reload. A
// trip's load is a difference of the route's prefix loads (reloads collect
// nothing), so checking the trip that receives a job stays O(dim).

// normalize rewrites a node sequence for a vehicle of type k in place: every
// reload becomes type k's reload node, and reloads that would start or end
// the day or follow another reload (empty trips) are dropped. Moves build
// sequences freely; replace stores them normalized.
func (in *inst) normalize(k int, seq []int32) []int32 {
	mark := in.types[k].mark
	out := seq[:0]
	for _, x := range seq {
		if in.isMark(x) {
			if len(out) == 0 || in.isMark(out[len(out)-1]) {
				continue
			}
			x = mark
		}
		out = append(out, x)
	}
	for len(out) > 0 && in.isMark(out[len(out)-1]) {
		out = out[:len(out)-1]
	}
	return out
}

// updateTrips records the reload positions of r and the trip of each node.
func (in *inst) updateTrips(r *route) {
	r.mk = r.mk[:0]
	if !in.multiTrip {
		return
	}
	for i, x := range r.jobs {
		if in.isMark(x) {
			r.mk = append(r.mk, int32(i+1))
		}
	}
	if len(r.mk) == 0 {
		return
	}
	L := len(r.jobs)
	if cap(r.tp) < L+2 {
		r.tp = make([]int32, L+2, L+L/2+4)
	}
	r.tp = r.tp[:L+2]
	t := int32(0)
	r.tp[0] = 0
	for i, x := range r.jobs {
		if in.isMark(x) {
			t++
		}
		r.tp[i+1] = t
	}
	r.tp[L+1] = t
}

// trips is the number of trips of r (0 when empty).
func (r *route) trips() int {
	if len(r.jobs) == 0 {
		return 0
	}
	return len(r.mk) + 1
}

// tripOf is the trip that a node inserted right after node i joins.
func (r *route) tripOf(i int) int {
	if len(r.mk) == 0 {
		return 0
	}
	return int(r.tp[i])
}

// tripBounds returns the nodes that open and close trip t: the start depot
// or a reload, and a reload or the end depot.
func (r *route) tripBounds(t int) (from, to int) {
	from, to = 0, len(r.jobs)+1
	if t > 0 {
		from = int(r.mk[t-1])
	}
	if t < len(r.mk) {
		to = int(r.mk[t])
	}
	return from, to
}

// tripBoundsGap is a gap (node) inside trip t: the node that opens it.
func (r *route) tripBoundsGap(t int) int {
	from, _ := r.tripBounds(t)
	return from
}

// tripLoad writes the load of trip t of r into dst.
func (in *inst) tripLoad(r *route, t int, dst []int64) []int64 {
	dim := in.dim
	from, to := r.tripBounds(t)
	for d := 0; d < dim; d++ {
		dst[d] = r.cumL[to*dim+d] - r.cumL[from*dim+d]
	}
	return dst
}

// tripFits reports whether the trip that gap i of r belongs to still fits a
// vehicle of type k when it gains plus and loses minus. Without reloads the
// trip is the whole route.
func (w *worker) tripFits(k int, r *route, i int, plus, minus []int64) bool {
	if len(r.mk) == 0 {
		return w.capOK(k, r.load(w.in), plus, minus)
	}
	return w.capOK(k, w.in.tripLoad(r, r.tripOf(i), w.tload), plus, minus)
}

// tripCheck is tripFits for a move's receiving or losing route: in hard
// mode (0, fits); in soft mode (the priced load excess of r after the
// change, true).
func (w *worker) tripCheck(k int, r *route, i int, plus, minus []int64) (float64, bool) {
	if !w.s.soft {
		return 0, w.tripFits(k, r, i, plus, minus)
	}
	in := w.in
	load := r.load(in)
	if len(r.mk) > 0 {
		load = in.tripLoad(r, r.tripOf(i), w.tload)
	}
	capa := in.types[k].capa
	before, after := 0.0, 0.0
	for d := range capa {
		before += float64(max(load[d]-capa[d], 0))
		after += float64(max(load[d]+plus[d]-minus[d]-capa[d], 0))
	}
	return w.s.lq * (r.exLoad - before + after), true
}

// tripsFit checks the trip count of r against its type and sums the load
// above capacity over its trips and dimensions: the part of a route's
// limits that segments do not carry.
func (in *inst) tripsFit(r *route) (tripsOK bool, excess float64) {
	t := &in.types[r.t]
	dim := in.dim
	for k := 0; k < r.trips(); k++ {
		from, to := r.tripBounds(k)
		for d := 0; d < dim; d++ {
			if l := r.cumL[to*dim+d] - r.cumL[from*dim+d]; l > t.capa[d] {
				excess += float64(l - t.capa[d])
			}
		}
	}
	return r.trips() <= t.maxTrips, excess
}

// seqFits checks a node sequence (normalized or not) against type k: trip
// count and each trip's load. It is the from-scratch check intra-route moves
// use.
func (in *inst) seqFits(k int, seq []int32, load []int64) bool {
	t := &in.types[k]
	trips := 1
	for d := range load {
		load[d] = 0
	}
	for _, x := range seq {
		if in.isMark(x) {
			trips++
			for d := range load {
				load[d] = 0
			}
			continue
		}
		for d, a := range in.visitAmt(x) {
			load[d] += a
			if load[d] > t.capa[d] {
				return false
			}
		}
	}
	return trips <= t.maxTrips
}

// tailsFit checks the route made of a's nodes 0..pa and b's nodes after pb
// (2-opt*) against a's type: trip count, the trip formed at the cut, and
// b's later trips (already fitting b's type, not necessarily a's).
func (in *inst) tailsFit(a *route, pa int, b *route, pb int) bool {
	t := &in.types[a.t]
	ta, tb := a.tripOf(pa), b.tripOf(pb)
	if ta+b.trips()-tb > t.maxTrips && pb < len(b.jobs) {
		return false
	}
	dim := in.dim
	fa, _ := a.tripBounds(ta)
	_, tob := b.tripBounds(tb)
	if tob > len(b.jobs) {
		tob = len(b.jobs) // the end depot collects nothing
	}
	for d := 0; d < dim; d++ {
		head := a.cumL[pa*dim+d] - a.cumL[fa*dim+d]
		tail := b.cumL[tob*dim+d] - b.cumL[pb*dim+d]
		if head+tail > t.capa[d] {
			return false
		}
	}
	if a.t == b.t {
		return true
	}
	for k := tb + 1; k < b.trips(); k++ {
		from, to := b.tripBounds(k)
		for d := 0; d < dim; d++ {
			if b.cumL[to*dim+d]-b.cumL[from*dim+d] > t.capa[d] {
				return false
			}
		}
	}
	return true
}

// without is route r with its nodes from..to (1-based, visits) taken out, as
// a piece: when they were a whole trip, one of the two reloads around them
// goes too (what normalize does when the route is stored), so that the
// estimate neither pays an empty trip's reload time nor misses the trip
// that is gone.
func (in *inst) without(r *route, from, to int) piece {
	L := len(r.jobs)
	before := from - 1 // 0: the start depot
	after := to + 1    // L+1: the end depot
	markBefore := before >= 1 && in.isMark(r.jobs[before-1])
	markAfter := after <= L && in.isMark(r.jobs[after-1])
	switch {
	case markBefore && (markAfter || after == L+1):
		return in.join(prefix(r, before-1), suffix(r, after))
	case before == 0 && markAfter:
		return in.join(prefix(r, 0), suffix(r, after+1))
	}
	return in.join(prefix(r, before), suffix(r, after))
}
