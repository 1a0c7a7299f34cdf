package planner

import (
	"strings"
	"testing"
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
	})
}
