package routing_test

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rlplan/rlplan/solver"
	"github.com/rlplan/rlplan/solver/routing"
	"github.com/rlplan/rlplan/solver/routing/bench"
	"github.com/rlplan/rlplan/solver/routing/validate"
)

var (
	benchFamily = flag.String("family", "", "benchmark family for TestBenchFamily: cvrp, vrptw or mdvrp")
	benchFilter = flag.String("only", "", "comma-separated instance names (default all)")
	benchTime   = flag.Duration("tl", 2*time.Second, "time limit per instance")
	benchWork   = flag.Int("workers", 1, "workers per solve")
)

// TestBenchFamily runs a benchmark family and prints a gap table. It is
// skipped unless -family is given, e.g.
//
//	go test ./solver/routing -run TestBenchFamily -family cvrp -tl 30s -v
func TestBenchFamily(t *testing.T) {
	if *benchFamily == "" {
		t.Skip("set -family to run")
	}
	if v := os.Getenv("T0"); v != "" {
		*routing.TempStart, _ = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("SQZ"); v != "" {
		*routing.SqueezeEvery, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("CBAR"); v != "" {
		*routing.Cbar, _ = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("LMAX"); v != "" {
		*routing.Lmax, _ = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("CANDK"); v != "" {
		*routing.CandNear, _ = strconv.Atoi(v)
	}
	if os.Getenv("NOLSB") != "" {
		*routing.LSBest = false
	}
	if v := os.Getenv("TWSQZA"); v != "" {
		*routing.TWSqueezeAbove, _ = strconv.Atoi(v)
	}
	if os.Getenv("TWPOLISH") != "" {
		*routing.TWPolishFirst = true
	}
	if v := os.Getenv("TWLSFROM"); v != "" {
		*routing.TWLSFrom, _ = strconv.ParseFloat(v, 64)
	}
	if os.Getenv("TWORD") == "0" {
		*routing.TWOrders = false
	}
	if v := os.Getenv("TWORDW"); v != "" {
		*routing.TWOrderDraws, _ = strconv.Atoi(v)
	}
	if os.Getenv("TWSQZ") == "0" {
		*routing.TWSqueeze = false
	}
	if v := os.Getenv("TRAJ"); v != "" {
		*routing.Trajectories, _ = strconv.Atoi(v)
	}
	if os.Getenv("LSE") != "" {
		*routing.LSEvery = true
	}
	if os.Getenv("NOSTAR") != "" {
		*routing.SwapStar = false
	}
	if os.Getenv("STARTW") != "" {
		*routing.SwapStarTW = true
	}
	if os.Getenv("CROSS") != "" {
		*routing.CrossOn = true
	}
	if os.Getenv("CROSSFULL") != "" {
		*routing.CrossFullLS = true
	}
	if v := os.Getenv("CULLS"); v != "" {
		*routing.CullAt, _ = strconv.Atoi(v)
	}
	if os.Getenv("TWARP") != "" { // penalised time windows (twarp.go)
		*routing.WarpOn = true
	}
	for _, e := range []struct {
		env string
		v   *float64
	}{{"TWTARGET", routing.WarpTarget}, {"TWINIT", routing.WarpInit}, {"TWUP", routing.WarpUp}, {"TWDOWN", routing.WarpDown}, {"TWEND", routing.WarpEnd}} {
		if v := os.Getenv(e.env); v != "" {
			*e.v, _ = strconv.ParseFloat(v, 64)
		}
	}
	if os.Getenv("PROBE") != "" { // route-count probes at the last culls (pool_probe.go)
		*routing.ProbeOn = true
	}
	if v := os.Getenv("ELITE"); v != "" {
		*routing.EliteFrom, _ = strconv.Atoi(v)
	}
	if os.Getenv("PROBEDOWN") == "0" {
		*routing.ProbeDown = false
	}
	if v := os.Getenv("PROBEFROM"); v != "" {
		*routing.ProbeFrom, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("PROBESQ"); v != "" {
		*routing.ProbeSqueeze, _ = strconv.Atoi(v)
	}
	if os.Getenv("TWSQ") != "" {
		*routing.WarpSqueeze = true
	}
	if os.Getenv("TWMIX") != "" {
		*routing.WarpMix = true
	}
	if v := os.Getenv("TWEVERY"); v != "" {
		*routing.WarpEvery, _ = strconv.Atoi(v)
	}
	if os.Getenv("DIV") != "" {
		*routing.DivOn = true
	}
	if os.Getenv("DIVROUTES") != "" {
		*routing.DivRoutes = true
	}
	if v := os.Getenv("DIVCULLS"); v != "" {
		*routing.CullAtDiv, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("DIVELITE"); v != "" {
		*routing.DivElite, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("STARNEAR"); v != "" {
		*routing.StarNear, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("GRANK"); v != "" {
		*routing.GranOn = true
		*routing.GranK, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("GRANWALK"); v != "" {
		*routing.GranWalk, _ = strconv.Atoi(v)
	}
	if os.Getenv("GRANNODEP") != "" {
		*routing.GranDepot = false
	}
	if v := os.Getenv("TF"); v != "" {
		*routing.TempEnd, _ = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("TNEAR"); v != "" { // neighbour-scaled temperature on plain CVRP (temp.go)
		*routing.NearTemp = true
		*routing.NearTempStart, _ = strconv.ParseFloat(v, 64)
		*routing.NearTempEnd = *routing.NearTempStart / 100
	}
	if v := os.Getenv("TFNEAR"); v != "" {
		*routing.NearTempEnd, _ = strconv.ParseFloat(v, 64)
	}
	if os.Getenv("TNEARCAP") != "" { // the neighbour scale only cools (temp.go: nearCap)
		*routing.NearCap = true
	}
	if os.Getenv("CFAST") == "0" { // the first solution polished by the engine's local search (solve.go: constructFast)
		*routing.ConstructFast = false
	}
	if v := os.Getenv("NEARK"); v != "" {
		*routing.NearK, _ = strconv.Atoi(v)
	}
	hgsEnv()
	dir := filepath.Join("/work/shared/bench", *benchFamily)
	bks, err := readBKS(filepath.Join(dir, "bks.csv"))
	if err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	var sum, worst float64
	cnt := 0
	for _, e := range ents {
		name := e.Name()
		var p *routing.Problem
		var inst string
		switch {
		case *benchFamily == "cvrp" && strings.HasSuffix(name, ".vrp"):
			inst = strings.TrimSuffix(name, ".vrp")
		case *benchFamily == "vrptw" && strings.HasSuffix(name, ".txt"):
			inst = strings.TrimSuffix(name, ".txt")
		case *benchFamily == "mdvrp" && strings.HasSuffix(name, ".txt"):
			inst = strings.TrimSuffix(name, ".txt")
		default:
			continue
		}
		if *benchFilter != "" && !strings.Contains(","+*benchFilter+",", ","+inst+",") {
			continue
		}
		bc, ok := bks[inst]
		if !ok {
			continue
		}
		path := filepath.Join(dir, name)
		switch *benchFamily {
		case "cvrp":
			p, err = bench.ReadCVRP(path)
		case "vrptw":
			p, err = bench.ReadVRPTW(path)
		case "mdvrp":
			p, err = bench.ReadMDVRP(path)
		}
		if err != nil {
			t.Fatal(err)
		}
		if os.Getenv("MINV") != "" {
			p.MinimizeVehicles = true
		}
		maxIt, _ := strconv.Atoi(os.Getenv("MAXIT"))
		if maxIt == 0 {
			maxIt = -1 // timed runs unless MAXIT is set
		}
		res, err := routing.Solve(context.Background(), p, &routing.Settings{TimeLimit: *benchTime, Workers: *benchWork, MaxIterations: maxIt, Seed: benchSeed()})
		if err != nil {
			t.Fatal(err)
		}
		if err := validate.Check(p, res); err != nil {
			t.Errorf("%s: %v", inst, err)
		}
		if err := validate.Complete(res); err != nil {
			t.Errorf("%s: %v", inst, err)
		}
		if os.Getenv("DUMP") != "" {
			for _, r := range res.Routes {
				fmt.Println("route", r.Jobs)
			}
		}
		gap := 100 * (res.Cost - bc) / bc
		sum += gap
		worst = max(worst, gap)
		cnt++
		fmt.Printf("%-12s n=%4d bks=%10.2f cost=%10.2f gap=%6.2f%% routes=%3d iters=%8d %v\n", inst, len(p.Jobs), bc, res.Cost, gap, len(res.Routes), res.Iterations, res.Elapsed.Round(time.Millisecond))
	}
	if cnt > 0 {
		fmt.Printf("%s: %d instances, mean gap %.2f%%, worst %.2f%%\n", *benchFamily, cnt, sum/float64(cnt), worst)
	}
}

// readBKS reads a bks.csv by column name: distance_only_bks_cost when present
// and non-empty (VRPTW distance-only reference), else bks_cost.
func readBKS(path string) (map[string]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	out := map[string]float64{}
	for _, r := range rows[1:] {
		v := r[col["bks_cost"]]
		if i, ok := col["distance_only_bks_cost"]; ok && r[i] != "" {
			v = r[i]
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: instance %s: bks %q: %v", path, r[0], v, err)
		}
		out[r[0]] = x
	}
	return out, nil
}

func benchSeed() solver.Seed {
	if v, err := strconv.ParseUint(os.Getenv("SEED"), 10, 64); err == nil {
		return solver.Seed(v)
	}
	return 1
}

// hgsEnv reads the population search's settings (pool_hgs.go): HGS=1 on,
// HGSUNIT (local-search visits an iteration), HGSMIN/HGSMAX (active visits
// where it runs), HGSINIT (initial children), HGSNEAR (neighbours of its
// local search), HGSNOPOLISH=1, HGSFAST=0 (the engine's local search
// instead of cvrpls.go's), HGSFUNIT (cvrpls move evaluations an iteration).
func hgsEnv() {
	if os.Getenv("HGS") != "" {
		*routing.HGSOn = true
	}
	if v := os.Getenv("HGSUNIT"); v != "" {
		*routing.HGSUnit, _ = strconv.ParseFloat(v, 64)
	}
	for env, p := range map[string]*int{"HGSMIN": routing.HGSMin, "HGSMAX": routing.HGSMax, "HGSINIT": routing.HGSInit, "HGSNEAR": routing.HGSNear, "HGSSA": routing.HGSSA} {
		if v := os.Getenv(env); v != "" {
			*p, _ = strconv.Atoi(v)
		}
	}
	if v := os.Getenv("HGSPOLAR"); v != "" {
		*routing.HGSPolar = v != "0"
	}
	if os.Getenv("HGSNOPOLISH") != "" {
		*routing.HGSPolish = false
	}
	if v := os.Getenv("FILOLS"); v != "" { // the localised search after every ruin and recreate (cvrpls_filo.go)
		*routing.FiloOn = v != "0"
	}
	if os.Getenv("FILOCHEAP") != "" {
		*routing.FiloCheap = true
	}
	if os.Getenv("FILONOSTAR") != "" {
		*routing.FiloStar = false
	}
	if v := os.Getenv("FILOSTARK"); v != "" {
		*routing.FiloStarK, _ = strconv.Atoi(v)
	}
	if os.Getenv("FILOFOCUS") == "routes" {
		*routing.FiloRoutes = true
	}
	if v := os.Getenv("FILOHEAT"); v != "" {
		*routing.FiloHeat, _ = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("SQLQ"); v != "" {
		*routing.SqLQ, _ = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("SQSOFT"); v != "" { // the priced squeeze (cvrpls_squeeze.go)
		*routing.SqSoftOn = v != "0"
	}
	if v := os.Getenv("FILOSKIP"); v != "" { // spare hopeless steps (cvrpls_filo_skip.go)
		*routing.FiloSkip = v != "0"
	}
	if v := os.Getenv("FILOGAINS"); v != "" {
		*routing.FiloGainWindow, _ = strconv.Atoi(v)
	}
	if os.Getenv("POLISH") != "" {
		*routing.CVRPPolish = true
	}
	if os.Getenv("HGSSTAT") != "" {
		*routing.HGSReport = func(n int) { fmt.Fprintf(os.Stderr, "hgs children %d\n", n) }
	}
	if os.Getenv("HGSFAST") == "0" {
		*routing.HGSFast = false
	}
	if v := os.Getenv("HGSFUNIT"); v != "" {
		*routing.HGSFastUnit, _ = strconv.ParseFloat(v, 64)
	}
}
