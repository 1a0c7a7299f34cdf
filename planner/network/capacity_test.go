package network

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/solver/location"
	"github.com/rlplan/rlplan/solver/location/validate"
)

// Hand-checkable figures: a tonne a year of expansion costs 100 CNY a year,
// of new plant 150; a truck-km costs 1 CNY for 2 t, back empty, so a
// tonne-km costs exactly 1 CNY; roads are great circles (detour 1).
var handCosts = CapacityCosts{ExpansionCapexPerT: 1000, ExpansionYearlyPerT: 100, NewCapexPerT: 1500, NewYearlyPerT: 150,
	LinehaulCostPerKm: 1, LinehaulPayloadT: 2}

func handOptions(t *testing.T) CapacityOptions {
	t.Helper()
	d, err := geo.NewDetour(1)
	if err != nil {
		t.Fatal(err)
	}
	return CapacityOptions{Costs: handCosts, ExpansionModules: []float64{100}, NewPlantModules: []float64{100}, UnservedCostPerT: 1000,
		Detour: d, Settings: location.Settings{MaxIterations: 20, Seed: 1}}
}

// plantT is a listed plant of t tonnes a year at p.
func plantT(id string, p orb.Point, t float64) domain.Plant {
	return domain.Plant{ID: id, Name: id, Point: p, Province: "CN-AA", IntakeKgPerWeek: t * 1000 / WeeksPerYear}
}

func km(a, b orb.Point) float64 { return float64(geo.Road(a, b, geo.Detour{})) / geo.DefaultDetour }

// nearly is network_test.go's near at a relative 1e-6.
func nearly(a, b float64) bool { return near(a, b, 1e-6) }

// checkAll runs the independent validator on every solve of cp again.
func checkAll(t *testing.T, cp *CapacityPlan) {
	t.Helper()
	for name, s := range map[string]*Solved{"listed": cp.Listed, "relaxed": cp.Relaxed, "modular": cp.Modular, "final": cp.Invested} {
		if s == nil || s.prob == nil {
			continue
		}
		if err := validate.Check(s.prob, s.res); err != nil {
			t.Errorf("%s solve: %v", name, err)
		}
	}
}

// One plant of 100 t/yr and 150 t/yr retiring at distance d from it, with a
// candidate city where the tonnes retire. Expanding the plant by 100 t/yr
// costs 10,000 a year and hauls all 150 t over d: 10,000 + 150·d. A new
// plant of 100 t/yr where they retire costs 15,000 and hauls the 50 t the
// plant still takes: 15,000 + 50·d. The expansion wins below d = 50 km, the
// new plant above.
func TestCapacityExpansionOrNewPlant(t *testing.T) {
	for _, tc := range []struct {
		name string
		lon  float64 // of the demand and the city; the plant is at 0,0
		kind string
	}{
		{"demand at the plant: expand", 0, KindExpansion},
		{"33 km away: expand", 0.3, KindExpansion},
		{"67 km away: new plant", 0.6, KindNewPlant},
		{"556 km away: new plant", 5, KindNewPlant},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p0, dp := orb.Point{0, 0}, orb.Point{tc.lon, 0}
			d := km(p0, dp)
			demand := []Retiring{{ID: "R1", Name: "city", Province: "CN-AA", Point: dp, TonnesPerYear: 150}}
			cities := []PlantSite{{ID: "R1", Name: "city", Province: "CN-AA", Point: dp}}
			if tc.lon == 0 {
				cities[0].Point = orb.Point{1, 0} // a city 111 km off: never worth it
			}
			cp, err := PlanCapacity(context.Background(), demand, []domain.Plant{plantT("P1", p0, 100)}, cities, handOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			checkAll(t, cp)
			// Listed plants alone: 100 t hauled d km, 50 t unprocessed.
			if want := 100*d + 50*1000; !nearly(cp.Listed.Cost, want) {
				t.Errorf("listed cost %v, want 100·%.3f + 50·1000 = %v", cp.Listed.Cost, d, want)
			}
			if pl := cp.Plants[0]; !pl.Binding || !nearly(pl.ShortT, 150-100) {
				t.Errorf("plant: binding %v short %v, want binding with 50 t short", pl.Binding, pl.ShortT)
			}
			if len(cp.Investments) != 1 {
				t.Fatalf("investments %+v, want one", cp.Investments)
			}
			inv := cp.Investments[0]
			exp, nw := 10000+150*d, 15000+50*d
			if inv.Kind != tc.kind {
				t.Fatalf("chose %s, want %s (expansion %.0f, new plant %.0f a year)", inv.Kind, tc.kind, exp, nw)
			}
			want, unlocked, perT := exp, 50.0, 10000.0/50
			if tc.kind == KindNewPlant {
				want, unlocked, perT = nw, 100, 150
				if inv.ID != "NP-R1" || inv.PlantID != "NP-R1" || !nearly(cp.Plants[0].UsedAfterT, 50) {
					t.Errorf("new plant %s, listed plant after %v t: want NP-R1 and 50 t", inv.ID, cp.Plants[0].UsedAfterT)
				}
			} else if inv.ID != "X-P1" || !nearly(cp.Plants[0].AddedT, 100) {
				t.Errorf("expansion %s adds %v: want X-P1 adding 100", inv.ID, cp.Plants[0].AddedT)
			}
			if !nearly(cp.Invested.Cost, want) || cp.Invested.UnprocessedT > 1e-9 {
				t.Errorf("cost %v unprocessed %v, want %v and 0", cp.Invested.Cost, cp.Invested.UnprocessedT, want)
			}
			if !nearly(inv.AddedT, 100) || !nearly(inv.UnlockedT, unlocked) || !nearly(inv.CostPerT, perT) || !nearly(inv.YearlyCNY, inv.AddedT*map[string]float64{KindExpansion: 100, KindNewPlant: 150}[inv.Kind]) {
				t.Errorf("investment %+v: want 100 t/yr added, %v unlocked, %v CNY per t", inv, unlocked, perT)
			}
			if !cp.HasBound || cp.Bound > cp.Invested.Cost*(1+1e-9) {
				t.Errorf("bound %v (has %v) above the cost %v", cp.Bound, cp.HasBound, cp.Invested.Cost)
			}
		})
	}
}

