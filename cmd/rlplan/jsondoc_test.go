package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestJSONShapesDocumented runs the command of each section of
// docs/json.md and checks that the keys it prints are exactly the keys the
// section's example shows: no undocumented key, no documented key missing.
// A key written "<...>" in the example stands for data keys (reasons,
// folders). Sections reading ../shared/bench run when it is found.
func TestJSONShapesDocumented(t *testing.T) {
	if testing.Short() {
		t.Skip("runs small plans, a week of routes and a siting")
	}
	doc, err := os.ReadFile("../../docs/json.md")
	if err != nil {
		t.Fatal(err)
	}
	sections := regexp.MustCompile(`(?ms)^## (rlplan [a-z ]+)\n\n`+"`"+`([^`+"`"+`]+)`+"`"+`\n\n`+"```json\n(.*?)```").FindAllSubmatch(doc, -1)
	documented := map[string]bool{}
	shared := findShared()
	for _, s := range sections {
		name, line, example := string(s[1]), string(s[2]), s[3]
		documented[name] = true
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			if strings.Contains(line, "../shared/") && shared == "" {
				t.Skip("reads ../shared/bench, not found above the repository")
			}
			var want any
			if err := json.Unmarshal(example, &want); err != nil {
				t.Fatalf("docs/json.md %s: example is not JSON: %v", name, err)
			}
			base := t.TempDir()
			work := filepath.Join(base, "work")
			if err := os.Mkdir(work, 0o755); err != nil {
				t.Fatal(err)
			}
			if shared != "" {
				if err := os.Symlink(shared, filepath.Join(base, "shared")); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", line)
			cmd.Dir = work
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			// The JSON document is the output of the last command.
			i := strings.LastIndex(string(out), "\n{\n")
			if j := strings.LastIndex(string(out), "\n[\n"); j > i {
				i = j
			}
			var got any
			if err := json.Unmarshal(out[i+1:], &got); err != nil {
				t.Fatalf("%s: stdout is not one JSON document: %v\n%s", line, err, tail(string(out), 500))
			}
			wk := keyPaths(want, nil)
			gk := keyPaths(got, dataPaths(wk))
			var extra, missing []string
			for k := range gk {
				if !wk[k] {
					extra = append(extra, k)
				}
			}
			for k := range wk {
				if !gk[k] {
					missing = append(missing, k)
				}
			}
			sort.Strings(extra)
			sort.Strings(missing)
			if len(extra) > 0 || len(missing) > 0 {
				t.Errorf("%s: keys printed but not documented %v; documented but not printed %v", line, extra, missing)
			}
		})
	}
	// Every command with a JSON format has its section.
	for _, c := range commands() {
		if f := c.Flags().Lookup("format"); f != nil && strings.Contains(f.Usage, "json") && !documented[c.CommandPath()] {
			t.Errorf("%s prints JSON but docs/json.md has no \"## %s\" section", c.CommandPath(), c.CommandPath())
		}
	}
}

// keyPaths returns the paths of every key of a JSON value: .a.b for
// objects, .a[].b inside arrays. The keys of an object at a path of data
// (where the documentation writes "<...>") all become ".<data>".
func keyPaths(v any, data map[string]bool) map[string]bool {
	out := map[string]bool{}
	var walk func(v any, p string)
	walk = func(v any, p string) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if strings.HasPrefix(k, "<") || data[p] {
					k = "<data>"
				}
				out[p+"."+k] = true
				walk(e, p+"."+k)
			}
		case []any:
			for _, e := range x {
				walk(e, p+"[]")
			}
		}
	}
	walk(v, "")
	return out
}

// dataPaths returns the paths of the objects keyed by data in a
// documented example.
func dataPaths(doc map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k := range doc {
		if p, ok := strings.CutSuffix(k, ".<data>"); ok {
			out[p] = true
		}
	}
	return out
}
