package roads

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/osm"
)

// Profile says which OSM ways a loaded truck may drive and how fast.
//
// A way is used when its highway value has a speed in Speeds and no tag
// forbids it: area=yes, the most specific of hgv, motor_vehicle, vehicle and
// access with a value in the denied set (no, private, agricultural, forestry,
// emergency, psv, bus, permit, military, delivery is allowed), hazmat=no (the
// cargo is UN3480 class 9 dangerous goods), a oneway value that changes with
// time (reversible, alternating), or a weight or height limit below the
// truck's when GrossTonnes or HeightM is set.
//
// Direction: oneway=yes/true/1 allows the way's direction only, -1/reverse
// the opposite direction only, no/false/0 both. Without a oneway tag,
// highway=motorway and junction=roundabout/circular are one-way in the way's
// direction (as OSRM's car profile implies them); every other way is two-way.
//
// Speed is the class speed, lowered to maxspeed:hgv or else maxspeed when the
// way posts a lower numeric limit (km/h, or "N mph"); symbolic limits such as
// "CN:urban" are ignored.
//
// The zero Profile uses nothing; start from TruckProfile.
type Profile struct {
	// Name identifies the profile in cache files and reports.
	Name string
	// Speeds is the cruise speed of a loaded truck in km/h by highway value.
	Speeds map[string]float64
	// NoSnap lists highway values points are never snapped to: roads without
	// frontage access, which an outlet or plant cannot be on.
	NoSnap map[string]bool
	// GrossTonnes is the loaded truck's mass: ways with a lower maxweight or
	// maxweight:hgv are not used. 0 means not checked.
	GrossTonnes float64
	// HeightM is the truck's height: ways with a lower maxheight are not
	// used. 0 means not checked.
	HeightM float64
}

// Sources of TruckProfile's speeds (km/h). Retired packs travel as dangerous
// goods, so the binding caps are those of 危险货物道路运输安全管理办法 (2019,
// 交通运输部令2019年第29号) art. 46: at most 80 km/h on expressways and 60 km/h on
// other roads, and never above a posted limit. Lower classes take the
// default limits of 道路交通安全法实施条例 art. 45-46 for roads without posted
// limits. The speeds are free-flow cruise speeds: junction delays and traffic
// are not modelled, so times are a lower bound of real driving times.
var truckSpeeds = []struct {
	class string
	kmh   float64
	why   string
}{
	{"motorway", 80, "DG cap on expressways (DG rules art. 46)"},
	{"trunk", 60, "DG cap on other roads (DG rules art. 46)"},
	{"primary", 60, "DG cap on other roads (DG rules art. 46)"},
	{"secondary", 50, "urban limit of roads with one lane each way (Regulation art. 45), below the DG cap"},
	{"tertiary", 40, "limit of highways (公路) without a centre line (Regulation art. 45)"},
	{"unclassified", 30, "urban limit of roads without a centre line (Regulation art. 45)"},
	{"residential", 30, "urban limit of roads without a centre line (Regulation art. 45)"},
	{"motorway_link", 40, "assumption: ramps, half the expressway DG cap"},
	{"trunk_link", 30, "limit when turning (Regulation art. 46)"},
	{"primary_link", 30, "limit when turning (Regulation art. 46)"},
	{"secondary_link", 30, "limit when turning (Regulation art. 46)"},
	{"tertiary_link", 30, "limit when turning (Regulation art. 46)"},
	{"service", 15, "assumption: yards and access roads, half the narrow-road limit of 30 (Regulation art. 46)"},
	{"living_street", 10, "assumption: pedestrian-priority streets at walking pace (OSM definition)"},
}

// SpeedSources lists TruckProfile's class speeds with the source or
// assumption of each, for reports and documentation.
func SpeedSources() []string {
	out := make([]string, len(truckSpeeds))
	for i, s := range truckSpeeds {
		out[i] = fmt.Sprintf("%s %g km/h: %s", s.class, s.kmh, s.why)
	}
	return out
}

// TruckProfile is the default profile: a loaded dangerous-goods truck on
// the classes of truckSpeeds (track, path, footway, cycleway, pedestrian,
// steps, construction and unknown "road" ways are not used). Points are not
// snapped to motorways or their ramps.
func TruckProfile() Profile {
	p := Profile{Name: "truck-dg-v1", Speeds: map[string]float64{}, NoSnap: map[string]bool{"motorway": true, "motorway_link": true}}
	for _, s := range truckSpeeds {
		p.Speeds[s.class] = s.kmh
	}
	return p
}

