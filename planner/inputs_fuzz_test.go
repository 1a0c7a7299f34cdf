package planner

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/internal/csvin"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/domain/domaintest"
)

// FuzzInputsFinite checks the class "an extreme but parseable number
// spoils the arithmetic" (vehicles 1e30, pack_kg 1e308, capacity 1e-300,
// payload 1e19): any text in the numeric fields of the inputs is either
// refused with the file, line and column, or loads into values whose
// forecast, density grid (at any resolution) and coverage are finite, with
// the grid's mass equal to the forecast's.
//
//	go test -run '^$' -fuzz FuzzInputsFinite -fuzztime 30s ./planner
func FuzzInputsFinite(f *testing.F) {
	f.Add("1000", "400", "3.5", "9", "1000000", "5000", "8000", "50", uint8(7))
	f.Add("1e30", "400", "3.5", "9", "1000000", "5000", "8000", "50", uint8(0))
	f.Add("1000", "1e308", "3.5", "9", "1000000", "5000", "8000", "50", uint8(3))
	f.Add("1000", "400", "1e-300", "1e300", "0", "1e-300", "1e19", "1e-300", uint8(1))
	f.Add("100000000", "49000", "20", "0.5", "1500000000", "100", "49000", "120", uint8(2))
	f.Add("50,000", "4.0e+02", "0x1p4", "NaN", "-0", "+Inf", "1_000", "9e-324", uint8(15))
	f.Fuzz(func(t *testing.T, vehicles, packKg, shape, scale, pop, capKg, payload, speed string, res uint8) {
		for _, s := range []string{vehicles, packKg, shape, scale, pop, capKg, payload, speed} {
			if strings.ContainsAny(s, ",\"\r\n") {
				return // one field each; the CSV syntax is FuzzReader's
			}
		}
		fsys := domaintest.SmallFS()
		fsys[domain.DefaultVehicleTypes] = &fstest.MapFile{Data: []byte("vehicle_type,pack_kg,weibull_shape,weibull_scale_years\nbev," + packKg + "," + shape + "," + scale + "\n")}
		fsys[domain.DefaultStock] = &fstest.MapFile{Data: []byte("region_id,name,province,lat,lon,model_year,vehicle_type,vehicles\n" +
			"R1,Guangzhou,CN-GD,23.13,113.26,2020,bev," + vehicles + "\nR2,Shenzhen,CN-GD,22.54,114.05,2021,bev,800\n")}
		fsys[domain.DefaultPlaces] = &fstest.MapFile{Data: []byte("place_id,name,province,lat,lon,population,region_id\n" +
			"T1,Guangzhou,CN-GD,23.13,113.26," + pop + ",R1\nT2,Shenzhen,CN-GD,22.54,114.05,900000,R2\n")}
		fsys[domain.DefaultOutlets] = &fstest.MapFile{Data: []byte("id,name,lat,lon,province,type,capacity_kg\n" +
			"O1,a,23.1,113.2,CN-GD,collection," + capKg + "\nO2,b,22.5,114.0,CN-GD,central,30000\n")}
		fsys[domain.DefaultFleet] = &fstest.MapFile{Data: []byte("plant_id,vehicle_type,count,capacity_kg,capacity_packs,speed_kmh,shift_hours,cost_per_km,co2_g_per_km\n" +
			"P1,truck,2," + payload + ",20," + speed + ",10,7.5,800\n")}
		in, err := (&Loader{Defaults: fsys}).Load(InputPaths{})
		if err != nil {
			var ce *csvin.Error
			if !errors.As(err, &ce) || ce.Line < 2 || ce.Column < 1 {
				t.Fatalf("refusal %v: want a *csvin.Error with the line and column of the value", err)
			}
			return
		}
		for _, fr := range in.Fleet {
			if !(fr.CapacityKg > 0 && fr.CapacityKg <= domain.MaxPayloadKg && fr.SpeedKmh >= domain.MinSpeedKmh && fr.SpeedKmh <= domain.MaxSpeedKmh) {
				t.Fatalf("fleet row loaded out of bounds: %+v", fr)
			}
			if kg := math.Ceil(fr.CapacityKg); kg > math.MaxInt32 {
				t.Fatalf("payload %g kg does not fit the solver's integers", fr.CapacityKg)
			}
		}
		for _, o := range in.Outlets {
			if !(o.CapacityKg >= domain.MinOutletCapacityKg && o.CapacityKg <= domain.MaxOutletCapacityKg) {
				t.Fatalf("outlet loaded out of bounds: %+v", o)
			}
		}
		rows, err := Forecast(in, 2030, 2030, nil)
		if err != nil {
			t.Fatal(err)
		}
		var wantT, wantP float64
		for _, r := range rows {
			wantT += r.Tonnes
			wantP += r.Packs
		}
		if !finite(wantT) || !finite(wantP) {
			t.Fatalf("forecast %g t %g packs from loaded inputs", wantT, wantP)
		}
		cells, err := Density(context.Background(), in, 2030, int(res%11), Regions{})
		if err != nil {
			var tl *TooLargeError
			if errors.As(err, &tl) {
				return
			}
			t.Fatalf("density: %v", err)
		}
		var gotT, gotP float64
		for _, c := range cells {
			if !finite(c.Tonnes) || !finite(c.Packs) || c.Tonnes < 0 {
				t.Fatalf("res %d: cell %s has %g t %g packs", res%11, c.Cell, c.Tonnes, c.Packs)
			}
			gotT += c.Tonnes
			gotP += c.Packs
		}
		if math.Abs(gotT-wantT) > 1e-9*math.Max(1, wantT) || math.Abs(gotP-wantP) > 1e-9*math.Max(1, wantP) {
			t.Fatalf("res %d: cells hold %g t %g packs, the forecast %g t %g packs", res%11, gotT, gotP, wantT, wantP)
		}
		cov, err := AnalyzeCoverage(cells, in.Outlets, 15, defaultDetour(), 5, nil)
		if err != nil {
			t.Fatal(err)
		}
		k := cov.National
		for _, v := range []float64{k.Tonnes, k.CoveredTonnesShare, k.MeanKm, k.P95Km, k.MaxKm} {
			if !finite(v) {
				t.Fatalf("res %d: coverage KPI %+v is not finite", res%11, k)
			}
		}
	})
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// TestDensityEveryResolution: the grid conserves the forecast's mass and
// holds only finite tonnes at every resolution, down to resolution 0 where
// a cell is wider than a province (its weights once underflowed to 0/0).
func TestDensityEveryResolution(t *testing.T) {
	in := loadDefault(t)
	for _, c := range []struct {
		regions []string
		maxRes  int
	}{{[]string{"CN-GD"}, 9}, {nil, 4}} {
		reg, err := ParseRegions(in, c.regions)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := Forecast(in, 2030, 2030, reg.Keep)
		if err != nil {
			t.Fatal(err)
		}
		var want float64
		for _, r := range rows {
			want += r.Tonnes
		}
		for res := 0; res <= c.maxRes; res++ {
			t.Run(fmt.Sprintf("%s/res%d", reg, res), func(t *testing.T) {
				cells, err := Density(context.Background(), in, 2030, res, reg)
				if err != nil {
					t.Fatal(err)
				}
				var got float64
				for _, cell := range cells {
					if !finite(cell.Tonnes) || !finite(cell.Packs) {
						t.Fatalf("cell %s: %g t, %g packs", cell.Cell, cell.Tonnes, cell.Packs)
					}
					got += cell.Tonnes
				}
				if math.Abs(got-want) > 1e-9*want {
					t.Errorf("cells hold %.6f t, the forecast %.6f t", got, want)
				}
			})
		}
	}
}

func defaultDetour() geo.Detour {
	d, _ := geo.NewDetour(1.3)
	return d
}
