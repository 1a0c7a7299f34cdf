package roads

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
)

// BuildOptions control how a graph is built from OSM data. The zero value
// means TruckProfile, one decoder per CPU and no progress.
type BuildOptions struct {
	// Profile decides which ways are used and how fast; a zero Profile (no
	// speeds) means TruckProfile().
	Profile Profile
	// Procs is the number of PBF block decoders; 0 means GOMAXPROCS.
	Procs int
	// Progress, when set, is told the stage ("ways", "nodes", "graph",
	// "hash", "cache") and how far it is, in bytes of the file when known
	// (total 0 when not). It is called from one goroutine at a time.
	Progress func(stage string, done, total int64)
}

func (o *BuildOptions) profile() Profile {
	if len(o.Profile.Speeds) == 0 {
		return TruckProfile()
	}
	return o.Profile
}

// pass selects what a scan of the data must deliver.
type pass int

const (
	passWays pass = iota
	passNodes
)

// opener opens a fresh scan of the same OSM data for one pass. The filter
// functions may be applied by the scanner (and concurrently); the builder
// checks every object again, so a scanner may also ignore them.
type opener func(ctx context.Context, p pass, keepWay func(*osm.Way) bool, keepNode func(*osm.Node) bool) (osm.Scanner, func() int64, error)

// pbfOpener reads an .osm.pbf file with paulmach/osm's parallel decoder.
func pbfOpener(path string, procs int) opener {
	return func(ctx context.Context, p pass, keepWay func(*osm.Way) bool, keepNode func(*osm.Node) bool) (osm.Scanner, func() int64, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		s := osmpbf.New(ctx, f, procs)
		s.SkipRelations = true
		if p == passWays {
			s.SkipNodes, s.FilterWay = true, keepWay
		} else {
			s.SkipWays, s.FilterNode = true, keepNode
		}
		return &closingScanner{Scanner: s, f: f}, s.FullyScannedBytes, nil
	}
}

// closingScanner closes the file with the scanner.
type closingScanner struct {
	*osmpbf.Scanner
	f *os.File
}

func (c *closingScanner) Close() error {
	c.Scanner.Close()
	return c.f.Close()
}

// checkPBF reads the first blob header of path and reports a clear error
// when the file is not an OSM PBF (OSM XML, a compressed file, anything
// else). It returns the header's bounds when the file declares them.
func checkPBF(path string) (*osm.Bounds, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &InputError{File: path, Err: err, Msg: "cannot open the road file"}
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, _ := br.Peek(64)
	notPBF := func(what string) error {
		return &InputError{File: path, Err: ErrNotPBF, Msg: what + "; want an .osm.pbf extract (for example from download.geofabrik.de)"}
	}
	switch {
	case len(head) == 0:
		return nil, notPBF("the file is empty")
	case bytes.HasPrefix(bytes.TrimSpace(head), []byte("<?xml")) || bytes.HasPrefix(bytes.TrimSpace(head), []byte("<osm")):
		return nil, notPBF("found OSM XML (convert it: osmium cat FILE.osm -o FILE.osm.pbf)")
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return nil, notPBF("found a gzip-compressed file")
	case bytes.HasPrefix(head, []byte("BZh")):
		return nil, notPBF("found a bzip2-compressed file")
	case len(head) < 4:
		return nil, notPBF(fmt.Sprintf("found %d bytes", len(head)))
	}
	n := binary.BigEndian.Uint32(head[:4])
	if n == 0 || n > 64*1024 {
		return nil, notPBF(fmt.Sprintf("found a first block header of %d bytes (a PBF starts with one under 64 KiB)", n))
	}
	hdr := make([]byte, 4+n)
	if _, err := io.ReadFull(br, hdr); err != nil || !bytes.Contains(hdr[4:], []byte("OSMHeader")) {
		return nil, notPBF("found no OSMHeader block at the start")
	}
	f.Seek(0, io.SeekStart)
	s := osmpbf.New(context.Background(), f, 1)
	defer s.Close()
	h, err := s.Header()
	if err != nil {
		return nil, notPBF(fmt.Sprintf("its header does not decode (%v)", err))
	}
	return h.Bounds, nil
}

