package main

import "math"

// Flag checks: each returns a usage error naming the flag, what was given
// and what is expected. NaN and infinities fail every numeric check.

func flagShare(name string, v float64) error {
	if !(v > 0 && v <= 1) {
		return usageErrorf("--%s %v: want a share in (0, 1]", name, v)
	}
	return nil
}

// flagPositive wants a finite v > 0: "--radius-km 0: want a distance > 0 km".
func flagPositive(name string, v float64, what, unit string) error {
	if !(v > 0) || math.IsInf(v, 0) {
		return usageErrorf("--%s %v: want %s > 0%s", name, v, what, unit)
	}
	return nil
}

func flagNonNegative(name string, v float64, what, unit string) error {
	if !(v >= 0) || math.IsInf(v, 0) {
		return usageErrorf("--%s %v: want %s >= 0%s", name, v, what, unit)
	}
	return nil
}

// flagRange wants lo <= v <= hi: "--reload-min 900: want minutes between trips from 0 to 600".
func flagRange(name string, v, lo, hi float64, what string) error {
	if !(v >= lo && v <= hi) {
		return usageErrorf("--%s %v: want %s from %v to %v", name, v, what, lo, hi)
	}
	return nil
}

func flagIntRange(name string, v, lo, hi int, what string) error {
	if v < lo || v > hi {
		return usageErrorf("--%s %d: want %s from %d to %d", name, v, what, lo, hi)
	}
	return nil
}

// flagYear checks a forecast year: the stock starts in 2011 and the model
// is not meant for centuries.
func flagYear(name string, v int) error { return flagIntRange(name, v, 2000, 2100, "a year") }

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
