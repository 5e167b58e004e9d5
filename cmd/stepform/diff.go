package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/compiler/diff"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

func diffCommand(env map[string]string) *cli.Command {
	var flags []cli.Flag
	for _, f := range commonFlags() {
		switch flagName(f) {
		case "format":
		case "stage":
			flags = append(flags, &cli.StringSliceFlag{Name: "stage", Aliases: []string{"s"}, Usage: "compare the service at two `STAGE`s: --stage A --stage B; with --against, the stage to compile"})
		default:
			flags = append(flags, f)
		}
	}
	flags = append(flags,
		&cli.StringFlag{Name: "against", Usage: "`plugin`: compare the service in plugin mode (old) with the default mode (new)"},
		&cli.BoolFlag{Name: "exit-code", Usage: "exit 1 when there are differences, 0 when none, 2 on any error", DisableDefaultText: true},
	)
	return &cli.Command{
		Name:      "diff",
		Usage:     "show what changes between two templates",
		ArgsUsage: "OLD NEW | --stage A --stage B | --against plugin",
		Description: "Compares two CloudFormation templates (JSON or YAML files), the service compiled at two stages (--stage A --stage B), or the service in plugin mode and in the default mode (--against plugin). " +
			"It lists resources added, removed, changed and replaced by logical ID, state machine definitions state by state, IAM permissions granted and revoked, endpoints (METHOD /path) added, removed and changed, and every other change as a path. " +
			"Exit status: 0, 1 when the configuration or a template has errors, 2 for a usage error; with --exit-code, 0 when there are no differences, 1 when there are, 2 on any error.",
		HideHelpCommand: true,
		Flags:           flags,
		Action: func(c *cli.Context) error {
			err := runDiff(c, env)
			if err == errConfig && c.Bool("exit-code") {
				return exitStatus(exitUsage)
			}
			return err
		},
	}
}

// side is one of the two templates a diff compares.
type side struct {
	label string
	doc   map[string]any
}

func runDiff(c *cli.Context, env map[string]string) error {
	stages := c.StringSlice("stage")
	against := c.String("against")
	var old, new side
	var err error
	printed := map[diag.Diagnostic]bool{}
	switch {
	case c.NArg() == 2:
		for _, name := range []string{"stage", "against", "config", "region", "param", "var", "compat", "base"} {
			if c.IsSet(name) {
				return usageError{fmt.Sprintf("--%s applies to the service, not to template files: give OLD and NEW, or the service's flags", name)}
			}
		}
		if old, err = readTemplate(c, c.Args().Get(0)); err != nil {
			return err
		}
		if new, err = readTemplate(c, c.Args().Get(1)); err != nil {
			return err
		}
	case c.NArg() != 0:
		return usageError{fmt.Sprintf("diff takes two templates, OLD and NEW, not %d", c.NArg())}
	case against != "":
		if against != "plugin" {
			return usageError{fmt.Sprintf("--against takes only \"plugin\", not %q", against)}
		}
		if c.IsSet("compat") {
			return usageError{"--against plugin compares the two modes: leave out --compat"}
		}
		if len(stages) > 1 {
			return usageError{"--against plugin compares one stage: give --stage once"}
		}
		if old, err = compileSide(c, env, stageAt(stages, 0), compiler.Plugin, printed); err != nil {
			return err
		}
		if new, err = compileSide(c, env, stageAt(stages, 0), compiler.Default, printed); err != nil {
			return err
		}
	case len(stages) == 2:
		mode := compiler.Default
		if c.String("compat") == "plugin" {
			mode = compiler.Plugin
		}
		if old, err = compileSide(c, env, stages[0], mode, printed); err != nil {
			return err
		}
		if new, err = compileSide(c, env, stages[1], mode, printed); err != nil {
			return err
		}
	case len(stages) > 2:
		return usageError{"--stage may be given twice (old and new), not more"}
	default:
		return usageError{"nothing to compare: give two templates (OLD NEW), --stage A --stage B, or --against plugin"}
	}
	result := diff.Compare(old.doc, new.doc)
	fmt.Fprintf(c.App.Writer, "--- %s\n+++ %s\n%s", old.label, new.label, result)
	if result.Changed() && c.Bool("exit-code") {
		return exitStatus(exitConfig)
	}
	return nil
}

func stageAt(stages []string, i int) string {
	if i < len(stages) {
		return stages[i]
	}
	return ""
}

// readTemplate reads OLD or NEW.
func readTemplate(c *cli.Context, path string) (side, error) {
	data, err := schema.ReadLimited(path)
	if err != nil {
		var diags diag.List
		diags.Errorf(diag.Pos{File: path}, "cannot read template", "%v.", err)
		return side{}, reportConfig(c, diags, nil)
	}
	doc, diags := diff.Parse(path, data)
	if diags.HasErrors() {
		return side{}, reportConfig(c, diags, map[string][]byte{path: data})
	}
	return side{label: path, doc: doc}, nil
}

// compileSide compiles the service at a stage in a mode.
func compileSide(c *cli.Context, env map[string]string, stage string, mode compiler.Mode, printed map[diag.Diagnostic]bool) (side, error) {
	load, err := serviceOptions(c, env, configPathOf(c))
	if err != nil {
		return side{}, err
	}
	load.Stage = stage
	opts, baseDiags, baseSources, err := compileOptions(c)
	if err != nil {
		return side{}, err
	}
	if baseDiags.HasErrors() {
		return side{}, reportConfig(c, baseDiags, baseSources)
	}
	opts.Mode = mode
	r, err := buildService(c, load, opts, hashZips, compiler.JSON)
	if err != nil {
		return side{}, err
	}
	out, sources, diags := r.out.Bytes(), r.sources, r.diags
	label := "default mode"
	if mode == compiler.Plugin {
		label = "plugin mode"
	}
	if stage != "" {
		label = "stage " + stage + ", " + label
	}
	// The two compilations of one service find the same problems: each is
	// printed once.
	var fresh diag.List
	for _, d := range diags {
		if !printed[d] {
			printed[d] = true
			fresh = append(fresh, d)
		}
	}
	printDiagnostics(c.App.ErrWriter, fresh, sources)
	if diags.HasErrors() {
		fmt.Fprintf(c.App.ErrWriter, "stepform: %s: %s\n", label, summary(diags))
		return side{}, errConfig
	}
	doc, d := diff.Parse(load.ConfigPath+".json", out)
	if d.HasErrors() {
		return side{}, fmt.Errorf("internal error: the compiled template does not parse: %v", d)
	}
	return side{label: label, doc: doc}, nil
}
