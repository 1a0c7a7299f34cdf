package roads

import (
	"container/heap"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"

	"github.com/rlplan/rlplan/geo/roads/roadstest"
)

// The reference below shares no code with the package: it reads the PBF
// itself, applies the documented truck rules written out again, keeps every
// way node as a vertex (no merging), snaps nothing (points are raw nodes)
// and runs a textbook Dijkstra with container/heap.

var refSpeed = map[string]float64{
	"motorway": 80, "trunk": 60, "primary": 60, "secondary": 50, "tertiary": 40,
	"unclassified": 30, "residential": 30, "motorway_link": 40, "trunk_link": 30,
	"primary_link": 30, "secondary_link": 30, "tertiary_link": 30, "service": 15, "living_street": 10,
}

// refWay returns the speed and allowed directions of a way, ok=false when a
// loaded dangerous-goods truck may not use it.
func refWay(tg map[string]string) (kmh float64, fwd, bwd, ok bool) {
	kmh, ok = refSpeed[tg["highway"]]
	if !ok || tg["area"] == "yes" || tg["hazmat"] == "no" {
		return 0, false, false, false
	}
	for _, k := range []string{"hgv", "motor_vehicle", "vehicle", "access"} {
		if v, has := tg[k]; has {
			switch v {
			case "no", "private", "agricultural", "forestry", "emergency", "psv", "bus", "permit", "military":
				return 0, false, false, false
			}
			break
		}
	}
	fwd, bwd = true, true
	switch tg["oneway"] {
	case "yes", "true", "1":
		bwd = false
	case "-1", "reverse":
		fwd = false
	case "reversible", "alternating":
		return 0, false, false, false
	case "no", "false", "0":
	default:
		if tg["highway"] == "motorway" || tg["junction"] == "roundabout" || tg["junction"] == "circular" {
			bwd = false
		}
	}
	lim, has := tg["maxspeed:hgv"]
	if !has {
		lim = tg["maxspeed"]
	}
	lim, _, _ = strings.Cut(lim, ";")
	lim = strings.TrimSpace(lim)
	f := 1.0
	if strings.HasSuffix(lim, "mph") {
		lim, f = strings.TrimSpace(strings.TrimSuffix(lim, "mph")), 1.609344
	}
	lim = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(lim, "km/h"), "kmh"))
	if v, err := strconv.ParseFloat(lim, 64); err == nil && v > 0 && v*f < kmh {
		kmh = v * f
	}
	return kmh, fwd, bwd, true
}

// refBlocks reports a node a truck cannot pass.
func refBlocks(tg map[string]string) bool {
	b, has := tg["barrier"]
	if !has {
		return false
	}
	for _, k := range []string{"hgv", "motor_vehicle", "vehicle", "access"} {
		if v, has := tg[k]; has {
			switch v {
			case "no", "private", "agricultural", "forestry", "emergency", "psv", "bus", "permit", "military":
				return true
			}
			return false
		}
	}
	switch b {
	case "gate", "lift_gate", "swing_gate", "toll_booth", "border_control", "cattle_grid", "entrance", "no", "sally_port", "height_restrictor":
		return false
	}
	return true
}

func refHaversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0088
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(math.Min(1, h)))
}

type refEdge struct {
	to      int
	min, km float64
}

type refGraph struct {
	lat, lon []float64
	adj      [][]refEdge
	snappy   []bool // on a way points may be on (not a motorway or its ramp)
	blocked  []bool
}

