package network

import (
	"context"
	"math"
	"sort"

	"github.com/rlplan/rlplan/solver/location"
)

// Line-haul: each hub's week is booked against the plants' intake left
// after the outlets the plants' own trucks empty (a transportation problem:
// hubs supply the tonnes they will gather, plants take up to their intake
// left, a tonne costs its line-haul), then laid out as legs: a leg leaves
// as soon as a load has gathered at the hub.

// Booking is the tonnage a hub ships to a plant this week.
type Booking struct {
	Hub, Plant int
	Kg         float64
}

// BookLinehaul books each hub's planned kg (planned[h]) on plants with
// intake left (intakeLeft[p], kg), cheapest line-haul first, as one
// transportation problem solved by location.Solve and checked by the
// validator: perKgCost(h, p) is the line-haul cost of a kg, or < 0 when the
// pair is not possible. It returns the bookings by hub then plant, and
// each hub's total booked.
func BookLinehaul(ctx context.Context, planned, intakeLeft []float64, perKgCost func(h, p int) float64) ([]Booking, []float64, error) {
	booked := make([]float64, len(planned))
	if len(planned) == 0 || len(intakeLeft) == 0 {
		return nil, booked, nil
	}
	p := &location.Problem{Objective: location.FacilityLocation, Facilities: make([]location.Facility, len(intakeLeft))}
	for k, left := range intakeLeft {
		// A plant with no intake left takes nothing: a tiny capacity rather
		// than 0, which would mean uncapacitated.
		p.Facilities[k] = location.Facility{Open: true, Capacity: math.Max(left/1000, 1e-12)}
	}
	ids := []int32{}
	ds := []float64{}
	for h, kg := range planned {
		ids, ds = ids[:0], ds[:0]
		for k, left := range intakeLeft {
			if c := perKgCost(h, k); c >= 0 && left > 0 {
				ids, ds = append(ids, int32(k)), append(ds, c*1000) // CNY per tonne
			}
		}
		p.Weights = append(p.Weights, math.Max(kg, 0)/1000)
		p.Dist.AppendRow(ids, ds)
	}
	res, err := solveValidated(ctx, p, "line-haul booking")
	if err != nil {
		return nil, nil, err
	}
	var out []Booking
	for _, f := range flowsOf(p, res) {
		if kg := f.Weight * 1000; kg > 1e-6 {
			out = append(out, Booking{Hub: f.Demand, Plant: f.Facility, Kg: kg})
			booked[f.Demand] += kg
		}
	}
	return out, booked, nil
}

// Delivery is a load arriving at a hub: a trip of its trucks back, at a
// minute of the week (0 = Monday 00:00).
type Delivery struct {
	Minute float64
	Kg     float64
}

// Leg is one line-haul truckload from a hub to a plant.
type Leg struct {
	Hub, Plant int
	N          int     // the hub's leg of the week, from 1
	Depart     float64 // minute of the week it leaves the hub
	Arrive     float64 // at the plant
	LoadKg     float64
	Km         float64 // one way
	CostCNY    float64 // there loaded, back empty
	CO2Kg      float64
}

// HubWeek is what Legs needs of a hub.
type HubWeek struct {
	Hub         int
	StorageKg   float64
	OwnKgPerDay float64 // its own catchment, arriving around the clock
	CarryInKg   float64 // held at the start of the week
	Deliveries  []Delivery
	// Bookings are the hub's bookings, in the order its legs fill them.
	Bookings []Booking
	// PlantKm is the road km to each booked plant.
	PlantKm func(plant int) float64
}

// LoadFor is the largest load a hub can wait for: its usable storage less
// the largest delivery it receives (and the own catchment of the day that
// delivery comes in, a safe margin), up to a payload; at least a tenth of
// the usable storage so that a hub swamped by one delivery still ships.
func LoadFor(w *HubWeek, tp Throughput, l Linehaul) float64 {
	maxDel := 0.0
	for _, d := range w.Deliveries {
		maxDel = math.Max(maxDel, d.Kg)
	}
	usable := w.StorageKg * tp.Fill
	return math.Min(l.PayloadKg, math.Max(usable-maxDel-w.OwnKgPerDay, usable/10))
}

// Legs lays out a hub's week: its stock grows with its own catchment and
// its trucks' deliveries; whenever it reaches load kg, a leg leaves with
// that load, on the first of the hub's bookings that still takes a whole
// load (a leg never passes what its plant is booked for). What is left at
// the end of the week, less than a load, waits for next week's first leg.
// It returns the legs and the stock left.
func Legs(w *HubWeek, load float64, l Linehaul) ([]Leg, float64) {
	dels := append([]Delivery(nil), w.Deliveries...)
	sort.SliceStable(dels, func(a, b int) bool { return dels[a].Minute < dels[b].Minute })
	rate := w.OwnKgPerDay / 1440 // kg a minute
	const week = 7 * 1440
	var legs []Leg
	stock, t := w.CarryInKg, 0.0
	left := make([]float64, len(w.Bookings))
	for k, b := range w.Bookings {
		left[k] = b.Kg
	}
	ship := func(at float64) bool {
		k := 0
		for k < len(left) && left[k] < load*(1-1e-9) {
			k++
		}
		if k == len(left) {
			return false // no booking takes another load: the rest waits
		}
		legs = append(legs, w.leg(len(legs)+1, w.Bookings[k].Plant, at, load, l))
		stock -= load
		left[k] -= load
		return true
	}
	for i := 0; i <= len(dels); i++ {
		next := float64(week)
		if i < len(dels) {
			next = math.Min(dels[i].Minute, week)
		}
		// Own catchment until the next delivery, a leg whenever a load is in.
		for rate > 0 && stock+rate*(next-t) >= load {
			at := t + math.Max(0, load-stock)/rate
			if at >= week {
				break
			}
			stock, t = math.Max(stock, load), at
			if !ship(at) {
				break
			}
		}
		stock += rate * (next - t)
		t = next
		if i < len(dels) {
			stock += dels[i].Kg
			for stock >= load && ship(t) {
			}
		}
	}
	return legs, stock
}

// leg builds the n-th leg of the hub.
func (w *HubWeek) leg(n, plant int, at, load float64, l Linehaul) Leg {
	km := w.PlantKm(plant)
	return Leg{Hub: w.Hub, Plant: plant, N: n, Depart: at, Arrive: at + km/l.SpeedKmh*60, LoadKg: load, Km: km,
		CostCNY: 2 * km * l.CostPerKm, CO2Kg: 2 * km * l.CO2GPerKm / 1000}
}
