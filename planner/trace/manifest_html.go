package trace

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"path"
)

// The printable manifests: one HTML file per truck-day, one trip per A4
// page, no script and no external asset (fonts are the reader's own, with
// Chinese families first), so that the page prints the same offline on any
// machine. Blank cells are for the driver, the escort and the plant to fill
// in by hand: what was loaded and weighed, signatures.

// Page fitting. A trip's page is the fixed part (title, trip, dangerous
// goods, sign-off: about pageFixedMM) plus a row per stop and a row per
// line of codes; A4 with 10 mm margins leaves pageMM. A trip too long for
// one sheet is scaled down (CSS zoom) until it fits, after printing its
// codes six to a line instead of four.
const (
	pageMM        = 277.0
	pageFixedMM   = 192.0
	stopRowMM     = 8.5
	codeRowMM     = 3.8
	pageSafety    = 0.93
	codesPerRow   = 4
	codesPerDense = 6
)

type htmlStop struct {
	ManifestStop
	Codes [][]Pack // Due in rows of codesPerRow
	Show  bool     // the manifest lists codes
}

type htmlTrip struct {
	Manifest
	Title    string
	Decl     Declaration
	Stops    []htmlStop
	Dense    bool
	Zoom     string // CSS zoom of the page, "" for none
	Codes    bool
	Capacity string
	Leaves   string
	Back     string
}

func (h htmlTrip) PackTotal() string {
	if h.Codes {
		return fmt.Sprintf("%d packs, %.1f kg due (planned %.1f packs, %.1f kg)", h.DuePacks, h.DueKg, h.PlannedPacks, h.PlannedKg)
	}
	return fmt.Sprintf("%.1f packs, %.1f kg planned", h.PlannedPacks, h.PlannedKg)
}

var manifestFuncs = template.FuncMap{
	"kg":    func(x float64) string { return fmt.Sprintf("%.1f", x) },
	"packs": func(x float64) string { return fmt.Sprintf("%.1f", x) },
	"coord": func(x float64) string { return fmt.Sprintf("%.5f", x) },
}