// Build reads an .osm.pbf extract and builds the road graph of opt's
// profile, without any cache (see Load). It reads the file twice (ways, then
// the nodes they use) and holds only road nodes in memory. A cancelled ctx
// stops it with ctx's error.
func Build(ctx context.Context, path string, opt *BuildOptions) (*Graph, error) {
	if opt == nil {
		opt = &BuildOptions{}
	}
	bounds, err := checkPBF(path)
	if err != nil {
		return nil, err
	}
	procs := opt.Procs
	if procs <= 0 {
		procs = runtime.GOMAXPROCS(0)
	}
	var size int64
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	g, err := build(ctx, pbfOpener(path, procs), opt.profile(), size, opt.Progress)
	if err != nil {
		if ie, ok := err.(*InputError); ok {
			ie.File = path
			return nil, ie
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if bounds != nil {
		g.Info.Declared = &Bounds{MinLat: bounds.MinLat, MaxLat: bounds.MaxLat, MinLon: bounds.MinLon, MaxLon: bounds.MaxLon}
	}
	return g, nil
}

// rawWays are the kept ways of pass 1: node ids, and per way its rule.
type rawWays struct {
	refs  []osm.NodeID // all ways' nodes, back to back
	start []int        // way i is refs[start[i]:start[i+1]]
	rule  []uint16     // index into rules
	rules []wayRule
}

// build runs both passes and the graph construction.
func build(ctx context.Context, open opener, prof Profile, size int64, progress func(string, int64, int64)) (*Graph, error) {
	if err := prof.Validate(); err != nil {
		return nil, err
	}
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	t0 := time.Now()
	ways, err := readWays(ctx, open, &prof, size, progress)
	if err != nil {
		return nil, err
	}
	if len(ways.rule) == 0 {
		return nil, &InputError{Err: ErrNoRoads, Msg: fmt.Sprintf("no way has a highway class the %s profile uses", prof.Name)}
	}
	ids := slices.Clone(ways.refs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	nodes, err := readNodes(ctx, open, &prof, ids, size, progress)
	if err != nil {
		return nil, err
	}
	parsed := time.Since(t0)
	progress("graph", 0, 0)
	g, err := assemble(ctx, ways, ids, nodes)
	if err != nil {
		return nil, err
	}
	g.Info.Profile = prof.Name
	g.Info.WaysKept = len(ways.rule)
	g.profileHash = prof.hash()
	g.Info.ParseTime, g.Info.BuildTime = parsed, time.Since(t0)-parsed
	return g, nil
}

// readWays is pass 1: the ways the profile keeps, with their node ids.
func readWays(ctx context.Context, open opener, prof *Profile, size int64, progress func(string, int64, int64)) (*rawWays, error) {
	keep := func(w *osm.Way) bool {
		_, ok := prof.way(w.Tags)
		return ok && len(w.Nodes) >= 2
	}
	s, done, err := open(ctx, passWays, keep, nil)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	rw := &rawWays{start: []int{0}}
	ruleID := map[wayRule]uint16{}
	n := 0
	for s.Scan() {
		if n++; n%65536 == 0 {
			progress("ways", done(), size)
		}
		w, ok := s.Object().(*osm.Way)
		if !ok || len(w.Nodes) < 2 {
			continue
		}
		r, ok := prof.way(w.Tags)
		if !ok {
			continue
		}
		id, seen := ruleID[r]
		if !seen {
			if len(rw.rules) == math.MaxUint16 {
				return nil, fmt.Errorf("roads: more than %d distinct way rules", math.MaxUint16)
			}
			id = uint16(len(rw.rules))
			ruleID[r] = id
			rw.rules = append(rw.rules, r)
		}
		for _, wn := range w.Nodes {
			rw.refs = append(rw.refs, wn.ID)
		}
		rw.start = append(rw.start, len(rw.refs))
		rw.rule = append(rw.rule, id)
	}
	if err := scanErr(ctx, s); err != nil {
		return nil, err
	}
	progress("ways", size, size)
	return rw, nil
}

// rawNodes are the coordinates of the nodes pass 1 asked for, aligned with
// the sorted ids; have is false for a node the file lacks.
type rawNodes struct {
	lat, lon []int32
	have     []bool
	blocked  []bool
}

// readNodes is pass 2: coordinates (and barriers) of the needed nodes.
func readNodes(ctx context.Context, open opener, prof *Profile, ids []osm.NodeID, size int64, progress func(string, int64, int64)) (*rawNodes, error) {
	want := func(n *osm.Node) bool { _, ok := slices.BinarySearch(ids, n.ID); return ok }
	s, done, err := open(ctx, passNodes, nil, want)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	rn := &rawNodes{lat: make([]int32, len(ids)), lon: make([]int32, len(ids)), have: make([]bool, len(ids)), blocked: make([]bool, len(ids))}
	var n int64
	for s.Scan() {
		if n++; n%262144 == 0 {
			progress("nodes", done(), size)
		}
		nd, ok := s.Object().(*osm.Node)
		if !ok {
			continue
		}
		i, ok := slices.BinarySearch(ids, nd.ID)
		if !ok {
			continue
		}
		rn.lat[i], rn.lon[i], rn.have[i] = e7(nd.Lat), e7(nd.Lon), true
		rn.blocked[i] = len(nd.Tags) > 0 && prof.blocks(nd.Tags)
	}
	if err := scanErr(ctx, s); err != nil {
		return nil, err
	}
	progress("nodes", size, size)
	return rn, nil
}

func scanErr(ctx context.Context, s osm.Scanner) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := s.Err(); err != nil {
		return &InputError{Err: ErrNotPBF, Msg: fmt.Sprintf("the data does not decode: %v", err)}
	}
	return nil
}

// e7 converts degrees to the int32 fixed point of OSM (1e-7 degrees, about
// 1 cm), rounding to nearest.
func e7(deg float64) int32 { return int32(math.Round(deg * 1e7)) }

// passableBarriers are barrier values a truck drives through (gates are
// opened, toll booths paid); any other barrier blocks unless the node's
// access tags let heavy goods vehicles through.
var passableBarriers = map[string]bool{
	"gate": true, "lift_gate": true, "swing_gate": true, "toll_booth": true, "border_control": true,
	"cattle_grid": true, "entrance": true, "no": true, "sally_port": true, "height_restrictor": true,
}

// blocks reports whether a node's tags stop a truck: a barrier whose most
// specific access tag (hgv, motor_vehicle, vehicle, access) denies it, or,
// without such a tag, a barrier that is not of a passable kind.
func (p *Profile) blocks(tags osm.Tags) bool {
	b := tags.Find("barrier")
	if b == "" {
		return false
	}
	if b == "height_restrictor" && p.HeightM > 0 {
		if lim, ok := parseMetres(tags.Find("maxheight")); ok && lim < p.HeightM {
			return true
		}
	}
	for _, k := range []string{"hgv", "motor_vehicle", "vehicle", "access"} {
		if v := tags.Find(k); v != "" {
			return deniedAccess[v]
		}
	}
	return !passableBarriers[b]
}
