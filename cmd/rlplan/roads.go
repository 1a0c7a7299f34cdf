package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rlplan/rlplan/geo/roads"
	"github.com/rlplan/rlplan/internal/atomicfile"
	"github.com/rlplan/rlplan/planner"
)

func init() { registerCommand(newRoadsCmd) }

// roadGraphFlags choose the road file, its cache and the truck profile.
type roadGraphFlags struct {
	osm      string
	cacheDir string
	noCache  bool
	tonnes   float64
	heightM  float64
}

func (f *roadGraphFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.osm, "osm", "", "OpenStreetMap extract (.osm.pbf), e.g. from download.geofabrik.de")
	fs.StringVar(&f.cacheDir, "cache-dir", "", "folder of the built-graph cache (default: next to the .osm.pbf)")
	fs.BoolVar(&f.noCache, "no-cache", false, "build the graph without reading or writing the cache")
	fs.Float64Var(&f.tonnes, "truck-tonnes", 0, "loaded truck mass: avoid roads with a lower maxweight (0: not checked)")
	fs.Float64Var(&f.heightM, "truck-height-m", 0, "truck height: avoid roads and barriers with a lower maxheight (0: not checked)")
}

// load reads the road graph with progress on stderr.
func (f *roadGraphFlags) load(cmd *cobra.Command, a *app) (*roads.Graph, error) {
	if f.osm == "" {
		return nil, usageErrorf("--osm FILE.osm.pbf is required")
	}
	if err := firstErr(flagNonNegative("truck-tonnes", f.tonnes, "a mass", " t"), flagNonNegative("truck-height-m", f.heightM, "a height", " m")); err != nil {
		return nil, err
	}
	prof := roads.TruckProfile()
	prof.GrossTonnes, prof.HeightM = f.tonnes, f.heightM
	start := time.Now()
	bar := newProgress(a, "reading roads")
	opt := &roads.LoadOptions{CacheDir: f.cacheDir, NoCache: f.noCache, BuildOptions: roads.BuildOptions{Profile: prof,
		Progress: func(stage string, done, total int64) {
			bar.describe(stage)
			bar.set(int(done>>20), int(total>>20))
		}}}
	g, rep, err := roads.Load(cmd.Context(), f.osm, opt)
	bar.finish()
	if err != nil {
		return nil, err
	}
	i := g.Info
	if rep.FromCache {
		a.log.Info("road graph from cache", "cache", rep.CachePath, "hash", rep.HashTime.Round(time.Millisecond), "elapsed", time.Since(start).Round(time.Millisecond))
	} else {
		a.log.Info("road graph built", "why", rep.Rebuilt, "hash", rep.HashTime.Round(time.Millisecond), "parse", i.ParseTime.Round(time.Millisecond),
			"build", i.BuildTime.Round(time.Millisecond), "elapsed", time.Since(start).Round(time.Millisecond))
	}
	if rep.CacheErr != nil {
		a.log.Warn("road graph cache not written; the next run parses the file again", "error", rep.CacheErr)
	}
	a.log.Info("road graph", "profile", i.Profile, "ways", i.WaysKept, "vertices", i.Vertices, "segments", i.Segments,
		"road_km", int(i.RoadKm), "largest_component", i.MainVertices)
	fmt.Fprintln(a.stderr, "Road data © OpenStreetMap contributors, ODbL (openstreetmap.org/copyright).")
	return g, nil
}

func newRoadsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "roads",
		Short: "Road distances and times for loaded trucks from an OpenStreetMap extract",
		Long: `Build a road graph for loaded dangerous-goods trucks from an OpenStreetMap extract (.osm.pbf)
and compute distance and time matrices on it. The built graph is cached next to the file
(FILE.osm.pbf.rlroads) and rebuilt whenever the file or the profile changes.

The truck profile and its speeds (with their sources) are listed by 'rlplan roads info'.`,
		Example: `  rlplan roads info --osm guangdong-latest.osm.pbf
  rlplan roads matrix --osm guangdong-latest.osm.pbf --from plants.csv --to outlets.csv -o roads.csv`,
		// No OpenStreetMap extract is embedded: the examples name one the user
		// downloads (Geofabrik); the example runner skips them.
		Annotations: map[string]string{annotationExampleNeeds: "an OpenStreetMap extract (.osm.pbf), none is embedded"},
	}
	cmd.AddCommand(newRoadsMatrixCmd(a), newRoadsInfoCmd(a))
	return cmd
}

