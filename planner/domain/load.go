package domain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/rlplan/rlplan/internal/csvin"
)

// Default input names inside the embedded dataset (package datasets).
const (
	DefaultStock        = "stock.csv"
	DefaultVehicleTypes = "vehicle_types.csv"
	DefaultPlaces       = "places.csv"
	DefaultOutlets      = "outlets.csv"
	DefaultPlants       = "plants.csv"
	DefaultFleet        = "fleet.csv"
	DefaultProvinces    = "provinces.geojson"
)

// Loader reads inputs from user files, falling back to a default file system
// (the embedded dataset) for every path left empty.
type Loader struct {
	// Defaults holds the default files by the Default* names.
	Defaults fs.FS
	// Warn receives non-fatal findings such as unknown columns; nil drops them.
	Warn func(string)
	// Open opens user files; nil means os.Open.
	Open func(path string) (io.ReadCloser, error)
	// Need, when not zero, limits Load to the stock, the vehicle types and
	// these inputs; the others stay empty. A command reads what it uses,
	// so a user's stock is not checked against default towns it never
	// spreads retirements over.
	Need Need
}

// Need names inputs Load reads besides the stock and vehicle types.
type Need uint8

const (
	NeedPlaces Need = 1 << iota
	NeedOutlets
	NeedPlants
	NeedFleet // implies NeedPlants: fleets are checked against plants
	NeedProvinces
	// NeedStock is the stock and vehicle types alone (always read): a
	// Need that is not zero and asks for nothing more.
	NeedStock
	NeedAll = NeedPlaces | NeedOutlets | NeedPlants | NeedFleet | NeedProvinces | NeedStock
)

// opener returns how to open path and the name to use in messages. What
// it opens stops with ctx's error once ctx is done, so that reading a large
// file never outlasts an interrupt.
func (l *Loader) opener(ctx context.Context, path, def string) (openFunc, string) {
	open := func(string) (io.ReadCloser, error) {
		if l.Defaults == nil {
			return nil, fmt.Errorf("no embedded default for %s", def)
		}
		return l.Defaults.Open(def)
	}
	name := def + " (embedded)"
	if path != "" {
		open, name = osOpen, path
		if l.Open != nil {
			open = l.Open
		}
	}
	return func(p string) (io.ReadCloser, error) {
		f, err := open(p)
		if err != nil {
			return nil, err
		}
		return &ctxReader{ctx: ctx, rc: f}, nil
	}, name
}

// ctxReader fails reads once its context is done.
type ctxReader struct {
	ctx context.Context
	rc  io.ReadCloser
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.rc.Read(p)
}

func (c *ctxReader) Close() error { return c.rc.Close() }

// Warning passes a non-fatal finding to Warn, if set.
func (l *Loader) Warning(s string) {
	if l.Warn != nil {
		l.Warn(s)
	}
}

// Load reads and cross-checks the inputs (all of them, or the stock, the
// vehicle types and those of l.Need). The first problem found is returned
// as a *csvin.Error naming the file, line and column.
func (l *Loader) Load(p InputPaths) (*Inputs, error) {
	return l.LoadContext(context.Background(), p)
}

