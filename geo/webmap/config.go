package webmap

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
)

// pageConfig is what the page script reads from the rlplan-config element.
type pageConfig struct {
	Base   *baseConfig   `json:"base,omitempty"`
	Layers []layerConfig `json:"layers"`
	Panel  *panelConfig  `json:"panel,omitempty"`
	NoData string        `json:"noData"`
	// Bounds is [west, south, east, north] of the data layers (of the
	// base when no data layer has a geometry): the first view.
	Bounds []float64 `json:"bounds,omitempty"`
	// Glyphs holds a few CJK characters of the page's text and data; the
	// page checks that the browser has a font for them.
	Glyphs string `json:"glyphs,omitempty"`

	clustered bool // some layer needs Leaflet.markercluster
}

type baseConfig struct {
	Name     string `json:"name"`
	Features int    `json:"features"`
}

type panelConfig struct {
	Title string     `json:"title,omitempty"`
	Rows  []panelRow `json:"rows"`
}

type panelRow struct {
	Label string `json:"label"`
	Value string `json:"value"`
	Note  string `json:"note,omitempty"`
}

type layerConfig struct {
	Name       string           `json:"name"`
	Visible    bool             `json:"visible"`
	Theme      bool             `json:"theme,omitempty"`
	Color      string           `json:"color"`
	ColorBy    string           `json:"colorBy,omitempty"`
	Scale      string           `json:"scale,omitempty"`
	Legend     string           `json:"legend"`
	Fields     []fieldConfig    `json:"fields,omitempty"`
	Outline    bool             `json:"outline,omitempty"`
	Opacity    float64          `json:"opacity,omitempty"`
	Radius     float64          `json:"radius"`
	Weight     float64          `json:"weight,omitempty"`
	MinZoom    float64          `json:"minZoom"`
	MaxZoom    float64          `json:"maxZoom,omitempty"`
	CategoryBy string           `json:"categoryBy,omitempty"`
	Categories []categoryConfig `json:"categories,omitempty"`
	Filter     bool             `json:"filter,omitempty"`
	Cluster    *clusterConfig   `json:"cluster,omitempty"`
	Levels     []levelConfig    `json:"levels"`
	// Features counts the finest (last) level's features.
	Features int `json:"features"`
}

type levelConfig struct {
	// Data is the id of the element holding the level's features; levels
	// with identical data (a province layer shared by several themes)
	// share one element.
	Data     string    `json:"data"`
	MinZoom  float64   `json:"minZoom"`
	Label    string    `json:"label,omitempty"`
	Features int       `json:"features"`
	Breaks   []float64 `json:"breaks,omitempty"`
	Colors   []string  `json:"colors,omitempty"`
	Min      float64   `json:"min"` // no omitempty: 0 is a common minimum
	Max      float64   `json:"max"`
}

type fieldConfig struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Unit    string `json:"unit,omitempty"`
	Percent bool   `json:"pct,omitempty"`
}

type categoryConfig struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Color string `json:"color"`
	Count int    `json:"count"` // features of the finest level
}

type clusterConfig struct {
	Sum     string  `json:"sum,omitempty"`
	Unit    string  `json:"unit,omitempty"`
	MaxZoom float64 `json:"maxZoom"`
}

// dataElem is one <script type="application/json"> element.
type dataElem struct {
	id   string
	json []byte
}

// maxZoom bounds every zoom setting: Leaflet's practical maximum.
const maxZoom = 24

