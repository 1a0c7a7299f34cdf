package geo

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestMatrix(t *testing.T) {
	pts := []orb.Point{{116.4074, 39.9042}, {121.4737, 31.2304}, {113.2644, 23.1291}}
	d15, _ := NewDetour(1.5)
	m, err := Matrix(pts, d15, 75)
	if err != nil {
		t.Fatal(err)
	}
	if m.N != 3 || len(m.Km) != 9 || len(m.H) != 9 {
		t.Fatalf("matrix N=%d len(Km)=%d len(H)=%d, want 3, 9, 9", m.N, len(m.Km), len(m.H))
	}
	for i := range pts {
		for j := range pts {
			km, h := m.At(i, j)
			want := 1.5 * Haversine(pts[i], pts[j])
			if math.Abs(float64(km-want)) > 1e-9 {
				t.Errorf("At(%d,%d) distance %v km, want 1.5 x haversine = %v", i, j, km, want)
			}
			if math.Abs(float64(h)-float64(want)/75) > 1e-12 {
				t.Errorf("At(%d,%d) time %v h, want %v at 75 km/h", i, j, h, float64(want)/75)
			}
			if km != m.Km[i*3+j] {
				t.Errorf("At(%d,%d) does not read the row-major slot %d", i, j, i*3+j)
			}
		}
	}
	rowsK, rowsH := m.Rows()
	if rowsK[1][2] != float64(m.Km[5]) || rowsH[2][0] != float64(m.H[6]) {
		t.Errorf("Rows() = %v / %v do not match the flat matrix", rowsK, rowsH)
	}
	rowsK[0] = append(rowsK[0], 99) // capacity-limited rows must not spill into row 1
	if rowsK[1][0] != float64(m.Km[3]) {
		t.Errorf("appending to row 0 overwrote row 1")
	}

	for _, c := range []struct {
		pts   []orb.Point
		speed KmPerHour
		want  string
	}{
		{pts, 0, "speed"},
		{pts, KmPerHour(math.Inf(1)), "speed"},
		{pts, KmPerHour(math.NaN()), "speed"},
		{[]orb.Point{{0, 0}, {200, 0}}, 60, "matrix point 1"},
	} {
		if _, err := Matrix(c.pts, Detour{}, c.speed); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Matrix(speed %v): error %v, want one mentioning %q", c.speed, err, c.want)
		}
	}
}

func TestMatrixAtPanicsOutOfRange(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("At(0, 2) on a 2x2 matrix did not panic")
		}
	}()
	NewDistMatrix(2).At(0, 2)
}

func TestMatrixSources(t *testing.T) {
	var road MemoryMatrix
	if err := road.Set("A", "B", 10, 0.25); err != nil {
		t.Fatal(err)
	}
	if err := road.Set("B", "A", 12, 0.3); err != nil {
		t.Fatal(err)
	}
	if err := road.Set("A", "C", -1, 1); err == nil {
		t.Errorf("Set with a negative distance: no error, want one")
	}
	if err := road.Set("A", "C", 1, Hours(math.NaN())); err == nil {
		t.Errorf("Set with a NaN time: no error, want one")
	}
	m, err := BuildMatrix(&road, []string{"A", "B"})
	if err != nil {
		t.Fatal(err)
	}
	if km, h := m.At(0, 1); km != 10 || h != 0.25 {
		t.Errorf("A->B = %v km %v h, want 10 km 0.25 h", km, h)
	}
	if km, _ := m.At(1, 0); km != 12 {
		t.Errorf("B->A = %v km, want the asymmetric 12 km", km)
	}

	_, err = BuildMatrix(&road, []string{"A", "B", "C"})
	if !errors.Is(err, ErrNoLeg) || !strings.Contains(err.Error(), `"A" to "C"`) {
		t.Errorf("BuildMatrix with unknown C: error %v, want ErrNoLeg naming A to C", err)
	}

	hs := HaversineSource{Points: map[string]orb.Point{"A": {116, 40}, "B": {117, 40}, "C": {116, 41}}, Speed: 60}
	m, err = BuildMatrix(WithFallback(&road, hs), []string{"A", "B", "C"})
	if err != nil {
		t.Fatal(err)
	}
	if km, _ := m.At(0, 1); km != 10 {
		t.Errorf("fallback: A->B = %v km, want the road value 10", km)
	}
	want := Road(orb.Point{116, 40}, orb.Point{116, 41}, Detour{})
	if km, h := m.At(0, 2); km != want || h != Hours(want/60) {
		t.Errorf("fallback: A->C = %v km %v h, want the haversine estimate %v km %v h", km, h, want, want/60)
	}

	road.Symmetric = true
	if err := road.Set("C", "A", 5, 0.1); err != nil {
		t.Fatal(err)
	}
	if km, _, err := road.Leg("A", "C"); err != nil || km != 5 {
		t.Errorf("symmetric A->C = %v, %v; want 5 km from C->A", km, err)
	}
	if km, _, err := road.Leg("Z", "Z"); err != nil || km != 0 {
		t.Errorf("leg from an id to itself = %v, %v; want 0 without error", km, err)
	}
	if _, _, err := hs.Leg("A", "nowhere"); !errors.Is(err, ErrNoLeg) {
		t.Errorf("HaversineSource with unknown id: error %v, want ErrNoLeg", err)
	}
}
