// Package memlimit tells how much memory a run may take, so that a request
// too large for the machine is refused before it allocates (and is killed
// by the kernel, or dies with "fatal error: out of memory"). It imports only
// the standard library.
package memlimit

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// Fallback is the budget assumed where the machine cannot be asked (no
// /proc): 4 GiB, what a modest laptop leaves free.
const Fallback = 4 << 30

// Available returns the bytes this process may still allocate: the least of
// the Go memory limit (GOMEMLIMIT), the cgroup's limit less its usage, and
// the machine's available memory (MemAvailable in /proc/meminfo); Fallback
// when none of them is known.
func Available() int64 {
	best := int64(math.MaxInt64)
	if l := debug.SetMemoryLimit(-1); l > 0 && l < math.MaxInt64 {
		best = l
	}
	if v, ok := cgroupFree(); ok && v < best {
		best = v
	}
	if v, ok := meminfoAvailable(); ok && v < best {
		best = v
	}
	if best == math.MaxInt64 {
		return Fallback
	}
	return best
}

// meminfoAvailable reads MemAvailable from /proc/meminfo.
func meminfoAvailable() (int64, bool) {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	return parseMeminfo(b)
}

func parseMeminfo(b []byte) (int64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "MemAvailable:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil || kb < 0 {
				return 0, false
			}
			return kb << 10, true
		}
	}
	return 0, false
}

// cgroupFree reads the cgroup v2 limit and usage of this process.
func cgroupFree() (int64, bool) {
	max, err1 := os.ReadFile("/sys/fs/cgroup/memory.max")
	cur, err2 := os.ReadFile("/sys/fs/cgroup/memory.current")
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return parseCgroup(max, cur)
}

func parseCgroup(max, cur []byte) (int64, bool) {
	m := strings.TrimSpace(string(max))
	if m == "max" || m == "" {
		return 0, false
	}
	l, err := strconv.ParseInt(m, 10, 64)
	if err != nil {
		return 0, false
	}
	u, err := strconv.ParseInt(strings.TrimSpace(string(cur)), 10, 64)
	if err != nil {
		return 0, false
	}
	if u > l {
		return 0, true
	}
	return l - u, true
}

// Format renders a byte count for people: "18.4 GB", "512 MB".
func Format(b float64) string {
	switch {
	case b >= 1e9:
		return strconv.FormatFloat(b/1e9, 'f', 1, 64) + " GB"
	case b >= 1e6:
		return strconv.FormatFloat(b/1e6, 'f', 0, 64) + " MB"
	}
	return strconv.FormatFloat(b/1e3, 'f', 0, 64) + " kB"
}
