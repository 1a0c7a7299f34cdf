package trace

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/rlplan/rlplan/internal/csvin"
	"github.com/rlplan/rlplan/planner/domain"
)

// Pack is one retired pack held at an outlet (a row of inventory.csv).
type Pack struct {
	Line        int
	Outlet      string
	Code        string
	Chemistry   string // LFP or NCM; "" when only a mixed vehicle type is known
	VehicleType string
	Kg          float64
	Received    time.Time // plan time; a date alone is that day's 00:00
	DateOnly    bool      // Received was given as a date without a time
}

// Inventory is an outlet inventory: every pack by code, and each outlet's
// packs oldest first.
type Inventory struct {
	Packs    []Pack
	byCode   map[string]int
	byOutlet map[string][]int
}

// InventoryColumns: chemistry or vehicle_type (at least one), received a
// date (YYYY-MM-DD, plan time) or an RFC 3339 time.
var InventoryColumns = csvin.Cols("outlet_id,pack_code,chemistry?,vehicle_type?,kg,received")

// MaxPackKg bounds one pack's mass: the largest bus packs weigh a few tonnes.
const MaxPackKg = 10000

// InventoryChecks are what an inventory row is checked against; nil fields
// skip that check.
type InventoryChecks struct {
	// Outlet reports whether an outlet id is known.
	Outlet func(id string) bool
	// VehicleTypes maps vehicle types to their chemistry ("LFP", "LFP/NCM").
	VehicleTypes map[string]domain.VehicleType
}

// ScanInventory reads an inventory strictly, row by row, and passes each
// pack to fn: every pack code is checked against GB/T 34014 and a bad one
// is an error naming the file, line and column. Duplicate codes are not
// detected here (see ReadInventory): a scan keeps no state.
func ScanInventory(name string, in io.Reader, chk InventoryChecks, warn func(string), fn func(Pack) error) error {
	r, err := csvin.NewReader(name, in, InventoryColumns)
	if err != nil {
		return err
	}
	if !r.Has("chemistry") && !r.Has("vehicle_type") {
		return &csvin.Error{File: name, Line: 1, Msg: "the header has neither chemistry nor vehicle_type", Want: "one of them (or both)"}
	}
	for _, w := range r.Warnings() {
		if warn != nil {
			warn(w)
		}
	}
	for {
		ok, err := r.Next()
		if err != nil || !ok {
			return err
		}
		p := inventoryRow(r, chk)
		if err := r.Err(); err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
}

func inventoryRow(r *csvin.Reader, chk InventoryChecks) Pack {
	p := Pack{Line: r.Line(), Outlet: r.String("outlet_id", true), Code: r.String("pack_code", true)}
	if p.Outlet != "" && chk.Outlet != nil && !chk.Outlet(p.Outlet) {
		r.Fail("outlet_id", strconv.Quote(p.Outlet), "the id of an outlet of the plan (outlets.csv or the plan's sites.csv)")
	}
	var code Code
	if p.Code != "" {
		c, err := ParseCode(p.Code)
		if err != nil {
			r.Failf("pack_code", "%v (GB/T 34014)", err)
		}
		code = c
	}
	chem := r.String("chemistry", false)
	if chem != "" {
		c, ok := NormalizeChemistry(chem)
		if !ok {
			r.Fail("chemistry", strconv.Quote(chem), "LFP or NCM (also NMC, NCA, 三元, 磷酸铁锂)")
		}
		p.Chemistry = c
	}
	p.VehicleType = r.String("vehicle_type", false)
	if p.VehicleType != "" && chk.VehicleTypes != nil {
		vt, ok := chk.VehicleTypes[p.VehicleType]
		if !ok {
			r.Fail("vehicle_type", strconv.Quote(p.VehicleType), "a vehicle type of the vehicle-types file")
		} else if p.Chemistry == "" {
			if c, ok := NormalizeChemistry(vt.Chemistry); ok {
				p.Chemistry = c
			}
		}
	}
	if chem == "" && p.VehicleType == "" {
		r.Fail("chemistry", "an empty field", "a chemistry or a vehicle type for each pack")
	}
	if r.Err() == nil && p.Chemistry == "" {
		p.Chemistry = code.Chemistry()
	}
	if r.Err() == nil && code.Chemistry() != "" && p.Chemistry != "" && code.Chemistry() != p.Chemistry {
		col := "chemistry"
		if chem == "" {
			col = "vehicle_type"
		}
		r.Failf(col, "%s, but pack code %s says %s (battery type %q, GB/T 34014 position 5)", p.Chemistry, p.Code, code.Chemistry(), string(code.BatteryType))
	}
	p.Kg = r.Positive("kg", true, 0, "the pack's mass in kg")
	if r.Err() == nil && p.Kg > MaxPackKg {
		r.Fail("kg", r.String("kg", false), fmt.Sprintf("at most %d kg for one pack", MaxPackKg))
	}
	p.Received, p.DateOnly = timeField(r, "received")
	return p
}

// timeField parses a date (YYYY-MM-DD, plan time) or an RFC 3339 time.
func timeField(r *csvin.Reader, col string) (time.Time, bool) {
	s := r.String(col, true)
	if s == "" {
		return time.Time{}, false
	}
	if len(s) == len("2006-01-02") {
		t, err := time.ParseInLocation("2006-01-02", s, PlanZone)
		if err == nil {
			return t, true
		}
	} else if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, false
	}
	r.Fail(col, strconv.Quote(s), "a date YYYY-MM-DD or an RFC 3339 time such as 2030-03-04T09:30:00+08:00")
	return time.Time{}, false
}

