package routing

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// relaxShare is the share of the iterations (or of the time) that the
// single-trip relaxation gets when a vehicle type makes several trips:
// on Guangdong's week (300 iterations a routing solve) 0.8 gave 213,657
// CNY on 119 truck-days, 0.5 gave 217,595 on 123, none 234,684 on 137.
const relaxShare = 0.8

// relaxedStart builds the first solution of a problem whose vehicles make
// several trips a day. Ruin and recreate moves visits, not whole trips, and
// a truck-day holding two or three trips is hard to empty once built, so
// the search alone tends to keep the trucks of its first solution (on a
// plant-like day of 40 pickups it stayed at the 10 trucks of its first
// solution for 1,000 iterations). The relaxation is the same problem with
// each truck standing for
// MaxTrips vehicles of one trip, each paying a MaxTrips-th of its fixed
// cost: SISR on it consolidates pickups into full trips well. Its trips are
// then laid onto the trucks (longest first, each on the first truck whose
// day it still fits, checked in the real model: reload time, shift,
// windows); what does not fit is inserted by the model's own recreate.
// The rest of the search runs on the real model. It returns the
// iterations used.
func (w *worker) relaxedStart(ctx context.Context, start, deadline time.Time, limit int) int {
	in := w.in
	rp := *in.p
	rp.Vehicles = slices.Clone(in.p.Vehicles)
	for k := range rp.Vehicles {
		v := &rp.Vehicles[k]
		m := v.Trips()
		if v.Count > 0 {
			v.Count *= m
		}
		v.FixedCost /= float64(m)
		v.MaxTrips = 1
	}
	rin := newInst(&rp)
	rw := newWorker(rin, w.rng.Uint64())
	share := 0
	if limit > 0 {
		share = max(int(float64(limit)*relaxShare), 1)
	}
	end := start.Add(time.Duration(float64(deadline.Sub(start)) * relaxShare))
	used, _ := rw.run(ctx, start, end, share, nil)
	var trips []*route
	for _, r := range rw.s.routes {
		if len(r.jobs) > 0 {
			trips = append(trips, r)
		}
	}
	// longest trips first, ties by first visit: a deterministic first fit
	slices.SortStableFunc(trips, func(a, b *route) int {
		if c := cmp.Compare(b.dur+b.dist, a.dur+a.dist); c != 0 {
			return c
		}
		return cmp.Compare(a.jobs[0], b.jobs[0])
	})
	for _, tr := range trips {
		w.layTrip(tr.t, tr.jobs)
	}
	w.recreate(0)
	return used
}

// layTrip puts the visits of one trip on a truck of type t: after the last
// trip of the first truck whose day still meets every limit with it, or on
// a truck not yet out. Visits of a trip that fits no truck stay out.
func (w *worker) layTrip(t int, jobs []int32) {
	s, in := w.s, w.in
	for ri, r := range s.routes {
		if r.t != t || len(r.jobs) == 0 || r.trips() >= in.types[t].maxTrips {
			continue
		}
		w.buf = append(w.buf[:0], r.jobs...)
		w.buf = append(w.buf, in.types[t].mark)
		w.buf = append(w.buf, jobs...)
		if _, ok := in.seqCost(t, w.buf); ok {
			s.replace(ri, w.buf)
			return
		}
	}
	if ri := s.spare[t]; ri >= 0 {
		if _, ok := in.seqCost(t, jobs); ok {
			s.replace(ri, jobs)
		}
	}
}
