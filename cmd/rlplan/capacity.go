package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner"
	"github.com/rlplan/rlplan/planner/network"
)

func init() {
	registerCommand(newCapacityCmd)
	// rlplan compare: the capacity rows go before "interrupted".
	at := len(compareRows)
	for i, r := range compareRows {
		if r.name == "interrupted" {
			at = i
		}
	}
	compareRows = append(compareRows[:at], append(capacityCompareRows, compareRows[at:]...)...)
}

// capacityCompareRows are the plant-capacity KPIs `rlplan compare` shows.
var capacityCompareRows = []compareRow{
	{"capacity_short_t_per_week", func(k *planner.KPIs) string {
		return capacityKPI(k, func(c *planner.CapacityKPI) string { return fmt.Sprintf("%.1f", c.ShortTPerWeek) })
	}},
	{"capacity_binding_plants", func(k *planner.KPIs) string {
		return capacityKPI(k, func(c *planner.CapacityKPI) string { return fmt.Sprint(c.BindingPlants) })
	}},
	{"capacity_unprocessed_t", func(k *planner.KPIs) string {
		return capacityKPI(k, func(c *planner.CapacityKPI) string { return fmt.Sprintf("%.0f", c.UnprocessedT) })
	}},
	{"investments", func(k *planner.KPIs) string {
		return capacityKPI(k, func(c *planner.CapacityKPI) string { return fmt.Sprint(c.Investments) })
	}},
	{"investment_added_t", func(k *planner.KPIs) string {
		return capacityKPI(k, func(c *planner.CapacityKPI) string { return fmt.Sprintf("%.0f", c.AddedT) })
	}},
	{"investment_cny_per_year", func(k *planner.KPIs) string {
		return capacityKPI(k, func(c *planner.CapacityKPI) string { return fmt.Sprintf("%.0f", c.YearlyCNY) })
	}},
	{"investment_cny_per_t", func(k *planner.KPIs) string {
		return capacityKPI(k, func(c *planner.CapacityKPI) string { return fmt.Sprintf("%.1f", c.CostPerT) })
	}},
	{"capacity_gap_pct", func(k *planner.KPIs) string {
		return capacityKPI(k, func(c *planner.CapacityKPI) string {
			if !c.National.HasBound {
				return ""
			}
			return fmt.Sprintf("%.3f", c.National.GapPct)
		})
	}},
}

func capacityKPI(k *planner.KPIs, f func(*planner.CapacityKPI) string) string {
	if k.Capacity == nil {
		return ""
	}
	return f(k.Capacity)
}

// capacityRecord is a row of `rlplan capacity`: one province (or the area's
// total) in one year.
type capacityRecord struct {
	Year             int     `csv:"year" json:"year"`
	Province         string  `csv:"province" json:"province"`
	RetiringWeek     float64 `csv:"retiring_t_per_week" json:"retiring_t_per_week"`
	ListedWeek       float64 `csv:"listed_t_per_week" json:"listed_t_per_week"`
	ShortWeek        float64 `csv:"short_t_per_week" json:"short_t_per_week"`
	UnprocessedWeek  float64 `csv:"unprocessed_t_per_week" json:"unprocessed_t_per_week"`
	MeanKm           float64 `csv:"mean_haul_km" json:"mean_haul_km"`
	AddedWeek        float64 `csv:"added_t_per_week" json:"added_t_per_week"`
	Investments      int     `csv:"investments" json:"investments"`
	YearlyCNY        float64 `csv:"yearly_cost_cny" json:"yearly_cost_cny"`
	CostPerT         float64 `csv:"cost_cny_per_t" json:"cost_cny_per_t"`
	UnprocessedAfter float64 `csv:"unprocessed_after_t_per_week" json:"unprocessed_after_t_per_week"`
	MeanKmAfter      float64 `csv:"mean_haul_km_after" json:"mean_haul_km_after"`
	GapPct           float64 `csv:"gap_pct" json:"gap_pct"`
}

type capacityFlags struct {
	in             inputFlags
	out            outputFlags
	year, from, to int
	dir            outFolder
	costs          string
	newPlant       string
	unserved       float64
	seed           int64
}

