package planner

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/week"
)

// Scenario is a planning scenario: inputs, area, year and the settings of
// every step. Unknown keys in a scenario file are errors, so a misspelt
// setting never silently falls back to a default.
type Scenario struct {
	Name       string         `yaml:"name"`
	Inputs     ScenarioInputs `yaml:"inputs"`
	Regions    []string       `yaml:"regions"`
	Year       int            `yaml:"year"`
	Resolution int            `yaml:"resolution"`
	RadiusKm   float64        `yaml:"radius_km"`
	Detour     float64        `yaml:"detour"`
	Seed       int64          `yaml:"seed"`
	// Registrations projects new-vehicle registrations past the stock's
	// newest model year. The default is DefaultRegistrations, the projection
	// of the embedded stock; a scenario that names its own stock and says
	// nothing about registrations projects nothing.
	Registrations Registrations   `yaml:"registrations"`
	Siting        SitingScenario  `yaml:"siting"`
	Network       NetworkScenario `yaml:"network"`
	Routes        RoutesScenario  `yaml:"routes"`
	// Capacity configures the plant-capacity step (capacity.go).
	Capacity CapacityScenario `yaml:"capacity"`
}

// ScenarioInputs name input files; empty means the embedded default.
// Relative paths are relative to the scenario file.
type ScenarioInputs struct {
	Stock        string `yaml:"stock"`
	VehicleTypes string `yaml:"vehicle_types"`
	Places       string `yaml:"places"`
	Outlets      string `yaml:"outlets"`
	Plants       string `yaml:"plants"`
	Fleet        string `yaml:"fleet"`
	Provinces    string `yaml:"provinces"`
	Candidates   string `yaml:"candidates"`
	// Roads is a road distance/time CSV (from_id,to_id,km[,minutes]) for
	// the weekly routes, or an OpenStreetMap extract (.osm.pbf) on which
	// coverage, siting and the weekly routes measure road distances; empty
	// means great-circle x detour.
	Roads string `yaml:"roads"`
	// Costs holds the cost figures of network design
	// (item,value,unit,basis,source,note); empty means the embedded
	// costs.csv.
	Costs string `yaml:"costs"`
}

// SitingScenario configures the siting step.
type SitingScenario struct {
	Enabled        bool     `yaml:"enabled"`
	Objective      string   `yaml:"objective"`
	NewSites       int      `yaml:"new_sites"`
	Target         float64  `yaml:"target"`
	Capacitated    bool     `yaml:"capacitated"`
	SiteCapacityKg float64  `yaml:"site_capacity_kg"`
	SiteCost       float64  `yaml:"site_cost"`
	TonneKmCost    float64  `yaml:"tonne_km_cost"`
	MaxCandidates  int      `yaml:"max_candidates"`
	TimeLimit      Duration `yaml:"time_limit"`
	// SiteTypes and Upgrades are what the objectives capacitated and cover
	// choose from (site types at candidate places, upgrades of existing
	// outlets); site_capacity_kg and site_cost then do not apply.
	SiteTypes []SiteTypeScenario `yaml:"site_types"`
	Upgrades  []UpgradeScenario  `yaml:"upgrades"`
	// UncollectedCost is what a tonne left without an outlet costs a year
	// (CNY), for the objective capacitated with site types: a site opens
	// where it absorbs tonnes for less. 0 means the existing outlets' own
	// yearly cost per tonne they absorb.
	UncollectedCost float64 `yaml:"uncollected_cost"`
}

// RoutesScenario configures the weekly schedule.
type RoutesScenario struct {
	Enabled        bool     `yaml:"enabled"`
	Week           string   `yaml:"week"`
	Fill           float64  `yaml:"fill"`
	WorkDays       int      `yaml:"work_days"`
	VehicleDayCost float64  `yaml:"vehicle_day_cost"`
	TripsPerDay    int      `yaml:"trips_per_day"`
	ReloadMin      float64  `yaml:"reload_min"`
	TimeLimit      Duration `yaml:"time_limit"`
	// WarmStart names the folder of an earlier week's plan (routes.csv and
	// plan.json) to start from, relative to the scenario file; "" for none.
	WarmStart string `yaml:"warm_start"`
	// ConsistencyCost is week.OptConsistencyCost.
	ConsistencyCost float64 `yaml:"consistency_cost"`
}

