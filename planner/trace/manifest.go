package trace

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/rlplan/rlplan/planner/domain"
)

// Declaration holds the dangerous-goods fields of a transfer manifest for
// retired lithium-ion traction packs. Sources (docs/traceability.md): the
// entry UN 3480 of ADR Table A (3.2) and of JT/T 617.3-2018, China's
// counterpart of ADR; class 9 as GB 6944-2012 and JT/T 617.2 define it; the
// transport-document particulars of ADR 5.4.1.1.1 and JT/T 617.5-2018
// (UN number, proper shipping name, label, packing group, tunnel code,
// number and description of packages, total quantity, consignor,
// consignee); the packing instructions of ADR 4.1.4.1 (P903, P909) and the
// special provisions of ADR 3.3 (376, 377).
type Declaration struct {
	UNNumber           string
	ShippingName       string
	ShippingNameZH     string
	Class              string
	Labels             string
	ClassificationCode string
	PackingGroup       string
	TunnelCode         string
	TransportCategory  string
	Packing            string
	Damaged            string
	Waste              string
}

// UN3480 is the declaration every manifest carries.
var UN3480 = Declaration{
	UNNumber:           "UN 3480",
	ShippingName:       "LITHIUM ION BATTERIES",
	ShippingNameZH:     "锂离子电池组",
	Class:              "9",
	Labels:             "9A",
	ClassificationCode: "M4",
	PackingGroup:       "none assigned to lithium batteries",
	TunnelCode:         "(E)",
	TransportCategory:  "2 (ADR 1.1.3.6: above 333 kg per transport unit every provision applies)",
	Packing: "P903 (2): packs of 12 kg or more in a strong, impact-resistant casing, secured on pallets or in protective enclosures, " +
		"terminals protected against short circuit; or P909 under special provision 377 (carried for recycling)",
	Damaged: "packs found damaged or defective travel under special provision 376 (P908/LP904; P911/LP906 when liable to react dangerously) " +
		"and are not on this manifest",
	Waste: "carried for recycling: the document marks the consignment as waste (ADR 5.4.1.1.3; JT/T 617.5)",
}

// Description is the dangerous-goods description line of the transport
// document, in the ADR 5.4.1.1.1 order: UN number, proper shipping name,
// label, (packing group,) tunnel code.
func (d Declaration) Description() string {
	return fmt.Sprintf("%s %s, %s, %s", d.UNNumber, d.ShippingName, d.Class, d.TunnelCode)
}

// Manifest is the transfer manifest of one trip: what the truck takes from
// each consignor outlet, in stop order, to its consignee plant.
type Manifest struct {
	Trip       Trip
	Consignee  domain.Plant
	DriverSlot string // the truck-day the driver and escort are assigned to
	Leaves     time.Time
	BackAt     time.Time // estimated (see Plan.ReturnKm)
	Stops      []ManifestStop
	// TripOfDay and TripsOfDay number the trip within its truck's day.
	TripOfDay, TripsOfDay   int
	PlannedKg, PlannedPacks float64
	// DueKg and DuePacks total the codes due, when an inventory is given.
	DueKg    float64
	DuePacks int
}

// ManifestStop is one consignor outlet of a manifest.
type ManifestStop struct {
	Stop      Stop
	Consignor domain.Outlet
	// Due are the pack codes to collect, oldest first (nil without an
	// inventory); Left counts the packs present at the outlet that the truck
	// cannot take without squeezing the trip's later stops.
	Due   []Pack
	DueKg float64
	Left  int
}

// Manifests builds one manifest per trip of the plan, in sheet order (day,
// truck, trip). With an inventory, each stop lists the codes due: the packs
// the outlet received before the truck arrives (a date alone counts from
// the end of that day) and not yet due on an earlier stop, oldest first,
// as long as the truck stays within its capacity in kg and packs while
// keeping room for the planned pickups of its later stops on the trip.
func Manifests(p *Plan, inv *Inventory) []Manifest {
	out := make([]Manifest, len(p.Trips))
	perDay := map[string]int{}
	for _, t := range p.Trips {
		perDay[t.Date+"/"+t.Vehicle]++
	}
	for i, t := range p.Trips {
		m := Manifest{Trip: t, Consignee: p.Plants[t.Plant], DriverSlot: t.Date + "/" + t.Vehicle,
			Leaves: p.Leaves(t), BackAt: p.BackAt(t), TripOfDay: t.Trip, TripsOfDay: perDay[t.Date+"/"+t.Vehicle]}
		for _, k := range t.Stops {
			s := p.Stops[k]
			m.Stops = append(m.Stops, ManifestStop{Stop: s, Consignor: p.Outlets[s.Outlet]})
			m.PlannedKg += s.PickupKg
			m.PlannedPacks += s.PickupPacks
		}
		out[i] = m
	}
	if inv != nil {
		assignCodes(p, inv, out)
	}
	return out
}

// assignCodes walks every stop in time order and hands it the codes due.
func assignCodes(p *Plan, inv *Inventory, ms []Manifest) {
	type ref struct{ m, s int }
	var order []ref
	for mi, m := range ms {
		for si := range m.Stops {
			order = append(order, ref{mi, si})
		}
	}
	at := func(r ref) time.Time {
		s := ms[r.m].Stops[r.s].Stop
		return p.Monday.AddDate(0, 0, s.Day-1).Add(time.Duration(s.Arrive) * time.Minute)
	}
	sort.SliceStable(order, func(a, b int) bool { return at(order[a]).Before(at(order[b])) })
	taken := map[string]bool{}
	// A pack without room at a stop may still go the same day at a later
	// stop of the same outlet (a split pickup's next piece, on another
	// truck or trip): then it was not left at that visit.
	leftAt := map[string][]ref{}
	takenAt := map[string]ref{}
	for _, r := range order {
		m := &ms[r.m]
		st := &m.Stops[r.s]
		arrive := at(r)
		// Room left on the truck, keeping the later stops' planned pickups.
		kgRoom, packRoom := m.Trip.CapacityKg, float64(m.Trip.CapacityPacks)
		for j, o := range m.Stops {
			switch {
			case j < r.s:
				kgRoom -= o.DueKg
				packRoom -= float64(len(o.Due))
			case j > r.s:
				kgRoom -= o.Stop.PickupKg
				packRoom -= math.Ceil(o.Stop.PickupPacks - 1e-9)
			}
		}
		for _, pk := range inv.At(st.Stop.Outlet) {
			if taken[pk.Code] || !present(pk, arrive) {
				continue
			}
			if pk.Kg > kgRoom+1e-9 || packRoom < 1 {
				leftAt[pk.Code] = append(leftAt[pk.Code], r)
				continue
			}
			taken[pk.Code] = true
			takenAt[pk.Code] = r
			st.Due = append(st.Due, pk)
			st.DueKg += pk.Kg
			kgRoom -= pk.Kg
			packRoom--
		}
		m.DueKg += st.DueKg
		m.DuePacks += len(st.Due)
	}
	for code, refs := range leftAt {
		for _, r := range refs {
			st := &ms[r.m].Stops[r.s]
			if t, ok := takenAt[code]; ok && ms[t.m].Stops[t.s].Stop.Day == st.Stop.Day {
				continue // collected by the visit's next piece
			}
			st.Left++
		}
	}
}

// present reports whether a pack is at its outlet when a truck arrives.
func present(pk Pack, arrive time.Time) bool {
	if pk.DateOnly {
		return !pk.Received.AddDate(0, 0, 1).After(arrive) // the whole day is before the arrival
	}
	return !pk.Received.After(arrive)
}
