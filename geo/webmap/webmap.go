package webmap

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"regexp"
	"strings"
)

// LeafletVersion is the vendored Leaflet release inlined into every page.
const LeafletVersion = "1.9.4"

var (
	//go:embed assets/leaflet/leaflet.js
	leafletJS []byte
	//go:embed assets/leaflet/leaflet.css
	leafletCSS string
	//go:embed assets/leaflet/images/layers.png
	layersPNG []byte
	//go:embed assets/leaflet/images/layers-2x.png
	layers2xPNG []byte
	//go:embed assets/rlplan.js
	pageJS []byte
	//go:embed assets/rlplan.css
	pageCSS []byte
)

// Scale chooses how a ColorBy property is cut into colour classes.
type Scale int

const (
	// Quantile puts about the same number of features in each class; the
	// right default for skewed quantities such as tonnes per cell.
	Quantile Scale = iota
	// Log spaces class breaks evenly on a log10 axis between the smallest
	// and largest positive values; zero and negative values fall in the
	// first class.
	Log
)

func (s Scale) String() string {
	switch s {
	case Quantile:
		return "quantile"
	case Log:
		return "log"
	}
	return fmt.Sprintf("Scale(%d)", int(s))
}

// Layer is one toggleable data layer. How a feature is drawn follows its
// geometry: points become circle markers, lines strokes, polygons filled
// shapes (outlines only with Outline).
type Layer struct {
	// Name labels the layer in the layer control, the legend and
	// window.rlplanStats. Required and unique within a Map.
	Name string
	// Features is an RFC 7946 GeoJSON FeatureCollection (WGS84 lon/lat).
	// Features without geometry are kept in the file but not drawn.
	Features []byte
	// Visible layers are switched on when the page opens; the others are
	// listed, unticked, in the layer control.
	Visible bool
	// Color is the CSS colour ("#rrggbb" or a colour name) used when ColorBy
	// is empty, and for the outline of choropleth polygons. Empty picks a
	// colour from a fixed qualitative palette by layer position.
	Color string
	// ColorBy names a numeric property (e.g. "tonnes") that colours the
	// features on a sequential scale; features lacking it are grey.
	ColorBy string
	// Scale cuts ColorBy values into classes; the zero value is Quantile.
	Scale Scale
	// Classes is the number of colour classes, 5 to 7; 0 means 6. Fewer
	// classes are drawn when the data has fewer distinct breaks.
	Classes int
	// Legend is the legend heading; empty means Name (and ColorBy).
	Legend string
	// PopupFields lists, in order, the properties shown in a feature's
	// popup; nil shows all properties in file order.
	PopupFields []string
	// Outline draws polygons without fill (e.g. service areas over a
	// density layer).
	Outline bool
	// Radius is the circle-marker radius of points in pixels; 0 means 4.
	Radius float64
}

// Map is one HTML page.
type Map struct {
	// Title heads the page and names the browser tab.
	Title string
	// Base is an optional GeoJSON FeatureCollection (province boundaries)
	// drawn in grey under the data layers; it is not counted when fitting
	// the view unless no data layer has a geometry.
	Base []byte
	// BaseName labels Base in the layer control; empty means "Boundaries".
	BaseName string
	// Layers are drawn in order, the last on top.
	Layers []Layer
	// Decimals is the number of decimal places kept in coordinates; 0
	// means 5 (about 1 m), at most 7. The page carries coordinates as
	// integers in these units, delta-encoded (see pack.go), which is what
	// keeps a province of hexagons within a few megabytes.
	Decimals int
	// Notes are shown as plain text under the map: data attribution,
	// the map-compliance caveat, the scenario and date. URLs in them stay
	// text; the page never loads them.
	Notes []string
}

// Default colours, chosen for contrast on a grey base map: a qualitative
// palette for uniform layers and the ColorBrewer YlOrRd sequential scheme
// (5, 6 and 7 classes) for choropleths.
var (
	qualitative = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"}
	sequential  = map[int][]string{
		5: {"#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"},
		6: {"#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"},
		7: {"#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"},
	}
	noDataColor = "#bdbdbd"
	cssColor    = regexp.MustCompile(`^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20})$`)
)

// pageConfig is what the page script reads from the rlplan-config element.
type pageConfig struct {
	Base      *baseConfig   `json:"base,omitempty"`
	Layers    []layerConfig `json:"layers"`
	NoData    string        `json:"noData"`
	FitLayers bool          `json:"fitLayers"`
}

