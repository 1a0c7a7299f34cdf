package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// These tests walk the whole command tree, so a command added to the tree
// is covered without touching them: every command has an example; every
// example parses (known command, known flags, right number of arguments);
// with RLPLAN_EXAMPLES=1 every example runs as written, in a shell, on the
// embedded data; every input flag of a command is read (a missing file
// fails the run naming it); and input flags are the shared ones.

// commands returns every visible command of a fresh tree with its path.
func commands() []*cobra.Command {
	root := newRootCmd(&app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard})
	var out []*cobra.Command
	walk(root, func(c *cobra.Command) {
		if !c.Hidden {
			out = append(out, c)
		}
	})
	return out
}

// exampleLines returns the command lines of an Example, one per line.
func exampleLines(c *cobra.Command) []string {
	var out []string
	for _, l := range strings.Split(c.Example, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// shellWords splits a line as sh would for the simple lines examples use:
// words, '…' and "…" quotes, the operators && || ; | and redirections
// (>, >>, <, 2>) as words of their own.
func shellWords(line string) []string {
	var out []string
	var w strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			out = append(out, w.String())
			w.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case ch == '\'' || ch == '"':
			j := strings.IndexByte(line[i+1:], ch)
			if j < 0 {
				j = len(line) - i - 1
			}
			w.WriteString(line[i+1 : i+1+j])
			inWord = true
			i += j + 1
		case ch == ' ' || ch == '\t':
			flush()
		case strings.IndexByte("&|;<>", ch) >= 0:
			if w.String() == "2" && ch == '>' {
				w.Reset()
				inWord = false
			}
			flush()
			op := string(ch)
			for i+1 < len(line) && strings.IndexByte("&|>", line[i+1]) >= 0 {
				i++
				op += string(line[i])
			}
			out = append(out, op)
		default:
			w.WriteByte(ch)
			inWord = true
		}
	}
	flush()
	return out
}

// invocations returns the argument lists of the rlplan commands of a line,
// without redirections.
func invocations(line string) [][]string {
	var out [][]string
	var cur []string
	skip := false
	for _, w := range append(shellWords(line), ";") {
		switch w {
		case "&&", "||", ";", "|":
			if len(cur) > 0 && cur[0] == "rlplan" {
				out = append(out, cur[1:])
			}
			cur, skip = nil, false
		case ">", ">>", "<":
			skip = true
		default:
			if skip {
				skip = false
				continue
			}
			cur = append(cur, w)
		}
	}
	return out
}

// parseInvocation finds the command of args in a fresh tree and parses its
// flags and arguments as cobra would, without running it.
func parseInvocation(args []string) (*cobra.Command, error) {
	root := newRootCmd(&app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard})
	c, rest, err := root.Find(args)
	if err != nil {
		return nil, err
	}
	if err := c.ParseFlags(rest); err != nil {
		return c, err
	}
	if err := c.ValidateArgs(c.Flags().Args()); err != nil {
		return c, err
	}
	return c, c.ValidateRequiredFlags()
}

func TestEveryCommandHasAnExample(t *testing.T) {
	n := 0
	for _, c := range commands() {
		n++
		lines := exampleLines(c)
		if len(lines) == 0 {
			t.Errorf("%s has no example: set Example on the command (a line that runs as written on the embedded data)", c.CommandPath())
			continue
		}
		own := false
		for _, l := range lines {
			inv := invocations(l)
			if len(inv) == 0 {
				t.Errorf("%s: example %q runs no rlplan command", c.CommandPath(), l)
			}
			for _, args := range inv {
				got, err := parseInvocation(args)
				if err != nil {
					t.Errorf("%s: example %q: rlplan %s: %v", c.CommandPath(), l, strings.Join(args, " "), err)
					continue
				}
				own = own || got == nil || got.CommandPath() == c.CommandPath()
			}
		}
		if c.Runnable() && !own {
			t.Errorf("%s: no example runs %s itself", c.CommandPath(), c.CommandPath())
		}
	}
	if n < 20 {
		t.Errorf("walked %d commands; the tree has at least 20", n)
	}
}