func newCapacityCmd(a *app) *cobra.Command {
	var f capacityFlags
	cmd := &cobra.Command{
		Use:   "capacity",
		Short: "Where plant intake runs short of what retires, year by year, and the investments that close it",
		Long: `Weigh every listed plant's intake (weekly intake x 52) against the tonnes retiring
in every region of the country in a year, hauled by road in full truckloads, and
choose the expansions of listed plants and new plants at the regions' seats that
close the shortfall at the least yearly cost (annualised capital + line-haul), with
the capacitated location solver; every answer is checked by an independent
validator, and the gap to a proven bound is reported.

One row per province of --region (and one for their total) and year: tonnes
retiring, listed intake and the shortfall (retiring beyond the province's listed
intake), what finds no plant with the listed plants alone, and what the
investments add, cost and leave unprocessed. --from/--to show where capacity
runs out as retirements grow. --out DIR writes one year's investments.csv,
capacity_plants.csv, capacity_provinces.csv, capacity.geojson and report.md.
Costs come from costs.csv (--costs replaces it); module sizes and the other
settings are those of the default scenario's capacity section.`,
		Example: `  rlplan capacity --region CN --year 2035
  rlplan capacity --region CN --from 2030 --to 2032 --format csv -o capacity.csv
  rlplan capacity --region CN-SC --year 2030 --out out/sc-capacity`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runCapacity(cmd, a, &f) },
	}
	fs := cmd.Flags()
	f.in.register(fs, inForecast|inPlants)
	f.out.register(fs, "table", "csv", "json")
	fs.IntVar(&f.year, "year", 0, "one year (default: the default scenario's year; see --from/--to)")
	fs.IntVar(&f.from, "from", 0, "first year of a range")
	fs.IntVar(&f.to, "to", 0, "last year of a range")
	// --out's folder takes -o's --force (one flag: replace what rlplan did not write).
	fs.StringVar(&f.dir.dir, "out", "", "write one year's tables, layer and report to this folder: new, empty, or written by rlplan before (see --force)")
	fs.StringVar(&f.costs, "costs", "", "cost figures CSV (item,value,unit,basis,source,note; default: embedded costs.csv)")
	fs.StringVar(&f.newPlant, "new-plant", planner.NewPlantDismantling, "new plants costed as dismantling or hydrometallurgy")
	fs.Float64Var(&f.unserved, "unserved-cost", 0, "CNY per tonne no plant takes; 0 = derived default (see rlplan scenario init)")
	fs.Int64Var(&f.seed, "seed", 1, "seed of the location solver")
	return cmd
}

// years resolves --year and --from/--to.
func (f *capacityFlags) years(cmd *cobra.Command, def int) ([]int, error) {
	ch := cmd.Flags().Changed
	switch {
	case ch("year") && (ch("from") || ch("to")):
		return nil, usageErrorf("--year and --from/--to: give one year or a range")
	case ch("from") != ch("to"):
		return nil, usageErrorf("--from and --to go together")
	case ch("from"):
		if err := firstErr(flagYear("from", f.from), flagYear("to", f.to)); err != nil {
			return nil, err
		}
		if f.to < f.from || f.to-f.from > 50 {
			return nil, usageErrorf("--from %d --to %d: want a range of 1 to 51 years, in order", f.from, f.to)
		}
	default:
		f.from = def
		if ch("year") {
			if err := flagYear("year", f.year); err != nil {
				return nil, err
			}
			f.from = f.year
		}
		f.to = f.from
	}
	if f.dir.dir != "" && f.to != f.from {
		return nil, usageErrorf("--out writes one year's tables: give --year, not a range")
	}
	var out []int
	for y := f.from; y <= f.to; y++ {
		out = append(out, y)
	}
	return out, nil
}

func runCapacity(cmd *cobra.Command, a *app, f *capacityFlags) error {
	if err := f.out.check("table", "csv", "json"); err != nil {
		return err
	}
	if f.newPlant != planner.NewPlantDismantling && f.newPlant != planner.NewPlantHydrometallurgy {
		return usageErrorf("--new-plant %q: want %s or %s", f.newPlant, planner.NewPlantDismantling, planner.NewPlantHydrometallurgy)
	}
	if !(f.unserved >= 0) || math.IsInf(f.unserved, 0) {
		return usageErrorf("--unserved-cost %v: want a cost >= 0 CNY per tonne (0 = derived default)", f.unserved)
	}
	s := planner.DefaultScenario()
	s.Seed, s.Capacity.NewPlant, s.Capacity.UnservedCostPerT = f.seed, f.newPlant, f.unserved
	years, err := f.years(cmd, s.Year)
	if err != nil {
		return err
	}
	in, reg, err := f.in.load(cmd.Context(), a)
	if err != nil {
		return err
	}
	loader := &planner.Loader{Defaults: datasets.FS, Warn: func(m string) { a.log.Warn(m) }}
	costs, err := loader.LoadCosts(f.costs)
	if err != nil {
		return err
	}
	detour, err := geo.NewDetour(s.Detour)
	if err != nil {
		return err
	}
	var recs []capacityRecord
	for _, y := range years {
		start := time.Now()
		cp, err := planner.PlanCapacity(cmd.Context(), &s, in, costs, detour, y)
		if err != nil {
			return err
		}
		a.log.Info("capacity", "year", y, "investments", len(cp.Investments), "gap_pct", roundTo(100*cp.Gap, 3), "elapsed", time.Since(start).Round(time.Millisecond))
		recs = append(recs, capacityRecords(cp, y, reg)...)
		if f.dir.dir != "" {
			f.dir.force = f.out.force
			if err := writeCapacityDir(&f.dir, cp, y, reg); err != nil {
				return err
			}
		}
		if cp.Interrupted {
			if err := f.out.emit(a, func(w io.Writer) error { return writeRecords(w, f.out.format, recs) }); err != nil {
				return err
			}
			return interruptedError{}
		}
	}
	return f.out.emit(a, func(w io.Writer) error { return writeRecords(w, f.out.format, recs) })
}

