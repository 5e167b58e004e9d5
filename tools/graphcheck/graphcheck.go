// Package graphcheck checks the syntax of graphs in stepform's tests with
// the real tools: DOT with Graphviz's dot (Debian's graphviz package),
// Mermaid with Mermaid's own parser run by Node (the npm package pinned in
// package-lock.json). make test installs both first (require.sh).
package graphcheck

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// dir is this package's folder, which holds check-mermaid.mjs and the
// node_modules require.sh installs.
func dir() string {
	_, self, _, _ := runtime.Caller(0)
	return filepath.Dir(self)
}

// DOT renders a DOT document to SVG with Graphviz and returns dot's
// complaint when it cannot, or when it warns (a warning such as a syntax
// error recovered from means the input is not what we meant).
func DOT(doc []byte) error {
	if _, err := exec.LookPath("dot"); err != nil {
		return errors.New("graphcheck: dot is missing; make test installs Debian's graphviz package (sh tools/graphcheck/require.sh)")
	}
	cmd := exec.Command("dot", "-Tsvg")
	cmd.Stdin = bytes.NewReader(doc)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil || stderr.Len() > 0 {
		return fmt.Errorf("dot -Tsvg: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	if !bytes.Contains(stdout.Bytes(), []byte("<svg")) {
		return errors.New("dot -Tsvg wrote no SVG")
	}
	return nil
}

// DOTAll is DOT for many documents: one dot run renders them all, and
// only when it complains is each document rendered alone, to tell which.
// It returns the complaint for each index that fails.
func DOTAll(docs [][]byte) (map[int]error, error) {
	failures := map[int]error{}
	if err := DOT(bytes.Join(docs, nil)); err == nil {
		return failures, nil
	} else if _, lookErr := exec.LookPath("dot"); lookErr != nil {
		return nil, err
	}
	for i, doc := range docs {
		if err := DOT(doc); err != nil {
			failures[i] = err
		}
	}
	return failures, nil
}

// Mermaid parses each file with Mermaid's parser and returns, by file,
// the parser's message for those that do not parse.
func Mermaid(files []string) (map[string]string, error) {
	if _, err := os.Stat(filepath.Join(dir(), "node_modules", "mermaid")); err != nil {
		return nil, errors.New("graphcheck: Mermaid's parser is not installed; make test installs it (sh tools/graphcheck/require.sh)")
	}
	args := append([]string{filepath.Join(dir(), "check-mermaid.mjs")}, files...)
	cmd := exec.Command("node", args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	failures := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		for _, f := range files {
			if msg, ok := strings.CutPrefix(line, f+": "); ok {
				failures[f] = msg
			}
		}
	}
	var exit *exec.ExitError
	switch {
	case err == nil && len(failures) == 0:
		return failures, nil
	case errors.As(err, &exit) && exit.ExitCode() == 1 && len(failures) > 0:
		return failures, nil
	}
	return nil, fmt.Errorf("node check-mermaid.mjs: %v: %s%s", err, stdout.String(), stderr.String())
}
