package domain_test

import (
	"errors"
	"io"
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
		{"vehicle life without scale", domain.DefaultVehicleTypes, "vehicle_type,pack_kg,weibull_shape,weibull_scale_years,use,vehicle_life_shape,vehicle_life_scale_years,replacement_share\nbev,400,3.5,9,private,3.5,,\n",
			[]string{"vehicle_types.csv (embedded):2:", `column "vehicle_life_scale_years"`, "since vehicle_life_shape is given"}},
		{"vehicle life without shape", domain.DefaultVehicleTypes, "vehicle_type,pack_kg,weibull_shape,weibull_scale_years,use,vehicle_life_shape,vehicle_life_scale_years,replacement_share\nbev,400,3.5,9,private,,15,\n",
			[]string{`column "vehicle_life_shape"`, "since vehicle_life_scale_years is given"}},
		{"replacement above one", domain.DefaultVehicleTypes, "vehicle_type,pack_kg,weibull_shape,weibull_scale_years,use,vehicle_life_shape,vehicle_life_scale_years,replacement_share\nbev,400,3.5,9,private,3.5,15,1.5\n",
			[]string{`column "replacement_share"`, `found "1.5"`, "from 0 to 1"}},
		{"replacement without vehicle life", domain.DefaultVehicleTypes, "vehicle_type,pack_kg,weibull_shape,weibull_scale_years,use,vehicle_life_shape,vehicle_life_scale_years,replacement_share\nbev,400,3.5,9,private,,,0.5\n",
			[]string{`column "replacement_share"`, "replaced only when it wears out before its vehicle is scrapped"}},
		{"negative replacement", domain.DefaultVehicleTypes, "vehicle_type,pack_kg,weibull_shape,weibull_scale_years,use,vehicle_life_shape,vehicle_life_scale_years,replacement_share\nbev,400,3.5,9,private,3.5,15,-0.1\n",
			[]string{`column "replacement_share"`, ">= 0"}},
		{"unknown use", domain.DefaultVehicleTypes, "vehicle_type,pack_kg,weibull_shape,weibull_scale_years,use,vehicle_life_shape,vehicle_life_scale_years,replacement_share\nbev,400,3.5,9,taxi,,,\n",
			[]string{`column "use"`, `found "taxi"`, "private, operating"}},
		{"zero vehicle scale", domain.DefaultVehicleTypes, "vehicle_type,pack_kg,weibull_shape,weibull_scale_years,use,vehicle_life_shape,vehicle_life_scale_years,replacement_share\nbev,400,3.5,9,private,3.5,0,\n",
			[]string{`column "vehicle_life_scale_years"`, "> 0"}},
		{"plant basis without capacity", domain.DefaultPlants, "id,name,lat,lon,province,intake_kg_per_week,capacity_t_per_year,capacity_basis,source\nP1,plant,23.0,113.5,CN-GD,100000,,cited,x\n",
			[]string{`column "capacity_basis"`, "unless capacity_t_per_year is given"}},
		{"plant basis unknown", domain.DefaultPlants, "id,name,lat,lon,province,intake_kg_per_week,capacity_t_per_year,capacity_basis\nP1,plant,23.0,113.5,CN-GD,100000,5000,guessed\n",
			[]string{`column "capacity_basis"`, `found "guessed"`, "cited, assumed"}},
		{"plant capacity zero", domain.DefaultPlants, "id,name,lat,lon,province,intake_kg_per_week,capacity_t_per_year\nP1,plant,23.0,113.5,CN-GD,100000,0\n",
			[]string{`column "capacity_t_per_year"`, "> 0"}},
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

// The optional columns of vehicle types and plants load into the lifetime
// and the plant's capacity; left out, they leave the single-life model.
func TestLoadLifetimeAndCapacity(t *testing.T) {
	fs := domaintest.SmallFS()
	fs[domain.DefaultVehicleTypes] = &fstest.MapFile{Data: []byte("vehicle_type,pack_kg,weibull_shape,weibull_scale_years,use,vehicle_life_shape,vehicle_life_scale_years,replacement_share\n" +
		"bev,400,3.5,9,private,3.5,16,1\ntaxi,400,3.5,5,operating,3.5,9,\n")}
	fs[domain.DefaultStock] = &fstest.MapFile{Data: []byte("region_id,name,province,lat,lon,model_year,vehicle_type,vehicles\nR1,Guangzhou,CN-GD,23.13,113.26,2020,bev,1000\nR2,Shenzhen,CN-GD,22.54,114.05,2021,taxi,800\n")}
	fs[domain.DefaultPlants] = &fstest.MapFile{Data: []byte("id,name,lat,lon,province,intake_kg_per_week,capacity_t_per_year,capacity_basis,source\nP1,plant,23.0,113.5,CN-GD,100000,5200,assumed,\"spec minimum, 5,000 t/yr\"\n")}
	in, err := (&domain.Loader{Defaults: fs}).Load(domain.InputPaths{})
	if err != nil {
		t.Fatal(err)
	}
	bev, taxi := in.VehicleTypes["bev"], in.VehicleTypes["taxi"]
	want := domain.Lifetime{Pack: domain.Weibull{Shape: 3.5, Scale: 9}, Vehicle: domain.Weibull{Shape: 3.5, Scale: 16}, Replacement: 1}
	if bev.Life != want || bev.Use != domain.UsePrivate {
		t.Errorf("bev: %+v %q, want %+v private", bev.Life, bev.Use, want)
	}
	if taxi.Life.Replacement != 0 || taxi.Life.Vehicle.Scale != 9 || taxi.Use != domain.UseOperating {
		t.Errorf("taxi: %+v %q, want vehicle scale 9, no replacement, operating", taxi.Life, taxi.Use)
	}
	p := in.Plants[0]
	if p.CapacityTPerYear != 5200 || p.CapacityBasis != domain.CapacityAssumed || p.Source != "spec minimum, 5,000 t/yr" {
		t.Errorf("plant %+v, want capacity 5200 assumed with its source", p)
	}
	// The small fixture has none of these columns: single-life model.
	in, err = (&domain.Loader{Defaults: domaintest.SmallFS()}).Load(domain.InputPaths{})
	if err != nil {
		t.Fatal(err)
	}
	if l := in.VehicleTypes["bev"].Life; l.HasVehicle() || l.Replacement != 0 || in.Plants[0].CapacityBasis != "" {
		t.Errorf("without the optional columns: %+v, plant %+v", l, in.Plants[0])
	}
}

func TestLoadMissingUserFile(t *testing.T) {
	_, err := (&domain.Loader{Defaults: domaintest.SmallFS()}).Load(domain.InputPaths{Outlets: "/nonexistent/outlets.csv"})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/outlets.csv") || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("error %v, want one naming the missing file", err)
	}
}

