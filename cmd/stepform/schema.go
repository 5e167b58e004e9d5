package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/stepform/stepform/schema"
)

func schemaCommand() *cli.Command {
	return &cli.Command{
		Name:  "schema",
		Usage: "print a JSON Schema of serverless.yml for editors",
		Description: "Prints a JSON Schema (draft 2020-12) of what stepform reads in serverless.yml: stepFunctions in full " +
			"(state machines, definitions loosely, http/schedule/eventBridge/cloudwatchEvent events, alarms, notifications, " +
			"logging, tracing, encryption, stepform's own keys), functions in full (their settings and the sqs, stream, " +
			"sns, schedule, s3, eventBridge, cloudwatchEvent, cloudwatchLog, httpApi and http events) and the provider " +
			"settings they use, with descriptions, types and enums. It is generated from the tables stepform checks keys with. Save it and name it in " +
			"serverless.yml with a first line such as\n\n   # yaml-language-server: $schema=./serverless.schema.json\n\n" +
			"for completion and checks in editors that use the YAML language server.",
		HideHelpCommand: true,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usageError{fmt.Sprintf("schema takes no arguments, got %q", c.Args().First())}
			}
			if _, err := c.App.Writer.Write(schema.JSONSchema()); err != nil {
				return writeError{fmt.Errorf("cannot write standard output: %w", err)}
			}
			return nil
		},
	}
}