// capacityRecords are one year's rows: each province of the area with
// retiring tonnes or plants, then the area's total.
func capacityRecords(cp *network.CapacityPlan, year int, reg planner.Regions) []capacityRecord {
	w := func(t float64) float64 { return roundTo(t/network.WeeksPerYear, 1) }
	v := cp.View(reg.Keep)
	var out []capacityRecord
	for _, p := range v.Provinces {
		pv := cp.View(func(c string) bool { return c == p.Province })
		out = append(out, capacityRecord{Year: year, Province: p.Province, RetiringWeek: w(p.RetiringT), ListedWeek: w(p.ListedT),
			ShortWeek: w(p.ShortT), UnprocessedWeek: w(p.Before.UnprocessedT), MeanKm: roundTo(p.Before.MeanKm, 0), AddedWeek: w(p.AddedT),
			Investments: countIn(pv.Investments, p.Province), YearlyCNY: roundTo(yearlyIn(pv.Investments, p.Province), 0),
			UnprocessedAfter: w(p.After.UnprocessedT), MeanKmAfter: roundTo(p.After.MeanKm, 0)})
		if r := &out[len(out)-1]; r.AddedWeek > 0 {
			r.CostPerT = roundTo(costPerTIn(pv.Investments, p.Province), 0)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Province < out[j].Province })
	before, after := meanHaul(v.Provinces)
	total := capacityRecord{Year: year, Province: reg.String(), RetiringWeek: w(v.RetiringT), ListedWeek: w(v.ListedT), ShortWeek: w(v.ShortT),
		UnprocessedWeek: w(v.UnprocessedT), MeanKm: roundTo(before, 0), AddedWeek: w(v.AddedT), Investments: len(v.Investments),
		YearlyCNY: roundTo(v.YearlyCNY, 0), CostPerT: roundTo(v.CostPerT, 0), UnprocessedAfter: w(v.UnprocessedAfterT),
		MeanKmAfter: roundTo(after, 0), GapPct: roundTo(100*cp.Gap, 2)}
	return append(out, total)
}

// meanHaul is the mean line-haul of the provinces' processed tonnes, with
// the listed plants alone and with the investments.
func meanHaul(ps []network.ProvinceUse) (before, after float64) {
	var tb, ta, kb, ka float64
	for _, p := range ps {
		b, a := p.Before.LocalT+p.Before.ExportT, p.After.LocalT+p.After.ExportT
		tb, ta, kb, ka = tb+b, ta+a, kb+b*p.Before.MeanKm, ka+a*p.After.MeanKm
	}
	if tb > 0 {
		before = kb / tb
	}
	if ta > 0 {
		after = ka / ta
	}
	return before, after
}

// countIn, yearlyIn and costPerTIn sum the investments located in a
// province (a province's row counts what is built there).
func countIn(inv []network.Investment, prov string) int {
	n := 0
	for _, x := range inv {
		if x.Province == prov {
			n++
		}
	}
	return n
}

func yearlyIn(inv []network.Investment, prov string) float64 {
	t := 0.0
	for _, x := range inv {
		if x.Province == prov {
			t += x.YearlyCNY
		}
	}
	return t
}

func costPerTIn(inv []network.Investment, prov string) float64 {
	y, u := 0.0, 0.0
	for _, x := range inv {
		if x.Province == prov {
			y += x.YearlyCNY
			u += x.UnlockedT
		}
	}
	if u == 0 {
		return 0
	}
	return y / u
}

// writeCapacityDir writes one year's tables, layer and report section.
func writeCapacityDir(dir *outFolder, cp *network.CapacityPlan, year int, reg planner.Regions) error {
	files := map[string][]byte{}
	for n, t := range planner.CapacityTables(cp, reg.Keep) {
		var b bytes.Buffer
		if err := planner.WriteCSV(&b, t); err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
		files[n] = b.Bytes()
	}
	var g bytes.Buffer
	if err := geo.WriteFeatureCollection(&g, cp.View(reg.Keep).Layer()); err != nil {
		return fmt.Errorf("capacity.geojson: %w", err)
	}
	files["capacity.geojson"] = g.Bytes()
	files["report.md"] = []byte(fmt.Sprintf("# rlplan capacity: %s, %d\n", reg, year) + planner.CapacityReport(cp, year, reg.String(), reg.Keep, false))
	return dir.writeBytes("capacity", files)
}
