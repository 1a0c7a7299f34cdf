package trace

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Discrepancy is one rule broken: one row of discrepancies.csv.
type Discrepancy struct {
	Rule   string    `json:"rule"`
	Code   string    `json:"code,omitempty"`
	Place  string    `json:"place,omitempty"`  // where it was seen
	Outlet string    `json:"outlet,omitempty"` // the outlet concerned
	Plant  string    `json:"plant,omitempty"`  // the plant concerned
	Time   time.Time `json:"time"`
	Kg     float64   `json:"kg,omitempty"`
	Detail string    `json:"detail"`
	Lines  []int64   `json:"lines,omitempty"` // lines of scans.csv
}

func (d Discrepancy) firstLine() int64 {
	if len(d.Lines) == 0 {
		return math.MaxInt64
	}
	return d.Lines[0]
}

// discrepancyLess orders discrepancies by their first scan line, then
// rule, code and place.
func discrepancyLess(a, b Discrepancy) bool {
	if la, lb := a.firstLine(), b.firstLine(); la != lb {
		return la < lb
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	if a.Code != b.Code {
		return a.Code < b.Code
	}
	return a.Place < b.Place
}

const (
	placeOutlet uint8 = iota
	placePlant
)

// lateStop collects the late pickups of one stop.
type lateStop struct {
	count     int64
	maxDelay  int64 // ms after the planned arrival
	firstLine int64
	lines     []int64 // the first few
}

// reconciler holds what the plan bounds: places, stops and counters.
type reconciler struct {
	p         *Plan
	opt       ReconcileOptions
	places    map[string]int32
	placeIDs  []string
	placeKind []uint8
	stopIdx   map[string][]int // outlet id -> stops in time order
	late      []lateStop
	picked    []int64 // per place (outlets)
	received  []int64 // per place (plants)
	discs     []map[string]int64
	store     store
	pass1     runWriter
	inventory bool
	res       Result
	// plannedStart/End bound each stop's window, in Unix ms.
	arrive, depart []int64
}

func newReconciler(p *Plan, opt ReconcileOptions) *reconciler {
	rc := &reconciler{p: p, opt: opt, places: map[string]int32{}, stopIdx: p.stopsAt,
		late: make([]lateStop, len(p.Stops)), res: Result{ByRule: map[string]int64{}}}
	add := func(id string, kind uint8) {
		if _, ok := rc.places[id]; ok {
			return
		}
		rc.places[id] = int32(len(rc.placeIDs))
		rc.placeIDs = append(rc.placeIDs, id)
		rc.placeKind = append(rc.placeKind, kind)
	}
	for _, id := range sortedKeys(p.Plants) {
		add(id, placePlant)
	}
	for _, id := range sortedKeys(p.Outlets) {
		add(id, placeOutlet)
	}
	n := len(rc.placeIDs)
	rc.picked, rc.received, rc.discs = make([]int64, n), make([]int64, n), make([]map[string]int64, n)
	rc.arrive, rc.depart = make([]int64, len(p.Stops)), make([]int64, len(p.Stops))
	for k := range p.Stops {
		rc.arrive[k] = p.StopTime(k, false).UnixMilli()
		rc.depart[k] = p.StopTime(k, true).UnixMilli()
	}
	return rc
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (rc *reconciler) placeID(i int32) string {
	if i < 0 {
		return ""
	}
	return rc.placeIDs[i]
}

// count books a discrepancy to the result and to its plant and outlet.
func (rc *reconciler) count(d Discrepancy) {
	rc.res.ByRule[d.Rule]++
	rc.res.Discrepancies++
	for _, id := range []string{d.Outlet, d.Plant} {
		if i, ok := rc.places[id]; ok && id != "" {
			if rc.discs[i] == nil {
				rc.discs[i] = map[string]int64{}
			}
			rc.discs[i][d.Rule]++
		}
	}
}

func (rc *reconciler) emit(w *runWriter, d Discrepancy) error {
	rc.count(d)
	return w.add(d)
}

func msTime(ms int64) time.Time { return time.UnixMilli(ms).In(PlanZone) }

// run is the whole reconciliation: pass 1 over the scans and the
// inventory, the overdue stops, then pass 2 over each partition.
func (rc *reconciler) run(ctx context.Context, scans, inv Input) (*Result, error) {
	rc.pass1 = runWriter{dir: rc.store.dir, limit: 100_000}
	sr, err := NewScanReader(scans.Name, scans.R, rc.opt.Warn)
	if err != nil {
		return nil, err
	}
	asOf := int64(math.MinInt64)
	for n := 0; ; n++ {
		if n&0xffff == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		sc, ok, err := sr.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if err := rc.scan(sc); err != nil {
			return nil, err
		}
		asOf = max(asOf, sc.Time.UnixMilli())
	}
	if inv.R != nil {
		rc.inventory = true
		chk := InventoryChecks{Outlet: func(id string) bool { i, ok := rc.places[id]; return ok && rc.placeKind[i] == placeOutlet }}
		err := ScanInventory(inv.Name, inv.R, chk, rc.opt.Warn, func(pk Pack) error {
			return rc.store.add(pk.Code, event{kind: kindStock, place: rc.places[pk.Outlet], stop: -1, t: pk.Received.UnixMilli(), kg: pk.Kg, line: int64(pk.Line)})
		})
		if err != nil {
			return nil, err
		}
	}
	if err := rc.store.flush(); err != nil {
		return nil, err
	}
	if asOf != math.MinInt64 {
		rc.res.AsOf = msTime(asOf)
	}
	overdue := runWriter{}
	if err := rc.overdue(&overdue); err != nil {
		return nil, err
	}
	p1, err := rc.pass1.finish()
	if err != nil {
		return nil, err
	}
	o, _ := overdue.finish()
	rc.res.runs = append(rc.res.runs, p1, o)
	for i := 0; i < rc.store.n; i++ {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		r, err := rc.checkPartition(i, asOf, inv.Name)
		if err != nil {
			return nil, err
		}
		rc.res.runs = append(rc.res.runs, r)
	}
	rc.res.Partitions = rc.store.n
	rc.summaries()
	rc.res.rc = rc
	return &rc.res, nil
}

// scan is pass 1 for one event: count it, check its place and, for a
// pickup, match it to a stop of its outlet.
func (rc *reconciler) scan(sc Scan) error {
	rc.res.Events++
	e := event{place: -1, stop: -1, t: sc.Time.UnixMilli(), kg: sc.Kg, line: int64(sc.Line)}
	if sc.Event == EventReceipt {
		e.kind = kindReceipt
		rc.res.Receipts++
	} else {
		e.kind = kindPickup
		rc.res.Pickups++
	}
	base := Discrepancy{Code: sc.Code, Place: sc.Place, Time: sc.Time.In(PlanZone), Kg: sc.Kg, Lines: []int64{int64(sc.Line)}}
	i, known := rc.places[sc.Place]
	switch {
	case !known:
		d := base
		d.Rule, d.Detail = RuleUnknownPlace, fmt.Sprintf("%s scanned at %q, which is neither an outlet nor a plant of the plan", sc.Event, sc.Place)
		if err := rc.emit(&rc.pass1, d); err != nil {
			return err
		}
	case e.kind == kindReceipt:
		e.place = i
		if rc.placeKind[i] == placePlant {
			rc.received[i]++
		}
	case rc.placeKind[i] == placePlant:
		e.place = i
		d := base
		d.Rule, d.Plant, d.Detail = RuleUnplannedPickup, sc.Place, fmt.Sprintf("picked up at plant %s: plants are not stops of the route sheet", sc.Place)
		if err := rc.emit(&rc.pass1, d); err != nil {
			return err
		}
	default:
		e.place = i
		rc.picked[i]++
		if err := rc.matchPickup(&e, base); err != nil {
			return err
		}
	}
	return rc.store.add(sc.Code, e)
}

// matchPickup finds the stop a pickup belongs to: a stop of its outlet
// whose window (arrival - tolerance to departure + tolerance) holds it; or
// the last stop before it (a late pickup); or none (unplanned).
func (rc *reconciler) matchPickup(e *event, base Discrepancy) error {
	idx := rc.stopIdx[base.Place]
	tol := rc.opt.PickupTolerance.Milliseconds()
	best, bestDist := -1, int64(math.MaxInt64)
	prev := -1
	for _, k := range idx {
		if e.t >= rc.arrive[k]-tol && e.t <= rc.depart[k]+tol {
			d := e.t - rc.arrive[k]
			if d < 0 {
				d = -d
			}
			if d < bestDist {
				best, bestDist = k, d
			}
		}
		if rc.depart[k] < e.t {
			prev = k
		}
	}
	if best < 0 && prev >= 0 {
		best, e.late = prev, 1
	}
	if best >= 0 {
		e.stop = int32(best)
		rc.picked[rc.places[rc.p.Stops[best].Plant]]++ // the plant's trucks picked it up
	}
	switch {
	case best >= 0 && e.late == 0:
		return nil
	case best >= 0:
		prev = best
		l := &rc.late[prev]
		l.count++
		if delay := e.t - rc.arrive[prev]; delay > l.maxDelay {
			l.maxDelay = delay
		}
		if l.firstLine == 0 || e.line < l.firstLine {
			l.firstLine = e.line
		}
		if len(l.lines) < 10 {
			l.lines = append(l.lines, e.line)
		}
		return nil
	}
	d := base
	d.Rule, d.Outlet = RuleUnplannedPickup, base.Place
	if len(idx) == 0 {
		d.Detail = fmt.Sprintf("outlet %s has no stop on the route sheet this week", base.Place)
	} else {
		first := rc.arrive[idx[0]]
		d.Detail = fmt.Sprintf("picked up %s before the outlet's first stop (%s, tolerance %s)", human(time.Duration(first-e.t)*time.Millisecond),
			msTime(first).Format("Mon 15:04"), human(rc.opt.PickupTolerance))
	}
	return rc.emit(&rc.pass1, d)
}

// overdue turns the stops picked up late into discrepancies when the
// outlet's modelled stock at the latest pickup passed its storage limit:
// the stop's planned pickup plus the hand-ins of the delay.
func (rc *reconciler) overdue(w *runWriter) error {
	for k := range rc.late {
		l := rc.late[k]
		if l.count == 0 {
			continue
		}
		s := rc.p.Stops[k]
		r := rc.p.Rates[s.Outlet]
		days := float64(l.maxDelay) / float64(24*time.Hour/time.Millisecond)
		fill := s.PickupKg + r.KgPerDay*days
		if r.CapacityKg <= 0 || fill <= r.CapacityKg {
			rc.res.LateWithinStorage += l.count
			continue
		}
		d := Discrepancy{Rule: RuleOverduePickup, Place: s.Outlet, Outlet: s.Outlet, Plant: s.Plant, Time: msTime(rc.arrive[k] + l.maxDelay),
			Kg: math.Round(fill*10) / 10, Lines: l.lines,
			Detail: fmt.Sprintf("stop %d of %s (planned %s %s) picked up %s late (%d packs): about %.0f kg in a %.0f kg store (%.0f kg/day)",
				s.Seq, s.Vehicle, s.Date, s.Arrive, human(time.Duration(l.maxDelay)*time.Millisecond), l.count, fill, r.CapacityKg, r.KgPerDay)}
		if err := rc.emit(w, d); err != nil {
			return err
		}
	}
	return nil
}

// human prints a duration to the minute: "45 min", "3 h", "57 h 26 min".
func human(d time.Duration) string {
	m := int64(d.Round(time.Minute) / time.Minute)
	neg := ""
	if m < 0 {
		neg, m = "-", -m
	}
	switch {
	case m < 60:
		return fmt.Sprintf("%s%d min", neg, m)
	case m%60 == 0:
		return fmt.Sprintf("%s%d h", neg, m/60)
	}
	return fmt.Sprintf("%s%d h %d min", neg, m/60, m%60)
}

// checkPartition is pass 2 for one partition: every code's events
// together, in time order.
func (rc *reconciler) checkPartition(i int, asOf int64, invName string) (run, error) {
	pt, err := rc.store.load(i)
	if err != nil {
		return run{}, err
	}
	sortEvents(pt)
	w := runWriter{}
	for a := 0; a < len(pt.events); {
		b := a + 1
		for b < len(pt.events) && pt.events[a].h == pt.events[b].h && bytes.Equal(pt.code(pt.events[a]), pt.code(pt.events[b])) {
			b++
		}
		if err := rc.checkCode(&w, pt, pt.events[a:b], asOf, invName); err != nil {
			return run{}, err
		}
		a = b
	}
	sort.SliceStable(w.mem, func(a, b int) bool { return discrepancyLess(w.mem[a], w.mem[b]) })
	rc.store.release(i)
	if rc.store.n > 1 && len(w.mem) > 0 {
		// Spill the partition's sorted discrepancies so that memory holds
		// one partition at a time.
		rw := runWriter{dir: rc.store.dir}
		for _, d := range w.mem {
			if err := rw.add(d); err != nil {
				return run{}, err
			}
		}
		return rw.finish()
	}
	return run{mem: w.mem}, nil
}

// checkCode applies the code and pairing rules to the events of one code.
// A code with nothing to report allocates nothing.
func (rc *reconciler) checkCode(w *runWriter, pt *partition, evs []event, asOf int64, invName string) error {
	var pb, rb, sb [2]event
	picks, recs, stock := pb[:0], rb[:0], sb[:0]
	for _, e := range evs {
		switch e.kind {
		case kindPickup:
			picks = append(picks, e)
		case kindReceipt:
			recs = append(recs, e)
		case kindStock:
			stock = append(stock, e)
		}
	}
	raw := pt.code(evs[0])
	if len(stock) > 1 {
		return fmt.Errorf("%s:%d: pack code %s is listed twice (also on line %d): a code names one pack", invName, stock[1].line, raw, stock[0].line)
	}
	if len(picks)+len(recs) == 0 {
		return nil // a pack still waiting at its outlet
	}
	rc.res.Codes++
	base := func() Discrepancy {
		// evs are in time order: the first scan is the earliest.
		var lines []int64
		var first event
		for _, e := range evs {
			if e.kind == kindStock {
				continue
			}
			if lines == nil {
				first = e
			}
			lines = append(lines, e.line)
		}
		slices.Sort(lines)
		d := Discrepancy{Code: string(raw), Place: rc.placeID(first.place), Time: msTime(first.t), Lines: lines}
		rc.attach(&d, picks, recs)
		return d
	}
	switch {
	case !validCode(raw):
		d := base()
		_, err := ParseCode(d.Code)
		d.Rule, d.Detail = RuleMalformedCode, codeDetail(err, len(picks), len(recs))
		return rc.emit(w, d)
	case rc.inventory && len(stock) == 0:
		d := base()
		d.Rule, d.Detail = RuleUnknownCode, fmt.Sprintf("%s is in no outlet's inventory (%d pickups, %d receipts)", d.Code, len(picks), len(recs))
		return rc.emit(w, d)
	case len(picks) > 1 || len(recs) > 1:
		d := base()
		d.Rule, d.Detail = RuleDuplicateCode, fmt.Sprintf("%s picked up %d times (%s) and received %d times: two packs carry one code",
			d.Code, len(picks), rc.placesOf(picks), len(recs))
		return rc.emit(w, d)
	}
	return rc.pair(w, base, picks, recs, stock, asOf)
}

func codeDetail(err error, picks, recs int) string {
	msg := strings.TrimPrefix(err.Error(), "pack code ")
	if !strings.Contains(msg, "GB/T 34014") {
		msg += " (GB/T 34014)"
	}
	return fmt.Sprintf("%s; %d pickups, %d receipts", msg, picks, recs)
}

// attach names the outlet and plant a code's discrepancy concerns: the
// first pickup's outlet and its stop's plant, else the first receipt's.
func (rc *reconciler) attach(d *Discrepancy, picks, recs []event) {
	if len(picks) > 0 {
		p := picks[0]
		if p.place >= 0 && rc.placeKind[p.place] == placeOutlet {
			d.Outlet = rc.placeIDs[p.place]
		}
		if p.stop >= 0 {
			d.Plant = rc.p.Stops[p.stop].Plant
		}
	}
	if d.Plant == "" && len(recs) > 0 && recs[0].place >= 0 && rc.placeKind[recs[0].place] == placePlant {
		d.Plant = rc.placeIDs[recs[0].place]
	}
}

func (rc *reconciler) placesOf(evs []event) string {
	var ids []string
	for _, e := range evs {
		id := rc.placeID(e.place)
		if id == "" {
			id = "?"
		}
		ids = append(ids, id+" "+msTime(e.t).Format("Mon 15:04"))
	}
	return strings.Join(ids, ", ")
}

// pair checks one pickup against its receipt (and the inventory row).
func (rc *reconciler) pair(w *runWriter, base func() Discrepancy, picks, recs, stock []event, asOf int64) error {
	emit := func(rule, detail string, kg float64) error {
		x := base()
		x.Rule, x.Detail, x.Kg = rule, detail, kg
		return rc.emit(w, x)
	}
	within := rc.opt.ReceiptWithin.Milliseconds()
	if len(picks) == 0 {
		r := recs[0]
		return emit(RuleReceivedNotPicked, fmt.Sprintf("received at %s on %s without a pickup scan", rc.placeID(r.place), msTime(r.t).Format("Mon 15:04")), r.kg)
	}
	pk := picks[0]
	if len(stock) == 1 {
		s := stock[0]
		if s.place >= 0 && pk.place >= 0 && s.place != pk.place && rc.placeKind[pk.place] == placeOutlet {
			if err := emit(RuleOtherOutlet, fmt.Sprintf("picked up at %s; the inventory holds it at %s (line %d)", rc.placeID(pk.place), rc.placeID(s.place), s.line), pk.kg); err != nil {
				return err
			}
		}
		if rc.weightsDiffer(s.kg, pk.kg) {
			if err := emit(RuleWeightMismatch, fmt.Sprintf("picked up at %s kg; the inventory lists %s kg", fmtKg(pk.kg), fmtKg(s.kg)), pk.kg); err != nil {
				return err
			}
		}
	}
	if len(recs) == 0 {
		if asOf-pk.t <= within {
			rc.res.InTransit++
			return nil
		}
		return emit(RuleCustodyGap, fmt.Sprintf("picked up at %s on %s, no receipt within %s (last scan of the file %s)", rc.placeID(pk.place),
			msTime(pk.t).Format("Mon 15:04"), human(rc.opt.ReceiptWithin), msTime(asOf).Format("Mon 15:04")), pk.kg)
	}
	r := recs[0]
	switch {
	case r.t < pk.t:
		if err := emit(RuleReceiptBefore, fmt.Sprintf("received at %s on %s, %s before its pickup at %s", rc.placeID(r.place), msTime(r.t).Format("Mon 15:04"),
			human(time.Duration(pk.t-r.t)*time.Millisecond), rc.placeID(pk.place)), r.kg); err != nil {
			return err
		}
	case r.t-pk.t > within:
		if err := emit(RuleCustodyGap, fmt.Sprintf("received %s after its pickup at %s (tolerance %s)", human(time.Duration(r.t-pk.t)*time.Millisecond),
			rc.placeID(pk.place), human(rc.opt.ReceiptWithin)), r.kg); err != nil {
			return err
		}
	}
	if pk.stop >= 0 && r.place >= 0 {
		want := rc.p.Stops[pk.stop].Plant
		if got := rc.placeIDs[r.place]; got != want {
			if err := emit(RuleWrongConsignee, fmt.Sprintf("received at %s; its trip (%s) delivers to %s", got,
				TripID(rc.p.Stops[pk.stop].Date, rc.p.Stops[pk.stop].Vehicle, rc.p.Stops[pk.stop].Trip), want), r.kg); err != nil {
				return err
			}
		}
	} else if r.place >= 0 && rc.placeKind[r.place] != placePlant {
		if err := emit(RuleWrongConsignee, fmt.Sprintf("received at %s, which is an outlet, not a plant", rc.placeIDs[r.place]), r.kg); err != nil {
			return err
		}
	}
	if rc.weightsDiffer(pk.kg, r.kg) {
		return emit(RuleWeightMismatch, fmt.Sprintf("received %s kg, picked up %s kg (tolerance %g kg or %g %%)", fmtKg(r.kg), fmtKg(pk.kg),
			rc.opt.KgTolerance, 100*rc.opt.KgShare), r.kg)
	}
	return nil
}

func (rc *reconciler) weightsDiffer(a, b float64) bool {
	return math.Abs(a-b) > math.Max(rc.opt.KgTolerance, rc.opt.KgShare*math.Max(a, b))+1e-9
}

func fmtKg(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// summaries fills the per-plant and per-outlet summaries.
func (rc *reconciler) summaries() {
	stops, planned := make([]int, len(rc.placeIDs)), make([]float64, len(rc.placeIDs))
	for _, s := range rc.p.Stops {
		for _, id := range []string{s.Outlet, s.Plant} {
			i := rc.places[id]
			stops[i]++
			planned[i] += s.PickupPacks
		}
	}
	for i, id := range rc.placeIDs {
		ps := PlaceSummary{ID: id, Stops: stops[i], PlannedPacks: math.Round(planned[i]*10) / 10, Picked: rc.picked[i], Received: rc.received[i], ByRule: rc.discs[i]}
		for _, n := range ps.ByRule {
			ps.Total += n
		}
		if rc.placeKind[i] == placePlant {
			if ps.Stops > 0 || ps.Received > 0 || ps.Total > 0 {
				rc.res.Plants = append(rc.res.Plants, ps)
			}
		} else if ps.Stops > 0 || ps.Picked > 0 || ps.Total > 0 {
			rc.res.Outlets = append(rc.res.Outlets, ps)
		}
	}
}
