package roads

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/rlplan/rlplan/internal/atomicfile"
)

// The cache file format. Bump cacheVersion whenever the layout or the
// meaning of any field changes: an older file is then rebuilt.
const (
	cacheMagic   = "RLROADS\n"
	cacheVersion = uint32(1)
	cacheSuffix  = ".rlroads"
)

// LoadOptions control Load. The zero value builds with TruckProfile and
// keeps the cache next to the PBF.
type LoadOptions struct {
	BuildOptions
	// CacheDir is where the cache file goes; "" means the PBF's directory.
	CacheDir string
	// NoCache builds the graph without reading or writing a cache.
	NoCache bool
}

// LoadReport says where a graph came from.
type LoadReport struct {
	CachePath string
	FromCache bool
	// Rebuilt says why the cache was not used ("" when it was).
	Rebuilt string
	// CacheErr is set when the cache could not be written; the graph is
	// good all the same.
	CacheErr error
	// HashTime is the time taken to checksum the PBF.
	HashTime time.Duration
}

// CachePath is the cache file of a PBF: FILE.osm.pbf.rlroads in dir, or next
// to the PBF when dir is "".
func CachePath(pbf, dir string) string {
	if dir == "" {
		return pbf + cacheSuffix
	}
	return filepath.Join(dir, filepath.Base(pbf)+cacheSuffix)
}

// fileStamp identifies the PBF a cache was built from.
type fileStamp struct {
	Size    int64
	ModTime int64 // Unix nanoseconds
	SHA256  [32]byte
}

// Load returns the road graph of an .osm.pbf file, from its cache when the
// cache was built by this version from the same bytes (size and SHA-256;
// the modification time is recorded too) with the same profile, and
// otherwise by Build, writing the cache for the next run (atomically; a
// failure to write is reported in LoadReport.CacheErr, not as an error). A
// cache that is truncated, corrupt (its own SHA-256 fails), of another
// version or inconsistent is rebuilt, never trusted.
func Load(ctx context.Context, path string, opt *LoadOptions) (*Graph, *LoadReport, error) {
	if opt == nil {
		opt = &LoadOptions{}
	}
	prof := opt.profile()
	if err := prof.Validate(); err != nil {
		return nil, nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, &InputError{File: path, Err: err, Msg: "cannot read the road file"}
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, &InputError{File: path, Err: ErrNotPBF, Msg: "not a regular file"}
	}
	if _, err := checkPBF(path); err != nil {
		return nil, nil, err
	}
	rep := &LoadReport{CachePath: CachePath(path, opt.CacheDir)}
	if opt.NoCache {
		rep.Rebuilt = "cache disabled"
		g, err := Build(ctx, path, &opt.BuildOptions)
		return g, rep, err
	}
	t := time.Now()
	stamp := fileStamp{Size: fi.Size(), ModTime: fi.ModTime().UnixNano()}
	if stamp.SHA256, err = hashFile(ctx, path, fi.Size(), opt.Progress); err != nil {
		return nil, nil, err
	}
	rep.HashTime = time.Since(t)
	want := cacheHeader{Version: cacheVersion, Profile: prof.hash(), PBF: stamp}
	g, why := readCache(rep.CachePath, want)
	if g != nil {
		rep.FromCache = true
		return g, rep, nil
	}
	rep.Rebuilt = why
	if g, err = Build(ctx, path, &opt.BuildOptions); err != nil {
		return nil, nil, err
	}
	if opt.Progress != nil {
		opt.Progress("cache", 0, 0)
	}
	rep.CacheErr = atomicfile.WriteFile(rep.CachePath, func(w io.Writer) error { return writeCache(w, g, want) })
	return g, rep, nil
}

