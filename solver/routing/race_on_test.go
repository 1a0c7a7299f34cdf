//go:build race

package routing_test

// raceOn lets long single-goroutine tests skip under the race detector,
// which slows them tenfold without checking anything more.
const raceOn = true
