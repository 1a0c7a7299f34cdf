package roads

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotPBF is wrapped by the error for a file that is not an OSM PBF.
var ErrNotPBF = errors.New("not an OpenStreetMap PBF file")

// ErrOutside is wrapped by the error for points outside the extract.
var ErrOutside = errors.New("points outside the road file's area")

// ErrFragmented is wrapped by the error for a graph that cannot serve the
// points: too many of them are far from its largest connected part.
var ErrFragmented = errors.New("road graph too fragmented to serve the points")

// ErrNoRoads is wrapped when a file holds no road the profile may use.
var ErrNoRoads = errors.New("no usable roads")

// InputError is a problem with the road file or the points given to it; the
// command-line tool exits with code 3 for it.
type InputError struct {
	File string
	Err  error  // one of the Err* values above, or the underlying cause
	Msg  string // what was found and what was expected
}

func (e *InputError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("roads: %v: %s", e.Err, e.Msg)
	}
	return fmt.Sprintf("%s: %v: %s", e.File, e.Err, e.Msg)
}

func (e *InputError) Unwrap() error { return e.Err }

// ExitCode makes input errors exit with code 3 in the command-line tool.
func (e *InputError) ExitCode() int { return 3 }

// listIDs shows up to n ids, then how many more.
func listIDs(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:n], ", "), len(ids)-n)
}
