package domain

// The catchments of outlets: which outlet collects the packs retiring in
// each cell, and so how fast each outlet fills. package network computes
// them (within each outlet's throughput); package week turns them into visit
// rules.

// Causes of retirement mass that no outlet collects.
const (
	// LeftBeyondRadius: no outlet is within the catchment radius by road.
	LeftBeyondRadius = "beyond_radius"
	// LeftOverCapacity: outlets are within the radius, but their weekly
	// throughput (storage limit x fill target x the visits a week their
	// schedule allows) is taken by nearer cells.
	LeftOverCapacity = "over_capacity"
)

// Rate is an outlet's accumulation: what its catchment brings in a day.
type Rate struct {
	KgPerDay    float64
	PacksPerDay float64
}

// Leftover is retirement mass no outlet collects, for one cause.
type Leftover struct {
	Cause string
	// Cells counts the cells with mass left for this cause (a cell split
	// between absorbed and over capacity counts once, here).
	Cells         int
	TonnesPerYear float64
}

// Catchments are the outlets' accumulation rates.
type Catchments struct {
	// Outlets are the outlets considered; Rates[i] is Outlets[i]'s.
	Outlets []Outlet
	Rates   []Rate
	// Left lists what no outlet collects, by cause (causes with mass only).
	Left []Leftover
}

// PlantKm is a plant (an index into a plants list) in reach of a place and
// the road km to it.
type PlantKm struct {
	Plant int
	Km    float64
}
