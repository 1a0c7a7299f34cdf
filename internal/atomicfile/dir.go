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
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Options say who writes and whether the user's files may be replaced.
type Options struct {
	// By names the command that writes ("plan"); it is recorded in the
	// manifest beside each file.
	By string
	// Force allows writing where files rlplan did not write (or changed
	// since) are in the way: WriteDir then keeps the user's files that its
	// new set does not replace, and WriteOwned replaces the file.
	Force bool
	// Add writes the files into the folder's current set instead of
	// replacing it: everything else in the folder is kept (rlplan's files
	// and the user's), and only the user's files at the paths written
	// need Force. The added files join the set, so the next full set
	// written there (a new plan) replaces them with the rest.
	Add bool
}

// ForeignError refuses to write because files that rlplan did not write, or
// that were changed since, are where it would write. Nothing was written.
type ForeignError struct {
	// Target is the folder (WriteDir) or file (WriteOwned).
	Target string
	// Files are the user's files, relative to the folder, each with why it
	// counts as the user's.
	Files []ForeignFile
	// Dir reports whether Target is a folder.
	Dir bool
}

// ForeignFile is a file that rlplan does not own, and why.
type ForeignFile struct {
	Path   string
	Reason string
}

func (e *ForeignError) Error() string {
	if !e.Dir {
		reason := "rlplan did not write it"
		if len(e.Files) > 0 && e.Files[0].Reason != "not written by rlplan" {
			reason = e.Files[0].Reason
		}
		return fmt.Sprintf("%s exists and %s; choose another file name, or add --force to replace it", e.Target, reason)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s holds files that rlplan did not write: ", e.Target)
	const show = 8
	for i, f := range e.Files {
		if i == show {
			fmt.Fprintf(&b, ", and %d more", len(e.Files)-show)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (%s)", f.Path, f.Reason)
	}
	b.WriteString("; write into a new or empty folder, or add --force to write there anyway (the files in the way of the new ones are replaced, the others kept)")
	return b.String()
}

// ExitCode makes the refusal a usage error in the command-line tool: the
// destination given is the problem.
func (e *ForeignError) ExitCode() int { return 2 }

// survey is what a folder holds, against its manifest.
type survey struct {
	exists   bool
	mode     fs.FileMode
	manifest *Manifest
	// owned are the manifest's files still present and unchanged.
	owned map[string]ManifestEntry
	// foreign are every other entry: files, links, special files.
	foreign []ForeignFile
	// kinds maps each foreign path to its type, for carrying it over.
	kinds map[string]fs.FileMode
	// dirs are the empty sub-folders, carried over as they are.
	dirs []string
}

// surveyDir walks dir (without following links) and sorts its entries into
// rlplan's files and the user's.
func surveyDir(dir string) (*survey, error) {
	s := &survey{owned: map[string]ManifestEntry{}, kinds: map[string]fs.FileMode{}}
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s exists and is not a folder", dir)
	}
	s.exists, s.mode = true, fi.Mode().Perm()
	m, merr := readManifest(dir)
	s.manifest = m
	listed := m.byPath()
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			s.dirs = append(s.dirs, rel)
			return nil
		}
		if rel == ManifestName {
			if merr != nil {
				s.foreign = append(s.foreign, ForeignFile{rel, merr.Error()})
				s.kinds[rel] = d.Type()
			}
			return nil
		}
		e, ok := listed[rel]
		reason := "not written by rlplan"
		if ok && d.Type().IsRegular() {
			sum, err := fileSHA256(p)
			if err != nil {
				return err
			}
			if sum == e.SHA256 {
				s.owned[rel] = e
				return nil
			}
			reason = "changed since rlplan wrote it"
		}
		if !d.Type().IsRegular() {
			reason = "a " + kindName(d.Type()) + " rlplan did not make"
		}
		s.foreign = append(s.foreign, ForeignFile{rel, reason})
		s.kinds[rel] = d.Type()
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.dirs = emptyDirs(s.dirs, s)
	return s, nil
}

// emptyDirs keeps the folders that hold nothing: a folder with files is
// made again for the files that are kept, and only an empty one (rlplan
// never makes one) would otherwise be lost.
func emptyDirs(dirs []string, s *survey) []string {
	full := map[string]bool{}
	mark := func(p string) {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			full[d] = true
		}
	}
	for p := range s.owned {
		mark(p)
	}
	for _, f := range s.foreign {
		mark(f.Path)
	}
	for _, d := range dirs {
		mark(d)
	}
	var out []string
	for _, d := range dirs {
		if !full[d] {
			out = append(out, d)
		}
	}
	return out
}

