// Package webmap writes one self-contained HTML file that shows map layers
// (density hexes, outlets, new sites, service areas, routes) over a grey
// province base map. Analysts open it offline by double-click: Leaflet 1.9.4
// and, for clustered layers, Leaflet.markercluster 1.5.3 (both vendored
// under assets/ with their licences) and a small hand-written script are
// inlined, the GeoJSON travels inside <script type="application/json">
// elements, and the page loads nothing from disk or network — no tile
// server, no fonts, no images (the layer-control icons become data: URIs).
//
// A page reads at every zoom: a layer may have levels of detail (Level),
// each drawn from its own zoom with colour classes of its own, built only
// when first needed; exclusive themes (radio buttons); clustered points
// with counts and sums; categories with legend filters; zoom ranges; a KPI
// panel; popups with labels and units. The page renders on one canvas
// (Leaflet's preferCanvas) so that 50k+ polygons stay responsive, and sets
// window.rlplanReady, window.rlplanStats = {layerName: featuresDrawn} and
// window.rlplanView() for automated checks (package webmaptest drives them
// in headless Chromium).
//
// # Size
//
// GeoJSON costs about 380 bytes per hexagon at full float64 precision and
// still about 270 at 5 decimals, mostly in repeated member names and
// absolute coordinates. Write therefore does not embed GeoJSON verbatim: it
// packs each collection (pack.go) with coordinates as integer steps of
// 10^-Decimals degrees, delta-encoded along each ring or line, and
// properties as rows under a shared key list; the page script unpacks it to
// GeoJSON before Leaflet sees it. That is about 100-117 bytes per hexagon.
// Identical level data used by several layers is written once. On top of
// that, [Slim] drops properties the page does not show, [LimitPrecision]
// and [KeepProperties] do the same on plain GeoJSON (for other exports), and
// [AggregatePoints] merges dense point layers onto a grid.
//
// Measured (README.md in this folder and BENCHMARKS.md): a province map of
// 40,000 hexagons, 3,000 outlets and 60 routes is 5.1 MB; the national
// plan's map (29,000 cells at four resolutions, 10,000 clustered outlets)
// is 7.4 MB and draws in about a second in headless Chromium.
//
// Write is deterministic: identical input gives identical bytes.
//
// webmap imports neither planner nor solver, nor package geo; it takes plain
// GeoJSON bytes so that any producer can feed it.
package webmap
