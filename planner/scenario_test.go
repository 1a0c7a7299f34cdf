package planner

import (
	"reflect"
	"strings"
	"testing"
)

func TestScenarioExampleIsDefault(t *testing.T) {
	s, err := ParseScenario("example.yaml", strings.NewReader(string(ScenarioExample())))
	if err != nil {
		t.Fatal(err)
	}
	if d := DefaultScenario(); !reflect.DeepEqual(s, d) {
		t.Errorf("example parses to\n%+v\nwant the default\n%+v", s, d)
	}
}

func TestScenarioErrors(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"unknown key", "year: 2030\nradius: 10\n", "line 2: field radius not found"},
		{"nested unknown", "siting:\n  objectve: median\n", "line 2: field objectve not found"},
		{"bad type", "year: soon\n", "line 1"},
		{"bad duration", "routes:\n  time_limit: forever\n", "want a duration"},
		{"bad objective", "siting:\n  objective: best\n", "siting.objective"},
		{"bad week", "routes:\n  week: 2030-W60\n", "routes.week"},
		{"zero radius", "radius_km: 0\n", "radius_km"},
		{"empty", "", "empty"},
		{"fractional until", "registrations:\n  until: 2030.5\n", "line 2: registrations.until: 2030.5: want a whole number"},
		{"until out of range", "registrations:\n  until: 1999\n", "registrations.until: 1999"},
		{"growth -100", "registrations:\n  until: 2030\n  growth_pct: -100\n", "registrations.growth_pct: -100"},
		{"fractional trips", "routes:\n  trips_per_day: 2.5\n", "line 2: routes.trips_per_day: 2.5: want a whole number"},
		{"no trips", "routes:\n  trips_per_day: 0\n", "routes.trips_per_day: 0: want trips per truck per day from 1 to 10"},
		{"negative reload", "routes:\n  reload_min: -1\n", "routes.reload_min: -1: want minutes between trips from 0 to 600"},
		{"registrations typo", "registrations:\n  untill: 2030\n", "line 2: field untill not found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseScenario("s.yaml", strings.NewReader(c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "s.yaml") {
				t.Fatalf("error %v, want one starting with s.yaml and containing %q", err, c.want)
			}
		})
	}
}

func TestScenarioStepsSwitchIndependently(t *testing.T) {
	s, err := ParseScenario("s.yaml", strings.NewReader("siting:\n  enabled: false\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.SitingOn() || !s.RoutesOn() {
		t.Errorf("siting.enabled: false gives siting %v, routes %v; want false, true", s.SitingOn(), s.RoutesOn())
	}
	if d := DefaultScenario(); !d.SitingOn() || !d.RoutesOn() {
		t.Error("a later default scenario was changed by an earlier parse")
	}
}