func newRoadsInfoCmd(a *app) *cobra.Command {
	var gf roadGraphFlags
	cmd := &cobra.Command{
		Use:     "info",
		Short:   "Build (or load) the road graph and print its size and the truck profile",
		Example: `  rlplan roads info --osm guangdong-latest.osm.pbf`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := gf.load(cmd, a)
			if err != nil {
				return err
			}
			i := g.Info
			w := a.stdout
			fmt.Fprintf(w, "profile          %s\n", i.Profile)
			fmt.Fprintf(w, "ways used        %d\n", i.WaysKept)
			fmt.Fprintf(w, "road nodes       %d\n", i.Nodes)
			fmt.Fprintf(w, "vertices         %d (largest strongly connected part %d, %.1f %%)\n", i.Vertices, i.MainVertices, 100*float64(i.MainVertices)/float64(max(1, i.Vertices)))
			fmt.Fprintf(w, "segments         %d\n", i.Segments)
			fmt.Fprintf(w, "directed arcs    %d\n", i.Arcs)
			fmt.Fprintf(w, "road km          %.0f\n", i.RoadKm)
			fmt.Fprintf(w, "area             %s\n", i.Area())
			if i.Missing > 0 {
				fmt.Fprintf(w, "missing nodes    %d (ways cut where the extract lacks their nodes)\n", i.Missing)
			}
			fmt.Fprintln(w, "speeds (km/h, lowered to a posted maxspeed:hgv or maxspeed):")
			for _, s := range roads.SpeedSources() {
				fmt.Fprintf(w, "  %s\n", s)
			}
			return nil
		},
	}
	gf.register(cmd.Flags())
	return cmd
}

