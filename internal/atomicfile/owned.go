package atomicfile

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteOwned writes one output file like WriteFile, but never replaces a
// file the user owns: if path exists, the manifest of its folder
// (ManifestName) must list it with its current SHA-256, or opt.Force must be
// set; otherwise it returns a *ForeignError and writes nothing. After the
// write the file is recorded in that manifest (not as part of a folder's
// output set, so a later WriteDir into the folder keeps it).
//
// A path that is a character device or a named pipe (/dev/stdout, a FIFO) is
// written to directly: it holds no file to lose and cannot be renamed over.
func WriteOwned(path string, write func(io.Writer) error, opt Options) error {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.Mode()&(fs.ModeCharDevice|fs.ModeNamedPipe) != 0:
		return writeStream(path, write)
	case err == nil && fi.IsDir():
		return fmt.Errorf("%s is a folder; give a file name", path)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	m, merr := readManifest(dir)
	if err == nil && !opt.Force {
		if reason, err := notOwned(path, base, m, merr); err != nil {
			return err
		} else if reason != "" {
			return &ForeignError{Target: path, Files: []ForeignFile{{base, reason}}}
		}
	}
	h := sha256.New()
	if err := WriteFile(path, func(w io.Writer) error { return write(io.MultiWriter(w, h)) }); err != nil {
		return err
	}
	if merr != nil {
		// A manifest rlplan cannot read is not replaced: it may be a
		// later version's. The file stays the user's for the next run.
		return nil
	}
	if m == nil {
		m = &Manifest{}
	}
	m.Version = Version()
	entry := ManifestEntry{Path: base, SHA256: hex.EncodeToString(h.Sum(nil)), By: opt.By}
	replaced := false
	for i := range m.Files {
		if m.Files[i].Path == base {
			m.Files[i], replaced = entry, true
		}
	}
	if !replaced {
		m.Files = append(m.Files, entry)
	}
	mb, err := m.encode()
	if err != nil {
		return err
	}
	if err := WriteFile(filepath.Join(dir, ManifestName), func(w io.Writer) error { _, err := w.Write(mb); return err }); err != nil {
		return fmt.Errorf("%s is written, but recording it in %s failed (the next run will ask for --force): %w", path, ManifestName, err)
	}
	return nil
}

// notOwned says why an existing file is not rlplan's ("" when it is): the
// manifest m of its folder (merr when unreadable) must list it unchanged.
func notOwned(path, base string, m *Manifest, merr error) (string, error) {
	if merr != nil {
		return "its folder's " + merr.Error(), nil
	}
	e, listed := m.byPath()[base]
	if !listed {
		return "not written by rlplan", nil
	}
	sum, err := fileSHA256(path)
	if err != nil {
		return "", err
	}
	if sum != e.SHA256 {
		return "was changed since rlplan wrote it", nil
	}
	return "", nil
}

// writeStream writes to a device or pipe as it is.
func writeStream(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
