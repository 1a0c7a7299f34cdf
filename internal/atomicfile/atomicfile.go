package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// DefaultPerm is the permission of a newly created file. It is set with
// chmod, so the umask does not apply. An existing destination keeps its
// permission bits.
const DefaultPerm fs.FileMode = 0o644

// WriteFile calls write with a buffered writer on a temporary file in the
// directory of path and, if write returns nil, flushes, fsyncs and closes the
// file and renames it to path, then fsyncs the directory (best effort where
// the platform does not allow it).
//
// If write returns an error or panics, or any step fails, the temporary file
// is removed, path is left as it was (absent or with its old content), and
// the error is returned (the panic is re-raised). The rename is atomic on
// POSIX file systems. WriteFile is safe for concurrent use on different
// paths; concurrent writes to one path leave one complete version.
func WriteFile(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	perm := DefaultPerm
	if fi, statErr := os.Stat(path); statErr == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("atomicfile: %s exists and is not a regular file (%v)", path, fi.Mode().Type())
		}
		perm = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("atomicfile: create temporary file for %s: %w", path, err)
	}
	tmp := f.Name()
	committed := false
	defer func() {
		if !committed {
			f.Close()      // may already be closed; the error is irrelevant
			os.Remove(tmp) // best effort: the original error matters more
		}
	}()

	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		return fmt.Errorf("atomicfile: writing %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("atomicfile: writing %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("atomicfile: chmod %s: %w", tmp, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("atomicfile: sync %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("atomicfile: close %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("atomicfile: rename %s to %s: %w", tmp, path, err)
	}
	committed = true
	syncDir(dir)
	return nil
}

// syncDir makes the rename durable. Some platforms (Windows) and file
// systems refuse to sync a directory; the file itself is already synced, so
// that failure is ignored.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	d.Close()
}
