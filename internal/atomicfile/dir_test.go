package atomicfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// tree is a folder's files by slash path (the manifest included) with their
// content; symbolic links are "-> target".
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return out
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			if rel != "." {
				out[rel+"/"] = ""
			}
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			out[rel] = "-> " + target
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[rel] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func set(kv ...string) map[string]func(io.Writer) error {
	m := map[string]func(io.Writer) error{}
	for i := 0; i+1 < len(kv); i += 2 {
		content := kv[i+1]
		m[kv[i]] = func(w io.Writer) error { _, err := io.WriteString(w, content); return err }
	}
	return m
}

// withoutManifest drops the manifest from a tree, for comparisons of data.
func withoutManifest(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if k != ManifestName {
			out[k] = v
		}
	}
	return out
}

func manifestOf(t *testing.T, dir string) *Manifest {
	t.Helper()
	m, err := readManifest(dir)
	if err != nil || m == nil {
		t.Fatalf("manifest of %s: %v, %v", dir, m, err)
	}
	return m
}

// parentClean checks that no staging or old folder is left beside dir.
func parentClean(t *testing.T, dir string) {
	t.Helper()
	es, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if strings.Contains(e.Name(), ".new-") || strings.Contains(e.Name(), ".old-") {
			t.Errorf("left behind beside %s: %s", dir, e.Name())
		}
	}
}

func TestWriteDirNewEmptyAndReplace(t *testing.T) {
	for _, start := range []string{"absent", "empty"} {
		t.Run(start, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out", "plan")
			if start == "empty" {
				if err := os.MkdirAll(dir, 0o750); err != nil {
					t.Fatal(err)
				}
			}
			if err := WriteDir(dir, set("kpis.json", "{}", "routes.csv", "a,b\n", "manifests/T1.html", "<p>"), Options{By: "plan"}); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"kpis.json": "{}", "routes.csv": "a,b\n", "manifests/": "", "manifests/T1.html": "<p>"}
			if got := withoutManifest(tree(t, dir)); !reflect.DeepEqual(got, want) {
				t.Errorf("folder holds %v, want %v", got, want)
			}
			m := manifestOf(t, dir)
			if len(m.Files) != 3 || m.Files[0].Path != "kpis.json" || !m.Files[0].Set || m.Files[0].By != "plan" {
				t.Errorf("manifest files %+v, want the 3 outputs sorted, in the set, by plan", m.Files)
			}
			if fi, _ := os.Stat(dir); start == "empty" && fi.Mode().Perm() != 0o750 {
				t.Errorf("folder mode %v, want the existing 0750 kept", fi.Mode().Perm())
			}
			// A second set without routes (routes switched off) and without
			// the sub-folder removes them: no stale tables beside new KPIs.
			if err := WriteDir(dir, set("kpis.json", "{\"v\":2}", "sites.csv", "x\n"), Options{By: "plan"}); err != nil {
				t.Fatal(err)
			}
			want = map[string]string{"kpis.json": "{\"v\":2}", "sites.csv": "x\n"}
			if got := withoutManifest(tree(t, dir)); !reflect.DeepEqual(got, want) {
				t.Errorf("after the second set the folder holds %v, want %v", got, want)
			}
			parentClean(t, dir)
		})
	}
}

func TestWriteDirRefusesUserFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := os.MkdirAll(filepath.Join(dir, "notes"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "report.md"), []byte("my own report"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes", "a.txt"), []byte("mine"), 0o644)
	before := tree(t, dir)
	err := WriteDir(dir, set("report.md", "# rlplan", "kpis.json", "{}"), Options{By: "plan"})
	var fe *ForeignError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v, want a *ForeignError", err)
	}
	for _, want := range []string{dir, "report.md (not written by rlplan)", "notes/a.txt", "--force"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if got := tree(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("a refused write changed the folder: %v, was %v", got, before)
	}
	parentClean(t, dir)

	// With Force the user's file in the way is replaced and the others kept.
	if err := WriteDir(dir, set("report.md", "# rlplan", "kpis.json", "{}"), Options{By: "plan", Force: true}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"report.md": "# rlplan", "kpis.json": "{}", "notes/": "", "notes/a.txt": "mine"}
	if got := withoutManifest(tree(t, dir)); !reflect.DeepEqual(got, want) {
		t.Errorf("forced write: folder holds %v, want %v", got, want)
	}
	// The kept file is still the user's: the next run asks again.
	if err := WriteDir(dir, set("kpis.json", "{}"), Options{By: "plan"}); !errors.As(err, &fe) || len(fe.Files) != 1 || fe.Files[0].Path != "notes/a.txt" {
		t.Errorf("rerun over a kept user file: %v, want a refusal naming notes/a.txt", err)
	}
}

func TestWriteDirChangedFileIsTheUsers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteDir(dir, set("report.md", "# rlplan"), Options{By: "plan"}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "report.md"), []byte("# rlplan\nmy notes"), 0o644)
	err := WriteDir(dir, set("report.md", "# rlplan 2"), Options{By: "plan"})
	if err == nil || !strings.Contains(err.Error(), "report.md (changed since rlplan wrote it)") {
		t.Errorf("error %v, want report.md named as changed since written", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "report.md")); string(b) != "# rlplan\nmy notes" {
		t.Errorf("the edited report was replaced: %q", b)
	}
}