// refRead builds the raw graph: one vertex per way node, one edge per
// consecutive pair.
func refRead(t *testing.T, path string) *refGraph {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type way struct {
		nodes    []osm.NodeID
		kmh      float64
		fwd, bwd bool
		snap     bool
	}
	var ways []way
	index := map[osm.NodeID]int{}
	var coords []orb.Point
	var blocked []bool
	s := osmpbf.New(context.Background(), f, 2)
	for s.Scan() {
		switch o := s.Object().(type) {
		case *osm.Node:
			index[o.ID] = len(coords)
			coords = append(coords, orb.Point{o.Lon, o.Lat})
			blocked = append(blocked, refBlocks(o.Tags.Map()))
		case *osm.Way:
			tg := o.Tags.Map()
			if kmh, fwd, bwd, ok := refWay(tg); ok {
				ways = append(ways, way{o.Nodes.NodeIDs(), kmh, fwd, bwd, tg["highway"] != "motorway" && tg["highway"] != "motorway_link"})
			}
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	g := &refGraph{}
	vertex := map[int]int{}
	vid := func(n int) int {
		if v, ok := vertex[n]; ok {
			return v
		}
		vertex[n] = len(g.lat)
		g.lat, g.lon = append(g.lat, coords[n][1]), append(g.lon, coords[n][0])
		g.adj = append(g.adj, nil)
		g.snappy = append(g.snappy, false)
		g.blocked = append(g.blocked, blocked[n])
		return vertex[n]
	}
	for _, w := range ways {
		for k := 1; k < len(w.nodes); k++ {
			n1, ok1 := index[w.nodes[k-1]]
			n2, ok2 := index[w.nodes[k]]
			if !ok1 || !ok2 || n1 == n2 || blocked[n1] || blocked[n2] {
				continue
			}
			a, b := vid(n1), vid(n2)
			g.snappy[a] = g.snappy[a] || w.snap
			g.snappy[b] = g.snappy[b] || w.snap
			km := refHaversineKm(g.lat[a], g.lon[a], g.lat[b], g.lon[b])
			e := km / w.kmh * 60
			if w.fwd {
				g.adj[a] = append(g.adj[a], refEdge{b, e, km})
			}
			if w.bwd {
				g.adj[b] = append(g.adj[b], refEdge{a, e, km})
			}
		}
	}
	return g
}

// largestSCC by Kosaraju with explicit stacks.
func (g *refGraph) largestSCC() []int {
	n := len(g.adj)
	radj := make([][]int, n)
	for a, es := range g.adj {
		for _, e := range es {
			radj[e.to] = append(radj[e.to], a)
		}
	}
	seen := make([]bool, n)
	var order []int
	for r := 0; r < n; r++ {
		if seen[r] {
			continue
		}
		type fr struct{ v, i int }
		st := []fr{{r, 0}}
		seen[r] = true
		for len(st) > 0 {
			top := &st[len(st)-1]
			if top.i < len(g.adj[top.v]) {
				w := g.adj[top.v][top.i].to
				top.i++
				if !seen[w] {
					seen[w] = true
					st = append(st, fr{w, 0})
				}
				continue
			}
			order = append(order, top.v)
			st = st[:len(st)-1]
		}
	}
	comp := make([]int, n)
	for i := range comp {
		comp[i] = -1
	}
	var best []int
	for k := n - 1; k >= 0; k-- {
		r := order[k]
		if comp[r] >= 0 {
			continue
		}
		members := []int{r}
		comp[r] = r
		for q := 0; q < len(members); q++ {
			for _, w := range radj[members[q]] {
				if comp[w] < 0 {
					comp[w] = r
					members = append(members, w)
				}
			}
		}
		if len(members) > len(best) {
			best = members
		}
	}
	return best
}

type refItem struct {
	v       int
	min, km float64
}
type refHeap []refItem

func (h refHeap) Len() int { return len(h) }
func (h refHeap) Less(i, j int) bool {
	return h[i].min < h[j].min || h[i].min == h[j].min && h[i].km < h[j].km
}
func (h refHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *refHeap) Push(x any)   { *h = append(*h, x.(refItem)) }
func (h *refHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// dijkstra returns the fastest (then shortest) minutes and km from src to
// every vertex, with lazy deletion.
func (g *refGraph) dijkstra(src int) (min, km []float64) {
	n := len(g.adj)
	min, km = make([]float64, n), make([]float64, n)
	for i := range min {
		min[i], km[i] = math.Inf(1), math.Inf(1)
	}
	done := make([]bool, n)
	min[src], km[src] = 0, 0
	h := &refHeap{{src, 0, 0}}
	for h.Len() > 0 {
		it := heap.Pop(h).(refItem)
		if done[it.v] {
			continue
		}
		done[it.v] = true
		for _, e := range g.adj[it.v] {
			m, k := it.min+e.min, it.km+e.km
			if m < min[e.to] || m == min[e.to] && k < km[e.to] {
				min[e.to], km[e.to] = m, k
				heap.Push(h, refItem{e.to, m, k})
			}
		}
	}
	return min, km
}

// TestDelawareAgainstReference checks a 150 x 1,000 matrix on the Delaware
// extract against the raw-graph reference: at least 99 % of the reachable
// pairs must agree within 1 % in both minutes and km.
func TestDelawareAgainstReference(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the Delaware reference comparison in -short mode")
	}
	path := roadstest.Delaware(t)
	g, rep, err := Load(context.Background(), path, &LoadOptions{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.FromCache {
		t.Fatal("a fresh cache directory gave a cached graph")
	}
	ref := refRead(t, path)
	main := ref.largestSCC()
	area := g.Info.Area()
	var cands []int
	for _, v := range main {
		if ref.snappy[v] && !ref.blocked[v] && area.Contains(orb.Point{ref.lon[v], ref.lat[v]}, 0) {
			cands = append(cands, v)
		}
	}
	t.Logf("graph: %d vertices (%d in the largest SCC), %d segments; reference: %d vertices, largest SCC %d, %d candidate points",
		g.Info.Vertices, g.Info.MainVertices, g.Info.Segments, len(ref.adj), len(main), len(cands))
	r := rand.New(rand.NewPCG(18, 1))
	r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	src, dst := cands[:150], cands[150:1150]
	point := func(v int) orb.Point { return orb.Point{ref.lon[v], ref.lat[v]} }
	ids := func(vs []int) ([]string, []orb.Point) {
		var s []string
		var p []orb.Point
		for _, v := range vs {
			s, p = append(s, strconv.Itoa(v)), append(p, point(v))
		}
		return s, p
	}
	fromIDs, fromPts := ids(src)
	toIDs, toPts := ids(dst)
	pf, err := g.Place(fromIDs, fromPts, nil)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := g.Place(toIDs, toPts, nil)
	if err != nil {
		t.Fatal(err)
	}
	mx, err := g.Matrix(context.Background(), pf.Snaps, pt.Snaps, &MatrixOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var reachable, agree, exact, onlyOne int
	worst := 0.0
	for i, s := range src {
		rmin, rkm := ref.dijkstra(s)
		for j, d := range dst {
			km, min, ok := mx.At(i, j)
			refOK := !math.IsInf(rmin[d], 1)
			if ok != refOK {
				onlyOne++
				continue
			}
			if !ok {
				continue
			}
			reachable++
			dm := math.Abs(min-rmin[d]) / math.Max(rmin[d], 1e-9)
			dk := math.Abs(km-rkm[d]) / math.Max(rkm[d], 1e-9)
			if dm <= 0.01 && dk <= 0.01 {
				agree++
			} else if reachable-agree <= 5 {
				t.Logf("pair %d (%d) -> %d (%d): %.4f km %.3f min; reference %.4f km %.3f min; snaps %+v %+v", i, s, j, d, km, min, rkm[d], rmin[d], pf.Snaps[i], pt.Snaps[j])
			}
			if dm <= 1e-6 && dk <= 1e-6 {
				exact++
			}
			worst = math.Max(worst, math.Max(dm, dk))
		}
	}
	// Disagreements come from OSM nodes that share their coordinates
	// without being connected: the reference knows which node it meant, a
	// point at that position may snap to either road.
	t.Logf("%d reachable pairs: %d agree within 1 %%, %d within 1e-6; %d reachable in one only; worst relative difference %.2g",
		reachable, agree, exact, onlyOne, worst)
	if reachable < 140000 {
		t.Errorf("only %d of 150,000 pairs reachable: the points were chosen in the largest component", reachable)
	}
	if float64(agree) < 0.99*float64(reachable) {
		t.Errorf("%d of %d reachable pairs agree within 1 %%: want at least 99 %%", agree, reachable)
	}
	if onlyOne > 0 {
		t.Errorf("%d pairs reachable in one graph and not the other", onlyOne)
	}
	// The cache gives the same graph: a second load reads it, and the
	// matrix is identical bit for bit.
	g2, rep2, err := Load(context.Background(), path, &LoadOptions{CacheDir: filepath.Dir(rep.CachePath)})
	if err != nil || !rep2.FromCache {
		t.Fatalf("second load: %v, report %+v: want the cache", err, rep2)
	}
	pf2, _ := g2.Place(fromIDs[:10], fromPts[:10], nil)
	mx2, err := g2.Matrix(context.Background(), pf2.Snaps, pt.Snaps, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		for j := range dst {
			k1, m1, _ := mx.At(i, j)
			k2, m2, _ := mx2.At(i, j)
			if k1 != k2 || m1 != m2 {
				t.Fatalf("pair %d, %d: %v km %v min from the built graph, %v km %v min from the cache", i, j, k1, m1, k2, m2)
			}
		}
	}
}
