package trace

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/gocarina/gocsv"
)

// Output names of the manifests.
const (
	ManifestsCSV     = "manifests.csv"
	ManifestPacksCSV = "manifest_packs.csv"
	ManifestsDir     = "manifests" // one printable HTML page per truck-day
	ManifestsIndex   = "manifests/index.html"
)

// ManifestRecord is a row of manifests.csv: one consignor stop of one trip,
// with the trip's fields repeated so that each row stands alone.
type ManifestRecord struct {
	ManifestID    string  `csv:"manifest_id"`
	Date          string  `csv:"date"`
	Day           int     `csv:"day"`
	Vehicle       string  `csv:"vehicle"`
	VehicleType   string  `csv:"vehicle_type"`
	Trip          int     `csv:"trip"`
	DriverSlot    string  `csv:"driver_slot"`
	ConsigneeID   string  `csv:"consignee_id"`
	ConsigneeName string  `csv:"consignee_name"`
	LeavesPlant   string  `csv:"leaves_plant"`
	BackAtPlant   string  `csv:"back_at_plant_est"`
	Seq           int     `csv:"seq"`
	ConsignorID   string  `csv:"consignor_id"`
	ConsignorName string  `csv:"consignor_name"`
	Province      string  `csv:"province"`
	Lat           float64 `csv:"lat"`
	Lon           float64 `csv:"lon"`
	Arrive        string  `csv:"arrive"`
	Depart        string  `csv:"depart"`
	PlannedPacks  float64 `csv:"planned_packs"`
	PlannedKg     float64 `csv:"planned_kg"`
	CodesDue      int     `csv:"codes_due"`
	CodesKg       float64 `csv:"codes_kg"`
	LeftAtOutlet  int     `csv:"left_at_outlet"`
	UNNumber      string  `csv:"un_number"`
	ShippingName  string  `csv:"proper_shipping_name"`
	Class         string  `csv:"class"`
	TunnelCode    string  `csv:"tunnel_code"`
}

// ManifestPackRecord is a row of manifest_packs.csv: one pack code due.
type ManifestPackRecord struct {
	ManifestID string  `csv:"manifest_id"`
	Seq        int     `csv:"seq"`
	Outlet     string  `csv:"outlet_id"`
	Code       string  `csv:"pack_code"`
	Chemistry  string  `csv:"chemistry"`
	Kg         float64 `csv:"kg"`
	Received   string  `csv:"received"`
}

func round(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

func hhmm(t time.Time) string { return t.In(PlanZone).Format("15:04") }

// ManifestRecords lists every stop of every manifest.
func ManifestRecords(ms []Manifest) []ManifestRecord {
	var out []ManifestRecord
	for _, m := range ms {
		for _, st := range m.Stops {
			s := st.Stop
			out = append(out, ManifestRecord{ManifestID: m.Trip.ID, Date: m.Trip.Date, Day: m.Trip.Day, Vehicle: m.Trip.Vehicle,
				VehicleType: m.Trip.VehicleType, Trip: m.Trip.Trip, DriverSlot: m.DriverSlot, ConsigneeID: m.Consignee.ID,
				ConsigneeName: m.Consignee.Name, LeavesPlant: hhmm(m.Leaves), BackAtPlant: hhmm(m.BackAt), Seq: s.Seq,
				ConsignorID: st.Consignor.ID, ConsignorName: st.Consignor.Name, Province: st.Consignor.Province,
				Lat: round(st.Consignor.Point[1], 6), Lon: round(st.Consignor.Point[0], 6), Arrive: s.Arrive.String(), Depart: s.Depart.String(),
				PlannedPacks: s.PickupPacks, PlannedKg: s.PickupKg, CodesDue: len(st.Due), CodesKg: round(st.DueKg, 1), LeftAtOutlet: st.Left,
				UNNumber: UN3480.UNNumber, ShippingName: UN3480.ShippingName, Class: UN3480.Class, TunnelCode: UN3480.TunnelCode})
		}
	}
	return out
}

// ManifestPackRecords lists every pack code due, by manifest and stop.
func ManifestPackRecords(ms []Manifest) []ManifestPackRecord {
	var out []ManifestPackRecord
	for _, m := range ms {
		for _, st := range m.Stops {
			for _, pk := range st.Due {
				out = append(out, ManifestPackRecord{ManifestID: m.Trip.ID, Seq: st.Stop.Seq, Outlet: pk.Outlet, Code: pk.Code,
					Chemistry: pk.Chemistry, Kg: pk.Kg, Received: receivedString(pk)})
			}
		}
	}
	return out
}

func receivedString(pk Pack) string {
	if pk.DateOnly {
		return pk.Received.In(PlanZone).Format("2006-01-02")
	}
	return pk.Received.In(PlanZone).Format(time.RFC3339)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// TruckDayFile is the HTML file of one truck-day, inside ManifestsDir.
func TruckDayFile(date, vehicle string) string {
	return ManifestsDir + "/" + date + "_" + unsafeName.ReplaceAllString(vehicle, "_") + ".html"
}

// ManifestFiles renders manifests.csv, manifest_packs.csv (with codes),
// one printable HTML page per truck-day and an index of them, by file name
// (names under ManifestsDir use '/'). Nothing depends on the clock.
func ManifestFiles(ms []Manifest, withCodes bool, title string) (map[string][]byte, error) {
	files := map[string][]byte{}
	var b bytes.Buffer
	if err := gocsv.Marshal(ManifestRecords(ms), &b); err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		b.Reset()
		b.WriteString(csvHeader(ManifestRecord{}))
	}
	files[ManifestsCSV] = append([]byte(nil), b.Bytes()...)
	if withCodes {
		b.Reset()
		recs := ManifestPackRecords(ms)
		if len(recs) == 0 {
			b.WriteString(csvHeader(ManifestPackRecord{}))
		} else if err := gocsv.Marshal(recs, &b); err != nil {
			return nil, err
		}
		files[ManifestPacksCSV] = append([]byte(nil), b.Bytes()...)
	}
	days := map[string][]Manifest{}
	var keys []string
	for _, m := range ms {
		k := TruckDayFile(m.Trip.Date, m.Trip.Vehicle)
		if _, ok := days[k]; !ok {
			keys = append(keys, k)
		}
		days[k] = append(days[k], m)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.Reset()
		if err := writeTruckDay(&b, days[k], withCodes, title); err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		files[k] = append([]byte(nil), b.Bytes()...)
	}
	b.Reset()
	if err := writeIndex(&b, keys, days, title); err != nil {
		return nil, err
	}
	files[ManifestsIndex] = append([]byte(nil), b.Bytes()...)
	return files, nil
}

// csvHeader is the header line of an empty table (gocsv writes nothing
// for an empty slice).
func csvHeader(rec any) string {
	t := reflect.TypeOf(rec)
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = t.Field(i).Tag.Get("csv")
	}
	return strings.Join(names, ",") + "\n"
}
