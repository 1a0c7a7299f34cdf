// Command rlplan plans the reverse logistics of retired electric-vehicle
// batteries: retirement forecasts on an H3 grid, outlet coverage and siting,
// weekly pickup routes, and map exports. The work lives in package planner;
// this package only parses flags and writes outputs.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := interruptContext(os.Stderr)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// interruptContext returns a context cancelled by the first Ctrl-C or
// SIGTERM: the solvers stop and the best results so far are written. The
// handler is then removed, so a second signal takes its default action and
// ends the process at once: a run that does not stop can always be killed.
// stop releases the handler.
func interruptContext(stderr io.Writer) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-ch:
			signal.Stop(ch)
			fmt.Fprintln(stderr, "rlplan: stopping: the best results so far are being written; press Ctrl-C again to quit at once")
			cancel()
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel()
	}
}
