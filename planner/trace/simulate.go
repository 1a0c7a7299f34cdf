package trace

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"
)

// Simulation: what a week of faultless operation of a plan would record —
// the packs waiting at the outlets (inventory.csv) and the pickup and
// receipt scans of every pack the trucks carry (scans.csv) — optionally
// with faults injected, each listed with the rule that should catch it.

// SimOptions set up a simulation. The zero value simulates the plan as it
// is, seed 0.
type SimOptions struct {
	Seed uint64
	// Scale multiplies the packs of every stop (benchmarks: a scan file
	// many times a week's). 0 or 1: the plan's packs. Trucks then carry
	// more than their capacity; reconciliation does not check capacity.
	Scale int
	// Faults to inject, at most one of each (see FaultKinds).
	Faults []string
}

// Fault kinds, named by what goes wrong.
const (
	FaultLost      = "lost"      // a pack's receipt is missing
	FaultWeight    = "weight"    // a receipt weighs 10 % more than the pickup
	FaultUnplanned = "unplanned" // a waiting pack picked at an outlet the plan does not visit
	FaultDuplicate = "duplicate" // a second pack scanned with another pack's code
	FaultMalformed = "malformed" // a code scanned with its last character missing
	FaultOverdue   = "overdue"   // a stop picked up days late, past the outlet's storage limit
)

// FaultKinds lists the faults with the rule each one breaks.
var FaultKinds = []struct{ Name, Rule string }{
	{FaultLost, RuleCustodyGap},
	{FaultWeight, RuleWeightMismatch},
	{FaultUnplanned, RuleUnplannedPickup},
	{FaultDuplicate, RuleDuplicateCode},
	{FaultMalformed, RuleMalformedCode},
	{FaultOverdue, RuleOverduePickup},
}

// Fault is an injected fault: the rule that must catch it, the code and
// the outlet concerned (as discrepancies.csv names them: outlet_id).
type Fault struct {
	Kind   string `csv:"fault"`
	Rule   string `csv:"rule"`
	Code   string `csv:"pack_code"`
	Place  string `csv:"place_id"`
	Detail string `csv:"detail"`
}

// Simulation is the result.
type Simulation struct {
	Inventory []Pack
	Scans     []Scan
	Faults    []Fault
}

// simPack is a pack carried on a stop, with its scans.
type simPack struct {
	pack            Pack
	stop            int
	pickup, receipt int // indexes into scans
}

// Simulate runs a faultless week of plan p and injects opt.Faults.
func Simulate(p *Plan, opt SimOptions) (*Simulation, error) {
	scale := max(opt.Scale, 1)
	rng := rand.New(rand.NewPCG(opt.Seed, 0x7472616365)) // "trace"
	sim := &Simulation{}
	g := &codeGen{rng: rng}
	total := 0
	for _, s := range p.Stops {
		total += int(math.Ceil(s.PickupPacks)) * scale
	}
	if total > 9_000_000 {
		return nil, fmt.Errorf("simulate: about %d packs (%d stops, scale %d): at most 9,000,000, the serial numbers of the synthetic codes run out", total, len(p.Stops), scale)
	}
	var carried []simPack
	// Packs per stop: each outlet's planned packs, accumulated over its
	// stops in time order and rounded, so that fractions carry over.
	packsAt := map[int]int{}
	for _, idx := range p.stopsAt {
		cum, prev := 0.0, 0
		for _, k := range idx {
			cum += p.Stops[k].PickupPacks
			n := int(math.Floor(cum + 0.5))
			packsAt[k] = (n - prev) * scale
			prev = n
		}
	}
	for _, t := range p.Trips {
		back := p.BackAt(t)
		for _, k := range t.Stops {
			s := p.Stops[k]
			n := packsAt[k]
			if n == 0 {
				continue
			}
			gap := p.accumulationDays(k)
			kgEach := math.Floor(s.PickupKg*float64(scale)/float64(n)*10) / 10
			arrive, depart := p.StopTime(k, false), p.StopTime(k, true)
			for i := 0; i < n; i++ {
				kg := kgEach
				if i == n-1 { // the last pack takes the remainder: the stop's mass is the plan's
					kg = math.Round((s.PickupKg*float64(scale)-kgEach*float64(n-1))*10) / 10
				}
				chem := ChemLFP
				if rng.IntN(2) == 1 {
					chem = ChemNCM
				}
				day := time.Date(arrive.Year(), arrive.Month(), arrive.Day(), 0, 0, 0, 0, PlanZone)
				pk := Pack{Outlet: s.Outlet, Code: g.next(chem), Chemistry: chem, Kg: kg, Received: day.AddDate(0, 0, -1-rng.IntN(gap)), DateOnly: true}
				at := arrive.Add(time.Duration(float64(depart.Sub(arrive)) * (float64(i) + 0.5) / float64(n))).Truncate(time.Second)
				in := back.Add(10*time.Minute + time.Duration(len(carried)%120)*15*time.Second)
				sp := simPack{pack: pk, stop: k, pickup: len(sim.Scans), receipt: len(sim.Scans) + 1}
				sim.Scans = append(sim.Scans, Scan{Code: pk.Code, Event: EventPickup, Place: s.Outlet, Time: at, Kg: kg},
					Scan{Code: pk.Code, Event: EventReceipt, Place: t.Plant, Time: in, Kg: kg})
				sim.Inventory = append(sim.Inventory, pk)
				carried = append(carried, sp)
			}
		}
	}
	waiting := p.waitingPacks(rng, g)
	if g.serial > 9_999_999 {
		return nil, fmt.Errorf("simulate: %d packs: the serial numbers of the synthetic codes run out at 9,999,999 (lower --scale)", g.serial)
	}
	sim.Inventory = append(sim.Inventory, waiting...)
	if err := inject(p, sim, carried, waiting, opt.Faults, rng); err != nil {
		return nil, err
	}
	sortScans(sim.Scans)
	sort.SliceStable(sim.Inventory, func(a, b int) bool {
		x, y := sim.Inventory[a], sim.Inventory[b]
		if x.Outlet != y.Outlet {
			return x.Outlet < y.Outlet
		}
		return olderFirst(x, y)
	})
	return sim, nil
}

