// Package report renders a plan's figures for people to read: the HTML map
// (the density grid at several levels of detail, province figures, plant
// catchments, the KPI panel and the catalogue of layer kinds, see map.go).
//
// It takes typed values that package planner gathers from a plan, and
// imports planner/domain, geo and geo/webmap; never planner or a sibling
// sub-package. Everything it writes is deterministic: the same plan gives the
// same bytes.
package report
