package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateCLI = flag.Bool("update", false, "rewrite testdata/diff/*.txt")

// TestDiffModes runs each input mode of diff on testdata/diff and compares
// standard output with testdata/diff/MODE.txt.
func TestDiffModes(t *testing.T) {
	dir, err := filepath.Abs("testdata/diff")
	if err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "old.json")
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"files.txt", []string{"diff", "old.json", "new.yml"}},
		{"stages.txt", []string{"diff", "--stage", "dev", "--stage", "prod"}},
		{"against_plugin.txt", []string{"diff", "--against", "plugin", "-s", "prod"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			code, out, errOut := runCLI(t, dir, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
			golden := filepath.Join(dir, tc.golden)
			if *updateCLI && os.Getenv("CI") == "" {
				os.WriteFile(golden, []byte(out), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s:\n%s", golden, out)
			}
			// --exit-code: 1 when there are differences.
			if code, _, _ := runCLI(t, dir, append(tc.args, "--exit-code")...); code != 1 {
				t.Errorf("--exit-code with differences: exit %d, want 1", code)
			}
		})
	}
	code, out, _ := runCLI(t, dir, "diff", "--exit-code", old, old)
	if code != 0 || !strings.HasSuffix(out, "No differences.\n") {
		t.Errorf("a template against itself: exit %d, output:\n%s", code, out)
	}
	code, out, _ = runCLI(t, dir, "diff", "--stage", "dev", "--stage", "dev", "--exit-code")
	if code != 0 || !strings.HasSuffix(out, "No differences.\n") {
		t.Errorf("a stage against itself: exit %d, output:\n%s", code, out)
	}
}

func TestDiffFailures(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ok.json"), []byte(`{"Resources": {}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte("{\n  \"Resources\": {\n    \"A\": {\"Type\": \"X\",}\n  }\n}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "serverless.yml"), []byte(okService), 0o644)
	os.WriteFile(filepath.Join(dir, "broken.yml"), []byte("service: svc\nprovider: {name: aws}\nstepFunctions:\n  stateMachines:\n    m:\n      definition: {StartAt: A, States: {A: {Type: Pass}}}\n"), 0o644)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"missing file", []string{"diff", "ok.json", "nope.json"}, 1, "nope.json: error: cannot read template"},
		{"missing file, exit code", []string{"diff", "--exit-code", "ok.json", "nope.json"}, 2, "nope.json: error: cannot read template"},
		{"bad JSON", []string{"diff", "bad.json", "ok.json"}, 1, "bad.json:3:23: error: JSON syntax error"},
		{"stage and files", []string{"diff", "ok.json", "ok.json", "--stage", "dev"}, 2, "--stage applies to the service, not to template files"},
		{"config and files", []string{"diff", "--config", "serverless.yml", "ok.json", "ok.json"}, 2, "--config applies to the service"},
		{"one file", []string{"diff", "ok.json"}, 2, "diff takes two templates, OLD and NEW, not 1"},
		{"one stage", []string{"diff", "--stage", "dev"}, 2, "nothing to compare"},
		{"three stages", []string{"diff", "-s", "a", "-s", "b", "-s", "c"}, 2, "--stage may be given twice"},
		{"nothing", []string{"diff"}, 2, "nothing to compare"},
		{"against other", []string{"diff", "--against", "cdk"}, 2, `--against takes only "plugin", not "cdk"`},
		{"against with compat", []string{"diff", "--against", "plugin", "--compat", "plugin"}, 2, "leave out --compat"},
		{"against two stages", []string{"diff", "--against", "plugin", "-s", "a", "-s", "b"}, 2, "give --stage once"},
		{"bad compat", []string{"diff", "-s", "a", "-s", "b", "--compat", "x"}, 2, `--compat takes only "plugin"`},
		{"config errors", []string{"diff", "-c", "broken.yml", "-s", "a", "-s", "b"}, 1, "stepform: stage a, default mode: 2 errors"},
		{"config errors, exit code", []string{"diff", "-c", "broken.yml", "-s", "a", "-s", "b", "--exit-code"}, 2, "broken.yml:6:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, dir, tc.args...)
			if code != tc.code || out != "" || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("exit %d (want %d), stdout %q, stderr:\n%s\nwant %q", code, tc.code, out, errOut, tc.stderr)
			}
		})
	}
}
