package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run this binary's main as the `rlplan` command
// inside scripts, without building it separately.
func TestMain(m *testing.M) {
	if os.Getenv("RLPLAN_TEST_IGNORE_INTERRUPT") == "1" {
		// A run that never looks at its context (a hang): only the
		// second signal can end it. See TestSecondInterruptKills.
		_, stop := interruptContext(os.Stderr)
		defer stop()
		fmt.Println("ready")
		select {}
	}
	testscript.Main(m, map[string]func(){
		"rlplan": func() { os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script: commands as a
// user types them, with their expected output and exit codes.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		// RLPLAN_UPDATE_SCRIPTS=1 rewrites the files compared by cmp with
		// what the commands now print (review the diff before committing).
		UpdateScripts: os.Getenv("RLPLAN_UPDATE_SCRIPTS") != "",
	})
}

// TestSecondInterruptKills: the first Ctrl-C asks the run to stop and says
// so; a run that does not stop (here one that ignores its context) ends at
// the second Ctrl-C, killed by the signal.
func TestSecondInterruptKills(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("os.Interrupt cannot be sent to a process on Windows")
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "RLPLAN_TEST_IGNORE_INTERRUPT=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	if _, err := bufio.NewReader(stdout).ReadString('\n'); err != nil {
		t.Fatalf("no ready line: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-done:
		t.Fatalf("the first Ctrl-C ended a run that ignores it (%v): it should only ask", err)
	case <-time.After(300 * time.Millisecond):
	}
	cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGINT {
			t.Errorf("second Ctrl-C: %v, want the process killed by SIGINT", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 s after the second Ctrl-C")
	}
	if !strings.Contains(stderr.String(), "press Ctrl-C again to quit at once") {
		t.Errorf("stderr %q does not say how to quit at once", stderr.String())
	}
}
