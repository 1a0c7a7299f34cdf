package routing_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/rlplan/rlplan/solver/routing"
)

// planLine is a problem of six pickups on a line, two trucks of capacity 3.
func planLine(t *testing.T) (*routing.Model, *routing.Plan) {
	t.Helper()
	xs := []float64{0, 1, 2, 3, -1, -2, -3}
	d := make([][]float64, len(xs))
	for i := range xs {
		d[i] = make([]float64, len(xs))
		for j := range xs {
			d[i][j] = math.Abs(xs[i] - xs[j])
		}
	}
	p := &routing.Problem{Distance: d, Vehicles: []routing.VehicleType{{ID: "truck", Count: 2, Capacity: []int64{3}, CostPerDistance: 1}}}
	for k := 1; k < len(xs); k++ {
		p.Jobs = append(p.Jobs, routing.Job{ID: string(rune('a' + k - 1)), Location: k, Amount: []int64{1}})
	}
	m, err := routing.NewModel(p)
	if err != nil {
		t.Fatal(err)
	}
	pl := m.NewPlan(1)
	for j := range p.Jobs {
		ins, ok := pl.BestInsertion(j)
		if !ok || !pl.Insert(ins) {
			t.Fatalf("job %d does not fit", j)
		}
	}
	return m, pl
}

func TestPlanUndoRestoresRoutes(t *testing.T) {
	_, pl := planLine(t)
	// Each side's three pickups on one truck: 6 + 6.
	if pl.Cost() != 12 || pl.Arcs() != 8 {
		t.Fatalf("cost %g, arcs %d, want 12 and 8 (two routes of three stops)", pl.Cost(), pl.Arcs())
	}
	before := pl.Routes()
	pl.Begin()
	pl.Remove(2) // the farthest east
	pl.Remove(3) // the nearest west
	if pl.Cost() != 10 {
		t.Fatalf("cost after two removals %g, want 10", pl.Cost())
	}
	ins, ok := pl.BestInsertion(3)
	if !ok || !pl.Insert(ins) {
		t.Fatal("job 3 does not fit back")
	}
	pl.Undo()
	if pl.Cost() != 12 || !reflect.DeepEqual(pl.Routes(), before) {
		t.Fatalf("after Undo: cost %g routes %+v, want 12 and %+v", pl.Cost(), pl.Routes(), before)
	}
	// Commit keeps the change; SaveTo and Restore take it back.
	var st routing.PlanState
	pl.SaveTo(&st)
	pl.Begin()
	pl.Remove(0)
	pl.Commit()
	if pl.Has(0) || pl.Cost() != 12 {
		t.Fatalf("after Commit: job 0 in plan %v, cost %g; want out, 12 (the truck still goes to 3)", pl.Has(0), pl.Cost())
	}
	pl.Restore(st)
	if !pl.Has(0) || !reflect.DeepEqual(pl.Routes(), before) {
		t.Fatalf("after Restore: routes %+v, want %+v", pl.Routes(), before)
	}
}
