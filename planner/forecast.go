package planner

import (
	"context"
	"fmt"
	"sort"
)

// Retirement is the forecast for one region, vehicle type and year.
type Retirement struct {
	RegionID    string
	Name        string
	Province    string
	Year        int
	VehicleType string
	Packs       float64
	Tonnes      float64
}

// Forecast computes the packs and tonnes retiring in each year from..to for
// every stock row kept by keep (nil keeps all): cohort size x Weibull share x
// pack mass. Rows are sorted by region, year and vehicle type.
func Forecast(in *Inputs, from, to int, keep func(province string) bool) ([]Retirement, error) {
	return ForecastContext(context.Background(), in, from, to, keep)
}

// ForecastContext is Forecast that stops with ctx's error once ctx is done.
func ForecastContext(ctx context.Context, in *Inputs, from, to int, keep func(province string) bool) ([]Retirement, error) {
	if to < from {
		return nil, fmt.Errorf("forecast: --to %d is before --from %d", to, from)
	}
	if to-from > 100 {
		return nil, fmt.Errorf("forecast: %d years requested, at most 100", to-from+1)
	}
	type key struct {
		region, vtype string
		year          int
	}
	acc := map[key]*Retirement{}
	for i, s := range in.Stock {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if keep != nil && !keep(s.Province) {
			continue
		}
		vt, ok := in.VehicleTypes[s.VehicleType]
		if !ok {
			return nil, fmt.Errorf("forecast: region %s: unknown vehicle type %q", s.RegionID, s.VehicleType)
		}
		for y := from; y <= to; y++ {
			packs := s.Vehicles * vt.Life.RetiredShare(s.ModelYear, y)
			k := key{s.RegionID, s.VehicleType, y}
			r := acc[k]
			if r == nil {
				r = &Retirement{RegionID: s.RegionID, Name: s.Name, Province: s.Province, Year: y, VehicleType: s.VehicleType}
				acc[k] = r
			}
			r.Packs += packs
			r.Tonnes += packs * vt.PackKg / 1000
		}
	}
	out := make([]Retirement, 0, len(acc))
	for _, r := range acc {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.RegionID != b.RegionID {
			return a.RegionID < b.RegionID
		}
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		return a.VehicleType < b.VehicleType
	})
	return out, nil
}

// Total is a forecast aggregated over some grouping.
type Total struct {
	Key    string // region id, province code or "CN"
	Name   string
	Year   int
	Packs  float64
	Tonnes float64
}

// Aggregate sums forecast rows by "region", "province" or "nation" and year,
// over all vehicle types. Rows are sorted by key then year.
func Aggregate(rows []Retirement, by string) ([]Total, error) {
	type key struct {
		k    string
		year int
	}
	acc := map[key]*Total{}
	for _, r := range rows {
		var k, name string
		switch by {
		case "region":
			k, name = r.RegionID, r.Name
		case "province":
			k, name = r.Province, r.Province
		case "nation":
			k, name = "CN", "China"
		default:
			return nil, fmt.Errorf("aggregate by %q: want region, province or nation", by)
		}
		t := acc[key{k, r.Year}]
		if t == nil {
			t = &Total{Key: k, Name: name, Year: r.Year}
			acc[key{k, r.Year}] = t
		}
		t.Packs += r.Packs
		t.Tonnes += r.Tonnes
	}
	out := make([]Total, 0, len(acc))
	for _, t := range acc {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Key != out[j].Key {
			return out[i].Key < out[j].Key
		}
		return out[i].Year < out[j].Year
	})
	return out, nil
}
