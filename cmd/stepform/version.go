package main

import (
	"fmt"
	"runtime/debug"

	"github.com/urfave/cli/v2"
)

// version is set at link time (-ldflags "-X main.version=v1.2.3"); without
// it, the module version from the build info is used.
var version = ""

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:            "version",
		Usage:           "print stepform's version",
		HideHelpCommand: true,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError{fmt.Sprintf("version takes no arguments, not %q", c.Args().First())}
			}
			return printVersion(c)
		},
	}
}

// printVersion serves both stepform version and stepform --version.
func printVersion(c *cli.Context) error {
	_, err := fmt.Fprintf(c.App.Writer, "stepform %s\n", versionString())
	return err
}

func versionString() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}
