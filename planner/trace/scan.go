package trace

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rlplan/rlplan/internal/csvin"
)

// Scan events: every pack code is scanned when a truck picks it up at an
// outlet and when its plant receives it, as the traceability platform
// records each hand-over. scans.csv has the columns
// pack_code,event,place_id,time,kg with event pickup or receipt, place_id an
// outlet (pickup) or plant (receipt) id and time an RFC 3339 time.

// Scan events.
const (
	EventPickup  = "pickup"
	EventReceipt = "receipt"
)

// Scan is one scan event.
type Scan struct {
	Line  int
	Code  string
	Event string
	Place string
	Time  time.Time
	Kg    float64
}

// ScanColumns are the columns of scans.csv.
var ScanColumns = csvin.Cols("pack_code,event,place_id,time,kg")

// ScanReader reads scans.csv strictly, one event at a time: a row whose
// event, time or weight cannot be read is an error with file, line and
// column (the export is broken); a pack code or a place that is wrong is
// data, passed on for reconciliation to report.
type ScanReader struct {
	r *csvin.Reader
}

// NewScanReader checks the header of a scan file.
func NewScanReader(name string, in io.Reader, warn func(string)) (*ScanReader, error) {
	r, err := csvin.NewReader(name, in, ScanColumns)
	if err != nil {
		return nil, err
	}
	r.AllowEmpty()
	if warn != nil {
		for _, w := range r.Warnings() {
			warn(w)
		}
	}
	return &ScanReader{r: r}, nil
}

// Next returns the next event; ok is false at the end of the file.
func (s *ScanReader) Next() (sc Scan, ok bool, err error) {
	r := s.r
	if ok, err = r.Next(); err != nil || !ok {
		return sc, false, err
	}
	sc.Line = r.Line()
	sc.Code = r.String("pack_code", false)
	sc.Event = r.OneOf("event", true, EventPickup, EventReceipt)
	sc.Place = r.String("place_id", true)
	ts := r.String("time", true)
	if ts != "" {
		t, perr := time.Parse(time.RFC3339, ts)
		if perr != nil {
			r.Fail("time", strconv.Quote(ts), "an RFC 3339 time such as 2030-03-04T09:30:00+08:00")
		}
		sc.Time = t
	}
	sc.Kg = r.Positive("kg", true, 0, "the weighed mass of the pack in kg")
	if r.Err() == nil && sc.Kg > MaxPackKg {
		r.Fail("kg", r.String("kg", false), fmt.Sprintf("at most %d kg for one pack", MaxPackKg))
	}
	return sc, true, r.Err()
}

// ScanRecord is a row of scans.csv as rlplan writes it.
type ScanRecord struct {
	Code  string  `csv:"pack_code"`
	Event string  `csv:"event"`
	Place string  `csv:"place_id"`
	Time  string  `csv:"time"`
	Kg    float64 `csv:"kg"`
}

// Record renders a scan as written: time in plan time, to the second.
func (s Scan) Record() ScanRecord {
	return ScanRecord{Code: s.Code, Event: s.Event, Place: s.Place, Time: s.Time.In(PlanZone).Format(time.RFC3339), Kg: s.Kg}
}

// WriteScans writes scans.csv.
func WriteScans(w io.Writer, scans []Scan) error {
	if _, err := io.WriteString(w, "pack_code,event,place_id,time,kg\n"); err != nil {
		return err
	}
	buf := make([]byte, 0, 128)
	for _, s := range scans {
		r := s.Record()
		buf = append(buf[:0], csvField(r.Code)...)
		buf = append(buf, ',')
		buf = append(buf, r.Event...)
		buf = append(buf, ',')
		buf = append(buf, csvField(r.Place)...)
		buf = append(buf, ',')
		buf = append(buf, r.Time...)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, r.Kg, 'f', -1, 64)
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// csvField quotes a field when CSV needs it.
func csvField(s string) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\n', '\r':
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
	}
	return s
}
