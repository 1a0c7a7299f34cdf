package domain_test

import (
	"testing"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/planner/domain"
)

// TestShippedDataPlacement: the shipped boundaries and points agree within
// the tolerances, so a default run prints no placement warning. (GeoNames
// labels Nierong, Nagqu, Xizang, with Hebei's admin1 code; the generator
// relabels such places from the boundaries, datasets/internal/gen/placeprov.go.)
func TestShippedDataPlacement(t *testing.T) {
	in, err := (&domain.Loader{Defaults: datasets.FS}).Load(domain.InputPaths{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range in.Findings {
		t.Errorf("unexpected finding on the shipped data: %s", f.Msg)
	}
}
