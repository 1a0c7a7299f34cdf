package geo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/uber/h3-go/v4"
)

// checkCellRing asserts the RFC 7946 shape of a cell ring.
func checkCellRing(t *testing.T, c h3.Cell, r orb.Ring) {
	t.Helper()
	if err := checkRing(r, "cell ring"); err != nil {
		t.Fatalf("cell %s: %v", c, err)
	}
	if a := ringArea(r); !(a > 0) {
		t.Errorf("cell %s: ring signed area %g, want > 0 (counter-clockwise)", c, a)
	}
	// Positions added along the pole (cells containing a pole) do not count.
	n := 0
	for _, p := range r[:len(r)-1] {
		if math.Abs(p[1]) != 90 {
			n++
		}
	}
	min := 6
	if c.IsPentagon() {
		min = 5
	}
	if n < min || n > h3.MaxCellBndryVerts {
		t.Errorf("cell %s (pentagon %v): %d vertices, want %d..%d", c, c.IsPentagon(), n, min, h3.MaxCellBndryVerts)
	}
	for i := 1; i < len(r); i++ {
		alongPole := math.Abs(r[i][1]) == 90 && r[i][1] == r[i-1][1]
		if d := r[i][0] - r[i-1][0]; math.Abs(d) > 180 && !alongPole {
			t.Errorf("cell %s: longitude jumps by %g between vertices %d and %d, want continuous", c, d, i-1, i)
		}
	}
}

func TestCellPolygon(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	for res := 0; res <= MaxResolution; res++ {
		mean, err := h3.HexagonAreaAvgKm2(res)
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < 40; k++ {
			r := testRegions[k%len(testRegions)]
			c, err := Cell(r.point(rng), res)
			if err != nil {
				t.Fatal(err)
			}
			if c.Resolution() != res {
				t.Fatalf("Cell at resolution %d returned a resolution %d cell", res, c.Resolution())
			}
			poly, err := CellPolygon(c)
			if err != nil {
				t.Fatal(err)
			}
			if len(poly) != 1 {
				t.Fatalf("cell %s: %d rings, want 1", c, len(poly))
			}
			checkCellRing(t, c, poly[0])
			exact, _ := h3.CellAreaKm2(c)
			// orb's spherical area of the lon/lat ring (radius 6378.137 km)
			// against h3's exact cell area (radius 6371.007 km).
			got := orbgeo.Area(poly) / 1e6 * math.Pow(6371.007/6378.137, 2)
			polar := math.Abs(poly[0].Bound().Center()[1]) > 80 || poly[0].Bound().Max[1] >= 90 || poly[0].Bound().Min[1] <= -90
			// Resolutions 0 and 1 are too coarse for straight lon/lat edges.
			if res >= 2 && !polar && math.Abs(got-exact) > 0.01*exact {
				t.Errorf("cell %s res %d: ring area %.6g km², want h3's %.6g km² within 1%%", c, res, got, exact)
			}
			if exact < mean/3 || exact > mean*3 {
				t.Errorf("cell %s res %d: area %.6g km², want within 3x of the mean hexagon area %.6g km²", c, res, exact, mean)
			}
			ctr, err := CellCenter(c)
			if err != nil {
				t.Fatal(err)
			}
			if back, _ := Cell(ctr, res); back != c {
				t.Errorf("cell %s: its centre %v maps back to %s, want itself", c, ctr, back)
			}
		}
	}
}

func TestCellPolygonPentagonsAndSpecialCells(t *testing.T) {
	for _, res := range []int{0, 1, 5, 8} {
		ps, err := h3.Pentagons(res)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range ps {
			poly, err := CellPolygon(c)
			if err != nil {
				t.Fatal(err)
			}
			checkCellRing(t, c, poly[0])
			if res%2 == 0 && len(poly[0]) != 6 {
				t.Errorf("pentagon %s at even resolution %d: %d positions, want 5 vertices + closing", c, res, len(poly[0]))
			}
		}
	}
	// Every resolution-0 cell: polar caps and antimeridian cells included.
	cells, err := h3.Res0Cells()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cells {
		poly, err := CellPolygon(c)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkRing(poly[0], "res-0 ring"); err != nil {
			t.Errorf("cell %s: %v", c, err)
		}
		if a := ringArea(poly[0]); !(a > 0) {
			t.Errorf("cell %s: signed area %g, want counter-clockwise", c, a)
		}
	}
	// A resolution-5 cell on the antimeridian has longitudes beyond 180.
	c, _ := Cell(orb.Point{180, 0}, 5)
	poly, _ := CellPolygon(c)
	checkCellRing(t, c, poly[0])
	if b := poly[0].Bound(); b.Max[0]-b.Min[0] > 1 {
		t.Errorf("antimeridian cell %s spans %g degrees of longitude, want a small continuous ring", c, b.Max[0]-b.Min[0])
	}
}