// LoadContext is Load that stops with ctx's error when ctx is done.
func (l *Loader) LoadContext(ctx context.Context, p InputPaths) (*Inputs, error) {
	in := &Inputs{}
	var err error
	if in.Sources, err = l.inputSources(p); err != nil {
		return nil, err
	}
	open, name := l.opener(ctx, p.VehicleTypes, DefaultVehicleTypes)
	if in.VehicleTypes, err = readVehicleTypes(open, name, l.Warning); err != nil {
		return nil, err
	}
	open, name = l.opener(ctx, p.Stock, DefaultStock)
	if in.Stock, err = readStock(open, name, in.VehicleTypes, l.Warning); err != nil {
		return nil, err
	}
	regions := map[string]bool{}
	for _, s := range in.Stock {
		regions[s.RegionID] = true
	}
	need := l.Need
	if need == 0 {
		need = NeedAll
	}
	if need&NeedPlaces != 0 {
		open, name = l.opener(ctx, p.Places, DefaultPlaces)
		if in.Places, err = readPlaces(open, name, regions, l.Warning); err != nil {
			return nil, err
		}
	}
	if need&NeedOutlets != 0 {
		open, name = l.opener(ctx, p.Outlets, DefaultOutlets)
		if in.Outlets, err = readOutlets(open, name, l.Warning); err != nil {
			return nil, err
		}
	}
	if need&(NeedPlants|NeedFleet) != 0 {
		open, name = l.opener(ctx, p.Plants, DefaultPlants)
		if in.Plants, err = readPlants(open, name, l.Warning); err != nil {
			return nil, err
		}
	}
	if need&NeedFleet != 0 {
		open, name = l.opener(ctx, p.Fleet, DefaultFleet)
		if in.Fleet, err = readFleet(open, name, in.Plants, l.Warning); err != nil {
			return nil, err
		}
	}
	if need&NeedProvinces == 0 {
		return in, nil
	}
	open, name = l.opener(ctx, p.Provinces, DefaultProvinces)
	f, err := open(name)
	if err != nil {
		return nil, &csvin.Error{File: name, Msg: fmt.Sprintf("cannot open: %v", underlying(err))}
	}
	defer f.Close()
	if in.ProvincesGeoJSON, err = io.ReadAll(io.LimitReader(f, MaxProvincesBytes+1)); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(in.ProvincesGeoJSON) > MaxProvincesBytes {
		return nil, &csvin.Error{File: name, Msg: fmt.Sprintf("the file is larger than %d MiB, the most rlplan reads", MaxProvincesBytes>>20),
			Found: "more data", Want: "province boundaries as GeoJSON (is this the right file?)"}
	}
	if err := checkProvinces(name, in.ProvincesGeoJSON); err != nil {
		return nil, err
	}
	if in.Findings, err = CheckPlacement(ctx, in, l.names(p)); err != nil {
		return nil, err
	}
	return in, nil
}

// names returns the name of each input as messages give it.
func (l *Loader) names(p InputPaths) InputPaths {
	name := func(path, def string) string {
		if path != "" {
			return path
		}
		return def + " (embedded)"
	}
	return InputPaths{Stock: name(p.Stock, DefaultStock), VehicleTypes: name(p.VehicleTypes, DefaultVehicleTypes),
		Places: name(p.Places, DefaultPlaces), Outlets: name(p.Outlets, DefaultOutlets), Plants: name(p.Plants, DefaultPlants),
		Fleet: name(p.Fleet, DefaultFleet), Provinces: name(p.Provinces, DefaultProvinces)}
}

// checkProvinces requires an RFC 7946 FeatureCollection of polygons with
// the ISO 3166-2 code of each province, so a wrong file fails at load time
// rather than when the map is drawn after all the solving.
func checkProvinces(name string, data []byte) error {
	var any json.RawMessage
	if err := json.Unmarshal(data, &any); err != nil {
		e := &csvin.Error{File: name, Msg: "not valid JSON: " + err.Error(), Want: "a GeoJSON FeatureCollection"}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			e.Line = 1 + bytes.Count(data[:se.Offset], []byte("\n"))
			e.Column = int(se.Offset) - bytes.LastIndexByte(data[:se.Offset], '\n') - 1
			if e.Column < 1 {
				e.Column = 1
			}
		}
		return e
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return &csvin.Error{File: name, Msg: "not a GeoJSON FeatureCollection", Found: strconv.Quote(shorten(err.Error())), Want: `{"type":"FeatureCollection","features":[...]}`}
	}
	for i, f := range fc.Features {
		switch f.Geometry.(type) {
		case orb.Polygon, orb.MultiPolygon:
		default:
			return &csvin.Error{File: name, Msg: fmt.Sprintf("feature %d", i), Found: fmt.Sprintf("geometry %T", f.Geometry), Want: "a Polygon or MultiPolygon"}
		}
		if code, _ := f.Properties["iso_3166_2"].(string); code == "" {
			return &csvin.Error{File: name, Msg: fmt.Sprintf("feature %d", i), Found: "no property iso_3166_2", Want: "the province's ISO 3166-2 code, e.g. \"iso_3166_2\": \"CN-GD\""}
		}
	}
	return nil
}

func shorten(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
