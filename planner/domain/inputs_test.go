package domain_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rlplan/rlplan/internal/csvin"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/domain/domaintest"
)

func TestLoadSmall(t *testing.T) {
	l := &domain.Loader{Defaults: domaintest.SmallFS()}
	in, err := l.Load(domain.InputPaths{})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Stock) != 2 || len(in.Outlets) != 2 || len(in.Fleet) != 1 || in.VehicleTypes["bev"].PackKg != 400 {
		t.Fatalf("loaded %+v", in)
	}
	if in.Outlets[1].Point[0] != 114.0 || in.Outlets[1].Point[1] != 22.5 {
		t.Errorf("outlet point %v, want lon 114 lat 22.5", in.Outlets[1].Point)
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name, file, data string
		want             []string
	}{
		{"duplicate outlet", domain.DefaultOutlets, "id,name,lat,lon,province,type,capacity_kg\nO1,a,23.1,113.2,CN-GD,collection,5000\nO1,b,22.5,114.0,CN-GD,central,30000\n",
			[]string{"outlets.csv (embedded):3:1", `duplicate id "O1"`, "line 2"}},
		{"unknown plant", domain.DefaultFleet, "plant_id,vehicle_type,count,capacity_kg,capacity_packs,speed_kmh,shift_hours,cost_per_km,co2_g_per_km\nP9,truck,2,8000,20,50,10,7.5,800\n",
			[]string{"fleet.csv (embedded):2:1", `found "P9"`, "plant"}},
		{"zero capacity", domain.DefaultFleet, "plant_id,vehicle_type,count,capacity_kg,capacity_packs,speed_kmh,shift_hours,cost_per_km,co2_g_per_km\nP1,truck,2,0,20,50,10,7.5,800\n",
			[]string{`column "capacity_kg"`, "> 0"}},
		{"oversized collection outlet", domain.DefaultOutlets, "id,name,lat,lon,province,type,capacity_kg\nO1,a,23.1,113.2,CN-GD,collection,9000\n",
			[]string{"at most 5000 kg"}},
		{"bad type", domain.DefaultOutlets, "id,name,lat,lon,province,type,capacity_kg\nO1,a,23.1,113.2,CN-GD,depot,9000\n",
			[]string{`found "depot"`, "collection, central"}},
		{"bad province", domain.DefaultPlants, "id,name,lat,lon,province,intake_kg_per_week\nP1,plant,23.0,113.5,Guangdong,100000\n",
			[]string{"ISO 3166-2"}},
		{"unknown vehicle type", domain.DefaultStock, "region_id,name,province,lat,lon,model_year,vehicle_type,vehicles\nR1,G,CN-GD,23.13,113.26,2020,fcev,1000\n",
			[]string{"stock.csv (embedded):2:", `found "fcev"`, "bev"}},
		{"unknown region", domain.DefaultPlaces, "place_id,name,province,lat,lon,population,region_id\nT1,G,CN-GD,23.13,113.26,1000000,R7\n",
			[]string{"places.csv (embedded):2:", `found "R7"`}},
		{"swapped coordinates", domain.DefaultPlants, "id,name,lat,lon,province,intake_kg_per_week\nP1,plant,113.5,23.0,CN-GD,100000\n",
			[]string{"look swapped"}},
		{"header only", domain.DefaultPlants, "id,name,lat,lon,province,intake_kg_per_week\n", []string{"no rows"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := domaintest.SmallFS()
			fs[c.file] = &fstest.MapFile{Data: []byte(c.data)}
			_, err := (&domain.Loader{Defaults: fs}).Load(domain.InputPaths{})
			var ce *csvin.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T), want a *csvin.Error", err, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadMissingUserFile(t *testing.T) {
	_, err := (&domain.Loader{Defaults: domaintest.SmallFS()}).Load(domain.InputPaths{Outlets: "/nonexistent/outlets.csv"})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/outlets.csv") || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("error %v, want one naming the missing file", err)
	}
}
