package compiler_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/schema/diag"
)

// TestDefaultModeWarnings pins the default mode's warnings on fixtures
// that compile: a fixture's warnings.txt holds them, rendered. A fixture
// without warnings.txt may not get the warnings of Step Functions' own
// validation (codes SF49xx), so that a new check that fires on an
// existing fixture is looked at, not let through.
func TestDefaultModeWarnings(t *testing.T) {
	checkUpdateAllowed(t)
	names, _ := fixtureNames(t)
	for _, name := range names {
		f := loadFixture(t, name)
		if _, err := os.Stat(filepath.Join(f.dir, "expected.txt")); err == nil {
			continue // the default mode rejects it: expected.txt pins everything
		}
		_, sources, diags := compiler.Build(f.load, defaultOptions(t, f, compiler.Default), compiler.JSON)
		var buf bytes.Buffer
		diag.Render(&buf, diags, func(file string) []byte { return sources[file] })
		golden := filepath.Join(f.dir, "warnings.txt")
		want, err := os.ReadFile(golden)
		if os.IsNotExist(err) {
			for _, d := range diags {
				if code, _ := diag.CodeOf(d.Summary); strings.HasPrefix(code.ID, "SF49") {
					t.Errorf("%s: %s: %s: %s (pin it in %s, or fix the check)", name, d.Pos, code.ID, d.Summary, golden)
				}
			}
			continue
		}
		if *update {
			if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			want = buf.Bytes()
		}
		if err != nil && !*update {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: default-mode warnings differ from %s:\n%s\n--- got:\n%s", name, golden, firstDifference(buf.Bytes(), want), buf.String())
		}
	}
}
