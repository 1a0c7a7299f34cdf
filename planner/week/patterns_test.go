package week

import (
	"strings"
	"testing"
)

func TestPatternsRespectGaps(t *testing.T) {
	// Two visits on Mon-Sat with every cyclic gap <= 4 days: days a < b need
	// b-a <= 4 and 7-(b-a) <= 4, so b-a is 3 or 4 (enumerated by hand).
	var names []string
	for _, p := range patternsFor(2, 6, 4) {
		names = append(names, PatternDays(p))
	}
	if got, want := strings.Join(names, "|"), "Mon Thu|Mon Fri|Tue Fri|Tue Sat|Wed Sat"; got != want {
		t.Errorf("patterns = %s, want %s", got, want)
	}
	if g := cyclicGaps(1<<0 | 1<<3); len(g) != 2 || g[0] != 4 || g[1] != 3 {
		t.Errorf("gaps of Mon+Thu = %v, want [4 3]", g)
	}
	if len(patternsFor(7, 6, 1)) != 0 {
		t.Error("7 visits on 6 work days accepted")
	}
	// Daily visits on Mon-Sat leave a 2-day gap over Sunday.
	if len(patternsFor(6, 6, 1.5)) != 0 {
		t.Error("a 1.5-day limit accepted with a free Sunday")
	}
	if got := patternsFor(6, 6, 2); len(got) != 1 || got[0] != 0b111111 {
		t.Errorf("6 visits, gap 2: %v, want Mon-Sat only", got)
	}
}