// The validator that passed every solve rejects a broken answer: a load
// beyond a plant's capacity and an understated cost.
func TestCapacityValidatorRejectsBroken(t *testing.T) {
	p0 := orb.Point{0, 0}
	demand := []Retiring{{ID: "R1", Province: "CN-AA", Point: p0, TonnesPerYear: 150}}
	cp, err := PlanCapacity(context.Background(), demand, []domain.Plant{plantT("P1", p0, 100)}, nil, handOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	s := cp.Listed
	if err := validate.Check(s.prob, s.res); err != nil {
		t.Fatalf("the listed solve fails: %v", err)
	}
	bad := *s.res
	bad.Flows = append([]location.Flow(nil), s.res.Flows...)
	bad.Flows[0].Weight += 40 // 140 t into a 100 t plant
	bad.Cost -= 1
	var ve *validate.Error
	if err := validate.Check(s.prob, &bad); !errors.As(err, &ve) || !ve.Has(validate.RuleCapacity) || !ve.Has(validate.RuleCost) {
		t.Errorf("broken answer: %v, want capacity and cost violations", err)
	}
}

// Two plants at one point share their joint load in proportion to their
// listed capacity, and the shortfall of the tonnes nearest to them.
func TestCapacityColocatedShare(t *testing.T) {
	p0 := orb.Point{0, 0}
	demand := []Retiring{{ID: "R1", Province: "CN-AA", Point: p0, TonnesPerYear: 400}}
	plants := []domain.Plant{plantT("P1", p0, 100), plantT("P2", p0, 200), plantT("P3", orb.Point{1, 0}, 50)}
	opt := handOptions(t)
	opt.ExpansionModules, opt.NewPlantModules = []float64{}, []float64{}
	cp, err := PlanCapacity(context.Background(), demand, plants, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, cp)
	for i, want := range []struct{ used, short float64 }{{100, 100.0 / 3}, {200, 200.0 / 3}, {50, 0}} {
		if u := cp.Plants[i]; !nearly(u.UsedT, want.used) || !nearly(u.ShortT, want.short) || !u.Binding {
			t.Errorf("%s: used %v short %v binding %v, want %v, %v, binding", u.Plant.ID, u.UsedT, u.ShortT, u.Binding, want.used, want.short)
		}
	}
	if len(cp.Investments) != 0 || cp.Modular != nil {
		t.Errorf("nothing to build, got %+v", cp.Investments)
	}
	pr := cp.Provinces[0]
	if !nearly(pr.ShortT, 50) || !nearly(pr.Before.UnprocessedT, 50) || !nearly(pr.Before.LocalT, 350) {
		t.Errorf("province %+v: want 50 t short, 50 unprocessed, 350 local", pr)
	}
}

// randomInstance scatters regions, plants and cities over a box of side
// deg degrees.
func randomInstance(rng *rand.Rand, deg float64) ([]Retiring, []domain.Plant, []PlantSite) {
	pt := func() orb.Point { return orb.Point{100 + deg*rng.Float64(), 25 + deg*rng.Float64()} }
	provs := []string{"CN-AA", "CN-BB", "CN-CC"}
	var d []Retiring
	var c []PlantSite
	for i := range 8 + rng.IntN(20) {
		p := pt()
		id := string(rune('A'+i/26)) + string(rune('a'+i%26))
		d = append(d, Retiring{ID: id, Name: id, Province: provs[rng.IntN(3)], Point: p, TonnesPerYear: 10 + 300*rng.Float64()})
		c = append(c, PlantSite{ID: id, Name: id, Province: d[len(d)-1].Province, Point: p})
	}
	var pl []domain.Plant
	for i := range 1 + rng.IntN(5) {
		pl = append(pl, plantT(string(rune('P'))+string(rune('0'+i)), pt(), 50+500*rng.Float64()))
	}
	return d, pl, c
}

// Properties on random instances: every solve passes the validator; added
// capacity takes no more than it adds; the cost with investments is at
// most the listed plants' alone and at least the bound; tonnes are
// conserved; a plant is short only when it binds; and the same input gives
// the same plan.
func TestCapacityProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 12 {
		d, pl, c := randomInstance(rng, 4)
		opt := handOptions(t)
		opt.ExpansionModules, opt.NewPlantModules = []float64{50, 100}, []float64{60, 150}
		opt.UnservedCostPerT, opt.Settings.MaxIterations = 0, 5
		cp, err := PlanCapacity(context.Background(), d, pl, c, opt)
		if err != nil {
			t.Fatal(err)
		}
		checkAll(t, cp)
		total := 0.0
		for _, r := range d {
			total += r.TonnesPerYear
		}
		for _, s := range []*Solved{cp.Listed, cp.Invested} {
			if !nearly(s.ProcessedT+s.UnprocessedT, total) {
				t.Errorf("trial %d: processed %v + unprocessed %v != %v", trial, s.ProcessedT, s.UnprocessedT, total)
			}
		}
		if cp.Invested.Cost > cp.Listed.Cost*(1+1e-9) || (cp.HasBound && cp.Bound > cp.Invested.Cost*(1+1e-9)) {
			t.Errorf("trial %d: cost %v, listed alone %v, bound %v", trial, cp.Invested.Cost, cp.Listed.Cost, cp.Bound)
		}
		for _, inv := range cp.Investments {
			if inv.UnlockedT > inv.AddedT*(1+1e-9) || inv.UnlockedT < 0 {
				t.Errorf("trial %d: %s unlocks %v of %v added", trial, inv.ID, inv.UnlockedT, inv.AddedT)
			}
		}
		for _, u := range cp.Plants {
			if u.ShortT > 1e-6 && !u.Binding {
				t.Errorf("trial %d: %s short %v without binding (used %v of %v)", trial, u.Plant.ID, u.ShortT, u.UsedT, u.ListedT)
			}
		}
		again, err := PlanCapacity(context.Background(), d, pl, c, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again.Investments, cp.Investments) || !reflect.DeepEqual(again.Plants, cp.Plants) || again.Invested.Cost != cp.Invested.Cost {
			t.Errorf("trial %d: a second run differs", trial)
		}
	}
}