func hashFile(ctx context.Context, path string, size int64, progress func(string, int64, int64)) ([32]byte, error) {
	var sum [32]byte
	f, err := os.Open(path)
	if err != nil {
		return sum, &InputError{File: path, Err: err, Msg: "cannot read the road file"}
	}
	defer f.Close()
	h := sha256.New()
	buf := make([]byte, 1<<20)
	var done int64
	for {
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		n, err := f.Read(buf)
		h.Write(buf[:n])
		done += int64(n)
		if progress != nil {
			progress("hash", done, size)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return sum, &InputError{File: path, Err: err, Msg: "cannot read the road file"}
		}
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// cacheHeader is what a cache must match to be used.
type cacheHeader struct {
	Version uint32
	Profile [32]byte
	PBF     fileStamp
}

// cacheInfo is the JSON block of the cache: the graph's Info without times.
type cacheInfo struct {
	Info Info
}

func writeCache(w io.Writer, g *Graph, h cacheHeader) error {
	sum := sha256.New()
	bw := &binWriter{w: io.MultiWriter(w, sum)}
	bw.raw([]byte(cacheMagic))
	bw.u32(h.Version)
	bw.raw(h.Profile[:])
	bw.u64(uint64(h.PBF.Size))
	bw.u64(uint64(h.PBF.ModTime))
	bw.raw(h.PBF.SHA256[:])
	info := g.Info
	info.ParseTime, info.BuildTime = 0, 0
	js, err := json.Marshal(cacheInfo{info})
	if err != nil {
		return err
	}
	bw.u64(uint64(len(js)))
	bw.raw(js)
	bw.i32s(g.lat)
	bw.i32s(g.lon)
	bw.i32s(g.vNode)
	bw.i32s(g.segA)
	bw.i32s(g.segB)
	bw.f64s(g.segLen)
	bw.f32s(g.segKmh)
	bw.u64(uint64(len(g.segFlag)))
	bw.raw(g.segFlag)
	bw.i32s(g.shapeOff)
	bw.i32s(g.shape)
	bw.i32s(g.first)
	bw.chunked(len(g.arcs), 12, func(i int, p []byte) {
		a := g.arcs[i]
		binary.LittleEndian.PutUint32(p, uint32(a.head))
		binary.LittleEndian.PutUint32(p[4:], math.Float32bits(a.m))
		binary.LittleEndian.PutUint32(p[8:], math.Float32bits(a.s))
	})
	bw.chunked(len(g.main), 8, func(i int, p []byte) { binary.LittleEndian.PutUint64(p, g.main[i]) })
	if bw.err != nil {
		return bw.err
	}
	_, err = w.Write(sum.Sum(nil))
	return err
}

// readCache returns the cached graph, or nil and why it cannot be used.
func readCache(path string, want cacheHeader) (*Graph, string) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, "no cache yet"
	}
	if err != nil {
		return nil, fmt.Sprintf("cache unreadable (%v)", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() < int64(len(cacheMagic))+32 {
		return nil, "cache truncated"
	}
	sum := sha256.New()
	r := &binReader{r: io.TeeReader(bufio.NewReaderSize(io.LimitReader(f, fi.Size()-32), 1<<20), sum), left: fi.Size() - 32}
	var h cacheHeader
	if string(r.raw(len(cacheMagic))) != cacheMagic {
		return nil, "not a cache file (bad magic)"
	}
	if h.Version = r.u32(); h.Version != want.Version {
		return nil, fmt.Sprintf("cache of format version %d, this program writes %d", h.Version, want.Version)
	}
	copy(h.Profile[:], r.raw(32))
	h.PBF.Size, h.PBF.ModTime = int64(r.u64()), int64(r.u64())
	copy(h.PBF.SHA256[:], r.raw(32))
	switch {
	case r.err != nil:
		return nil, "cache truncated"
	case h.Profile != want.Profile:
		return nil, "cache built with another profile"
	case h.PBF.Size != want.PBF.Size || h.PBF.SHA256 != want.PBF.SHA256:
		return nil, "cache built from another version of the PBF (size or SHA-256 differ)"
	}
	g, err := r.graph()
	if err != nil {
		return nil, fmt.Sprintf("cache corrupt (%v)", err)
	}
	var stored [32]byte
	if _, err := io.ReadFull(f, stored[:]); err != nil || !bytes.Equal(stored[:], sum.Sum(nil)) {
		return nil, "cache corrupt (checksum mismatch)"
	}
	if err := g.check(); err != nil {
		return nil, fmt.Sprintf("cache inconsistent (%v)", err)
	}
	g.profileHash = h.Profile
	return g, ""
}

func (r *binReader) graph() (*Graph, error) {
	js := r.raw(int(min(r.u64(), uint64(r.left))))
	var ci cacheInfo
	if r.err == nil {
		if err := json.Unmarshal(js, &ci); err != nil {
			return nil, err
		}
	}
	g := &Graph{Info: ci.Info}
	g.lat, g.lon, g.vNode = r.i32s(), r.i32s(), r.i32s()
	g.segA, g.segB = r.i32s(), r.i32s()
	g.segLen, g.segKmh = r.f64s(), r.f32s()
	g.segFlag = r.raw(int(min(r.u64(), uint64(r.left))))
	g.shapeOff, g.shape, g.first = r.i32s(), r.i32s(), r.i32s()
	g.arcs = make([]arc, r.count(12))
	r.chunked(len(g.arcs), 12, func(i int, p []byte) {
		g.arcs[i] = arc{head: int32(binary.LittleEndian.Uint32(p)), m: math.Float32frombits(binary.LittleEndian.Uint32(p[4:])),
			s: math.Float32frombits(binary.LittleEndian.Uint32(p[8:]))}
	})
	g.main = make([]uint64, r.count(8))
	r.chunked(len(g.main), 8, func(i int, p []byte) { g.main[i] = binary.LittleEndian.Uint64(p) })
	if r.err != nil {
		return nil, r.err
	}
	if r.left != 0 {
		return nil, fmt.Errorf("%d bytes after the data", r.left)
	}
	return g, nil
}

// check verifies that every index of g is in range and the arrays agree in
// length, so that a cache that passed its checksum but was written by a
// faulty program cannot make a search index out of bounds.
func (g *Graph) check() error {
	nN, nV, nS := int32(len(g.lat)), int32(len(g.vNode)), len(g.segA)
	switch {
	case len(g.lon) != int(nN):
		return fmt.Errorf("%d latitudes, %d longitudes", nN, len(g.lon))
	case len(g.segB) != nS || len(g.segLen) != nS || len(g.segKmh) != nS || len(g.segFlag) != nS || len(g.shapeOff) != nS+1:
		return fmt.Errorf("segment arrays of unequal length")
	case len(g.first) != int(nV)+1 || len(g.main) != (int(nV)+63)/64:
		return fmt.Errorf("vertex arrays of unequal length")
	case g.shapeOff[0] != 0 || int(g.shapeOff[nS]) != len(g.shape) || int(g.first[nV]) != len(g.arcs) || g.first[0] != 0:
		return fmt.Errorf("offsets do not span their arrays")
	}
	for _, v := range g.vNode {
		if v < 0 || v >= nN {
			return fmt.Errorf("vertex node %d out of range", v)
		}
	}
	for s := 0; s < nS; s++ {
		if g.segA[s] < 0 || g.segA[s] >= nV || g.segB[s] < 0 || g.segB[s] >= nV || g.shapeOff[s+1]-g.shapeOff[s] < 2 ||
			!(g.segLen[s] >= 0) || !(g.segKmh[s] > 0) {
			return fmt.Errorf("segment %d malformed", s)
		}
	}
	for _, n := range g.shape {
		if n < 0 || n >= nN {
			return fmt.Errorf("shape node %d out of range", n)
		}
	}
	for v := int32(0); v < nV; v++ {
		if g.first[v+1] < g.first[v] {
			return fmt.Errorf("arc offsets decrease at vertex %d", v)
		}
	}
	for _, a := range g.arcs {
		if a.head < 0 || a.head >= nV || !(a.m >= 0) || !(a.s >= 0) {
			return fmt.Errorf("arc to %d malformed", a.head)
		}
	}
	return nil
}

// binWriter writes little-endian values, keeping the first error.
type binWriter struct {
	w   io.Writer
	buf [8]byte
	err error
}

func (b *binWriter) raw(p []byte) {
	if b.err == nil {
		_, b.err = b.w.Write(p)
	}
}
func (b *binWriter) u32(v uint32) { binary.LittleEndian.PutUint32(b.buf[:4], v); b.raw(b.buf[:4]) }
func (b *binWriter) u64(v uint64) { binary.LittleEndian.PutUint64(b.buf[:], v); b.raw(b.buf[:]) }

// chunked encodes n values of size bytes each through put, 8 KiB at a time.
func (b *binWriter) chunked(n, size int, put func(i int, p []byte)) {
	b.u64(uint64(n))
	chunk := make([]byte, 0, 8192)
	for i := 0; i < n; i++ {
		chunk = chunk[:len(chunk)+size]
		put(i, chunk[len(chunk)-size:])
		if len(chunk)+size > cap(chunk) {
			b.raw(chunk)
			chunk = chunk[:0]
		}
	}
	b.raw(chunk)
}

func (b *binWriter) i32s(s []int32) {
	b.chunked(len(s), 4, func(i int, p []byte) { binary.LittleEndian.PutUint32(p, uint32(s[i])) })
}
func (b *binWriter) f32s(s []float32) {
	b.chunked(len(s), 4, func(i int, p []byte) { binary.LittleEndian.PutUint32(p, math.Float32bits(s[i])) })
}
func (b *binWriter) f64s(s []float64) {
	b.chunked(len(s), 8, func(i int, p []byte) { binary.LittleEndian.PutUint64(p, math.Float64bits(s[i])) })
}

// binReader reads what binWriter wrote, keeping the first error; left is
// the number of bytes the data may still hold, so a corrupt count cannot
// make it allocate more than the file.
type binReader struct {
	r    io.Reader
	left int64
	buf  [8]byte
	err  error
}

func (b *binReader) raw(n int) []byte {
	if b.err != nil || n < 0 || int64(n) > b.left {
		if b.err == nil {
			b.err = io.ErrUnexpectedEOF
		}
		return nil
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(b.r, p); err != nil {
		b.err = err
		return nil
	}
	b.left -= int64(n)
	return p
}

func (b *binReader) fill(n int) []byte {
	if b.err != nil || int64(n) > b.left {
		if b.err == nil {
			b.err = io.ErrUnexpectedEOF
		}
		return b.buf[:n]
	}
	if _, err := io.ReadFull(b.r, b.buf[:n]); err != nil {
		b.err = err
	}
	b.left -= int64(n)
	return b.buf[:n]
}

func (b *binReader) u32() uint32 { return binary.LittleEndian.Uint32(b.fill(4)) }
func (b *binReader) u64() uint64 { return binary.LittleEndian.Uint64(b.fill(8)) }

// count reads an element count and checks that many elements of size bytes
// fit in what is left.
func (b *binReader) count(size int) int {
	n := b.u64()
	if b.err == nil && n > uint64(b.left)/uint64(size) {
		b.err = fmt.Errorf("a count of %d elements exceeds the file", n)
	}
	if b.err != nil {
		return 0
	}
	return int(n)
}

// chunked decodes n values of size bytes each through get, 8 KiB at a time.
func (b *binReader) chunked(n, size int, get func(i int, p []byte)) {
	chunk := make([]byte, 8192/size*size)
	for i := 0; i < n && b.err == nil; {
		k := min(n-i, len(chunk)/size)
		p := chunk[:k*size]
		if _, err := io.ReadFull(b.r, p); err != nil {
			b.err = err
			return
		}
		b.left -= int64(len(p))
		for j := 0; j < k; j++ {
			get(i+j, p[j*size:(j+1)*size])
		}
		i += k
	}
}

func (b *binReader) i32s() []int32 {
	s := make([]int32, b.count(4))
	b.chunked(len(s), 4, func(i int, p []byte) { s[i] = int32(binary.LittleEndian.Uint32(p)) })
	return s
}

func (b *binReader) f32s() []float32 {
	s := make([]float32, b.count(4))
	b.chunked(len(s), 4, func(i int, p []byte) { s[i] = math.Float32frombits(binary.LittleEndian.Uint32(p)) })
	return s
}

func (b *binReader) f64s() []float64 {
	s := make([]float64, b.count(8))
	b.chunked(len(s), 8, func(i int, p []byte) { s[i] = math.Float64frombits(binary.LittleEndian.Uint64(p)) })
	return s
}
