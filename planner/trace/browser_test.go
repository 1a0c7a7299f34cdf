package trace

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"

	"github.com/rlplan/rlplan/geo/webmap/webmaptest"
	"github.com/rlplan/rlplan/planner/domain"
)

var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// printPages prints each HTML file in headless Chromium to PDF (A4, the
// page's own CSS) and returns the number of pages of each.
func printPages(t *testing.T, files []string) map[string]int {
	t.Helper()
	bin := webmaptest.Chrome(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(bin), chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true))
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	out := map[string]int{}
	for _, f := range files {
		if err := chromedp.Do(bctx, chromedp.Navigate("file://"+f)); err != nil {
			t.Fatalf("opening %s: %v", f, err)
		}
		pdf, err := chromedp.Run(bctx, chromedp.PrintToPDF(func(p *page.PrintToPDFParams) {
			css := true
			p.PreferCSSPageSize = &css // the page's @page: A4 and its margins
		}))
		if err != nil {
			t.Fatalf("printing %s: %v", f, err)
		}
		out[f] = len(pdfPage.FindAll(pdf, -1))
	}
	return out
}

// denseWeek is one truck-day of three trips: 25 stops with 5 codes each,
// then 2 stops, then 1 stop without packs waiting.
func denseWeek(t *testing.T) (*Plan, *Inventory) {
	t.Helper()
	places := Places{Plants: []domain.Plant{{ID: "P1", Name: "广东某回收有限公司", Point: orb.Point{113, 23}, Province: "CN-GD"}},
		Fleet: []domain.FleetRow{{PlantID: "P1", VehicleType: "truck_40t", CapacityKg: 40000, CapacityPacks: 200, SpeedKmh: 40}}}
	var stops []Stop
	var packs []Pack
	seq := 0
	add := func(trip, n, codes int, start domain.TimeOfDay) {
		for i := 0; i < n; i++ {
			seq++
			id := fmt.Sprintf("O%03d", seq)
			places.Outlets = append(places.Outlets, domain.Outlet{ID: id, Name: fmt.Sprintf("广州回收服务网点 %d", seq), Point: orb.Point{113 + 0.01*float64(seq), 23}, Province: "CN-GD"})
			a := start + domain.TimeOfDay(15*i)
			stops = append(stops, Stop{Day: 1, Date: "2030-03-04", Plant: "P1", Vehicle: "P1-truck_40t-1", VehicleType: "truck_40t", Trip: trip, Seq: seq,
				Outlet: id, Arrive: a, Depart: a + 10, PickupKg: float64(codes) * 300, PickupPacks: float64(codes), Km: 3})
			for c := 0; c < codes; c++ {
				packs = append(packs, Pack{Outlet: id, Code: code('B', seq*10+c), Chemistry: ChemLFP, Kg: 300, Received: at(-1, "00:00"), DateOnly: true})
			}
		}
	}
	add(1, 25, 5, 8*60)
	add(2, 2, 3, 15*60)
	add(3, 1, 0, 18*60)
	p, err := NewPlan("routes.csv", stops, places, nil, 1.3)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := NewInventory(packs)
	if err != nil {
		t.Fatal(err)
	}
	return p, inv
}

// TestManifestsPrintOneTripPerPage prints every truck-day page in headless
// Chromium and requires as many PDF pages as the file has trips: one trip
// per A4 sheet, also for a trip of 25 stops and 125 codes.
func TestManifestsPrintOneTripPerPage(t *testing.T) {
	dir := t.TempDir()
	var want = map[string]int{}
	write := func(p *Plan, inv *Inventory, prefix string) {
		ms := Manifests(p, inv)
		files, err := ManifestFiles(ms, inv != nil, "test")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			want[filepath.Join(dir, prefix, filepath.FromSlash(TruckDayFile(m.Trip.Date, m.Trip.Vehicle)))]++
		}
		for n, b := range files {
			path := filepath.Join(dir, prefix, filepath.FromSlash(n))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	small := smallPlan(t)
	inv, err := readSmallInventory(t, small, smallInventory)
	if err != nil {
		t.Fatal(err)
	}
	write(small, inv, "small")
	write(small, nil, "plain")
	dense, dinv := denseWeek(t)
	write(dense, dinv, "dense")
	var files []string
	for f := range want {
		files = append(files, f)
	}
	sort.Strings(files)
	got := printPages(t, files)
	for _, f := range files {
		if got[f] != want[f] {
			t.Errorf("%s: %d PDF pages, want %d (one per trip)", strings.TrimPrefix(f, dir), got[f], want[f])
		}
	}
	t.Logf("printed %d truck-day files, %d trips", len(files), len(dense.Trips)+2*len(small.Trips))
}
