package planner

import (
	"fmt"
	"math"
	"sort"
)

// Registrations projects new-vehicle registrations past the newest model
// year of the stock, so that forecasts for years when those future cohorts
// retire do not fall away. Each region and vehicle type repeats its newest
// recorded cohort, changed by GrowthPct per year (compounded):
//
//	vehicles(y) = vehicles(last) * (1 + GrowthPct/100)^(y - last),  y = last+1 .. Until
//
// The zero value projects nothing: only the recorded stock counts.
type Registrations struct {
	Until     int     `yaml:"until" json:"until"`           // last model year projected; 0 = none
	GrowthPct float64 `yaml:"growth_pct" json:"growth_pct"` // yearly change of registrations, percent
}

// DefaultRegistrations is the projection that goes with the embedded China
// stock (newest model year 2025): 7 % more registrations a year up to model
// year 2035, which takes NEVs from 49 % of a flat car market in 2025 to
// about all of it by 2035 (evidence in datasets/README.md). It is the
// default of the default scenario and of every command run on the embedded
// stock; a stock file of one's own is not projected unless asked.
var DefaultRegistrations = Registrations{Until: 2035, GrowthPct: 7}

// On reports whether r projects anything.
func (r Registrations) On() bool { return r.Until != 0 }

// maxProjectedYears bounds a projection: past a few decades the share that
// retires in any planning year is what matters, and a typo (20350) should
// not allocate millions of rows.
const maxProjectedYears = 50

// Validate checks r against the stock's newest model year last.
func (r Registrations) Validate(last int) error {
	if !(r.GrowthPct > -100 && r.GrowthPct <= 100) {
		return &ProjectionError{Key: "growth_pct", Msg: fmt.Sprintf("%g: want a yearly change in percent, greater than -100 and at most 100", r.GrowthPct)}
	}
	if !r.On() {
		return nil
	}
	if r.Until < last {
		return &ProjectionError{Key: "until", Msg: fmt.Sprintf("%d: the stock already records model years up to %d; want a year from %d to %d (or 0 for no projection)",
			r.Until, last, last, last+maxProjectedYears)}
	}
	if r.Until > last+maxProjectedYears {
		return &ProjectionError{Key: "until", Msg: fmt.Sprintf("%d: want at most %d years past the stock's newest model year %d (up to %d)",
			r.Until, maxProjectedYears, last, last+maxProjectedYears)}
	}
	return nil
}

// ProjectionError is a projection that does not fit the stock (a last
// model year before the stock's newest, say); it is a usage error (exit
// code 2). Key is the setting at fault: until or growth_pct.
type ProjectionError struct{ Key, Msg string }

func (e *ProjectionError) Error() string { return "registrations." + e.Key + ": " + e.Msg }

// ExitCode marks the error as a usage error.
func (e *ProjectionError) ExitCode() int { return 2 }

// LastModelYear is the newest model year in the stock (0 when empty).
func LastModelYear(stock []StockRow) int {
	last := 0
	for _, s := range stock {
		if s.ModelYear > last {
			last = s.ModelYear
		}
	}
	return last
}

// ProjectRegistrations appends the projected cohorts of r to in.Stock and
// returns how many rows it added. The base of every region and vehicle type
// is its row for the stock's newest model year; a region or type without
// such a row (no registrations that year) gets no projection. Rows are
// appended in region, vehicle type, model year order, so the result does not
// depend on the order of the stock file.
func ProjectRegistrations(in *Inputs, r Registrations) (int, error) {
	last := LastModelYear(in.Stock)
	if err := r.Validate(last); err != nil {
		return 0, err
	}
	if !r.On() || r.Until == last {
		return 0, nil
	}
	type key struct{ region, vtype string }
	base := map[key]StockRow{}
	for _, s := range in.Stock {
		if s.ModelYear != last {
			continue
		}
		k := key{s.RegionID, s.VehicleType}
		if b, ok := base[k]; ok {
			b.Vehicles += s.Vehicles
			base[k] = b
		} else {
			base[k] = s
		}
	}
	keys := make([]key, 0, len(base))
	for k := range base {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].region != keys[j].region {
			return keys[i].region < keys[j].region
		}
		return keys[i].vtype < keys[j].vtype
	})
	g := 1 + r.GrowthPct/100
	added := 0
	for _, k := range keys {
		b := base[k]
		for y := last + 1; y <= r.Until; y++ {
			row := b
			row.ModelYear = y
			row.Vehicles = b.Vehicles * math.Pow(g, float64(y-last))
			in.Stock = append(in.Stock, row)
			added++
		}
	}
	return added, nil
}

// MissingCohorts describes what a forecast for year leaves out when the
// stock ends at its newest model year and nothing is projected: how much
// vehicles registered after it would add to that year's retired tonnes if
// registrations stayed at the newest year's level, as a share of the tonnes
// the recorded stock retires. keep selects provinces (nil keeps all). It
// returns "" when that share is below 1 %, so short horizons stay quiet.
func MissingCohorts(in *Inputs, year int, keep func(province string) bool) string {
	last := LastModelYear(in.Stock)
	if last == 0 || year <= last {
		return ""
	}
	recorded, missing := 0.0, 0.0
	for _, s := range in.Stock {
		vt, ok := in.VehicleTypes[s.VehicleType]
		if !ok || (keep != nil && !keep(s.Province)) {
			continue
		}
		recorded += s.Vehicles * vt.Life.RetiredShare(s.ModelYear, year) * vt.PackKg
		if s.ModelYear == last {
			for c := last + 1; c <= year; c++ {
				missing += s.Vehicles * vt.Life.RetiredShare(c, year) * vt.PackKg
			}
		}
	}
	if recorded <= 0 || missing < 0.01*recorded {
		return ""
	}
	return fmt.Sprintf("the stock counts vehicles registered up to %d only: in %d it retires %.0f t, and vehicles registered later would add about %.0f t (+%.0f %%) if registrations stayed at the %d level; project them with --registrations-until (scenario: registrations.until)",
		last, year, recorded/1000, missing/1000, 100*missing/recorded, last)
}
