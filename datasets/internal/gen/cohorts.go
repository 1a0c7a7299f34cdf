package main

import (
	"fmt"
	"math"
)

// Vehicle types, in the (sorted) order of vehicle_types.csv.
const (
	tBus           = iota // battery-electric city buses
	tBusPHEV              // plug-in hybrid buses (the commercial PHEVs of 2011-2016)
	tCommercial           // logistics vans, light trucks, sanitation and other special vehicles
	tPassengerBEV         // private battery-electric cars
	tOperatingBEV         // battery-electric taxis and ride-hailing cars
	tPassengerPHEV        // plug-in hybrid cars
	nTypes
)

// vtype is one vehicle class: pack mass and the two lives of its packs.
type vtype struct {
	name, use, chemistry string
	packKg               float64
	packMean, vehMean    float64 // years; packMean before the calibrated factor
	repl                 float64
	source               string
}

// life returns the class's lifetime with the pack means scaled by f.
func (t vtype) life(shape, f float64) life {
	return life{shape: shape, packScale: meanToScale(t.packMean*f, shape), vehScale: meanToScale(t.vehMean, shape), repl: t.repl}
}

// vehicleTypes builds the classes from the cited figures (sources/figures.csv)
// and the reference rows of model_parameters_reference.csv.
func vehicleTypes(ps []param, ft figureTable) ([]vtype, error) {
	if shape, _, err := lookupParam(ps, "weibull_shape", "battery life"); err != nil {
		return nil, err
	} else if shape != ft.mustGet("weibull_shape") {
		return nil, fmt.Errorf("sources/figures.csv weibull_shape %g differs from the reference row's %g", ft.mustGet("weibull_shape"), shape)
	}
	bevPack, _, err := lookupParam(ps, "pack_mass", "Nissan Leaf")
	if err != nil {
		return nil, err
	}
	_, row, err := lookupParam(ps, "pack_mass", "BCEV_LFP")
	if err != nil {
		return nil, err
	}
	const phevPack = 227 // lower end of the note "PHEV 227-357 kg" of the BCEV_LFP row
	if !containsText(row.source, "PHEV 227-357 kg") {
		return nil, fmt.Errorf("model_parameters_reference.csv: pack_mass BCEV_LFP row no longer notes \"PHEV 227-357 kg\" (found %q)", row.source)
	}
	service := (ft.mustGet("pack_service_life_min") + ft.mustGet("pack_service_life_max")) / 2
	effective := (ft.mustGet("pack_effective_life_min") + ft.mustGet("pack_effective_life_max")) / 2
	busKg := ft.mustGet("bus_battery_gwh_2017") * 1e6 / ft.mustGet("bus_registrations_2017") / ft.mustGet("pack_wh_per_kg_2017") * 1000
	repl := ft.mustGet("replacement_share")
	lifeNote := func(pack string, veh string) string {
		return fmt.Sprintf("pack life: %s x the calibrated factor; vehicle life: %s; replacement share %g (calibrated)", pack, veh, repl)
	}
	svc := fmt.Sprintf("mean %.1f y (midpoint of the 5-8 y service life, GEM)", service)
	eff := fmt.Sprintf("mean %.1f y (midpoint of the 4-6 y effective life, GEM; high daily mileage)", effective)
	return []vtype{
		{name: "bus", use: "operating", chemistry: "LFP", packKg: math.Round(busKg), packMean: service, vehMean: ft.mustGet("vehicle_life_transit_bus"), repl: repl,
			source: fmt.Sprintf("pack %.0f kg = 14.5 GWh / 89,546 e-buses (2017) at 90 Wh/kg; ", busKg) + lifeNote(svc, "mean 9 y (transit buses, Hao et al. 2011)")},
		{name: "bus_phev", use: "operating", chemistry: "LFP", packKg: ft.mustGet("bus_phev_pack_kg"), packMean: service, vehMean: ft.mustGet("vehicle_life_transit_bus"), repl: repl,
			source: "pack 400 kg assumed (plug-in hybrid buses of 2011-2016); " + lifeNote(svc, "mean 9 y (transit buses, Hao et al. 2011)")},
		{name: "commercial", use: "operating", chemistry: "LFP", packKg: ft.mustGet("commercial_pack_kg"), packMean: effective, vehMean: ft.mustGet("vehicle_life_light_truck"), repl: repl,
			source: "pack 600 kg assumed (logistics vans and light trucks ~60 kWh); " + lifeNote(eff, "mean 8 y (light trucks, Hao et al. 2011)")},
		{name: "passenger_bev", use: "private", chemistry: "LFP/NCM", packKg: bevPack, packMean: service, vehMean: ft.mustGet("vehicle_life_private"), repl: repl,
			source: "pack_mass 303 kg (reference row, Nissan Leaf ~40 kWh; within 100-550 kg); " + lifeNote(svc, "mean 14.5 y (private cars, Hao et al. 2011)")},
		{name: "passenger_bev_operating", use: "operating", chemistry: "LFP/NCM", packKg: bevPack, packMean: effective, vehMean: ft.mustGet("vehicle_life_taxi"), repl: repl,
			source: "taxis and ride-hailing cars; pack_mass 303 kg as passenger_bev; " + lifeNote(eff, "mean 8 y (e-taxis, CCTV 2024; Taiyuan 2016-2025)")},
		{name: "passenger_phev", use: "private", chemistry: "LFP", packKg: phevPack, packMean: service, vehMean: ft.mustGet("vehicle_life_private"), repl: repl,
			source: "pack_mass 227 kg (reference row BCEV_LFP note: PHEV 227-357 kg, lower end); " + lifeNote(svc, "mean 14.5 y (private cars, Hao et al. 2011)")},
	}, nil
}

