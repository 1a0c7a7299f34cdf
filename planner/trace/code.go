package trace

import (
	"fmt"
	"strconv"
	"strings"
)

// Pack codes: GB/T 34014-2017 《汽车动力蓄电池编码规则》 (Coding regulation for
// automotive traction battery). Every pack, module and cell carries one, and
// the national traceability platform records it at each hand-over.
//
// What rlplan checks, and why only that. The standard is not freely
// available; its structure is known from the published scope and definitions
// (§3.1: "a set of digits and English letters"; §4.2: a design part and a
// production part, which may be coded together) and from secondary summaries
// of §4.3 (docs/traceability.md lists them). The merged code that the
// traceability platform uses is 24 characters:
//
//	positions  1-3   manufacturer code (assigned through the MIIT coding registry)
//	           4     product type: P pack, M module, C cell
//	           5     battery type (B lithium iron phosphate, E ternary, others in a table)
//	           6-7   specification code (registered by the manufacturer)
//	           8-14  traceability information code (registered by the manufacturer)
//	           15-17 production date (year, month, day codes)
//	           18-24 serial number of the day, 1 to 9999999
//
// Verified and checked: length 24; digits and capital letters only; the
// product type; the serial number is seven digits and not zero. Known and
// used but not required: battery type B (LFP) and E (ternary, NCM/NCA), to
// cross-check an inventory's chemistry. Not checked, because the tables are
// not verifiable here or not public: the manufacturer register, the other
// battery-type letters, the specification and traceability codes, and the
// year, month and day code tables of the production date.

// CodeLen is the length of a merged GB/T 34014 code.
const CodeLen = 24

// Code is a well-formed GB/T 34014 pack code split into its fields.
type Code struct {
	Raw          string
	Manufacturer string // positions 1-3
	ProductType  byte   // position 4: 'P', 'M' or 'C'
	BatteryType  byte   // position 5
	Spec         string // positions 6-7
	Trace        string // positions 8-14
	Date         string // positions 15-17
	Serial       int    // positions 18-24
}

// CodeError says why a string is not a GB/T 34014 code: the 1-based
// position of the first fault (0 for the length) and what was expected.
type CodeError struct {
	Code string
	Pos  int
	Msg  string
}

func (e *CodeError) Error() string {
	if e.Pos == 0 {
		return fmt.Sprintf("pack code %s: %s", strconv.Quote(e.Code), e.Msg)
	}
	return fmt.Sprintf("pack code %s: character %d: %s", strconv.Quote(e.Code), e.Pos, e.Msg)
}

// ParseCode checks s against the parts of GB/T 34014 that can be verified
// (see the comment at the top of this file) and splits it. It allocates
// nothing for a valid code beyond the returned strings' headers.
func ParseCode(s string) (Code, error) {
	if err := checkCode(s); err != nil {
		return Code{}, err
	}
	serial, _ := strconv.Atoi(s[17:24])
	return Code{Raw: s, Manufacturer: s[0:3], ProductType: s[3], BatteryType: s[4], Spec: s[5:7], Trace: s[7:14], Date: s[14:17], Serial: serial}, nil
}

// ValidCode reports whether s passes ParseCode, without allocating.
func ValidCode(s string) bool { return validCode(s) }

// validCode is ParseCode's verdict without the reason, for strings and
// byte slices alike (reconciliation checks codes in place).
func validCode[S string | []byte](s S) bool {
	if len(s) != CodeLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	if s[3] != 'P' && s[3] != 'M' && s[3] != 'C' {
		return false
	}
	zero := true
	for i := 17; i < 24; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		zero = zero && s[i] == '0'
	}
	return !zero
}

func checkCode(s string) *CodeError {
	if len(s) != CodeLen {
		n := len([]rune(s))
		return &CodeError{Code: s, Msg: fmt.Sprintf("%d characters, want %d (GB/T 34014 merged code)", n, CodeLen)}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
		case c >= 'a' && c <= 'z':
			return &CodeError{Code: s, Pos: i + 1, Msg: fmt.Sprintf("%q is a lower-case letter; codes use digits and capital letters", string(c))}
		default:
			return &CodeError{Code: s, Pos: i + 1, Msg: fmt.Sprintf("%s is not a digit or a capital letter", quoteByte(s, i))}
		}
	}
	switch s[3] {
	case 'P', 'M', 'C':
	default:
		return &CodeError{Code: s, Pos: 4, Msg: fmt.Sprintf("product type %q, want P (pack), M (module) or C (cell)", string(s[3]))}
	}
	serial := s[17:24]
	for i := 0; i < len(serial); i++ {
		if serial[i] < '0' || serial[i] > '9' {
			return &CodeError{Code: s, Pos: 18 + i, Msg: fmt.Sprintf("serial number %q: want 7 digits", serial)}
		}
	}
	if serial == "0000000" {
		return &CodeError{Code: s, Pos: 18, Msg: "serial number 0000000: the serial of the day starts at 1"}
	}
	return nil
}

// quoteByte quotes the character starting at byte i of s (a whole UTF-8
// character when it is one).
func quoteByte(s string, i int) string {
	r := []rune(s[i:])
	if len(r) == 0 {
		return strconv.Quote(s[i:])
	}
	return strconv.QuoteRune(r[0])
}

// Chemistry returns the chemistry the battery-type character names, as
// rlplan's chemistry vocabulary ("LFP", "NCM"), or "" when the character is
// not one rlplan can verify.
func (c Code) Chemistry() string { return chemistryOfType(c.BatteryType) }

func chemistryOfType(b byte) string {
	switch b {
	case 'B':
		return ChemLFP
	case 'E':
		return ChemNCM
	}
	return ""
}

// Chemistries rlplan tells apart (the recycling credits differ).
const (
	ChemLFP = "LFP" // lithium iron phosphate
	ChemNCM = "NCM" // ternary: nickel cobalt manganese (or aluminium) oxide
)

// NormalizeChemistry maps the spellings found in inventories to LFP or NCM;
// ok is false for anything else.
func NormalizeChemistry(s string) (string, bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "LFP", "LIFEPO4", "磷酸铁锂":
		return ChemLFP, true
	case "NCM", "NMC", "NCA", "TERNARY", "三元", "三元锂":
		return ChemNCM, true
	}
	return "", false
}