func TestShellWords(t *testing.T) {
	got := invocations(`rlplan datasets export data && rlplan plan --outlets 'my file.csv' --out "out/x" > log.txt; mkdir -p d 2>/dev/null | rlplan completion bash >> f`)
	want := "datasets export data|plan --outlets my file.csv --out out/x|completion bash"
	var parts []string
	for _, a := range got {
		parts = append(parts, strings.Join(a, " "))
	}
	if g := strings.Join(parts, "|"); g != want {
		t.Errorf("invocations = %q, want %q", g, want)
	}
}

// findShared looks for the shared benchmark folder (../shared/bench from a
// checkout at /work/main) above the repository.
func findShared() string {
	dir, err := filepath.Abs("../..")
	if err != nil {
		return ""
	}
	for d := dir; ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "shared", "bench")); err == nil && st.IsDir() {
			return filepath.Join(d, "shared")
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// TestExamplesRun runs every example line of every command as written, in
// bash, in a fresh folder per command (lines of one command share it, so
// a line may use what an earlier one wrote), with rlplan on PATH (this
// test binary, see TestMain) and HOME in the folder. Examples that read
// ../shared/bench run when that folder is found above the repository. It
// takes minutes (national plans, siting, weeks of routes), so it runs on
// request:
//
//	RLPLAN_EXAMPLES=1 go test -run ExamplesRun -v -timeout 30m ./cmd/rlplan
func TestExamplesRun(t *testing.T) {
	if os.Getenv("RLPLAN_EXAMPLES") == "" {
		t.Skip("set RLPLAN_EXAMPLES=1 to run every example of every command (minutes)")
	}
	if _, err := exec.LookPath("rlplan"); err != nil {
		t.Fatalf("rlplan is not on PATH: TestMain should put this binary there (%v)", err)
	}
	shared := findShared()
	leads := newLeadCache(t.TempDir(), commands())
	for i, c := range commands() {
		lines := exampleLines(c)
		t.Run(strings.ReplaceAll(c.CommandPath(), " ", "_"), func(t *testing.T) {
			if strings.Contains(c.Example, "../shared/") && shared == "" {
				t.Skipf("the example reads ../shared/bench, not found above the repository")
			}
			for p := c; p != nil; p = p.Parent() {
				if needs := p.Annotations[annotationExampleNeeds]; needs != "" {
					t.Skipf("the example needs %s", needs)
				}
			}
			// Each command's examples run in their own folders: the
			// commands run side by side (most runs use one core).
			t.Parallel()
			base := filepath.Join(t.TempDir(), "ex")
			work, home := filepath.Join(base, "work"), filepath.Join(base, "home")
			for _, d := range []string{work, home} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if shared != "" {
				if err := os.Symlink(shared, filepath.Join(base, "shared")); err != nil {
					t.Fatal(err)
				}
			}
			for _, l := range lines {
				if childRuns(c, l) {
					t.Logf("%-60.60s (run by a subcommand's examples)", l)
					continue
				}
				start := time.Now()
				rest, err := leads.run(l, work, home)
				if err != nil {
					t.Errorf("%s: example %q failed: %v", c.CommandPath(), l, err)
					continue
				}
				if rest != "" {
					if out, err := runExample(rest, work, home); err != nil {
						t.Errorf("%s: example %q failed (%v):\n%s", c.CommandPath(), l, err, tail(string(out), 1500))
						continue
					}
				}
				t.Logf("%-60.60s %6.1f s", l, time.Since(start).Seconds())
			}
		})
		_ = i
	}
}

// runExample runs one example line in bash in folder work with HOME home.
func runExample(line, work, home string) ([]byte, error) {
	cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", line)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "HOME="+home)
	return cmd.CombinedOutput()
}

// leadCache runs once the leading command that several example lines share
// ("rlplan plan --region CN-SH --out out/sh && rlplan check out/sh", and
// the same plan before trace simulate, manifests, reconcile, ...; a plan
// of Shanghai is about 20 s): the first line to need it runs it in a
// folder of its own, and every line, that one included, starts from a copy
// of what it wrote and runs the rest. The plan is deterministic on the
// embedded data (TestPlanDeterministic), so the copy is what running it
// again would write.
type leadCache struct {
	root   string
	shared map[string]bool // leading commands of two or more lines
	mu     sync.Mutex
	runs   map[string]*leadRun
}

type leadRun struct {
	once sync.Once
	dir  string // the folder the command ran in
	err  error
}

// newLeadCache finds the leading commands (up to the first " && ") that
// more than one example line of cmds starts with (and that read nothing
// outside their folder).
func newLeadCache(root string, cmds []*cobra.Command) *leadCache {
	count := map[string]int{}
	seen := map[string]bool{}
	for _, c := range cmds {
		for _, l := range exampleLines(c) {
			if lead, _, ok := strings.Cut(l, " && "); ok && !seen[l] && !strings.Contains(lead, "../") {
				seen[l] = true
				count[lead]++
			}
		}
	}
	lc := &leadCache{root: root, shared: map[string]bool{}, runs: map[string]*leadRun{}}
	for lead, n := range count {
		if n > 1 {
			lc.shared[lead] = true
		}
	}
	return lc
}

// run prepares example line l in folder work: when its leading command is
// a shared one, work receives a copy of what that command wrote (run once)
// and run returns the rest of the line; otherwise it returns l unchanged.
func (lc *leadCache) run(l, work, home string) (string, error) {
	lead, rest, ok := strings.Cut(l, " && ")
	if !ok || !lc.shared[lead] {
		return l, nil
	}
	lc.mu.Lock()
	r := lc.runs[lead]
	if r == nil {
		r = &leadRun{dir: filepath.Join(lc.root, strconv.Itoa(len(lc.runs)))}
		lc.runs[lead] = r
	}
	lc.mu.Unlock()
	r.once.Do(func() {
		if r.err = os.MkdirAll(r.dir, 0o755); r.err != nil {
			return
		}
		if out, err := runExample(lead, r.dir, home); err != nil {
			r.err = fmt.Errorf("%q (%v):\n%s", lead, err, tail(string(out), 1500))
		}
	})
	if r.err != nil {
		return "", r.err
	}
	// What the command wrote replaces what an earlier line of the same
	// command left under those names, as running it again would.
	ents, err := os.ReadDir(r.dir)
	if err != nil {
		return "", err
	}
	for _, e := range ents {
		if err := os.RemoveAll(filepath.Join(work, e.Name())); err != nil {
			return "", err
		}
	}
	if err := os.CopyFS(work, os.DirFS(r.dir)); err != nil {
		return "", fmt.Errorf("copying what %q wrote: %v", lead, err)
	}
	return rest, nil
}

// childRuns reports whether a subcommand of c (at any depth) has line l
// among its examples: a parent that repeats its children's examples (the
// root's `rlplan plan`, bench's, trace's) leaves the run to the child.
func childRuns(c *cobra.Command, l string) bool {
	for _, sub := range c.Commands() {
		if !sub.Hidden && (slices.Contains(exampleLines(sub), l) || childRuns(sub, l)) {
			return true
		}
	}
	return false
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// TestInputFlagsAreShared checks that a flag named like an input (stock,
// outlets, roads, …) is the shared one from inputs.go on every command:
// same meaning, same completion, and covered by TestInputFlagsAreRead.
func TestInputFlagsAreShared(t *testing.T) {
	names := map[string]bool{}
	for _, d := range inputFlagDefs {
		names[d.name] = true
	}
	for _, c := range commands() {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if _, ok := f.Annotations[annotationInput]; names[f.Name] && !ok {
				t.Errorf("%s --%s is not registered through inputFlags (inputs.go)", c.CommandPath(), f.Name)
			}
		})
	}
}

