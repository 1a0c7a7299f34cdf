package geo

import (
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

func TestHaversineKnownDistances(t *testing.T) {
	// Reference values: central angle times 6371.0088 km, computed
	// independently with the spherical law of cosines in float64.
	beijing := orb.Point{116.4074, 39.9042}
	shanghai := orb.Point{121.4737, 31.2304}
	cases := []struct {
		name string
		a, b orb.Point
		want Kilometers
		tol  Kilometers
	}{
		{"same point", beijing, beijing, 0, 0},
		{"one degree of latitude", orb.Point{100, 30}, orb.Point{100, 31}, EarthRadius * math.Pi / 180, 1e-9},
		{"one degree of longitude at the equator", orb.Point{0, 0}, orb.Point{1, 0}, EarthRadius * math.Pi / 180, 1e-9},
		{"quarter meridian", orb.Point{0, 0}, orb.Point{0, 90}, EarthRadius * math.Pi / 2, 1e-9},
		{"antipodes", orb.Point{0, 0}, orb.Point{180, 0}, EarthRadius * math.Pi, 1e-9},
		{"across the antimeridian", orb.Point{179.5, 0}, orb.Point{-179.5, 0}, EarthRadius * math.Pi / 180, 1e-9},
		{"pole, any longitude", orb.Point{10, 90}, orb.Point{-120, 89}, EarthRadius * math.Pi / 180, 1e-9},
		{"Beijing-Shanghai", beijing, shanghai, lawOfCosines(beijing, shanghai), 1e-6},
	}
	for _, c := range cases {
		got := Haversine(c.a, c.b)
		if math.Abs(float64(got-c.want)) > float64(c.tol) {
			t.Errorf("%s: Haversine(%v, %v) = %.9f km, want %.9f km (±%g)", c.name, c.a, c.b, got, c.want, c.tol)
		}
		if back := Haversine(c.b, c.a); back != got {
			t.Errorf("%s: Haversine is not symmetric: %v vs %v", c.name, got, back)
		}
	}
	// Beijing-Shanghai is about 1,067 km great-circle; a sanity check on
	// the order of the orb.Point fields (lon first).
	if d := Haversine(beijing, shanghai); d < 1060 || d > 1075 {
		t.Errorf("Beijing-Shanghai = %.1f km, want about 1,067 km", d)
	}
}

func lawOfCosines(a, b orb.Point) Kilometers {
	la, lb := a[1]*deg2rad, b[1]*deg2rad
	c := math.Sin(la)*math.Sin(lb) + math.Cos(la)*math.Cos(lb)*math.Cos((b[0]-a[0])*deg2rad)
	return EarthRadius * Kilometers(math.Acos(c))
}

func TestHaversineAgreesWithOrb(t *testing.T) {
	// orb/geo uses radius 6378.137 km; scale it to ours.
	pts := []orb.Point{{73.5, 39.4}, {135.0, 48.4}, {110.3, 20.0}, {87.6, 43.8}, {121.5, 25.0}}
	for _, a := range pts {
		for _, b := range pts {
			want := orbgeo.DistanceHaversine(a, b) / orb.EarthRadius * float64(EarthRadius)
			if got := float64(Haversine(a, b)); math.Abs(got-want) > 1e-6 {
				t.Errorf("Haversine(%v, %v) = %.9f km, want %.9f km from orb/geo rescaled", a, b, got, want)
			}
		}
	}
}

func TestDetour(t *testing.T) {
	cases := []struct {
		f      float64
		wantOK bool
	}{
		{1.0, true}, {1.3, true}, {3.0, true},
		{0.99, false}, {3.01, false}, {0, false}, {-1.3, false}, {math.NaN(), false}, {math.Inf(1), false},
	}
	for _, c := range cases {
		d, err := NewDetour(c.f)
		if (err == nil) != c.wantOK {
			t.Errorf("NewDetour(%v): error %v, want ok=%v", c.f, err, c.wantOK)
			continue
		}
		if c.wantOK && d.Factor() != c.f {
			t.Errorf("NewDetour(%v).Factor() = %v, want %v", c.f, d.Factor(), c.f)
		}
	}
	if f := (Detour{}).Factor(); f != DefaultDetour {
		t.Errorf("zero Detour factor = %v, want default %v", f, DefaultDetour)
	}
	a, b := orb.Point{116.4, 39.9}, orb.Point{117.2, 39.1}
	d2, _ := NewDetour(2)
	if got, want := Road(a, b, d2), 2*Haversine(a, b); got != want {
		t.Errorf("Road with detour 2 = %v, want %v", got, want)
	}
	if got, want := Road(a, b, Detour{}), 1.3*Haversine(a, b); math.Abs(float64(got-want)) > 1e-9 {
		t.Errorf("Road with default detour = %v, want %v", got, want)
	}
}

func TestUnits(t *testing.T) {
	if got := (2.5 * Kilometer).Meters(); got != 2500 {
		t.Errorf("2.5 km = %v m, want 2500", got)
	}
	if got := (90 * Minute).Duration(); got != 90*time.Minute {
		t.Errorf("90 minutes = %v, want 1h30m", got)
	}
	if got := HoursOf(45 * time.Minute); got != 0.75 {
		t.Errorf("HoursOf(45m) = %v, want 0.75", got)
	}
	if got := KmPerHour(60).TimeFor(90); got != 1.5 {
		t.Errorf("90 km at 60 km/h = %v h, want 1.5", got)
	}
	if got := KmPerHour(0).TimeFor(1); !math.IsInf(float64(got), 1) {
		t.Errorf("1 km at 0 km/h = %v, want +Inf", got)
	}
	if got := Hours(1e300).Duration(); got != time.Duration(math.MaxInt64) {
		t.Errorf("huge Hours.Duration() = %v, want saturation at MaxInt64", got)
	}
	if got := (2 * Hour).Minutes(); got != 120 {
		t.Errorf("2 h = %v min, want 120", got)
	}
}
