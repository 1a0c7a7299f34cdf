package main

import (
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
)

// TestForecastBackcast runs `rlplan forecast` on the embedded dataset, as a
// planner checking it against the published record would: the national
// retirements of 2022-2025 are at least what was recycled or utilised each
// year (MIIT 102 kt 2022, 225 kt 2023, > 400 kt 2025; SAMR > 300 kt 2024),
// 2023 lies within 400-620 kt (CABRCA 449 kt, China SAE > 580 kt), 2025
// within 550-1,000 kt (CEESA expects 820 kt), and 2030 reaches MIIT's
// "more than 1 Mt a year" on the recorded stock alone and with the default
// projection of registrations. datasets/README.md explains each figure.
func TestForecastBackcast(t *testing.T) {
	tonnes := func(args ...string) map[int]float64 {
		t.Helper()
		code, stdout, stderr := runInProcess(context.Background(), append([]string{"forecast", "--format", "csv"}, args...)...)
		if code != 0 {
			t.Fatalf("rlplan forecast %v: exit %d: %s", args, code, stderr)
		}
		recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		out := map[int]float64{}
		for _, r := range recs[1:] { // key,name,year,packs,tonnes
			y, _ := strconv.Atoi(r[2])
			out[y], _ = strconv.ParseFloat(r[4], 64)
		}
		return out
	}
	got := tonnes("--from", "2022", "--to", "2025")
	for y, floor := range map[int]float64{2022: 102e3, 2023: 225e3, 2024: 300e3, 2025: 400e3} {
		if got[y] < floor {
			t.Errorf("%d: %.0f t retire, fewer than the %.0f t published as recycled or utilised", y, got[y], floor)
		}
	}
	if got[2023] < 400e3 || got[2023] > 620e3 {
		t.Errorf("2023: %.0f t, want 400-620 kt", got[2023])
	}
	if got[2025] < 550e3 || got[2025] > 1000e3 {
		t.Errorf("2025: %.0f t, want 550-1,000 kt", got[2025])
	}
	stock := tonnes("--from", "2030", "--to", "2030", "--registrations-until", "0")[2030]
	projected := tonnes("--from", "2030", "--to", "2030")[2030]
	if stock < 1e6 || projected <= stock {
		t.Errorf("2030: %.0f t from the recorded stock, %.0f t with the default projection; want >= 1 Mt and more with the projection", stock, projected)
	}
}