// Duration is a time.Duration written as "30s" or "2m" in YAML.
type Duration struct{ time.Duration }

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: %q: want a duration such as 30s or 2m", n.Line, s)
	}
	d.Duration = v
	return nil
}

// MarshalYAML writes the duration as a string.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// DefaultScenario is what `rlplan plan` runs without a scenario file:
// Guangdong in 2030 on the embedded dataset, with its registrations
// projected past 2025 (DefaultRegistrations).
func DefaultScenario() Scenario {
	return Scenario{
		Name: "guangdong-2030", Regions: []string{"CN-GD"}, Year: 2030, Resolution: DefaultResolution,
		RadiusKm: 15, Detour: 1.3, Seed: 1, Registrations: DefaultRegistrations,
		Siting: SitingScenario{Enabled: true, Objective: ObjectiveCapacitated, NewSites: 25, Target: 0.95, SiteCapacityKg: 5000,
			SiteCost: 120000, TonneKmCost: 2, MaxCandidates: 3000, TimeLimit: Duration{15 * time.Second},
			SiteTypes: append([]SiteTypeScenario(nil), defaultSiteTypes...), Upgrades: append([]UpgradeScenario(nil), defaultUpgrades...)},
		Network: NetworkScenario{Hubs: true},
		// The embedded scenario gives the week 30 s (of OptTimeLimit's 60 s):
		// Guangdong's budgets end its search in a few seconds.
		Routes: RoutesScenario{Enabled: true, Week: "2030-W10", Fill: week.OptFill.Default, WorkDays: int(week.OptWorkDays.Default),
			VehicleDayCost: week.OptVehicleDayCost.Default, TripsPerDay: int(week.OptTripsPerDay.Default), ReloadMin: week.OptReloadMin.Default,
			TimeLimit: Duration{30 * time.Second}},
		Capacity: DefaultCapacity(),
	}
}

//go:embed scenario_example.yaml
var scenarioExample []byte

// ScenarioExample returns a commented example scenario file that parses to
// DefaultScenario.
func ScenarioExample() []byte { return bytes.Clone(scenarioExample) }

// MaxScenarioBytes bounds a scenario file; the commented example is 3 KiB.
const MaxScenarioBytes = 1 << 20

// ReadScenario parses a scenario file over the defaults. Keys it does not
// know are errors naming the line.
func ReadScenario(path string) (Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return Scenario{}, &ScenarioError{File: path, Err: err}
	}
	defer f.Close()
	s, err := ParseScenario(path, f)
	if err != nil {
		return s, err
	}
	// Input paths in a scenario file are relative to the file, so a
	// scenario folder can be moved or shared as a whole.
	dir := filepath.Dir(path)
	for _, p := range []*string{&s.Inputs.Stock, &s.Inputs.VehicleTypes, &s.Inputs.Places, &s.Inputs.Outlets,
		&s.Inputs.Plants, &s.Inputs.Fleet, &s.Inputs.Provinces, &s.Inputs.Candidates, &s.Inputs.Roads, &s.Inputs.Costs, &s.Routes.WarmStart} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	return s, nil
}

