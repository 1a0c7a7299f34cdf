package week

import (
	"testing"

	"github.com/rlplan/rlplan/planner/domain"

	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/periodic"
)

// tripsProblem: a plant and three outlets, each 30 minutes (and 25 km) from
// the plant and 40 minutes from each other; 20 minutes of service; outlets
// open 08:00 to close.
func tripsProblem(close float64) *periodic.Problem {
	p := &periodic.Problem{Days: 1}
	for a := 0; a < 4; a++ {
		var dist, dur []float64
		for b := 0; b < 4; b++ {
			switch {
			case a == b:
				dist, dur = append(dist, 0), append(dur, 0)
			case a == 0 || b == 0:
				dist, dur = append(dist, 25), append(dur, 30)
			default:
				dist, dur = append(dist, 30), append(dur, 40)
			}
		}
		p.Distance, p.Duration = append(p.Distance, dist), append(p.Duration, dur)
	}
	for j := 0; j < 3; j++ {
		p.Jobs = append(p.Jobs, periodic.Job{Job: routing.Job{Location: j + 1, Service: 20,
			Windows: []routing.TimeWindow{{Open: 480, Close: close}}}})
	}
	return p
}

// The engine's one-trip-per-truck timetable: leave 07:00, arrive 07:30,
// wait for 08:00, serve 20 min, back 08:50.
func engineRoutes() []routing.Route {
	var rs []routing.Route
	for j := 0; j < 3; j++ {
		rs = append(rs, routing.Route{Vehicle: j, Jobs: []int{j}, Arrival: []float64{450}, Start: []float64{480},
			Depart: 420, Return: 530, Distance: 50, Duration: 110})
	}
	return rs
}

func TestChainTripsHandChecked(t *testing.T) {
	type trip struct{ depart, arrive, start, ret float64 }
	cases := []struct {
		name     string
		close    float64 // outlets' last service start
		shiftEnd float64
		maxTrips int
		want     [][]trip // per truck
	}{
		// 07:00-08:50; 30 min unloading; 09:20 out, 09:50 there, back 10:40;
		// 11:10 out, 11:40 there, back 12:30.
		{"one truck", 1080, 900, 3, [][]trip{{{420, 450, 480, 530}, {560, 590, 590, 640}, {670, 700, 700, 750}}}},
		{"two trips at most", 1080, 900, 2, [][]trip{{{420, 450, 480, 530}, {560, 590, 590, 640}}, {{420, 450, 480, 530}}}},
		// The third trip would be back at 12:30, after a shift ending 12:00.
		{"shift ends", 1080, 720, 3, [][]trip{{{420, 450, 480, 530}, {560, 590, 590, 640}}, {{420, 450, 480, 530}}}},
		// Outlets take no one after 10:00: the third trip would arrive 11:40.
		{"outlets close", 600, 900, 3, [][]trip{{{420, 450, 480, 530}, {560, 590, 590, 640}}, {{420, 450, 480, 530}}}},
		{"one trip per truck", 1080, 900, 1, [][]trip{{{420, 450, 480, 530}}, {{420, 450, 480, 530}}, {{420, 450, 480, 530}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			trucks := chainTrips(tripsProblem(c.close), engineRoutes(), c.shiftEnd, 30, c.maxTrips)
			if len(trucks) != len(c.want) {
				t.Fatalf("%d trucks, want %d", len(trucks), len(c.want))
			}
			seen := map[int]bool{}
			for k, tr := range trucks {
				if len(tr) != len(c.want[k]) {
					t.Fatalf("truck %d: %d trips, want %d", k+1, len(tr), len(c.want[k]))
				}
				for i, tt := range tr {
					w := c.want[k][i]
					got := trip{tt.depart, tt.arrival[0], tt.start[0], tt.ret}
					if got != w {
						t.Errorf("truck %d trip %d: %+v, want %+v", k+1, i+1, got, w)
					}
					if tt.distance != 50 {
						t.Errorf("truck %d trip %d: %g km, want 50", k+1, i+1, tt.distance)
					}
					seen[tt.jobs[0]] = true
				}
			}
			if len(seen) != 3 {
				t.Errorf("outlets served %v, want all three once", seen)
			}
		})
	}
}

// A trip of two stops is retimed stop by stop: travel, wait for the
// window, service, travel on.
func TestRetimeTwoStops(t *testing.T) {
	p := tripsProblem(1080)
	tt, ok := retime(p, []int{0, 2}, 400, 900)
	// 06:40 out; 07:10 at outlet 1, waits to 08:00, leaves 08:20; 09:00 at
	// outlet 3, leaves 09:20; back 09:50. 25 + 30 + 25 km.
	if !ok || tt.arrival[0] != 430 || tt.start[0] != 480 || tt.arrival[1] != 540 || tt.start[1] != 540 || tt.ret != 590 || tt.distance != 80 {
		t.Fatalf("retime = %+v ok=%v", tt, ok)
	}
	if _, ok := retime(p, []int{0, 2}, 400, 589); ok {
		t.Error("back at 09:50 accepted with the shift ending 09:49")
	}
}

// packWeek: three one-stop trips fit one truck in a long shift, two
// in a shift ending 12:00, so a one-truck fleet only fits the first.
func TestPackWeekFits(t *testing.T) {
	res := &periodic.Result{Days: [][]routing.Route{engineRoutes()}}
	opt := &Options{TripsPerDay: 3, ReloadMin: 30}
	for _, c := range []struct {
		shiftEnd float64
		trucks   int
		want     bool
	}{{900, 1, true}, {720, 1, false}, {720, 2, true}, {900, 3, true}} {
		p := tripsProblem(1080)
		p.Vehicles = []routing.VehicleType{{Count: 3 * c.trucks, ShiftStart: 420, ShiftEnd: c.shiftEnd}}
		fleet := []domain.FleetRow{{Count: c.trucks}}
		if _, got := packWeek(p, res, fleet, opt); got != c.want {
			t.Errorf("shift to %s, %d trucks: chains = %v, want %v", domain.ClockOf(c.shiftEnd), c.trucks, got, c.want)
		}
	}
}
