package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/stepform/stepform/compiler/graph"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

func graphCommand(env map[string]string) *cli.Command {
	return &cli.Command{
		Name:      "graph",
		Usage:     "draw a state machine as Mermaid or DOT",
		ArgsUsage: "[MACHINE]",
		Description: "Prints the state machine MACHINE (its key under stepFunctions.stateMachines) as a Mermaid flowchart, or a Graphviz digraph with --format dot. " +
			"Without MACHINE it draws the only machine of the service, or all of them, each as a subgraph of one diagram. " +
			"It reads the service without compiling it, so it draws invalid definitions too: a transition to a state that does not exist leads to a node marked missing.",
		HideHelpCommand: true,
		Flags: append(loadingFlags(), &cli.StringFlag{
			Name: "format", Aliases: []string{"f"}, Value: "mermaid", Usage: "output `FORMAT`: mermaid or dot",
		}),
		Action: func(c *cli.Context) error {
			format := graph.Format(c.String("format"))
			if format != graph.Mermaid && format != graph.DOT {
				return usageError{fmt.Sprintf("--format must be mermaid or dot, not %q", c.String("format"))}
			}
			if c.NArg() > 1 {
				return usageError{"at most one state machine may be given"}
			}
			machineKey := c.Args().First()
			load, err := serviceOptions(c, env, configPathOf(c))
			if err != nil {
				return err
			}
			svc, sources, diags := schema.Load(load)
			if svc == nil || diags.HasErrors() {
				return reportConfig(c, diags, sources)
			}
			var machines []*schema.StateMachine
			if svc.StepFunctions != nil {
				machines = svc.StepFunctions.StateMachines
			}
			if len(machines) == 0 {
				diags.Errorf(diag.Pos{File: load.ConfigPath}, "the service has no state machines", "graph draws the machines under stepFunctions.stateMachines.")
				return reportConfig(c, diags, sources)
			}
			if machineKey != "" {
				var keys []string
				var found *schema.StateMachine
				for _, m := range machines {
					keys = append(keys, m.Key)
					if m.Key == machineKey {
						found = m
					}
				}
				if found == nil {
					return usageError{fmt.Sprintf("no state machine %q: the service has %s", machineKey, strings.Join(keys, ", "))}
				}
				machines = []*schema.StateMachine{found}
			}
			var drawn []graph.Machine
			for _, m := range machines {
				def, d := graph.Definition(m)
				diags.Append(d)
				if def != nil {
					drawn = append(drawn, graph.Machine{Name: m.Key, Definition: def})
				}
			}
			if diags.HasErrors() {
				return reportConfig(c, diags, sources)
			}
			printDiagnostics(c.App.ErrWriter, diags, sources)
			out, err := graph.Render(drawn, format)
			if err != nil {
				return err
			}
			if _, err := c.App.Writer.Write(out); err != nil {
				return writeError{fmt.Errorf("cannot write standard output: %w", err)}
			}
			return nil
		},
	}
}

// loadingFlags are the flags that choose and resolve the service: those of
// compile without the output and compilation ones.
func loadingFlags() []cli.Flag {
	var out []cli.Flag
	for _, f := range commonFlags() {
		switch flagName(f) {
		case "config", "stage", "region", "param", "var":
			out = append(out, f)
		}
	}
	return out
}

// configPathOf is the configuration file of a command whose arguments are
// not file names: --config, else serverless.yml, else serverless.yaml.
func configPathOf(c *cli.Context) string {
	if p := c.String("config"); p != "" {
		return p
	}
	return defaultConfigPath()
}

// reportConfig prints diagnostics with their count and returns errConfig.
func reportConfig(c *cli.Context, diags diag.List, sources map[string][]byte) error {
	diags.Sort()
	printDiagnostics(c.App.ErrWriter, diags, sources)
	fmt.Fprintf(c.App.ErrWriter, "stepform: %s\n", summary(diags))
	return errConfig
}
