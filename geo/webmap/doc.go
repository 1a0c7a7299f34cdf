// Package webmap writes one self-contained HTML file that shows rlplan's map
// layers (density hexes, outlets, new sites, service areas, routes) over a grey
// province base map. Analysts open it offline by double-click: Leaflet 1.9.4
// (vendored under assets/leaflet, BSD-2-Clause) and a small hand-written script
// are inlined, the GeoJSON travels inside <script type="application/json">
// elements, and the page loads nothing from disk or network — no tile server,
// no fonts, no images (the layer-control icons become data: URIs).
//
// The page renders on a canvas (Leaflet's preferCanvas) so that 50k+ polygons
// stay responsive, offers a layer control, a legend per layer (a 5–7 class
// sequential colour scale for choropleths), popups with feature properties, a
// metric scale bar, and the title and notes (attribution, map-compliance
// caveat). Once drawn it sets window.rlplanReady = true and
// window.rlplanStats = {layerName: featuresDrawn} for automated checks.
//
// # Size
//
// Inline GeoJSON costs about 200–250 bytes per hexagon at full precision. The
// helpers in reduce.go shrink a layer before it is embedded:
// [LimitPrecision] rounds coordinates (5 decimals is about 1 m, enough for
// display), [KeepProperties] drops properties nobody looks at, [Slim] does
// both for a [Layer], and [AggregatePoints] merges point layers onto a grid.
// The measured figures are in the package README (geo/webmap/README.md). A
// province-sized layer (tens of thousands of H3 cells) stays well under 8 MB;
// a national layer of 100k+ cells still opens, but should be aggregated to a
// coarser H3 resolution by the caller before it is drawn.
//
// Write is deterministic: identical input gives identical bytes.
//
// webmap imports neither planner nor solver, nor package geo; it takes plain
// GeoJSON bytes so that any producer can feed it.
package webmap
