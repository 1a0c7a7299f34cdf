package week

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"
)

// ParseISOWeek returns the Monday of an ISO week "YYYY-Www".
func ParseISOWeek(s string) (time.Time, error) {
	var y, w int
	if _, err := fmt.Sscanf(strings.ToUpper(s), "%d-W%d", &y, &w); err != nil || w < 1 || w > 53 {
		return time.Time{}, fmt.Errorf("week %q: want an ISO week such as 2030-W10", s)
	}
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+(w-1)*7)
	if yy, ww := monday.ISOWeek(); yy != y || ww != w {
		return time.Time{}, fmt.Errorf("week %q: year %d has no week %d", s, y, w)
	}
	return monday, nil
}

// weekIndex numbers weeks since 1970-01-05 (a Monday), to phase the visits
// of outlets emptied every k weeks.
func weekIndex(monday time.Time) int {
	return int(monday.Sub(time.Date(1970, 1, 5, 0, 0, 0, 0, time.UTC)).Hours()/24) / 7
}

// phaseOf spreads the outlets on a k-week cycle over the k weeks, by id.
func phaseOf(id string, k int) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(k))
}

// dateOf is day d (1 = Monday) of the week as YYYY-MM-DD.
func dateOf(monday time.Time, d int) string { return monday.AddDate(0, 0, d-1).Format("2006-01-02") }
