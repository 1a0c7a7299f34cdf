package location

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/rlplan/rlplan/solver"
)

// Objective selects what Solve optimises.
type Objective int

const (
	// PMedian opens exactly P new sites and minimises the weighted distance
	// Σ_j w_j·d(j, facility of j), an unserved demand counting UnservedCost.
	PMedian Objective = iota
	// MaxCover opens exactly P new sites and maximises the weight assigned to
	// a facility within Radius (the maximal covering location problem).
	MaxCover
	// FacilityLocation opens any number of new sites and minimises their
	// fixed costs plus the weighted assignment distance: the uncapacitated
	// facility location problem, or the capacitated one (CFLP) when some
	// facility has a Capacity.
	FacilityLocation
	// SetCover opens the cheapest set of new sites such that at least
	// CoverTarget of the total weight is assigned within Radius. A site costs
	// its FixedCost; when every candidate has FixedCost 0, each costs 1
	// (fewest sites).
	SetCover
)

func (o Objective) String() string {
	switch o {
	case PMedian:
		return "p-median"
	case MaxCover:
		return "max-cover"
	case FacilityLocation:
		return "facility-location"
	case SetCover:
		return "set-cover"
	}
	return fmt.Sprintf("Objective(%d)", int(o))
}

// Facility is a candidate site or an outlet that is already open.
type Facility struct {
	// FixedCost is paid when a new site opens (FacilityLocation, SetCover).
	// It is ignored for facilities that are already Open: that money is spent.
	FixedCost float64
	// Capacity bounds the total demand weight assigned to the facility;
	// 0 means uncapacitated.
	Capacity float64
	// Open marks an existing outlet: it is always open, never closed, and
	// does not count towards P.
	Open bool
}

// Distances lists, for every demand point, the facilities it may be assigned
// to and their distances, in compressed sparse rows: demand j's entries are
// Facility[Start[j]:Start[j+1]] and Dist[Start[j]:Start[j+1]]. A pair that is
// not listed is unavailable. Rows need not be sorted; a facility listed
// twice in a row keeps its shorter distance. Typical content: the facilities
// within a cutoff distance, or the k nearest.
//
// int32 ids keep national instances (10^5 demands × 50 neighbours) near 60 MB.
type Distances struct {
	Start    []int
	Facility []int32
	Dist     []float64
}

// Row returns demand j's facility ids and distances (shared, do not modify).
func (d *Distances) Row(j int) ([]int32, []float64) {
	a, b := d.Start[j], d.Start[j+1]
	return d.Facility[a:b], d.Dist[a:b]
}

// AppendRow adds the next demand's row. Start must be empty or end with the
// current entry count; AppendRow initialises it.
func (d *Distances) AppendRow(fac []int32, dist []float64) {
	if len(d.Start) == 0 {
		d.Start = append(d.Start, 0)
	}
	d.Facility = append(d.Facility, fac...)
	d.Dist = append(d.Dist, dist...)
	d.Start = append(d.Start, len(d.Facility))
}

// DenseDistances builds sparse rows from a full demand × facility matrix,
// keeping the entries with distance <= cutoff (all of them when cutoff is
// +Inf) and skipping NaN entries.
func DenseDistances(m [][]float64, cutoff float64) Distances {
	var d Distances
	d.Start = append(d.Start, 0)
	for _, row := range m {
		for i, v := range row {
			if v <= cutoff {
				d.Facility = append(d.Facility, int32(i))
				d.Dist = append(d.Dist, v)
			}
		}
		d.Start = append(d.Start, len(d.Facility))
	}
	return d
}