// ParseScenario reads a scenario from r; name is used in messages.
func ParseScenario(name string, r io.Reader) (Scenario, error) {
	s := DefaultScenario()
	data, err := io.ReadAll(io.LimitReader(r, MaxScenarioBytes+1))
	if err != nil {
		return s, &ScenarioError{File: name, Err: err}
	}
	if len(data) > MaxScenarioBytes {
		return s, &ScenarioError{File: name, Err: fmt.Errorf("larger than %d KiB: not a scenario file (the example is 3 KiB)", MaxScenarioBytes>>10)}
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:invalidUTF8At(data)], []byte("\n"))
		return s, &ScenarioError{File: name, Err: fmt.Errorf("line %d: not UTF-8 text; save the file as UTF-8 (GBK is not accepted)", line)}
	}
	named, err := checkNodes(data)
	if err != nil {
		return s, &ScenarioError{File: name, Err: err}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return s, &ScenarioError{File: name, Err: errors.New("the scenario file is empty; `rlplan scenario init FILE` writes an example")}
		}
		return s, &ScenarioError{File: name, Err: err}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line := extra.Line
		if len(extra.Content) > 0 {
			line = extra.Content[0].Line // where the document's content starts
		}
		return s, &ScenarioError{File: name, Err: fmt.Errorf("line %d: a second YAML document (after ---); a scenario file holds one", line)}
	}
	if len(s.Regions) == 0 {
		// The default lists a province, so only the file can empty it.
		return s, &ScenarioError{File: name, Err: errors.New("regions: an empty list; list provinces such as [CN-GD], or [CN] for the whole country")}
	}
	if !named || strings.TrimSpace(s.Name) == "" {
		// The default's name describes the default (Guangdong 2030): a
		// file without a name (or with an empty one) is named after what
		// it plans.
		s.Name = DerivedName(s.Regions, s.Year)
	}
	if s.Inputs.Stock != "" && !hasTopKey(data, "registrations") {
		// The default projection describes the embedded stock, not this one.
		s.Registrations = Registrations{}
	}
	if err := s.Validate(); err != nil {
		return s, &ScenarioError{File: name, Err: err}
	}
	return s, nil
}

// DerivedName names a scenario after its regions and year: "cn-gd-2030",
// "cn-2030" for the whole country.
func DerivedName(regions []string, year int) string {
	r := strings.ToLower(strings.Join(regions, "-"))
	if r == "" {
		r = "cn"
	}
	return fmt.Sprintf("%s-%d", r, year)
}

// hasTopKey reports whether a YAML document's top-level mapping has key.
func hasTopKey(data []byte, key string) bool {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return false
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// wholeKeys are the scenario keys that take whole numbers; YAML would
// silently cut 2030.9 to 2030.
var wholeKeys = map[string]bool{"year": true, "resolution": true, "seed": true, "new_sites": true, "max_candidates": true, "work_days": true, "until": true, "trips_per_day": true,
	"neighbours": true, "max_iterations": true}

// checkNodes checks what the decoder cannot see in the YAML tree: anchors,
// aliases and merge keys (which would carry values past the checks below),
// a fractional value for a whole-number key, and an empty regions list
// (which would silently mean the whole country). It reports whether the
// file sets a name.
func checkNodes(data []byte) (named bool, err error) {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil {
		return false, nil // the decoder reports syntax errors with their line
	}
	if err := checkNoReferences(&root); err != nil {
		return false, err
	}
	if err := checkListEntries(&root, ""); err != nil {
		return false, err
	}
	if len(root.Content) == 1 && root.Content[0].Kind == yaml.MappingNode {
		top := root.Content[0].Content
		for i := 0; i+1 < len(top); i += 2 {
			k, v := top[i], top[i+1]
			switch k.Value {
			case "name":
				named = true
			case "regions":
				if (v.Kind == yaml.SequenceNode && len(v.Content) == 0) || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
					return named, fmt.Errorf("line %d: regions: an empty list; list provinces such as [CN-GD], or [CN] for the whole country", v.Line)
				}
			}
		}
	}
	return named, checkWholeNumbers(&root)
}

