package roads

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"

	"github.com/rlplan/rlplan/geo"
)

// randomGrid is a size x size grid of jittered nodes (ids 1.. row-major)
// whose rows and columns are streets cut into ways of random class and
// direction, with a few gaps. It returns the map and the ways' tags.
func randomGrid(size int, seed uint64) (*mapData, map[osm.WayID]osm.Tags) {
	r := rand.New(rand.NewPCG(seed, 7))
	m := newMap()
	for i := 0; i < size; i++ {
		for j := 0; j < size; j++ {
			m.node(0.01*float64(i)+0.003*r.Float64(), 0.01*float64(j)+0.003*r.Float64())
		}
	}
	id := func(i, j int) osm.NodeID { return osm.NodeID(i*size + j + 1) }
	classes := []string{"primary", "secondary", "residential"}
	oneways := []string{"", "", "", "yes", "-1"}
	street := func(nodes []osm.NodeID) {
		for k := 0; k < len(nodes)-1; {
			n := 1 + r.IntN(3)
			end := min(k+n, len(nodes)-1)
			if r.IntN(8) > 0 { // one stretch in eight is missing
				tags := []string{"highway", classes[r.IntN(len(classes))]}
				if ow := oneways[r.IntN(len(oneways))]; ow != "" {
					tags = append(tags, "oneway", ow)
				}
				m.way(nodes[k:end+1], tags...)
			}
			k = end
		}
	}
	for i := 0; i < size; i++ {
		var row, col []osm.NodeID
		for j := 0; j < size; j++ {
			row, col = append(row, id(i, j)), append(col, id(j, i))
		}
		street(row)
		street(col)
	}
	tags := map[osm.WayID]osm.Tags{}
	for _, o := range m.objs {
		if w, ok := o.(*osm.Way); ok {
			tags[w.ID] = w.Tags
		}
	}
	return m, tags
}

// bruteForce is an all-pairs shortest path over the raw node graph (every
// consecutive pair of a way's nodes an edge), written apart from the
// package: Floyd-Warshall on (minutes, km) compared lexicographically.
func bruteForce(m *mapData) (minutes, km [][]float64, ids []osm.NodeID) {
	return bruteForceBy(m, false)
}

// bruteForceBy is bruteForce minimising km first when shortest is set.
func bruteForceBy(m *mapData, shortest bool) (minutes, km [][]float64, ids []osm.NodeID) {
	speed := map[string]float64{"primary": 60, "secondary": 50, "residential": 30}
	index := map[osm.NodeID]int{}
	for _, o := range m.objs {
		if n, ok := o.(*osm.Node); ok {
			index[n.ID] = len(ids)
			ids = append(ids, n.ID)
		}
	}
	n := len(ids)
	minutes, km = make([][]float64, n), make([][]float64, n)
	for i := range minutes {
		minutes[i], km[i] = make([]float64, n), make([]float64, n)
		for j := range minutes[i] {
			if i != j {
				minutes[i][j], km[i][j] = math.Inf(1), math.Inf(1)
			}
		}
	}
	better := func(t, d float64, i, j int) bool {
		if shortest {
			return d < km[i][j] || d == km[i][j] && t < minutes[i][j]
		}
		return t < minutes[i][j] || t == minutes[i][j] && d < km[i][j]
	}
	for _, o := range m.objs {
		w, ok := o.(*osm.Way)
		if !ok {
			continue
		}
		v := speed[w.Tags.Find("highway")]
		ow := w.Tags.Find("oneway")
		for k := 1; k < len(w.Nodes); k++ {
			a, b := index[w.Nodes[k-1].ID], index[w.Nodes[k].ID]
			d := float64(geo.Haversine(m.at(ids[a]), m.at(ids[b])))
			t := d / v * 60
			if ow != "-1" && better(t, d, a, b) {
				minutes[a][b], km[a][b] = t, d
			}
			if ow != "yes" && better(t, d, b, a) {
				minutes[b][a], km[b][a] = t, d
			}
		}
	}
	for k := 0; k < n; k++ {
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if t, d := minutes[i][k]+minutes[k][j], km[i][k]+km[k][j]; better(t, d, i, j) {
					minutes[i][j], km[i][j] = t, d
				}
			}
		}
	}
	return minutes, km, ids
}

