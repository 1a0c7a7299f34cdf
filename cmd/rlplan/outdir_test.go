package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlanFolderFailureKeepsOldPlan: a failure while the new outputs are
// written (a full disk, a failing encoder) leaves the previous plan whole:
// every file as it was, no new file, nothing beside the folder. The plan
// written first is a real one (rlplan plan on Hainan without routes).
func TestPlanFolderFailureKeepsOldPlan(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "plan")
	scen := writeScenario(t, "regions: [CN-HI]\nsiting: {new_sites: 2, time_limit: 5s}\nroutes: {enabled: false}\n")
	if code, _, stderr := runInProcess(context.Background(), "plan", "--scenario", scen, "--out", dir); code != exitOK {
		t.Fatalf("plan: exit %d\n%s", code, stderr)
	}
	before := snapshot(t, dir)
	if len(before) != 16 {
		t.Fatalf("first plan wrote %d files, want 15 (4 of the capacity step) and the manifest", len(before))
	}
	boom := errors.New("no space left on device")
	files := map[string]func(io.Writer) error{}
	for name := range before {
		files[name] = func(w io.Writer) error { _, err := io.WriteString(w, "new "+name); return err }
	}
	delete(files, ".rlplan-manifest.json")
	files["routes.csv"] = func(w io.Writer) error { return nil }
	files["manifests/T0001.html"] = func(w io.Writer) error { io.WriteString(w, "<html>"); return boom }
	out := outFolder{dir: dir}
	err := out.write("plan", files)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), filepath.Join(dir, "manifests", "T0001.html")) {
		t.Fatalf("error %v, want the write error naming the file", err)
	}
	after := snapshot(t, dir)
	if len(after) != len(before) {
		t.Errorf("folder holds %d files after the failure, %d before", len(after), len(before))
	}
	for name, b := range before {
		if after[name] != b {
			t.Errorf("%s changed by a failed write", name)
		}
	}
	if es, _ := os.ReadDir(root); len(es) != 1 {
		t.Errorf("beside the folder: %v, want only the folder", es)
	}
}

// snapshot maps the files of a folder to their content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
