package geo

import (
	"math"
	"time"
)

// Kilometers is a length on the ground. It is a distinct type so that a
// distance is never added to a duration or a mass by accident; convert with
// the methods below or float64(k) at the edge of the package (for example when
// filling a solver matrix, which is plain float64).
type Kilometers float64

// Hours is a travel or service time.
type Hours float64

// KmPerHour is a mean travel speed.
type KmPerHour float64

// Common lengths and times.
const (
	Meter     Kilometers = 0.001
	Kilometer Kilometers = 1
	Minute    Hours      = 1.0 / 60
	Hour      Hours      = 1
)

// EarthRadius is the mean Earth radius R1 = (2a+b)/3 of WGS 84, 6371.0088 km
// (IUGG). Haversine distances use a sphere of this radius; the error against
// the ellipsoid is below 0.5 %, far less than the detour-factor uncertainty.
const EarthRadius Kilometers = 6371.0088

// Meters returns k in metres.
func (k Kilometers) Meters() float64 { return float64(k) * 1000 }

// Minutes returns h in minutes.
func (h Hours) Minutes() float64 { return float64(h) * 60 }

// Seconds returns h in seconds.
func (h Hours) Seconds() float64 { return float64(h) * 3600 }

// Duration converts h to a time.Duration rounded to the nearest nanosecond.
// Values beyond the range of time.Duration saturate.
func (h Hours) Duration() time.Duration {
	ns := math.Round(float64(h) * float64(time.Hour))
	switch {
	case ns >= math.MaxInt64:
		return time.Duration(math.MaxInt64)
	case ns <= math.MinInt64:
		return time.Duration(math.MinInt64)
	}
	return time.Duration(ns)
}

// HoursOf converts a time.Duration to Hours.
func HoursOf(d time.Duration) Hours { return Hours(d.Hours()) }

// TimeFor returns the time needed to cover k at speed v. A non-positive
// speed gives +Inf (the distance can never be covered).
func (v KmPerHour) TimeFor(k Kilometers) Hours {
	if !(v > 0) {
		return Hours(math.Inf(1))
	}
	return Hours(float64(k) / float64(v))
}
