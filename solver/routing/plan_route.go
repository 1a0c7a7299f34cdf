package routing

// RouteJobs appends to dst the jobs of the route (all its trips) that
// serves job j, in visiting order, reloads left out, and returns it; dst
// is returned unchanged when j is not in the plan. A split job's first
// visit found decides the route; the job appears once per visit on it. It
// lets a search ruin strings of a route (SISR) around j.
func (pl *Plan) RouteJobs(dst []int, j int) []int {
	in, s := pl.m.in, pl.w.s
	ri := int32(-1)
	for v := in.first[j]; v < in.first[j+1] && ri < 0; v++ {
		ri = s.jr[v]
	}
	if ri < 0 {
		return dst
	}
	for _, x := range s.routes[ri].jobs {
		if !in.isMark(x) {
			dst = append(dst, int(in.job[x]))
		}
	}
	return dst
}
