package report

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// The carbon account of a scenario, in kg CO2e:
//
//	net = collection transport + line-haul + recycling
//
// Collection transport sums every driven leg of the collection trucks (the
// route sheet's legs and each trip's return to its plant): km x the truck
// type's g CO2e/km at the load carried on the leg. A type with an unladen
// and a full-payload figure is interpolated linearly by the load share (the
// load model of GB/T 4352-2022, fuel consumption of trucks in operation); a
// type with one flat figure uses it for every km. Line-haul legs (hub to
// plant) are counted the same way; plans have none until hubs are planned.
// Recycling is the net life-cycle GHG of recovering the collected packs by
// chemistry (negative: avoided primary production exceeds the process's
// own emissions). net per tonne divides by the tonnes collected.
//
// Each leg and each collected mass is booked to a plant (the truck's plant,
// the plant that receives the packs) and a province (the province of the
// outlet the leg serves or the packs come from), so the per-plant rows, the
// per-province rows and the total add up to the same figures.

// LegKind tells collection legs from line-haul legs.
type LegKind int

// Leg kinds.
const (
	Collection LegKind = iota // outlet pickups from a plant (or hub), the route sheet
	LineHaul                  // full loads from a hub to a plant
)

// Leg is one driven leg of a truck and what it carries.
type Leg struct {
	Kind        LegKind
	Plant       string // the plant (or hub) the truck belongs to, or the plant it delivers to
	Province    string // where the leg is booked: the province of the outlet it serves
	VehicleType string
	Km          float64
	LoadKg      float64 // on the truck along the leg
}

// TruckFactor is the CO2e per km of a vehicle type, unladen and at full
// payload (equal when only one flat figure is known). Plant, when set,
// limits it to that plant's trucks of the type (fleets may differ by plant).
type TruckFactor struct {
	Plant       string
	VehicleType string
	CapacityKg  float64
	EmptyGPerKm float64
	FullGPerKm  float64
	Source      string
}

// GPerKm is the factor at a load: linear in the load share, capped at a
// full load.
func (f TruckFactor) GPerKm(loadKg float64) float64 {
	share := 0.0
	if f.CapacityKg > 0 {
		share = math.Min(math.Max(loadKg/f.CapacityKg, 0), 1)
	}
	return f.EmptyGPerKm + (f.FullGPerKm-f.EmptyGPerKm)*share
}

// Collected is a mass of packs of one chemistry delivered to a plant from
// outlets of one province.
type Collected struct {
	Plant, Province, Chemistry string
	Kg                         float64
}

// RecyclingFactor is the net life-cycle GHG of recycling one kg of pack of
// a chemistry by a route, in kg CO2e (negative when recycling avoids more
// than it emits).
type RecyclingFactor struct {
	Chemistry   string
	Route       string
	KgCO2ePerKg float64
	Source      string
}

// CarbonInput is everything the account needs, already typed: no file or
// plan format is read here.
type CarbonInput struct {
	Legs      []Leg // collection legs
	LineHaul  []Leg // hub-to-plant legs; empty until hubs are planned
	Trucks    []TruckFactor
	Collected []Collected
	Route     string            // recycling route of the factors, for the record
	Recycling []RecyclingFactor // one per chemistry collected
	// Hubs are the ids among the legs' and collections' Plant fields that
	// are consolidation hubs, not plants: their rows go to the account's
	// Hubs.
	Hubs []string
}

// CarbonRow is the account of one plant, hub or province, or the scenario.
type CarbonRow struct {
	ID                  string  `json:"id,omitempty"`
	CollectedT          float64 `json:"collected_t"`
	LoadedKm            float64 `json:"loaded_km"`
	EmptyKm             float64 `json:"empty_km"`
	LoadedKgCO2e        float64 `json:"loaded_kg_co2e"`
	EmptyKgCO2e         float64 `json:"empty_kg_co2e"`
	CollectionKgCO2e    float64 `json:"collection_kg_co2e"`
	LineHaulKm          float64 `json:"line_haul_km"`
	LineHaulKgCO2e      float64 `json:"line_haul_kg_co2e"`
	RecyclingKgCO2e     float64 `json:"recycling_kg_co2e"`
	NetKgCO2e           float64 `json:"net_kg_co2e"`
	TransportKgCO2ePerT float64 `json:"transport_kg_co2e_per_t"`
	NetKgCO2ePerT       float64 `json:"net_kg_co2e_per_t"`
}

