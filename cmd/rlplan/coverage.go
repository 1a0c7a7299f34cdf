package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner"
	"github.com/rlplan/rlplan/planner/domain"
)

func init() { registerCommand(newCoverageCmd) }

type coverageRecord struct {
	Area         string  `csv:"area" json:"area"`
	Name         string  `csv:"name" json:"name"`
	Tonnes       float64 `csv:"tonnes" json:"tonnes"`
	CoveredShare float64 `csv:"covered_tonnes_share" json:"covered_tonnes_share"`
	MeanKm       float64 `csv:"mean_km" json:"mean_km"`
	P95Km        float64 `csv:"p95_km" json:"p95_km"`
	MaxKm        float64 `csv:"max_km" json:"max_km"`
	Cells        int     `csv:"cells" json:"cells"`
}

type hotspotRecord struct {
	H3            string  `csv:"h3" json:"h3"`
	Lat           float64 `csv:"lat" json:"lat"`
	Lon           float64 `csv:"lon" json:"lon"`
	Province      string  `csv:"province" json:"province"`
	Tonnes        float64 `csv:"tonnes" json:"tonnes"`
	NearestOutlet string  `csv:"nearest_outlet" json:"nearest_outlet"`
	NearestKm     float64 `csv:"nearest_km" json:"nearest_km"`
}

func coverageRecords(cov *planner.Coverage) ([]coverageRecord, []hotspotRecord) {
	conv := func(k planner.CoverageKPI) coverageRecord {
		return coverageRecord{Area: k.Area, Name: k.Name, Tonnes: roundTo(k.Tonnes, 1), CoveredShare: roundTo(k.CoveredTonnesShare, 4),
			MeanKm: roundTo(k.MeanKm, 2), P95Km: roundTo(k.P95Km, 2), MaxKm: roundTo(k.MaxKm, 2), Cells: k.Cells}
	}
	areas := []coverageRecord{conv(cov.National)}
	for _, p := range cov.Province {
		areas = append(areas, conv(p))
	}
	hs := []hotspotRecord{}
	for _, h := range cov.Hotspots {
		hs = append(hs, hotspotRecord{H3: h.Cell, Lat: roundTo(h.Lat, 5), Lon: roundTo(h.Lon, 5), Province: h.Province,
			Tonnes: roundTo(h.Tonnes, 3), NearestOutlet: h.NearestOutlet, NearestKm: roundTo(h.NearestKm, 2)})
	}
	return areas, hs
}

func newCoverageCmd(a *app) *cobra.Command {
	in := inputFlags{}
	var out outputFlags
	var year, res, top int
	var radius, detourF float64
	cmd := &cobra.Command{
		Use:   "coverage",
		Short: "Measure how well existing outlets cover forecast retirements",
		Long: `For every cell of the density grid, find the nearest outlet (exact great-circle
distance) and take road distance = haversine x detour factor. Reports the share of
tonnes within the radius, the tonnes-weighted mean and 95th-percentile distance,
nationally and per province, and the heaviest uncovered cells.`,
		Example: `  rlplan coverage --year 2030 --radius-km 20
  rlplan coverage --region CN-GD --radius-km 10 --format json
  rlplan datasets export data && rlplan coverage --region CN-HI --outlets data/outlets.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.check("table", "csv", "json"); err != nil {
				return err
			}
			if err := firstErr(flagError(domain.OptRadius.Check(radius)), flagYear("year", year),
				flagIntRange("res", res, 0, 15, "an H3 resolution"), flagIntRange("top", top, 0, 100000, "a number of cells")); err != nil {
				return err
			}
			detour, err := geo.NewDetour(detourF)
			if err != nil {
				return usageErrorf("--detour: %v", err)
			}
			if w := planner.ResolutionWarning(res, radius); w != "" {
				a.log.Warn(w)
			}
			inputs, reg, cells, err := in.loadGrid(cmd.Context(), a, year, res)
			if err != nil {
				return err
			}
			cov, err := planner.AnalyzeCoverageContext(cmd.Context(), cells, inputs.Outlets, radius, detour, top, inputs.ProvinceNames())
			if err != nil {
				return err
			}
			areas, hs := coverageRecords(cov)
			return out.emit(a, func(w io.Writer) error {
				switch out.format {
				case "json":
					enc := json.NewEncoder(w)
					enc.SetIndent("", "  ")
					return enc.Encode(map[string]any{"year": year, "radius_km": radius, "detour": detour.Factor(), "resolution": res,
						"regions": reg.String(), "areas": areas, "hotspots": hs})
				case "csv":
					return writeRecords(w, "csv", areas)
				}
				n := cov.National
				fmt.Fprintf(w, "Coverage %d, radius %g km by road (detour x%g), %s: %.1f%% of %.0f t within reach; mean %.1f km, p95 %.1f km\n\n",
					year, radius, detour.Factor(), reg, 100*n.CoveredTonnesShare, n.Tonnes, n.MeanKm, n.P95Km)
				if err := writeRecords(w, "table", areas); err != nil {
					return err
				}
				if len(hs) > 0 {
					fmt.Fprintf(w, "\nLargest uncovered cells:\n")
					return writeRecords(w, "table", hs)
				}
				return nil
			})
		},
	}
	in.register(cmd.Flags(), inGrid|inOutlets|inProvinces)
	out.register(cmd.Flags(), "table", "csv", "json")
	cmd.Flags().IntVar(&year, "year", 2030, "forecast year")
	cmd.Flags().IntVar(&res, "res", planner.DefaultResolution, "H3 resolution of the density grid")
	cmd.Flags().Float64Var(&radius, "radius-km", 20, "service radius by road in km")
	cmd.Flags().Float64Var(&detourF, "detour", 1.3, "road detour factor over great-circle distance (1.0-3.0)")
	cmd.Flags().IntVar(&top, "top", 10, "number of uncovered hotspot cells to list")
	return cmd
}
