package report

import (
	"fmt"
	"strings"

	"github.com/rlplan/rlplan/planner/domain"
)

// Recycling routes.
const (
	Hydrometallurgical = "hydrometallurgical"
	Pyrometallurgical  = "pyrometallurgical"
)

// Chemistries of the account (the vocabulary of planner/trace).
const (
	LFP = "LFP"
	NCM = "NCM"
	// Other is every pack whose chemistry the inputs do not give or that
	// is neither LFP nor ternary: it is counted, with no recycling credit.
	Other = "other"
)

// PackKWhPerKg is the pack-level specific energy used to turn life-cycle
// figures per kWh of battery capacity into figures per kg of pack: 40 kWh
// in 303 kg, the reference passenger pack of datasets/data/vehicle_types.csv
// (0.132 kWh/kg). The NCM packs of the embedded data are all passenger
// packs of that mass.
const PackKWhPerKg = 40.0 / 303.0

// Net GHG of recycling per kWh of pack capacity, kg CO2e (negative:
// avoided). Sources in docs/carbon.md.
const (
	// Median of 50 LCAs, 2005-2020, of recycling's net effect on the life
	// cycle of automotive Li-ion packs (interquartile range -5 to -29):
	// Aichberger & Jungmeier 2020, Energies 13(23):6345. The studies are
	// mostly of NMC/NCA packs recycled by hydrometallurgy; a Chinese system
	// study of retired NCM packs finds -12.11 kg CO2e/kWh including second
	// use (Li et al. 2022, J. Shanghai Polytechnic Univ. 39(1):1-9).
	ncmHydroKgPerKWh = -20.0
)

// DefaultRecycling are the recycling factors per kg of pack by route and
// chemistry, with their sources.
//
//   - NCM, hydrometallurgical: ncmHydroKgPerKWh x PackKWhPerKg.
//   - LFP, hydrometallurgical: 0. A Chinese LCA of LFP packs finds the
//     lithium recovered offset by the extra energy and reagents of the
//     process (Jia et al. 2022, China Environ. Sci. 42(4)); Ciez & Whitacre
//     2019 (Nat. Sustain. 2:148-156) find no significant reduction for LFP
//     cells by either route.
//   - Pyrometallurgical, both chemistries: 0. Ciez & Whitacre 2019 find
//     that neither pyro- nor hydrometallurgical recycling significantly
//     reduces the life-cycle GHG of NMC622, NCA or LFP cells; the credit is
//     taken as nil rather than guessed.
func DefaultRecycling(route string) ([]RecyclingFactor, error) {
	switch route {
	case Hydrometallurgical:
		return []RecyclingFactor{
			{Chemistry: NCM, Route: route, KgCO2ePerKg: ncmHydroKgPerKWh * PackKWhPerKg,
				Source: "Aichberger & Jungmeier 2020 (median -20 kg CO2e/kWh) x 40 kWh/303 kg"},
			{Chemistry: LFP, Route: route, KgCO2ePerKg: 0, Source: "Jia et al. 2022; Ciez & Whitacre 2019: no net reduction"},
			{Chemistry: Other, Route: route, KgCO2ePerKg: 0, Source: "chemistry not given or not LFP/NCM: no credit taken"},
		}, nil
	case Pyrometallurgical:
		return []RecyclingFactor{
			{Chemistry: NCM, Route: route, KgCO2ePerKg: 0, Source: "Ciez & Whitacre 2019: no significant reduction"},
			{Chemistry: LFP, Route: route, KgCO2ePerKg: 0, Source: "Ciez & Whitacre 2019: no significant reduction"},
			{Chemistry: Other, Route: route, KgCO2ePerKg: 0, Source: "chemistry not given or not LFP/NCM: no credit taken"},
		}, nil
	}
	return nil, fmt.Errorf("recycling route %q: want %s or %s", route, Hydrometallurgical, Pyrometallurgical)
}

// ChemistryShares splits a vehicle type's chemistry ("LFP", "NCM",
// "LFP/NCM") into shares. A mixed entry is split evenly: an assumption,
// since the inputs give no split (stated in docs/carbon.md). An empty or
// unknown chemistry (and each unknown part of a mix) is Other.
func ChemistryShares(chemistry string) map[string]float64 {
	parts := strings.Split(chemistry, "/")
	out := map[string]float64{}
	for _, p := range parts {
		c, ok := normalize(p)
		if !ok {
			c = Other
		}
		out[c] += 1 / float64(len(parts))
	}
	return out
}

func normalize(s string) (string, bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "LFP", "LIFEPO4":
		return LFP, true
	case "NCM", "NMC", "NCA", "TERNARY":
		return NCM, true
	}
	return "", false
}

// TruckFactors turns fleet rows into truck factors, one per plant and
// vehicle type: the unladen and full-payload figures when the fleet gives
// them, else its flat co2_g_per_km for both.
func TruckFactors(fleet []domain.FleetRow) []TruckFactor {
	out := make([]TruckFactor, 0, len(fleet))
	for _, f := range fleet {
		t := TruckFactor{Plant: f.PlantID, VehicleType: f.VehicleType, CapacityKg: f.CapacityKg, EmptyGPerKm: f.CO2GPerKm, FullGPerKm: f.CO2GPerKm,
			Source: "fleet.csv co2_g_per_km (flat)"}
		if f.CO2GPerKmEmpty > 0 && f.CO2GPerKmFull > 0 {
			t.EmptyGPerKm, t.FullGPerKm, t.Source = f.CO2GPerKmEmpty, f.CO2GPerKmFull, "fleet.csv co2_g_per_km_empty/full, linear in load"
		}
		out = append(out, t)
	}
	return out
}