func kindName(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// WriteDir makes dir hold exactly the files of one output set, atomically:
// a reader (or a crash) sees either the folder as it was or the complete new
// set, never a mix. files maps slash-separated paths relative to dir
// ("kpis.json", "manifests/T001.html") to the functions that write them.
//
// dir may be absent, empty, or a folder rlplan wrote before: its manifest
// (ManifestName) lists what rlplan wrote there. Any other file in dir (the
// user's own, or one of rlplan's changed since it was written) makes WriteDir
// refuse with a *ForeignError unless opt.Force; with Force those files are
// kept, except where the new set writes a file of the same path.
//
// The previous set's files that the new set does not write are removed;
// files that rlplan wrote one at a time (WriteOwned) are kept. The new set is
// built in a sibling folder and swapped in with one rename (an exchange on
// Linux; elsewhere the old folder is moved aside first and moved back if the
// second rename fails), so the parent of dir must be writable and on the
// same file system. If any write fails, dir is left as it was and the
// sibling is removed.
func WriteDir(dir string, files map[string]func(io.Writer) error, opt Options) (err error) {
	names, err := sortedPaths(files)
	if err != nil {
		return err
	}
	shown := dir // messages name the folder as the user gave it
	dir, err = resolveDir(dir)
	if err != nil {
		return err
	}
	if wd, err := os.Getwd(); err == nil && (wd == dir || strings.HasPrefix(wd, dir+string(filepath.Separator))) {
		// Swapping the folder one stands in would leave the shell in the
		// old, deleted one.
		return fmt.Errorf("output folder %s: it is (or holds) the current folder, which rlplan cannot replace whole; write into a sub-folder, e.g. %s", shown, filepath.Join(shown, "out"))
	}
	s, err := surveyDir(dir)
	if err != nil {
		return fmt.Errorf("output folder %s: %w", shown, err)
	}
	if in := foreignInTheWay(s, files, opt); len(in) > 0 && !opt.Force {
		return &ForeignError{Target: shown, Files: in, Dir: true}
	}
	parent, base := filepath.Split(dir)
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("output folder %s: %w", shown, err)
	}
	stage, err := os.MkdirTemp(parent, "."+base+".new-*")
	if err != nil {
		return fmt.Errorf("output folder %s: %w", shown, err)
	}
	swapped := false
	defer func() {
		if !swapped {
			os.RemoveAll(stage)
		}
	}()
	mode := fs.FileMode(0o755)
	if s.exists {
		mode = s.mode
	}
	if err := os.Chmod(stage, mode); err != nil {
		return fmt.Errorf("output folder %s: %w", shown, err)
	}
	m := &Manifest{Version: Version()}
	writing := map[string]bool{}
	for _, n := range names {
		writing[n] = true
		sum, err := writeNew(filepath.Join(stage, filepath.FromSlash(n)), files[n])
		if err != nil {
			return fmt.Errorf("output %s: %w", filepath.Join(shown, filepath.FromSlash(n)), err)
		}
		m.Files = append(m.Files, ManifestEntry{Path: n, SHA256: sum, By: opt.By, Set: true})
	}
	if s.exists {
		if err := carryOver(dir, stage, s, writing, m, opt.Add); err != nil {
			return fmt.Errorf("output folder %s: keeping %w", shown, err)
		}
	}
	mb, err := m.encode()
	if err != nil {
		return err
	}
	if _, err := writeNew(filepath.Join(stage, ManifestName), func(w io.Writer) error { _, err := w.Write(mb); return err }); err != nil {
		return fmt.Errorf("output folder %s: manifest: %w", shown, err)
	}
	syncTree(stage)
	if !s.exists {
		if err := os.Rename(stage, dir); err != nil {
			return fmt.Errorf("output folder %s: %w", shown, err)
		}
		swapped = true
		syncDir(parent)
		return nil
	}
	old, err := swapDirs(stage, dir)
	if err != nil {
		return fmt.Errorf("output folder %s: the previous outputs are left as they were: %w", shown, err)
	}
	swapped = true
	syncDir(parent)
	// The new set is in place; failing to delete the old one leaves a hidden
	// sibling behind but loses nothing.
	os.RemoveAll(old)
	return nil
}

// foreignInTheWay lists the user's files that writing would replace or
// remove: all of them for a new set, only those at (or under, or above) the
// paths written when files are added to the set.
func foreignInTheWay(s *survey, files map[string]func(io.Writer) error, opt Options) []ForeignFile {
	if !opt.Add {
		return s.foreign
	}
	var in []ForeignFile
	for _, f := range s.foreign {
		if f.Path == ManifestName {
			continue
		}
		for n := range files {
			if f.Path == n || strings.HasPrefix(n, f.Path+"/") || strings.HasPrefix(f.Path, n+"/") {
				in = append(in, f)
				break
			}
		}
	}
	return in
}