// TestRandomGridsAgainstBruteForce compares the matrix between all nodes
// of the largest strongly connected part of random street grids with an
// all-pairs search on the raw graph: merging, one-way handling, snapping
// to nodes and both search directions must give the same routes.
func TestRandomGridsAgainstBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		m, _ := randomGrid(7, seed)
		g := m.build(t, TruckProfile())
		minutes, km, ids := bruteForce(m)
		// The raw graph's largest strongly connected part, by mutual
		// reachability.
		var main []int
		for i := range ids {
			var comp []int
			for j := range ids {
				if !math.IsInf(minutes[i][j], 1) && !math.IsInf(minutes[j][i], 1) {
					comp = append(comp, j)
				}
			}
			if len(comp) > len(main) {
				main = comp
			}
		}
		if len(main) < 5 {
			continue
		}
		pts := make([]orb.Point, len(main))
		for k, i := range main {
			pts[k] = m.at(ids[i])
		}
		for _, half := range []int{len(pts), 3} { // forward, then backward searches
			mx := pairMatrix(t, g, pts, pts[:half], nil)
			for a, i := range main {
				for b, j := range main[:half] {
					gk, gm, ok := mx.At(a, b)
					if !ok || !near(gm, minutes[i][j], 1e-6) || !near(gk, km[i][j], 1e-6) {
						t.Errorf("seed %d: node %d -> %d: %.6f km %.6f min (ok %v), brute force %.6f km %.6f min",
							seed, ids[i], ids[j], gk, gm, ok, km[i][j], minutes[i][j])
					}
				}
			}
		}
		if g.Info.MainVertices == 0 || g.Info.Vertices > len(ids) {
			t.Errorf("seed %d: %d vertices (%d in the main part) for %d nodes", seed, g.Info.Vertices, g.Info.MainVertices, len(ids))
		}
	}
}

// mainNodes returns the node indices of the raw graph's largest strongly
// connected part.
func mainNodes(minutes [][]float64) []int {
	var main []int
	for i := range minutes {
		var comp []int
		for j := range minutes {
			if !math.IsInf(minutes[i][j], 1) && !math.IsInf(minutes[j][i], 1) {
				comp = append(comp, j)
			}
		}
		if len(comp) > len(main) {
			main = comp
		}
	}
	return main
}

func TestNearestSourceAndSparseAgainstBruteForce(t *testing.T) {
	ctx := context.Background()
	for seed := uint64(1); seed <= 8; seed++ {
		m, _ := randomGrid(7, seed)
		g := m.build(t, TruckProfile())
		r := rand.New(rand.NewPCG(seed, 99))
		for _, metric := range []Metric{Fastest, Shortest} {
			minutes, km, ids := bruteForceBy(m, metric == Shortest)
			main := mainNodes(minutes)
			if len(main) < 6 {
				continue
			}
			pts := make([]orb.Point, len(main))
			for k, i := range main {
				pts[k] = m.at(ids[i])
			}
			snaps := g.SnapPoints(pts)
			// Sources: every third node of the main part.
			var srcIdx []int
			var srcSnaps []Snap
			for k := 0; k < len(main); k += 3 {
				srcIdx = append(srcIdx, k)
				srcSnaps = append(srcSnaps, snaps[k])
			}
			for _, toSource := range []bool{false, true} {
				nearest, err := g.NearestSource(ctx, srcSnaps, snaps, toSource, metric)
				if err != nil {
					t.Fatal(err)
				}
				for j := range main {
					// The brute-force best over the sources, in the metric.
					bestKey, bestAlt := math.Inf(1), math.Inf(1)
					for _, k := range srcIdx {
						a, b := main[k], main[j]
						if toSource {
							a, b = b, a
						}
						key, alt := minutes[a][b], km[a][b]
						if metric == Shortest {
							key, alt = alt, key
						}
						if key < bestKey || key == bestKey && alt < bestAlt {
							bestKey, bestAlt = key, alt
						}
					}
					gotKey, gotAlt := nearest[j].Minutes, nearest[j].Km
					if metric == Shortest {
						gotKey, gotAlt = gotAlt, gotKey
					}
					if nearest[j].Source < 0 || !near(gotKey, bestKey, 1e-6) || !near(gotAlt, bestAlt, 1e-6) {
						t.Errorf("seed %d %v toSource %v: node %d nearest source %d at %.6f / %.6f, brute force %.6f / %.6f",
							seed, metric, toSource, ids[main[j]], nearest[j].Source, gotKey, gotAlt, bestKey, bestAlt)
					}
				}
			}
			t.Logf("seed %d %v: %d nodes, %d sources", seed, metric, len(main), len(srcSnaps))
			// Sparse: random lists of targets per origin, both directions.
			want := make([][]int32, len(srcSnaps))
			for i := range want {
				for k := range main {
					if r.IntN(3) == 0 {
						want[i] = append(want[i], int32(k))
					}
				}
			}
			for _, backward := range []bool{false, true} {
				vals, err := g.Sparse(ctx, srcSnaps, snaps, want, backward, &MatrixOptions{Metric: metric, Workers: 2})
				if err != nil {
					t.Fatal(err)
				}
				for i, list := range want {
					for k, j := range list {
						a, b := main[srcIdx[i]], main[j]
						if backward {
							a, b = b, a
						}
						v := vals[i][k]
						if v.Reason != "" || !near(v.Minutes, minutes[a][b], 1e-6) || !near(v.Km, km[a][b], 1e-6) {
							t.Errorf("seed %d %v backward %v: %d -> %d: %+v, brute force %.6f km %.6f min", seed, metric, backward, ids[a], ids[b], v, km[a][b], minutes[a][b])
						}
					}
				}
			}
		}
	}
}
