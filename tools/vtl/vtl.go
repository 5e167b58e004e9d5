// Package vtl renders API Gateway mapping templates for stepform's tests,
// with the real Apache Velocity 1.7 engine (Debian's velocity package)
// driven by VtlRender.java, which emulates API Gateway's $input, $util and
// $context. It needs a JDK and the jars of Debian's velocity package;
// make test installs the package when it can (require-velocity.sh).
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
// the headers it set through $context.responseOverride.header, or the
// error that stops the request.
type Result struct {
	Output  string            `json:"output"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Error   string            `json:"error"`
}

// ClasspathVariable names the environment variable that lists the jars
// VtlRender needs (separated like PATH) on systems that do not keep them
// where Debian does.
const ClasspathVariable = "STEPFORM_VELOCITY_CLASSPATH"

// debianClasspath lists the jars VtlRender needs, as Debian's velocity
// package installs them.
var debianClasspath = []string{
	"/usr/share/java/velocity.jar",
	"/usr/share/java/commons-collections3.jar",
	"/usr/share/java/commons-lang.jar",
}

// classpath is $STEPFORM_VELOCITY_CLASSPATH, or Debian's jars.
func classpath() []string {
	if list := os.Getenv(ClasspathVariable); list != "" {
		return filepath.SplitList(list)
	}
	return debianClasspath
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
		for _, jar := range classpath() {
			if _, err := os.Stat(jar); err != nil {
				buildErr = fmt.Errorf("vtl: %w; make test installs Debian's velocity package (as root, with apt-get); elsewhere set %s to the Velocity 1.7, Commons Collections 3 and Commons Lang 2 jars", err, ClasspathVariable)
				return
			}
		}
		dir, err := os.MkdirTemp("", "stepform-vtl-")
		if err != nil {
			buildErr = err
			return
		}
		out, err := exec.Command("javac", "-nowarn", "-cp", joinClasspath(classpath()), "-d", dir, src).CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("vtl: javac: %v\n%s", err, out)
			return
		}
		classDir = dir
	})
	return classDir, buildErr
}

func joinClasspath(entries []string) string {
	return strings.Join(entries, string(os.PathListSeparator))
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
	cmd := exec.Command("java", "-cp", joinClasspath(append([]string{dir}, classpath()...)), "VtlRender")
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
