package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs stepform in dir and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var out, errOut bytes.Buffer
	code := run(append([]string{"stepform"}, args...), &out, &errOut, map[string]string{"GREETING": "hi"})
	return code, out.String(), errOut.String()
}

func writeService(t *testing.T, yml string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "serverless.yml"), []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const okService = `service: svc
provider: {name: aws}
stepFunctions:
  stateMachines:
    hello:
      name: hello-${sls:stage}-${env:GREETING}
      definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}
`

func TestCompilePrintsTemplate(t *testing.T) {
	dir := writeService(t, okService)
	code, out, errOut := runCLI(t, dir, "compile", "--stage", "prod")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v", err)
	}
	if !strings.Contains(out, `"StateMachineName": "hello-prod-hi"`) {
		t.Errorf("stage and env not applied:\n%s", out)
	}
}

func TestFlagsAfterPositionalArgument(t *testing.T) {
	dir := writeService(t, okService)
	code, out, errOut := runCLI(t, dir, "compile", "serverless.yml", "--stage", "qa", "--format=yaml")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, "StateMachineName: hello-qa-hi") {
		t.Errorf("flags after the file were ignored:\n%s", out)
	}
}

func TestConfigErrorsExitOne(t *testing.T) {
	dir := writeService(t, "service: svc\nprovider: {name: aws}\nstepFunctions:\n  stateMachines:\n    m:\n      defintion: {}\n      retain: yes please\n")
	code, out, errOut := runCLI(t, dir, "compile")
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	for _, want := range []string{
		`serverless.yml:5:5: error: state machine "m" has no definition`,
		`serverless.yml:6:7: error: unknown key "defintion" in state machine "m"`,
		`Did you mean "definition"?`,
		`serverless.yml:7:15: error: retain must be a boolean`,
		"stepform: 3 errors",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	dir := writeService(t, okService)
	for _, args := range [][]string{
		{"compile", "--bogus"},
		{"compile", "--format", "xml"},
		{"compile", "--compat", "sam"},
		{"compile", "--param", "novalue"},
		{"nosuchcommand"},
	} {
		if code, _, errOut := runCLI(t, dir, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2; stderr:\n%s", args, code, errOut)
		}
	}
}

func TestPackageIsAtomic(t *testing.T) {
	dir := writeService(t, okService)
	code, _, errOut := runCLI(t, dir, "package", "--output", "out")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	path := filepath.Join(dir, "out", templateFile)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A broken configuration must leave the previous template untouched.
	os.WriteFile(filepath.Join(dir, "serverless.yml"), []byte("service: [unclosed"), 0o644)
	if code, _, _ := runCLI(t, dir, "package", "--output", "out"); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(good, after) {
		t.Error("the failed run changed the template")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "out"))
	if len(entries) != 1 {
		t.Errorf("left files behind: %v", entries)
	}
}

func TestDefaultConfigYamlExtension(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "serverless.yaml"), []byte(okService), 0o644)
	if code, _, errOut := runCLI(t, dir, "compile"); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
}

func TestVersionAndHelp(t *testing.T) {
	dir := t.TempDir()
	if code, out, _ := runCLI(t, dir, "version"); code != 0 || !strings.HasPrefix(out, "stepform ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
	for _, cmd := range []string{"compile", "package"} {
		code, out, _ := runCLI(t, dir, cmd, "--help")
		if code != 0 || !strings.Contains(out, "--compat") {
			t.Errorf("%s --help: exit %d:\n%s", cmd, code, out)
		}
	}
}

func TestCompatPluginAndBase(t *testing.T) {
	dir := writeService(t, okService)
	base := `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Existing": {"Type": "AWS::SNS::Topic"}}}`
	os.WriteFile(filepath.Join(dir, "base.json"), []byte(base), 0o644)
	code, out, errOut := runCLI(t, dir, "compile", "--compat", "plugin", "--base", "base.json")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	if !strings.Contains(out, `"Existing"`) || !strings.Contains(out, `"HelloDashdevDashhi"`) {
		t.Errorf("base not merged:\n%s", out)
	}
}