func containsText(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// cohortPlan holds the parameters that turn sales and registrations into
// national cohorts by type; the calibrated ones are found by bisection.
type cohortPlan struct {
	pre          preCohorts
	reg          map[int]float64 // official registrations 2017-2025
	bev          []float64       // BEV share of each model year's registrations
	busShare0    float64         // share of 2011-2016 commercial BEVs that are buses
	opShare0     float64         // share of 2011-2016 passenger BEVs that are taxis
	bus2017      float64         // cited e-bus registrations of 2017
	busPerYear   float64         // e-bus registrations a year, 2018-2025
	comPerYear   float64         // commercial registrations a year, 2017-2025
	opShare      float64         // share of 2017-2025 passenger BEVs in taxi and ride-hailing use
	packFactor   float64         // common factor on the pack-life means
	shape        float64
	types        []vtype
	calibrations []string // what was calibrated to what, for the log and README
}

// cohorts returns the national vehicles registered per model year and type.
func (p *cohortPlan) cohorts() ([][]float64, error) {
	out := make([][]float64, nYears)
	for yi := range out {
		y := firstYear + yi
		c := make([]float64, nTypes)
		if y < 2017 {
			s := p.pre[y]
			c[tBus] = s["commercial_bev"] * p.busShare0
			c[tCommercial] = s["commercial_bev"] * (1 - p.busShare0)
			c[tBusPHEV] = s["commercial_phev"]
			c[tOperatingBEV] = s["passenger_bev"] * p.opShare0
			c[tPassengerBEV] = s["passenger_bev"] * (1 - p.opShare0)
			c[tPassengerPHEV] = s["passenger_phev"]
		} else {
			c[tBus] = p.busPerYear
			if y == 2017 {
				c[tBus] = p.bus2017
			}
			c[tCommercial] = p.comPerYear
			pbev := p.reg[y]*p.bev[yi] - c[tBus] - c[tCommercial]
			if pbev < 0 {
				return nil, fmt.Errorf("model year %d: buses and commercial vehicles exceed the BEV registrations by %.0f", y, -pbev)
			}
			c[tOperatingBEV] = pbev * p.opShare
			c[tPassengerBEV] = pbev * (1 - p.opShare)
			c[tPassengerPHEV] = p.reg[y] * (1 - p.bev[yi])
		}
		out[yi] = c
	}
	return out, nil
}

// lives returns each type's lifetime under the current pack factor.
func (p *cohortPlan) lives() []life {
	out := make([]life, len(p.types))
	for i, t := range p.types {
		out[i] = t.life(p.shape, p.packFactor)
	}
	return out
}

// stockOf is the registered stock of the given types at a decimal date
// (2021.0 = end of 2020); the running year's cohort counts pro rata.
func stockOf(coh [][]float64, lv []life, date float64, types ...int) float64 {
	var s float64
	for yi, c := range coh {
		y := float64(firstYear + yi)
		for _, ti := range types {
			switch {
			case y+1 <= date:
				s += c[ti] * lv[ti].inUse(date-y-0.5)
			case y < date:
				s += c[ti] * (date - y)
			}
		}
	}
	return s
}

// retiredNational is the tonnes and packs retired nationally in a year.
func retiredNational(coh [][]float64, types []vtype, lv []life, year int) (tonnes, packs float64) {
	for yi, c := range coh {
		for ti, n := range c {
			r := n * lv[ti].retired(firstYear+yi, year)
			packs += r
			tonnes += r * types[ti].packKg / 1000
		}
	}
	return tonnes, packs
}

// bisect finds x in [lo, hi] with g(x) = target for a monotone g.
func bisect(name string, g func(float64) float64, lo, hi, target float64) (float64, error) {
	glo, ghi := g(lo)-target, g(hi)-target
	if glo*ghi > 0 {
		return 0, fmt.Errorf("calibrating %s: %.4g at %g and %.4g at %g do not bracket the target %.4g", name, glo+target, lo, ghi+target, hi, target)
	}
	for i := 0; i < 100; i++ {
		mid := (lo + hi) / 2
		if gm := g(mid) - target; (gm < 0) == (glo < 0) {
			lo, glo = mid, gm
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2, nil
}

var allTypes = []int{tBus, tBusPHEV, tCommercial, tPassengerBEV, tOperatingBEV, tPassengerPHEV}

// calibrate finds the cohort shares from the MoT segment stocks and the
// pack-life factor from the 2023 retirement target (sources/figures.csv).
// Vehicle stocks do not depend on the pack factor when every vehicle gets
// a replacement pack; two rounds make the result exact otherwise too.
func (p *cohortPlan) calibrate(ft figureTable) error {
	type target struct {
		name        string
		param       *float64
		lo, hi      float64
		date, value float64
		types       []int
		cite        string
	}
	opTarget := ft.mustGet("taxi_stock_2023") + ft.mustGet("ridehailing_vehicles_2023")*ft.mustGet("ridehailing_nev_share_2023")
	targets := []target{
		{"share of 2011-2016 commercial BEVs that are buses", &p.busShare0, 0, 1, 2017, ft.mustGet("bus_stock_2016"), []int{tBus, tBusPHEV}, "NEV buses at the end of 2016 (MoT)"},
		{"share of 2011-2016 passenger BEVs that are taxis", &p.opShare0, 0, 1, 2017, ft.mustGet("taxi_stock_2016"), []int{tOperatingBEV}, "NEV taxis at the end of 2016 (MoT)"},
		{"e-bus registrations a year 2018-2025", &p.busPerYear, 0, 300000, 2023, ft.mustGet("bus_stock_2022"), []int{tBus, tBusPHEV}, "NEV buses at the end of 2022"},
		{"commercial registrations a year 2017-2025", &p.comPerYear, 0, 400000, 2024, ft.mustGet("logistics_stock_2023"), []int{tCommercial}, "NEV urban delivery vehicles, December 2023 (MoT)"},
		{"share of 2017-2025 passenger BEVs in taxi or ride-hailing use", &p.opShare, 0, 0.5, 2024, opTarget, []int{tOperatingBEV}, "NEV taxis (MoT, Dec 2023) + assumed NEV half of 2.43 M ride-hailing cars"},
	}
	p.calibrations = nil
	for round := 0; round < 2; round++ {
		for _, t := range targets {
			t := t
			v, err := bisect(t.name, func(x float64) float64 {
				*t.param = x
				coh, err := p.cohorts()
				if err != nil {
					return math.Inf(1)
				}
				return stockOf(coh, p.lives(), t.date, t.types...)
			}, t.lo, t.hi, t.value)
			if err != nil {
				return err
			}
			*t.param = v
			if round == 1 {
				p.calibrations = append(p.calibrations, fmt.Sprintf("%s = %.4g, so that the stock matches %s: %.0f", t.name, v, t.cite, t.value))
			}
		}
		coh, err := p.cohorts()
		if err != nil {
			return err
		}
		target := ft.mustGet("retired_2023_target")
		f, err := bisect("pack-life factor", func(x float64) float64 {
			p.packFactor = x
			t, _ := retiredNational(coh, p.types, p.lives(), 2023)
			return -t // longer lives retire less in a growing fleet: make g increasing
		}, 0.5, 2, -target)
		if err != nil {
			return err
		}
		p.packFactor = f
		if round == 1 {
			p.calibrations = append(p.calibrations, fmt.Sprintf("pack-life factor = %.4f, so that the national retirement of 2023 is %.0f t (CABRCA)", f, target))
		}
	}
	return nil
}
