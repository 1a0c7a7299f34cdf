package trace

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"time"
)

// Reconciliation of scan events against a plan. It streams the scan file
// (and the inventory) once; what it keeps in memory is bounded by the plan
// (places, stops, counters) plus one partition of events. A file larger
// than the memory budget is split by a hash of the pack code into
// partitions on disk, each small enough to check in memory, so that all the
// scans of one code meet in one partition whatever order the file is in.

// ReconcileOptions set the tolerances; zero values mean the documented
// defaults, and a negative tolerance means none.
type ReconcileOptions struct {
	// ReceiptWithin is how long a picked pack may travel before its
	// receipt; later or never is a custody gap. 0 means 24 h; it cannot be
	// negative.
	ReceiptWithin time.Duration
	// PickupTolerance is how early or late a pickup may be scanned around
	// its stop's planned arrival and departure. 0 means 2 h.
	PickupTolerance time.Duration
	// KgTolerance and KgShare bound a weight difference: two weights of a
	// pack disagree when they differ by more than the larger of KgTolerance
	// kg and KgShare of the larger weight. 0 means 1 kg and 0.02.
	KgTolerance, KgShare float64
	// MemoryBytes is the budget for the events held at once; 0 means 512 MiB.
	MemoryBytes int64
	// TempDir holds the partitions of a large file; "" means os.TempDir().
	TempDir string
	// Warn receives non-fatal findings (unknown columns).
	Warn func(string)
	// partitions, when > 0, forces the number of partitions (tests).
	partitions int
}

func (o *ReconcileOptions) defaults() error {
	if o.ReceiptWithin == 0 {
		o.ReceiptWithin = 24 * time.Hour
	}
	if o.PickupTolerance == 0 {
		o.PickupTolerance = 2 * time.Hour
	}
	if o.KgTolerance == 0 {
		o.KgTolerance = 1
	}
	if o.KgShare == 0 {
		o.KgShare = 0.02
	}
	if o.MemoryBytes == 0 {
		o.MemoryBytes = 512 << 20
	}
	o.PickupTolerance = max(o.PickupTolerance, 0)
	if o.KgTolerance < 0 {
		o.KgTolerance = 0
	}
	if o.KgShare < 0 {
		o.KgShare = 0
	}
	switch {
	case o.ReceiptWithin < 0:
		return fmt.Errorf("reconcile: receipt tolerance %v: want a duration > 0", o.ReceiptWithin)
	case math.IsNaN(o.KgTolerance) || math.IsNaN(o.KgShare) || !(o.KgShare < 1) || math.IsInf(o.KgTolerance, 0):
		return fmt.Errorf("reconcile: weight tolerances %g kg and %g: want kg >= 0 and a share in [0, 1)", o.KgTolerance, o.KgShare)
	case o.MemoryBytes < 16<<20:
		return fmt.Errorf("reconcile: memory budget %d bytes: want at least 16 MiB", o.MemoryBytes)
	}
	return nil
}

// Input names a file to reconcile: its name for messages, its content and
// its size in bytes (-1 when unknown, as for a pipe).
type Input struct {
	Name string
	R    io.Reader
	Size int64
}

// OpenInput opens a file as an Input.
func OpenInput(path string) (Input, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return Input{}, nil, fmt.Errorf("%s: cannot open: %w", path, unwrapPath(err))
	}
	size := int64(-1)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	return Input{Name: path, R: f, Size: size}, f.Close, nil
}

// Result is what a reconciliation found.
type Result struct {
	Events, Pickups, Receipts int64
	Codes                     int64 // distinct pack codes scanned
	InTransit                 int64 // picked up, not yet received, still within ReceiptWithin of the last scan
	LateWithinStorage         int64 // pickups after their stop's window that did not overfill the outlet
	AsOf                      time.Time
	Partitions                int
	ByRule                    map[string]int64
	Discrepancies             int64
	Plants                    []PlaceSummary
	Outlets                   []PlaceSummary // outlets with a stop or a discrepancy
	// runs hold the discrepancies, each sorted, for the writers.
	runs []run
	rc   *reconciler
}

// PlaceSummary is the reconciliation of one plant or outlet.
type PlaceSummary struct {
	ID           string
	Stops        int
	PlannedPacks float64
	Picked       int64
	Received     int64
	ByRule       map[string]int64
	Total        int64
}

// Reconcile checks scans (and, when inv.R is not nil, the outlet
// inventory) against plan p. Discrepancies are kept for WriteDiscrepancies
// and WriteLayer; Close the result to remove its temporary files.
func Reconcile(ctx context.Context, p *Plan, scans, inv Input, opt ReconcileOptions) (*Result, error) {
	if err := opt.defaults(); err != nil {
		return nil, err
	}
	rc := newReconciler(p, opt)
	size := scans.Size
	if inv.R != nil && inv.Size > 0 {
		size += inv.Size
	}
	if err := rc.store.open(size, opt); err != nil {
		return nil, err
	}
	res, err := rc.run(ctx, scans, inv)
	if err != nil {
		rc.store.close()
		return nil, err
	}
	return res, nil
}

// Close removes the result's temporary files.
func (r *Result) Close() error {
	if r == nil || r.rc == nil {
		return nil
	}
	return r.rc.store.close()
}