// TruckRow sums the collection legs of one vehicle type; the g/km are the
// effective averages over its loaded and its empty km.
type TruckRow struct {
	VehicleType  string  `json:"vehicle_type"`
	LoadedKm     float64 `json:"loaded_km"`
	EmptyKm      float64 `json:"empty_km"`
	LoadedKgCO2e float64 `json:"loaded_kg_co2e"`
	EmptyKgCO2e  float64 `json:"empty_kg_co2e"`
	LoadedGPerKm float64 `json:"g_co2e_per_loaded_km"`
	EmptyGPerKm  float64 `json:"g_co2e_per_empty_km"`
}

// ChemistryRow sums the packs of one chemistry.
type ChemistryRow struct {
	Chemistry       string  `json:"chemistry"`
	CollectedT      float64 `json:"collected_t"`
	KgCO2ePerKg     float64 `json:"kg_co2e_per_kg"`
	RecyclingKgCO2e float64 `json:"recycling_kg_co2e"`
}

// CarbonAccount is the result: the scenario's total, its parts by truck
// type and chemistry, and the same account per plant and per province.
type CarbonAccount struct {
	CarbonRow
	Route       string         `json:"recycling_route"`
	Trucks      []TruckRow     `json:"by_truck_type"`
	Chemistries []ChemistryRow `json:"by_chemistry"`
	Plants      []CarbonRow    `json:"plants"`
	// Hubs are the consolidation hubs: their trucks' legs and the packs
	// collected there (shipped on by line-haul, whose legs are booked to
	// the receiving plant). Plants, hubs and provinces each add up to the
	// scenario.
	Hubs      []CarbonRow `json:"hubs,omitempty"`
	Provinces []CarbonRow `json:"provinces"`
	// LoadDependent is set when some truck type has distinct unladen and
	// full-payload factors; otherwise every km uses a flat factor.
	LoadDependent bool `json:"load_dependent"`
}

// CarbonError is an input the account cannot use.
type CarbonError struct{ Msg string }

func (e *CarbonError) Error() string { return "carbon account: " + e.Msg }

