package trace

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/planner/domain"
)

// A small week, worked by hand. Plant P1 has vans of 1000 kg and 4 packs
// at 50 km/h. Outlets O1-O6 hold 1000 kg each; O6 gets no stop this week.
//
//	Mon  P1-van-1  trip 1: O1 09:00-09:20 600 kg 2 packs, O2 10:00-10:20 300 kg 1 pack
//	               trip 2: O3 13:00-13:20 900 kg 3 packs
//	Mon  P1-van-2  trip 1: O4 09:30-09:50 400 kg 2 packs
//	Tue  P1-van-1  trip 1: O5 09:00-09:20 500 kg 2 packs
//	Wed  P1-van-1  trip 1: O1 09:00-09:20 600 kg 2 packs
func smallPlan(t testing.TB) *Plan {
	t.Helper()
	pt := func(dx float64) orb.Point { return orb.Point{113 + dx, 23} }
	places := Places{Plants: []domain.Plant{{ID: "P1", Name: "Plant one", Point: pt(0), Province: "CN-GD"}, {ID: "P2", Name: "Plant two", Point: pt(1), Province: "CN-GD"}}}
	for i := 1; i <= 6; i++ {
		places.Outlets = append(places.Outlets, domain.Outlet{ID: fmt.Sprintf("O%d", i), Name: fmt.Sprintf("Outlet %d", i), Point: pt(0.05 * float64(i)),
			Province: "CN-GD", Type: domain.OutletCollection, CapacityKg: 1000})
	}
	places.Fleet = []domain.FleetRow{{PlantID: "P1", VehicleType: "van", Count: 2, CapacityKg: 1000, CapacityPacks: 4, SpeedKmh: 50, ShiftHours: 10}}
	row := func(day int, vehicle string, trip, seq int, outlet string, arrive string, kg, packs, load, km float64) Stop {
		a, _ := domain.ParseTimeOfDay(arrive)
		return Stop{Day: day, Date: fmt.Sprintf("2030-03-%02d", 3+day), Plant: "P1", Vehicle: vehicle, VehicleType: "van", Trip: trip, Seq: seq,
			Outlet: outlet, Arrive: a, Depart: a + 20, PickupKg: kg, PickupPacks: packs, LoadKg: load, Km: km}
	}
	stops := []Stop{
		row(1, "P1-van-1", 1, 1, "O1", "09:00", 600, 2, 600, 5),
		row(1, "P1-van-1", 1, 2, "O2", "10:00", 300, 1, 900, 5),
		row(1, "P1-van-1", 2, 3, "O3", "13:00", 900, 3, 900, 15),
		row(1, "P1-van-2", 1, 1, "O4", "09:30", 400, 2, 400, 20),
		row(2, "P1-van-1", 1, 1, "O5", "09:00", 500, 2, 500, 25),
		row(3, "P1-van-1", 1, 1, "O1", "09:00", 600, 2, 600, 5),
	}
	var rates []OutletRate
	for i := 1; i <= 6; i++ {
		rates = append(rates, OutletRate{Outlet: fmt.Sprintf("O%d", i), Province: "CN-GD", CapacityKg: 1000, KgPerDay: 300, PacksPerDay: 1, CycleWeeks: 1})
	}
	p, err := NewPlan("routes.csv", stops, places, rates, 1.3)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// at is a plan time of the small week: day 1 = Monday 2030-03-04.
func at(day int, clock string) time.Time {
	c, err := domain.ParseTimeOfDay(clock)
	if err != nil {
		panic(err)
	}
	return time.Date(2030, 3, 3+day, 0, 0, 0, 0, PlanZone).Add(time.Duration(c) * time.Minute)
}

// code makes a valid code with a serial.
func code(chem byte, serial int) string { return fmt.Sprintf("S01P%c12ABCDEFGHJK%07d", chem, serial) }

// scansCSV renders scans as a file.
func scansCSV(t testing.TB, scans []Scan) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteScans(&b, scans); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// reconcileCSV reconciles scans (and an inventory, when inv is not "")
// and returns discrepancies.csv without its header.
func reconcileCSV(t testing.TB, p *Plan, scans []byte, inv string, opt ReconcileOptions) (string, *Result) {
	t.Helper()
	in := Input{Name: "inventory.csv", R: strings.NewReader(inv), Size: int64(len(inv))}
	if inv == "" {
		in = Input{}
	}
	res, err := Reconcile(context.Background(), p, Input{Name: "scans.csv", R: bytes.NewReader(scans), Size: int64(len(scans))}, in, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Close() })
	var b bytes.Buffer
	if err := res.WriteDiscrepancies(&b); err != nil {
		t.Fatal(err)
	}
	_, rows, _ := strings.Cut(b.String(), "\n")
	return rows, res
}

func writeFile(path, data string) error { return os.WriteFile(path, []byte(data), 0o644) }
