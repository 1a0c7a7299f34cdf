package main

import (
	"fmt"
	"io"
	"io/fs"

	"github.com/rlplan/rlplan/datasets"
	"github.com/spf13/cobra"
)

func init() { registerCommand(newDatasetsCmd) }

// datasetRecord is one embedded file.
type datasetRecord struct {
	Name  string `csv:"name" json:"name"`
	Bytes int64  `csv:"bytes" json:"bytes"`
}

// newDatasetsCmd builds `rlplan datasets`, which exposes the embedded default
// dataset so that users can inspect it or edit a copy as their own inputs.
func newDatasetsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "datasets",
		Short: "List or export the embedded default dataset (China, derived from public data)",
		Example: `  rlplan datasets list
  rlplan datasets export data && rlplan forecast --stock data/stock.csv --vehicle-types data/vehicle_types.csv`,
	}
	var out outputFlags
	list := &cobra.Command{
		Use:   "list",
		Short: "Print the embedded files and their sizes (bytes)",
		Example: `  rlplan datasets list
  rlplan datasets list --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.check("table", "csv", "json"); err != nil {
				return err
			}
			var recs []datasetRecord
			for _, n := range datasets.Names() {
				st, err := fs.Stat(datasets.FS, n)
				if err != nil {
					return err
				}
				recs = append(recs, datasetRecord{Name: n, Bytes: st.Size()})
			}
			return out.emit(a, func(w io.Writer) error { return writeRecords(w, out.format, recs) })
		},
	}
	out.register(list.Flags(), "table", "csv", "json")
	cmd.AddCommand(list)
	var force bool
	export := &cobra.Command{
		Use:   "export DIR",
		Short: "Write every embedded file into DIR (atomically; refuses to overwrite without --force)",
		Long: `Write every embedded file (CSV tables, province GeoJSON, ATTRIBUTION.txt) into DIR,
creating DIR if needed. Each file is written to a temporary file and renamed into place.
If any target file exists, nothing is written unless --force is given.
The data carries CC BY 4.0 attributions (SimpleMaps, GeoNames): keep ATTRIBUTION.txt with it.`,
		Example: `  rlplan datasets export data
  rlplan datasets export --force data`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			paths, err := datasets.Export(args[0], force)
			if err != nil {
				return err
			}
			for _, p := range paths {
				a.log.Info("wrote", "path", p)
			}
			fmt.Fprintf(a.stderr, "exported %d files to %s\n", len(paths), args[0])
			return nil
		},
	}
	export.Flags().BoolVar(&force, "force", false, "overwrite existing files")
	cmd.AddCommand(export)
	return cmd
}