// The default dataset's provenance file marks its files; a file the user
// replaces is reported as theirs, whatever the default one was.
func TestLoadInputSources(t *testing.T) {
	fs := domaintest.SmallFS()
	fs[domain.DefaultProvenance] = &fstest.MapFile{Data: []byte("file,status,note\noutlets.csv,synthetic,stand-in sites\nfleet.csv,synthetic,\nstock.csv,derived,official figures\n")}
	l := &domain.Loader{Defaults: fs, Open: func(path string) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(string(fs[domain.DefaultFleet].Data))), nil
	}}
	in, err := l.Load(domain.InputPaths{Fleet: "my_fleet.csv"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]domain.InputSource{}
	for _, s := range in.Sources {
		got[s.Name] = s
	}
	if len(in.Sources) != 7 {
		t.Errorf("%d sources, want one per input (7)", len(in.Sources))
	}
	if s := got["outlets.csv"]; !s.Default() || s.Status != domain.StatusSynthetic || s.Note != "stand-in sites" {
		t.Errorf("outlets: %+v, want the synthetic default", s)
	}
	if s := got["fleet.csv"]; s.Default() || s.Path != "my_fleet.csv" || s.Status != "" {
		t.Errorf("fleet: %+v, want the user's file without a status", s)
	}
	if s := got["places.csv"]; !s.Default() || s.Status != "" {
		t.Errorf("places: %+v, want a default without a provenance row", s)
	}
	if syn := domain.Synthetic(in.Sources); len(syn) != 1 || syn[0] != "outlets.csv" {
		t.Errorf("Synthetic = %v, want [outlets.csv] (the user replaced the fleet)", syn)
	}
	fs[domain.DefaultProvenance] = &fstest.MapFile{Data: []byte("file,status\noutlets.csv,invented\n")}
	_, err = (&domain.Loader{Defaults: fs}).Load(domain.InputPaths{})
	if err == nil || !strings.Contains(err.Error(), "provenance.csv (embedded):2:") || !strings.Contains(err.Error(), `found "invented"`) {
		t.Errorf("bad status: %v, want an error naming provenance.csv line 2", err)
	}
}