// When every region retires next to a listed plant with room for it, and
// no haul is long enough to pay for a module, nothing is built.
func TestCapacityNoInvestmentWhenCapacitySuffices(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for trial := range 20 {
		d, _, c := randomInstance(rng, 0.5) // within ~70 km: a haul costs < 100 CNY/t, less than any module
		var pl []domain.Plant
		for i, r := range d {
			pl = append(pl, plantT("P"+r.ID, r.Point, r.TonnesPerYear*(1+rng.Float64())))
			if i%3 == 0 {
				pl[len(pl)-1].Point = c[(i+1)%len(c)].Point // some plants beside another region
			}
		}
		totalCap, total := 0.0, 0.0
		for i := range d {
			total += d[i].TonnesPerYear
			totalCap += pl[i].IntakeKgPerWeek * WeeksPerYear / 1000
		}
		cp, err := PlanCapacity(context.Background(), d, pl, c, handOptions(t))
		if err != nil {
			t.Fatal(err)
		}
		checkAll(t, cp)
		if len(cp.Investments) != 0 || cp.Invested.UnprocessedT > 1e-6 {
			t.Errorf("trial %d: %d investments, %v t unprocessed with %v t of capacity for %v t", trial, len(cp.Investments), cp.Invested.UnprocessedT, totalCap, total)
		}
	}
}

