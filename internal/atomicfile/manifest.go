package atomicfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
)

// ManifestName is the file, in a folder, that lists the files rlplan wrote
// there. A file it lists, whose content still has the recorded SHA-256, is
// rlplan's own and may be replaced; any other file is the user's.
const ManifestName = ".rlplan-manifest.json"

// ManifestVersion is the version of the manifest format this package writes
// and reads. A manifest of a later version is not trusted (its files count as
// the user's): it may list files in a way this version does not understand.
const ManifestVersion = 1

// Manifest is the content of ManifestName.
type Manifest struct {
	WrittenBy       string `json:"written_by"` // always "rlplan"
	ManifestVersion int    `json:"manifest_version"`
	// Version is the rlplan build that last wrote to the folder.
	Version string `json:"rlplan_version"`
	// Files are the files rlplan wrote in the folder, sorted by path.
	Files []ManifestEntry `json:"files"`
	// About tells a reader of the folder what the file is for.
	About string `json:"about"`
}

// ManifestEntry is one file rlplan wrote.
type ManifestEntry struct {
	// Path is relative to the folder, with '/' separators.
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	// By is the command that wrote the file ("plan", "density").
	By string `json:"by"`
	// Set marks the files of a folder's output set (WriteDir): the next set
	// written into the folder replaces all of them, and removes those it
	// does not write again. Files written one by one (WriteOwned) are not
	// part of the set and are kept.
	Set bool `json:"set,omitempty"`
}

const manifestAbout = "Files rlplan wrote in this folder, with their SHA-256. rlplan replaces only these " +
	"(when unchanged) and refuses to touch any other file without --force. Delete this file to make " +
	"rlplan treat every file here as yours."

// Version returns the version of the running rlplan build: the module
// version, or "devel" with the VCS revision when built from a checkout.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	return v
}

// readManifest reads dir's manifest. It returns (nil, nil) when there is
// none, and an error when one exists but cannot be trusted (unreadable, not
// a manifest, a later format): its files then count as the user's.
func readManifest(dir string) (*Manifest, error) {
	b, err := readLimited(filepath.Join(dir, ManifestName), maxManifestBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s is not an rlplan manifest: %v", ManifestName, err)
	}
	if m.WrittenBy != "rlplan" {
		return nil, fmt.Errorf("%s was not written by rlplan (written_by %q)", ManifestName, m.WrittenBy)
	}
	if m.ManifestVersion != ManifestVersion {
		return nil, fmt.Errorf("%s has format version %d; this rlplan (%s) reads version %d", ManifestName, m.ManifestVersion, Version(), ManifestVersion)
	}
	for _, e := range m.Files {
		if err := checkRelPath(e.Path); err != nil {
			return nil, fmt.Errorf("%s lists %q: %v", ManifestName, e.Path, err)
		}
	}
	return &m, nil
}

// maxManifestBytes bounds the manifest a folder may hold (about 100,000
// entries); a larger one is not rlplan's.
const maxManifestBytes = 32 << 20

func readLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, max)
	}
	return b, nil
}

// encode renders the manifest with its entries sorted, so identical runs
// give identical bytes.
func (m *Manifest) encode() ([]byte, error) {
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	m.WrittenBy, m.ManifestVersion, m.About = "rlplan", ManifestVersion, manifestAbout
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func (m *Manifest) byPath() map[string]ManifestEntry {
	out := map[string]ManifestEntry{}
	if m == nil {
		return out
	}
	for _, e := range m.Files {
		out[e.Path] = e
	}
	return out
}

// fileSHA256 returns the hex SHA-256 of a file's content.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkRelPath accepts a clean, relative, slash-separated path inside the
// folder.
func checkRelPath(p string) error {
	switch {
	case p == "" || p == ".":
		return errors.New("empty path")
	case strings.HasPrefix(p, "/") || filepath.IsAbs(p):
		return errors.New("absolute path")
	case strings.Contains(p, `\`):
		return errors.New("backslash in path (use '/')")
	case p != pathClean(p):
		return errors.New("not a clean path")
	case p == ".." || strings.HasPrefix(p, "../"):
		return errors.New("path leaves the folder")
	}
	return nil
}

func pathClean(p string) string { return filepath.ToSlash(filepath.Clean(filepath.FromSlash(p))) }
