package planner

import (
	"fmt"
	"sort"
	"strings"
)

// blockers says, for each reason an outlet is not served as required, the
// limit of the data that blocks it: the input and column a planner changes
// (or the investment that would lift it).
var blockers = []struct{ reason, limit string }{
	{UnservedIntake, "every plant in reach, directly or by line-haul, has used its weekly intake (plants.csv intake_kg_per_week)"},
	{UnservedFleet, "the trucks of the plants or hubs in reach cannot fit it into the week (fleet.csv count)"},
	{UnservedCapacity, "one pickup is larger than any truck in reach takes (fleet.csv capacity_kg, capacity_packs)"},
	{UnservedShift, "no truck in reach gets there and back within its shift (fleet.csv shift_hours, speed_kmh)"},
	{UnservedHours, "no truck in reach arrives inside opening hours"},
	{UnservedReach, "no plant's truck, nor a hub's, gets there and back within a shift: no plant or central storage outlet near enough (plants.csv, outlets.csv)"},
	{UnservedStorage, "it fills faster than trucks on the work days can empty it (outlets.csv capacity_kg)"},
}

// weekSection answers the planner's question for the week: what is due,
// what is collected, and what blocks the rest.
func weekSection(k *KPIs) string {
	r := k.Routes
	var b strings.Builder
	fmt.Fprintf(&b, "\n## The week (%s): due, collected, and what blocks the rest\n\n", r.Week)
	fmt.Fprintf(&b, "**%.1f t are due** this week at the outlets whose visit rule falls in it", r.DueTonnes)
	if n := k.Network; n != nil {
		fmt.Fprintf(&b, " and at %d consolidation hubs", n.Hubs)
	}
	fmt.Fprintf(&b, "; **%.1f t are collected (%.1f %%)**", r.CollectedTonnes, 100*r.CollectedShare)
	if n := k.Network; n != nil {
		fmt.Fprintf(&b, ", %.1f t of them handed in at hubs", n.HubOwnT)
	}
	b.WriteString(".\n\n")
	if len(r.BlockedTonnes) == 0 {
		b.WriteString("Nothing due is left: every due outlet is served within its storage limit.\n")
	} else {
		b.WriteString("| what blocks it | outlets | t this week | the limit |\n|---|---:|---:|---|\n")
		for _, bl := range blockers {
			if t, ok := r.BlockedTonnes[bl.reason]; ok {
				fmt.Fprintf(&b, "| %s | %d | %.1f | %s |\n", bl.reason, r.UnservedByReason[bl.reason], t, bl.limit)
			}
		}
		b.WriteString("\nunserved.csv lists each outlet with the limit that blocked it.\n")
	}
	if c := k.Catchments; c != nil && c.Week != nil {
		fmt.Fprintf(&b, "\nNot due at any outlet: %.0f t/yr retire beyond the radius of every outlet and %.0f t/yr within it but over every outlet's throughput (see Catchments).\n",
			c.Week.BeyondRadiusT, c.Week.OverCapacityT)
	}
	b.WriteString("\n| collection trucks | stops | trips | truck-days | km | hours | cost (CNY) | CO2 (kg) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| plants' and hubs' | %d | %d | %d | %.0f | %.1f | %.0f | %.0f |\n", r.Stops, r.Trips, r.VehicleDays, r.Km, r.Hours, r.CostCNY, r.CO2Kg)
	if n := k.Network; n != nil {
		fmt.Fprintf(&b, "\nLine-haul: %d full truckloads from %d hubs (which empty %d outlets) to plants, %.1f t, %.0f km there and back, %.0f CNY, %.0f kg CO2 (linehaul.csv).\n",
			n.LinehaulLegs, n.Hubs, n.HubOutlets, n.LinehaulT, n.LinehaulKm, n.LinehaulCostCNY, n.LinehaulCO2Kg)
	}
	fmt.Fprintf(&b, "\nAll in, the week costs %.1f CNY and emits %.2f kg CO2 per tonne collected.\n", r.CostPerTonne, r.CO2KgPerTonne)
	return b.String()
}

// catchmentSection tells how the retiring tonnes split between outlets
// that absorb them and what is left, before and after siting.
func catchmentSection(k *KPIs) string {
	c := k.Catchments
	if c == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n## Catchments within throughput\n\nEach cell's packs go to the outlets within the radius, nearest first, each up to its throughput (storage limit x fill, emptied on every work day).\n\n")
	b.WriteString("| outlets | absorbed (t/yr) | share | within the radius, over capacity (t/yr) | beyond the radius (t/yr) |\n|---|---:|---:|---:|---:|\n")
	for _, r := range []struct {
		name string
		k    *CatchmentKPI
	}{{"existing", c.Before}, {"after siting", c.After}, {"the week's network", c.Week}} {
		if r.k != nil {
			fmt.Fprintf(&b, "| %s | %.0f | %.2f %% | %.0f | %.0f |\n", r.name, r.k.AbsorbedT, 100*r.k.AbsorbedShare, r.k.OverCapacityT, r.k.BeyondRadiusT)
		}
	}
	return b.String()
}

// typedSitingLine describes a typed siting's choice.
func typedSitingLine(s *SitingKPI) string {
	if s.SitesByType == nil {
		return ""
	}
	var types []string
	for t, n := range s.SitesByType {
		types = append(types, fmt.Sprintf("%d %s", n, t))
	}
	sort.Strings(types)
	if len(types) == 0 {
		types = []string{"no new site"}
	}
	line := fmt.Sprintf("\nSites by type: %s; %d existing outlets upgraded; %.0f CNY a year.", strings.Join(types, ", "), s.Upgrades, s.YearlyCostCNY)
	if s.UncollectedCost > 0 {
		line += fmt.Sprintf(" A tonne left without an outlet was charged %.2f CNY a year.", s.UncollectedCost)
	}
	return line + "\n"
}
