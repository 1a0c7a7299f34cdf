package planner

import (
	"fmt"
	"strings"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/rlplan/rlplan/internal/memlimit"
)

// Bounds of the settings shared by scenario files and command-line flags.
// A scenario's Validate and the commands' flag checks both use them, so a
// value accepted in one place is accepted in the other.
const (
	// MaxRadiusKm bounds a service or catchment radius: beyond it every
	// cell of a province lists every facility of the country, and the
	// siting problem no longer fits in memory (see EstimateSitingBytes).
	MaxRadiusKm = 500
	// MinFill is the smallest fill target: a store emptied before it is a
	// twentieth full is not planned (it would need more visits than days).
	MinFill = 0.05
	// MinTimeLimit and MaxTimeLimit bound a solver time limit. A limit
	// must be above zero (which would mean the solver's default), however
	// small: 1ns stops a solver at once, as tests do.
	MinTimeLimit = time.Nanosecond
	MaxTimeLimit = 24 * time.Hour
	// MaxNewSites bounds the number of new sites asked for.
	MaxNewSites = 100000
	// MaxCandidates bounds the candidate sites proposed by default.
	MaxCandidates = 1000000
	// MaxYearlyCostCNY bounds a yearly site cost and a truck-day cost.
	MaxYearlyCostCNY = 1e12
	// MaxTonneKmCostCNY bounds the cost of a tonne-km.
	MaxTonneKmCostCNY = 1e6
)

// Setting names a setting that a TooLargeError asks to change. The
// command-line tool names it as a flag (--res) or, for a scenario file, as
// its key (resolution).
type Setting string

// The settings that bound the size of a run.
const (
	SettingResolution    Setting = "resolution"
	SettingRegions       Setting = "regions"
	SettingRadius        Setting = "radius_km"
	SettingMaxCandidates Setting = "siting.max_candidates"
)

// Change is one way to shrink a run: a setting and the direction.
type Change struct {
	Setting Setting
	How     string // "a coarser", "fewer", "a smaller"
}

// TooLargeError refuses a request that would exhaust memory or time (a fine
// grid over a large area, a siting problem larger than the machine) before
// anything is allocated. It says what the run would take and which
// settings to change.
type TooLargeError struct {
	What    string // "density: resolution 15 over CN would touch about 9e9 cells (limit 4000000)"
	Changes []Change
}

// Error names the settings by their scenario keys.
func (e *TooLargeError) Error() string {
	return e.Explain(func(s Setting) string { return string(s) })
}

// Explain renders the error with each setting named by name (a flag, a key).
func (e *TooLargeError) Explain(name func(Setting) string) string {
	var ways []string
	for _, c := range e.Changes {
		ways = append(ways, c.How+" "+name(c.Setting))
	}
	if len(ways) == 0 {
		return e.What
	}
	return e.What + "; use " + joinOr(ways)
}

// ExitCode marks the refusal as a usage error: the request, not the data, is
// at fault.
func (e *TooLargeError) ExitCode() int { return 2 }

func joinOr(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// ResolutionWarning returns a warning when the density grid's cells are
// wider than the service radius: distances are measured from cell centres,
// so coverage and siting are then coarser than the radius they report.
// It returns "" for a fitting resolution.
func ResolutionWarning(res int, radiusKm float64) string {
	edge, err := h3.HexagonEdgeLengthAvgKm(res)
	if err != nil || 2*edge <= radiusKm {
		return ""
	}
	fine := res
	for fine < 15 {
		if e, err := h3.HexagonEdgeLengthAvgKm(fine); err == nil && 2*e <= radiusKm/2 {
			break
		}
		fine++
	}
	return fmt.Sprintf("H3 resolution %d has cells about %.0f km across, wider than the %g km service radius: distances are measured from cell centres, so coverage and siting are coarse; resolution %d or finer fits the radius (default %d)",
		res, 2*edge, radiusKm, fine, DefaultResolution)
}

// NoTruckWarning returns a warning when no plant has a truck (every fleet
// row of the inputs counts 0): every outlet is then unserved, whatever its
// distance. It returns "" when some plant has one.
func NoTruckWarning(in *Inputs, reg Regions) string {
	for _, f := range in.Fleet {
		if f.Count > 0 {
			return ""
		}
	}
	return fmt.Sprintf("no plant has a truck (every fleet row counts 0, %d rows): no outlet of %s can be served; give the plants trucks in the fleet file", len(in.Fleet), reg)
}

// memoryBudget returns the bytes a run's large structures may take: four
// fifths of what the run may still allocate (memlimit.Available). Tests
// replace it.
var memoryBudget = func() int64 { return memlimit.Available() * 4 / 5 }

// planBytesPerCell is the memory a plan's outputs take per density cell
// (the grid, its layer, the map that embeds it, the coverage): a national
// plan at resolution 8 (184,722 cells, siting and routes off) peaked at
// 635 MB (BENCHMARKS.md, "Reliability").
const planBytesPerCell = 4096

// checkPlanSize refuses a plan whose grid would make layers and a map larger
// than the memory the run may use (a fine resolution over many provinces),
// before they are built.
func checkPlanSize(cells int) error {
	need, budget := float64(cells)*planBytesPerCell, float64(memoryBudget())
	if need <= budget {
		return nil
	}
	return &TooLargeError{
		What: fmt.Sprintf("plan: a density grid of %d cells makes layers and a map of about %s of memory, more than the %s this run can use (free memory, cgroup or GOMEMLIMIT)",
			cells, memlimit.Format(need), memlimit.Format(budget)),
		Changes: []Change{{SettingResolution, "a coarser"}, {SettingRegions, "fewer"}},
	}
}
