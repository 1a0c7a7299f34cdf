package routing

// Window precedence (issue 17, wave 13). On windows without a time cost
// (Solomon's VRPTW), rangeTimed checks the time of every position whose
// detour is below the best cost found so far by concatenating the route's
// segments (timeAt). Many of those positions fail for a reason that does
// not depend on the route: visit j cannot follow visit a when a's earliest
// service start plus its service and the travel to j is already after j's
// window closes, and likewise j before b. The verdict of every pair is
// kept in a bit table built once per instance, and a position whose
// neighbours rule it out is skipped before timeAt. The test is a
// relaxation of timeAt's (a route reaches a no sooner than a's window
// opens), with a margin above timeAt's tolerance for rounding, so it never
// skips a position timeAt would accept: results are unchanged, only
// faster (TestPrecedenceRelaxes, and the iteration-bounded benchmarks'
// costs are byte-identical).

// precMax bounds the visits for which the table is built (precMax^2
// bits: 2 MB at 4,096 visits); above it every pair is tried.
const precMax = 4096

// precTol is how late a pair must be before the table rules it out:
// well above timeAt's eps so that rounding never skips a feasible place.
const precTol = 1e-6

// buildPrec fills in.prec when rangeTimed can read it: windows, symmetric
// distances, no time cost.
func (in *inst) buildPrec() {
	if !in.anyWindows || !in.sym || in.hasTimeCost || in.nj > precMax || in.nj == 0 {
		return
	}
	nj, n := in.nj, in.n
	in.prec = make([]uint64, (nj*nj+63)/64)
	for a := 0; a < nj; a++ {
		sa := &in.jseg[a]
		done := sa.e + sa.dur
		row := in.dur[int(sa.last)*n : (int(sa.last)+1)*n]
		for b := 0; b < nj; b++ {
			sb := &in.jseg[b]
			if done+row[sb.first]-sb.l <= precTol {
				k := a*nj + b
				in.prec[k>>6] |= 1 << (k & 63)
			}
		}
	}
}

// mayPrecede reports whether visit b may directly follow visit a as far as
// their windows go (true when the table is not built).
func (in *inst) mayPrecede(a, b int32) bool {
	if in.prec == nil {
		return true
	}
	k := int(a)*in.nj + int(b)
	return in.prec[k>>6]&(1<<(k&63)) != 0
}

// precFits reports whether the windows of route r's nodes i and i+1 allow
// visit j between them (the depots are not tested).
func (in *inst) precFits(r *route, i int, j int32) bool {
	if i >= 1 && !in.mayPrecede(r.jobs[i-1], j) {
		return false
	}
	return i >= len(r.jobs) || in.mayPrecede(j, r.jobs[i])
}