// Problem is a facility-location instance. Demand points are 0..len(Weights)-1,
// facilities 0..len(Facilities)-1.
type Problem struct {
	Objective Objective
	// Weights is the demand weight of each demand point (>= 0). Capacities
	// are in the same unit.
	Weights    []float64
	Facilities []Facility
	Dist       Distances
	// P is the number of new sites for PMedian and MaxCover (all candidates
	// are opened when there are fewer).
	P int
	// Radius is the coverage radius of MaxCover and SetCover: a demand is
	// covered when it is assigned to a facility at distance <= Radius.
	Radius float64
	// CoverTarget is the share of the total weight SetCover must cover,
	// in (0, 1]; 0 means 1.
	CoverTarget float64
	// UnservedCost is the distance charged per unit of weight left unserved
	// (no listed open facility, or no capacity left) by PMedian and
	// FacilityLocation. Zero or less selects the default
	// 10·(largest listed distance) + (Σ FixedCost)/(smallest positive
	// weight) + 1, large enough that a demand is left unserved only when it
	// cannot be served. A listed facility farther than UnservedCost is never
	// worth using. MaxCover and SetCover ignore it: unserved is simply not
	// covered.
	UnservedCost float64
	// SingleSource requires every demand to be assigned whole to one
	// facility when capacities bind. Otherwise demand may be split between
	// facilities (the multi-source CFLP of Beasley 1988).
	SingleSource bool
}

// Defaults of Settings: a zero field means the value here.
const (
	DefaultTimeLimit       = 60 * time.Second
	DefaultMaxIterations   = 1000
	DefaultBoundIterations = 1000
	DefaultWorkers         = 1
)

// Settings tunes Solve. The zero value, like a nil *Settings, means the
// documented default of every field (package solver's contract).
//
// Determinism: for a given Problem and Seed, Solve follows one fixed search
// path. If it stops on MaxIterations (or converges) the Result is always the
// same; a TimeLimit or a cancelled context stops the path at a point that
// depends on machine speed. Set TimeLimit large and MaxIterations small for
// reproducible runs.
type Settings struct {
	// TimeLimit bounds the wall time; 0 means DefaultTimeLimit (60 s).
	TimeLimit time.Duration
	// MaxIterations bounds the improvement rounds after the first local
	// optimum (VNS shakes, perturbation restarts), per worker; 0 means
	// DefaultMaxIterations (1000) and a negative value means no iteration
	// limit (TimeLimit, or a closed gap, alone ends the search).
	MaxIterations int
	// BoundIterations bounds the subgradient iterations of the Lagrangian
	// bound; 0 means DefaultBoundIterations (1000). A negative value skips
	// the bound: the Result then has HasBound false.
	BoundIterations int
	// Seed seeds the pseudo-random streams; every value (0 included) is a
	// valid seed.
	Seed solver.Seed
	// Workers is the number of goroutines of the improvement phase (VNS or
	// iterated local search), each with its own random stream derived from
	// Seed; the best result wins, ties to the lowest worker. 0 means
	// DefaultWorkers (1: the calling goroutine only). Each worker gets
	// MaxIterations.
	Workers int
}

func (s *Settings) withDefaults() Settings {
	var out Settings
	if s != nil {
		out = *s
	}
	if out.TimeLimit <= 0 {
		out.TimeLimit = DefaultTimeLimit
	}
	if out.MaxIterations == 0 {
		out.MaxIterations = DefaultMaxIterations
	} else if out.MaxIterations < 0 {
		out.MaxIterations = math.MaxInt
	}
	if out.BoundIterations == 0 {
		out.BoundIterations = DefaultBoundIterations
	} else if out.BoundIterations < 0 {
		out.BoundIterations = 0
	}
	if out.Workers <= 0 {
		out.Workers = DefaultWorkers
	}
	return out
}

// Flow is the part of a demand's weight served by one facility.
type Flow struct {
	Demand, Facility int
	Weight           float64
}

