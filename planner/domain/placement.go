package domain

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// Finding is an input that is legal but suspicious: a point outside the
// province it is labelled with, two outlets at one spot, a coordinate at
// 0,0. Findings do not stop a run; they are printed on stderr and listed in
// the plan's report.
type Finding struct {
	// Province is the province the row is labelled with; a run reports the
	// findings of its planned regions only.
	Province string
	// Input is the kind of input the row is in (InputStock, InputPlaces,
	// InputOutlets, InputPlants, InputCandidates): a command reports the
	// findings of the inputs it uses.
	Input string
	Msg   string
}

// Input kinds of findings.
const (
	InputStock      = "stock"
	InputPlaces     = "places"
	InputOutlets    = "outlets"
	InputPlants     = "plants"
	InputCandidates = "candidates"
)

// How far outside its province's polygon a point may lie before it is
// reported. The shipped boundaries (Natural Earth 1:50m) are simplified: in
// the shipped data, towns near a border fall up to 15 km inside the
// neighbour's polygon, and coastal towns and islands up to 72 km off every
// polygon (Shengsi, Zhejiang).
const (
	// BorderToleranceKm applies to a point inside another province.
	BorderToleranceKm = 20
	// CoastToleranceKm applies to a point outside every province (at sea,
	// on an island the boundaries omit, or abroad).
	CoastToleranceKm = 100
)

// provinceShapes holds each province's polygons by ISO 3166-2 code.
type provinceShapes map[string]orb.MultiPolygon

func parseProvinceShapes(data []byte) provinceShapes {
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil
	}
	out := provinceShapes{}
	for _, f := range fc.Features {
		code, _ := f.Properties["iso_3166_2"].(string)
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			out[code] = append(out[code], g)
		case orb.MultiPolygon:
			out[code] = append(out[code], g...)
		}
	}
	return out
}

// within returns the province containing p, "" when none does.
func (ps provinceShapes) within(p orb.Point) string {
	codes := make([]string, 0, len(ps))
	for c := range ps {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		if ps[c].Bound().Contains(p) && planar.MultiPolygonContains(ps[c], p) {
			return c
		}
	}
	return ""
}

// outsideKm returns how far p lies outside the province's polygons, 0 when
// inside, and ok=false when the boundary file has no such province.
func (ps provinceShapes) outsideKm(code string, p orb.Point) (km float64, ok bool) {
	mp, ok := ps[code]
	if !ok || len(mp) == 0 {
		return 0, false
	}
	if mp.Bound().Contains(p) && planar.MultiPolygonContains(mp, p) {
		return 0, true
	}
	// Distance to the nearest edge on a local equirectangular projection:
	// exact enough at the tolerance's scale.
	kx, ky := 111.32*math.Cos(p[1]*math.Pi/180), 110.57
	best := math.Inf(1)
	for _, poly := range mp {
		for _, ring := range poly {
			for i := 1; i < len(ring); i++ {
				a, b := ring[i-1], ring[i]
				ax, ay := (a[0]-p[0])*kx, (a[1]-p[1])*ky
				bx, by := (b[0]-p[0])*kx, (b[1]-p[1])*ky
				best = math.Min(best, segmentDist(ax, ay, bx, by))
			}
		}
	}
	return best, true
}

// segmentDist is the distance from the origin to segment a-b.
func segmentDist(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
	}
	x, y := ax+t*dx, ay+t*dy
	return math.Hypot(x, y)
}

// misplaced says where a row lies outside its province beyond the
// tolerances, "" when it does not (or the boundary file lacks the province).
func (ps provinceShapes) misplaced(r placed) string {
	km, ok := ps.outsideKm(r.province, r.point)
	if !ok || km <= BorderToleranceKm {
		return ""
	}
	where := "outside every province of the boundary file"
	if c := ps.within(r.point); c != "" {
		where = "in " + c
	} else if km <= CoastToleranceKm {
		return "" // a coast or an island the boundaries simplify away
	}
	return fmt.Sprintf("%s: %s %s at %g, %g is labelled %s but lies %.0f km outside it (%s): check its coordinates (swapped lat/lon?) and province",
		r.file, r.kind, r.id, r.point[1], r.point[0], r.province, km, where)
}