// buildConfig validates m and packs its data, computing everything the
// page needs (classes, counts, bounds) so that the page does no statistics.
func buildConfig(m *Map, dec int) (*pageConfig, []dataElem, error) {
	cfg := &pageConfig{NoData: noDataColor}
	var data []dataElem
	names := map[string]bool{}
	var baseBox bbox
	if len(m.Base) > 0 {
		fc, err := parseFC(m.Base)
		if err != nil {
			return nil, nil, fmt.Errorf("webmap: base: %w", err)
		}
		name := m.BaseName
		if name == "" {
			name = "Boundaries"
		}
		cfg.Base = &baseConfig{Name: name, Features: len(fc.Features)}
		b, err := embedPacked(fc, scaleOf(dec), &baseBox, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("webmap: base: %w", err)
		}
		data = append(data, dataElem{"rlplan-base", b})
		names[name] = true
	}
	var box bbox
	themes := 0
	seen := map[[32]byte]string{}
	for i := range m.Layers {
		l := &m.Layers[i]
		if l.Name == "" {
			return nil, nil, fmt.Errorf("webmap: layer %d: empty Name", i)
		}
		if names[l.Name] {
			return nil, nil, fmt.Errorf("webmap: layer %d: name %q used twice (names key the layer control and window.rlplanStats)", i, l.Name)
		}
		names[l.Name] = true
		if l.Theme && l.Visible {
			if themes++; themes > 1 {
				return nil, nil, fmt.Errorf("webmap: layer %q: a second visible theme; themes are exclusive, show at most one", l.Name)
			}
		}
		lc, elems, err := configure(i, l, dec, &box)
		if err != nil {
			return nil, nil, fmt.Errorf("webmap: layer %q: %w", l.Name, err)
		}
		cfg.clustered = cfg.clustered || lc.Cluster != nil
		for j, e := range elems {
			h := sha256.Sum256(e.json)
			if id, ok := seen[h]; ok {
				lc.Levels[j].Data = id
				continue
			}
			seen[h] = e.id
			lc.Levels[j].Data = e.id
			data = append(data, e)
		}
		cfg.Layers = append(cfg.Layers, lc)
	}
	switch {
	case box.ok:
		cfg.Bounds = box.slice()
	case baseBox.ok:
		cfg.Bounds = baseBox.slice()
	}
	if m.Panel != nil {
		cfg.Panel = &panelConfig{Title: m.Panel.Title, Rows: []panelRow{}}
		for _, r := range m.Panel.Rows {
			cfg.Panel.Rows = append(cfg.Panel.Rows, panelRow(r))
		}
	}
	texts := [][]byte{[]byte(m.Title)}
	for _, n := range m.Notes {
		texts = append(texts, []byte(n))
	}
	for _, d := range data {
		texts = append(texts, d.json)
	}
	cfg.Glyphs = cjkSample(texts, 12)
	return cfg, data, nil
}

// configure validates layer i and packs its levels.
func configure(i int, l *Layer, mapDec int, box *bbox) (layerConfig, []dataElem, error) {
	lc := layerConfig{
		Name: l.Name, Visible: l.Visible, Theme: l.Theme, Color: l.Color, ColorBy: l.ColorBy,
		Legend: l.Legend, Outline: l.Outline, Opacity: l.Opacity, Radius: l.Radius, Weight: l.Weight,
		MinZoom: l.MinZoom, MaxZoom: l.MaxZoom, CategoryBy: l.CategoryBy, Filter: l.Filter,
	}
	if err := checkStyle(i, l, &lc); err != nil {
		return lc, nil, err
	}
	dec := mapDec
	if l.Decimals != 0 {
		var err error
		if dec, err = decimals(l.Decimals, "Decimals"); err != nil {
			return lc, nil, err
		}
	}
	levels := l.Levels
	if len(levels) == 0 {
		levels = []Level{{Features: l.Features}}
	} else if len(l.Features) > 0 {
		return lc, nil, errors.New("both Features and Levels set; put the data in one of them")
	}
	var keep map[string]bool
	if shown := l.shown(); shown != nil {
		keep = map[string]bool{}
		for _, k := range shown {
			keep[k] = true
		}
	}
	var elems []dataElem
	for j, lv := range levels {
		where := ""
		if len(l.Levels) > 0 {
			where = fmt.Sprintf("level %d: ", j)
		}
		if !(lv.MinZoom >= 0 && lv.MinZoom <= maxZoom) || j > 0 && lv.MinZoom <= levels[j-1].MinZoom {
			return lc, nil, fmt.Errorf("%sMinZoom %g: want 0..%d, above the previous level's", where, lv.MinZoom, maxZoom)
		}
		fc, err := parseFC(lv.Features)
		if err != nil {
			return lc, nil, fmt.Errorf("%s%w", where, err)
		}
		lvc := levelConfig{MinZoom: lv.MinZoom, Label: lv.Label, Features: len(fc.Features)}
		if l.ColorBy != "" {
			if err := classify(l, fc, &lvc); err != nil {
				return lc, nil, fmt.Errorf("%s%w", where, err)
			}
		}
		b, err := embedPacked(fc, scaleOf(dec), box, keep)
		if err != nil {
			return lc, nil, fmt.Errorf("%s%w", where, err)
		}
		elems = append(elems, dataElem{fmt.Sprintf("rlplan-layer-%d-%d", i, j), b})
		lc.Levels = append(lc.Levels, lvc)
		lc.Features = lvc.Features
		if j == len(levels)-1 && l.CategoryBy != "" {
			if err := countCategories(fc, l.CategoryBy, lc.Categories); err != nil {
				return lc, nil, err
			}
		}
	}
	if l.ColorBy != "" && len(l.Breaks) == 0 {
		lc.Scale = l.Scale.String()
	}
	return lc, elems, nil
}

