// Package validate checks facility-location results independently of the
// solver that produced them.
//
// It reads location.Problem and location.Result as plain data and recomputes
// everything from the documented model: which sites are open (new sites are
// candidates, listed once, exactly P of them for p-median and maximal
// covering), that every demand is served only by open facilities its row
// lists and never beyond its weight, facility loads within capacity,
// single-source assignments whole, the SetCover target, the objective (fixed
// costs, weighted distances, the unserved charge with its documented
// default), covered and unserved weight, and that the bound and gap are
// consistent with the cost (a lower bound for minimisation, an upper bound
// for maximal covering).
//
// It must not call any function or method of package location (not even
// Problem.Validate) nor share code with the solver: a bug shared by solver
// and validator would pass unnoticed. It imports location for its types only.
package validate
