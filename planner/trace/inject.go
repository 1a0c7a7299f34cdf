package trace

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// injector applies faults to a clean simulation, each on its own stop.
type injector struct {
	p       *Plan
	sim     *Simulation
	carried []simPack
	waiting []Pack
	rng     *rand.Rand
	used    map[int]bool // stops a fault already touched
	drop    map[int]bool // scans to remove
}

// inject applies the requested faults to a clean simulation and lists
// them. The choice is random but reproducible (rng).
func inject(p *Plan, sim *Simulation, carried []simPack, waiting []Pack, faults []string, rng *rand.Rand) error {
	want := map[string]bool{}
	for _, f := range faults {
		ok := false
		for _, k := range FaultKinds {
			ok = ok || k.Name == f
		}
		if !ok {
			var names []string
			for _, k := range FaultKinds {
				names = append(names, k.Name)
			}
			return fmt.Errorf("fault %q: want one of %v", f, names)
		}
		want[f] = true
	}
	in := &injector{p: p, sim: sim, carried: carried, waiting: waiting, rng: rng, used: map[int]bool{}, drop: map[int]bool{}}
	// The overdue stop first (it needs a particular outlet), then the lost
	// pack (it needs an early stop), then the others.
	for _, f := range []struct {
		name string
		do   func() error
	}{{FaultOverdue, in.overdue}, {FaultLost, in.lost}, {FaultWeight, in.weight}, {FaultDuplicate, in.duplicate},
		{FaultMalformed, in.malformed}, {FaultUnplanned, in.unplanned}} {
		if want[f.name] {
			if err := f.do(); err != nil {
				return fmt.Errorf("fault %s: %w", f.name, err)
			}
		}
	}
	if len(in.drop) > 0 {
		kept := sim.Scans[:0]
		for i, s := range sim.Scans {
			if !in.drop[i] {
				kept = append(kept, s)
			}
		}
		sim.Scans = kept
	}
	sort.SliceStable(sim.Faults, func(a, b int) bool { return sim.Faults[a].Rule < sim.Faults[b].Rule })
	return nil
}

func (in *injector) add(f Fault) { in.sim.Faults = append(in.sim.Faults, f) }

