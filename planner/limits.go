package planner

import (
	"fmt"
	"strings"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/rlplan/rlplan/internal/memlimit"
	"github.com/rlplan/rlplan/planner/domain"
)

// The siting settings, as Options (package domain): the scenario's
// siting.* keys and the site command's flags check them through the same
// range and message. Defaults are those of DefaultScenario. The bounds are
// guards, far beyond real use, that keep costs and sizes finite.
var (
	// OptNewSites: new sites asked for (coverage, median).
	OptNewSites = domain.Option{Key: "siting.new_sites", Flag: "new", Default: 25, Lo: 0, Hi: 100000, Whole: true,
		Want: "a number of sites from 0 to 100000", Usage: "number of new sites (coverage, median)"}
	// OptMaxCandidates: candidate sites proposed by default.
	OptMaxCandidates = domain.Option{Key: "siting.max_candidates", Flag: "max-candidates", Default: 3000, Lo: 1, Hi: 1000000, Whole: true,
		Want: "a number of candidates from 1 to 1000000", Usage: "most default candidates"}
	// OptSiteCapacity: a new site's storage limit, within an outlet's
	// bounds (domain.MinOutletCapacityKg..MaxOutletCapacityKg).
	OptSiteCapacity = domain.Option{Key: "siting.site_capacity_kg", Flag: "site-capacity-kg", Default: 5000,
		Lo: domain.MinOutletCapacityKg, Hi: domain.MaxOutletCapacityKg,
		Want: "a storage limit from 100 to 10000000 kg", Usage: "storage limit of a new site in kg"}
	// OptSiteCost: a new site's yearly cost in CNY.
	OptSiteCost = domain.Option{Key: "siting.site_cost", Flag: "site-cost", Default: 120000, Lo: 0, Hi: 1e12,
		Want: "a yearly cost from 0 to 1e12 CNY", Usage: "yearly cost of a new site in CNY (capacitated)"}
	// OptUncollectedCost: what a tonne left without an outlet costs a year
	// in the typed capacitated siting; 0 derives it from the costs file
	// (network.SitingProblem.UncollectedCost: the existing outlets' own
	// yearly cost per tonne they absorb).
	OptUncollectedCost = domain.Option{Key: "siting.uncollected_cost", Flag: "uncollected-cost", Default: 0, Lo: 0, Hi: 1e9,
		Want:  "a cost from 0 to 1e9 CNY per tonne (0: the existing outlets' own yearly cost per tonne)",
		Usage: "CNY a year per tonne left without an outlet (capacitated; 0: with site types, the existing outlets' own yearly cost per tonne they absorb, from the costs file; with --single-type, the solver's serve-every-tonne charge)"}
	// OptTonneKmCost: the cost of bringing a tonne one km to an outlet.
	OptTonneKmCost = domain.Option{Key: "siting.tonne_km_cost", Flag: "tonne-km-cost", Default: 2, Lo: 0, LoOpen: true, Hi: 1e6,
		Want: "a cost in (0, 1e6] CNY", Usage: "cost of bringing a tonne one km to an outlet in CNY (capacitated)"}
	// OptSitingTimeLimit: the siting solver's time limit.
	OptSitingTimeLimit = domain.Option{Key: "siting.time_limit", Flag: "time-limit", Default: 15, Lo: 0, LoOpen: true, Hi: MaxTimeLimit.Seconds(), Duration: true,
		Want: "a duration in (0s, 24h]", Usage: "solver time limit"}
)

// MaxTimeLimit bounds a time limit that rlplan computes (plan --time-scale
// multiplies the scenario's): a day is far past any plan's need, and the
// product must stay a time.Duration.
const MaxTimeLimit = 24 * time.Hour

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
