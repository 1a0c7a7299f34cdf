package location_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/rlplan/rlplan/solver/location"
)

// This file is an independent checker: it shares no code with the solver and
// recomputes everything from the Problem as documented.

// lookup returns the listed distance of (j, i) (smallest if listed twice).
func lookup(p *location.Problem, j, i int) (float64, bool) {
	d, ok := math.Inf(1), false
	for e := p.Dist.Start[j]; e < p.Dist.Start[j+1]; e++ {
		if int(p.Dist.Facility[e]) == i && p.Dist.Dist[e] < d {
			d, ok = p.Dist.Dist[e], true
		}
	}
	return d, ok
}

// unitUnserved is the documented UnservedCost default.
func unitUnserved(p *location.Problem) float64 {
	if p.UnservedCost > 0 {
		return p.UnservedCost
	}
	maxD := 0.0
	for _, d := range p.Dist.Dist {
		maxD = math.Max(maxD, d)
	}
	sumF := 0.0
	for _, f := range p.Facilities {
		if !f.Open {
			sumF += f.FixedCost
		}
	}
	minW := math.Inf(1)
	for _, w := range p.Weights {
		if w > 0 {
			minW = math.Min(minW, w)
		}
	}
	u := 10*maxD + 1
	if sumF > 0 && !math.IsInf(minW, 1) {
		u += sumF / minW
	}
	return u
}

// checked is what the checker recomputes.
type checked struct {
	cost     float64 // objective as Result.Cost defines it
	covered  float64
	unserved float64
}

// checkResult validates res against p and returns the recomputed values; it
// fails t on any violated rule.
func checkResult(t *testing.T, p *location.Problem, res *location.Result) checked {
	t.Helper()
	var out checked
	errf := func(format string, a ...any) { t.Helper(); t.Errorf("checker: "+format, a...) }
	n, F := len(p.Weights), len(p.Facilities)
	open := make([]bool, F)
	ncands := 0
	for i, f := range p.Facilities {
		open[i] = f.Open
		if !f.Open {
			ncands++
		}
	}
	for _, i := range res.Open {
		if i < 0 || i >= F {
			errf("open site %d out of range", i)
			return out
		}
		if p.Facilities[i].Open {
			errf("site %d is an existing outlet but listed as new", i)
		}
		if open[i] && !p.Facilities[i].Open {
			errf("site %d listed twice", i)
		}
		open[i] = true
	}
	if p.Objective == location.PMedian || p.Objective == location.MaxCover {
		if want := min(p.P, ncands); len(res.Open) != want {
			errf("%d new sites, want P = %d", len(res.Open), want)
		}
	}
	if len(res.Assign) != n {
		errf("Assign has %d entries, want %d", len(res.Assign), n)
		return out
	}
	// parts[j] = (facility, weight) pieces
	type part struct {
		f int
		w float64
	}
	parts := make([][]part, n)
	if res.Flows != nil {
		for _, fl := range res.Flows {
			if fl.Demand < 0 || fl.Demand >= n || fl.Facility < 0 || fl.Facility >= F || !(fl.Weight > 0) {
				errf("bad flow %+v", fl)
				continue
			}
			parts[fl.Demand] = append(parts[fl.Demand], part{fl.Facility, fl.Weight})
		}
	} else {
		for j, f := range res.Assign {
			if f >= 0 {
				parts[j] = append(parts[j], part{f, p.Weights[j]})
			}
		}
	}
	load := make([]float64, F)
	unit := unitUnserved(p)
	assignCost := 0.0
	for j := 0; j < n; j++ {
		served := 0.0
		for _, pt := range parts[j] {
			if !open[pt.f] {
				errf("demand %d assigned to closed facility %d", j, pt.f)
				continue
			}
			d, ok := lookup(p, j, pt.f)
			if !ok {
				errf("demand %d assigned to facility %d, which its row does not list", j, pt.f)
				continue
			}
			served += pt.w
			load[pt.f] += pt.w
			assignCost += pt.w * d
			if d <= p.Radius {
				out.covered += pt.w
			}
		}
		if served > p.Weights[j]*(1+1e-9)+1e-12 {
			errf("demand %d served %v > weight %v", j, served, p.Weights[j])
		}
		if left := p.Weights[j] - served; left > 1e-9*math.Max(1, p.Weights[j]) {
			out.unserved += left
			assignCost += left * unit
		}
		if f := res.Assign[j]; f >= 0 && res.Flows == nil && !open[f] {
			errf("demand %d assigned to closed %d", j, f)
		}
	}
	for i, f := range p.Facilities {
		if f.Capacity > 0 && load[i] > f.Capacity*(1+1e-9)+1e-9 {
			errf("facility %d load %v exceeds capacity %v", i, load[i], f.Capacity)
		}
	}
	switch p.Objective {
	case location.PMedian:
		out.cost = assignCost
	case location.FacilityLocation:
		out.cost = assignCost
		for _, i := range res.Open {
			out.cost += p.Facilities[i].FixedCost
		}
	case location.MaxCover:
		out.cost = out.covered
	case location.SetCover:
		allZero := true
		for _, f := range p.Facilities {
			if !f.Open && f.FixedCost > 0 {
				allZero = false
			}
		}
		for _, i := range res.Open {
			if allZero {
				out.cost++
			} else {
				out.cost += p.Facilities[i].FixedCost
			}
		}
		total := 0.0
		for _, w := range p.Weights {
			total += w
		}
		tgt := p.CoverTarget
		if tgt == 0 {
			tgt = 1
		}
		if res.Status != location.Infeasible && out.covered < tgt*total-1e-6*math.Max(1, total) {
			errf("covered %v < target %v", out.covered, tgt*total)
		}
	}
	tol := 1e-6 * math.Max(1, math.Abs(out.cost))
	if math.Abs(out.cost-res.Cost) > tol {
		errf("cost %v, recomputed %v", res.Cost, out.cost)
	}
	if math.Abs(out.unserved-res.Unserved) > 1e-6*math.Max(1, out.unserved) {
		errf("unserved %v, recomputed %v", res.Unserved, out.unserved)
	}
	if p.Objective == location.MaxCover {
		if res.Bound < res.Cost-tol {
			errf("upper bound %v below covered %v", res.Bound, res.Cost)
		}
	} else if res.Bound > res.Cost+tol {
		errf("lower bound %v above cost %v", res.Bound, res.Cost)
	}
	return out
}

func (c checked) String() string { return fmt.Sprintf("cost=%v covered=%v", c.cost, c.covered) }