func newRoadsMatrixCmd(a *app) *cobra.Command {
	var gf roadGraphFlags
	var from, to, out, unreachable, metric string
	var place roads.PlaceOptions
	var mo roads.MatrixOptions
	cmd := &cobra.Command{
		Use:   "matrix",
		Short: "Road km and minutes from every point of one file to every point of another",
		Long: `Compute road distances (km) and driving times (minutes) from each point of --from to each
point of --to on the road graph of --osm, by one Dijkstra search per point of the smaller
file, in parallel. Points files are CSV with columns id,lat,lon (WGS 84).

Each point is placed on the nearest road a truck may use, in the largest strongly connected
part of the graph (motorways excluded: nothing is reached from a motorway's side); points
more than --snap-warn-km from their road are listed on stderr, points more than
--snap-max-km away are not routed. Values include the straight legs between each point
and its place on the road.

Writes from_id,to_id,km,minutes: the file 'rlplan routes --roads' and scenario
inputs.roads read. Pairs without a value are never dropped silently: they are counted
on stderr by reason and, with --unreachable, written as from_id,to_id,reason.`,
		Example: `  rlplan roads matrix --osm guangdong-latest.osm.pbf --from plants.csv --to outlets.csv -o roads.csv
  rlplan roads matrix --osm de.osm.pbf --from a.csv --to b.csv --metric shortest --max-km 300 -o m.csv --unreachable u.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if from == "" || to == "" {
				return usageErrorf("--from and --to points files (id,lat,lon) are required")
			}
			switch metric {
			case "fastest":
				mo.Metric = roads.Fastest
			case "shortest":
				mo.Metric = roads.Shortest
			default:
				return usageErrorf("--metric %q: want fastest or shortest", metric)
			}
			if err := firstErr(flagNonNegative("max-minutes", mo.MaxMinutes, "a bound", " minutes"), flagNonNegative("max-km", mo.MaxKm, "a bound", " km"),
				flagPositive("snap-warn-km", place.WarnKm, "a distance", " km"), flagPositive("snap-max-km", place.MaxKm, "a distance", " km"),
				flagShare("max-unplaced", place.MaxUnplacedShare)); err != nil {
				return err
			}
			if mo.Metric == roads.Fastest && mo.MaxKm > 0 || mo.Metric == roads.Shortest && mo.MaxMinutes > 0 {
				return usageErrorf("--metric %s is bounded by --max-%s", metric, map[string]string{"fastest": "minutes", "shortest": "km"}[metric])
			}
			warn := func(s string) { a.log.Warn(s) }
			fromPts, err := roads.ReadPoints(from, warn)
			if err != nil {
				return err
			}
			toPts, err := roads.ReadPoints(to, warn)
			if err != nil {
				return err
			}
			g, err := gf.load(cmd, a)
			if err != nil {
				return err
			}
			fs, fromIDs, err := placePoints(a, g, gf.osm, from, fromPts, &place)
			if err != nil {
				return err
			}
			ts, toIDs, err := placePoints(a, g, gf.osm, to, toPts, &place)
			if err != nil {
				return err
			}
			bar := newProgress(a, "road searches")
			mo.Progress = bar.set
			start := time.Now()
			m, err := g.Matrix(cmd.Context(), fs, ts, &mo)
			bar.finish()
			if err != nil {
				return err
			}
			a.log.Info("road searches", "searches", m.Searches, "backward", m.Backward, "elapsed", time.Since(start).Round(time.Millisecond))
			reportUnreachable(a, m, fromIDs, toIDs)
			if unreachable != "" {
				if err := atomicfile.WriteFile(unreachable, func(w io.Writer) error { return roads.WriteUnreachable(w, m, fromIDs, toIDs) }); err != nil {
					return err
				}
			}
			o := outputFlags{out: out}
			return o.emit(a, func(w io.Writer) error { return roads.WriteMatrix(w, m, fromIDs, toIDs) })
		},
	}
	gf.register(cmd.Flags())
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "points to start from, CSV id,lat,lon (plants, hubs)")
	f.StringVar(&to, "to", "", "points to reach, CSV id,lat,lon (outlets)")
	f.StringVarP(&out, "output", "o", "", "matrix CSV from_id,to_id,km,minutes (default: stdout; written atomically)")
	f.StringVar(&unreachable, "unreachable", "", "also write the pairs without a value, CSV from_id,to_id,reason")
	f.StringVar(&metric, "metric", "fastest", "route to minimise: fastest (time; km of that route) or shortest (km)")
	f.Float64Var(&mo.MaxMinutes, "max-minutes", 0, "stop each fastest search beyond this many minutes of road (0: no bound); pairs beyond are listed")
	f.Float64Var(&mo.MaxKm, "max-km", 0, "stop each shortest search beyond this many road km (0: no bound); pairs beyond are listed")
	f.IntVar(&mo.Workers, "workers", 0, "searches run in parallel (0: one per CPU)")
	f.Float64Var(&place.WarnKm, "snap-warn-km", 0.5, "list points farther than this from their road")
	f.Float64Var(&place.MaxKm, "snap-max-km", 5, "do not route points farther than this from any usable road")
	f.Float64Var(&place.MaxUnplacedShare, "max-unplaced", 0.1, "fail when more than this share of a file's points cannot be placed (graph too fragmented)")
	return cmd
}

// placePoints snaps a points file onto the graph and logs what snaps far.
func placePoints(a *app, g *roads.Graph, osm, file string, pts []roads.NamedPoint, opt *roads.PlaceOptions) ([]roads.Snap, []string, error) {
	ids := make([]string, len(pts))
	ps := make([]orb.Point, len(pts))
	for i, p := range pts {
		ids[i], ps[i] = p.ID, p.Point
	}
	pl, err := g.Place(ids, ps, opt)
	if err != nil {
		if ie := (*roads.InputError)(nil); errors.As(err, &ie) && ie.File == "" {
			ie.File, ie.Msg = file, ie.Msg+" (road file "+osm+")"
		}
		return nil, nil, err
	}
	far := func(l []roads.FarPoint) string {
		var s []string
		for k, f := range l {
			if k == 10 {
				s = append(s, fmt.Sprintf("and %d more", len(l)-10))
				break
			}
			s = append(s, fmt.Sprintf("%s %.2f km", f.ID, f.Km))
		}
		return strings.Join(s, ", ")
	}
	if len(pl.Far) > 0 {
		a.log.Warn(fmt.Sprintf("%s: %s more than %g km from their road (counted as a straight access leg): %s", file, plural(len(pl.Far), "point"), opt.WarnKm, far(pl.Far)))
	}
	if len(pl.Unplaced) > 0 {
		a.log.Warn(fmt.Sprintf("%s: %s more than %g km from any usable road, not routed: %s", file, plural(len(pl.Unplaced), "point"), opt.MaxKm, far(pl.Unplaced)))
	}
	return pl.Snaps, ids, nil
}

// loadRoads reads the --roads input of a weekly plan (matrix CSV or OSM
// extract) with progress on stderr and sets the plan's legs (and, on a
// road graph, its catchments by road).
func loadRoads(cmd *cobra.Command, a *app, path string, in *planner.Inputs, reg planner.Regions, opt *planner.ScheduleOptions) error {
	bar := newProgress(a, "roads")
	r, err := planner.LoadRoads(cmd.Context(), path, in, reg, func(s string) { a.log.Warn(s) }, func(stage string, done, total int64) {
		bar.describe(stage)
		if stage == "road searches" {
			bar.set(int(done), int(total))
		} else {
			bar.set(int(done>>20), int(total>>20))
		}
	})
	bar.finish()
	if err != nil {
		return err
	}
	r.Apply(cmd.Context(), opt)
	if r.Legs == nil {
		a.log.Info("road matrix", "legs", r.Matrix.Len())
		return nil
	}
	legs := r.Legs
	fmt.Fprintln(a.stderr, "Road data © OpenStreetMap contributors, ODbL (openstreetmap.org/copyright).")
	a.log.Info("road legs from the OSM graph", "file", legs.File, "plant_outlet", legs.PlantLegs, "outlet_outlet", legs.LocalLegs, "estimated", legs.MissingLegs)
	for _, d := range legs.Detour {
		a.log.Info("effective detour", "province", d.Province, "legs", d.Kind, "count", d.Legs, "median", d.Median, "p25", d.P25, "p75", d.P75)
	}
	return nil
}

// reportUnreachable counts the pairs without a value by reason on stderr.
func reportUnreachable(a *app, m *roads.Matrix, fromIDs, toIDs []string) {
	if len(m.Unreachable) == 0 {
		a.log.Info("road matrix complete", "pairs", m.Rows*m.Cols, "searches", m.Searches)
		return
	}
	by := map[string]int{}
	for _, u := range m.Unreachable {
		by[u.Reason]++
	}
	var parts []string
	for r, n := range by {
		parts = append(parts, fmt.Sprintf("%s %d", r, n))
	}
	sort.Strings(parts)
	var first []string
	for _, u := range m.Unreachable[:min(5, len(m.Unreachable))] {
		first = append(first, fmt.Sprintf("%s->%s (%s)", fromIDs[u.From], toIDs[u.To], u.Reason))
	}
	a.log.Warn(fmt.Sprintf("%d of %d pairs have no road value and are not in the matrix (%s); first: %s; --unreachable FILE lists them all",
		len(m.Unreachable), m.Rows*m.Cols, strings.Join(parts, ", "), strings.Join(first, ", ")))
}
