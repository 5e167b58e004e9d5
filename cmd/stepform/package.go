package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"
)

// templateFile is the file sls package writes, which deploy tools read.
const templateFile = "cloudformation-template-update-stack.json"

func packageCommand(env map[string]string) *cli.Command {
	flags := append(commonFlags(), &cli.StringFlag{
		Name: "output", Aliases: []string{"o"}, Value: ".serverless",
		Usage: "write the template into `DIR`", TakesFile: true,
	})
	return &cli.Command{
		Name:            "package",
		Usage:           "write the template where sls package writes it",
		ArgsUsage:       "[serverless.yml]",
		Description:     "Compiles the service and writes DIR/" + templateFile + " atomically: on any error the previous file is left as it was.",
		HideHelpCommand: true,
		Flags:           flags,
		Action: func(c *cli.Context) error {
			out, err := build(c, env)
			if err != nil {
				return err
			}
			path := filepath.Join(c.String("output"), templateFile)
			if err := writeAtomically(path, out); err != nil {
				return writeError{fmt.Errorf("cannot write %s: %w", path, err)}
			}
			fmt.Fprintf(c.App.ErrWriter, "stepform: wrote %s\n", path)
			return nil
		},
	}
}

// writeAtomically writes data to a temporary file beside path and renames
// it into place, so readers never see a partial template.
func writeAtomically(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".stepform-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
