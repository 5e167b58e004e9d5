package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/stepform/stepform/compiler/inspect"
)

func inspectCommand(env map[string]string) *cli.Command {
	var flags []cli.Flag
	for _, f := range commonFlags() {
		if flagName(f) != "format" {
			flags = append(flags, f)
		}
	}
	flags = append(flags, &cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output `FORMAT`: text (for a person) or json (for scripts)"})
	return &cli.Command{
		Name:      "inspect",
		Usage:     "show what the service will deploy",
		ArgsUsage: "[serverless.yml]",
		Description: "Compiles the service as compile does and prints, instead of the template, what it deploys: " +
			"each state machine (type, states, timeout, logging, tracing, its role and the permissions the role grants, " +
			"grouped by resource), each endpoint (method, path, target, sync or async, auth, timeout, the statuses a " +
			"client can get), schedules and event rules, alarms, notifications, and every resource with where it comes " +
			"from (stepform, resources:, --base, or the framework). --format json prints the same as one JSON object " +
			"(see the README for its fields). Diagnostics go to standard error.",
		HideHelpCommand: true,
		Flags:           flags,
		Action: func(c *cli.Context) error {
			format := c.String("format")
			if format != "text" && format != "json" {
				return usageError{fmt.Sprintf("--format must be text or json, not %q", format)}
			}
			load, err := loadOptions(c, env)
			if err != nil {
				return err
			}
			opts, baseDiags, baseSources, err := compileOptions(c)
			if err != nil {
				return err
			}
			if baseDiags.HasErrors() {
				return reportConfig(c, baseDiags, baseSources)
			}
			r, err := buildService(c, load, opts, hashZips, "")
			if err != nil {
				return err
			}
			printDiagnostics(c.App.ErrWriter, r.diags, r.sources)
			if r.diags.HasErrors() || r.doc == nil {
				fmt.Fprintf(c.App.ErrWriter, "stepform: %s\n", summary(r.diags))
				return errConfig
			}
			report := inspect.New(r.svc, r.doc, r.opts)
			if format == "json" {
				var out []byte
				if out, err = report.JSON(); err != nil {
					return writeError{fmt.Errorf("internal error: %w", err)}
				}
				_, err = c.App.Writer.Write(out)
			} else {
				err = report.WriteText(c.App.Writer)
			}
			if err != nil {
				return writeError{fmt.Errorf("cannot write standard output: %w", err)}
			}
			return nil
		},
	}
}