func TestH3ArgumentErrors(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"resolution 16", errOf(Cell(orb.Point{116, 40}, 16)), "resolution 16 outside 0..15"},
		{"resolution -1", errOf(Cell(orb.Point{116, 40}, -1)), "resolution -1 outside 0..15"},
		{"latitude 95", errOf(Cell(orb.Point{116, 95}, 5)), "latitude 95"},
		{"invalid cell centre", errOf(CellCenter(h3.Cell(12345))), "not a valid H3 cell"},
		{"invalid cell polygon", errOf(CellPolygon(h3.Cell(0))), "not a valid H3 cell"},
		{"negative disk", errOf(Disk(mustCell(t, orb.Point{116, 40}, 5), -1)), "k >= 0"},
		{"estimate resolution", errOf(EstimateCells(1, 99)), "resolution 99"},
		{"mixed resolutions", errOf(CellsToMultiPolygon([]h3.Cell{mustCell(t, orb.Point{116, 40}, 5), mustCell(t, orb.Point{116, 40}, 6)})), "one resolution"},
		{"line to CellsInPolygon", errOf(CellsInPolygon(orb.LineString{{0, 0}, {1, 1}}, 5, 0)), "want orb.Polygon"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, c.err, c.want)
		}
	}
}

func errOf[T any](_ T, err error) error { return err }

