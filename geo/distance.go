package geo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

const deg2rad = math.Pi / 180

// Haversine returns the great-circle distance between a and b on a sphere of
// radius EarthRadius. Points are orb.Point{longitude, latitude} in degrees.
// The formula is well conditioned for small distances (it uses asin of the
// half-chord rather than acos). Non-finite input gives NaN; longitudes need
// not be normalised.
func Haversine(a, b orb.Point) Kilometers {
	lat1, lat2 := a[1]*deg2rad, b[1]*deg2rad
	h := hav(lat1, a[0]*deg2rad, math.Cos(lat1), lat2, b[0]*deg2rad, math.Cos(lat2))
	return havKm(h)
}

// hav returns the haversine of the central angle, sin^2(angle/2), between
// two positions given as latitude, longitude and cos(latitude) in radians.
// It is monotone in the distance, so the index ranks by it and converts only
// the results. The explicit float64 conversions forbid fused multiply-add,
// so Haversine and PointIndex agree to the last bit on every platform.
func hav(lat1, lon1, cos1, lat2, lon2, cos2 float64) float64 {
	sdLat := math.Sin((lat2 - lat1) / 2)
	sdLon := math.Sin((lon2 - lon1) / 2)
	return float64(sdLat*sdLat) + float64(float64(cos1*cos2)*float64(sdLon*sdLon))
}

// havKm converts a haversine value to kilometres.
func havKm(h float64) Kilometers {
	if h > 1 {
		h = 1 // rounding near antipodes
	}
	return EarthRadius * Kilometers(2*math.Asin(math.Sqrt(h)))
}

// Detour is the ratio of road distance to great-circle distance. Its zero
// value means DefaultDetour; any other value comes from NewDetour, which
// checks the range, so a Detour held by a caller is always valid.
type Detour struct{ f float64 }

// Detour-factor bounds and default. Studies of Chinese and European road
// networks find circuity factors of about 1.2 to 1.4 between cities; 1.3 is a
// middle value. Outside [MinDetour, MaxDetour] the input is almost surely a
// unit or typing mistake.
const (
	DefaultDetour = 1.3
	MinDetour     = 1.0
	MaxDetour     = 3.0
)

// NewDetour validates f and returns it as a Detour. It reports an error when
// f is not a number in [MinDetour, MaxDetour].
func NewDetour(f float64) (Detour, error) {
	if !(f >= MinDetour && f <= MaxDetour) {
		return Detour{}, fmt.Errorf("geo: detour factor %v outside the valid range [%v, %v] (road km per great-circle km)", f, MinDetour, MaxDetour)
	}
	return Detour{f}, nil
}

// Factor returns the multiplier, DefaultDetour for the zero Detour.
func (d Detour) Factor() float64 {
	if d.f == 0 {
		return DefaultDetour
	}
	return d.f
}

// String prints the factor, e.g. "1.3".
func (d Detour) String() string { return fmt.Sprint(d.Factor()) }

// Road estimates the road distance from a to b as Haversine(a, b) times the
// detour factor, for use when no road network or road matrix is available.
// It is symmetric and zero only for coincident points.
func Road(a, b orb.Point, d Detour) Kilometers {
	return Haversine(a, b) * Kilometers(d.Factor())
}

// checkPoint reports whether p is a finite longitude in [-180, 180] and
// latitude in [-90, 90]; what names p in the error (for example "point 12").
func checkPoint(p orb.Point, what string) error {
	lon, lat := p[0], p[1]
	if math.IsNaN(lon) || math.IsNaN(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
		return fmt.Errorf("geo: %s has longitude %v, latitude %v; want longitude in [-180, 180] and latitude in [-90, 90] (orb.Point is {lon, lat})", what, lon, lat)
	}
	return nil
}