// checkStyle validates everything of l but its data and fills lc's
// derived settings.
func checkStyle(i int, l *Layer, lc *layerConfig) error {
	if lc.Color == "" {
		lc.Color = qualitative[i%len(qualitative)]
	} else if !cssColor.MatchString(lc.Color) {
		return fmt.Errorf("Color %q: want #rgb, #rrggbb or a CSS colour name", l.Color)
	}
	if lc.Radius == 0 {
		lc.Radius = 4
	} else if !(lc.Radius > 0 && lc.Radius <= 50) {
		return fmt.Errorf("Radius %g: want 0 (default 4) or 0 < r <= 50 pixels", l.Radius)
	}
	if !(lc.Opacity >= 0 && lc.Opacity <= 1) {
		return fmt.Errorf("Opacity %g: want 0 (default: 0.7 for polygons, 0.9 for points) or 0 < opacity <= 1", l.Opacity)
	}
	if !(l.Weight >= 0 && l.Weight <= 20) {
		return fmt.Errorf("Weight %g: want 0 (default) to 20 pixels", l.Weight)
	}
	if !(l.MinZoom >= 0 && l.MinZoom <= maxZoom) || !(l.MaxZoom == 0 || l.MaxZoom > l.MinZoom && l.MaxZoom <= maxZoom) {
		return fmt.Errorf("zoom range [%g, %g): want 0 <= MinZoom < MaxZoom <= %d (MaxZoom 0: none)", l.MinZoom, l.MaxZoom, maxZoom)
	}
	if lc.Legend == "" {
		lc.Legend = l.Name
		if l.ColorBy != "" {
			lc.Legend += " (" + l.ColorBy + ")"
		}
	}
	if err := fieldsOf(l, lc); err != nil {
		return err
	}
	if l.ColorBy != "" && l.CategoryBy != "" {
		return fmt.Errorf("ColorBy %q and CategoryBy %q: a layer is coloured by one of them", l.ColorBy, l.CategoryBy)
	}
	if err := categoriesOf(l, lc); err != nil {
		return err
	}
	if c := l.Cluster; c != nil {
		mz := c.MaxZoom
		if mz == 0 {
			mz = 13
		} else if !(mz > 0 && mz <= maxZoom) {
			return fmt.Errorf("Cluster.MaxZoom %g: want 0 (default 13) or 0 < zoom <= %d", c.MaxZoom, maxZoom)
		}
		lc.Cluster = &clusterConfig{Sum: c.Sum, Unit: c.Unit, MaxZoom: mz}
	}
	if l.ColorBy == "" {
		return nil
	}
	if l.Classes != 0 && (l.Classes < 5 || l.Classes > 7) {
		return fmt.Errorf("Classes %d: want 5, 6 or 7 (0 means 6)", l.Classes)
	}
	if l.Palette != "" && palettes[l.Palette] == nil {
		return fmt.Errorf("Palette %q: want YlOrRd, YlGnBu or RdYlGn", l.Palette)
	}
	if l.Scale != Quantile && l.Scale != Log {
		return fmt.Errorf("Scale %d: want Quantile or Log", int(l.Scale))
	}
	if len(l.Breaks) > 6 {
		return fmt.Errorf("Breaks: %d thresholds, want at most 6 (7 classes)", len(l.Breaks))
	}
	for k, b := range l.Breaks {
		if math.IsNaN(b) || math.IsInf(b, 0) || k > 0 && b <= l.Breaks[k-1] {
			return fmt.Errorf("Breaks %v: want finite, strictly increasing thresholds", l.Breaks)
		}
	}
	return nil
}

// fieldsOf turns Fields (or PopupFields) into the page's popup rows.
func fieldsOf(l *Layer, lc *layerConfig) error {
	for _, f := range l.Fields {
		if f.Key == "" {
			return errors.New("Fields: empty Key")
		}
		label := f.Label
		if label == "" {
			label = f.Key
		}
		lc.Fields = append(lc.Fields, fieldConfig{Key: f.Key, Label: label, Unit: f.Unit, Percent: f.Percent})
	}
	if len(l.Fields) > 0 {
		return nil
	}
	for _, f := range l.PopupFields {
		if f == "" {
			return errors.New("PopupFields: empty field name")
		}
		lc.Fields = append(lc.Fields, fieldConfig{Key: f, Label: f})
	}
	return nil
}

