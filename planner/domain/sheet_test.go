package domain_test

import (
	"bytes"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/rlplan/rlplan/planner/domain"
)

const sheetHeader = "day,date,plant,vehicle,trip,seq,outlet_id,arrive,depart,pickup_kg,pickup_packs,load_kg,km,vehicle_type\n"

// A split pickup: O7 is served on Monday by two trips of one truck and by a
// second truck; the rows stay distinct, with their lines.
func TestReadSheetSplitPickups(t *testing.T) {
	data := sheetHeader +
		"1,2030-03-04,P1,P1-truck-1,1,1,O7,08:03,08:29,3852.8,11.7,3852.8,47.35,truck\n" +
		"1,2030-03-04,P1,P1-truck-1,2,2,O7,11:02,11:28,1000,3,1000,44.57,truck\n" +
		"1,2030-03-04,P1,P1-truck-2,1,1,O7,9:05,09:30,500.5,1.5,500.5,47.35,truck\n"
	rows, err := domain.ReadSheet("routes.csv", strings.NewReader(data), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []domain.SheetRow{
		{Line: 2, Day: 1, Date: "2030-03-04", Plant: "P1", Vehicle: "P1-truck-1", VehicleType: "truck", Trip: 1, Seq: 1, Outlet: "O7",
			Arrive: 8*60 + 3, Depart: 8*60 + 29, PickupKg: 3852.8, PickupPacks: 11.7, LoadKg: 3852.8, Km: 47.35},
		{Line: 3, Day: 1, Date: "2030-03-04", Plant: "P1", Vehicle: "P1-truck-1", VehicleType: "truck", Trip: 2, Seq: 2, Outlet: "O7",
			Arrive: 11*60 + 2, Depart: 11*60 + 28, PickupKg: 1000, PickupPacks: 3, LoadKg: 1000, Km: 44.57},
		{Line: 4, Day: 1, Date: "2030-03-04", Plant: "P1", Vehicle: "P1-truck-2", VehicleType: "truck", Trip: 1, Seq: 1, Outlet: "O7",
			Arrive: 9*60 + 5, Depart: 9*60 + 30, PickupKg: 500.5, PickupPacks: 1.5, LoadKg: 500.5, Km: 47.35},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("read\n%+v\nwant\n%+v", rows, want)
	}
	var b bytes.Buffer
	if err := domain.WriteSheet(&b, rows); err != nil {
		t.Fatal(err)
	}
	// Written back with two-digit hours and no trailing zeros.
	if want := strings.Replace(data, ",9:05,", ",09:05,", 1); b.String() != want {
		t.Errorf("written\n%s\nwant\n%s", b.String(), want)
	}
}

// A week without stops is a header alone, and it reads back as no rows.
func TestSheetEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := domain.WriteSheet(&b, nil); err != nil {
		t.Fatal(err)
	}
	if b.String() != sheetHeader {
		t.Fatalf("empty sheet %q", b.String())
	}
	rows, err := domain.ReadSheet("routes.csv", &b, nil)
	if err != nil || len(rows) != 0 {
		t.Fatalf("rows %v, err %v", rows, err)
	}
}

