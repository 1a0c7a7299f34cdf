package webmap

import (
	"bufio"
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"regexp"
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

// Palette names a ColorBrewer sequential or diverging scheme for ColorBy.
type Palette string

const (
	// YlOrRd (the default) runs from yellow to dark red: more is hotter
	// (tonnes, intake used).
	YlOrRd Palette = "YlOrRd"
	// YlGnBu runs from yellow to dark blue, for quantities without a
	// good or bad direction.
	YlGnBu Palette = "YlGnBu"
	// RdYlGn runs from red to green: low is bad, high is good (shares of
	// tonnes covered or collected).
	RdYlGn Palette = "RdYlGn"
)

// Layer is one toggleable data layer. How a feature is drawn follows its
// geometry: points become circle markers, lines strokes, polygons filled
// shapes (outlines only with Outline).
type Layer struct {
	// Name labels the layer in the layer control, the legend and
	// window.rlplanStats. Required and unique within a Map.
	Name string
	// Features is an RFC 7946 GeoJSON FeatureCollection (WGS84 lon/lat).
	// Features without geometry are kept in the file but not drawn. Leave
	// it empty when Levels is set.
	Features []byte
	// Levels gives the same layer at several levels of detail (say H3
	// resolutions 4 to 7), each drawn from its MinZoom until the next
	// level's. Colour classes are computed per level, so a coarse level's
	// legend describes the aggregated values it shows. The page builds a
	// level only when the zoom first asks for it.
	Levels []Level
	// Visible layers are switched on when the page opens; the others are
	// listed, unticked, in the layer control.
	Visible bool
	// Theme layers are exclusive: the layer control lists them as radio
	// buttons (with "No fill"), so two choropleths never cover each
	// other. At most one theme may be Visible.
	Theme bool
	// Color is the CSS colour ("#rrggbb" or a colour name) used when
	// neither ColorBy nor CategoryBy colours a feature, and for the outline
	// of choropleth polygons. Empty picks a colour from a fixed qualitative
	// palette by layer position.
	Color string
	// ColorBy names a numeric property (e.g. "tonnes") that colours the
	// features on a sequential scale; features lacking it are grey.
	ColorBy string
	// Scale cuts ColorBy values into classes; the zero value is Quantile.
	Scale Scale
	// Breaks, when set, are the class thresholds of ColorBy for every
	// level (1 to 6, increasing) instead of Scale's: a value v is in class
	// #{b in Breaks : v >= b}. Use it for shares, where fixed thresholds
	// (0.5, 0.8, 0.95) mean more than quantiles.
	Breaks []float64
	// Classes is the number of colour classes, 5 to 7; 0 means 6. Fewer
	// classes are drawn when the data has fewer distinct breaks.
	Classes int
	// Palette is the colour scheme of ColorBy; empty means YlOrRd.
	Palette Palette
	// CategoryBy names a string property whose values pick the colour
	// from Categories (e.g. the reason an outlet is not served). Values
	// not listed are drawn in Color and counted as "other".
	CategoryBy string
	// Categories lists the values of CategoryBy in legend order.
	Categories []Category
	// Filter adds a check box per category to the legend, to hide and
	// show features by category.
	Filter bool
	// Cluster, for point layers, groups nearby points into cluster icons
	// (Leaflet.markercluster) labelled with their count and the sum of a
	// property; a cluster's ring shows its category shares.
	Cluster *Cluster
	// MinZoom and MaxZoom limit the zooms at which the layer is drawn
	// (MinZoom <= zoom < MaxZoom); 0 means no limit. A switched-on layer
	// out of its range says so in the legend.
	MinZoom, MaxZoom float64
	// Legend is the legend heading; empty means Name (and ColorBy).
	Legend string
	// Fields are the popup's rows, in order, with labels and units. When
	// empty, PopupFields names them (the property name as label); when
	// both are empty the popup shows every property.
	Fields []Field
	// PopupFields lists, in order, the properties shown in a feature's
	// popup; nil shows all properties in file order. Fields supersedes it.
	PopupFields []string
	// Outline draws polygons without fill (e.g. service areas over a
	// density layer).
	Outline bool
	// Opacity is the fill opacity of polygons and circle markers, in
	// (0, 1]; 0 means 0.7 for polygons and 0.9 for points.
	Opacity float64
	// Radius is the circle-marker radius of points in pixels; 0 means 4.
	Radius float64
	// Weight is the stroke width of lines and outlines in pixels; 0
	// means 2.5 for lines and 1.5 for outlines.
	Weight float64
	// Decimals overrides Map.Decimals for this layer's coordinates (4
	// decimals, about 11 m, is plenty for H3 cells drawn below zoom 13).
	Decimals int
}

// Level is one level of detail of a Layer.
type Level struct {
	// MinZoom is the first zoom at which this level is drawn; levels are
	// listed by increasing MinZoom. Below the first level's MinZoom the
	// layer draws nothing.
	MinZoom float64
	// Label names the level in the legend ("H3 resolution 5, about
	// 250 km²").
	Label string
	// Features is the level's GeoJSON FeatureCollection.
	Features []byte
}

// Category is one value of a Layer's CategoryBy property.
type Category struct {
	Value string // the property value
	Label string // the legend text; empty means Value
	Color string // CSS colour
}

// Cluster configures the clustering of a point layer.
type Cluster struct {
	// Sum names a numeric property summed over a cluster's points and
	// shown under its count (e.g. "week_t"); empty shows the count only.
	Sum string
	// Unit follows the sum ("t").
	Unit string
	// MaxZoom is the zoom from which points are no longer clustered; 0
	// means 13 (a town's streets).
	MaxZoom float64
}

// Field is one row of a feature's popup.
type Field struct {
	Key   string // property name
	Label string // row heading; empty means Key
	Unit  string // appended to numbers ("t/yr", "km")
	// Percent shows a share (0.953) as a percentage (95.3 %).
	Percent bool
}

// Panel is a small box of headline figures (a plan's KPIs) in the map's
// top-left corner. Values are shown as given.
type Panel struct {
	Title string
	Rows  []PanelRow
}

// PanelRow is one figure of a Panel.
type PanelRow struct {
	Label string
	Value string
	// Note is a short qualifier in smaller type ("of 3,710 t due").
	Note string
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
	// Panel, when set, shows headline figures over the map.
	Panel *Panel
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
// palette for uniform layers and ColorBrewer schemes (3 to 7 classes) for
// choropleths.
var (
	qualitative = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"}
	palettes    = map[Palette]map[int][]string{
		YlOrRd: {
			3: {"#ffeda0", "#feb24c", "#f03b20"},
			4: {"#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"},
			5: {"#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"},
			6: {"#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"},
			7: {"#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"},
		},
		YlGnBu: {
			3: {"#edf8b1", "#7fcdbb", "#2c7fb8"},
			4: {"#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"},
			5: {"#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"},
			6: {"#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"},
			7: {"#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"},
		},
		RdYlGn: {
			3: {"#fc8d59", "#ffffbf", "#91cf60"},
			4: {"#d7191c", "#fdae61", "#a6d96a", "#1a9641"},
			5: {"#d7191c", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641"},
			6: {"#d73027", "#fc8d59", "#fee08b", "#d9ef8b", "#91cf60", "#1a9850"},
			7: {"#d73027", "#fc8d59", "#fee08b", "#ffffbf", "#d9ef8b", "#91cf60", "#1a9850"},
		},
	}
	noDataColor = "#bdbdbd"
	cssColor    = regexp.MustCompile(`^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20})$`)
)

// Write writes m as one HTML document to w. It validates every layer first
// (unique names, FeatureCollections, a numeric ColorBy property, CSS
// colours, 5–7 classes, levels by increasing zoom, at most one visible
// theme) and writes nothing when one is wrong. GeoJSON is packed
// (coordinates rounded to the layer's decimals, see pack.go), compacted
// and HTML-escaped (<, >, & become \u003c, \u003e, \u0026) so a property
// value such as "</script>" cannot end its script element.
func Write(w io.Writer, m *Map) error {
	if m == nil {
		return errors.New("webmap: nil Map")
	}
	dec, err := decimals(m.Decimals, "Decimals")
	if err != nil {
		return err
	}
	cfg, data, err := buildConfig(m, dec)
	if err != nil {
		return err
	}
	conf, err := marshalConfig(cfg)
	if err != nil {
		return err
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
		"<meta name=\"generator\" content=\"rlplan geo/webmap, Leaflet ", LeafletVersion)
	if cfg.clustered {
		p(", Leaflet.markercluster ", MarkerClusterVersion)
	}
	p("\">\n",
		// An empty data: icon stops the browser asking for /favicon.ico.
		"<link rel=\"icon\" href=\"data:,\">\n",
		"<title>", html.EscapeString(title), "</title>\n",
		"<style>\n", inlineLeafletCSS(), "\n</style>\n")
	if cfg.clustered {
		p("<style>\n", markerClusterCSS, "</style>\n")
	}
	p("<style>\n", string(pageCSS), "</style>\n",
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
	for _, d := range data {
		fmt.Fprintf(bw, "<script type=\"application/json\" id=\"%s\">", d.id)
		bw.Write(d.json)
		p("</script>\n")
	}
	p("<script>\n")
	bw.Write(stripSourceMap(leafletJS))
	if cfg.clustered {
		p("\n</script>\n<script>\n")
		bw.Write(stripSourceMap(markerClusterJS))
	}
	p("\n</script>\n<script>\n")
	bw.Write(pageJS)
	p("</script>\n</body>\n</html>\n")
	return bw.Flush()
}

// decimals checks a Decimals setting: 0 means 5, else 1..7.
func decimals(d int, what string) (int, error) {
	if d == 0 {
		return 5, nil
	}
	if d < 0 || d > 7 {
		return 0, fmt.Errorf("webmap: %s %d, want 1..7 (0 means 5)", what, d)
	}
	return d, nil
}

// scaleOf is the integer step of d decimals.
func scaleOf(d int) float64 { return math.Pow(10, float64(d)) }