// sortedPaths checks the output paths and returns them sorted. A path may
// not be both a file and the folder of another file.
func sortedPaths(files map[string]func(io.Writer) error) ([]string, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		if err := checkRelPath(n); err != nil {
			return nil, fmt.Errorf("output %q: %v", n, err)
		}
		if n == ManifestName {
			return nil, fmt.Errorf("output %q: the name is reserved for rlplan's manifest", n)
		}
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for d := path.Dir(n); d != "."; d = path.Dir(d) {
			if files[d] != nil {
				return nil, fmt.Errorf("output %q: %q is also an output file", n, d)
			}
		}
	}
	return names, nil
}

// resolveDir makes dir absolute (so that "." and "out/" have a parent to
// build the new set in) and follows a symbolic link at dir itself, so that
// the folder it points to is replaced, not the link.
func resolveDir(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("output folder %s: %w", dir, err)
	}
	fi, err := os.Lstat(dir)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return dir, nil
	}
	r, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", fmt.Errorf("output folder %s: %w", dir, err)
	}
	return r, nil
}

// writeNew writes a new file (creating its folder), syncs it, and returns
// the hex SHA-256 of what was written.
func writeNew(p string, write func(io.Writer) error) (sum string, err error) {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, DefaultPerm)
	if err != nil {
		return "", err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(f, h), 64<<10)
	if err := write(bw); err != nil {
		return "", err
	}
	if err := bw.Flush(); err != nil {
		return "", err
	}
	if err := f.Chmod(DefaultPerm); err != nil { // the umask does not apply
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// carryOver links into stage what the new set keeps from the old folder:
// rlplan's single files (WriteOwned) and, under Force, the user's files,
// unless the new set writes the same path or a path through it. Hard links
// keep the data in place; where the file system refuses them, files are
// copied.
func carryOver(dir, stage string, s *survey, writing map[string]bool, m *Manifest, add bool) error {
	blocked := func(p string) bool {
		if writing[p] {
			return true
		}
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if writing[d] {
				return true
			}
		}
		return false
	}
	var keep []string
	for p, e := range s.owned {
		if (add || !e.Set) && !blocked(p) {
			keep = append(keep, p)
			m.Files = append(m.Files, e)
		}
	}
	for _, f := range s.foreign {
		if f.Path != ManifestName && !blocked(f.Path) {
			keep = append(keep, f.Path)
		}
	}
	sort.Strings(keep)
	for _, d := range s.dirs {
		if !blocked(d) {
			if err := os.MkdirAll(filepath.Join(stage, filepath.FromSlash(d)), 0o755); err != nil {
				return err
			}
		}
	}
	for _, p := range keep {
		src, dst := filepath.Join(dir, filepath.FromSlash(p)), filepath.Join(stage, filepath.FromSlash(p))
		if fi, err := os.Lstat(dst); err == nil && fi.IsDir() {
			continue // the new set writes files under this path
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if s.kinds[p]&fs.ModeSymlink != 0 {
			target, err := os.Readlink(src)
			if err != nil {
				return err
			}
			if err := os.Symlink(target, dst); err != nil {
				return err
			}
			continue
		}
		if err := os.Link(src, dst); err != nil {
			if s.kinds[p] != 0 && !s.kinds[p].IsRegular() {
				return fmt.Errorf("%s: %w", p, err) // a pipe or device cannot be copied
			}
			if err := copyFile(src, dst); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	_, err = writeNew(dst, func(w io.Writer) error { _, err := io.Copy(w, in); return err })
	if err != nil {
		return err
	}
	return os.Chmod(dst, fi.Mode().Perm())
}

// syncTree fsyncs every folder of a tree (best effort), so the new entries
// survive a crash once the swap is done.
func syncTree(root string) {
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			syncDir(p)
		}
		return nil
	})
}

// swapDirs puts the folder stage at dir and returns where the old content
// of dir now is (to be removed).
func swapDirs(stage, dir string) (old string, err error) {
	if err := exchange(stage, dir); err == nil {
		return stage, nil
	} else if !errors.Is(err, errExchangeUnsupported) {
		return "", err
	}
	// Two renames: dir aside, stage in; on failure dir goes back.
	parent, base := filepath.Split(dir)
	if parent == "" {
		parent = "."
	}
	aside, err := os.MkdirTemp(parent, "."+base+".old-*")
	if err != nil {
		return "", err
	}
	if err := os.Remove(aside); err != nil { // only the unique name is wanted
		return "", err
	}
	if err := rename(dir, aside); err != nil {
		return "", err
	}
	if err := rename(stage, dir); err != nil {
		if rerr := rename(aside, dir); rerr != nil {
			return "", fmt.Errorf("%w; moving the previous outputs back from %s also failed: %v", err, aside, rerr)
		}
		return "", err
	}
	return aside, nil
}

// rename is os.Rename; tests replace it to inject failures.
var rename = os.Rename

// errExchangeUnsupported says the platform or file system cannot swap two
// folders in one step.
var errExchangeUnsupported = errors.New("atomic exchange of folders not supported")
