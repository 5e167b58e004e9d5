// Command stepform packages a Serverless Framework service, above all its
// stepFunctions block, into CloudFormation and the code zips, as sls
// package does with serverless-step-functions. See README.md.
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
