package routing

// seg summarises a sequence of visits for constant-time concatenation
// (Vidal et al. 2013, "A hybrid genetic algorithm with adaptive diversity
// management for a large class of vehicle routing problems with
// time-windows"): the minimum duration (travel, service and waiting), the
// time warp (lateness that would be needed; > 0 means infeasible), and the
// earliest and latest start of the first service that achieve them. first and
// last are the locations at the two ends.
type seg struct {
	dur, tw, e, l float64
	first, last   int32
}

// cat concatenates a and b, travelling from a.last to b.first.
func (in *inst) cat(a, b seg) seg {
	if in.noTime {
		return seg{first: a.first, last: b.last}
	}
	return in.catT(a, b)
}

// catT is cat for problems with time (in.noTime false).
func (in *inst) catT(a, b seg) seg {
	t := in.dur[int(a.last)*in.n+int(b.first)]
	delta := a.dur - a.tw + t
	wt := max(b.e-delta-a.l, 0)
	tw := max(a.e+delta-b.l, 0)
	return seg{
		dur:   a.dur + b.dur + t + wt,
		tw:    a.tw + b.tw + tw,
		e:     max(b.e-delta, a.e) - wt,
		l:     min(b.l-delta, a.l) + tw,
		first: a.first,
		last:  b.last,
	}
}