func mustCell(t *testing.T, p orb.Point, res int) h3.Cell {
	t.Helper()
	c, err := Cell(p, res)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDisk(t *testing.T) {
	c := mustCell(t, orb.Point{116.4, 39.9}, 7)
	for k := 0; k <= 4; k++ {
		d, err := Disk(c, k)
		if err != nil {
			t.Fatal(err)
		}
		if want := 1 + 3*k*(k+1); len(d) != want || d[0] != c {
			t.Errorf("Disk(k=%d): %d cells starting with %s, want %d starting with the centre %s", k, len(d), d[0], want, c)
		}
	}
}

func TestEstimateCells(t *testing.T) {
	china := 9.6e6 // km²
	n15, err := EstimateCells(china, 15)
	if err != nil {
		t.Fatal(err)
	}
	if n15 < 1e13 || n15 > 2e13 {
		t.Errorf("resolution 15 over China: %.3g cells, want about 1.1e13", n15)
	}
	n7, _ := EstimateCells(china, 7)
	if n7 < 1.8e6 || n7 > 2.1e6 {
		t.Errorf("resolution 7 over China: %.3g cells, want about 1.9e6 (5.16 km² cells)", n7)
	}
}

func TestCellsInPolygon(t *testing.T) {
	// A 1° x 1° square near Beijing at resolution 6 (36 km² cells).
	sq := orb.Polygon{{{116, 39}, {117, 39}, {117, 40}, {116, 40}, {116, 39}}}
	cells, err := CellsInPolygon(sq, 6, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The cells' total area matches the square's (cells near Beijing are
	// smaller than the global mean, so count alone is not the test).
	area := orbgeo.Area(sq) / 1e6 * math.Pow(6371.007/6378.137, 2)
	var cellArea float64
	for _, c := range cells {
		a, _ := h3.CellAreaKm2(c)
		cellArea += a
	}
	if math.Abs(cellArea-area) > 0.05*area {
		t.Errorf("square of %.0f km² at res 6: %d cells of %.0f km² in all, want the square's area within 5%%", area, len(cells), cellArea)
	}
	if !slices.IsSorted(cells) {
		t.Errorf("cells are not sorted")
	}
	for _, c := range cells {
		p, _ := CellCenter(c)
		if !orbPlanarContains(sq[0], p) {
			t.Fatalf("cell %s centre %v outside the square", c, p)
		}
	}
	// A hole removes its cells; a clockwise exterior and open rings work.
	holed := orb.Polygon{
		{{116, 39}, {116, 40}, {117, 40}, {117, 39}}, // clockwise, open
		{{116.25, 39.25}, {116.75, 39.25}, {116.75, 39.75}, {116.25, 39.75}},
	}
	withHole, err := CellsInPolygon(holed, 6, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(withHole) >= len(cells) || len(withHole) < len(cells)/2 {
		t.Errorf("square with a quarter-area hole: %d cells, want about 3/4 of %d", len(withHole), len(cells))
	}
	// The same square twice in a MultiPolygon counts once.
	twice, err := CellsInPolygon(orb.MultiPolygon{sq, sq}, 6, 0)
	if err != nil || !slices.Equal(twice, cells) {
		t.Errorf("MultiPolygon of the same square twice: %d cells (err %v), want the %d of one", len(twice), err, len(cells))
	}
	// Absurd requests are refused before h3 allocates.
	chinaBox := orb.Polygon{{{73, 18}, {135, 18}, {135, 54}, {73, 54}, {73, 18}}}
	if _, err := CellsInPolygon(chinaBox, 15, 0); err == nil || !strings.Contains(err.Error(), "limit is 4000000") {
		t.Errorf("China at resolution 15: error %v, want the cell limit", err)
	}
	if _, err := CellsInPolygon(sq, 6, 10); err == nil {
		t.Errorf("square at res 6 with a 10-cell limit: no error, want refusal")
	}
}

// orbPlanarContains is a plain even-odd test in lon/lat.
func orbPlanarContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

func TestCellsToMultiPolygon(t *testing.T) {
	c := mustCell(t, orb.Point{116.4, 39.9}, 7)
	disk, _ := Disk(c, 3)
	mp, err := CellsToMultiPolygon(disk)
	if err != nil {
		t.Fatal(err)
	}
	if len(mp) != 1 || len(mp[0]) != 1 {
		t.Fatalf("merged disk: %d polygons, first with %d rings; want 1 polygon without holes", len(mp), len(mp[0]))
	}
	if a := ringArea(mp[0][0]); !(a > 0) {
		t.Errorf("merged disk exterior signed area %g, want counter-clockwise", a)
	}
	// Outline area equals the sum of the cell areas.
	var sum float64
	for _, d := range disk {
		a, _ := h3.CellAreaKm2(d)
		sum += a
	}
	if got := orbgeo.Area(mp) / 1e6 * math.Pow(6371.007/6378.137, 2); math.Abs(got-sum) > 0.01*sum {
		t.Errorf("merged disk area %.4f km², want the cells' %.4f km² within 1%%", got, sum)
	}
	// Order and duplicates do not matter.
	shuffled := slices.Clone(disk)
	slices.Reverse(shuffled)
	shuffled = append(shuffled, disk[:5]...)
	mp2, err := CellsToMultiPolygon(shuffled)
	if err != nil || !orbEqual(mp, mp2) {
		t.Errorf("reversed disk with duplicates gave a different outline (err %v)", err)
	}

	// A ring of cells (the disk minus its inner disk) has one hole, clockwise.
	inner, _ := Disk(c, 1)
	var annulus []h3.Cell
	for _, d := range disk {
		if !slices.Contains(inner, d) {
			annulus = append(annulus, d)
		}
	}
	mp, err = CellsToMultiPolygon(annulus)
	if err != nil {
		t.Fatal(err)
	}
	if len(mp) != 1 || len(mp[0]) != 2 {
		t.Fatalf("annulus: %d polygons, first with %d rings; want 1 polygon with 1 hole", len(mp), len(mp[0]))
	}
	if a := ringArea(mp[0][1]); !(a < 0) {
		t.Errorf("annulus hole signed area %g, want clockwise (negative)", a)
	}
	// Two distant disks give two polygons.
	far, _ := Disk(mustCell(t, orb.Point{121.47, 31.23}, 7), 1)
	mp, err = CellsToMultiPolygon(append(slices.Clone(inner), far...))
	if err != nil || len(mp) != 2 {
		t.Errorf("two distant disks: %d polygons (err %v), want 2", len(mp), err)
	}
	// Across the antimeridian the outline stays continuous.
	am, _ := Disk(mustCell(t, orb.Point{180, -17}, 4), 2)
	mp, err = CellsToMultiPolygon(am)
	if err != nil {
		t.Fatal(err)
	}
	if len(mp) != 1 || len(mp[0]) != 1 {
		t.Fatalf("antimeridian disk: %d polygons, want 1 without holes", len(mp))
	}
	if b := mp[0][0].Bound(); b.Max[0]-b.Min[0] > 10 {
		t.Errorf("antimeridian disk spans %g degrees of longitude, want a continuous small outline", b.Max[0]-b.Min[0])
	}
	// The outline fills back to exactly the same cells, across 180° too.
	back, err := CellsInPolygon(mp, 4, 0)
	want := slices.Clone(am)
	slices.Sort(want)
	if err != nil || !slices.Equal(back, want) {
		t.Errorf("antimeridian disk outline filled back to %d cells (err %v), want the disk's %d", len(back), err, len(want))
	}
	cbj, _ := CellsToMultiPolygon(disk)
	back, err = CellsInPolygon(cbj, 7, 0)
	want = slices.Clone(disk)
	slices.Sort(want)
	if err != nil || !slices.Equal(back, want) {
		t.Errorf("Beijing disk outline filled back to %d cells (err %v), want the disk's %d", len(back), err, len(want))
	}
	if mp, err := CellsToMultiPolygon(nil); err != nil || len(mp) != 0 {
		t.Errorf("no cells: %v, %v; want an empty MultiPolygon", mp, err)
	}
}

func orbEqual(a, b orb.MultiPolygon) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !slices.Equal(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}
