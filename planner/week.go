package planner

import (
	"fmt"
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
