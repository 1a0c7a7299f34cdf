package planner

import (
	"context"
	"testing"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/geo"
)

// BenchmarkDensityCoverageNational: the national density grid (resolution 7)
// and the coverage of the 10,000 embedded outlets, the planner's first two
// steps on the full default data (issue target: under 10 s on 2 cores).
//
//	go test -run '^$' -bench DensityCoverageNational -benchtime 3x ./planner
func BenchmarkDensityCoverageNational(b *testing.B) {
	in := loadDefault(b)
	d, _ := geo.NewDetour(1.3)
	var cells int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := Density(context.Background(), in, 2030, DefaultResolution, Regions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := AnalyzeCoverage(c, in.Outlets, 20, d, 10, nil); err != nil {
			b.Fatal(err)
		}
		cells = len(c)
	}
	b.ReportMetric(float64(cells), "cells")
}

// BenchmarkPlanGuangdong: the default scenario end to end (forecast, density,
// coverage, siting, weekly routes, layers and map), what `rlplan plan` runs.
func BenchmarkPlanGuangdong(b *testing.B) {
	l := &Loader{Defaults: datasets.FS}
	for i := 0; i < b.N; i++ {
		p, err := RunPlan(context.Background(), DefaultScenario(), l, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.Files(); err != nil {
			b.Fatal(err)
		}
	}
}
