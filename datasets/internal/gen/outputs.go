package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ff formats a float with at most prec decimals and no trailing zeros.
func ff(v float64, prec int) string {
	p := math.Pow(10, float64(prec))
	return strconv.FormatFloat(math.Round(v*p)/p, 'f', -1, 64)
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// writeCSV writes header and rows as UTF-8 CSV with LF line ends.
func writeCSV(dir, name string, header []string, rows [][]string) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(header); err != nil {
		return err
	}
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644)
}

// nearestRegion returns the index of the region seat nearest to (lat, lon)
// in the same province, or -1 when the province has no region.
func nearestRegion(rs []region, province string, lat, lon float64) int {
	best, bestD := -1, math.Inf(1)
	for i, r := range rs {
		if r.province != province {
			continue
		}
		if d := haversineKm(r.lat, r.lon, lat, lon); d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// placeRow is a deduplicated place with its region.
type placeRow struct {
	place
	region int
}

// buildPlaces merges SimpleMaps and GeoNames, removes near-duplicates and
// assigns each place to a region.
func buildPlaces(sm, gn []place, rs []region) ([]placeRow, error) {
	all := append(append([]place(nil), sm...), gn...)
	kept, absorbed := dedup(all, placeDedupKm)
	// A kept place is an administrative seat if it or any place it absorbed is one.
	seat := map[string]bool{}
	for _, p := range all {
		if p.seat {
			if k, ok := absorbed[p.id]; ok {
				seat[k] = true
			} else {
				seat[p.id] = true
			}
		}
	}
	out := make([]placeRow, len(kept))
	for i, p := range kept {
		p.seat = seat[p.id]
		ri := nearestRegion(rs, p.province, p.lat, p.lon)
		if ri < 0 {
			return nil, fmt.Errorf("place %s %s: province %s has no region", p.id, p.name, p.province)
		}
		out[i] = placeRow{p, ri}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].id < out[b].id })
	return out, nil
}

func placeSource(p place) string {
	if strings.HasPrefix(p.id, "SM") {
		return "SimpleMaps (CC BY 4.0)"
	}
	return "GeoNames " + p.feature + " (CC BY 4.0)"
}

// outlet is one synthetic collection outlet.
type outlet struct {
	id, name, province, typ string
	lat, lon                float64
	capKg                   int64
	region                  int
}

// Outlet synthesis settings (see README.md).
const (
	outletTotal      = 10000
	collectionCapKg  = 5000 // MIIT 2019 guide: collection outlets store at most 5 t
	centralEvery     = 10   // at a site with >= centralEvery outlets, outlets 1, 11, 21, ... are central
	jitterBaseKm     = 3.0
	jitterMaxKm      = 25.0
	minSitePopWeight = 1000
)