// pick chooses a carried pack on a stop no fault used; early, one picked
// up by the end of Tuesday (so that a day's tolerance runs out within the
// data).
func (in *injector) pick(early bool) (simPack, error) {
	var cands []int
	for i, c := range in.carried {
		if !in.used[c.stop] && (!early || in.p.Stops[c.stop].Day <= 2) {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 {
		if early {
			return simPack{}, fmt.Errorf("no stop on Monday or Tuesday is left for it")
		}
		return simPack{}, fmt.Errorf("not enough stops to inject every fault on its own stop")
	}
	c := in.carried[cands[in.rng.IntN(len(cands))]]
	in.used[c.stop] = true
	return c, nil
}

func (in *injector) overdue() error {
	byStop := map[int][]int{}
	for i, c := range in.carried {
		byStop[c.stop] = append(byStop[c.stop], i)
	}
	k, delay, fill, ok := in.p.overdueCandidate(byStop)
	if !ok {
		return fmt.Errorf("no stop of this plan is the only one of its outlet in the week with room to overfill within 5 days")
	}
	in.used[k] = true
	for _, i := range byStop[k] {
		c := in.carried[i]
		in.sim.Scans[c.pickup].Time = in.sim.Scans[c.pickup].Time.Add(delay)
		in.sim.Scans[c.receipt].Time = in.sim.Scans[c.receipt].Time.Add(delay)
	}
	s := in.p.Stops[k]
	in.add(Fault{Kind: FaultOverdue, Rule: RuleOverduePickup, Place: s.Outlet,
		Detail: fmt.Sprintf("stop %d of %s picked up %s late: about %.0f kg in a %.0f kg store", s.Seq, s.Vehicle, human(delay), fill, in.p.Rates[s.Outlet].CapacityKg)})
	return nil
}

func (in *injector) lost() error {
	c, err := in.pick(true)
	if err != nil {
		return err
	}
	in.drop[c.receipt] = true
	in.add(Fault{Kind: FaultLost, Rule: RuleCustodyGap, Code: c.pack.Code, Place: c.pack.Outlet, Detail: "receipt scan removed"})
	return nil
}

func (in *injector) weight() error {
	c, err := in.pick(false)
	if err != nil {
		return err
	}
	r := &in.sim.Scans[c.receipt]
	r.Kg = math.Round(r.Kg*1.1*10) / 10
	in.add(Fault{Kind: FaultWeight, Rule: RuleWeightMismatch, Code: c.pack.Code, Place: c.pack.Outlet,
		Detail: fmt.Sprintf("received %.1f kg at %s, picked up %.1f kg", r.Kg, r.Place, c.pack.Kg)})
	return nil
}

// duplicate scans a second pack with the code of one pack at another stop.
func (in *injector) duplicate() error {
	c, err := in.pick(false)
	if err != nil {
		return err
	}
	other, err := in.pick(false)
	if err != nil {
		return err
	}
	s := in.p.Stops[other.stop]
	arrive, depart := in.p.StopTime(other.stop, false), in.p.StopTime(other.stop, true)
	at := arrive.Add(depart.Sub(arrive) / 3).Truncate(time.Second)
	rec := in.sim.Scans[other.receipt]
	in.sim.Scans = append(in.sim.Scans, Scan{Code: c.pack.Code, Event: EventPickup, Place: s.Outlet, Time: at, Kg: c.pack.Kg},
		Scan{Code: c.pack.Code, Event: EventReceipt, Place: rec.Place, Time: rec.Time.Add(time.Minute), Kg: c.pack.Kg})
	first := c.pack.Outlet // discrepancies name the outlet of the first pickup
	if at.Before(in.sim.Scans[c.pickup].Time) {
		first = s.Outlet
	}
	in.add(Fault{Kind: FaultDuplicate, Rule: RuleDuplicateCode, Code: c.pack.Code, Place: first,
		Detail: fmt.Sprintf("a second pack with the code of a pack of %s, picked up at %s", c.pack.Outlet, s.Outlet)})
	return nil
}

func (in *injector) malformed() error {
	c, err := in.pick(false)
	if err != nil {
		return err
	}
	bad := c.pack.Code[:len(c.pack.Code)-1]
	in.sim.Scans[c.pickup].Code, in.sim.Scans[c.receipt].Code = bad, bad
	in.add(Fault{Kind: FaultMalformed, Rule: RuleMalformedCode, Code: bad, Place: c.pack.Outlet, Detail: "last character of " + c.pack.Code + " missing"})
	return nil
}

// unplanned picks a waiting pack at an outlet without a stop, Tuesday 10:00.
func (in *injector) unplanned() error {
	if len(in.waiting) == 0 {
		return fmt.Errorf("every outlet with packs has a stop this week")
	}
	w := in.waiting[in.rng.IntN(len(in.waiting))]
	plant := in.p.nearestPlant(w.Outlet)
	at := in.p.Monday.AddDate(0, 0, 1).Add(10 * time.Hour)
	in.sim.Scans = append(in.sim.Scans, Scan{Code: w.Code, Event: EventPickup, Place: w.Outlet, Time: at, Kg: w.Kg},
		Scan{Code: w.Code, Event: EventReceipt, Place: plant, Time: at.Add(6 * time.Hour), Kg: w.Kg})
	in.add(Fault{Kind: FaultUnplanned, Rule: RuleUnplannedPickup, Code: w.Code, Place: w.Outlet, Detail: "outlet without a stop this week; received at " + plant})
	return nil
}

// overdueCandidate finds the stop that overfills its outlet with the
// shortest delay: the outlet's only stop of the week, whose packs are
// carried. The delay is in whole days (the truck comes at the planned
// time of a later day), at least half a day past the storage limit.
func (p *Plan) overdueCandidate(byStop map[int][]int) (stop int, delay time.Duration, fill float64, ok bool) {
	best := time.Duration(math.MaxInt64)
	keys := make([]int, 0, len(byStop))
	for k := range byStop {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		s := p.Stops[k]
		r, known := p.Rates[s.Outlet]
		if !known || r.KgPerDay <= 0 || len(p.stopsAt[s.Outlet]) != 1 {
			continue
		}
		days := math.Ceil((r.CapacityKg-s.PickupKg)/r.KgPerDay + 0.5)
		d := time.Duration(days) * 24 * time.Hour
		if days < 1 || days > 5 || d >= best {
			continue
		}
		stop, delay, fill, best, ok = k, d, s.PickupKg+r.KgPerDay*days, d, true
	}
	return stop, delay, fill, ok
}

// nearestPlant is the plant closest to an outlet (great circle).
func (p *Plan) nearestPlant(outlet string) string {
	o := p.Outlets[outlet]
	ids := make([]string, 0, len(p.Plants))
	for id := range p.Plants {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	best, bestKm := "", math.Inf(1)
	for _, id := range ids {
		if km := greatCircleKm(o.Point, p.Plants[id].Point); km < bestKm {
			best, bestKm = id, km
		}
	}
	return best
}
