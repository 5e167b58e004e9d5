// Package vtl renders API Gateway mapping templates for stepform's tests,
// with the real Apache Velocity 1.7 engine (Debian's velocity package)
// driven by VtlRender.java, which emulates API Gateway's $input, $util and
// $context. It needs a JDK and /usr/share/java/velocity.jar; .ci/run
// installs them.
package vtl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Case is one request rendered through one template.
type Case struct {
	Template string            `json:"template"`
	Body     string            `json:"body"`
	Headers  map[string]string `json:"headers,omitempty"`
	Query    map[string]string `json:"query,omitempty"`
	Path     map[string]string `json:"path,omitempty"`
	Context  map[string]any    `json:"context,omitempty"`
}

// Result is what API Gateway would send on: the rendered text, the status
// the template set through $context.responseOverride.status (0 if none),
// or the error that stops the request.
type Result struct {
	Output string `json:"output"`
	Status int    `json:"status"`
	Error  string `json:"error"`
}

// classpath lists the jars VtlRender needs, as Debian installs them.
var classpath = []string{
	"/usr/share/java/velocity.jar",
	"/usr/share/java/commons-collections3.jar",
	"/usr/share/java/commons-lang.jar",
}

var (
	buildOnce sync.Once
	classDir  string
	buildErr  error
)

// build compiles VtlRender.java once per process.
func build() (string, error) {
	buildOnce.Do(func() {
		_, self, _, _ := runtime.Caller(0)
		src := filepath.Join(filepath.Dir(self), "VtlRender.java")
		for _, jar := range classpath {
			if _, err := os.Stat(jar); err != nil {
				buildErr = fmt.Errorf("vtl: %s is missing (apt-get install velocity): %w", jar, err)
				return
			}
		}
		dir, err := os.MkdirTemp("", "stepform-vtl-")
		if err != nil {
			buildErr = err
			return
		}
		out, err := exec.Command("javac", "-nowarn", "-cp", strings.Join(classpath, ":"), "-d", dir, src).CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("vtl: javac: %v\n%s", err, out)
			return
		}
		classDir = dir
	})
	return classDir, buildErr
}

// Render renders every case in one Java process.
func Render(cases []Case) ([]Result, error) {
	dir, err := build()
	if err != nil {
		return nil, err
	}
	in, err := json.Marshal(cases)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("java", "-cp", strings.Join(append([]string{dir}, classpath...), ":"), "VtlRender")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("vtl: java: %v\n%s", err, stderr.String())
	}
	var results []Result
	if err := json.Unmarshal(out, &results); err != nil {
		return nil, fmt.Errorf("vtl: bad output: %v\n%s", err, out)
	}
	if len(results) != len(cases) {
		return nil, fmt.Errorf("vtl: %d results for %d cases", len(results), len(cases))
	}
	return results, nil
}