// categoriesOf validates CategoryBy, Categories and Filter.
func categoriesOf(l *Layer, lc *layerConfig) error {
	if l.CategoryBy == "" {
		if len(l.Categories) > 0 || l.Filter {
			return errors.New("Categories or Filter without CategoryBy")
		}
		return nil
	}
	if len(l.Categories) == 0 {
		return fmt.Errorf("CategoryBy %q without Categories", l.CategoryBy)
	}
	seen := map[string]bool{}
	for _, c := range l.Categories {
		if seen[c.Value] {
			return fmt.Errorf("Categories: value %q listed twice", c.Value)
		}
		seen[c.Value] = true
		if !cssColor.MatchString(c.Color) {
			return fmt.Errorf("Categories: value %q: Color %q: want #rgb, #rrggbb or a CSS colour name", c.Value, c.Color)
		}
		label := c.Label
		if label == "" {
			label = c.Value
		}
		lc.Categories = append(lc.Categories, categoryConfig{Value: c.Value, Label: label, Color: c.Color})
	}
	return nil
}

// classify computes a level's colour classes for l.ColorBy.
func classify(l *Layer, fc *rawFC, lvc *levelConfig) error {
	classes := l.Classes
	if classes == 0 {
		classes = 6
	}
	vals, err := numericValues(fc, l.ColorBy)
	if err != nil {
		return err
	}
	if len(vals) == 0 {
		return fmt.Errorf("ColorBy %q: no feature of %d has a numeric value for it", l.ColorBy, len(fc.Features))
	}
	var br []float64
	switch {
	case len(l.Breaks) > 0:
		br = append([]float64(nil), l.Breaks...)
		classes = max(3, len(br)+1) // the scheme of exactly that many classes
	case l.Scale == Log:
		br = LogBreaks(vals, classes)
	default:
		br = QuantileBreaks(vals, classes)
	}
	pal := l.Palette
	if pal == "" {
		pal = YlOrRd
	}
	lvc.Breaks = br
	lvc.Colors = pickColors(len(br)+1, classes, pal)
	lvc.Min, lvc.Max = minMax(vals)
	return nil
}

// countCategories counts the features of each category (by string value).
func countCategories(fc *rawFC, key string, cats []categoryConfig) error {
	idx := map[string]int{}
	for k, c := range cats {
		idx[c.Value] = k
	}
	for i, f := range fc.Features {
		raw, ok, err := property(f.Properties, key)
		if err != nil {
			return fmt.Errorf("feature %d: properties: %w", i, err)
		}
		var s string
		if !ok || json.Unmarshal(raw, &s) != nil {
			continue
		}
		if k, ok := idx[s]; ok {
			cats[k].Count++
		}
	}
	return nil
}

// pickColors returns n colours for n classes (n <= want) out of the
// want-class scheme, spread over the whole ramp so that two classes still
// contrast.
func pickColors(n, want int, pal Palette) []string {
	ramp := palettes[pal][want]
	if n >= len(ramp) {
		return ramp
	}
	out := make([]string, n)
	for i := range out {
		j := 0
		if n > 1 {
			j = i * (len(ramp) - 1) / (n - 1)
		}
		out[i] = ramp[j]
	}
	return out
}

// marshalConfig encodes the config; json.Marshal escapes <, > and &.
func marshalConfig(cfg *pageConfig) ([]byte, error) {
	b, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("webmap: config: %w", err)
	}
	return b, nil
}

// embedPacked packs fc (see pack.go) with the properties of keep (nil:
// all), extends box by its coordinates and escapes it for a script element.
func embedPacked(fc *rawFC, scale float64, box *bbox, keep map[string]bool) ([]byte, error) {
	var b bytes.Buffer
	if err := pack(&b, fc, scale, box, keep); err != nil {
		return nil, err
	}
	return embedJSON(b.Bytes())
}

// embedJSON compacts JSON and escapes it for a <script> element: after
// json.HTMLEscape the text holds no '<', so neither "</script" nor "<!--"
// can occur, and U+2028/U+2029 are escaped too.
func embedJSON(b []byte) ([]byte, error) {
	var c bytes.Buffer
	c.Grow(len(b))
	if err := json.Compact(&c, b); err != nil {
		return nil, err
	}
	var e bytes.Buffer
	e.Grow(c.Len() + c.Len()/64)
	json.HTMLEscape(&e, c.Bytes())
	return e.Bytes(), nil
}

// cjkSample returns up to n distinct CJK ideographs in order of first
// appearance in texts: what the page must be able to draw.
func cjkSample(texts [][]byte, n int) string {
	seen := map[rune]bool{}
	var out []rune
	for _, t := range texts {
		for len(t) > 0 && len(out) < n {
			r, size := utf8.DecodeRune(t)
			t = t[size:]
			if isCJK(r) && !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	return string(out)
}

// isCJK reports a CJK unified ideograph (basic block and extension A).
func isCJK(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF }
