package trace

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
)

// Event kinds in the store.
const (
	kindPickup uint8 = iota
	kindReceipt
	kindStock // a pack of the inventory
)

// event is one scan (or inventory row) as the store keeps it: 48 bytes
// plus its code in the partition's arena.
type event struct {
	h       uint64 // FNV-1a of the code: sorting compares it before the code
	codeOff uint32
	codeLen uint16
	kind    uint8
	late    uint8 // a pickup after its stop's window
	place   int32 // index into reconciler.placeIDs; -1 unknown
	stop    int32 // the pickup's stop, or -1
	t       int64 // Unix milliseconds
	kg      float64
	line    int64
}

// partition holds events and their codes.
type partition struct {
	arena  []byte
	events []event
}

func (pt *partition) add(code string, e event) {
	e.codeOff, e.codeLen, e.h = uint32(len(pt.arena)), uint16(len(code)), fnv64(code)
	pt.arena = append(pt.arena, code...)
	pt.events = append(pt.events, e)
}

// fnv64 is FNV-1a over a code (a string or the arena's bytes).
func fnv64[S string | []byte](s S) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func (pt *partition) code(e event) []byte { return pt.arena[e.codeOff : e.codeOff+uint32(e.codeLen)] }

// store puts events into one in-memory partition, or into n partitions on
// disk chosen by a hash of the code.
type store struct {
	n     int
	mem   partition
	dir   string
	files []*os.File
	bufs  []*bufio.Writer
	rec   []byte
	// count and codeBytes size each partition, so that it loads into
	// slices of exactly its size.
	count, codeBytes []int
}

// bytesPerEventInMemory: an event, its code and the sort's share, against
// about 75 bytes of CSV text; a partition in memory takes about twice its
// share of the file, with the garbage collector's headroom.
const memoryPerFileByte = 2

func (s *store) open(size int64, opt ReconcileOptions) error {
	s.n = 1
	if size > 0 {
		s.n = int(math.Ceil(float64(size) * memoryPerFileByte / float64(opt.MemoryBytes)))
	}
	if opt.partitions > 0 {
		s.n = opt.partitions
	}
	if s.n <= 1 {
		s.n = 1
		return nil
	}
	if s.n > 4096 {
		return fmt.Errorf("reconcile: %d partitions needed for a %d-byte input in %d bytes of memory: give more memory", s.n, size, opt.MemoryBytes)
	}
	dir, err := os.MkdirTemp(opt.TempDir, "rlplan-reconcile-*")
	if err != nil {
		return fmt.Errorf("reconcile: temporary folder: %w", err)
	}
	s.dir = dir
	s.count, s.codeBytes = make([]int, s.n), make([]int, s.n)
	for i := 0; i < s.n; i++ {
		f, err := os.Create(fmt.Sprintf("%s/part-%04d.bin", dir, i))
		if err != nil {
			s.close()
			return fmt.Errorf("reconcile: temporary file: %w", err)
		}
		s.files = append(s.files, f)
		s.bufs = append(s.bufs, bufio.NewWriterSize(f, 256<<10))
	}
	return nil
}

func (s *store) add(code string, e event) error {
	if len(code) > math.MaxUint16 {
		code = code[:math.MaxUint16]
	}
	if s.n == 1 {
		s.mem.add(code, e)
		return nil
	}
	b := s.rec[:0]
	b = binary.LittleEndian.AppendUint16(b, uint16(len(code)))
	b = append(b, code...)
	b = append(b, e.kind, e.late)
	b = binary.LittleEndian.AppendUint32(b, uint32(e.place))
	b = binary.LittleEndian.AppendUint32(b, uint32(e.stop))
	b = binary.LittleEndian.AppendUint64(b, uint64(e.t))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(e.kg))
	b = binary.LittleEndian.AppendUint64(b, uint64(e.line))
	s.rec = b
	i := fnv64(code) % uint64(s.n)
	s.count[i]++
	s.codeBytes[i] += len(code)
	_, err := s.bufs[i].Write(b)
	return err
}

// flush ends the writing of the partitions.
func (s *store) flush() error {
	for _, b := range s.bufs {
		if err := b.Flush(); err != nil {
			return fmt.Errorf("reconcile: temporary file: %w", err)
		}
	}
	return nil
}

// load returns partition i (the in-memory one when there is one partition).
func (s *store) load(i int) (*partition, error) {
	if s.n == 1 {
		return &s.mem, nil
	}
	f := s.files[i]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	r := bufio.NewReaderSize(f, 256<<10)
	pt := &partition{arena: make([]byte, 0, s.codeBytes[i]), events: make([]event, 0, s.count[i])}
	var fixed [34]byte
	for {
		var n [2]byte
		if _, err := io.ReadFull(r, n[:]); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("reconcile: reading a temporary file: %w", err)
		}
		l := int(binary.LittleEndian.Uint16(n[:]))
		e := event{codeOff: uint32(len(pt.arena)), codeLen: uint16(l)}
		pt.arena = append(pt.arena, make([]byte, l)...)
		if _, err := io.ReadFull(r, pt.arena[len(pt.arena)-l:]); err != nil {
			return nil, fmt.Errorf("reconcile: reading a temporary file: %w", err)
		}
		e.h = fnv64(pt.arena[len(pt.arena)-l:])
		if _, err := io.ReadFull(r, fixed[:]); err != nil {
			return nil, fmt.Errorf("reconcile: reading a temporary file: %w", err)
		}
		e.kind, e.late = fixed[0], fixed[1]
		e.place = int32(binary.LittleEndian.Uint32(fixed[2:]))
		e.stop = int32(binary.LittleEndian.Uint32(fixed[6:]))
		e.t = int64(binary.LittleEndian.Uint64(fixed[10:]))
		e.kg = math.Float64frombits(binary.LittleEndian.Uint64(fixed[18:]))
		e.line = int64(binary.LittleEndian.Uint64(fixed[26:]))
		pt.events = append(pt.events, e)
	}
	return pt, nil
}

// release drops partition i's file once it is checked.
func (s *store) release(i int) {
	if s.n > 1 {
		s.files[i].Truncate(0)
	}
}

func (s *store) close() error {
	for _, f := range s.files {
		f.Close()
	}
	s.files, s.bufs = nil, nil
	if s.dir != "" {
		err := os.RemoveAll(s.dir)
		s.dir = ""
		return err
	}
	return nil
}

// sortEvents groups a partition by code (by the code's hash, then the
// code), each code's events in time, kind and line order: the order they
// happened in. The order of the groups does not matter.
func sortEvents(pt *partition) {
	slices.SortFunc(pt.events, func(x, y event) int {
		if c := cmp.Compare(x.h, y.h); c != 0 {
			return c
		}
		if c := bytes.Compare(pt.code(x), pt.code(y)); c != 0 {
			return c
		}
		if c := cmp.Compare(x.t, y.t); c != 0 {
			return c
		}
		if c := cmp.Compare(x.kind, y.kind); c != 0 {
			return c
		}
		return cmp.Compare(x.line, y.line)
	})
}

// A run is a sequence of discrepancies sorted by their first scan line,
// in memory or spilled to a file of JSON lines.
type run struct {
	mem  []Discrepancy
	file string
}

// runWriter collects a run, spilling it to dir when it grows past limit.
type runWriter struct {
	dir   string
	limit int
	mem   []Discrepancy
	f     *os.File
	w     *bufio.Writer
	enc   *json.Encoder
}

func (rw *runWriter) add(d Discrepancy) error {
	if rw.f == nil && (rw.dir == "" || len(rw.mem) < rw.limit) {
		rw.mem = append(rw.mem, d)
		return nil
	}
	if rw.f == nil {
		f, err := os.CreateTemp(rw.dir, "run-*.jsonl")
		if err != nil {
			return fmt.Errorf("reconcile: temporary file: %w", err)
		}
		rw.f, rw.w = f, bufio.NewWriterSize(f, 256<<10)
		rw.enc = json.NewEncoder(rw.w)
		for _, m := range rw.mem {
			if err := rw.enc.Encode(m); err != nil {
				return err
			}
		}
		rw.mem = nil
	}
	return rw.enc.Encode(d)
}

func (rw *runWriter) finish() (run, error) {
	if rw.f == nil {
		return run{mem: rw.mem}, nil
	}
	if err := rw.w.Flush(); err != nil {
		return run{}, err
	}
	name := rw.f.Name()
	return run{file: name}, rw.f.Close()
}

// runIter reads a run in order.
type runIter struct {
	mem []Discrepancy
	i   int
	dec *json.Decoder
	f   *os.File
	cur Discrepancy
	ok  bool
}

func (r run) iter() (*runIter, error) {
	it := &runIter{mem: r.mem}
	if r.file != "" {
		f, err := os.Open(r.file)
		if err != nil {
			return nil, err
		}
		it.f, it.dec = f, json.NewDecoder(bufio.NewReaderSize(f, 256<<10))
	}
	return it, it.next()
}

func (it *runIter) next() error {
	if it.dec != nil {
		var d Discrepancy
		err := it.dec.Decode(&d)
		if err == io.EOF {
			it.ok = false
			it.f.Close()
			return nil
		}
		it.cur, it.ok = d, err == nil
		return err
	}
	it.ok = it.i < len(it.mem)
	if it.ok {
		it.cur = it.mem[it.i]
		it.i++
	}
	return nil
}

// mergeRuns calls fn for every discrepancy of every run, in the order of
// discrepancyLess.
func mergeRuns(runs []run, fn func(Discrepancy) error) error {
	var its []*runIter
	for _, r := range runs {
		it, err := r.iter()
		if err != nil {
			return err
		}
		if it.ok {
			its = append(its, it)
		}
	}
	for len(its) > 0 {
		best := 0
		for i := 1; i < len(its); i++ { // few runs: a scan beats a heap
			if discrepancyLess(its[i].cur, its[best].cur) {
				best = i
			}
		}
		if err := fn(its[best].cur); err != nil {
			return err
		}
		if err := its[best].next(); err != nil {
			return err
		}
		if !its[best].ok {
			its = append(its[:best], its[best+1:]...)
		}
	}
	return nil
}
