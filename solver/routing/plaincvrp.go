package routing

// Settings of the search on plain CVRP: one vehicle type, one trip, no
// restriction of types, no windows, shift ends, duration limits or time
// costs, vehicles not minimised (the CVRPLIB X instances). Problems with any
// of these go through the settings of solve.go unchanged, so that VRPTW, the
// periodic planner's joint solves (one type per day) and the weekly plan
// keep their measured behaviour.

// cvrpTempStart is the SA start temperature on plain CVRP relative to the
// mean arc cost of the first solution (the end stays tempEnd): measured on
// CVRPLIB X at the iterations of 5 s and 30 s (README.md, "Measured choices
// of issue 17, wave 4"), half the general start was better.
var cvrpTempStart = 0.5

// plainCVRP reports whether the problem is a plain CVRP (see above).
func (in *inst) plainCVRP() bool {
	return in.nt == 1 && !in.restrict && in.noTime && !in.multiTrip && in.routeW == 0
}

// tempRange returns the SA start and end temperatures for a first solution
// whose mean arc costs scale: tempStart and tempEnd times scale in general,
// twHeat times more when jobs have windows (SISR's published settings are
// about 3x hotter on Solomon than on X), cvrpTempStart instead of tempStart
// on plain CVRP.
func (in *inst) tempRange(scale float64) (t0, tf float64) {
	t0, tf = tempStart*scale, tempEnd*scale
	switch {
	case in.anyWindows:
		t0, tf = twHeat*t0, twHeat*tf
	case in.plainCVRP():
		t0 = cvrpTempStart * scale
	}
	return t0, tf
}
