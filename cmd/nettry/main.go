package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/planner"
	"github.com/rlplan/rlplan/planner/domain"
	"github.com/rlplan/rlplan/planner/network"
	"github.com/rlplan/rlplan/solver/location"
)

func main() {
	region := os.Args[1]
	obj := os.Args[2]
	l := &planner.Loader{Defaults: datasets.FS}
	in, err := l.Load(planner.InputPaths{})
	if err != nil {
		panic(err)
	}
	costs, err := l.LoadCosts("")
	if err != nil {
		panic(err)
	}
	reg, _ := planner.ParseRegions(in, []string{region})
	planner.ProjectRegistrations(in, planner.DefaultScenario().Registrations)
	cells, err := planner.Density(context.Background(), in, 2030, 7, reg)
	if err != nil {
		panic(err)
	}
	var outlets []planner.Outlet
	for _, o := range in.Outlets {
		if reg.Keep(o.Province) {
			outlets = append(outlets, o)
		}
	}
	pts := make([]orb.Point, len(outlets))
	for i, o := range outlets {
		pts[i] = o.Point
	}
	d, _ := geo.NewDetour(1.3)
	reach, _ := network.Indexed(pts, d)
	tp := network.Throughput{Fill: 0.8, WorkDays: 6}
	t0 := time.Now()
	c, err := network.Assign(context.Background(), cells, outlets, 15, reach, tp)
	if err != nil {
		panic(err)
	}
	tot := 0.0
	for _, c := range cells {
		tot += c.Tonnes
	}
	fmt.Println(len(cells), len(outlets), time.Since(t0), c.Status, "total", tot, "absorbed", c.AbsorbedT, "over", c.OverCapacityT, "beyond", c.BeyondT)
	places, err := network.DefaultPlaces(cells, c, in.Places, reg.Keep, 7, 3000)
	if err != nil {
		panic(err)
	}
	get := func(k, u string) float64 { v, err := costs.Get(k, u); if err != nil { panic(err) }; return v }
	cat := network.Catalogue{Types: []network.SiteType{
		{Name: "collection", OutletType: domain.OutletCollection, StorageKg: 5000, YearlyCost: get("collection_outlet_yearly_cost", "CNY/yr")},
		{Name: "central", OutletType: domain.OutletCentral, StorageKg: 30000, YearlyCost: get("central_storage_yearly_cost", "CNY/yr")}},
		Upgrades: []network.Upgrade{{From: domain.OutletCollection, To: network.SiteType{Name: "central", OutletType: domain.OutletCentral, StorageKg: 30000}, YearlyCost: get("upgrade_collection_to_central_yearly_cost", "CNY/yr")}}}
	pf, _ := os.Create("/tmp/net/cpu.prof")
	pprof.StartCPUProfile(pf)
	defer pprof.StopCPUProfile()
	t0 = time.Now()
	sp := &network.SitingProblem{Cells: cells, Outlets: outlets, Places: places, Catalogue: cat, Objective: obj, Target: 0.99, RadiusKm: 15, Detour: d,
		Throughput: tp, CostPerTonneKm: 2, Before: c, Settings: location.Settings{TimeLimit: 20 * time.Second, MaxIterations: 30}}
	r, err := network.Site(context.Background(), sp)
	if err != nil {
		panic(err)
	}
	types := map[string]int{}
	for _, s := range r.Sites {
		types[s.Site.Name]++
	}
	fmt.Println("siting", time.Since(t0), len(places), r.Facilities, "sites", types, "upgrades", len(r.Upgrades), "yearly", r.YearlyCost, r.Status, r.Gap, r.HasBound,
		"after absorbed", r.After.AbsorbedT, "over", r.After.OverCapacityT, "beyond", r.After.BeyondT)
}