// buildOutlets places outletTotal outlets: at least one per region, the rest
// in proportion to the region's 2024 stock; within a region over its seat and
// the administrative seats assigned to it in proportion to population.
func buildOutlets(rs []region, places []placeRow, stock2024 []float64) ([]outlet, error) {
	w := make([]float64, len(rs))
	copy(w, stock2024)
	extra := largestRemainder(int64(outletTotal-len(rs)), w)
	sites := make([][]place, len(rs))
	for i, r := range rs {
		sites[i] = []place{r.place}
	}
	for _, p := range places {
		r := rs[p.region]
		if !p.seat || p.id == r.id || haversineKm(r.lat, r.lon, p.lat, p.lon) < placeDedupKm {
			continue
		}
		sites[p.region] = append(sites[p.region], p.place)
	}
	var out []outlet
	for ri, r := range rs {
		ss := sites[ri]
		sort.SliceStable(ss[1:], func(a, b int) bool { return ss[1+a].id < ss[1+b].id })
		sw := make([]float64, len(ss))
		for i, s := range ss {
			sw[i] = float64(max(s.pop, minSitePopWeight))
		}
		per := largestRemainder(extra[ri], sw)
		per[0]++ // the seat always has one
		for si, s := range ss {
			n := per[si]
			radius := math.Min(jitterMaxKm, jitterBaseKm*math.Sqrt(math.Max(1, float64(n)/10)))
			for k := int64(0); k < n; k++ {
				key := fmt.Sprintf("%s/%d", s.id, k)
				d := radius * math.Sqrt(unitHash(key+"/r"))
				b := 2 * math.Pi * unitHash(key+"/b")
				lat := s.lat + d/111.195*math.Cos(b)
				lon := s.lon + d/(111.195*math.Cos(s.lat*math.Pi/180))*math.Sin(b)
				o := outlet{name: fmt.Sprintf("%s collection outlet %d", s.name, k+1), province: s.province, typ: "collection",
					lat: math.Round(lat*1e5) / 1e5, lon: math.Round(lon*1e5) / 1e5, capKg: collectionCapKg, region: ri}
				if n >= centralEvery && k%centralEvery == 0 {
					o.typ = "central"
					o.capKg = 30000 + 10000*int64(unitHash(key+"/c")*4)
					o.name = fmt.Sprintf("%s central storage %d", s.name, k/centralEvery+1)
				}
				out = append(out, o)
			}
		}
		_ = r
	}
	for i := range out {
		out[i].id = fmt.Sprintf("O%05d", i+1)
	}
	if len(out) != outletTotal {
		return nil, fmt.Errorf("built %d outlets, want %d", len(out), outletTotal)
	}
	return out, nil
}

// provincesGeoJSON keeps name, name_zh and iso_3166_2 of each Natural Earth
// feature, checks that every ring is closed, and sorts by ISO code.
func provincesGeoJSON(dir string) ([]byte, []string, error) {
	path := filepath.Join(dir, "china_provinces_ne50m.geojson")
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var in struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
			Geometry   struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	type props struct {
		Name     string `json:"name"`
		NameZh   string `json:"name_zh"`
		ISO31662 string `json:"iso_3166_2"`
	}
	type geom struct {
		Type        string `json:"type"`
		Coordinates any    `json:"coordinates"`
	}
	type feat struct {
		Type       string `json:"type"`
		Properties props  `json:"properties"`
		Geometry   geom   `json:"geometry"`
	}
	var feats []feat
	var isos []string
	for i, f := range in.Features {
		str := func(k string) string { s, _ := f.Properties[k].(string); return s }
		p := props{str("name"), str("name_zh"), str("iso_3166_2")}
		if !strings.HasPrefix(p.ISO31662, "CN-") {
			return nil, nil, fmt.Errorf("%s: feature %d: iso_3166_2 %q, want CN-xx", path, i, p.ISO31662)
		}
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var pg [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &pg); err != nil {
				return nil, nil, fmt.Errorf("%s: feature %s: %w", path, p.ISO31662, err)
			}
			polys = [][][][2]float64{pg}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				return nil, nil, fmt.Errorf("%s: feature %s: %w", path, p.ISO31662, err)
			}
		default:
			return nil, nil, fmt.Errorf("%s: feature %s: geometry %q, want Polygon or MultiPolygon", path, p.ISO31662, f.Geometry.Type)
		}
		for _, pg := range polys {
			for _, ring := range pg {
				if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
					return nil, nil, fmt.Errorf("%s: feature %s: ring of %d points is not closed", path, p.ISO31662, len(ring))
				}
			}
		}
		var c any = polys
		if f.Geometry.Type == "Polygon" {
			c = polys[0]
		}
		feats = append(feats, feat{"Feature", p, geom{f.Geometry.Type, c}})
		isos = append(isos, p.ISO31662)
	}
	sort.Slice(feats, func(a, b int) bool { return feats[a].Properties.ISO31662 < feats[b].Properties.ISO31662 })
	sort.Strings(isos)
	out, err := json.Marshal(struct {
		Type     string `json:"type"`
		Features []feat `json:"features"`
	}{"FeatureCollection", feats})
	if err != nil {
		return nil, nil, err
	}
	return append(out, '\n'), isos, nil
}