// placed is one located row of an input file.
type placed struct {
	file, input, kind, id, province string
	point                           orb.Point
}

// CheckPlacement reports the points of the inputs that are legal but
// suspicious: at 0,0 (a missing coordinate written as zero), outside the
// province they are labelled with (beyond the tolerances above), or, for
// outlets, at the same spot as another outlet. files names each input for the
// messages (InputPaths with the names the loader used).
func CheckPlacement(ctx context.Context, in *Inputs, files InputPaths) ([]Finding, error) {
	var rows []placed
	seat := map[string]bool{}
	for _, s := range in.Stock {
		if !seat[s.RegionID] {
			seat[s.RegionID] = true
			rows = append(rows, placed{files.Stock, InputStock, "region", s.RegionID, s.Province, s.Point})
		}
	}
	for _, p := range in.Places {
		rows = append(rows, placed{files.Places, InputPlaces, "place", p.ID, p.Province, p.Point})
	}
	for _, o := range in.Outlets {
		rows = append(rows, placed{files.Outlets, InputOutlets, "outlet", o.ID, o.Province, o.Point})
	}
	for _, p := range in.Plants {
		rows = append(rows, placed{files.Plants, InputPlants, "plant", p.ID, p.Province, p.Point})
	}
	return checkPlaced(ctx, rows, parseProvinceShapes(in.ProvincesGeoJSON))
}

// CheckCandidatePlacement is CheckPlacement for candidate sites (file
// names their file), which are also compared with the existing outlets.
func CheckCandidatePlacement(ctx context.Context, in *Inputs, file string, cands []Outlet) ([]Finding, error) {
	rows := make([]placed, 0, len(cands))
	for _, c := range cands {
		rows = append(rows, placed{file, InputCandidates, "candidate", c.ID, c.Province, c.Point})
	}
	out, err := checkPlaced(ctx, rows, parseProvinceShapes(in.ProvincesGeoJSON))
	if err != nil {
		return nil, err
	}
	at := map[orb.Point]string{}
	for _, o := range in.Outlets {
		if _, dup := at[o.Point]; !dup {
			at[o.Point] = o.ID
		}
	}
	for _, c := range cands {
		if id, dup := at[c.Point]; dup {
			out = append(out, Finding{c.Province, InputCandidates, fmt.Sprintf("%s: candidate %s is at the same point (%g, %g) as existing outlet %s", file, c.ID, c.Point[1], c.Point[0], id)})
		}
	}
	return out, nil
}

func checkPlaced(ctx context.Context, rows []placed, shapes provinceShapes) ([]Finding, error) {
	var out []Finding
	first := map[string]map[orb.Point]string{} // kind -> point -> first id
	for i, r := range rows {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if math.Abs(r.point[0]) < 1e-6 && math.Abs(r.point[1]) < 1e-6 {
			out = append(out, Finding{r.province, r.input, fmt.Sprintf("%s: %s %s is at 0,0 (\"null island\", in the Gulf of Guinea): a missing coordinate written as zero?", r.file, r.kind, r.id)})
			continue
		}
		if msg := shapes.misplaced(r); msg != "" {
			out = append(out, Finding{r.province, r.input, msg})
		}
		// Plants are left out: the shipped ones sit at city centres
		// (datasets/README.md), and several plants share a city.
		if r.kind != "outlet" && r.kind != "candidate" {
			continue
		}
		if first[r.kind] == nil {
			first[r.kind] = map[orb.Point]string{}
		}
		if prev, dup := first[r.kind][r.point]; dup {
			out = append(out, Finding{r.province, r.input, fmt.Sprintf("%s: %s %s is at the same point (%g, %g) as %s %s", r.file, r.kind, r.id, r.point[1], r.point[0], r.kind, prev)})
		} else {
			first[r.kind][r.point] = r.id
		}
	}
	return out, nil
}

// FindingsIn returns the messages of the findings about the kept provinces
// and, when inputs are given, about those kinds of input only.
func FindingsIn(fs []Finding, reg Regions, inputs ...string) []string {
	var out []string
	for _, f := range fs {
		if reg.Keep(f.Province) && (len(inputs) == 0 || slices.Contains(inputs, f.Input)) {
			out = append(out, f.Msg)
		}
	}
	return out
}
