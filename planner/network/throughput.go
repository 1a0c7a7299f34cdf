package network

import (
	"fmt"
	"math"
)

// Throughput turns a storage limit into what an outlet can take in: it may
// fill to Fill of its limit between two pickups, and pickups happen on work
// days only (Monday first), so the longest wait between two pickups is from
// the last work day of one week to Monday of the next: 8 - WorkDays days
// (1 day when trucks run every day, 2 for Monday to Saturday). Emptied on
// every work day, an outlet can therefore take in Fill x limit / (8 -
// WorkDays) a day, and no faster rate keeps it within its limit: this is
// the rate at which the visit rules of package week still find a day
// pattern.
type Throughput struct {
	Fill     float64 // share of the storage limit that may fill, in (0, 1]
	WorkDays int     // 1 to 7
}

// Check reports a setting outside its range.
func (t Throughput) Check() error {
	if !(t.Fill > 0 && t.Fill <= 1) {
		return fmt.Errorf("throughput: fill %g: want a share in (0, 1]", t.Fill)
	}
	if t.WorkDays < 1 || t.WorkDays > 7 {
		return fmt.Errorf("throughput: %d work days: want 1 to 7", t.WorkDays)
	}
	return nil
}

// Gap is the longest wait between two pickups in days: 8 - WorkDays.
func (t Throughput) Gap() float64 { return float64(8 - t.WorkDays) }

// KgPerDay is the fastest an outlet of the given storage limit can fill and
// still be kept within Fill of it.
func (t Throughput) KgPerDay(storageKg float64) float64 {
	return storageKg * t.Fill / t.Gap()
}

// TonnesPerYear is KgPerDay over a year, in the unit of the density grid.
func (t Throughput) TonnesPerYear(storageKg float64) float64 {
	return t.KgPerDay(storageKg) * 365 / 1000
}

// safeShare keeps assigned rates a hair below the limit, so that the sums
// of a transportation solve's flows (exact to about 1e-12) never put an
// outlet over its throughput when package week turns the rate back into
// days between pickups.
const safeShare = 1 - 1e-9

// capacity is the throughput handed to the solver for a storage limit.
func (t Throughput) capacity(storageKg float64) float64 {
	c := t.TonnesPerYear(storageKg) * safeShare
	if math.IsInf(c, 0) || math.IsNaN(c) {
		return 0
	}
	return c
}
