package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/stepform/stepform/schema/diag"
)

// diagnosticsHelpURI is the table of diagnostic codes that SARIF rules
// link to.
const diagnosticsHelpURI = "https://github.com/stepform/stepform/blob/main/docs/diagnostics.md"

func checkCommand(env map[string]string) *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "diagnostics", Aliases: []string{"d"}, Value: "text", Usage: "diagnostics `FORMAT`: text (on standard error), json or sarif (on standard output)"},
	}
	for _, f := range commonFlags() {
		if flagName(f) != "format" { // there is no template to format
			flags = append(flags, f)
		}
	}
	return &cli.Command{
		Name:      "check",
		Usage:     "report every problem without writing the template",
		ArgsUsage: "[serverless.yml]",
		Description: "Compiles the service as compile does, with the same flags, and reports its diagnostics " +
			"instead of printing the template. Exit status: 0 when there is no error (warnings allowed), " +
			"1 when there are errors, 2 for a wrong command line.\n\n" +
			"--diagnostics text prints what compile prints, on standard error. --diagnostics json prints a JSON " +
			"array with one object per diagnostic (file, line, column, end, severity, code, summary, detail); " +
			"--diagnostics sarif prints a SARIF 2.1.0 log for GitHub code scanning. Both go to standard output. " +
			"Codes are listed in docs/diagnostics.md.",
		HideHelpCommand: true,
		Flags:           flags,
		Action: func(c *cli.Context) error {
			format := c.String("diagnostics")
			switch format {
			case "text", "json", "sarif":
			default:
				return usageError{fmt.Sprintf("--diagnostics must be text, json or sarif, not %q", format)}
			}
			r, err := compileService(c, env, hashZips)
			if err != nil {
				return err
			}
			src := func(file string) []byte { return r.sources[file] }
			switch format {
			case "text":
				printDiagnostics(c.App.ErrWriter, r.diags, r.sources)
				if len(r.diags) > 0 {
					fmt.Fprintf(c.App.ErrWriter, "stepform: %s\n", summary(r.diags))
				}
			case "json":
				err = diag.WriteJSON(c.App.Writer, r.diags, src)
			case "sarif":
				err = diag.WriteSARIF(c.App.Writer, r.diags, src, diag.Tool{
					Name:           "stepform",
					Version:        versionString(),
					InformationURI: "https://github.com/stepform/stepform",
					HelpURI:        diagnosticsHelpURI,
				}, r.configPath)
			}
			if err != nil {
				return writeError{fmt.Errorf("cannot write standard output: %w", err)}
			}
			if r.diags.HasErrors() {
				return errConfig
			}
			return nil
		},
	}
}