// Account computes the carbon account. Every leg's vehicle type needs a
// truck factor and every collected chemistry a recycling factor; km, loads
// and masses must be finite and not negative.
func Account(in CarbonInput) (*CarbonAccount, error) {
	type truckKey struct{ plant, vtype string }
	trucks := map[truckKey]TruckFactor{}
	for _, f := range in.Trucks {
		if !(f.EmptyGPerKm >= 0 && f.FullGPerKm >= f.EmptyGPerKm) || math.IsInf(f.FullGPerKm, 0) {
			return nil, &CarbonError{fmt.Sprintf("vehicle type %s: factors %g (empty) and %g (full) g/km: want 0 <= empty <= full", f.VehicleType, f.EmptyGPerKm, f.FullGPerKm)}
		}
		trucks[truckKey{f.Plant, f.VehicleType}] = f
	}
	recycling := map[string]RecyclingFactor{}
	for _, f := range in.Recycling {
		recycling[f.Chemistry] = f
	}
	acc := &CarbonAccount{Route: in.Route}
	plants, provinces := map[string]*CarbonRow{}, map[string]*CarbonRow{}
	row := func(m map[string]*CarbonRow, id string) *CarbonRow {
		r := m[id]
		if r == nil {
			r = &CarbonRow{ID: id}
			m[id] = r
		}
		return r
	}
	byTruck := map[string]*TruckRow{}
	for _, legs := range [][]Leg{in.Legs, in.LineHaul} {
		for _, l := range legs {
			f, ok := trucks[truckKey{l.Plant, l.VehicleType}]
			if !ok {
				f, ok = trucks[truckKey{"", l.VehicleType}]
			}
			if !ok {
				return nil, &CarbonError{fmt.Sprintf("no emission factor for vehicle type %q", l.VehicleType)}
			}
			if !(l.Km >= 0 && l.LoadKg >= 0) || math.IsInf(l.Km+l.LoadKg, 0) {
				return nil, &CarbonError{fmt.Sprintf("leg of plant %s: %g km with %g kg: want finite values >= 0", l.Plant, l.Km, l.LoadKg)}
			}
			kg := l.Km * f.GPerKm(l.LoadKg) / 1000
			for _, r := range []*CarbonRow{&acc.CarbonRow, row(plants, l.Plant), row(provinces, l.Province)} {
				r.addLeg(l, kg)
			}
			if l.Kind == Collection {
				t := byTruck[l.VehicleType]
				if t == nil {
					t = &TruckRow{VehicleType: l.VehicleType}
					byTruck[l.VehicleType] = t
				}
				if l.LoadKg > 0 {
					t.LoadedKm += l.Km
					t.LoadedKgCO2e += kg
				} else {
					t.EmptyKm += l.Km
					t.EmptyKgCO2e += kg
				}
			}
			if f.EmptyGPerKm != f.FullGPerKm {
				acc.LoadDependent = true
			}
		}
	}
	byChem := map[string]*ChemistryRow{}
	for _, c := range in.Collected {
		f, ok := recycling[c.Chemistry]
		if !ok {
			return nil, &CarbonError{fmt.Sprintf("no recycling factor for chemistry %q", c.Chemistry)}
		}
		if !(c.Kg >= 0) || math.IsInf(c.Kg, 0) {
			return nil, &CarbonError{fmt.Sprintf("%g kg of %s collected for plant %s: want a finite mass >= 0", c.Kg, c.Chemistry, c.Plant)}
		}
		credit := c.Kg * f.KgCO2ePerKg
		for _, r := range []*CarbonRow{&acc.CarbonRow, row(plants, c.Plant), row(provinces, c.Province)} {
			r.CollectedT += c.Kg / 1000
			r.RecyclingKgCO2e += credit
		}
		ch := byChem[c.Chemistry]
		if ch == nil {
			ch = &ChemistryRow{Chemistry: c.Chemistry, KgCO2ePerKg: f.KgCO2ePerKg}
			byChem[c.Chemistry] = ch
		}
		ch.CollectedT += c.Kg / 1000
		ch.RecyclingKgCO2e += credit
	}
	acc.CarbonRow.finish()
	acc.Plants, acc.Hubs = splitHubs(sortedRows(plants), in.Hubs)
	acc.Provinces = sortedRows(provinces)
	for _, t := range byTruck {
		if t.LoadedKm > 0 {
			t.LoadedGPerKm = t.LoadedKgCO2e / t.LoadedKm * 1000
		}
		if t.EmptyKm > 0 {
			t.EmptyGPerKm = t.EmptyKgCO2e / t.EmptyKm * 1000
		}
		acc.Trucks = append(acc.Trucks, *t)
	}
	sort.Slice(acc.Trucks, func(a, b int) bool { return acc.Trucks[a].VehicleType < acc.Trucks[b].VehicleType })
	for _, c := range byChem {
		acc.Chemistries = append(acc.Chemistries, *c)
	}
	sort.Slice(acc.Chemistries, func(a, b int) bool { return acc.Chemistries[a].Chemistry < acc.Chemistries[b].Chemistry })
	return acc, nil
}

func (r *CarbonRow) addLeg(l Leg, kg float64) {
	switch {
	case l.Kind == LineHaul:
		r.LineHaulKm += l.Km
		r.LineHaulKgCO2e += kg
	case l.LoadKg > 0:
		r.LoadedKm += l.Km
		r.LoadedKgCO2e += kg
	default:
		r.EmptyKm += l.Km
		r.EmptyKgCO2e += kg
	}
}

// finish fills the sums and the per-tonne figures.
func (r *CarbonRow) finish() {
	r.CollectionKgCO2e = r.LoadedKgCO2e + r.EmptyKgCO2e
	r.NetKgCO2e = r.CollectionKgCO2e + r.LineHaulKgCO2e + r.RecyclingKgCO2e
	if r.CollectedT > 0 {
		r.TransportKgCO2ePerT = (r.CollectionKgCO2e + r.LineHaulKgCO2e) / r.CollectedT
		r.NetKgCO2ePerT = r.NetKgCO2e / r.CollectedT
	}
}

// splitHubs parts rows into the plants' and the hubs' (ids in hubs), each
// in the order of rows.
func splitHubs(rows []CarbonRow, hubs []string) (plants, hubRows []CarbonRow) {
	plants = make([]CarbonRow, 0, len(rows))
	for _, r := range rows {
		if slices.Contains(hubs, r.ID) {
			hubRows = append(hubRows, r)
		} else {
			plants = append(plants, r)
		}
	}
	return plants, hubRows
}