// Validate reports a profile that cannot build a graph.
func (p *Profile) Validate() error {
	if len(p.Speeds) == 0 {
		return fmt.Errorf("roads: profile %q has no highway classes with a speed", p.Name)
	}
	for c, v := range p.Speeds {
		if !(v > 0) || v > 200 {
			return fmt.Errorf("roads: profile %q: speed of %s is %g km/h; want (0, 200]", p.Name, c, v)
		}
	}
	if !(p.GrossTonnes >= 0) || !(p.HeightM >= 0) || math.IsInf(p.GrossTonnes+p.HeightM, 0) {
		return fmt.Errorf("roads: profile %q: truck mass %g t and height %g m; want finite values >= 0", p.Name, p.GrossTonnes, p.HeightM)
	}
	return nil
}

// hash identifies everything in p that changes the graph, for the cache.
func (p *Profile) hash() [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", p.Name)
	classes := make([]string, 0, len(p.Speeds))
	for c := range p.Speeds {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	var b [8]byte
	for _, c := range classes {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(p.Speeds[c]))
		fmt.Fprintf(h, "%s=%x nosnap=%t\n", c, b, p.NoSnap[c])
	}
	fmt.Fprintf(h, "t=%x h=%x\n", math.Float64bits(p.GrossTonnes), math.Float64bits(p.HeightM))
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// wayRule is what the profile makes of one way.
type wayRule struct {
	fwd, bwd bool    // the way may be driven in its node order / against it
	kmh      float32 // speed
	snap     bool    // points may snap to it
}

// deniedAccess are access values that keep a loaded truck out.
var deniedAccess = map[string]bool{
	"no": true, "private": true, "agricultural": true, "forestry": true, "emergency": true,
	"psv": true, "bus": true, "permit": true, "military": true,
}

// way evaluates a way's tags; ok is false when the truck may not use it.
func (p *Profile) way(tags osm.Tags) (r wayRule, ok bool) {
	hw := tags.Find("highway")
	kmh, ok := p.Speeds[hw]
	if !ok || tags.Find("area") == "yes" || tags.Find("hazmat") == "no" {
		return r, false
	}
	for _, k := range []string{"hgv", "motor_vehicle", "vehicle", "access"} {
		if v := tags.Find(k); v != "" {
			if deniedAccess[v] {
				return r, false
			}
			break // the most specific tag present decides
		}
	}
	if p.GrossTonnes > 0 {
		for _, k := range []string{"maxweight:hgv", "maxweight"} {
			if lim, ok := parseTonnes(tags.Find(k)); ok && lim < p.GrossTonnes {
				return r, false
			}
		}
	}
	if p.HeightM > 0 {
		if lim, ok := parseMetres(tags.Find("maxheight")); ok && lim < p.HeightM {
			return r, false
		}
	}
	r.fwd, r.bwd = true, true
	switch ow := tags.Find("oneway"); ow {
	case "yes", "true", "1":
		r.bwd = false
	case "-1", "reverse":
		r.fwd = false
	case "reversible", "alternating":
		return r, false
	case "no", "false", "0":
	default:
		j := tags.Find("junction")
		if hw == "motorway" || j == "roundabout" || j == "circular" {
			r.bwd = false
		}
	}
	lim := tags.Find("maxspeed:hgv")
	if lim == "" {
		lim = tags.Find("maxspeed")
	}
	if v, ok := parseKmh(lim); ok && v < kmh {
		kmh = v
	}
	r.kmh = float32(kmh)
	r.snap = !p.NoSnap[hw]
	return r, true
}

// parseKmh reads a numeric speed limit: "60", "60 km/h", "40 mph"; a list
// "50;60" gives its first value. Symbolic and non-positive values are not
// limits.
func parseKmh(s string) (float64, bool) {
	s, _, _ = strings.Cut(s, ";")
	s = strings.TrimSpace(s)
	factor := 1.0
	switch {
	case strings.HasSuffix(s, "mph"):
		s, factor = strings.TrimSuffix(s, "mph"), 1.609344
	case strings.HasSuffix(s, "km/h"):
		s = strings.TrimSuffix(s, "km/h")
	case strings.HasSuffix(s, "kmh"):
		s = strings.TrimSuffix(s, "kmh")
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(v > 0) || math.IsInf(v, 0) {
		return 0, false
	}
	return v * factor, true
}

// parseTonnes reads a weight limit: "10", "10 t", "7.5t".
func parseTonnes(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "t"))
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && v > 0 && !math.IsInf(v, 0)
}

// parseMetres reads a height limit in metres: "3.5", "3.5 m"; feet and
// inches are not read (rare in China, and a guess would be worse than none).
func parseMetres(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "m"))
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && v > 0 && !math.IsInf(v, 0)
}