func TestReadSheetErrors(t *testing.T) {
	row := "1,2030-03-04,P1,P1-truck-1,1,1,O7,08:03,08:29,3852.8,11.7,3852.8,47.35,truck\n"
	cases := []struct{ name, data, want string }{
		{"missing vehicle_type", strings.Replace(sheetHeader, ",vehicle_type", "", 1) + strings.Replace(row, ",truck\n", "\n", 1),
			`routes.csv:1: column "vehicle_type": required column is missing`},
		{"clock", sheetHeader + strings.Replace(row, "08:03", "8.03", 1), `routes.csv:2:35: column "arrive": found "8.03", want a time HH:MM`},
		{"minutes", sheetHeader + strings.Replace(row, "08:29", "08:60", 1), `routes.csv:2:41: column "depart": found "08:60"`},
		{"past 48:00", sheetHeader + strings.Replace(row, "08:29", "48:01", 1), `column "depart": found "48:01"`},
		{"day 8", sheetHeader + "8" + row[1:], `routes.csv:2:1: column "day": found "8", want a whole number from 1 to 7`},
		{"trip 0", sheetHeader + strings.Replace(row, ",1,1,O7", ",0,1,O7", 1), `column "trip": found "0", want a whole number from 1 to 1000`},
		{"date", sheetHeader + strings.Replace(row, "2030-03-04", "04/03/2030", 1), `routes.csv:2:3: column "date": found "04/03/2030", want a date YYYY-MM-DD`},
		{"negative kg", sheetHeader + strings.Replace(row, "3852.8,11.7", "-5,11.7", 1), `column "pickup_kg": found "-5", want a number >= 0`},
		{"empty outlet", sheetHeader + strings.Replace(row, "O7", "", 1), `column "outlet_id": found an empty field, want a value`},
		{"short row", sheetHeader + "1,2030-03-04\n", "routes.csv:2: row length differs from the header"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := domain.ReadSheet("routes.csv", strings.NewReader(c.data), nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

// An unknown column (a dispatcher's notes) is a warning, not an error.
func TestReadSheetUnknownColumn(t *testing.T) {
	data := strings.TrimSuffix(sheetHeader, "\n") + ",note\n1,2030-03-04,P1,P1-truck-1,1,1,O7,08:03,08:29,3852.8,11.7,3852.8,47.35,truck,call first\n"
	var warned []string
	rows, err := domain.ReadSheet("routes.csv", strings.NewReader(data), func(s string) { warned = append(warned, s) })
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows %v, err %v", rows, err)
	}
	if len(warned) != 1 || !strings.Contains(warned[0], `unknown column "note" ignored`) {
		t.Errorf("warnings %q", warned)
	}
}

// Property: any rows, written and read back, come back as printed (rounded
// to the sheet's precision), in order, with their lines.
func TestSheetRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 200; n++ {
		rows := make([]domain.SheetRow, rng.IntN(6))
		for i := range rows {
			rows[i] = domain.SheetRow{Day: 1 + rng.IntN(7), Date: "2030-03-0" + string(rune('4'+rng.IntN(6))), Plant: "P" + string(rune('A'+rng.IntN(3))),
				Vehicle: "P, \"quoted\" truck", VehicleType: "light truck", Trip: 1 + rng.IntN(3), Seq: 1 + i, Outlet: "O" + string(rune('0'+rng.IntN(10))),
				Arrive: domain.ClockOf(rng.Float64() * 1440), Depart: domain.ClockOf(rng.Float64() * 2880),
				PickupKg: rng.Float64() * 1e4, PickupPacks: rng.Float64() * 50, LoadKg: rng.ExpFloat64() * 1e3, Km: rng.Float64() * 300}
		}
		var b bytes.Buffer
		if err := domain.WriteSheet(&b, rows); err != nil {
			t.Fatal(err)
		}
		got, err := domain.ReadSheet("routes.csv", bytes.NewReader(b.Bytes()), nil)
		if err != nil {
			t.Fatalf("%v\n%s", err, b.String())
		}
		if len(got) != len(rows) {
			t.Fatalf("%d rows back, wrote %d", len(got), len(rows))
		}
		for i := range rows {
			want := rows[i].Rounded()
			want.Line = i + 2
			if got[i] != want {
				t.Fatalf("row %d: read %+v, wrote %+v", i, got[i], want)
			}
			if math.Abs(got[i].PickupKg-rows[i].PickupKg) > 0.05+1e-9 || math.Abs(got[i].Km-rows[i].Km) > 0.005+1e-9 {
				t.Fatalf("row %d: rounding moved a figure by more than half its last digit: %+v vs %+v", i, got[i], rows[i])
			}
		}
	}
}

func TestTimeOfDay(t *testing.T) {
	for _, c := range []struct {
		min  float64
		want string
	}{{0, "00:00"}, {479.49, "07:59"}, {479.5, "08:00"}, {1439.6, "24:00"}, {1800, "30:00"}} {
		if got := domain.ClockOf(c.min).String(); got != c.want {
			t.Errorf("ClockOf(%g) = %s, want %s", c.min, got, c.want)
		}
	}
	for _, s := range []string{"", "8", "08:5", "123:00", "-1:00", "08:60", "48:01", "0x:10", "08:00 "} {
		if _, err := domain.ParseTimeOfDay(s); err == nil {
			t.Errorf("ParseTimeOfDay(%q) accepted", s)
		}
	}
	if v, err := domain.ParseTimeOfDay("48:00"); err != nil || v != domain.MaxTimeOfDay {
		t.Errorf("48:00 = %v, %v", v, err)
	}
}

// FuzzReadSheet: any bytes give rows or an error naming the file, never a
// panic; rows that are read write back and read again unchanged.
//
//	go test ./planner/domain -run '^$' -fuzz FuzzReadSheet -fuzztime 60s
func FuzzReadSheet(f *testing.F) {
	f.Add([]byte(sheetHeader + "1,2030-03-04,P1,P1-truck-1,1,1,O7,08:03,08:29,3852.8,11.7,3852.8,47.35,truck\n"))
	f.Add([]byte(sheetHeader))
	f.Add([]byte("day\n1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := domain.ReadSheet("routes.csv", bytes.NewReader(data), nil)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "routes.csv") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		var b bytes.Buffer
		if err := domain.WriteSheet(&b, rows); err != nil {
			t.Fatal(err)
		}
		again, err := domain.ReadSheet("routes.csv", &b, nil)
		if err != nil {
			t.Fatalf("a sheet read back fails: %v\n%s", err, b.String())
		}
		for i := range rows {
			a, r := again[i], rows[i].Rounded()
			a.Line, r.Line = 0, 0
			if a != r {
				t.Fatalf("row %d changed: %+v -> %+v", i, r, a)
			}
		}
	})
}