var truckDayTmpl = template.Must(template.New("day").Funcs(manifestFuncs).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
@page { size: A4; margin: 10mm 12mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "DejaVu Sans", Arial, sans-serif; font-size: 9pt; color: #000; line-height: 1.25; }
.trip { break-after: page; page-break-after: always; break-inside: avoid; }
.trip:last-of-type { break-after: auto; page-break-after: auto; }
.trip.dense .codes td { font-size: 6.5pt; }
h1 { font-size: 13pt; margin: 0 0 1mm 0; }
h2 { font-size: 9.5pt; margin: 2.5mm 0 1mm 0; text-transform: uppercase; letter-spacing: 0.04em; }
.id { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 10pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.5pt solid #000; padding: 0.6mm 1.2mm; vertical-align: top; text-align: left; }
th { background: #eee; font-weight: 600; }
td.n, th.n { text-align: right; }
td.fill { min-width: 14mm; }
table.kv th { width: 34mm; }
.codes td { border: none; padding: 0 1.2mm 0 0; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 7pt; }
tr.codes-row > td { padding: 0.4mm 1.2mm 0.8mm 6mm; }
.sign th { width: 22%; }
.sign td { width: 28%; height: 9mm; }
footer { margin-top: 2mm; font-size: 7pt; color: #333; }
@media screen {
  body { background: #d8d8d8; }
  .trip { background: #fff; width: 210mm; min-height: 297mm; margin: 6mm auto; padding: 10mm 12mm; box-shadow: 0 0 3mm rgba(0,0,0,0.25); }
}
</style>
</head>
<body>
{{range .Trips}}<section class="trip{{if .Dense}} dense{{end}}" data-manifest="{{.Trip.ID}}"{{if .Zoom}} style="zoom: {{.Zoom}}"{{end}}>
<h1>Transfer manifest · 危险货物道路运输运单</h1>
<div class="id">{{.Trip.ID}}</div>
<h2>Trip</h2>
<table class="kv">
<tr><th>Date</th><td>{{.Trip.Date}} (day {{.Trip.Day}})</td><th>Truck</th><td>{{.Trip.Vehicle}}</td></tr>
<tr><th>Vehicle type</th><td>{{.Trip.VehicleType}} — {{.Capacity}}</td><th>Trip</th><td>{{.TripOfDay}} of {{.TripsOfDay}} this day</td></tr>
<tr><th>Driver slot</th><td>{{.DriverSlot}}</td><th>Planned times</th><td>leaves plant {{.Leaves}}, back about {{.Back}} (estimated)</td></tr>
<tr><th>Consignee</th><td colspan="3">{{.Consignee.Name}} ({{.Consignee.ID}}), {{.Consignee.Province}}, {{coord (index .Consignee.Point 1)}} N {{coord (index .Consignee.Point 0)}} E; carrier: the plant's dedicated dangerous-goods fleet</td></tr>
</table>
<h2>Dangerous goods</h2>
<table class="kv">
<tr><th>Description</th><td colspan="3"><b>{{.Decl.Description}}</b></td></tr>
<tr><th>UN number</th><td>{{.Decl.UNNumber}}</td><th>Proper shipping name</th><td>{{.Decl.ShippingName}} ({{.Decl.ShippingNameZH}})</td></tr>
<tr><th>Class, labels</th><td>{{.Decl.Class}}, label {{.Decl.Labels}} (code {{.Decl.ClassificationCode}})</td><th>Packing group</th><td>{{.Decl.PackingGroup}}</td></tr>
<tr><th>Tunnel code</th><td>{{.Decl.TunnelCode}}</td><th>Transport category</th><td>{{.Decl.TransportCategory}}</td></tr>
<tr><th>Packing</th><td colspan="3">{{.Decl.Packing}}</td></tr>
<tr><th>Damaged packs</th><td colspan="3">{{.Decl.Damaged}}</td></tr>
<tr><th>Waste</th><td colspan="3">{{.Decl.Waste}}</td></tr>
<tr><th>Packages, quantity</th><td colspan="3">{{.PackTotal}}</td></tr>
</table>
<h2>Consignors, in stop order</h2>
<table>
<tr><th class="n">#</th><th>Outlet</th><th>Arrive</th><th>Depart</th><th class="n">Packs (plan)</th><th class="n">kg (plan)</th>{{if .Codes}}<th class="n">Codes due</th>{{end}}<th>Packs loaded</th><th>kg weighed</th><th>Consignor signature</th></tr>
{{range .Stops}}<tr><td class="n">{{.Stop.Seq}}</td><td>{{.Consignor.Name}} ({{.Consignor.ID}}), {{.Consignor.Province}}</td><td>{{.Stop.Arrive}}</td><td>{{.Stop.Depart}}</td><td class="n">{{packs .Stop.PickupPacks}}</td><td class="n">{{kg .Stop.PickupKg}}</td>{{if .Show}}<td class="n">{{len .Due}}{{if .Left}} ({{.Left}} left){{end}}</td>{{end}}<td class="fill"></td><td class="fill"></td><td class="fill"></td></tr>
{{if .Codes}}<tr class="codes-row"><td></td><td colspan="9"><table class="codes">{{range .Codes}}<tr>{{range .}}<td>{{.Code}} {{.Chemistry}} {{kg .Kg}} kg</td>{{end}}</tr>{{end}}</table></td></tr>
{{end}}{{end}}</table>
<h2>Sign-off</h2>
<table class="sign">
<tr><th>Driver (name, licence no.)</th><td></td><th>Escort 押运员 (name, licence no.)</th><td></td></tr>
<tr><th>Received at plant (time)</th><td></td><th>Packs, kg received</th><td></td></tr>
<tr><th>Consignee signature</th><td colspan="3"></td></tr>
</table>
<footer>{{.Title}} · manifest {{.Trip.ID}} · UN 3480 entry of ADR Table A and JT/T 617.3; documents per ADR 5.4.1 and JT/T 617.5; every pack code scanned at pickup and receipt (GB/T 34014).</footer>
</section>
{{end}}</body>
</html>
`))

type truckDayPage struct {
	Title string
	Trips []htmlTrip
}

func writeTruckDay(w io.Writer, ms []Manifest, withCodes bool, title string) error {
	page := truckDayPage{Title: fmt.Sprintf("Manifests %s %s — %s", ms[0].Trip.Date, ms[0].Trip.Vehicle, title)}
	for _, m := range ms {
		h := htmlTrip{Manifest: m, Title: title, Decl: UN3480, Codes: withCodes,
			Capacity: fmt.Sprintf("%.0f kg, %d packs", m.Trip.CapacityKg, m.Trip.CapacityPacks), Leaves: hhmm(m.Leaves), Back: hhmm(m.BackAt)}
		height := func(perRow int) float64 {
			mm := pageFixedMM
			for _, st := range m.Stops {
				mm += stopRowMM + codeRowMM*math.Ceil(float64(len(st.Due))/float64(perRow))
			}
			return mm
		}
		perRow := codesPerRow
		if height(perRow) > pageMM {
			perRow, h.Dense = codesPerDense, true
			if z := pageMM / height(perRow) * pageSafety; z < 1 {
				h.Zoom = fmt.Sprintf("%.3f", z)
			}
		}
		for _, st := range m.Stops {
			hs := htmlStop{ManifestStop: st, Show: withCodes}
			for i := 0; i < len(st.Due); i += perRow {
				hs.Codes = append(hs.Codes, st.Due[i:min(i+perRow, len(st.Due))])
			}
			h.Stops = append(h.Stops, hs)
		}
		page.Trips = append(page.Trips, h)
	}
	return truckDayTmpl.Execute(w, page)
}

var indexTmpl = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "DejaVu Sans", Arial, sans-serif; font-size: 10pt; margin: 12mm; } td, th { padding: 0.5mm 3mm; text-align: left; } td.n { text-align: right; }</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p>One page per trip; print each truck-day on A4.</p>
<table>
<tr><th>Date</th><th>Truck</th><th>Trips</th><th>Plant</th></tr>
{{range .Rows}}<tr><td>{{.Date}}</td><td><a href="{{.Href}}">{{.Vehicle}}</a></td><td class="n">{{.Trips}}</td><td>{{.Plant}}</td></tr>
{{end}}</table>
</body>
</html>
`))

type indexRow struct {
	Date, Vehicle, Href, Plant string
	Trips                      int
}

func writeIndex(w io.Writer, keys []string, days map[string][]Manifest, title string) error {
	data := struct {
		Title string
		Rows  []indexRow
	}{Title: "Transfer manifests — " + title}
	for _, k := range keys {
		m := days[k][0]
		data.Rows = append(data.Rows, indexRow{Date: m.Trip.Date, Vehicle: m.Trip.Vehicle, Href: path.Base(k), Plant: m.Trip.Plant, Trips: len(days[k])})
	}
	return indexTmpl.Execute(w, data)
}
