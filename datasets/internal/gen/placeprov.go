package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// misplacedKm is how far outside its stated province a place must lie, inside
// another province, before the generator trusts the point over the label.
// Assumption: Natural Earth's 1:50m boundaries are off by up to a few tens of
// kilometres along borders, so a place 100 km or more from its stated province
// carries a wrong label (GeoNames gives Nierong, a county seat in Nagqu,
// Xizang, the admin1 code of Hebei, 2,000 km away), not a coarse boundary.
const misplacedKm = 100

// provinceShapes reads the Natural Earth province polygons by ISO code.
func provinceShapes(dir string) (map[string]orb.MultiPolygon, error) {
	path := filepath.Join(dir, "china_provinces_ne50m.geojson")
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var in struct {
		Features []struct {
			Properties struct {
				ISO string `json:"iso_3166_2"`
			} `json:"properties"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]orb.MultiPolygon{}
	for i, f := range in.Features {
		var mp orb.MultiPolygon
		switch f.Geometry.Type {
		case "Polygon":
			var pg orb.Polygon
			err = json.Unmarshal(f.Geometry.Coordinates, &pg)
			mp = orb.MultiPolygon{pg}
		case "MultiPolygon":
			err = json.Unmarshal(f.Geometry.Coordinates, &mp)
		default:
			err = fmt.Errorf("geometry %q, want Polygon or MultiPolygon", f.Geometry.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: feature %d (%s): %w", path, i, f.Properties.ISO, err)
		}
		out[f.Properties.ISO] = append(out[f.Properties.ISO], mp...)
	}
	return out, nil
}

// correctProvinces relabels places whose point lies inside another province
// and at least misplacedKm from every vertex of the province they state; each
// change is logged with both codes and the distance. Places outside every
// polygon (islands, coarse coasts) keep their label.
func correctProvinces(ps []place, shapes map[string]orb.MultiPolygon, log io.Writer) int {
	isos := make([]string, 0, len(shapes))
	for iso := range shapes {
		isos = append(isos, iso)
	}
	sort.Strings(isos)
	n := 0
	for i := range ps {
		p := &ps[i]
		pt := orb.Point{p.lon, p.lat}
		own, ok := shapes[p.province]
		if !ok || planar.MultiPolygonContains(own, pt) {
			continue
		}
		in := containing(isos, shapes, pt)
		if in == "" {
			continue
		}
		d := vertexKm(own, p.lat, p.lon)
		if d < misplacedKm {
			continue
		}
		fmt.Fprintf(log, "place province: %s %s is labelled %s but lies inside %s, %.0f km from %s: relabelled %s\n",
			p.id, p.name, p.province, in, d, p.province, in)
		p.province, p.provZh = in, ""
		n++
	}
	return n
}

// containing is the first province (by ISO code) whose polygons hold pt.
func containing(isos []string, shapes map[string]orb.MultiPolygon, pt orb.Point) string {
	for _, iso := range isos {
		if planar.MultiPolygonContains(shapes[iso], pt) {
			return iso
		}
	}
	return ""
}

// vertexKm is the great-circle distance from (lat, lon) to the nearest
// vertex of mp: an upper bound on the distance to its boundary that is
// within a vertex spacing of it (a few km at 1:50m).
func vertexKm(mp orb.MultiPolygon, lat, lon float64) float64 {
	best := -1.0
	for _, pg := range mp {
		for _, ring := range pg {
			for _, v := range ring {
				if d := haversineKm(lat, lon, v[1], v[0]); best < 0 || d < best {
					best = d
				}
			}
		}
	}
	return best
}
