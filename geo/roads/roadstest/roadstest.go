// Package roadstest finds the road extract the tests of geo/roads, the
// planner and the command run on: the Delaware extract that
// github.com/paulmach/osm ships in its testdata (© OpenStreetMap
// contributors, ODbL).
package roadstest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Delaware returns the path of the Delaware extract in the module cache, or
// skips the test saying why it cannot.
func Delaware(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/paulmach/osm").Output()
	if err != nil {
		t.Skipf("skipping: cannot locate the github.com/paulmach/osm module (%v)", err)
	}
	path := filepath.Join(strings.TrimSpace(string(out)), "testdata", "delaware-latest.osm.pbf")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("skipping: the paulmach/osm module has no Delaware extract at %s", path)
	}
	return path
}
