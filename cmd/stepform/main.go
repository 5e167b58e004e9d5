// Command stepform compiles the stepFunctions block of a Serverless
// Framework service into CloudFormation. See README.md.
package main

import "os"

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr, environ()))
}