func TestCapacityApply(t *testing.T) {
	p0, far := orb.Point{0, 0}, orb.Point{5, 0}
	demand := []Retiring{{ID: "R0", Province: "CN-AA", Point: p0, TonnesPerYear: 5200}, {ID: "R1", Province: "CN-BB", Point: far, TonnesPerYear: 5200}}
	plants := []domain.Plant{plantT("P1", p0, 2600)}
	opt := handOptions(t)
	opt.ExpansionModules, opt.NewPlantModules = []float64{2600}, []float64{5200}
	cp, err := PlanCapacity(context.Background(), demand, plants, []PlantSite{{ID: "R1", Name: "Far", Province: "CN-BB", Point: far}}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(cp.Investments) != 2 {
		t.Fatalf("investments %+v: want the expansion of P1 and a new plant at R1", cp.Investments)
	}
	fleet := []domain.FleetRow{{PlantID: "P1", VehicleType: "light", Count: 2, CapacityKg: 4000}, {PlantID: "P1", VehicleType: "heavy", Count: 1, CapacityKg: 12000}}
	gotP, gotF, err := cp.Apply(plants, fleet, FleetRule{WorkDays: 5, Fill: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	// The expansion adds 2,600 t/yr = 50,000 kg a week; the new plant
	// takes 5,200 t/yr = 100,000 kg a week. The fleet's capacity is 40 %
	// light (8,000 of 20,000 kg) and 60 % heavy; a truck carries its
	// capacity x 0.5 on each of 5 days: light 10,000 kg, heavy 30,000 kg a
	// week. Expansion: 20,000 kg light -> 2 trucks, 30,000 heavy -> 1. New
	// plant: 40,000 light -> 4, 60,000 heavy -> 2.
	if len(gotP) != 2 || !nearly(gotP[0].IntakeKgPerWeek, 100000) || gotP[1].ID != "NP-R1" || !nearly(gotP[1].IntakeKgPerWeek, 100000) || gotP[1].CapacityBasis != ProposedBasis {
		t.Errorf("plants %+v", gotP)
	}
	want := map[string]int{"P1/light": 4, "P1/heavy": 2, "NP-R1/light": 4, "NP-R1/heavy": 2}
	got := map[string]int{}
	for _, f := range gotF {
		got[f.PlantID+"/"+f.VehicleType] += f.Count
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("trucks %v, want %v", got, want)
	}
	if plants[0].IntakeKgPerWeek != 50000 || fleet[0].Count != 2 {
		t.Error("Apply modified its inputs")
	}
}

func TestCapacityBadInput(t *testing.T) {
	p0 := orb.Point{0, 0}
	ok := []Retiring{{ID: "R1", Point: p0, TonnesPerYear: 1}}
	pl := []domain.Plant{plantT("P1", p0, 1)}
	for _, tc := range []struct {
		name   string
		mutate func(*CapacityOptions, *[]Retiring)
		want   string
	}{
		{"zero payload", func(o *CapacityOptions, _ *[]Retiring) { o.Costs.LinehaulPayloadT = 0 }, "linehaul_payload"},
		{"negative module", func(o *CapacityOptions, _ *[]Retiring) { o.NewPlantModules = []float64{-5} }, "module size -5"},
		{"NaN tonnes", func(_ *CapacityOptions, d *[]Retiring) { (*d)[0].TonnesPerYear = math.NaN() }, "region R1"},
		{"negative unserved cost", func(o *CapacityOptions, _ *[]Retiring) { o.UnservedCostPerT = -1 }, "unserved cost"},
	} {
		opt := handOptions(t)
		d := append([]Retiring(nil), ok...)
		tc.mutate(&opt, &d)
		if _, err := PlanCapacity(context.Background(), d, pl, nil, opt); err == nil || !contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one naming %q", tc.name, err, tc.want)
		}
	}
	if _, err := PlanCapacity(context.Background(), nil, pl, nil, handOptions(t)); !errors.Is(err, ErrNoCapacityModel) {
		t.Errorf("no demand: %v", err)
	}
}

func contains(s, sub string) bool {
	return strings.Contains(s, sub)
}
