package report

import (
	"math"
	"strings"
	"testing"

	"github.com/rlplan/rlplan/planner/domain"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9*math.Max(1, math.Abs(b)) }

// TestAccountHandChecked is a case worked out by hand. One truck type T:
// 4 t payload, 200 g CO2e/km unladen, 400 g/km full, linear in between.
//
//	leg 1  plant P1 -> O1 (province A)  10 km, empty        10 x 200 g = 2.00 kg
//	leg 2  O1 -> O2 (province B)         5 km, 1000 kg       5 x 250 g = 1.25 kg
//	return O2 -> P1 (province B)        20 km, 3000 kg      20 x 350 g = 7.00 kg
//	line-haul hub -> P1 (province B)   100 km, 4000 kg     100 x 400 g = 40.00 kg
//
// Collected: 1000 kg NCM from A and 2000 kg LFP from B, at -2 and -0.5 kg
// CO2e per kg recycled: -2000 and -1000 kg.
//
//	scenario  3 t, collection 10.25, line-haul 40, recycling -3000
//	          net -2949.75 kg, -983.25 kg/t; transport 50.25 kg = 16.75 kg/t
//	A         1 t, collection 2.00 (empty), recycling -2000: net -1998 kg/t
//	B         2 t, collection 8.25 (loaded), line-haul 40, recycling -1000:
//	          net -951.75 kg, -475.875 kg/t
func TestAccountHandChecked(t *testing.T) {
	in := CarbonInput{
		Legs: []Leg{
			{Plant: "P1", Province: "A", VehicleType: "T", Km: 10, LoadKg: 0},
			{Plant: "P1", Province: "B", VehicleType: "T", Km: 5, LoadKg: 1000},
			{Plant: "P1", Province: "B", VehicleType: "T", Km: 20, LoadKg: 3000},
		},
		LineHaul:  []Leg{{Kind: LineHaul, Plant: "P1", Province: "B", VehicleType: "T", Km: 100, LoadKg: 4000}},
		Trucks:    []TruckFactor{{VehicleType: "T", CapacityKg: 4000, EmptyGPerKm: 200, FullGPerKm: 400}},
		Collected: []Collected{{Plant: "P1", Province: "A", Chemistry: NCM, Kg: 1000}, {Plant: "P1", Province: "B", Chemistry: LFP, Kg: 2000}},
		Route:     "test",
		Recycling: []RecyclingFactor{{Chemistry: NCM, KgCO2ePerKg: -2}, {Chemistry: LFP, KgCO2ePerKg: -0.5}},
	}
	a, err := Account(in)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want float64) {
		t.Helper()
		if !near(got, want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("collected t", a.CollectedT, 3)
	check("empty km", a.EmptyKm, 10)
	check("loaded km", a.LoadedKm, 25)
	check("empty kg", a.EmptyKgCO2e, 2)
	check("loaded kg", a.LoadedKgCO2e, 8.25)
	check("collection kg", a.CollectionKgCO2e, 10.25)
	check("line-haul km", a.LineHaulKm, 100)
	check("line-haul kg", a.LineHaulKgCO2e, 40)
	check("recycling kg", a.RecyclingKgCO2e, -3000)
	check("net kg", a.NetKgCO2e, -2949.75)
	check("net kg/t", a.NetKgCO2ePerT, -983.25)
	check("transport kg/t", a.TransportKgCO2ePerT, 16.75)
	if len(a.Provinces) != 2 || a.Provinces[0].ID != "A" || a.Provinces[1].ID != "B" {
		t.Fatalf("provinces = %+v", a.Provinces)
	}
	check("A net kg/t", a.Provinces[0].NetKgCO2ePerT, -1998)
	check("B net kg", a.Provinces[1].NetKgCO2e, -951.75)
	check("B net kg/t", a.Provinces[1].NetKgCO2ePerT, -475.875)
	if len(a.Plants) != 1 || !near(a.Plants[0].NetKgCO2e, -2949.75) {
		t.Errorf("plants = %+v", a.Plants)
	}
	if len(a.Trucks) != 1 || !near(a.Trucks[0].LoadedGPerKm, 330) || !near(a.Trucks[0].EmptyGPerKm, 200) {
		t.Errorf("trucks = %+v, want 8.25 kg over 25 loaded km = 330 g/km and 200 g per empty km", a.Trucks)
	}
	if !a.LoadDependent {
		t.Error("load-dependent factors not reported")
	}
	md := a.Rounded().Markdown()
	for _, want := range []string{"| **scenario** | 3.00 | 25 | 10 | 10 | 40 | -3000 | -2950 | -983.2 |", "| province B | 2.00 |", "| T | 25 | 330.0 | 10 | 200.0 | 10 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

// The sum over plants and hubs and the sum over provinces both equal the
// scenario; the rows of the ids named hubs are the hubs'.
func TestAccountAddsUp(t *testing.T) {
	in := CarbonInput{Trucks: []TruckFactor{{VehicleType: "T", CapacityKg: 1000, EmptyGPerKm: 300, FullGPerKm: 300}},
		Recycling: []RecyclingFactor{{Chemistry: NCM, KgCO2ePerKg: -2.64}, {Chemistry: LFP}}}
	for i := 0; i < 50; i++ {
		pl, pr := []string{"P1", "P2", "P3"}[i%3], []string{"A", "B"}[i%2]
		in.Legs = append(in.Legs, Leg{Plant: pl, Province: pr, VehicleType: "T", Km: float64(i), LoadKg: float64(i%4) * 300})
		in.Collected = append(in.Collected, Collected{Plant: pl, Province: []string{"A", "B", "C"}[i%3], Chemistry: []string{NCM, LFP}[i%2], Kg: float64(10 * i)})
	}
	in.Hubs = []string{"P3"} // P3's trucks are a hub's
	a, err := Account(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Hubs) != 1 || a.Hubs[0].ID != "P3" || len(a.Plants) != 2 || a.Plants[0].ID != "P1" || a.Plants[1].ID != "P2" {
		t.Fatalf("plants %v and hubs %v: want P1, P2 and P3", rowIDs(a.Plants), rowIDs(a.Hubs))
	}
	if md := a.Markdown(); !strings.Contains(md, "| hub P3 |") || strings.Contains(md, "| plant P3 |") {
		t.Errorf("markdown does not name P3 a hub:\n%s", md)
	}
	depots := append(append([]CarbonRow(nil), a.Plants...), a.Hubs...)
	for name, rows := range map[string][]CarbonRow{"plants and hubs": depots, "provinces": a.Provinces} {
		var net, t1 float64
		for _, r := range rows {
			net += r.NetKgCO2e
			t1 += r.CollectedT
		}
		if !near(net, a.NetKgCO2e) || !near(t1, a.CollectedT) {
			t.Errorf("%s add up to %v kg and %v t, scenario %v kg and %v t", name, net, t1, a.NetKgCO2e, a.CollectedT)
		}
	}
	if a.LoadDependent {
		t.Error("flat factors reported as load-dependent")
	}
}

func TestAccountRefuses(t *testing.T) {
	base := CarbonInput{Trucks: []TruckFactor{{VehicleType: "T", CapacityKg: 1, EmptyGPerKm: 1, FullGPerKm: 2}}, Recycling: []RecyclingFactor{{Chemistry: LFP}}}
	for name, tc := range map[string]struct {
		edit func(*CarbonInput)
		want string
	}{
		"unknown truck":     {func(in *CarbonInput) { in.Legs = []Leg{{VehicleType: "X", Km: 1}} }, `no emission factor for vehicle type "X"`},
		"unknown chemistry": {func(in *CarbonInput) { in.Collected = []Collected{{Chemistry: NCM, Kg: 1}} }, `no recycling factor for chemistry "NCM"`},
		"negative km":       {func(in *CarbonInput) { in.Legs = []Leg{{VehicleType: "T", Km: -1}} }, "want finite values >= 0"},
		"NaN kg":            {func(in *CarbonInput) { in.Collected = []Collected{{Chemistry: LFP, Kg: math.NaN()}} }, "want a finite mass"},
		"empty above full":  {func(in *CarbonInput) { in.Trucks[0].EmptyGPerKm = 3 }, "want 0 <= empty <= full"},
	} {
		in := base
		in.Trucks = append([]TruckFactor(nil), base.Trucks...)
		tc.edit(&in)
		if _, err := Account(in); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", name, err, tc.want)
		}
	}
}

func TestDefaultsAndShares(t *testing.T) {
	f, err := DefaultRecycling(Hydrometallurgical)
	if err != nil {
		t.Fatal(err)
	}
	// -20 kg CO2e/kWh x 40 kWh / 303 kg.
	if f[0].Chemistry != NCM || !near(f[0].KgCO2ePerKg, -800.0/303) || f[1].Chemistry != LFP || f[1].KgCO2ePerKg != 0 || f[2].Chemistry != Other {
		t.Errorf("hydrometallurgical factors = %+v", f)
	}
	if _, err := DefaultRecycling("incineration"); err == nil {
		t.Error("unknown route accepted")
	}
	if s := ChemistryShares("LFP/NCM"); s[LFP] != 0.5 || s[NCM] != 0.5 {
		t.Errorf("LFP/NCM = %v", s)
	}
	if s := ChemistryShares("NMC"); s[NCM] != 1 {
		t.Errorf("NMC = %v", s)
	}
	if s := ChemistryShares("NiMH/LFP"); s[Other] != 0.5 || s[LFP] != 0.5 {
		t.Errorf("NiMH/LFP = %v", s)
	}
	if s := ChemistryShares(""); s[Other] != 1 {
		t.Errorf("no chemistry = %v", s)
	}
	tf := TruckFactors([]domain.FleetRow{{PlantID: "P", VehicleType: "T", CapacityKg: 10, CO2GPerKm: 500},
		{PlantID: "Q", VehicleType: "T", CapacityKg: 10, CO2GPerKm: 500, CO2GPerKmEmpty: 400, CO2GPerKmFull: 600}})
	if tf[0].EmptyGPerKm != 500 || tf[0].FullGPerKm != 500 || tf[1].EmptyGPerKm != 400 || tf[1].FullGPerKm != 600 {
		t.Errorf("truck factors = %+v", tf)
	}
	if got := tf[1].GPerKm(5); got != 500 {
		t.Errorf("half load = %v g/km, want 500", got)
	}
	if got := tf[1].GPerKm(50); got != 600 {
		t.Errorf("overload = %v g/km, want the full-payload 600", got)
	}
}

func rowIDs(rows []CarbonRow) []string {
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	return ids
}
