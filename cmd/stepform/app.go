package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/stepform/stepform/schema/diag"
)

// Exit codes: scripts rely on them.
const (
	exitOK     = 0
	exitConfig = 1 // the configuration has errors, or the output cannot be written
	exitUsage  = 2 // the command line is wrong
)

// errConfig is returned by a command whose configuration had errors; the
// diagnostics are already printed.
var errConfig = errors.New("configuration has errors")

// writeError is a failure to write the output.
type writeError struct{ error }

// exitStatus ends the command with this exit code; anything to say about
// it is already printed.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// usageError is a command-line mistake.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run is main without the process: it returns the exit code. Every write
// to stdout is checked, help and version included, because urfave/cli
// ignores the errors of what it prints itself.
func run(args []string, stdout, stderr io.Writer, env map[string]string) int {
	out := &checkedWriter{w: stdout}
	app := newApp(out, stderr, env)
	err := app.Run(reorderArgs(args, app))
	if out.err != nil {
		err = writeError{fmt.Errorf("cannot write standard output: %w", out.err)}
	}
	var werr writeError
	var status exitStatus
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &status):
		return int(status)
	case errors.Is(err, errConfig):
		return exitConfig
	case errors.As(err, &werr):
		fmt.Fprintln(stderr, "stepform:", err)
		return exitConfig
	}
	fmt.Fprintln(stderr, "stepform:", err)
	fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", helpName(args, app))
	return exitUsage
}

// checkedWriter remembers the first write error.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err != nil {
		c.err = err
	}
	return n, err
}

// helpName is the command line that shows the help for the command args
// names, or for stepform itself.
func helpName(args []string, app *cli.App) string {
	if len(args) > 1 {
		if cmd := app.Command(args[1]); cmd != nil && cmd.Name != "help" {
			return "stepform " + cmd.Name
		}
	}
	return "stepform"
}

func newApp(stdout, stderr io.Writer, env map[string]string) *cli.App {
	app := &cli.App{
		Name:           "stepform",
		Usage:          "compile serverless.yml stepFunctions into CloudFormation",
		Description:    "stepform turns the stepFunctions block of a Serverless Framework service into the CloudFormation that serverless-step-functions would produce (--compat plugin), or a corrected version of it (the default).",
		Writer:         stdout,
		ErrWriter:      stderr,
		ExitErrHandler: func(*cli.Context, error) {}, // exit codes are run's job
		// Set, so that urfave/cli does not stat the executable on every
		// run to fill in a build time no help text of ours shows.
		Compiled: time.Unix(0, 0).UTC(),
		// Our own --version, because urfave/cli's prints through a
		// package-level printer.
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "version", Aliases: []string{"v"}, Usage: "print the version", DisableDefaultText: true},
		},
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			switch {
			case c.Args().Present():
				return usageError{fmt.Sprintf("unknown command %q", c.Args().First())}
			case c.Bool("version"):
				return printVersion(c)
			}
			return usageError{"no command given: compile, check, package, inspect, graph, diff, schema, version or help"}
		},
		Commands: []*cli.Command{
			compileCommand(env),
			checkCommand(env),
			packageCommand(env),
			inspectCommand(env),
			graphCommand(env),
			diffCommand(env),
			schemaCommand(),
			versionCommand(),
		},
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = onUsageError
		for i, f := range cmd.Flags {
			switch f := f.(type) {
			case *cli.StringFlag:
				cmd.Flags[i] = &stringFlag{*f}
			case *cli.StringSliceFlag:
				cmd.Flags[i] = &stringSliceFlag{*f}
			}
		}
	}
	return app
}

// stringFlag and stringSliceFlag are urfave/cli's flags with a Names()
// that reads the names as they are: urfave/cli's own runs a regular
// expression over each name on every call (to cut off the comma-separated
// names of its v1 API, which our flags never have), and looking up one
// flag calls it on every flag of the command, for each flag it parses:
// hundreds of matches a run. (Bool flags stay urfave/cli's own, whose
// help and parsing look for *cli.BoolFlag.)
type (
	stringFlag      struct{ cli.StringFlag }
	stringSliceFlag struct{ cli.StringSliceFlag }
)

func (f *stringFlag) Names() []string      { return flagNames(&f.StringFlag) }
func (f *stringSliceFlag) Names() []string { return flagNames(&f.StringSliceFlag) }

// onUsageError replaces urfave/cli's reaction to a bad flag, which prints
// the whole help to stdout, with one line that run prints on stderr.
func onUsageError(_ *cli.Context, err error, _ bool) error {
	msg := err.Error()
	for _, prefix := range []string{"flag provided but not defined: ", "flag needs an argument: "} {
		if name, ok := strings.CutPrefix(msg, prefix); ok {
			// The flag package names every flag with one dash.
			if name = strings.TrimLeft(name, "-"); len(name) > 1 {
				name = "-" + name
			}
			msg = prefix + "-" + name
		}
	}
	return usageError{msg}
}

// environ returns the process environment as a map, for ${env:NAME}.
func environ() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}

// reorderArgs moves a command's flags before its positional arguments,
// because urfave/cli v2 stops parsing flags at the first positional one.
func reorderArgs(args []string, app *cli.App) []string {
	if len(args) < 2 {
		return args
	}
	cmd := app.Command(args[1])
	if cmd == nil {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		if _, isBool := f.(*cli.BoolFlag); isBool {
			continue
		}
		for _, name := range flagNames(f) {
			takesValue[name] = true
		}
	}
	var flags, positional []string
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			positional = append(positional, rest[i+1:]...)
			break
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(rest) {
				i++
				flags = append(flags, rest[i])
			}
			continue
		}
		positional = append(positional, a)
	}
	out := append([]string{args[0], args[1]}, flags...)
	if len(positional) > 0 {
		out = append(append(out, "--"), positional...)
	}
	return out
}

// printDiagnostics writes diagnostics to stderr with source excerpts.
func printDiagnostics(w io.Writer, diags diag.List, sources map[string][]byte) {
	diag.Render(w, diags, func(file string) []byte { return sources[file] })
}
