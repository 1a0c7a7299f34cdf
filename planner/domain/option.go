package domain

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/rlplan/rlplan/geo"
)

// Option is one numeric setting of a plan: the scenario key and the
// command-line flag that set it, its documented default and its range. The
// scenario, the commands and the planner all check a value through its
// Option, so a limit and its message are written once.
type Option struct {
	// Key is the scenario key ("routes.fill", "radius_km"); for a setting
	// only the Go API offers, the field name ("OpenHour").
	Key string
	// Flag is the command-line flag without dashes ("fill"); "" when none.
	Flag string
	// Default is the documented default value (seconds for a duration).
	Default float64
	// Lo and Hi bound the value; LoOpen excludes Lo itself. Hi =
	// math.MaxFloat64 means no upper bound but a finite value.
	Lo, Hi float64
	LoOpen bool
	// Whole values only; Duration values are given in seconds and printed
	// as durations ("1m30s").
	Whole, Duration bool
	// Want states the range in words for messages: "a share in (0, 1]".
	Want string
	// Usage is the flag's help text.
	Usage string
}

// Shared settings of a plan (top-level scenario keys).
var (
	// OptYear is the forecast year: the stock starts in 2011 and the model
	// is not meant for centuries.
	OptYear = Option{Key: "year", Flag: "year", Default: 2030, Lo: 2000, Hi: 2100, Whole: true,
		Want: "a year from 2000 to 2100", Usage: "forecast year"}
	// OptResolution is the H3 resolution of the density grid.
	OptResolution = Option{Key: "resolution", Flag: "res", Default: DefaultResolution, Lo: 0, Hi: 15, Whole: true,
		Want: "an H3 resolution from 0 to 15", Usage: "H3 resolution of the density grid"}
	// OptRadius is the catchment radius by road. 500 km is far beyond any
	// outlet's catchment (a day's return trip) and bounds the neighbour
	// lists a national grid builds.
	OptRadius = Option{Key: "radius_km", Flag: "radius-km", Default: 20, Lo: 0, LoOpen: true, Hi: 500,
		Want: "a distance in (0, 500] km", Usage: "catchment radius by road in km; cells beyond are uncollected"}
	// OptDetour is road km per great-circle km (geo.DefaultDetour and its
	// bounds, with their sources).
	OptDetour = Option{Key: "detour", Flag: "detour", Default: geo.DefaultDetour, Lo: geo.MinDetour, Hi: geo.MaxDetour,
		Want: "a factor from 1.0 to 3.0", Usage: "road detour factor (1.0-3.0)"}
)

// RangeError is a value outside its Option's range.
type RangeError struct {
	Option Option
	Value  string // as given, formatted
}

// Error names the scenario key: "routes.fill: 1.2: want a share in (0, 1]".
func (e *RangeError) Error() string {
	return fmt.Sprintf("%s: %s: want %s", e.Option.Key, e.Value, e.Option.Want)
}

// FlagMessage names the flag instead: "--fill 1.2: want a share in (0, 1]".
func (e *RangeError) FlagMessage() string {
	return fmt.Sprintf("--%s %s: want %s", e.Option.Flag, e.Value, e.Option.Want)
}

// In reports whether v is inside the range; NaN and infinities never are.
func (o Option) In(v float64) bool {
	lo := v >= o.Lo
	if o.LoOpen {
		lo = v > o.Lo
	}
	return lo && v <= o.Hi && !math.IsInf(v, 0) && (!o.Whole || v == math.Trunc(v))
}

// Check returns a *RangeError when v is out of range, nil otherwise.
func (o Option) Check(v float64) error {
	if o.In(v) {
		return nil
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if o.Duration && !math.IsNaN(v) && math.Abs(v) < math.MaxInt64/1e9 {
		s = time.Duration(v * 1e9).String()
	}
	return &RangeError{Option: o, Value: s}
}

// CheckInt is Check for a whole-number setting.
func (o Option) CheckInt(v int) error { return o.Check(float64(v)) }

// CheckDuration is Check for a duration setting.
func (o Option) CheckDuration(d time.Duration) error { return o.Check(d.Seconds()) }

// DefaultDuration returns the default of a duration setting.
func (o Option) DefaultDuration() time.Duration {
	return time.Duration(o.Default * float64(time.Second))
}
