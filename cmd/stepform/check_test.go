package main

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	sarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"github.com/xeipuuv/gojsonschema"
)

// badService has two errors and two warnings.
const badService = `service: svc
provider: {name: aws}
stepFunctions:
  stateMachines:
    hello:
      definition:
        StartAt: A
        States:
          A: {Type: Pass, Next: Gone}
          Orphan: {Type: Succeed}
          "Pause 'a bit'": {Type: Wiat, End: true}
`

func TestCheckTextIsCompilesDiagnostics(t *testing.T) {
	dir := writeService(t, badService)
	code, out, errOut := runCLI(t, dir, "check")
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	_, _, compileErr := runCLI(t, dir, "compile")
	if errOut != compileErr {
		t.Errorf("check and compile print different diagnostics:\ncheck:\n%s\ncompile:\n%s", errOut, compileErr)
	}
}

func TestCheckPassesWithoutWritingTheTemplate(t *testing.T) {
	dir := writeService(t, okService)
	code, out, errOut := runCLI(t, dir, "check")
	if code != 0 || out != "" || errOut != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, dir, "check", "--diagnostics", "json")
	if code != 0 || out != "[]\n" {
		t.Fatalf("exit %d, stdout %q: want an empty array", code, out)
	}
}

func TestCheckJSON(t *testing.T) {
	dir := writeService(t, badService)
	code, out, errOut := runCLI(t, dir, "check", "-d", "json")
	if code != 1 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	want := []map[string]any{
		{"file": "serverless.yml", "line": 9.0, "column": 33.0, "end": map[string]any{"line": 9.0, "column": 37.0},
			"severity": "error", "code": "SF4003", "summary": `Next names no state "Gone"`},
		{"file": "serverless.yml", "line": 10.0, "column": 11.0, "end": map[string]any{"line": 10.0, "column": 17.0},
			"severity": "warning", "code": "SF4008", "summary": `state "Orphan" is unreachable`},
		// A quoted key ends after its closing quote.
		{"file": "serverless.yml", "line": 11.0, "column": 11.0, "end": map[string]any{"line": 11.0, "column": 26.0},
			"severity": "warning", "code": "SF4008", "summary": `state "Pause 'a bit'" is unreachable`},
		{"file": "serverless.yml", "line": 11.0, "column": 35.0, "end": map[string]any{"line": 11.0, "column": 39.0},
			"severity": "error", "code": "SF4009", "summary": `unknown state type "Wiat"`},
	}
	if len(got) != len(want) {
		t.Errorf("%d diagnostics, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i]["detail"] == "" || got[i]["detail"] == nil {
			t.Errorf("diagnostic %d has no detail", i)
		}
		delete(got[i], "detail")
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			if reflect.DeepEqual(g, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("missing %v in:\n%s", w, out)
		}
	}
}

// TestCheckSARIFValidates validates the SARIF log, byte for byte as
// written, against the SARIF 2.1.0 JSON schema (OASIS errata 01), and
// reads it with go-sarif, a SARIF library.
func TestCheckSARIFValidates(t *testing.T) {
	dir := writeService(t, badService)
	code, out, errOut := runCLI(t, dir, "check", "--diagnostics=sarif")
	if code != 1 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	report := validateSARIF(t, []byte(out))
	if n := len(report.Runs[0].Results); n != 4 {
		t.Errorf("%d results, want 4", n)
	}
	for _, want := range []string{
		`"ruleId": "SF4003"`, `"level": "warning"`, `"uri": "serverless.yml"`, `"uriBaseId": "%SRCROOT%"`,
		`"startLine": 9`, `"startColumn": 33`, `"endColumn": 37`, `"helpUri": "https://github.com/stepform/stepform/blob/main/docs/diagnostics.md#sf4003"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("SARIF lacks %s:\n%s", want, out)
		}
	}
	// A clean service is a valid log with no results, and exit 0.
	code, out, _ = runCLI(t, writeService(t, okService), "check", "--diagnostics=sarif")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	validateSARIF(t, []byte(out))
	if !strings.Contains(out, `"results": []`) {
		t.Errorf("a clean run needs an empty results array:\n%s", out)
	}
	// The schema does fail a log that breaks it.
	broken := strings.Replace(out, `"version": "2.1.0"`, `"version": "2.1"`, 1)
	if res, err := gojsonschema.Validate(gojsonschema.NewStringLoader(sarifSchema(t)), gojsonschema.NewStringLoader(broken)); err != nil || res.Valid() {
		t.Errorf("a log with a wrong version validates (err %v)", err)
	}
}

func validateSARIF(t *testing.T, out []byte) *sarif.Report {
	t.Helper()
	res, err := gojsonschema.Validate(gojsonschema.NewStringLoader(sarifSchema(t)), gojsonschema.NewBytesLoader(out))
	if err != nil {
		t.Fatalf("SARIF validation failed to run: %v", err)
	}
	for _, e := range res.Errors() {
		t.Errorf("SARIF breaks the 2.1.0 schema: %s", e)
	}
	if !res.Valid() {
		t.Fatalf("invalid SARIF:\n%s", out)
	}
	report, err := sarif.FromBytes(out, sarif.WithStrictValidation())
	if err != nil {
		t.Fatalf("go-sarif cannot read the log: %v\n%s", err, out)
	}
	if len(report.Runs) != 1 || report.Runs[0].Tool.Driver.Name == nil || *report.Runs[0].Tool.Driver.Name != "stepform" {
		t.Fatalf("go-sarif reads no stepform run:\n%s", out)
	}
	return report
}

var sarifSchemaText string

// sarifSchema returns the SARIF 2.1.0 schema that go-sarif embeds (the
// OASIS file, errata 01): the string constant schema in its v210 package,
// read from the module's source.
func sarifSchema(t *testing.T) string {
	t.Helper()
	if sarifSchemaText != "" {
		return sarifSchemaText
	}
	const module = "github.com/owenrumney/go-sarif/v3"
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
	if err != nil {
		t.Fatalf("go list -m %s: %v", module, err)
	}
	file := filepath.Join(strings.TrimSpace(string(dir)), "pkg", "report", "v210", "sarif", "schema.go")
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if v, ok := n.(*ast.ValueSpec); ok && len(v.Names) == 1 && v.Names[0].Name == "schema" && len(v.Values) == 1 {
			if lit, ok := v.Values[0].(*ast.BasicLit); ok {
				sarifSchemaText, _ = strconv.Unquote(lit.Value)
			}
		}
		return true
	})
	if !strings.Contains(sarifSchemaText, `"id": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"`) {
		t.Fatalf("%s holds no SARIF 2.1.0 schema constant", file)
	}
	return sarifSchemaText
}

