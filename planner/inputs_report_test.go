package planner

import (
	"strings"
	"testing"
)

func TestInputsSectionNamesSyntheticInputs(t *testing.T) {
	srcs := []InputSource{
		{Name: "stock.csv", Status: "derived", Note: "official figures"},
		{Name: "outlets.csv", Status: "synthetic", Note: "stand-in sites"},
		{Name: "fleet.csv", Path: "my/fleet.csv"},
		{Name: "plants.csv", Status: "mixed"},
		{Name: "provinces.geojson", Status: "synthetic"},
	}
	got := inputsSection(srcs)
	for _, want := range []string{
		"## Inputs",
		"**Synthetic inputs: outlets.csv, provinces.geojson**",
		"| stock.csv | embedded default | derived: official figures |",
		"| fleet.csv | `my/fleet.csv` | your file |",
		"| plants.csv | embedded default | mixed |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("inputs section lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "fleet.csv,") {
		t.Error("a file the user replaced is listed as synthetic")
	}
	if n := dataNote(srcs); !strings.HasSuffix(n, "Synthetic inputs: outlets.csv, provinces.geojson (see datasets/README.md).") {
		t.Errorf("map note %q", n)
	}
	// All inputs the user's: nothing synthetic is named.
	own := []InputSource{{Name: "outlets.csv", Path: "o.csv"}}
	if strings.Contains(inputsSection(own), "Synthetic") || strings.Contains(dataNote(own), "Synthetic") {
		t.Error("user inputs reported as synthetic")
	}
	if inputsSection(nil) != "" {
		t.Error("a plan without sources gets an inputs section")
	}
}

func TestIntakeNotesNameTheBasisOfFullPlants(t *testing.T) {
	plants := []Plant{
		{ID: "P1", Name: "cited plant", CapacityTPerYear: 52000, CapacityBasis: "cited", Source: "https://example.org/p1"},
		{ID: "P2", Name: "assumed plant", CapacityTPerYear: 5200, CapacityBasis: "assumed", Source: "assumed: spread"},
		{ID: "P3", Name: "bare plant"},
	}
	kpis := []PlantKPI{
		{ID: "P1", IntakeT: 1000, PlannedT: 1000, IntakeShare: 1},
		{ID: "P2", IntakeT: 100, PlannedT: 50, IntakeShare: 0.5},
		{ID: "P3", IntakeT: 10, PlannedT: 9.95, IntakeShare: 0.995},
	}
	got := intakeNotes(kpis, plants)
	for _, want := range []string{
		"- P1 cited plant used its weekly intake (1000.0 t): capacity 52000 t/yr, cited: https://example.org/p1",
		"- P3 bare plant used its weekly intake (10.0 t): no capacity stated in the plants file",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("intake notes lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "P2") {
		t.Errorf("a plant at half its intake is listed:\n%s", got)
	}
	if intakeNotes(kpis[1:2], plants) != "" {
		t.Error("notes without a full plant")
	}
}
