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
// GeoJSON costs about 380 bytes per hexagon at full float64 precision and
// still about 270 at 5 decimals, mostly in repeated member names and
// absolute coordinates. Write therefore does not embed GeoJSON verbatim: it
// packs each collection (pack.go) with coordinates as integer steps of
// 10^-Decimals degrees, delta-encoded along each ring or line, and
// properties as rows under a shared key list; the page script unpacks it to
// GeoJSON before Leaflet sees it. That is about 117 bytes per hexagon. On top
// of that, [Slim] drops properties the page does not show, [LimitPrecision]
// and [KeepProperties] do the same on plain GeoJSON (for other exports), and
// [AggregatePoints] merges dense point layers onto a grid.
//
// Measured (README.md in this folder): a province map of 40,000 hexagons,
// 3,000 outlets and 60 routes over the 31 provinces is 5.1 MB; a national
// layer of 100,000 hexagons is 11–12 MB, draws in about 7 s in headless
// Chromium on a busy 2-core machine and pans in about 2 s. Beyond that,
// aggregate to a coarser H3 resolution before drawing.
//
// Write is deterministic: identical input gives identical bytes.
//
// webmap imports neither planner nor solver, nor package geo; it takes plain
// GeoJSON bytes so that any producer can feed it.
package webmap