func sortedRows(m map[string]*CarbonRow) []CarbonRow {
	out := make([]CarbonRow, 0, len(m))
	for _, r := range m {
		r.finish()
		out = append(out, *r)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}

// Rounded returns the account with figures rounded for kpis.json: tonnes
// to the kg, km to 0.1, kg CO2e to 0.1, per-tonne figures to 0.001.
func (a CarbonAccount) Rounded() CarbonAccount {
	a.CarbonRow = a.CarbonRow.rounded()
	a.Plants = roundRows(a.Plants)
	a.Hubs = roundRows(a.Hubs)
	a.Provinces = roundRows(a.Provinces)
	a.Trucks = append([]TruckRow(nil), a.Trucks...)
	for i := range a.Trucks {
		t := &a.Trucks[i]
		t.LoadedKm, t.EmptyKm, t.LoadedKgCO2e, t.EmptyKgCO2e = r1(t.LoadedKm), r1(t.EmptyKm), r1(t.LoadedKgCO2e), r1(t.EmptyKgCO2e)
		t.LoadedGPerKm, t.EmptyGPerKm = r1(t.LoadedGPerKm), r1(t.EmptyGPerKm)
	}
	a.Chemistries = append([]ChemistryRow(nil), a.Chemistries...)
	for i := range a.Chemistries {
		c := &a.Chemistries[i]
		c.CollectedT, c.RecyclingKgCO2e = roundTo(c.CollectedT, 3), r1(c.RecyclingKgCO2e)
	}
	return a
}

func roundRows(rows []CarbonRow) []CarbonRow {
	out := make([]CarbonRow, len(rows))
	for i, r := range rows {
		out[i] = r.rounded()
	}
	return out
}

func (r CarbonRow) rounded() CarbonRow {
	r.CollectedT = roundTo(r.CollectedT, 3)
	r.LoadedKm, r.EmptyKm, r.LineHaulKm = r1(r.LoadedKm), r1(r.EmptyKm), r1(r.LineHaulKm)
	r.LoadedKgCO2e, r.EmptyKgCO2e, r.CollectionKgCO2e = r1(r.LoadedKgCO2e), r1(r.EmptyKgCO2e), r1(r.CollectionKgCO2e)
	r.LineHaulKgCO2e, r.RecyclingKgCO2e, r.NetKgCO2e = r1(r.LineHaulKgCO2e), r1(r.RecyclingKgCO2e), r1(r.NetKgCO2e)
	r.TransportKgCO2ePerT, r.NetKgCO2ePerT = roundTo(r.TransportKgCO2ePerT, 3), roundTo(r.NetKgCO2ePerT, 3)
	return r
}

func r1(x float64) float64 { return roundTo(x, 1) }

func roundTo(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	v := math.Round(x*p) / p
	if v == 0 {
		return 0 // no "-0" in kpis.json
	}
	return v
}

// Markdown renders the account for report.md: the scenario, its parts, and
// a row per plant and per province.
func (a CarbonAccount) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "| | t collected | loaded km | empty km | collection kg CO2e | line-haul kg CO2e | recycling kg CO2e | net kg CO2e | net kg CO2e/t |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	line := func(name string, r CarbonRow) {
		fmt.Fprintf(&b, "| %s | %.2f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f |\n", name, r.CollectedT, r.LoadedKm, r.EmptyKm,
			r.CollectionKgCO2e, r.LineHaulKgCO2e, r.RecyclingKgCO2e, r.NetKgCO2e, r.NetKgCO2ePerT)
	}
	line("**scenario**", a.CarbonRow)
	for _, r := range a.Plants {
		line("plant "+r.ID, r)
	}
	for _, r := range a.Hubs {
		line("hub "+r.ID, r)
	}
	for _, r := range a.Provinces {
		line("province "+r.ID, r)
	}
	b.WriteString("\n| truck type | loaded km | g CO2e per loaded km | empty km | g CO2e per empty km | kg CO2e |\n|---|---:|---:|---:|---:|---:|\n")
	for _, t := range a.Trucks {
		fmt.Fprintf(&b, "| %s | %.0f | %.1f | %.0f | %.1f | %.0f |\n", t.VehicleType, t.LoadedKm, t.LoadedGPerKm, t.EmptyKm, t.EmptyGPerKm, t.LoadedKgCO2e+t.EmptyKgCO2e)
	}
	b.WriteString("\n| chemistry | t collected | kg CO2e per kg recycled | kg CO2e |\n|---|---:|---:|---:|\n")
	for _, c := range a.Chemistries {
		fmt.Fprintf(&b, "| %s | %.2f | %.3f | %.0f |\n", c.Chemistry, c.CollectedT, c.KgCO2ePerKg, c.RecyclingKgCO2e)
	}
	return b.String()
}
