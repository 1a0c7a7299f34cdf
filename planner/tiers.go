package planner

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/network"
	"github.com/rlplan/rlplan/planner/week"
	"github.com/rlplan/rlplan/solver/location"
)

// NetworkOptions are the second tier of a week: consolidation hubs that
// empty the outlets beyond every plant's shift reach and ship full
// truckloads to plants. The zero value plans no hubs.
type NetworkOptions struct {
	Hubs bool
	// Linehaul is the truck of the legs (costs.csv linehaul_*).
	Linehaul network.Linehaul
	// Catalogue offers the upgrade a collection outlet needs to become a
	// hub (to central storage).
	Catalogue network.Catalogue
	Settings  location.Settings
}

// tiers is the hub tier of one week, between the stages of package week.
type tiers struct {
	net     *NetworkOptions
	opt     *ScheduleOptions
	legs    week.Legs
	catch   *domain.Catchments
	plan    *network.HubPlan
	byID    map[string]int // catchment outlet index by id
	classes [][]FleetRow   // each hub's truck classes (its nearest plant's)
	classOf map[string][]FleetRow
	// intakeShort are the outlets a plant's trucks reach but whose plants
	// in reach have no intake left for them: a hub's by design.
	intakeShort map[string]bool
	// spare is each plant's intake the direct tier leaves (mean week), and
	// tie each direct outlet's plant in it.
	spare []float64
	tie   map[string]string
	// Filled in by assign, for the solve and the sheet:
	depots   []Plant    // one per hub (its intake: what its legs are booked for)
	fleet    []FleetRow // the hubs' trucks
	bookings [][]network.Booking
	ownKg    []float64 // each hub's own catchment in the week, booked
	weekIdx  []int     // each hub's plant week in the assignment, -1 for none
}

// designHubs runs the hub model on the catchments: the outlets no plant's
// truck reaches within a shift, and those whose plants in reach have no
// intake for them (remote), go to hubs; it returns nil when there are
// none.
func designHubs(ctx context.Context, in *Inputs, catch *domain.Catchments, rules *week.Rules, opt *ScheduleOptions, net *NetworkOptions) (*tiers, error) {
	t := &tiers{net: net, opt: opt, legs: week.Legs{Detour: opt.Detour, Roads: opt.Roads}, catch: catch, byID: map[string]int{}, classOf: map[string][]FleetRow{},
		intakeShort: map[string]bool{}, tie: map[string]string{}}
	for i, o := range catch.Outlets {
		t.byID[o.ID] = i
	}
	n := len(catch.Outlets)
	hp := &network.HubProblem{Outlets: catch.Outlets, KgPerWeek: make([]float64, n), PacksPerWeek: make([]float64, n), Remote: make([]bool, n),
		Plants: in.Plants, Catalogue: net.Catalogue, Throughput: network.Throughput{Fill: opt.FillTarget, WorkDays: opt.WorkDays},
		Linehaul: net.Linehaul, HubWeekCost: float64(opt.WorkDays) * opt.VehicleDayCost, Detour: opt.Detour, Settings: net.Settings}
	for i, r := range catch.Rates {
		hp.KgPerWeek[i], hp.PacksPerWeek[i] = r.KgPerDay*7, r.PacksPerDay*7
	}
	plan := map[string]*week.OutletPlan{}
	remote, err := t.remote(ctx, in, rules, net)
	if err != nil {
		return nil, err
	}
	any := false
	for k := range rules.Outlets {
		op := &rules.Outlets[k]
		plan[op.Outlet.ID] = op
		if remote[k] {
			hp.Remote[t.byID[op.Outlet.ID]], any = true, true
		}
	}
	if !any {
		return nil, nil
	}
	// The line-haul is priced to the nearest plant with intake to spare.
	hp.Plants = make([]Plant, len(in.Plants))
	for k, p := range in.Plants {
		p.IntakeKgPerWeek = math.Max(0, t.spare[k])
		hp.Plants[k] = p
	}
	var maxShiftKm float64
	for _, f := range in.Fleet {
		if f.Count > 0 {
			hp.MaxTruckKg = math.Max(hp.MaxTruckKg, f.CapacityKg)
			maxShiftKm = math.Max(maxShiftKm, f.SpeedKmh*f.ShiftHours/2)
			hp.MilkCostPerTonneKm = math.Max(hp.MilkCostPerTonneKm, 2*f.CostPerKm/(f.CapacityKg/1000*week.PlanningFill))
		}
	}
	hp.MaxReachKm = maxShiftKm
	hp.PlantRoad = func(h Outlet, p Plant) float64 { km, _ := t.legs.Leg(h.ID, p.ID, h.Point, p.Point); return km }
	hp.Reach = func(h, o Outlet) (float64, bool) {
		op := plan[o.ID]
		if op == nil {
			return 0, false
		}
		km, ok, _ := week.Reach(Plant{ID: h.ID, Point: h.Point}, o, t.hubClasses(in, h), week.VisitService(op, opt), t.legs, opt)
		return km, ok
	}
	if t.plan, err = network.Hubs(ctx, hp); err != nil {
		return nil, err
	}
	if len(t.plan.Hubs) == 0 {
		return nil, nil
	}
	t.classes = make([][]FleetRow, len(t.plan.Hubs))
	for h, hub := range t.plan.Hubs {
		t.classes[h] = t.hubClasses(in, catch.Outlets[hub.Outlet])
	}
	return t, nil
}

