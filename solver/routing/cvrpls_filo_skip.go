package routing

// The localised search spared where it cannot pay (wave 10). The annealing
// accepts a state below a threshold drawn before the iteration (cost less
// temperature x ln u). The search after ruin and recreate seldom gains more
// than the searches before it did, so when the recreated cost, less the
// largest gain of the last filoGainWindow steps, is still at or above the
// threshold, the state is rejected without searching it (a bet, not a
// bound: TestFiloSkipSound counts how often the search would have won it;
// 1 in 96 there). Late in the run most recreated states are far above the
// threshold: at 5 s the run makes 1.2-4x the iterations (X-n219 to
// X-n1001). Measured (README.md, wave 10): all 18 X at 5 s, seeds 1-6, mean
// 0.692 -> 0.630 % (better on 57 runs, worse on 29); a window of 128 0.645 %,
// 2,048 0.678 % (seeds 1-3, against 0.730 %); the largest gain halved 0.744
// %, doubled 0.708 %. Bench env FILOSKIP=0 turns it off.
var (
	filoSkip = true
	// filoGainWindow is how many of the last steps' gains bound the next
	// (FILOGAINS=n).
	filoGainWindow = 512
)

// filoGainWarm: no step is spared before this many gains are known.
const filoGainWarm = 32

// gainWindow holds the localised search's last gains (cost before the
// search less cost after; 0 when it applied nothing).
type gainWindow struct {
	g    []float64
	next int
	best float64 // the largest of g (0 when empty), kept as gains come and go
	// steps and spared count the steps and those spared (the bench reports them).
	steps, spared int
}

// note records one step's gain.
func (gw *gainWindow) note(g float64) {
	if len(gw.g) < filoGainWindow {
		gw.g = append(gw.g, g)
		gw.best = max(gw.best, g)
		return
	}
	old := gw.g[gw.next]
	gw.g[gw.next] = g
	gw.next = (gw.next + 1) % len(gw.g)
	switch {
	case g >= gw.best:
		gw.best = g
	case old == gw.best: // the largest left: find the next (rare)
		gw.best = 0
		for _, x := range gw.g {
			gw.best = max(gw.best, x)
		}
	}
}

// hopeless reports whether a recreated state of cost c cannot reach below
// the acceptance threshold thr even with the largest recent gain.
func (gw *gainWindow) hopeless(c, thr float64) bool {
	if len(gw.g) < min(filoGainWindow, filoGainWarm) {
		return false
	}
	return c-gw.best >= thr
}

// stepUnless runs the localised search (step) unless the recreated state
// is hopeless against thr; it records the search's gain.
func (fs *filoState) stepUnless(s *solution, thr float64) {
	if !filoSkip {
		fs.step(s)
		return
	}
	gw := &fs.gains
	gw.steps++
	c := s.cost
	if gw.hopeless(c, thr) {
		gw.spared++
		return
	}
	if fs.step(s) {
		gw.note(c - s.cost)
	} else {
		gw.note(0)
	}
}
