package domain

// Bounds of numeric input fields, checked where each field is read (with the
// file, line and column of a value outside them). They are guards, not
// models: each is far beyond any real value (the reference figure is given
// beside it) and small enough that every quantity derived from the inputs
// (tonnes per cell, kg per visit, minutes per leg, costs) stays finite and
// fits the integers the solvers use. docs/input-formats.md lists them.
const (
	// MaxVehicles bounds the vehicles of one stock row (one city, model
	// year and vehicle type): more than twice China's whole NEV stock
	// (43.97 million at the end of 2025, MPS; shared/data).
	MaxVehicles = 1e8
	// MaxPayloadKg bounds a truck's payload and a pack's mass: GB 1589-2016
	// caps the gross mass of the heaviest road vehicle (a six-axle
	// articulated truck) at 49 t, and no pack heavier than a payload can
	// be collected. Passenger-car packs weigh 100-550 kg.
	MaxPayloadKg = 49000
	// MinWeibullShape and MaxWeibullShape bound a lifetime's shape; the
	// published traction-battery models use about 3.5.
	MinWeibullShape, MaxWeibullShape = 0.5, 20
	// MinWeibullScaleYears and MaxWeibullScaleYears bound a lifetime's
	// scale; the published models use 8 to 12.5 years.
	MinWeibullScaleYears, MaxWeibullScaleYears = 0.5, 100
	// MaxPopulation bounds a town's population: more than China's
	// (about 1.41 billion).
	MaxPopulation = 1.5e9
	// MinOutletCapacityKg is one pack: the lightest passenger-car packs
	// weigh about 100 kg, so a smaller store holds none.
	MinOutletCapacityKg = 100
	// MaxOutletCapacityKg bounds a store: a centralized storage outlet holds
	// 30 t or more (MIIT 2019 guide); 10,000 t is over 300 times that.
	MaxOutletCapacityKg = 1e7
	// MaxIntakeKgPerWeek bounds a plant's weekly intake: 1 Mt a week, more
	// than China is expected to retire in a year (over 1 Mt/yr by 2030, MIIT).
	MaxIntakeKgPerWeek = 1e9
	// MinSpeedKmh and MaxSpeedKmh bound a truck's mean road speed; 120 km/h
	// is the expressway limit in China.
	MinSpeedKmh, MaxSpeedKmh = 1, 120
	// MaxCostPerKm and MaxCO2GPerKm bound a truck's running cost (CNY/km)
	// and emissions (g/km): a hundred times a heavy truck's.
	MaxCostPerKm, MaxCO2GPerKm = 1000, 100000
	// MaxRoadKm bounds a leg of the road matrix: half the earth's
	// circumference.
	MaxRoadKm = 20000
	// MaxRoadMinutes bounds a leg's travel time: two weeks, longer than the
	// week planned.
	MaxRoadMinutes = 20160
	// MaxProvincesBytes bounds the province boundary GeoJSON: the shipped
	// one is 150 KB and Natural Earth's most detailed admin-1 file of China
	// under 10 MB.
	MaxProvincesBytes = 128 << 20
)
