package week

import (
	"math"
	"math/bits"
	"strings"
)

// Day patterns: bit d of a pattern is day d+1 of the week, Monday first.
// Every loop here is bounded by the week (7 days, 2^7 patterns), whatever
// the input.

// cyclicGaps returns the calendar-day gaps between the visits of a weekly
// pattern repeated every week (bit d = day d+1, Monday first).
func cyclicGaps(pat uint32) []int {
	var days []int
	for d := 0; d < 7; d++ {
		if pat&(1<<d) != 0 {
			days = append(days, d)
		}
	}
	gaps := make([]int, len(days))
	for i := range days {
		prev := days[(i+len(days)-1)%len(days)]
		g := days[i] - prev
		if g <= 0 {
			g += 7
		}
		gaps[i] = g
	}
	return gaps
}

// patternsFor lists the weekly patterns with f visits on work days whose
// every cyclic gap is at most maxGap days. workDays outside 1..7 is taken
// as the nearest bound, so the loop runs at most 127 times.
func patternsFor(f, workDays int, maxGap float64) []uint32 {
	workDays = min(max(workDays, 1), 7)
	var out []uint32
	for pat := uint32(1); pat < 1<<workDays; pat++ {
		if bits.OnesCount32(pat) != f {
			continue
		}
		ok := true
		for _, g := range cyclicGaps(pat) {
			if float64(g) > maxGap {
				ok = false
			}
		}
		if ok {
			out = append(out, pat)
		}
	}
	return out
}

// fewestVisits returns the patterns with the fewest visits a week (and that
// number) that keep every gap within maxGap days, or no pattern when none
// does. It never converts an unbounded figure to an int: a tiny storage
// limit or a huge rate gives maxGap near 0 (7/maxGap overflows) or NaN, and
// such an outlet simply has no pattern.
func fewestVisits(workDays int, maxGap float64) (pats []uint32, visits int) {
	need := 7 / maxGap
	if !(need <= float64(workDays)) { // also NaN
		return nil, 0
	}
	// need is now at most workDays (<= 7): the conversion cannot overflow.
	for f := max(1, int(math.Ceil(need))); f <= workDays && len(pats) == 0; f++ {
		pats, visits = patternsFor(f, workDays, maxGap), f
	}
	return pats, visits
}

// maxGapOf is the longest cyclic gap of any of the patterns.
func maxGapOf(pats []uint32) int {
	m := 0
	for _, p := range pats {
		for _, g := range cyclicGaps(p) {
			if g > m {
				m = g
			}
		}
	}
	return m
}

// visitGap is the number of days of accumulation collected by the visit on
// day d (0-based) of a weekly pattern, or by a visit every k weeks.
func visitGap(pat uint32, d, cycleWeeks int) int {
	if cycleWeeks > 1 {
		return 7 * cycleWeeks
	}
	for back := 1; back <= 7; back++ {
		if pat&(1<<((d-back+7)%7)) != 0 {
			return back
		}
	}
	return 7
}

var dayNames = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// PatternDays names the days of a weekly pattern (bit 0 = Monday).
func PatternDays(p uint32) string {
	var ds []string
	for d := 0; d < 7; d++ {
		if p&(1<<d) != 0 {
			ds = append(ds, dayNames[d])
		}
	}
	return strings.Join(ds, " ")
}