// ReadInventory reads a whole inventory (see ScanInventory) and also
// refuses a pack code listed twice, naming both lines.
func ReadInventory(path string, chk InventoryChecks, warn func(string)) (*Inventory, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &csvin.Error{File: path, Msg: fmt.Sprintf("cannot open: %v", unwrapPath(err))}
	}
	defer f.Close()
	inv := &Inventory{byCode: map[string]int{}, byOutlet: map[string][]int{}}
	err = ScanInventory(path, f, chk, warn, func(p Pack) error {
		if first, dup := inv.byCode[p.Code]; dup {
			return &csvin.Error{File: path, Line: p.Line, Field: "pack_code",
				Msg: fmt.Sprintf("pack code %s is listed twice (first on line %d): a code names one pack", p.Code, inv.Packs[first].Line)}
		}
		inv.byCode[p.Code] = len(inv.Packs)
		inv.byOutlet[p.Outlet] = append(inv.byOutlet[p.Outlet], len(inv.Packs))
		inv.Packs = append(inv.Packs, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, idx := range inv.byOutlet {
		sort.SliceStable(idx, func(a, b int) bool { return olderFirst(inv.Packs[idx[a]], inv.Packs[idx[b]]) })
	}
	return inv, nil
}

// NewInventory indexes packs (as simulated, say) like ReadInventory does.
func NewInventory(packs []Pack) (*Inventory, error) {
	inv := &Inventory{Packs: packs, byCode: map[string]int{}, byOutlet: map[string][]int{}}
	for i, p := range packs {
		if _, dup := inv.byCode[p.Code]; dup {
			return nil, fmt.Errorf("inventory: pack code %s listed twice", p.Code)
		}
		inv.byCode[p.Code] = i
		inv.byOutlet[p.Outlet] = append(inv.byOutlet[p.Outlet], i)
	}
	for _, idx := range inv.byOutlet {
		sort.SliceStable(idx, func(a, b int) bool { return olderFirst(inv.Packs[idx[a]], inv.Packs[idx[b]]) })
	}
	return inv, nil
}

// olderFirst orders packs by when the outlet received them, then by code.
func olderFirst(a, b Pack) bool {
	if !a.Received.Equal(b.Received) {
		return a.Received.Before(b.Received)
	}
	return a.Code < b.Code
}

// Lookup returns the pack with a code.
func (inv *Inventory) Lookup(code string) (Pack, bool) {
	i, ok := inv.byCode[code]
	if !ok {
		return Pack{}, false
	}
	return inv.Packs[i], true
}

// At lists an outlet's packs, oldest first.
func (inv *Inventory) At(outlet string) []Pack {
	idx := inv.byOutlet[outlet]
	out := make([]Pack, len(idx))
	for i, k := range idx {
		out[i] = inv.Packs[k]
	}
	return out
}

// InventoryRecord is a row of inventory.csv as rlplan writes it.
type InventoryRecord struct {
	Outlet    string  `csv:"outlet_id"`
	Code      string  `csv:"pack_code"`
	Chemistry string  `csv:"chemistry"`
	Kg        float64 `csv:"kg"`
	Received  string  `csv:"received"`
}

// Records renders the inventory in file order.
func (inv *Inventory) Records() []InventoryRecord {
	out := make([]InventoryRecord, len(inv.Packs))
	for i, p := range inv.Packs {
		rec := p.Received.In(PlanZone).Format("2006-01-02")
		if !p.DateOnly {
			rec = p.Received.In(PlanZone).Format(time.RFC3339)
		}
		out[i] = InventoryRecord{Outlet: p.Outlet, Code: p.Code, Chemistry: p.Chemistry, Kg: p.Kg, Received: rec}
	}
	return out
}

// String summarises an inventory for logs.
func (inv *Inventory) String() string {
	return fmt.Sprintf("%d packs at %d outlets", len(inv.Packs), len(inv.byOutlet))
}
