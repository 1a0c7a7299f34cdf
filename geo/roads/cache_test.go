package roads

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rlplan/rlplan/geo/roads/roadstest"
)

// copyFile copies src to dst, optionally only its first n bytes (n < 0: all).
func copyFile(t *testing.T, src, dst string, n int64) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader = in
	if n >= 0 {
		r = io.LimitReader(in, n)
	}
	if _, err := io.Copy(out, r); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// lastBlobStart returns the offset of the last blob of a PBF: cutting the
// file there leaves a valid, different PBF.
func lastBlobStart(t *testing.T, path string) int64 {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var off, last int64
	for off < int64(len(data)) {
		n := int64(binary.BigEndian.Uint32(data[off:]))
		hdr := data[off+4 : off+4+n]
		// BlobHeader field 3 (datasize) is the last varint of the header.
		i := bytes.LastIndexByte(hdr, 0x18)
		size, k := binary.Uvarint(hdr[i+1:])
		if i < 0 || k <= 0 {
			t.Fatal("cannot walk the PBF's blobs")
		}
		last = off
		off += 4 + n + int64(size)
	}
	return last
}

func TestCache(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping cache round trips on the Delaware extract in -short mode")
	}
	src := roadstest.Delaware(t)
	dir := t.TempDir()
	pbf := filepath.Join(dir, "de.osm.pbf")
	copyFile(t, src, pbf, -1)
	ctx := context.Background()
	load := func(t *testing.T, want bool, why string, opt *LoadOptions) *Graph {
		t.Helper()
		g, rep, err := Load(ctx, pbf, opt)
		if err != nil {
			t.Fatal(err)
		}
		if rep.FromCache != want || !strings.Contains(rep.Rebuilt, why) || rep.CacheErr != nil {
			t.Fatalf("report %+v: want from cache %v, rebuilt because %q", rep, want, why)
		}
		return g
	}
	g0 := load(t, false, "no cache yet", nil)
	cache := CachePath(pbf, "")
	if filepath.Dir(cache) != dir {
		t.Fatalf("cache at %s, want next to the PBF", cache)
	}
	g1 := load(t, true, "", nil)
	if g1.Info.Vertices != g0.Info.Vertices || g1.Info.RoadKm != g0.Info.RoadKm || len(g1.arcs) != len(g0.arcs) {
		t.Fatalf("cached graph %+v differs from the built one %+v", g1.Info, g0.Info)
	}
	// Touched but unchanged: the bytes decide, the cache is still good.
	later := time.Now().Add(time.Hour)
	os.Chtimes(pbf, later, later)
	load(t, true, "", nil)

	data, _ := os.ReadFile(cache)
	corrupt := func(name string, mutate func([]byte) []byte, why string) {
		t.Run(name, func(t *testing.T) {
			os.WriteFile(cache, mutate(append([]byte(nil), data...)), 0o644)
			load(t, false, why, nil)
			load(t, true, "", nil) // rewritten
		})
	}
	corrupt("flipped byte", func(b []byte) []byte { b[len(b)/2] ^= 0x40; return b }, "corrupt")
	corrupt("truncated", func(b []byte) []byte { return b[:len(b)*2/3] }, "c")
	corrupt("empty", func(b []byte) []byte { return nil }, "truncated")
	corrupt("other version", func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], 999); return b }, "version 999")
	corrupt("not a cache", func(b []byte) []byte { return bytes.Repeat([]byte("x"), 100) }, "magic")

	t.Run("other profile", func(t *testing.T) {
		p := TruckProfile()
		p.Speeds["service"] = 5
		load(t, false, "another profile", &LoadOptions{BuildOptions: BuildOptions{Profile: p}})
		load(t, false, "another profile", nil) // one cache per PBF: the default profile's again
	})
	t.Run("changed PBF", func(t *testing.T) {
		load(t, true, "", nil)
		copyFile(t, src, pbf, lastBlobStart(t, src))
		load(t, false, "another version of the PBF", nil)
	})
	t.Run("unwritable cache", func(t *testing.T) {
		_, rep, err := Load(ctx, pbf, &LoadOptions{CacheDir: filepath.Join(dir, "missing", "dir")})
		if err != nil || rep.CacheErr == nil {
			t.Fatalf("error %v, cache error %v: want the graph and a cache error", err, rep.CacheErr)
		}
	})
}

func TestNotAPBF(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"empty": {nil, "empty"},
		"xml":   {[]byte("<?xml version='1.0'?>\n<osm version='0.6'></osm>\n"), "OSM XML"},
		"gzip":  {[]byte{0x1f, 0x8b, 8, 0, 0, 0}, "gzip"},
		"bzip2": {[]byte("BZh91AY&SY"), "bzip2"},
		"csv":   {[]byte("id,lat,lon\nA,1,2\n"), "block header"},
		"noise": {[]byte{0, 0, 0, 5, 1, 2, 3, 4, 5, 6}, "OSMHeader"},
	} {
		path := filepath.Join(dir, name+".osm.pbf")
		os.WriteFile(path, c.data, 0o644)
		_, _, err := Load(context.Background(), path, nil)
		var ie *InputError
		if !errors.Is(err, ErrNotPBF) || !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want ErrNotPBF naming the file and saying %q", name, err, c.want)
		}
		if _, err := os.Stat(CachePath(path, "")); err == nil {
			t.Errorf("%s: a cache was written for a file that is not a PBF", name)
		}
	}
	if _, _, err := Load(context.Background(), filepath.Join(dir, "absent.osm.pbf"), nil); err == nil || !strings.Contains(err.Error(), "absent.osm.pbf") {
		t.Errorf("missing file: error %v, want one naming it", err)
	}
}
