// Command rlplan plans the reverse logistics of retired electric-vehicle
// batteries: retirement forecasts on an H3 grid, outlet coverage and siting,
// weekly pickup routes, and map exports. The work lives in package planner;
// this package only parses flags and writes outputs.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
