package main

import (
	"os"
	"sync"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows a bar on stderr when stderr is a terminal and does nothing
// when it is piped or redirected, so logs and captured output stay clean.
type progress struct {
	mu  sync.Mutex
	bar *progressbar.ProgressBar
	max int
}

func newProgress(a *app, what string) *progress {
	p := &progress{}
	f, ok := a.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return p
	}
	p.bar = progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100_000_000),
	)
	return p
}

// set reports done of total steps; safe for concurrent use.
func (p *progress) set(done, total int) {
	if p == nil || p.bar == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if total != p.max {
		p.bar.ChangeMax(total)
		p.max = total
	}
	p.bar.Set(done)
}

// describe names the current step.
func (p *progress) describe(step string) {
	if p == nil || p.bar == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar.Describe(step)
}

func (p *progress) finish() {
	if p == nil || p.bar == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar.Finish()
}

// interruptedError reports that a run was stopped by Ctrl-C after writing
// the best result found so far.
type interruptedError struct{}

func (interruptedError) Error() string {
	return "interrupted: the best result found so far was written and marked interrupted"
}
func (interruptedError) ExitCode() int { return exitInterrupted }
