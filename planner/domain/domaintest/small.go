// Package domaintest holds small input fixtures for the planner's tests.
package domaintest

import (
	"io/fs"
	"testing/fstest"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/planner/domain"
)

// SmallFS is a consistent miniature dataset of Guangdong (two cities, two
// outlets, one plant with one fleet row) under the default input names, for
// tests of every planner stage. Its cost figures (costs.csv, read by the
// plant-capacity step) are the embedded dataset's: they price, they do not
// describe the area.
func SmallFS() fstest.MapFS {
	return fstest.MapFS{
		domain.DefaultVehicleTypes: {Data: []byte("vehicle_type,pack_kg,weibull_shape,weibull_scale_years\nbev,400,3.5,9\n")},
		domain.DefaultStock: {Data: []byte("region_id,name,province,lat,lon,model_year,vehicle_type,vehicles\n" +
			"R1,Guangzhou,CN-GD,23.13,113.26,2020,bev,1000\nR2,Shenzhen,CN-GD,22.54,114.05,2021,bev,800\n")},
		domain.DefaultPlaces:  {Data: []byte("place_id,name,province,lat,lon,population,region_id\nT1,Guangzhou,CN-GD,23.13,113.26,1000000,R1\nT2,Shenzhen,CN-GD,22.54,114.05,900000,R2\n")},
		domain.DefaultOutlets: {Data: []byte("id,name,lat,lon,province,type,capacity_kg\nO1,a,23.1,113.2,CN-GD,collection,5000\nO2,b,22.5,114.0,CN-GD,central,30000\n")},
		domain.DefaultPlants:  {Data: []byte("id,name,lat,lon,province,intake_kg_per_week\nP1,plant,23.0,113.5,CN-GD,100000\n")},
		domain.DefaultFleet: {Data: []byte("plant_id,vehicle_type,count,capacity_kg,capacity_packs,speed_kmh,shift_hours,cost_per_km,co2_g_per_km\n" +
			"P1,truck,2,8000,20,50,10,7.5,800\n")},
		domain.DefaultProvinces: {Data: []byte(`{"type":"FeatureCollection","features":[]}`)},
		domain.DefaultCosts:     {Data: embeddedCosts()},
	}
}

func embeddedCosts() []byte {
	b, err := fs.ReadFile(datasets.FS, domain.DefaultCosts)
	if err != nil {
		panic("domaintest: the embedded dataset has no " + domain.DefaultCosts + ": " + err.Error())
	}
	return b
}