// TestInputFlagsAreRead runs, for every command with input flags, its
// first example with each input flag pointing at a missing file: the run
// must stop with exit code 3 (bad input) and name the file, proving the
// command reads what its flag offers. A command that reads an input only
// after minutes of work fails here after the timeout: read inputs first.
func TestInputFlagsAreRead(t *testing.T) {
	if testing.Short() {
		t.Skip("runs each command once per input flag")
	}
	setups := &setupCache{root: t.TempDir(), dirs: map[string]string{}}
	for _, c := range commands() {
		flags := inputFlagNames(c.Flags())
		if len(flags) == 0 {
			continue
		}
		// The first example line that runs the command: the commands
		// before it on the line (a plan for check) prepare what it reads.
		var base []string
		var setup [][]string
		for _, l := range exampleLines(c) {
			inv := invocations(l)
			for i, args := range inv {
				if got, err := parseInvocation(args); err == nil && got.CommandPath() == c.CommandPath() && base == nil {
					base, setup = args, inv[:i]
				}
			}
		}
		if base == nil {
			t.Errorf("%s: no example runs it; cannot check its input flags", c.CommandPath())
			continue
		}
		t.Run(strings.ReplaceAll(c.CommandPath(), " ", "_"), func(t *testing.T) {
			t.Chdir(t.TempDir())
			setups.run(t, setup)
			for _, f := range flags {
				missing := filepath.Join(t.TempDir(), "missing-"+strings.TrimPrefix(f, "--")+".csv")
				args := append(append([]string(nil), base...), f, missing)
				ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
				code, _, stderr := runInProcess(ctx, args...)
				cancel()
				if code != exitInput || !strings.Contains(stderr, missing) {
					t.Errorf("rlplan %s: exit %d, stderr %q; want exit %d naming %s (the flag must be read)", strings.Join(args, " "), code, tail(stderr, 300), exitInput, missing)
				}
			}
		})
	}
}

