package routing

import (
	"cmp"
	"slices"
)

// savings builds the first solution with the Clarke-Wright savings
// algorithm (parallel version, pairs limited to granular neighbours). It
// applies only to capacity-only problems with one unrestricted vehicle type
// and an unlimited fleet, and reports whether it did.
func (w *worker) savings() bool {
	in := w.in
	if !in.noTime || in.nt != 1 || in.types[0].count != maxCount || in.restrict {
		return false
	}
	t := &in.types[0]
	n, dim := in.n, in.dim
	st, en := int(t.start), int(t.end)
	type pair struct {
		s    float64
		i, j int32
	}
	var pairs []pair
	for i := 0; i < in.nj; i++ {
		if !in.active[i] {
			continue
		}
		li := int(in.loc[i])
		for _, j := range in.near[i] {
			if !in.active[j] {
				continue
			}
			lj := int(in.loc[j])
			s := in.dist[li*n+en] + in.dist[st*n+lj] - in.dist[li*n+lj]
			if s > 0 {
				pairs = append(pairs, pair{s, int32(i), j})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := cmp.Compare(b.s, a.s); c != 0 {
			return c
		}
		if c := cmp.Compare(a.i, b.i); c != 0 {
			return c
		}
		return cmp.Compare(a.j, b.j)
	})
	nj := in.nj
	next := make([]int32, nj)
	rid := make([]int32, nj)
	head := make([]int32, nj)
	tail := make([]int32, nj)
	load := make([]int64, nj*dim)
	for j := 0; j < nj; j++ {
		next[j], rid[j], head[j], tail[j] = -1, int32(j), int32(j), int32(j)
		copy(load[j*dim:], in.visitAmt(int32(j)))
	}
	for _, pr := range pairs {
		ri, rj := rid[pr.i], rid[pr.j]
		if ri == rj || tail[ri] != pr.i || head[rj] != pr.j {
			continue
		}
		ok := true
		for d := 0; d < dim; d++ {
			if load[int(ri)*dim+d]+load[int(rj)*dim+d] > t.capa[d] {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		next[pr.i] = pr.j
		tail[ri] = tail[rj]
		for d := 0; d < dim; d++ {
			load[int(ri)*dim+d] += load[int(rj)*dim+d]
		}
		for x := pr.j; x >= 0; x = next[x] {
			rid[x] = ri
		}
	}
	s := w.s
	for j := 0; j < nj; j++ {
		if !in.active[j] || rid[j] != int32(j) {
			continue
		}
		w.buf = w.buf[:0]
		for x := head[j]; x >= 0; x = next[x] {
			w.buf = append(w.buf, x)
		}
		s.replace(s.spare[0], w.buf)
	}
	return true
}
