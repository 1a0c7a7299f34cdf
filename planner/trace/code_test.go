package trace

import (
	"errors"
	"strings"
	"testing"
)

func TestParseCode(t *testing.T) {
	c, err := ParseCode("S01PE12A1B2C3DL3X0000042")
	if err != nil {
		t.Fatal(err)
	}
	if c.Manufacturer != "S01" || c.ProductType != 'P' || c.BatteryType != 'E' || c.Spec != "12" || c.Trace != "A1B2C3D" ||
		c.Date != "L3X" || c.Serial != 42 || c.Chemistry() != ChemNCM {
		t.Errorf("fields = %+v", c)
	}
	if got := (Code{BatteryType: 'B'}).Chemistry(); got != ChemLFP {
		t.Errorf("B = %q, want LFP", got)
	}
	if got := (Code{BatteryType: 'G'}).Chemistry(); got != "" {
		t.Errorf("G = %q, want unknown", got)
	}
}

func TestParseCodeRejects(t *testing.T) {
	for _, tc := range []struct {
		code string
		pos  int
		msg  string
	}{
		{"S01PE12A1B2C3DL3X000004", 0, "23 characters, want 24"},
		{"S01PE12A1B2C3DL3X00000420", 0, "25 characters"},
		{"", 0, "0 characters"},
		{"S01pE12A1B2C3DL3X0000042", 4, "lower-case"},
		{"S01PE12A1B2C3DL3X00000-2", 23, "not a digit or a capital letter"},
		{"S01PE12A1B2C3DL3X000 042", 21, "not a digit"},
		{"S01XE12A1B2C3DL3X0000042", 4, "product type \"X\""},
		{"S01PE12A1B2C3DL3X00A0042", 20, "serial number \"00A0042\""},
		{"S01PE12A1B2C3DL3X0000000", 18, "starts at 1"},
		{"S01PE12A1B2C3DL3X00000é", 23, "'é'"},
	} {
		_, err := ParseCode(tc.code)
		var ce *CodeError
		if !errors.As(err, &ce) {
			t.Errorf("%q: error %v, want a *CodeError", tc.code, err)
			continue
		}
		if ce.Pos != tc.pos || !strings.Contains(ce.Error(), tc.msg) {
			t.Errorf("%q: %v (position %d), want position %d and %q", tc.code, err, ce.Pos, tc.pos, tc.msg)
		}
		if ValidCode(tc.code) {
			t.Errorf("ValidCode(%q) = true", tc.code)
		}
	}
}

func TestNormalizeChemistry(t *testing.T) {
	for in, want := range map[string]string{"lfp": ChemLFP, " NMC ": ChemNCM, "NCA": ChemNCM, "三元": ChemNCM, "磷酸铁锂": ChemLFP} {
		if got, ok := NormalizeChemistry(in); !ok || got != want {
			t.Errorf("%q = %q %v, want %q", in, got, ok, want)
		}
	}
	if _, ok := NormalizeChemistry("lead-acid"); ok {
		t.Error("lead-acid accepted")
	}
}

// FuzzParseCode: whatever the input, ParseCode and ValidCode agree, a valid
// code is 24 capitals and digits with a known product type, and its fields
// join back into the input. go test ./planner/trace -run '^$' -fuzz FuzzParseCode -fuzztime 30s
func FuzzParseCode(f *testing.F) {
	f.Add("S01PE12A1B2C3DL3X0000042")
	f.Add("S01PE12A1B2C3DL3X0000000")
	f.Add("short")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if (err == nil) != ValidCode(s) {
			t.Fatalf("ParseCode and ValidCode disagree on %q", s)
		}
		if err != nil {
			return
		}
		if len(s) != CodeLen || strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') }) >= 0 {
			t.Fatalf("accepted %q", s)
		}
		if !strings.ContainsRune("PMC", rune(c.ProductType)) || c.Serial < 1 || c.Serial > 9999999 {
			t.Fatalf("fields of %q: %+v", s, c)
		}
		if got := c.Manufacturer + string(c.ProductType) + string(c.BatteryType) + c.Spec + c.Trace + c.Date + s[17:]; got != s {
			t.Fatalf("fields join to %q, want %q", got, s)
		}
	})
}
