package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner"
)

func init() { registerCommand(newDensityCmd) }

type densityRecord struct {
	H3       string  `csv:"h3" json:"h3"`
	Lat      float64 `csv:"lat" json:"lat"`
	Lon      float64 `csv:"lon" json:"lon"`
	Province string  `csv:"province" json:"province"`
	Packs    float64 `csv:"packs" json:"packs"`
	Tonnes   float64 `csv:"tonnes" json:"tonnes"`
}

func newDensityCmd(a *app) *cobra.Command {
	in := inputFlags{}
	var year, res int
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "density",
		Short: "Spread forecast retirements over an H3 grid (GeoJSON hexagons or CSV)",
		Long: `Spread each city's forecast retirements for one year over H3 cells.

A city's mass is divided among its towns in proportion to population, and each
town's share over the cells of its urban footprint (radius 1.5 km x sqrt(pop/100k),
2 to 20 km) with a Gaussian weight by distance. Cells sum exactly to the cities.
The output format follows the file extension: .geojson or .csv.`,
		Example: `  rlplan density --year 2030 -o density.geojson
  rlplan density --year 2030 --res 8 --region CN-GD -o gd.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ext := strings.ToLower(filepath.Ext(out))
			if out == "" || (ext != ".geojson" && ext != ".json" && ext != ".csv") {
				return usageErrorf("-o %q: want a file ending in .geojson or .csv", out)
			}
			if err := flagYear("year", year); err != nil {
				return err
			}
			if res < 0 || res > 15 {
				return usageErrorf("--res %d: want an H3 resolution from 0 to 15 (default %d, cells of about 5 km²)", res, planner.DefaultResolution)
			}
			_, reg, cells, err := in.loadGrid(cmd.Context(), a, year, res)
			if err != nil {
				return err
			}
			var tonnes float64
			for _, c := range cells {
				tonnes += c.Tonnes
			}
			a.log.Info("density", "year", year, "res", res, "regions", reg.String(), "cells", len(cells), "tonnes", fmt.Sprintf("%.0f", tonnes))
			if ext == ".csv" {
				recs := make([]densityRecord, len(cells))
				for i, c := range cells {
					recs[i] = densityRecord{H3: c.Cell.String(), Lat: roundTo(c.Center[1], 6), Lon: roundTo(c.Center[0], 6),
						Province: c.Province, Packs: roundTo(c.Packs, 2), Tonnes: roundTo(c.Tonnes, 4)}
				}
				return writeOutputFile(a, out, force, func(w io.Writer) error { return writeRecords(w, "csv", recs) })
			}
			fc, err := planner.DensityLayer(cells)
			if err != nil {
				return err
			}
			return writeOutputFile(a, out, force, func(w io.Writer) error { return geo.WriteFeatureCollection(w, fc) })
		},
	}
	in.register(cmd.Flags(), inGrid)
	cmd.Flags().IntVar(&year, "year", 2030, "forecast year")
	cmd.Flags().IntVar(&res, "res", planner.DefaultResolution, "H3 resolution (7: cells of about 5 km²)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "output file (.geojson or .csv; an existing file only if rlplan wrote it, see --force)")
	cmd.Flags().BoolVar(&force, "force", false, "replace the -o file even if rlplan did not write it")
	return cmd
}
