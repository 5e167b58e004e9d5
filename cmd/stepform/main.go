// Command stepform compiles the stepFunctions block of a Serverless
// Framework service into CloudFormation. See README.md.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	tuneMemory(os.Getenv)
	code := run(os.Args, os.Stdout, os.Stderr, environ())
	os.Exit(closeStdout(code, os.Stdout, os.Stderr))
}

// closeStdout closes standard output and turns a failure into exit code 1:
// some file systems (NFS, FUSE) report a failed write only on close.
func closeStdout(code int, stdout io.Closer, stderr io.Writer) int {
	if err := stdout.Close(); err != nil && code == exitOK {
		fmt.Fprintln(stderr, "stepform: cannot write standard output:", err)
		return exitConfig
	}
	return code
}
