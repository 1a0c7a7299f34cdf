package planner

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/planner/network"
	"github.com/rlplan/rlplan/solver/location"
)

func TestCapX(t *testing.T) {
	year, _ := strconv.Atoi(os.Getenv("CAPX_YEAR"))
	if year == 0 {
		t.Skip()
	}
	in, err := (&Loader{Defaults: datasets.FS}).Load(InputPaths{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ProjectRegistrations(in, DefaultRegistrations); err != nil {
		t.Fatal(err)
	}
	dem, err := CapacityDemand(in, year)
	if err != nil {
		t.Fatal(err)
	}
	tot := 0.0
	for _, d := range dem {
		tot += d.TonnesPerYear
	}
	fmt.Println("demand", len(dem), tot)
	costs := network.CapacityCosts{ExpansionCapexPerT: 8500, ExpansionYearlyPerT: 1267, NewCapexPerT: 10300, NewYearlyPerT: 1535, LinehaulCostPerKm: 11.6, LinehaulPayloadT: 25}
	it, _ := strconv.Atoi(os.Getenv("CAPX_IT"))
	kn, _ := strconv.Atoi(os.Getenv("CAPX_K"))
	tl, _ := strconv.Atoi(os.Getenv("CAPX_TL"))
	start := time.Now()
	cp, err := network.PlanCapacity(context.Background(), dem, in.Plants, CapacitySites(in), network.CapacityOptions{Costs: costs, NewPlantNeighbours: kn, Settings: location.Settings{MaxIterations: it, Seed: 1, TimeLimit: time.Duration(tl) * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("elapsed", time.Since(start), "U", cp.UnservedCostPerT)
	fmt.Println("cands", cp.Candidates, "bound", cp.Bound, "gap", cp.Gap)
	for _, s := range []*network.Solved{cp.Listed, cp.Relaxed, cp.Modular, cp.Invested} {
		if s == nil {
			continue
		}
		fmt.Printf("cost %.4g bound %.4g gap %.4f%% %v it %d el %v invest %.4g linehaul %.4g unserved %.4g processed %.0f unproc %.0f tkm %.4g\n", s.Cost, s.Bound, 100*s.Gap, s.Status, s.Iterations, s.Elapsed, s.InvestYearly, s.Linehaul, s.UnservedCharge, s.ProcessedT, s.UnprocessedT, s.TonneKm)
	}
	for _, p := range cp.Provinces {
		fmt.Printf("%s ret %.0f listed %.0f short %.0f | before local %.0f exp %.0f imp %.0f unp %.0f km %.0f | after added %.0f local %.0f exp %.0f imp %.0f unp %.0f km %.0f\n", p.Province, p.RetiringT, p.ListedT, p.ShortT,
			p.Before.LocalT, p.Before.ExportT, p.Before.ImportT, p.Before.UnprocessedT, p.Before.MeanKm, p.AddedT, p.After.LocalT, p.After.ExportT, p.After.ImportT, p.After.UnprocessedT, p.After.MeanKm)
	}
	for _, p := range cp.Plants {
		fmt.Printf("%s %s listed %.0f used %.0f bind %v short %.0f added %.0f after %.0f\n", p.Plant.ID, p.Plant.Province, p.ListedT, p.UsedT, p.Binding, p.ShortT, p.AddedT, p.UsedAfterT)
	}
	for _, v := range cp.Investments {
		fmt.Printf("%s %s %s %v added %.0f unlocked %.0f yearly %.3g cpt %.0f\n", v.ID, v.Name, v.Province, v.ModulesT, v.AddedT, v.UnlockedT, v.YearlyCNY, v.CostPerT)
	}
}
