package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.geojson")
	if err := WriteFile(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "first")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "first" {
		t.Errorf("content %q, want %q", got, "first")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != DefaultPerm {
		t.Errorf("new file mode %v, want %v", fi.Mode().Perm(), DefaultPerm)
	}
	// An existing file is replaced and keeps its mode.
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 1<<20) // larger than the write buffer
	if err := WriteFile(path, func(w io.Writer) error {
		_, err := io.WriteString(w, big)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	got, _ = os.ReadFile(path)
	if string(got) != big {
		t.Errorf("replaced content has %d bytes, want %d", len(got), len(big))
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced file mode %v, want the old 0600 kept", fi.Mode().Perm())
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v, want only out.geojson", names)
	}
}

func TestWriteFileFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	boom := errors.New("boom")
	partial := func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("partial,", 20000)) // flushed to disk in part
		return boom
	}
	err := WriteFile(path, partial)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v, want the write error wrapped with the path", err)
	}
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("after a failed write the directory holds %v, want nothing (no file, no temporary)", names)
	}

	// With an existing file, a failed write keeps the old content.
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, partial); err == nil {
		t.Fatal("no error from a failing write")
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("after a failed write the file holds %q, want the old %q", got, "old")
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v, want only the old file", names)
	}
}

func TestWriteFilePanicLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	func() {
		defer func() {
			if r := recover(); r != "kaput" {
				t.Errorf("recovered %v, want the writer's panic re-raised", r)
			}
		}()
		WriteFile(path, func(w io.Writer) error {
			io.WriteString(w, "half")
			panic("kaput")
		})
	}()
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("after a panic the directory holds %v, want nothing", names)
	}
}

func TestWriteFileBadDestinations(t *testing.T) {
	dir := t.TempDir()
	ok := func(w io.Writer) error { return nil }
	if err := WriteFile(filepath.Join(dir, "missing", "x.csv"), ok); err == nil {
		t.Errorf("write into a missing directory: no error, want one")
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(sub, ok); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("write over a directory: error %v, want 'not a regular file'", err)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v, want only sub", names)
	}
}

func ExampleWriteFile() {
	path := filepath.Join(os.TempDir(), "atomicfile-example.txt")
	defer os.Remove(path)
	err := WriteFile(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "all or nothing\n")
		return err
	})
	b, _ := os.ReadFile(path)
	fmt.Print(string(b), err)
	// Output:
	// all or nothing
	// <nil>
}