// sortScans orders events by time, then code and event (deterministic).
func sortScans(s []Scan) {
	slices.SortStableFunc(s, func(x, y Scan) int {
		if c := x.Time.Compare(y.Time); c != 0 {
			return c
		}
		if c := strings.Compare(x.Code, y.Code); c != 0 {
			return c
		}
		return -strings.Compare(x.Event, y.Event) // pickup before receipt
	})
}

// accumulationDays is how many days of hand-ins a stop collects: the days
// since the outlet's previous stop this week, or for its first stop the
// gap back to its last stop of the week before (the weekly pattern
// repeats), or 7 x its cycle for an outlet emptied every few weeks.
func (p *Plan) accumulationDays(k int) int {
	s := p.Stops[k]
	idx := p.stopsAt[s.Outlet]
	pos := 0
	for i, j := range idx {
		if j == k {
			pos = i
		}
	}
	r := p.Rates[s.Outlet]
	if r.CycleWeeks > 1 {
		return 7 * r.CycleWeeks
	}
	var gap int
	if pos > 0 {
		gap = s.Day - p.Stops[idx[pos-1]].Day
	} else {
		gap = s.Day + 7 - p.Stops[idx[len(idx)-1]].Day
	}
	if gap < 1 {
		gap = 1 // two trucks on one day (a split pickup): packs of the day before
	}
	return gap
}

// waitingPacks are the packs at outlets the plan does not visit this week:
// a week of hand-ins each, received during the plan's week (not scaled:
// Scale multiplies what the trucks carry).
func (p *Plan) waitingPacks(rng *rand.Rand, g *codeGen) []Pack {
	ids := make([]string, 0, len(p.Rates))
	for id, r := range p.Rates {
		if len(p.stopsAt[id]) == 0 && r.PacksPerDay > 0 {
			if _, ok := p.Outlets[id]; ok {
				ids = append(ids, id)
			}
		}
	}
	sort.Strings(ids)
	var out []Pack
	for _, id := range ids {
		r := p.Rates[id]
		n := int(math.Floor(r.PacksPerDay*7 + 0.5))
		kg := math.Round(r.KgPerDay/r.PacksPerDay*10) / 10
		for i := 0; i < n; i++ {
			chem := ChemLFP
			if rng.IntN(2) == 1 {
				chem = ChemNCM
			}
			out = append(out, Pack{Outlet: id, Code: g.next(chem), Chemistry: chem, Kg: kg, Received: p.Monday.AddDate(0, 0, rng.IntN(7)), DateOnly: true})
		}
	}
	return out
}

// codeGen makes synthetic GB/T 34014 codes: manufacturer "S0" + a digit
// (S for synthetic: no real registry code), pack, battery type B or E by
// chemistry, random specification, traceability and date characters, and a
// serial counting up from 1, so that every code differs. The date
// characters do not follow the standard's (unverified) tables.
type codeGen struct {
	rng    *rand.Rand
	serial int
}

const codeAlphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXY"

func (g *codeGen) next(chem string) string {
	g.serial++
	var b strings.Builder
	b.WriteString("S0")
	b.WriteByte(byte('1' + g.rng.IntN(9)))
	b.WriteByte('P')
	if chem == ChemLFP {
		b.WriteByte('B')
	} else {
		b.WriteByte('E')
	}
	fmt.Fprintf(&b, "%02d", g.rng.IntN(100))
	for i := 0; i < 10; i++ {
		b.WriteByte(codeAlphabet[g.rng.IntN(len(codeAlphabet))])
	}
	fmt.Fprintf(&b, "%07d", g.serial)
	return b.String()
}
