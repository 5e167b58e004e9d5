// Command benchservice writes the benchmarks' generated service to disk,
// so whole-process figures can be taken on it:
//
//	go run ./tools/benchservice -n 2000 -o /tmp/bench2000
//	cd /tmp/bench2000 && /usr/bin/time -v stepform package --compat plugin
//
// and the same directory packaged with sls package for comparison.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/stepform/stepform/internal/benchservice"
)

func main() {
	n := flag.Int("n", 100, "number of state machines")
	dir := flag.String("o", ".", "write serverless.yml into `DIR`")
	flag.Parse()
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile(filepath.Join(*dir, "serverless.yml"), benchservice.Config(*n), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
