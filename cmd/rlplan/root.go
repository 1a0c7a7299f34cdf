package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes. Scripts can tell a bad flag from bad input data from a plan
// that cannot be carried out.
const (
	exitOK          = 0
	exitError       = 1 // unexpected failure
	exitUsage       = 2 // bad flags or arguments
	exitInput       = 3 // an input file is malformed or inconsistent
	exitInfeasible  = 4 // the problem cannot be solved as stated
	exitInterrupted = 130
)

// usageError marks an error in flags or arguments: usage is printed for it.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usageErrorf(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// inputError marks a problem with an input file or folder (exit code 3).
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }
func (e inputError) Unwrap() error { return e.err }
func (e inputError) ExitCode() int { return exitInput }

// exitCoder lets packages attach an exit code to an error without this
// package knowing their error types.
type exitCoder interface{ ExitCode() int }

// app holds what every command shares: the output streams and the logger.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	// command is the running subcommand ("plan", "scenario init"), recorded
	// beside the files it writes.
	command string
}

// commandFactories lists constructors of top-level subcommands; files of this
// package register theirs in init so that adding a command touches one file.
var commandFactories []func(*app) *cobra.Command

// benchFactories lists constructors of `rlplan bench` subcommands.
var benchFactories []func(*app) *cobra.Command

func registerCommand(f func(*app) *cobra.Command) { commandFactories = append(commandFactories, f) }
func registerBench(f func(*app) *cobra.Command)   { benchFactories = append(benchFactories, f) }

func newRootCmd(a *app) *cobra.Command {
	var logLevel string
	root := &cobra.Command{
		Use:   "rlplan",
		Short: "Plan the reverse logistics of retired EV batteries",
		Long: `rlplan plans the collection network for retired electric-vehicle traction batteries:
where packs will retire (forecast on an H3 grid), how well collection outlets cover them,
where to open new outlets, and weekly truck routes from licensed recycling plants.

Every command runs on the embedded default dataset (China, derived from public data)
unless input files are given. Data goes to stdout or -o files; logs go to stderr.`,
		Example: `  rlplan plan --out out/gd
  rlplan forecast --from 2030 --to 2030 --by province --format json`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			var lvl slog.Level
			if err := lvl.UnmarshalText([]byte(logLevel)); err != nil {
				return usageErrorf("--log-level %q: want debug, info, warn or error", logLevel)
			}
			a.log = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: lvl}))
			a.command = strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
			return nil
		},
	}
	root.PersistentFlags().StringVar(&logLevel, "log-level", "warn", "log level on stderr: debug, info, warn, error")
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })

	bench := &cobra.Command{
		Use:   "bench",
		Short: "Measure the solvers on public benchmark instances (gap to best known, time)",
		Example: `  rlplan bench location --set pmed --dir ../shared/bench/pmed --time-limit 200ms
  rlplan bench routing --set cvrp --dir ../shared/bench/cvrp --instances 'X-n101*' --time-limit 2s`,
	}
	for _, f := range benchFactories {
		bench.AddCommand(f(a))
	}
	root.AddCommand(bench)
	for _, f := range commandFactories {
		root.AddCommand(f(a))
	}
	setupHelpAndCompletion(root) // completion.go
	return root
}

// run executes the command line and maps the outcome to an exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, log: slog.New(slog.NewTextHandler(stderr, nil))}
	root := newRootCmd(a)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "rlplan: interrupted before any result was ready; nothing was written")
		return exitInterrupted
	}
	fmt.Fprintf(stderr, "rlplan: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		if cmd != nil {
			fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
		return exitUsage
	}
	var ec exitCoder
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	if errors.Is(err, context.Canceled) {
		return exitInterrupted
	}
	return exitError
}

// isCobraUsage recognises the argument errors cobra creates itself.
func isCobraUsage(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "unknown command") || strings.HasPrefix(s, "unknown flag") ||
		strings.Contains(s, "arg(s)") || strings.HasPrefix(s, "required flag")
}
