package trace

import (
	"bytes"
	"context"
	"testing"
)

// BenchmarkReconcile reconciles a simulated file of 192,000 scan events
// (the small week's 12 packs at scale 8,000) in memory.
// go test ./planner/trace -run '^$' -bench Reconcile -benchmem
func BenchmarkReconcile(b *testing.B) {
	p := smallPlan(b)
	sim, err := Simulate(p, SimOptions{Seed: 1, Scale: 8000})
	if err != nil {
		b.Fatal(err)
	}
	data := scansCSV(b, sim.Scans)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Reconcile(context.Background(), p, Input{Name: "scans.csv", R: bytes.NewReader(data), Size: int64(len(data))}, Input{}, ReconcileOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Events != int64(len(sim.Scans)) || res.Discrepancies != 0 {
			b.Fatalf("%d events, %d discrepancies", res.Events, res.Discrepancies)
		}
		res.Close()
	}
}
