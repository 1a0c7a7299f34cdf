package trace

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// inject applies the requested faults to a clean simulation, each on its
// own stop, and lists them. The choice is random but reproducible (rng).
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
	used := map[int]bool{} // stops a fault already touched
	drop := map[int]bool{} // scans to remove
	byStop := map[int][]int{}
	for i, c := range carried {
		byStop[c.stop] = append(byStop[c.stop], i)
	}
	if want[FaultOverdue] {
		k, delay, fill, ok := p.overdueCandidate(byStop)
		if !ok {
			return fmt.Errorf("fault overdue: no stop of this plan is the only one of its outlet in the week with room to overfill within 5 days")
		}
		used[k] = true
		for _, i := range byStop[k] {
			sim.Scans[carried[i].pickup].Time = sim.Scans[carried[i].pickup].Time.Add(delay)
			sim.Scans[carried[i].receipt].Time = sim.Scans[carried[i].receipt].Time.Add(delay)
		}
		s := p.Stops[k]
		sim.Faults = append(sim.Faults, Fault{Kind: FaultOverdue, Rule: RuleOverduePickup, Place: s.Outlet,
			Detail: fmt.Sprintf("stop %d of %s picked up %s late: about %.0f kg in a %.0f kg store", s.Seq, s.Vehicle, human(delay), fill, p.Rates[s.Outlet].CapacityKg)})
	}
	// pick chooses a carried pack on a stop no fault used, picked up by
	// the end of Tuesday (so that a day's tolerance runs out within the data).
	pick := func() (simPack, error) {
		var cands []int
		for i, c := range carried {
			if !used[c.stop] && p.Stops[c.stop].Day <= 2 {
				cands = append(cands, i)
			}
		}
		if len(cands) == 0 {
			return simPack{}, fmt.Errorf("not enough stops on Monday and Tuesday to inject every fault on its own stop")
		}
		c := carried[cands[rng.IntN(len(cands))]]
		used[c.stop] = true
		return c, nil
	}
	if want[FaultLost] {
		c, err := pick()
		if err != nil {
			return fmt.Errorf("fault lost: %w", err)
		}
		drop[c.receipt] = true
		sim.Faults = append(sim.Faults, Fault{Kind: FaultLost, Rule: RuleCustodyGap, Code: c.pack.Code, Place: c.pack.Outlet, Detail: "receipt scan removed"})
	}
	if want[FaultWeight] {
		c, err := pick()
		if err != nil {
			return fmt.Errorf("fault weight: %w", err)
		}
		r := &sim.Scans[c.receipt]
		r.Kg = math.Round(r.Kg*1.1*10) / 10
		sim.Faults = append(sim.Faults, Fault{Kind: FaultWeight, Rule: RuleWeightMismatch, Code: c.pack.Code, Place: r.Place,
			Detail: fmt.Sprintf("received %.1f kg, picked up %.1f kg", r.Kg, c.pack.Kg)})
	}
	if want[FaultDuplicate] {
		c, err := pick()
		if err != nil {
			return fmt.Errorf("fault duplicate: %w", err)
		}
		other, err := pick()
		if err != nil {
			return fmt.Errorf("fault duplicate: %w", err)
		}
		s := p.Stops[other.stop]
		at := p.StopTime(other.stop, false).Add(p.StopTime(other.stop, true).Sub(p.StopTime(other.stop, false)) / 3).Truncate(time.Second)
		in := sim.Scans[other.receipt].Time.Add(time.Minute)
		sim.Scans = append(sim.Scans, Scan{Code: c.pack.Code, Event: EventPickup, Place: s.Outlet, Time: at, Kg: c.pack.Kg},
			Scan{Code: c.pack.Code, Event: EventReceipt, Place: sim.Scans[other.receipt].Place, Time: in, Kg: c.pack.Kg})
		sim.Faults = append(sim.Faults, Fault{Kind: FaultDuplicate, Rule: RuleDuplicateCode, Code: c.pack.Code, Place: s.Outlet,
			Detail: fmt.Sprintf("a second pack with the code of a pack of %s, picked up at %s", c.pack.Outlet, s.Outlet)})
	}
	if want[FaultMalformed] {
		c, err := pick()
		if err != nil {
			return fmt.Errorf("fault malformed: %w", err)
		}
		bad := c.pack.Code[:len(c.pack.Code)-1]
		sim.Scans[c.pickup].Code, sim.Scans[c.receipt].Code = bad, bad
		sim.Faults = append(sim.Faults, Fault{Kind: FaultMalformed, Rule: RuleMalformedCode, Code: bad, Place: c.pack.Outlet,
			Detail: "last character of " + c.pack.Code + " missing"})
	}
	if want[FaultUnplanned] {
		if len(waiting) == 0 {
			return fmt.Errorf("fault unplanned: every outlet with packs has a stop this week")
		}
		w := waiting[rng.IntN(len(waiting))]
		plant := p.nearestPlant(w.Outlet)
		at := p.Monday.AddDate(0, 0, 1).Add(10 * time.Hour)
		sim.Scans = append(sim.Scans, Scan{Code: w.Code, Event: EventPickup, Place: w.Outlet, Time: at, Kg: w.Kg},
			Scan{Code: w.Code, Event: EventReceipt, Place: plant, Time: at.Add(6 * time.Hour), Kg: w.Kg})
		sim.Faults = append(sim.Faults, Fault{Kind: FaultUnplanned, Rule: RuleUnplannedPickup, Code: w.Code, Place: w.Outlet,
			Detail: "outlet without a stop this week; received at " + plant})
	}
	if len(drop) > 0 {
		kept := sim.Scans[:0]
		for i, s := range sim.Scans {
			if !drop[i] {
				kept = append(kept, s)
			}
		}
		sim.Scans = kept
	}
	sort.SliceStable(sim.Faults, func(a, b int) bool { return sim.Faults[a].Rule < sim.Faults[b].Rule })
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