// checkNoReferences rejects YAML anchors (&a), aliases (*a) and merge keys
// (<<): a value reached through one is never seen by the key-by-key checks
// (an alias to 2.5 under seed would be cut to 2; a merged regions: [] would
// mean the whole country). A scenario file is short: write values out.
func checkNoReferences(n *yaml.Node) error {
	switch {
	case n.Kind == yaml.AliasNode:
		return fmt.Errorf("line %d, column %d: alias *%s: YAML aliases are not accepted in a scenario file; write the value out", n.Line, n.Column, n.Value)
	case n.Anchor != "":
		return fmt.Errorf("line %d, column %d: anchor &%s: YAML anchors are not accepted in a scenario file; write the value out", n.Line, n.Column, n.Anchor)
	case n.Kind == yaml.ScalarNode && n.Tag == "!!merge":
		return fmt.Errorf("line %d, column %d: merge key <<: not accepted in a scenario file; write the keys out", n.Line, n.Column)
	}
	for _, c := range n.Content {
		if err := checkNoReferences(c); err != nil {
			return err
		}
	}
	return nil
}

// checkListEntries rejects an empty entry in a list (a bare "-" or "~"):
// the decoder would drop it or fill it with zeros, so "regions:\n-" would
// plan the whole country.
func checkListEntries(n *yaml.Node, key string) error {
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if c.Kind == yaml.ScalarNode && c.Tag == "!!null" {
				return fmt.Errorf("line %d, column %d: %s: an empty list entry (a bare - or ~); fill it in or remove it", c.Line, c.Column, key)
			}
			if err := checkListEntries(c, key); err != nil {
				return err
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if key != "" {
				k = key + "." + k
			}
			if err := checkListEntries(n.Content[i+1], k); err != nil {
				return err
			}
		}
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if err := checkListEntries(c, key); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkWholeNumbers rejects a fractional value for a whole-number key.
func checkWholeNumbers(root *yaml.Node) error {
	var walk func(n *yaml.Node, path string) error
	walk = func(n *yaml.Node, path string) error {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				if err := walk(c, path); err != nil {
					return err
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				p := k.Value
				if path != "" {
					p = path + "." + k.Value
				}
				if wholeKeys[k.Value] && v.Kind == yaml.ScalarNode && v.Tag == "!!float" {
					return fmt.Errorf("line %d: %s: %s: want a whole number", v.Line, p, v.Value)
				}
				if err := walk(v, p); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(root, "")
}

// ScenarioError is a problem in a scenario file.
type ScenarioError struct {
	File string
	Err  error
}

func (e *ScenarioError) Error() string {
	var pe *os.PathError
	if errors.As(e.Err, &pe) {
		return e.File + ": cannot open: " + pe.Err.Error()
	}
	msg := strings.TrimPrefix(e.Err.Error(), "yaml: ")
	msg = strings.ReplaceAll(msg, "unmarshal errors:\n  ", "")
	return e.File + ": " + msg
}

// Unwrap returns the underlying error.
func (e *ScenarioError) Unwrap() error { return e.Err }

// ExitCode marks scenario problems as input errors.
func (e *ScenarioError) ExitCode() int { return 3 }

// Validate checks ranges and combinations, naming the key at fault.
func (s *Scenario) Validate() error {
	if err := firstError(domain.OptYear.CheckInt(s.Year), domain.OptResolution.CheckInt(s.Resolution), domain.OptRadius.Check(s.RadiusKm),
		domain.OptDetour.Check(s.Detour)); err != nil {
		return err
	}
	switch {
	case s.Registrations.Until != 0 && (s.Registrations.Until < 2000 || s.Registrations.Until > 2100):
		return fmt.Errorf("registrations.until: %d: want the last model year to project, from 2000 to 2100, or 0 for none", s.Registrations.Until)
	case !(s.Registrations.GrowthPct > -100 && s.Registrations.GrowthPct <= 100):
		return fmt.Errorf("registrations.growth_pct: %g: want a yearly change in percent, greater than -100 and at most 100", s.Registrations.GrowthPct)
	}
	if err := firstError(OptMaxCandidates.CheckInt(s.Siting.MaxCandidates), OptNewSites.CheckInt(s.Siting.NewSites),
		OptSiteCapacity.Check(s.Siting.SiteCapacityKg), OptSiteCost.Check(s.Siting.SiteCost), OptTonneKmCost.Check(s.Siting.TonneKmCost),
		OptSitingTimeLimit.CheckDuration(s.Siting.TimeLimit.Duration)); err != nil {
		return err
	}
	if err := firstError(s.checkWeek(), s.Siting.checkCatalogue(), s.Network.checkLinehaul()); err != nil {
		return err
	}
	for _, r := range s.Regions {
		for _, c := range strings.Split(r, ",") {
			if c = strings.ToUpper(strings.TrimSpace(c)); c != "CN" && !(len(c) == 5 && strings.HasPrefix(c, "CN-")) {
				return fmt.Errorf("regions: %q: want ISO 3166-2 province codes such as CN-GD, or CN for the whole country", r)
			}
		}
	}
	switch s.Siting.Objective {
	case ObjectiveCoverage, ObjectiveMedian:
		if s.Siting.NewSites <= 0 && s.Siting.on() {
			return fmt.Errorf("siting.new_sites: %d: objective %s needs a number of new sites > 0", s.Siting.NewSites, s.Siting.Objective)
		}
	case ObjectiveCapacitated, ObjectiveCover:
	default:
		return fmt.Errorf("siting.objective: %q: want coverage, median, capacitated or cover", s.Siting.Objective)
	}
	if !(s.Siting.Target > 0 && s.Siting.Target <= 1) {
		return fmt.Errorf("siting.target: %g: want a share in (0, 1]", s.Siting.Target)
	}
	if s.Routes.Week != "" {
		if _, err := ParseISOWeek(s.Routes.Week); err != nil {
			return fmt.Errorf("routes.week: %v", err)
		}
	}
	return s.Capacity.check()
}

// checkWeek checks the routes.* settings through their Options (package
// week), as the routes command checks its flags: one range and one message
// each, naming the scenario key.
func (s *Scenario) checkWeek() error {
	r := s.Routes
	return firstError(week.OptFill.Check(r.Fill), week.OptWorkDays.CheckInt(r.WorkDays),
		week.OptVehicleDayCost.Check(r.VehicleDayCost), week.OptTripsPerDay.CheckInt(r.TripsPerDay), week.OptReloadMin.Check(r.ReloadMin),
		week.OptTimeLimit.CheckDuration(r.TimeLimit.Duration), week.OptConsistencyCost.Check(r.ConsistencyCost))
}

func firstError(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// WeekOptions are the weekly plan's settings of the scenario; roads is the
// road matrix of inputs.roads (nil for none).
func (s *Scenario) WeekOptions(detour geo.Detour, roads *RoadMatrix) ScheduleOptions {
	return ScheduleOptions{Roads: roads, Year: s.Year, Week: s.Routes.Week, RadiusKm: s.RadiusKm, Detour: detour, Resolution: s.Resolution,
		FillTarget: s.Routes.Fill, WorkDays: s.Routes.WorkDays, VehicleDayCost: s.Routes.VehicleDayCost,
		TripsPerDay: s.Routes.TripsPerDay, ReloadMin: s.Routes.ReloadMin, TimeLimit: s.Routes.TimeLimit.Duration, Seed: s.Seed,
		ConsistencyCost: s.Routes.ConsistencyCost}
}

func (s SitingScenario) on() bool { return s.Enabled }

// SitingOn reports whether the siting step runs.
func (s *Scenario) SitingOn() bool { return s.Siting.on() }

// CapacityOn reports whether the plant-capacity step runs.
func (s *Scenario) CapacityOn() bool { return s.Capacity.Enabled }

// RoutesOn reports whether the weekly schedule runs.
func (s *Scenario) RoutesOn() bool { return s.Routes.Enabled }

// Paths returns the input paths of the scenario.
func (s *Scenario) Paths() InputPaths {
	i := s.Inputs
	return InputPaths{Stock: i.Stock, VehicleTypes: i.VehicleTypes, Places: i.Places, Outlets: i.Outlets, Plants: i.Plants, Fleet: i.Fleet, Provinces: i.Provinces}
}
