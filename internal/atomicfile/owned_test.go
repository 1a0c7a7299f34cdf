package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func TestWriteOwned(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "density.csv")
	if err := WriteOwned(p, write("v1"), Options{By: "density"}); err != nil {
		t.Fatal(err)
	}
	// rlplan's own unchanged file is replaced without --force.
	if err := WriteOwned(p, write("v2"), Options{By: "density"}); err != nil {
		t.Fatalf("rewriting rlplan's own file: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "v2" {
		t.Errorf("file holds %q, want v2", b)
	}
	m := manifestOf(t, dir)
	if len(m.Files) != 1 || m.Files[0].Path != "density.csv" || m.Files[0].Set || m.Files[0].By != "density" {
		t.Errorf("manifest %+v, want one entry density.csv by density outside any set", m.Files)
	}
	// Edited by the user: refused, kept.
	os.WriteFile(p, []byte("edited"), 0o644)
	err := WriteOwned(p, write("v3"), Options{By: "density"})
	var fe *ForeignError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "was changed since rlplan wrote it") || !strings.Contains(err.Error(), "--force") {
		t.Errorf("error %v, want a refusal saying the file changed, pointing at --force", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "edited" {
		t.Errorf("the edited file was replaced: %q", b)
	}
	// A file rlplan never wrote: refused; with Force, replaced and owned.
	q := filepath.Join(dir, "mine.csv")
	os.WriteFile(q, []byte("mine"), 0o644)
	if err := WriteOwned(q, write("x"), Options{By: "forecast"}); !errors.As(err, &fe) || !strings.Contains(err.Error(), "exists and rlplan did not write it") {
		t.Errorf("error %v, want a refusal", err)
	}
	if err := WriteOwned(q, write("x"), Options{By: "forecast", Force: true}); err != nil {
		t.Fatal(err)
	}
	if err := WriteOwned(q, write("y"), Options{By: "forecast"}); err != nil {
		t.Errorf("after a forced write the file is rlplan's: %v", err)
	}
	if len(manifestOf(t, dir).Files) != 2 {
		t.Errorf("manifest %+v, want density.csv and mine.csv", manifestOf(t, dir).Files)
	}
}

func TestWriteOwnedSpecialTargets(t *testing.T) {
	if err := WriteOwned(os.DevNull, write("discarded"), Options{}); err != nil {
		t.Errorf("writing to %s: %v", os.DevNull, err)
	}
	dir := t.TempDir()
	if err := WriteOwned(dir, write("x"), Options{}); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("writing over a folder: %v", err)
	}
	// An unreadable manifest: the file is written under Force but not recorded.
	os.WriteFile(filepath.Join(dir, ManifestName), []byte("{"), 0o644)
	p := filepath.Join(dir, "a.csv")
	if err := WriteOwned(p, write("1"), Options{}); err != nil {
		t.Fatalf("a new file beside an unreadable manifest: %v", err)
	}
	if err := WriteOwned(p, write("2"), Options{}); err == nil || !strings.Contains(err.Error(), "not an rlplan manifest") {
		t.Errorf("error %v, want the untrusted manifest named", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ManifestName)); string(b) != "{" {
		t.Errorf("the unreadable manifest was replaced: %q", b)
	}
}