// remote marks the outlets of rules (aligned with rules.Outlets) for hubs:
// those no plant's truck reaches within a shift, and those the plants in
// reach have no intake for when every outlet a plant reaches is tied to
// it whole within its intake, fewest tonne-km first (network.Direct on the
// mean weekly rates): a hub can take these to a plant with intake farther
// away. The second kind are remembered for the messages.
func (t *tiers) remote(ctx context.Context, in *Inputs, rules *week.Rules, net *NetworkOptions) ([]bool, error) {
	reach := rules.InReach(in.Plants, in.Fleet, t.legs, t.opt)
	kg := make([]float64, len(rules.Outlets))
	for k, op := range rules.Outlets {
		kg[k] = op.KgPerDay * 7
	}
	intake := make([]float64, len(in.Plants))
	for k, p := range in.Plants {
		intake[k] = p.IntakeKgPerWeek
	}
	tie, err := network.Direct(ctx, kg, intake, reach, net.Settings)
	if err != nil {
		return nil, err
	}
	t.spare = intake
	for k, p := range tie {
		if p >= 0 {
			t.spare[p] -= kg[k]
			t.tie[rules.Outlets[k].Outlet.ID] = in.Plants[p].ID
		}
	}
	out := make([]bool, len(rules.Outlets))
	for k := range rules.Outlets {
		out[k] = len(reach[k]) == 0 || tie[k] < 0
		if len(reach[k]) > 0 && tie[k] < 0 {
			t.intakeShort[rules.Outlets[k].Outlet.ID] = true
		}
	}
	return out, nil
}

// hubClasses are the truck classes a hub runs: those of the plant with
// trucks nearest to it (the same licensed dangerous-goods vehicles; counts
// are sized later).
func (t *tiers) hubClasses(in *Inputs, h Outlet) []FleetRow {
	if c, ok := t.classOf[h.ID]; ok {
		return c
	}
	best, bestKm := "", math.Inf(1)
	has := map[string]bool{}
	for _, f := range in.Fleet {
		if f.Count > 0 {
			has[f.PlantID] = true
		}
	}
	for _, p := range in.Plants {
		if !has[p.ID] {
			continue
		}
		if km, _ := t.legs.Leg(h.ID, p.ID, h.Point, p.Point); km < bestKm {
			best, bestKm = p.ID, km
		}
	}
	var out []FleetRow
	for _, f := range in.Fleet {
		if f.PlantID == best && f.Count > 0 {
			f.PlantID = h.ID
			out = append(out, f)
		}
	}
	t.classOf[h.ID] = out
	return out
}

// ties are the direct tier's outlet -> plant ties (nil without hubs).
func (t *tiers) ties() map[string]string {
	if t == nil {
		return nil
	}
	return t.tie
}

// hubOutlets are the ids of the hubs' own outlets: their packs go on the
// line-haul, no truck visits them.
func (t *tiers) hubOutlets() map[string]bool {
	out := map[string]bool{}
	if t != nil {
		for _, h := range t.plan.Hubs {
			out[t.catch.Outlets[h.Outlet].ID] = true
		}
	}
	return out
}

// hubOf returns the hub that empties an outlet, -1 for a plant's.
func (t *tiers) hubOf(id string) int {
	if t == nil {
		return -1
	}
	if i, ok := t.byID[id]; ok {
		return t.plan.HubOf[i]
	}
	return -1
}

// withoutHubs is the catchments less the hubs' own outlets.
func withoutHubs(c *domain.Catchments, hubs map[string]bool) *domain.Catchments {
	if len(hubs) == 0 {
		return c
	}
	out := &domain.Catchments{Left: c.Left}
	for i, o := range c.Outlets {
		if !hubs[o.ID] {
			out.Outlets = append(out.Outlets, o)
			out.Rates = append(out.Rates, c.Rates[i])
		}
	}
	return out
}

// splitDues returns the dues the plants' trucks serve and, per hub, the
// dues it serves.
func (t *tiers) splitDues(rules *week.Rules) (direct []int, byHub [][]int) {
	if t != nil {
		byHub = make([][]int, len(t.plan.Hubs))
	}
	for j, d := range rules.Due {
		if h := t.hubOf(rules.Outlets[d.Outlet].Outlet.ID); h >= 0 {
			byHub[h] = append(byHub[h], j)
			continue
		}
		direct = append(direct, j)
	}
	return direct, byHub
}

// unreachedDetail adds to the unserved outlets beyond every plant's reach
// that no hub candidate reaches them either.
func (t *tiers) unreachedDetail(a *week.Assignment) {
	if t == nil {
		return
	}
	for k := range a.Unserved {
		u := &a.Unserved[k]
		if u.Reason == week.UnservedReach && t.hubOf(u.Outlet) < 0 {
			u.Detail += "; nor does any hub's: no central storage outlet, or collection outlet that could be upgraded, is within a shift's reach"
		}
	}
}

// sortedBookings puts a hub's bookings nearest plant first.
func sortedBookings(bs []network.Booking, km func(plant int) float64) {
	sort.SliceStable(bs, func(a, b int) bool { return km(bs[a].Plant) < km(bs[b].Plant) })
}

func hubName(o Outlet) string { return fmt.Sprintf("hub %s (%s)", o.ID, o.Name) }
