package week

import (
	"fmt"
	"math"
	"time"
)

// Stage 2, visit rules: from each outlet's storage limit and fill rate, how
// often it must be emptied (every k weeks, or f days a week on allowed day
// patterns), and so which outlets are due this week.

// Due is an outlet due this week, with its visit rule.
type Due struct {
	// Outlet indexes Rules.Outlets.
	Outlet int
	// Patterns are the allowed day patterns (bit d = day d+1).
	Patterns []uint32
	// VisitKg and VisitPacks are the largest pickup of a visit (after the
	// longest gap any allowed pattern leaves); WeekKg is what the week
	// brings (for an outlet on a k-week cycle, its k weeks).
	VisitKg, VisitPacks, WeekKg float64
}

// Rules are the outcome of stage 2.
type Rules struct {
	// Outlets are the outlets with a catchment (rate > 0), in the order of
	// the catchments; Pattern and Plant are left for the later stages.
	Outlets []OutletPlan
	Due     []Due
	// Unserved lists the outlets no pattern keeps within their storage
	// limit (UnservedStorage).
	Unserved []UnservedOutlet
}

// VisitRules derives the visit rule of every outlet with a catchment. An
// outlet whose fill target lasts a week or more is emptied every k weeks
// (k <= MaxCycleWeeks), phased by its id so that a k-th of them is due each
// week; others need f visits a week on patterns whose every gap keeps them
// within their limit. Every loop is bounded by the week, whatever the
// rates: an outlet that no pattern can keep (a tiny limit, a huge rate) is
// unserved (storage_limit), never an endless loop. A rate that is not a
// finite number is an error.
func VisitRules(c *Catchments, monday time.Time, opt *Options) (*Rules, error) {
	r := &Rules{}
	wk := weekIndex(monday)
	for i, o := range c.Outlets {
		rate := c.Rates[i]
		if math.IsNaN(rate.KgPerDay) || math.IsInf(rate.KgPerDay, 0) || math.IsNaN(rate.PacksPerDay) || math.IsInf(rate.PacksPerDay, 0) {
			return nil, fmt.Errorf("visit rules: outlet %s: its catchment brings %g kg and %g packs a day: want finite figures (check the vehicle stock)",
				o.ID, rate.KgPerDay, rate.PacksPerDay)
		}
		if rate.KgPerDay <= 0 {
			continue
		}
		r.Outlets = append(r.Outlets, OutletPlan{Outlet: o, KgPerDay: rate.KgPerDay, PacksPerDay: rate.PacksPerDay})
		r.rule(len(r.Outlets)-1, wk, opt)
	}
	return r, nil
}

// rule sets the visit rule of outlet k of r.Outlets and lists it as due or
// unserved.
func (r *Rules) rule(k, wk int, opt *Options) {
	p := &r.Outlets[k]
	limit := p.Outlet.CapacityKg * opt.FillTarget
	maxGap := limit / p.KgPerDay // days the fill target lasts
	if maxGap >= 7 {
		cycle := int(math.Min(math.Floor(maxGap/7), float64(opt.MaxCycleWeeks))) // 1..MaxCycleWeeks
		p.CycleWeeks = cycle
		if (wk+phaseOf(p.Outlet.ID, cycle))%cycle != 0 {
			return // not due this week
		}
		var pats []uint32
		for d := 0; d < opt.WorkDays; d++ {
			pats = append(pats, 1<<d)
		}
		p.VisitsNeeded = 1
		days := float64(7 * cycle)
		r.Due = append(r.Due, Due{Outlet: k, Patterns: pats, VisitKg: p.KgPerDay * days, VisitPacks: p.PacksPerDay * days, WeekKg: p.KgPerDay * days})
		return
	}
	p.CycleWeeks = 1
	pats, visits := fewestVisits(opt.WorkDays, maxGap)
	p.VisitsNeeded = visits
	if len(pats) == 0 {
		r.Unserved = append(r.Unserved, UnservedOutlet{Outlet: p.Outlet.ID, Name: p.Outlet.Name, Province: p.Outlet.Province, Reason: UnservedStorage,
			Detail: fmt.Sprintf("receives %.0f kg/day and reaches %.0f%% of its %.0f kg limit in %.1f days; %d work days cannot keep every gap that short",
				p.KgPerDay, 100*opt.FillTarget, p.Outlet.CapacityKg, maxGap, opt.WorkDays),
			WeekKg: p.KgPerDay * 7})
		return
	}
	g := float64(maxGapOf(pats))
	r.Due = append(r.Due, Due{Outlet: k, Patterns: pats, VisitKg: p.KgPerDay * g, VisitPacks: p.PacksPerDay * g, WeekKg: p.KgPerDay * 7})
}
