package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rlplan/rlplan/planner"
	"github.com/rlplan/rlplan/planner/domain"
)

// inputSet names the input files a command reads. Each command registers
// exactly the input flags of the files it reads (same flag, same meaning,
// everywhere), so --help never offers a flag that changes nothing; the
// tests run every input flag of every command with a missing file and
// expect the error to name it.
type inputSet uint16

const (
	inStock inputSet = 1 << iota
	inVehicleTypes
	inPlaces
	inOutlets
	inPlants
	inFleet
	inProvinces
	inCandidates
	inRoads

	// inForecast is what a forecast reads: stock and pack data.
	inForecast = inStock | inVehicleTypes
	// inGrid adds the towns that spread a forecast over the H3 grid.
	inGrid = inForecast | inPlaces
	// inAll is every input of a plan.
	inAll = inGrid | inOutlets | inPlants | inFleet | inProvinces | inCandidates | inRoads
)

// need is what the loader reads for a command with these inputs (the
// stock and vehicle types always): nothing else, so a user's stock is
// never checked against default files the command does not use.
func (s inputSet) need() planner.Need {
	n := planner.NeedStock
	for bit, nd := range map[inputSet]planner.Need{inPlaces: planner.NeedPlaces, inOutlets: planner.NeedOutlets,
		inPlants: planner.NeedPlants, inFleet: planner.NeedFleet, inProvinces: planner.NeedProvinces} {
		if s&bit != 0 {
			n |= nd
		}
	}
	return n
}

// findingInputs names the inputs whose suspicious rows (points outside
// their province, duplicates) a command warns about: those it reads.
func (s inputSet) findingInputs() []string {
	var out []string
	for _, b := range []struct {
		bit  inputSet
		name string
	}{{inStock, domain.InputStock}, {inPlaces, domain.InputPlaces}, {inOutlets, domain.InputOutlets},
		{inPlants, domain.InputPlants}, {inCandidates, domain.InputCandidates}} {
		if s&b.bit != 0 {
			out = append(out, b.name)
		}
	}
	return out
}

// inputFlag describes one input flag.
type inputFlag struct {
	set   inputSet
	name  string
	usage string
	ext   []string // file extensions offered by shell completion
	path  func(f *inputFlags) *string
}

var inputFlagDefs = []inputFlag{
	{inStock, "stock", "vehicle stock CSV: vehicles by region, model year and type (default: embedded China dataset)", []string{"csv"},
		func(f *inputFlags) *string { return &f.paths.Stock }},
	{inVehicleTypes, "vehicle-types", "pack mass and lifetime per vehicle type CSV (default: embedded)", []string{"csv"},
		func(f *inputFlags) *string { return &f.paths.VehicleTypes }},
	{inPlaces, "places", "towns that spread retirements over the grid CSV (default: embedded)", []string{"csv"},
		func(f *inputFlags) *string { return &f.paths.Places }},
	{inOutlets, "outlets", "collection outlets CSV (default: embedded)", []string{"csv"},
		func(f *inputFlags) *string { return &f.paths.Outlets }},
	{inPlants, "plants", "recycling plants CSV (default: embedded)", []string{"csv"},
		func(f *inputFlags) *string { return &f.paths.Plants }},
	{inFleet, "fleet", "vehicles per plant CSV (default: embedded)", []string{"csv"},
		func(f *inputFlags) *string { return &f.paths.Fleet }},
	{inProvinces, "provinces", "province boundaries and names GeoJSON (default: embedded)", []string{"geojson", "json"},
		func(f *inputFlags) *string { return &f.paths.Provinces }},
	{inCandidates, "candidates", "candidate sites CSV, columns as outlets.csv (default: dense cells and unserved towns)", []string{"csv"},
		func(f *inputFlags) *string { return &f.candidates }},
	{inRoads, "roads", "road distances: a CSV from_id,to_id,km[,minutes] between plants and outlets, or an OpenStreetMap extract (.osm.pbf) to compute them (unlisted pairs: great-circle x detour)", []string{"csv", "pbf"},
		func(f *inputFlags) *string { return &f.roads }},
}

// register adds the input flags of uses, then --region and the
// registration projection (every command that reads the stock selects
// provinces and may project registrations).
func (f *inputFlags) register(fs *pflag.FlagSet, uses inputSet) {
	f.registerFiles(fs, uses)
	fs.StringSliceVar(&f.regions, "region", nil, "restrict to provinces by ISO 3166-2 code (CN-GD; repeatable; CN = whole country)")
	registrationFlags(fs, &f.proj)
	f.fs = fs
}

// registerFiles adds only the input file flags of uses (plan has its own
// --region and projection flags, which override its scenario). usage,
// when given, words a flag for the command (check replaces what a plan
// recorded, not the embedded default); the file and its format are the same.
func (f *inputFlags) registerFiles(fs *pflag.FlagSet, uses inputSet, usage ...map[string]string) {
	f.uses |= uses
	f.fs = fs
	for _, d := range inputFlagDefs {
		if uses&d.set == 0 {
			continue
		}
		u := d.usage
		if len(usage) > 0 && usage[0][d.name] != "" {
			u = usage[0][d.name]
		}
		fs.StringVar(d.path(f), d.name, "", u)
		_ = fs.SetAnnotation(d.name, cobra.BashCompFilenameExt, d.ext)
		_ = fs.SetAnnotation(d.name, annotationInput, []string{"true"})
	}
}

// annotationInput marks a flag as an input file flag, for the tests that
// check every such flag is read.
const annotationInput = "rlplan_input"

// override puts the input files given on the command line into a
// scenario's inputs; the others stay as the scenario says.
func (f *inputFlags) override(fs *pflag.FlagSet, in *planner.ScenarioInputs) {
	dst := map[string]*string{
		"stock": &in.Stock, "vehicle-types": &in.VehicleTypes, "places": &in.Places, "outlets": &in.Outlets, "plants": &in.Plants,
		"fleet": &in.Fleet, "provinces": &in.Provinces, "candidates": &in.Candidates, "roads": &in.Roads,
	}
	for _, d := range inputFlagDefs {
		if fs.Changed(d.name) {
			*dst[d.name] = *d.path(f)
		}
	}
}

// inputFlagNames lists the input flags of a flag set, for messages.
func inputFlagNames(fs *pflag.FlagSet) []string {
	var out []string
	fs.VisitAll(func(fl *pflag.Flag) {
		if _, ok := fl.Annotations[annotationInput]; ok {
			out = append(out, "--"+fl.Name)
		}
	})
	return out
}

// completeWords offers fixed values for a flag in shell completion.
func completeWords(cmd *cobra.Command, flag string, words ...string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, func(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
		var out []string
		for _, w := range words {
			if strings.HasPrefix(w, prefix) {
				out = append(out, w)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
}