type baseConfig struct {
	Name     string `json:"name"`
	Features int    `json:"features"`
}

type layerConfig struct {
	Name     string    `json:"name"`
	Visible  bool      `json:"visible"`
	Color    string    `json:"color"`
	ColorBy  string    `json:"colorBy,omitempty"`
	Breaks   []float64 `json:"breaks,omitempty"`
	Colors   []string  `json:"colors,omitempty"`
	Min      float64   `json:"min"` // no omitempty: 0 is a common minimum
	Max      float64   `json:"max"`
	Scale    string    `json:"scale,omitempty"`
	Legend   string    `json:"legend"`
	Popup    []string  `json:"popup,omitempty"`
	Outline  bool      `json:"outline,omitempty"`
	Radius   float64   `json:"radius"`
	Features int       `json:"features"`
}

// Write writes m as one HTML document to w. It validates every layer first
// (unique names, a FeatureCollection, a numeric ColorBy property, a CSS
// colour, 5–7 classes) and writes nothing when one is wrong. GeoJSON is
// packed (coordinates rounded to m.Decimals, see pack.go), compacted and
// HTML-escaped (<, >, & become \u003c, \u003e, \u0026) so a
// property value such as "</script>" cannot end its script element.
func Write(w io.Writer, m *Map) error {
	if m == nil {
		return errors.New("webmap: nil Map")
	}
	dec := m.Decimals
	if dec == 0 {
		dec = 5
	}
	if dec < 0 || dec > 7 {
		return fmt.Errorf("webmap: Decimals %d, want 1..7 (0 means 5)", m.Decimals)
	}
	scale := math.Pow(10, float64(dec))
	cfg := pageConfig{NoData: noDataColor}
	var base []byte
	if len(m.Base) > 0 {
		fc, err := parseFC(m.Base)
		if err != nil {
			return fmt.Errorf("webmap: base: %w", err)
		}
		name := m.BaseName
		if name == "" {
			name = "Boundaries"
		}
		cfg.Base = &baseConfig{Name: name, Features: len(fc.Features)}
		if base, err = embedPacked(fc, scale); err != nil {
			return fmt.Errorf("webmap: base: %w", err)
		}
	}
	names := make(map[string]bool, len(m.Layers))
	if cfg.Base != nil {
		names[cfg.Base.Name] = true
	}
	data := make([][]byte, len(m.Layers))
	for i := range m.Layers {
		l := &m.Layers[i]
		if l.Name == "" {
			return fmt.Errorf("webmap: layer %d: empty Name", i)
		}
		if names[l.Name] {
			return fmt.Errorf("webmap: layer %d: name %q used twice (names key the layer control and window.rlplanStats)", i, l.Name)
		}
		names[l.Name] = true
		lc, fc, err := configure(i, l)
		if err != nil {
			return fmt.Errorf("webmap: layer %q: %w", l.Name, err)
		}
		if lc.Features > 0 {
			cfg.FitLayers = true
		}
		cfg.Layers = append(cfg.Layers, lc)
		if data[i], err = embedPacked(fc, scale); err != nil {
			return fmt.Errorf("webmap: layer %q: %w", l.Name, err)
		}
	}
	conf, err := json.Marshal(cfg) // json.Marshal escapes <, > and & already
	if err != nil {
		return fmt.Errorf("webmap: config: %w", err)
	}

	title := m.Title
	if title == "" {
		title = "rlplan map"
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	p := func(s ...string) {
		for _, x := range s {
			bw.WriteString(x)
		}
	}
	p("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
		"<meta name=\"generator\" content=\"rlplan geo/webmap, Leaflet ", LeafletVersion, "\">\n",
		// An empty data: icon stops the browser asking for /favicon.ico.
		"<link rel=\"icon\" href=\"data:,\">\n",
		"<title>", html.EscapeString(title), "</title>\n",
		"<style>\n", inlineLeafletCSS(), "\n</style>\n<style>\n", string(pageCSS), "</style>\n",
		"</head>\n<body>\n<header><h1>", html.EscapeString(title), "</h1></header>\n",
		"<div id=\"map\"></div>\n")
	if len(m.Notes) > 0 {
		p("<footer id=\"notes\">\n")
		for _, n := range m.Notes {
			p("<p>", html.EscapeString(n), "</p>\n")
		}
		p("</footer>\n")
	}
	p("<script type=\"application/json\" id=\"rlplan-config\">")
	bw.Write(conf)
	p("</script>\n")
	if base != nil {
		p("<script type=\"application/json\" id=\"rlplan-base\">")
		bw.Write(base)
		p("</script>\n")
	}
	for i, d := range data {
		fmt.Fprintf(bw, "<script type=\"application/json\" id=\"rlplan-layer-%d\">", i)
		bw.Write(d)
		p("</script>\n")
	}
	p("<script>\n")
	bw.Write(leafletJS)
	p("\n</script>\n<script>\n")
	bw.Write(pageJS)
	p("</script>\n</body>\n</html>\n")
	return bw.Flush()
}

// configure validates l and derives the page settings, including the
// colour breaks, so that the page does no statistics of its own.
func configure(i int, l *Layer) (layerConfig, *rawFC, error) {
	fc, err := parseFC(l.Features)
	if err != nil {
		return layerConfig{}, nil, err
	}
	lc := layerConfig{
		Name:     l.Name,
		Visible:  l.Visible,
		Color:    l.Color,
		ColorBy:  l.ColorBy,
		Legend:   l.Legend,
		Popup:    l.PopupFields,
		Outline:  l.Outline,
		Radius:   l.Radius,
		Features: len(fc.Features),
	}
	if lc.Color == "" {
		lc.Color = qualitative[i%len(qualitative)]
	} else if !cssColor.MatchString(lc.Color) {
		return lc, nil, fmt.Errorf("Color %q: want #rgb, #rrggbb or a CSS colour name", l.Color)
	}
	if lc.Radius == 0 {
		lc.Radius = 4
	} else if lc.Radius < 0 || lc.Radius > 50 {
		return lc, nil, fmt.Errorf("Radius %g: want 0 (default 4) or 0 < r <= 50 pixels", l.Radius)
	}
	if lc.Legend == "" {
		lc.Legend = l.Name
		if l.ColorBy != "" {
			lc.Legend += " (" + l.ColorBy + ")"
		}
	}
	for _, f := range l.PopupFields {
		if f == "" {
			return lc, nil, errors.New("PopupFields: empty field name")
		}
	}
	if l.ColorBy == "" {
		return lc, fc, nil
	}
	classes := l.Classes
	if classes == 0 {
		classes = 6
	}
	if classes < 5 || classes > 7 {
		return lc, nil, fmt.Errorf("Classes %d: want 5, 6 or 7 (0 means 6)", l.Classes)
	}
	vals, err := numericValues(fc, l.ColorBy)
	if err != nil {
		return lc, nil, err
	}
	if len(vals) == 0 {
		return lc, nil, fmt.Errorf("ColorBy %q: no feature of %d has a numeric value for it", l.ColorBy, len(fc.Features))
	}
	var br []float64
	switch l.Scale {
	case Quantile:
		br = QuantileBreaks(vals, classes)
	case Log:
		br = LogBreaks(vals, classes)
	default:
		return lc, nil, fmt.Errorf("Scale %d: want Quantile or Log", int(l.Scale))
	}
	lc.Breaks = br
	lc.Colors = pickColors(len(br)+1, classes)
	lc.Min, lc.Max = minMax(vals)
	lc.Scale = l.Scale.String()
	return lc, fc, nil
}

// pickColors returns n colours for n classes (n <= want) out of the want-class
// palette, spread over the whole ramp so that two classes still contrast.
func pickColors(n, want int) []string {
	pal := sequential[want]
	if n >= len(pal) {
		return pal
	}
	out := make([]string, n)
	for i := range out {
		j := 0
		if n > 1 {
			j = i * (len(pal) - 1) / (n - 1)
		}
		out[i] = pal[j]
	}
	return out
}

// embedPacked packs fc (see pack.go) and escapes it for a script element.
func embedPacked(fc *rawFC, scale float64) ([]byte, error) {
	var b bytes.Buffer
	if err := pack(&b, fc, scale); err != nil {
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

// inlineLeafletCSS replaces Leaflet's image URLs: the layer-control icons
// become data: URIs and the default-marker path probe, unused with circle
// markers, becomes none. Nothing is then fetched, not even from file://.
func inlineLeafletCSS() string {
	r := strings.NewReplacer(
		"url(images/layers.png)", "url(data:image/png;base64,"+base64.StdEncoding.EncodeToString(layersPNG)+")",
		"url(images/layers-2x.png)", "url(data:image/png;base64,"+base64.StdEncoding.EncodeToString(layers2xPNG)+")",
		"url(images/marker-icon.png)", "none",
	)
	return r.Replace(leafletCSS)
}
