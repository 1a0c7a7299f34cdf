package report

import (
	"bytes"
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb/geojson"
	"github.com/uber/h3-go/v4"

	"github.com/rlplan/rlplan/geo"
	"github.com/rlplan/rlplan/geo/webmap"
)

// Cell is one density cell as the map shows it.
type Cell struct {
	Cell     h3.Cell
	Province string
	Tonnes   float64 // retiring per year
	Packs    float64
	// Km is the road distance to the nearest outlet (new sites included);
	// NaN when there is no outlet.
	Km float64
	// Covered is Km within the service radius.
	Covered bool
}

// MinCellPixels is how wide, in screen pixels, a hexagon must be before the
// map draws its level: below about 6 px cells read as noise. It decides the
// zoom at which each H3 resolution appears (see LevelZoom).
const MinCellPixels = 6

// LevelZoom returns the first web-map zoom at which hexagons of H3
// resolution res are at least MinCellPixels wide at latitude lat, rounded
// to the page's quarter-zoom steps: z = log2(C·cos(lat)·px / w), with C =
// 156,543.034 m per pixel at zoom 0 on the equator (Web Mercator, 256-pixel
// tiles) and w = √3 × the average edge length, the width of a hexagon
// between opposite sides. Resolution 7 (w ≈ 2.1 km) appears from zoom 8.75
// at Guangdong's latitude, resolution 4 (w ≈ 39 km) from about 4.5.
func LevelZoom(res int, lat float64) (float64, error) {
	edge, err := h3.HexagonEdgeLengthAvgKm(res)
	if err != nil {
		return 0, err
	}
	const metresPerPixelZ0 = 156543.034
	w := math.Sqrt(3) * edge * 1000
	z := math.Log2(metresPerPixelZ0 * math.Cos(lat*math.Pi/180) * MinCellPixels / w)
	return math.Max(0, math.Round(z*4)/4), nil
}

// OverviewZoom is the zoom below which the map shows provinces rather than
// hexagons: at zoom 5 China is about 2,800 pixels wide, and a province the
// size of Zhejiang about 100.
const OverviewZoom = 5

// DensityLevels aggregates density cells (all of resolution res) to their
// H3 parents at resolutions coarsest..res-1 and returns one level per
// resolution, coarsest first, each from its LevelZoom at latitude lat but
// not before OverviewZoom (the caller puts the province overview below).
// Tonnes and packs are summed; a parent carries the number of cells, the
// province with most of its tonnes, the share of its tonnes within reach
// of an outlet and the tonnes-weighted mean distance. The finest level holds
// every cell with its own figures.
func DensityLevels(cells []Cell, res, coarsest int, lat float64) ([]webmap.Level, error) {
	if coarsest < 0 || coarsest > res {
		return nil, fmt.Errorf("report: coarsest resolution %d, want 0..%d", coarsest, res)
	}
	var levels []webmap.Level
	for r := coarsest; r <= res; r++ {
		fc, err := levelFeatures(cells, res, r)
		if err != nil {
			return nil, err
		}
		b, err := encode(fc)
		if err != nil {
			return nil, err
		}
		z, err := LevelZoom(r, lat)
		if err != nil {
			return nil, err
		}
		area, _ := h3.HexagonAreaAvgKm2(r)
		levels = append(levels, webmap.Level{MinZoom: z, Label: fmt.Sprintf("H3 resolution %d: cells of about %s km²", r, areaText(area)), Features: b})
	}
	// Zooms must increase: clamping to the overview can make them equal.
	for j := range levels {
		levels[j].MinZoom = math.Max(levels[j].MinZoom, OverviewZoom)
		if j > 0 && levels[j].MinZoom <= levels[j-1].MinZoom {
			levels[j].MinZoom = levels[j-1].MinZoom + 0.25
		}
	}
	return levels, nil
}

func areaText(km2 float64) string {
	switch {
	case km2 >= 100:
		return fmt.Sprintf("%.0f", math.Round(km2/10)*10)
	case km2 >= 10:
		return fmt.Sprintf("%.0f", km2)
	}
	return fmt.Sprintf("%.1f", km2)
}

// parentAcc sums the cells under one parent.
type parentAcc struct {
	cell                   h3.Cell
	n                      int
	tonnes, packs, covered float64
	kmTonnes, kmWeight     float64
	byProvince             map[string]float64
}

// levelFeatures builds the hexagons of resolution r.
func levelFeatures(cells []Cell, res, r int) (*geojson.FeatureCollection, error) {
	fc := geojson.NewFeatureCollection()
	if r == res {
		for _, c := range cells {
			poly, err := geo.CellPolygon(c.Cell)
			if err != nil {
				return nil, err
			}
			f := geojson.NewFeature(poly)
			f.Properties["h3"] = c.Cell.String()
			f.Properties["province"] = c.Province
			f.Properties["tonnes"] = sig3(c.Tonnes)
			f.Properties["packs"] = round(c.Packs, 0)
			if !math.IsNaN(c.Km) {
				f.Properties["nearest_km"] = round(c.Km, 1)
			}
			f.Properties["covered_share"] = b2f(c.Covered)
			fc.Append(f)
		}
		return fc, nil
	}
	acc := map[h3.Cell]*parentAcc{}
	for _, c := range cells {
		if c.Cell.Resolution() != res {
			return nil, fmt.Errorf("report: cell %s has resolution %d, want %d", c.Cell, c.Cell.Resolution(), res)
		}
		p, err := c.Cell.Parent(r)
		if err != nil {
			return nil, err
		}
		a := acc[p]
		if a == nil {
			a = &parentAcc{cell: p, byProvince: map[string]float64{}}
			acc[p] = a
		}
		a.n++
		a.tonnes += c.Tonnes
		a.packs += c.Packs
		a.byProvince[c.Province] += c.Tonnes
		if c.Covered {
			a.covered += c.Tonnes
		}
		if !math.IsNaN(c.Km) {
			a.kmTonnes += c.Km * c.Tonnes
			a.kmWeight += c.Tonnes
		}
	}
	parents := make([]*parentAcc, 0, len(acc))
	for _, a := range acc {
		parents = append(parents, a)
	}
	sort.Slice(parents, func(i, j int) bool { return parents[i].cell < parents[j].cell })
	for _, a := range parents {
		poly, err := geo.CellPolygon(a.cell)
		if err != nil {
			return nil, err
		}
		f := geojson.NewFeature(poly)
		f.Properties["h3"] = a.cell.String()
		f.Properties["province"] = topKey(a.byProvince)
		f.Properties["cells"] = a.n
		f.Properties["tonnes"] = sig3(a.tonnes)
		f.Properties["packs"] = round(a.packs, 0)
		if a.tonnes > 0 {
			f.Properties["covered_share"] = round(a.covered/a.tonnes, 4)
		}
		if a.kmWeight > 0 {
			f.Properties["mean_km"] = round(a.kmTonnes/a.kmWeight, 1)
		}
		fc.Append(f)
	}
	return fc, nil
}

// topKey returns the key with the largest value, the smallest key on ties.
func topKey(m map[string]float64) string {
	best, bv := "", math.Inf(-1)
	for k, v := range m {
		if v > bv || v == bv && k < best {
			best, bv = k, v
		}
	}
	return best
}

// sig3 keeps 3 significant digits: a cell's
// tonnes to the precision its colour class and popup need, in few bytes.
func sig3(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	d := 2 - int(math.Floor(math.Log10(math.Abs(x))))
	return round(x, max(d, 0))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// round keeps d decimals.
func round(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

// encode renders a collection through geo's RFC 7946 writer.
func encode(fc *geojson.FeatureCollection) ([]byte, error) {
	var b bytes.Buffer
	if err := geo.WriteFeatureCollection(&b, fc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