// setupCache runs the setup commands of examples (a plan before check,
// reconcile, manifests, trace simulate) once per sequence: after each step
// the working folder is kept in a folder of its own, and a later sequence
// starting with the same steps starts from a copy of it. The commands are
// deterministic on the embedded data, so a copy is what running them again
// would write.
type setupCache struct {
	root string
	dirs map[string]string // steps joined by newlines -> folder after them
}

// run leaves in the working folder what the steps write.
func (c *setupCache) run(t *testing.T, steps [][]string) {
	t.Helper()
	done := 0
	for k := len(steps); k > 0; k-- {
		if dir, ok := c.dirs[stepsKey(steps[:k])]; ok {
			if err := os.CopyFS(".", os.DirFS(dir)); err != nil {
				t.Fatalf("copying the setup of %q: %v", stepsKey(steps[:k]), err)
			}
			done = k
			break
		}
	}
	for k := done; k < len(steps); k++ {
		args := steps[k]
		if code, _, stderr := runInProcess(context.Background(), args...); code != exitOK {
			t.Fatalf("example setup rlplan %s: exit %d: %s", strings.Join(args, " "), code, tail(stderr, 300))
		}
		dir := filepath.Join(c.root, strconv.Itoa(len(c.dirs)))
		if err := os.CopyFS(dir, os.DirFS(".")); err != nil {
			t.Fatalf("keeping the setup of rlplan %s: %v", strings.Join(args, " "), err)
		}
		c.dirs[stepsKey(steps[:k+1])] = dir
	}
}

func stepsKey(steps [][]string) string {
	lines := make([]string, len(steps))
	for i, s := range steps {
		lines[i] = strings.Join(s, " ")
	}
	return strings.Join(lines, "\n")
}
