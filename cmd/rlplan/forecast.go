package main

import (
	"io"
	"math"

	"github.com/spf13/cobra"

	"github.com/rlplan/rlplan/planner"
)

func init() { registerCommand(newForecastCmd) }

type forecastRecord struct {
	Key    string  `csv:"key" json:"key"`
	Name   string  `csv:"name" json:"name"`
	Year   int     `csv:"year" json:"year"`
	Packs  float64 `csv:"packs" json:"packs"`
	Tonnes float64 `csv:"tonnes" json:"tonnes"`
}

func newForecastCmd(a *app) *cobra.Command {
	in := inputFlags{}
	var out outputFlags
	var from, to int
	var by string
	cmd := &cobra.Command{
		Use:   "forecast",
		Short: "Forecast retired packs and tonnes per year (cohorts x Weibull lifetime x pack mass)",
		Example: `  rlplan forecast --from 2025 --to 2040
  rlplan forecast --by province --format csv -o forecast.csv
  rlplan forecast --region CN-GD --by region --from 2030 --to 2030
  rlplan forecast --to 2040 --registrations-until 2040 --registrations-growth 3
  rlplan forecast --from 2030 --to 2030 --by province --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.check("table", "csv", "json"); err != nil {
				return err
			}
			if by != "nation" && by != "province" && by != "region" {
				return usageErrorf("--by %q: want nation, province or region", by)
			}
			if err := firstErr(flagYear("from", from), flagYear("to", to)); err != nil {
				return err
			}
			if to < from {
				return usageErrorf("--to %d is before --from %d", to, from)
			}
			inputs, reg, err := in.load(cmd.Context(), a)
			if err != nil {
				return err
			}
			in.warnMissing(a, inputs, reg, to)
			rows, err := planner.ForecastContext(cmd.Context(), inputs, from, to, reg.Keep)
			if err != nil {
				return err
			}
			totals, err := planner.Aggregate(rows, by)
			if err != nil {
				return err
			}
			names := inputs.ProvinceNames()
			recs := make([]forecastRecord, len(totals))
			for i, t := range totals {
				name := t.Name
				if by == "province" && names[t.Key] != "" {
					name = names[t.Key]
				}
				recs[i] = forecastRecord{Key: t.Key, Name: name, Year: t.Year, Packs: math.Round(t.Packs), Tonnes: math.Round(t.Tonnes*10) / 10}
			}
			return out.emit(a, func(w io.Writer) error { return writeRecords(w, out.format, recs) })
		},
	}
	in.register(cmd.Flags(), inForecast|inProvinces)
	out.register(cmd.Flags(), "table", "csv", "json")
	cmd.Flags().IntVar(&from, "from", 2025, "first forecast year")
	cmd.Flags().IntVar(&to, "to", 2040, "last forecast year")
	cmd.Flags().StringVar(&by, "by", "nation", "group by nation, province or region (city)")
	return cmd
}
