// Package repo tests the repository itself rather than any Go package.
package repo

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const root = "../.."

// TestCIRunsOnlyREADMECommands keeps .ci/run to what the README's Tests
// section tells a developer to run, so that a fresh machine needs nothing
// more than the README says.
func TestCIRunsOnlyREADMECommands(t *testing.T) {
	ci, err := os.ReadFile(filepath.Join(root, ".ci/run"))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	tests := string(readme)
	if start := strings.Index(tests, "\n## Tests\n"); start >= 0 {
		tests = tests[start+1:]
		if end := strings.Index(tests, "\n## "); end >= 0 {
			tests = tests[:end]
		}
	} else {
		t.Fatal("README.md has no Tests section")
	}
	readmeTargets := map[string]bool{}
	for _, m := range regexp.MustCompile("make ([a-z]+)").FindAllStringSubmatch(tests, -1) {
		readmeTargets[m[1]] = true
	}
	ran := 0
	for _, line := range strings.Split(string(ci), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "set ") ||
			strings.HasPrefix(line, "cd ") || line == "go version":
			continue
		case strings.HasPrefix(line, "make "):
			for _, target := range strings.Fields(line)[1:] {
				if !readmeTargets[target] {
					t.Errorf(".ci/run runs make %s, which the README's Tests section does not name", target)
				}
				ran++
			}
		default:
			t.Errorf(".ci/run runs %q, which is not a README command", line)
		}
	}
	if ran == 0 {
		t.Error(".ci/run runs no make target")
	}
}

// TestNoReferencesOutsideRepository: comments and documents must not point
// at files a reader of the repository does not have.
func TestNoReferencesOutsideRepository(t *testing.T) {
	forbidden := []string{
		"../" + "shared/",
		"shared/" + "reference",
		"/" + "work/main",
		"/" + "work/wt/",
		"/" + "work/shared",
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if rel == ".git" { // a directory, or a file in a worktree
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			switch rel {
			case "tools/oracle/node_modules", "tools/oracle/work", "tools/graphcheck/node_modules", ".serverless":
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.IndexByte(string(data), 0) >= 0 {
			return nil // a binary built here, such as ./stepform
		}
		for _, s := range forbidden {
			if i := strings.Index(string(data), s); i >= 0 {
				line := strings.Count(string(data[:i]), "\n") + 1
				t.Errorf("%s:%d refers to %q, outside the repository", rel, line, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
