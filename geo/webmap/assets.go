package webmap

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"strings"
)

// LeafletVersion is the vendored Leaflet release inlined into every page.
const LeafletVersion = "1.9.4"

// MarkerClusterVersion is the vendored Leaflet.markercluster release
// inlined into pages with a clustered layer (assets/markercluster/README.md
// says how to update it).
const MarkerClusterVersion = "1.5.3"

var (
	//go:embed assets/leaflet/leaflet.js
	leafletJS []byte
	//go:embed assets/leaflet/leaflet.css
	leafletCSS string
	//go:embed assets/leaflet/images/layers.png
	layersPNG []byte
	//go:embed assets/leaflet/images/layers-2x.png
	layers2xPNG []byte
	//go:embed assets/markercluster/leaflet.markercluster.js
	markerClusterJS []byte
	//go:embed assets/markercluster/MarkerCluster.css
	markerClusterCSS string
	//go:embed assets/rlplan.js
	pageJS []byte
	//go:embed assets/rlplan.css
	pageCSS []byte
)

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

// stripSourceMap drops a trailing "//# sourceMappingURL=" comment: the
// source maps are not shipped, and a browser with developer tools open
// would otherwise ask for them.
func stripSourceMap(js []byte) []byte {
	i := bytes.LastIndex(js, []byte("\n//# sourceMappingURL="))
	if i < 0 {
		return js
	}
	if j := bytes.IndexByte(js[i+1:], '\n'); j >= 0 && len(bytes.TrimSpace(js[i+1+j:])) > 0 {
		return js // not the last line: leave the code alone
	}
	return js[:i+1]
}