func TestCheckRejectsUnknownDiagnosticsFormat(t *testing.T) {
	dir := writeService(t, okService)
	code, _, errOut := runCLI(t, dir, "check", "--diagnostics", "xml")
	if code != 2 || !strings.Contains(errOut, "--diagnostics must be text, json or sarif") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, dir, "check", "--format", "yaml")
	if code != 2 {
		t.Fatalf("check --format: exit %d, stderr %q", code, errOut)
	}
}

// TestCheckREADMEExample runs the README's example of stepform check
// (examples/check) and compares its output with the README's.
func TestCheckREADMEExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, found := strings.Cut(string(readme), "$ stepform check\n")
	block, _, _ = strings.Cut(block, "```")
	if !found || block == "" {
		t.Fatal("README.md has no $ stepform check example")
	}
	code, out, errOut := runCLI(t, "../../examples/check", "check")
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if errOut != block {
		t.Errorf("README's example differs from the output:\n%s", errOut)
	}
	// And the README's SARIF result is the output's.
	_, sarifOut, _ := runCLI(t, "../../examples/check", "check", "-d", "sarif")
	_, snippet, _ := strings.Cut(string(readme), "A result looks like:\n\n```json\n")
	snippet, _, _ = strings.Cut(snippet, "```")
	var want, log map[string]any
	if err := json.Unmarshal([]byte(snippet), &want); err != nil {
		t.Fatalf("README's SARIF result: %v", err)
	}
	if err := json.Unmarshal([]byte(sarifOut), &log); err != nil {
		t.Fatal(err)
	}
	results := log["runs"].([]any)[0].(map[string]any)["results"].([]any)
	found = false
	for _, r := range results {
		found = found || reflect.DeepEqual(r, want)
	}
	if !found {
		t.Errorf("README's SARIF result is not in the output:\n%s", sarifOut)
	}
}

// TestCheckSARIFFileWideProblem: a problem with no line (an unreadable
// file) is still a valid result, at the file's first line (code scanning
// needs a startLine).
func TestCheckSARIFFileWideProblem(t *testing.T) {
	code, out, _ := runCLI(t, t.TempDir(), "check", "--config", "missing.yml", "-d", "sarif")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	report := validateSARIF(t, []byte(out))
	results := report.Runs[0].Results
	if len(results) != 1 || *results[0].RuleID != "SF1001" || !strings.Contains(out, `"uri": "missing.yml"`) || !strings.Contains(out, `"startLine": 1`) || strings.Contains(out, "startColumn") {
		t.Errorf("want one SF1001 result at line 1 of missing.yml:\n%s", out)
	}
	code, out, _ = runCLI(t, t.TempDir(), "check", "--config", "missing.yml", "-d", "json")
	if code != 1 || !strings.Contains(out, `"file": "missing.yml"`) || strings.Contains(out, `"line"`) {
		t.Errorf("exit %d:\n%s", code, out)
	}
}
