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
	return math.Min(l.PayloadKg, math.Max(topFor(w, tp), w.StorageKg*tp.Fill/10))
}

// topFor is the most a hub may hold and still take any delivery (and a
// day of its own) within its usable storage.
func topFor(w *HubWeek, tp Throughput) float64 {
	maxDel := 0.0
	for _, d := range w.Deliveries {
		maxDel = math.Max(maxDel, d.Kg)
	}
	return w.StorageKg*tp.Fill - maxDel - w.OwnKgPerDay
}

// A sheet prints times to the minute, and its check counts a delivery
// that comes in up to a minute after a leg's printed departure as in
// before the leg left. So deliveries are taken in bursts, each at the
// whole minute its first delivery comes in (the minute a leg after it
// prints), with every delivery up to a minute after that: a leg leaves
// before a burst or after it, never in the middle. (The pieces of a split
// pickup, driven back by several trucks, come in together.)
func bursts(dels []Delivery) []Delivery {
	sorted := append([]Delivery(nil), dels...)
	sort.SliceStable(sorted, func(a, b int) bool { return sorted[a].Minute < sorted[b].Minute })
	var out []Delivery
	for _, d := range sorted {
		if n := len(out); n > 0 && d.Minute <= out[n-1].Minute+1 {
			out[n-1].Kg += d.Kg
			continue
		}
		out = append(out, Delivery{Minute: math.Floor(d.Minute), Kg: d.Kg})
	}
	return out
}

// beforeMin is how long before a burst a leg that makes room for it
// leaves, so that its printed minute is more than a minute before the
// burst's first delivery.
const beforeMin = 2

// Legs lays out a hub's week: its stock grows with its own catchment and
// its trucks' deliveries (a burst of them, see bursts, at once). Whenever a load (LoadFor) is in, a full leg
// leaves on the first of the hub's bookings that still takes a whole load;
// when no booking does, what is in leaves as a part load on the booking
// with the most room, but only once the stock is so high (topFor) that the
// next delivery could not be held: a leg never passes its plant's booking,
// and the hub never holds more than its usable storage while bookings are
// left. What is left at the end of the week waits for next week's legs. It
// returns the legs and the stock left.
func Legs(w *HubWeek, tp Throughput, l Linehaul) ([]Leg, float64) {
	load := LoadFor(w, tp, l)
	top := math.Max(topFor(w, tp), load)
	dels := bursts(w.Deliveries)
	rate := w.OwnKgPerDay / 1440 // kg a minute
	const week = 7 * 1440
	s := &legState{w: w, l: l, load: load, top: top, stock: w.CarryInKg, left: make([]float64, len(w.Bookings))}
	for k, b := range w.Bookings {
		s.left[k] = b.Kg
	}
	t, last := 0.0, 0.0 // last: the minute the last burst came in
	for i := 0; i <= len(dels); i++ {
		next := float64(week)
		if i < len(dels) {
			next = math.Min(dels[i].Minute, week)
		}
		// Its own catchment until the next delivery: a leg whenever the
		// stock reaches the level that sends one.
		for rate > 0 {
			level, _, ok := s.trigger()
			if !ok || s.stock+rate*(next-t) < level {
				break
			}
			at := t + math.Max(0, level-s.stock)/rate
			if at >= week {
				break
			}
			s.stock, t = math.Max(s.stock, level), at
			s.ship(at, false)
		}
		s.stock += rate * (next - t)
		t = next
		if i < len(dels) {
			// Room for the burst: legs leave just before it (not before
			// the last burst was in) while it would not fit.
			at := math.Max(last, next-beforeMin)
			own := rate * (next - at) // what comes in of its own after the leg
			for s.stock-own > 1e-6 && s.stock+dels[i].Kg > w.StorageKg*tp.Fill {
				if _, _, ok := s.trigger(); !ok {
					break
				}
				s.stock -= own
				s.ship(at, true)
				s.stock += own
			}
			last = next
			s.stock += dels[i].Kg
			for {
				level, _, ok := s.trigger()
				if !ok || s.stock < level {
					break
				}
				s.ship(t, false)
			}
		}
	}
	return s.legs, s.stock
}

// legState is a hub's week being laid out.
type legState struct {
	w         *HubWeek
	l         Linehaul
	load, top float64
	stock     float64
	left      []float64 // each booking's kg not yet shipped
	legs      []Leg
}

// trigger is the stock at which the next leg leaves and its booking: a
// full load on the first booking with room for one, else a part load at
// the top on the booking with the most room; ok is false when every
// booking is used.
func (s *legState) trigger() (level float64, k int, ok bool) {
	for k, left := range s.left {
		if left >= s.load*(1-1e-9) {
			return s.load, k, true
		}
	}
	k = -1
	for j, left := range s.left {
		if left > 1e-6 && (k < 0 || left > s.left[k]) {
			k = j
		}
	}
	return s.top, k, k >= 0
}

// ship sends the next leg at minute at; room, a leg that makes room for
// a burst, takes what is in up to a load and what its booking still takes.
func (s *legState) ship(at float64, room bool) {
	level, k, ok := s.trigger()
	if !ok {
		return
	}
	kg := math.Min(s.stock, s.load)
	if (room || level == s.top) && s.left[k] < s.load*(1-1e-9) {
		kg = math.Min(s.stock, s.left[k]) // a part load: what the booking still takes
	}
	s.legs = append(s.legs, s.w.leg(len(s.legs)+1, s.w.Bookings[k].Plant, at, kg, s.l))
	s.stock -= kg
	s.left[k] -= kg
}

// leg builds the n-th leg of the hub.
func (w *HubWeek) leg(n, plant int, at, load float64, l Linehaul) Leg {
	km := w.PlantKm(plant)
	return Leg{Hub: w.Hub, Plant: plant, N: n, Depart: at, Arrive: at + km/l.SpeedKmh*60, LoadKg: load, Km: km,
		CostCNY: 2 * km * l.CostPerKm, CO2Kg: 2 * km * l.CO2GPerKm / 1000}
}