func TestWriteDirBadManifestIsNotTrusted(t *testing.T) {
	for name, content := range map[string]string{
		"not json":      "{",
		"other tool":    `{"written_by":"other","manifest_version":1,"rlplan_version":"","files":[],"about":""}`,
		"later version": `{"written_by":"rlplan","manifest_version":99,"rlplan_version":"","files":[],"about":""}`,
		"escapes":       `{"written_by":"rlplan","manifest_version":1,"rlplan_version":"","files":[{"path":"../x","sha256":"","by":""}],"about":""}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, ManifestName), []byte(content), 0o644)
			err := WriteDir(dir, set("a.csv", "x"), Options{By: "plan"})
			var fe *ForeignError
			if !errors.As(err, &fe) || fe.Files[0].Path != ManifestName {
				t.Errorf("error %v, want the untrusted manifest reported as the user's file", err)
			}
		})
	}
}

func TestWriteDirFailureLeavesOldSet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteDir(dir, set("a.csv", "old a", "b.csv", "old b"), Options{By: "plan"}); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	boom := errors.New("disk full")
	files := set("a.csv", "new a", "c.csv", "new c")
	files["b.csv"] = func(w io.Writer) error { io.WriteString(w, strings.Repeat("x", 100000)); return boom }
	if err := WriteDir(dir, files, Options{By: "plan"}); !errors.Is(err, boom) || !strings.Contains(err.Error(), "b.csv") {
		t.Errorf("error %v, want the write error naming b.csv", err)
	}
	if got := tree(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("after a failed write the folder holds %v, want the old set %v", got, before)
	}
	parentClean(t, dir)
}

func TestWriteDirSwapFailures(t *testing.T) {
	defer func(e func(a, b string) error, r func(a, b string) error) { exchange, rename = e, r }(exchange, rename)
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteDir(dir, set("a.csv", "old"), Options{By: "plan"}); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	// The exchange itself fails (say EXDEV): nothing moved.
	exchange = func(a, b string) error { return errors.New("injected exchange failure") }
	if err := WriteDir(dir, set("a.csv", "new"), Options{By: "plan"}); err == nil || !strings.Contains(err.Error(), "previous outputs are left") {
		t.Errorf("error %v, want the swap failure", err)
	}
	if got := tree(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("after a failed exchange the folder holds %v, want %v", got, before)
	}
	parentClean(t, dir)

	// Without exchange: the second rename fails and the old folder returns.
	exchange = func(a, b string) error { return errExchangeUnsupported }
	calls := 0
	rename = func(a, b string) error {
		calls++
		if calls == 2 {
			return errors.New("injected rename failure")
		}
		return os.Rename(a, b)
	}
	if err := WriteDir(dir, set("a.csv", "new"), Options{By: "plan"}); err == nil || !strings.Contains(err.Error(), "injected rename failure") {
		t.Errorf("error %v, want the rename failure", err)
	}
	if got := tree(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("after a failed second rename the folder holds %v, want %v", got, before)
	}
	parentClean(t, dir)

	// Without exchange and without failures the two renames do the swap.
	rename = os.Rename
	if err := WriteDir(dir, set("a.csv", "new"), Options{By: "plan"}); err != nil {
		t.Fatal(err)
	}
	if got := withoutManifest(tree(t, dir)); !reflect.DeepEqual(got, map[string]string{"a.csv": "new"}) {
		t.Errorf("folder holds %v after the two-rename swap", got)
	}
	parentClean(t, dir)
}

func TestWriteDirKeepsSingleOutputs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteDir(dir, set("kpis.json", "{}"), Options{By: "plan"}); err != nil {
		t.Fatal(err)
	}
	if err := WriteOwned(filepath.Join(dir, "density.csv"), set("x", "h3\n")["x"], Options{By: "density"}); err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(dir, set("kpis.json", "{\"v\":2}"), Options{By: "plan"}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"kpis.json": "{\"v\":2}", "density.csv": "h3\n"}
	if got := withoutManifest(tree(t, dir)); !reflect.DeepEqual(got, want) {
		t.Errorf("folder holds %v, want %v (density.csv was written by rlplan density, not by the plan set)", got, want)
	}
	var single *ManifestEntry
	for _, e := range manifestOf(t, dir).Files {
		if e.Path == "density.csv" {
			single = &e
		}
	}
	if single == nil || single.Set || single.By != "density" {
		t.Errorf("manifest entry of density.csv %+v, want kept outside the set, by density", single)
	}
}

func TestWriteDirThroughSymlink(t *testing.T) {
	root := t.TempDir()
	real := filepath.Join(root, "real")
	if err := WriteDir(real, set("a.csv", "1"), Options{By: "plan"}); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if err := WriteDir(link, set("a.csv", "2"), Options{By: "plan"}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi, err)
	}
	if b, _ := os.ReadFile(filepath.Join(real, "a.csv")); string(b) != "2" {
		t.Errorf("the linked folder holds %q, want the new set", b)
	}
}

func TestWriteDirRejectsBadPaths(t *testing.T) {
	dir := t.TempDir()
	for _, files := range []map[string]func(io.Writer) error{
		set("../x.csv", ""), set("/abs.csv", ""), set("a//b.csv", ""), set(ManifestName, ""),
		set("a", "", "a/b.csv", ""), set(`a\b.csv`, ""),
	} {
		if err := WriteDir(dir, files, Options{}); err == nil {
			t.Errorf("WriteDir accepted %v", keys(files))
		}
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Errorf("rejected sets wrote %v", es)
	}
	f := filepath.Join(dir, "file")
	os.WriteFile(f, nil, 0o644)
	if err := WriteDir(f, set("a", ""), Options{}); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("WriteDir over a file: %v, want 'not a folder'", err)
	}
}

func keys(m map[string]func(io.Writer) error) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// TestWriteDirProperty runs random sequences of output sets, user edits and
// injected failures on one folder and checks after every step: a failed or
// refused write leaves the folder exactly as it was; a successful one leaves
// exactly the new set, rlplan's single outputs and (under Force) the user's
// files not in the way; no user file is ever lost without Force; nothing is
// left beside the folder.
func TestWriteDirProperty(t *testing.T) {
	defer func(e func(a, b string) error, r func(a, b string) error) { exchange, rename = e, r }(exchange, rename)
	rng := rand.New(rand.NewPCG(15, 1))
	paths := []string{"kpis.json", "routes.csv", "m/T1.html", "m/T2.html", "m/sub/x.csv", "report.md"}
	seqs := 40
	if testing.Short() {
		seqs = 10
	}
	outcomes := map[string]int{}
	for seq := 0; seq < seqs; seq++ {
		dir := filepath.Join(t.TempDir(), "out")
		user := map[string]string{} // the user's files and content
		for step := 0; step < 12; step++ {
			exchange, rename = exchangeReal, os.Rename
			before := tree(t, dir)
			switch rng.IntN(4) {
			case 0: // the user adds or edits a file
				p := paths[rng.IntN(len(paths))]
				if rng.IntN(2) == 0 {
					p = fmt.Sprintf("mine%d.txt", rng.IntN(3))
				}
				full := filepath.Join(dir, filepath.FromSlash(p))
				if fi, err := os.Stat(filepath.Dir(full)); err == nil && !fi.IsDir() {
					continue
				}
				if fi, err := os.Stat(full); err == nil && fi.IsDir() {
					continue
				}
				os.MkdirAll(filepath.Dir(full), 0o755)
				c := fmt.Sprintf("user %d %d", seq, step)
				if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
					t.Fatal(err)
				}
				user[p] = c
				continue
			case 1: // a failure during the write or the swap
				switch rng.IntN(3) {
				case 0:
					exchange = func(a, b string) error { return errors.New("injected") }
				case 1:
					exchange = func(a, b string) error { return errExchangeUnsupported }
					n := 0
					rename = func(a, b string) error {
						if n++; n == 2 {
							return errors.New("injected")
						}
						return os.Rename(a, b)
					}
				}
			}
			files := map[string]func(io.Writer) error{}
			want := map[string]string{}
			for _, p := range paths {
				if rng.IntN(2) == 0 {
					c := fmt.Sprintf("rlplan %d %d %s", seq, step, p)
					want[p] = c
					files[p] = func(w io.Writer) error { _, err := io.WriteString(w, c); return err }
				}
			}
			failWrite := rng.IntN(6) == 0 && len(files) > 0
			if failWrite {
				for p := range files {
					files[p] = func(w io.Writer) error { return errors.New("injected write") }
					break
				}
			}
			force := rng.IntN(3) == 0
			err := WriteDir(dir, files, Options{By: "plan", Force: force})
			after := tree(t, dir)
			parentClean(t, dir)
			if err != nil {
				if !reflect.DeepEqual(after, before) {
					t.Fatalf("seq %d step %d: failed write (%v) changed the folder:\n%v\nwas\n%v", seq, step, err, after, before)
				}
				var fe *ForeignError
				outcomes[fmt.Sprintf("refused %v", errors.As(err, &fe))]++
				if errors.As(err, &fe) && (force || len(user) == 0) {
					t.Fatalf("seq %d step %d: refusal %v with force=%v and user files %v", seq, step, err, force, user)
				}
				if !errors.As(err, &fe) && len(user) > 0 && !force {
					t.Fatalf("seq %d step %d: user files %v present without force, but the error was %v", seq, step, user, err)
				}
				continue
			}
			if len(user) > 0 && !force {
				t.Fatalf("seq %d step %d: wrote over user files %v without force", seq, step, user)
			}
			outcomes[fmt.Sprintf("written with user files %v", len(user) > 0)]++
			// Kept user files: those not in the way of the new set.
			for p, c := range user {
				if _, inWay := want[p]; inWay || blockedBy(p, want) {
					delete(user, p)
					continue
				}
				want[p] = c
			}
			got := map[string]string{}
			for k, v := range withoutManifest(after) {
				if !strings.HasSuffix(k, "/") {
					got[k] = v
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seq %d step %d: folder holds %v, want %v", seq, step, got, want)
			}
		}
	}
	for _, o := range []string{"refused true", "refused false", "written with user files true", "written with user files false"} {
		if outcomes[o] == 0 {
			t.Errorf("no step ended %q (outcomes %v): the sequences miss a case", o, outcomes)
		}
	}
}

// blockedBy reports whether a path lies under a file of the set.
func blockedBy(p string, set map[string]string) bool {
	for d := filepath.ToSlash(filepath.Dir(p)); d != "."; d = filepath.ToSlash(filepath.Dir(d)) {
		if _, ok := set[d]; ok {
			return true
		}
	}
	return false
}

var exchangeReal = exchange

func TestManifestIsDeterministic(t *testing.T) {
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	for _, d := range []string{a, b} {
		if err := WriteDir(d, set("z.csv", "1", "a.csv", "2", "m/x", "3"), Options{By: "plan"}); err != nil {
			t.Fatal(err)
		}
	}
	ma, _ := os.ReadFile(filepath.Join(a, ManifestName))
	mb, _ := os.ReadFile(filepath.Join(b, ManifestName))
	if string(ma) != string(mb) {
		t.Errorf("two identical sets give different manifests:\n%s\n%s", ma, mb)
	}
	var m Manifest
	if err := json.Unmarshal(ma, &m); err != nil || m.Files[0].Path != "a.csv" || m.Files[2].Path != "z.csv" {
		t.Errorf("manifest %s: files not sorted (%v)", ma, err)
	}
}

// TestWriteDirCurrentFolder: "--out ." (or a folder above the working
// one) is refused, with the way out: swapping it would leave the user's
// shell in a deleted folder.
func TestWriteDirCurrentFolder(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "here")
	if err := WriteDir(dir, set("a.csv", "1"), Options{By: "plan"}); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	t.Chdir(sub)
	for _, d := range []string{".", "..", dir} {
		err := WriteDir(d, set("a.csv", "2"), Options{By: "plan"})
		if err == nil || !strings.Contains(err.Error(), "current folder, which rlplan cannot replace whole; write into a sub-folder") {
			t.Errorf("WriteDir(%q) from inside: %v, want a refusal", d, err)
		}
	}
	before["sub/"] = ""
	if got := tree(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("folder changed: %v", got)
	}
	// A sub-folder of the working folder is fine.
	if err := WriteDir("out", set("a.csv", "3"), Options{By: "plan"}); err != nil {
		t.Errorf("WriteDir(out): %v", err)
	}
	parentClean(t, filepath.Join(sub, "out"))
}

// TestWriteDirAdd: files added to a plan folder (manifests, reconcile
// results) keep the plan's set and the user's other files; only a user's
// file at a path written needs Force; a new set then replaces the added
// files with the rest.
func TestWriteDirAdd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "plan")
	if err := WriteDir(dir, set("kpis.json", "{}", "routes.csv", "a\n"), Options{By: "plan"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "scans.csv"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(dir, set("discrepancies.csv", "d\n"), Options{By: "reconcile", Add: true}); err != nil {
		t.Fatalf("adding beside a user's file not in the way: %v", err)
	}
	want := map[string]string{"kpis.json": "{}", "routes.csv": "a\n", "scans.csv": "mine\n", "discrepancies.csv": "d\n"}
	if got := withoutManifest(tree(t, dir)); !reflect.DeepEqual(got, want) {
		t.Errorf("after adding the folder holds %v, want %v", got, want)
	}
	var fe *ForeignError
	if err := WriteDir(dir, set("scans.csv", "sim\n"), Options{By: "trace", Add: true}); !errors.As(err, &fe) || len(fe.Files) != 1 || fe.Files[0].Path != "scans.csv" {
		t.Fatalf("adding over the user's scans.csv: %v, want a ForeignError naming scans.csv only", err)
	}
	if got := withoutManifest(tree(t, dir)); !reflect.DeepEqual(got, want) {
		t.Errorf("a refused add changed the folder: %v", got)
	}
	if err := WriteDir(dir, set("scans.csv", "sim\n"), Options{By: "trace", Add: true, Force: true}); err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(dir, set("kpis.json", "{\"v\":2}"), Options{By: "plan", Force: true}); err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"kpis.json": "{\"v\":2}"}
	if got := withoutManifest(tree(t, dir)); !reflect.DeepEqual(got, want) {
		t.Errorf("a new set after adds leaves %v, want only %v", got, want)
	}
}
