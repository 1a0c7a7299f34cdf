package routing

// The annealing temperature. Its scale is a typical cost of the moves the
// search compares: in general the mean arc cost of the first solution. On
// plain CVRP (one vehicle type, one trip, no restriction of types, no
// windows, shift ends, duration limits or time costs, vehicles not
// minimised) it may instead be the mean cost from a job to its nearNK
// nearest jobs: the mean arc counts the depot legs, which weigh more the
// shorter the routes are (on CVRPLIB X the mean arc is 0.85x to 7.3x the
// mean distance to the 10 nearest jobs), while a ruin and recreate moves
// jobs between neighbours, whose distances are what its cost deltas are
// made of (README.md, "Measured choices", wave 5 has the measurements).

// nearTemp switches the neighbour scale on for plain CVRP; nearTempStart
// and nearTempEnd are the start and end temperatures relative to it, nearK
// the neighbours averaged. Off: on CVRPLIB X (issue 17, wave 5,
// README.md) no multiple was better than the mean arc beyond the seed
// noise. At 1.6 (the ratio of the mean arc to this scale on the long-route
// instances X-n303 to X-n1001, where the mean-arc temperature had measured
// best), at the iterations of 30 s, seeds 1-4 (two on n<=251): 0.551 ->
// 0.562 % over 10 instances, better on 10 of 32 runs, worse on 19 (colder on short routes:
// X-n336/701/916 better, X-n749 worse; hotter: X-n303/561 worse), and
// 1.161 -> 1.208 % at 5 s; 2.5 and 3.5, hotter on the weak instances, were
// worse at 30 s (3.5: 0.743 -> 0.854 %, 8 of 12 runs worse).
var (
	nearTemp      = false
	nearTempStart = 1.6
	nearTempEnd   = 0.016
	nearK         = 10
	// nearCap makes the neighbour scale a cap: the lower of the two
	// temperatures, so that only depot legs (short routes) cool the search.
	// Off: X-n336/701/749/916 0.666 -> 0.625 % at the 30 s iterations
	// (seeds 1-6, 12 of 24 runs better, less CPU), X-n251/200/502 worse
	// on two seeds; 13 better and 18 worse of 34 runs on cooled instances.
	nearCap = false
)

// plainCVRP reports whether the problem is a plain CVRP (see above).
func (in *inst) plainCVRP() bool {
	return in.nt == 1 && !in.restrict && in.noTime && !in.multiTrip && in.routeW == 0
}

// nearScale is the mean over active visits of the mean cost to their k
// nearest visits (granular neighbours, by travel distance), 0 when no visit
// has a neighbour.
func (in *inst) nearScale(k int) float64 {
	sum, cnt := 0.0, 0
	cpd := in.types[0].cpd
	for j := 0; j < in.nj; j++ {
		if !in.active[j] {
			continue
		}
		nb := in.near[j]
		m := min(k, len(nb))
		if m == 0 {
			continue
		}
		lj := int(in.loc[j])
		s := 0.0
		for _, v := range nb[:m] {
			lv := int(in.loc[v])
			s += min(in.dist[lj*in.n+lv], in.dist[lv*in.n+lj])
		}
		sum += cpd * s / float64(m)
		cnt++
	}
	if cnt == 0 {
		return 0
	}
	return sum / float64(cnt)
}

// meanArc is the mean arc cost of the routes of s (fixed costs and route
// weights left out), 1 when s has no arc of positive cost.
func (in *inst) meanArc(s *solution) float64 {
	arcs, arcCost := 0, 0.0
	for _, r := range s.routes {
		if len(r.jobs) > 0 {
			arcs += len(r.jobs) + 1
			arcCost += r.cost - in.types[r.t].fixed - in.routeW
		}
	}
	if arcs > 0 && arcCost > 0 {
		return arcCost / float64(arcs)
	}
	return 1.0
}

// tempRange returns the start and end temperatures of the annealing for a
// first solution of mean arc cost arc: tempStart and tempEnd times arc,
// twHeat times more when jobs have windows (SISR's published settings are
// about 3x hotter on Solomon than on X); with nearTemp on plain CVRP,
// nearTempStart and nearTempEnd times the neighbour scale (with nearCap
// the lower of each pair).
func (in *inst) tempRange(arc float64) (t0, tf float64) {
	t0, tf = tempStart*arc, tempEnd*arc
	if nearTemp && in.plainCVRP() {
		if sc := in.nearScale(nearK); sc > 0 {
			if nearCap {
				return min(t0, nearTempStart*sc), min(tf, nearTempEnd*sc)
			}
			return nearTempStart * sc, nearTempEnd * sc
		}
	}
	if in.anyWindows {
		t0, tf = twHeat*t0, twHeat*tf
	}
	return t0, tf
}
