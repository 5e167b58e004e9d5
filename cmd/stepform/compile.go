package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

func compileCommand(env map[string]string) *cli.Command {
	return &cli.Command{
		Name:            "compile",
		Usage:           "print the CloudFormation template",
		ArgsUsage:       "[serverless.yml]",
		Description:     "Compiles the service and prints the template to standard output. Diagnostics go to standard error.",
		HideHelpCommand: true,
		Flags:           commonFlags(),
		Action: func(c *cli.Context) error {
			out, err := build(c, env)
			if err != nil {
				return err
			}
			if _, err := out.WriteTo(c.App.Writer); err != nil {
				return writeError{fmt.Errorf("cannot write standard output: %w", err)}
			}
			return nil
		},
	}
}
