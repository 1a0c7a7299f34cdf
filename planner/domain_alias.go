package planner

import "github.com/rlplan/rlplan/planner/domain"

// The shared types live in package domain; these names keep the planner's
// API (and its callers) unchanged.
type (
	StockRow    = domain.StockRow
	VehicleType = domain.VehicleType
	Place       = domain.Place
	Outlet      = domain.Outlet
	Plant       = domain.Plant
	FleetRow    = domain.FleetRow
	Inputs      = domain.Inputs
	InputPaths  = domain.InputPaths
	Loader      = domain.Loader
	RoadMatrix  = domain.RoadMatrix
	Regions     = domain.Regions
	RegionError = domain.RegionError
	Weibull     = domain.Weibull
	Lifetime    = domain.Lifetime
	DensityCell = domain.DensityCell
	InputSource = domain.InputSource
)

// Outlet types and the default input names (see package domain).
const (
	OutletCollection    = domain.OutletCollection
	OutletCentral       = domain.OutletCentral
	DefaultStock        = domain.DefaultStock
	DefaultVehicleTypes = domain.DefaultVehicleTypes
	DefaultPlaces       = domain.DefaultPlaces
	DefaultOutlets      = domain.DefaultOutlets
	DefaultPlants       = domain.DefaultPlants
	DefaultFleet        = domain.DefaultFleet
	DefaultProvinces    = domain.DefaultProvinces
)

// The inputs a Loader reads besides stock and vehicle types (see domain.Need).
type Need = domain.Need

const (
	NeedPlaces    = domain.NeedPlaces
	NeedOutlets   = domain.NeedOutlets
	NeedPlants    = domain.NeedPlants
	NeedFleet     = domain.NeedFleet
	NeedProvinces = domain.NeedProvinces
	NeedStock     = domain.NeedStock
	NeedAll       = domain.NeedAll
)

// ParseRegions, ReadCandidates and ReadRoadMatrix: see package domain.
var (
	ParseRegions   = domain.ParseRegions
	ReadCandidates = domain.ReadCandidates
	ReadRoadMatrix = domain.ReadRoadMatrix
)