// Result is the outcome of Solve.
type Result struct {
	// Open lists the new sites opened, ascending; outlets already open are
	// not repeated here (they are always open).
	Open []int
	// Assign gives each demand's facility (the one carrying the largest part
	// when demand is split), or -1 when the demand is unserved.
	Assign []int
	// Flows lists every positive (demand, facility, weight) part when the
	// problem is capacitated and splittable; nil otherwise (Assign is then
	// the whole story).
	Flows []Flow
	// Cost is the objective value: weighted distance (PMedian), fixed plus
	// assignment cost (FacilityLocation), covered weight (MaxCover, to be
	// maximised), or the cost of the new sites (SetCover).
	Cost float64
	// Bound is a proven lower bound on the optimal Cost (an upper bound for
	// MaxCover) when HasBound: Lagrangian relaxation, or an enumeration
	// that closes it. Gap is |Cost-Bound| / max(|Cost|, 1e-12), 0 when the
	// solution is proven optimal. Without a bound (BoundIterations < 0, or a
	// run stopped before the bound's first iterate) HasBound is false and
	// Bound and Gap are 0.
	Bound    float64
	Gap      float64
	HasBound bool
	// Covered is the weight assigned within Radius (when Radius > 0);
	// Unserved the weight assigned to no facility.
	Covered, Unserved float64
	// Iterations counts improvement rounds (shakes/restarts) done.
	Iterations int
	Elapsed    time.Duration
	// Status says why Solve stopped: solver.Optimal (the gap is at most
	// 1e-7, the rounding noise of summing 10^5 multipliers),
	// IterationLimit (MaxIterations rounds done, or nothing left to
	// search), TimeLimit, Interrupted (ctx cancelled; the best solution
	// found is returned) or Infeasible (SetCover cannot reach CoverTarget
	// even with every candidate open; the Result opens every useful
	// candidate).
	Status solver.Status
}

// ErrInvalid wraps every validation error of a Problem.
var ErrInvalid = errors.New("location: invalid problem")

func invalidf(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}

// Validate checks the structure of p: sizes, ids and values (the
// contract's structural check; solver/location/validate checks results).
// Solve calls it first. Every error wraps ErrInvalid and names the field.
func (p *Problem) Validate() error {
	n := len(p.Weights)
	F := len(p.Facilities)
	if p.Objective < PMedian || p.Objective > SetCover {
		return invalidf("objective %d unknown", int(p.Objective))
	}
	if F == 0 {
		return invalidf("no facilities")
	}
	if F > math.MaxInt32 {
		return invalidf("%d facilities, at most %d supported", F, math.MaxInt32)
	}
	d := &p.Dist
	if len(d.Start) != n+1 {
		return invalidf("Dist.Start has %d entries, want len(Weights)+1 = %d", len(d.Start), n+1)
	}
	if len(d.Facility) != len(d.Dist) {
		return invalidf("Dist.Facility has %d entries but Dist.Dist %d", len(d.Facility), len(d.Dist))
	}
	if n > 0 && (d.Start[0] != 0 || d.Start[n] != len(d.Facility)) {
		return invalidf("Dist.Start runs from %d to %d, want 0 to %d", d.Start[0], d.Start[n], len(d.Facility))
	}
	for j := 0; j < n; j++ {
		if d.Start[j] > d.Start[j+1] {
			return invalidf("Dist.Start decreases at demand %d", j)
		}
		w := p.Weights[j]
		if !(w >= 0) || math.IsInf(w, 0) {
			return invalidf("demand %d weight %v, want finite >= 0", j, w)
		}
	}
	for e, f := range d.Facility {
		if f < 0 || int(f) >= F {
			return invalidf("Dist entry %d: facility %d out of range [0,%d)", e, f, F)
		}
		v := d.Dist[e]
		if !(v >= 0) || math.IsInf(v, 0) {
			return invalidf("Dist entry %d: distance %v, want finite >= 0", e, v)
		}
	}
	for i, f := range p.Facilities {
		if !(f.FixedCost >= 0) || math.IsInf(f.FixedCost, 0) {
			return invalidf("facility %d fixed cost %v, want finite >= 0", i, f.FixedCost)
		}
		if !(f.Capacity >= 0) || math.IsInf(f.Capacity, 0) {
			return invalidf("facility %d capacity %v, want finite >= 0 (0 = uncapacitated)", i, f.Capacity)
		}
	}
	switch p.Objective {
	case PMedian, MaxCover:
		if p.P < 0 {
			return invalidf("P = %d, want >= 0", p.P)
		}
	}
	if (p.Objective == MaxCover || p.Objective == SetCover) && !(p.Radius >= 0) {
		return invalidf("radius %v, want >= 0", p.Radius)
	}
	if p.Objective == SetCover && !(p.CoverTarget >= 0 && p.CoverTarget <= 1) {
		return invalidf("cover target %v, want in (0,1] (0 = 1)", p.CoverTarget)
	}
	if math.IsNaN(p.UnservedCost) || math.IsInf(p.UnservedCost, 0) {
		return invalidf("unserved cost %v, want finite", p.UnservedCost)
	}
	return nil
}
