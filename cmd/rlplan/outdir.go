package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/rlplan/rlplan/internal/atomicfile"
)

// writeFiles writes several files into dir as one step: every file goes to
// a temporary name first, and only when all are complete are they renamed
// into place. On any error (or a cancelled run that returns before this)
// the folder holds no partial file: temporaries are removed.
func writeFiles(dir string, files map[string]func(io.Writer) error) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	temps := map[string]string{}
	defer func() {
		if err != nil {
			for _, t := range temps {
				os.Remove(t)
			}
		}
	}()
	for _, n := range names {
		// A name may lie in a subfolder ("manifests/x.html"): its temporary
		// goes beside it, so the rename stays inside one file system.
		if !filepath.IsLocal(filepath.FromSlash(n)) {
			return fmt.Errorf("output %q: not a name inside the output folder", n)
		}
		sub := filepath.Join(dir, filepath.Dir(filepath.FromSlash(n)))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return fmt.Errorf("output folder: %w", err)
		}
		f, err := os.CreateTemp(sub, "."+filepath.Base(n)+".tmp-*")
		if err != nil {
			return fmt.Errorf("output %s: %w", filepath.Join(dir, n), err)
		}
		temps[n] = f.Name()
		werr := files[n](f)
		if werr == nil {
			// CreateTemp makes 0600 files; outputs are meant to be shared.
			werr = f.Chmod(atomicfile.DefaultPerm)
		}
		if werr == nil {
			werr = f.Sync()
		}
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("output %s: %w", filepath.Join(dir, n), werr)
		}
	}
	for _, n := range names {
		if err := os.Rename(temps[n], filepath.Join(dir, filepath.FromSlash(n))); err != nil {
			return fmt.Errorf("output %s: %w", filepath.Join(dir, n), err)
		}
		delete(temps, n)
	}
	return nil
}

// writeTables writes CSV tables (slices of gocsv-tagged structs) with
// writeFiles.
func writeTables(dir string, tables map[string]any) error { return writeTablesAnd(dir, tables, nil) }

// writeTablesAnd writes CSV tables and rendered files as one set.
func writeTablesAnd(dir string, tables map[string]any, rendered map[string][]byte) error {
	files := map[string]func(io.Writer) error{}
	for n, recs := range tables {
		files[n] = func(w io.Writer) error { return writeRecords(w, "csv", recs) }
	}
	for n, b := range rendered {
		files[n] = func(w io.Writer) error { _, err := w.Write(b); return err }
	}
	return writeFiles(dir, files)
}

// writeBytes writes rendered files with writeFiles.
func writeBytes(dir string, files map[string][]byte) error {
	w := map[string]func(io.Writer) error{}
	for n, b := range files {
		w[n] = func(out io.Writer) error { _, err := out.Write(b); return err }
	}
	return writeFiles(dir, w)
}
