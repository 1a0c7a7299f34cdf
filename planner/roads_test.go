package planner

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner/domain/domaintest"
)

func TestRoadMatrixReplacesEstimate(t *testing.T) {
	in, err := (&Loader{Defaults: domaintest.SmallFS()}).Load(InputPaths{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "roads.csv")
	// P1 -> O1 by road 50 km and 75 minutes (both ways); O1 <-> O2 and the
	// rest are not listed and fall back to the estimate.
	if err := os.WriteFile(path, []byte("from_id,to_id,km,minutes\nP1,O1,50,75\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	roads, err := ReadRoadMatrix(path, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := ScheduleOptions{Year: 2030, Week: "2030-W10", RadiusKm: 200, TimeLimit: time.Minute, Roads: roads, VehicleDayCost: 600, ReloadMin: 30}
	sch, err := PlanWeek(context.Background(), in, Regions{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(sch.Stops) == 0 {
		t.Fatal("no stops")
	}
	d, _ := geo.NewDetour(1.3)
	checked := 0
	for _, st := range sch.Stops {
		if st.Seq != 1 {
			continue
		}
		want := 50.0
		if st.Outlet == "O2" {
			want = float64(geo.Road(in.Plants[0].Point, in.Outlets[1].Point, d))
		}
		if math.Abs(st.Km-want) > 1e-9 {
			t.Errorf("first leg to %s: %.3f km, want %.3f km", st.Outlet, st.Km, want)
		}
		if st.Outlet != "O1" {
			continue
		}
		checked++
		for _, v := range sch.Vehicles {
			if v.Vehicle == st.Vehicle && v.Day == st.Day && math.Abs(st.Arrive-v.Startat-75) > 1e-9 {
				t.Errorf("O1 reached %.1f min after leaving the plant, want the file's 75", st.Arrive-v.Startat)
			}
		}
	}
	if checked == 0 {
		t.Fatal("O1 is never the first stop: the test checks nothing")
	}
}

func TestReadRoadMatrixErrors(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct{ data, want string }{
		"negative":  {"from_id,to_id,km\nP1,O1,-3\n", `column "km"`},
		"duplicate": {"from_id,to_id,km\nP1,O1,3\nP1,O1,4\n", "appears twice"},
		"missing":   {"from_id,km\nP1,3\n", `column "to_id"`},
	} {
		path := filepath.Join(dir, name+".csv")
		os.WriteFile(path, []byte(c.data), 0o644)
		if _, err := ReadRoadMatrix(path, nil, nil); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming %s and containing %q", name, err, path, c.want)
		}
	}
}
