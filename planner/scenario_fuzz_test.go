package planner

import (
	"strings"
	"testing"

	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/week"
)

// FuzzScenario: any bytes give a scenario or an error naming the file,
// never a panic; what parses also validates.
//
//	go test -run '^$' -fuzz FuzzScenario -fuzztime 30s ./planner
func FuzzScenario(f *testing.F) {
	f.Add(ScenarioExample())
	f.Add([]byte("year: 2030\nregions: [CN-GD]\n"))
	f.Add([]byte("siting:\n  objective: cover\n  target: 0.9\n"))
	f.Add([]byte("routes: {week: 2030-W01, time_limit: 5s}\n"))
	f.Add([]byte("regions: []\nresolution: 0\n"))
	f.Add([]byte("regions:\nradius_km: 1e308\nrouters:\n  fill: 1e-300\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseScenario("f.yaml", strings.NewReader(string(data)))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("parsed scenario fails validation: %v", err)
		}
		// The bounds hold: nothing a scenario accepts can overflow, hang
		// or plan a silent default (an empty regions list, no name).
		if len(s.Regions) == 0 || s.Name == "" {
			t.Fatalf("parsed scenario has regions %q and name %q", s.Regions, s.Name)
		}
		if !domain.OptRadius.In(s.RadiusKm) || !week.OptFill.In(s.Routes.Fill) || !OptSitingTimeLimit.In(s.Siting.TimeLimit.Seconds()) ||
			!week.OptTimeLimit.In(s.Routes.TimeLimit.Seconds()) || !OptMaxCandidates.In(float64(s.Siting.MaxCandidates)) ||
			!OptNewSites.In(float64(s.Siting.NewSites)) || !OptSiteCost.In(s.Siting.SiteCost) || !OptSiteCapacity.In(s.Siting.SiteCapacityKg) {
			t.Fatalf("parsed scenario outside its bounds: %+v", s)
		}
	})
}
