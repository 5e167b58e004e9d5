package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stepform/stepform/compiler/inspect"
	"github.com/stepform/stepform/internal/fixtureopts"
)

// inspectCases are services and arguments whose inspect output is pinned
// in testdata/inspect/<name>.txt and .json.
var inspectCases = []struct {
	name, dir string
	args      []string
}{
	{"sync_api", "../../examples/sync-api", nil},
	{"blog_sync_express_plugin", "../../fixtures/blog_sync_express", []string{"--compat", "plugin", "--base", "base.json"}},
	{"http_sync_express_plugin", "../../fixtures/http_sync_express", []string{"--compat", "plugin"}},
	{"logging_default_log_group", "../../fixtures/logging_default_log_group", nil},
	{"http_base_mixed_functions", "../../fixtures/http_base_mixed_functions", []string{"--base", "base.json"}},
	{"http_kitchen_sink", "../../fixtures/http_kitchen_sink", []string{"--base", "base.json"}},
	{"alarms_all_metrics", "../../fixtures/alarms_all_metrics", nil},
	{"notifications_sqs", "../../fixtures/notifications_sqs", nil},
	{"schedule_mixed_methods", "../../fixtures/schedule_mixed_methods", nil},
	{"cloudwatch_event_basic", "../../fixtures/cloudwatch_event_basic", nil},
	{"team_payments", "../../fixtures/team_payments", nil},
	{"function_events_condition", "../../fixtures/function_events_condition", nil},
}

func TestInspectGolden(t *testing.T) {
	for _, tc := range inspectCases {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{"text", "json"} {
				args := append(append([]string{"inspect", "--format", format}, fixtureArgs(t, tc.dir)...), tc.args...)
				code, out, errOut := runCLI(t, tc.dir, args...)
				if code != 0 {
					t.Fatalf("%s: exit %d:\n%s", format, code, errOut)
				}
				if _, again, _ := runCLI(t, tc.dir, args...); again != out {
					t.Fatalf("%s: two runs differ", format)
				}
				ext := map[string]string{"text": ".txt", "json": ".json"}[format]
				checkGolden(t, filepath.Join("testdata", "inspect", tc.name+ext), out)
				if format == "json" {
					checkReportShape(t, out)
				}
			}
		})
	}
}

// fixtureArgs are the arguments in a fixture's args file, as the
// compiler's golden tests read them (--stage dev without one).
func fixtureArgs(t *testing.T, dir string) []string {
	args, err := fixtureopts.Args(dir)
	if err != nil {
		t.Fatal(err)
	}
	return args
}

// checkReportShape decodes the JSON form into inspect.Report with unknown
// fields rejected and encodes it again: the output is exactly the
// documented shape.
func checkReportShape(t *testing.T, out string) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var r inspect.Report
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("JSON output is not an inspect.Report: %v", err)
	}
	if again, err := r.JSON(); err != nil || string(again) != out {
		t.Errorf("JSON output does not round-trip through inspect.Report")
	}
	if r.Version != inspect.Version {
		t.Errorf("version %d, want %d", r.Version, inspect.Version)
	}
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *updateCLI && os.Getenv("CI") == "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("missing golden (go test ./cmd/stepform -run %s -update): %v", t.Name(), err)
	}
	if !bytes.Equal([]byte(got), want) {
		t.Errorf("output differs from %s (go test ./cmd/stepform -update to accept):\n--- got:\n%s", path, got)
	}
}

func TestInspectLogGroupStepformCreates(t *testing.T) {
	code, out, errOut := runCLI(t, "../../fixtures/logging_default_log_group", "inspect", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	var r inspect.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	for _, m := range r.StateMachines {
		if m.Key != "unnamed" {
			continue
		}
		g := m.Logging.LogGroup
		if g == nil || g.Name != "/aws/vendedlogs/states/vended-dev-unnamed" || g.Origin != "stepform" || g.RetentionInDays == nil || *g.RetentionInDays != 30 {
			t.Errorf("log group of unnamed: %+v", g)
		}
		return
	}
	t.Error("no machine unnamed")
}

func TestInspectFailures(t *testing.T) {
	bad := writeService(t, "service: svc\nprovider: {name: aws}\nstepFunctions:\n  stateMachines:\n    m:\n      defintion: {}\n")
	code, out, errOut := runCLI(t, bad, "inspect")
	if code != 1 || out != "" {
		t.Errorf("bad config: exit %d, stdout %q", code, out)
	}
	for _, want := range []string{`serverless.yml:6:7: error: unknown key "defintion" in state machine "m"`, "stepform: 2 errors"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	ok := writeService(t, okService)
	for _, args := range [][]string{
		{"inspect", "--bogus"},
		{"inspect", "--format", "yaml"},
		{"inspect", "--compat", "sam"},
		{"inspect", "a.yml", "b.yml"},
	} {
		if code, out, errOut := runCLI(t, ok, args...); code != 2 || out != "" {
			t.Errorf("%v: exit %d, want 2; stdout %q, stderr:\n%s", args, code, out, errOut)
		}
	}
	code, out, _ = runCLI(t, ok, "inspect", "--help")
	if code != 0 || !strings.Contains(out, "--format FORMAT") || !strings.Contains(out, "--base") {
		t.Errorf("inspect --help: exit %d:\n%s", code, out)
	}
}

// TestReadmeShowsInspectOutput keeps the README's example the real output.
func TestReadmeShowsInspectOutput(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("testdata/inspect/sync_api.txt")
	if err != nil {
		t.Fatal(err)
	}
	// The deployment's ID is a hash of the whole API, which changes with
	// any change to the integration templates.
	deployment := regexp.MustCompile(`ApiGatewayDeployment[0-9a-f]{12}`)
	if !bytes.Contains(deployment.ReplaceAll(readme, nil), deployment.ReplaceAll(golden, nil)) {
		t.Error("README.md's inspect example is not testdata/inspect/sync_api.txt; copy it over")
	}
}

func TestSchemaCommand(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, dir, "schema")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	committed, err := os.ReadFile("../../docs/serverless.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if out != string(committed) {
		t.Error("stepform schema differs from docs/serverless.schema.json")
	}
	for _, args := range [][]string{{"schema", "extra"}, {"schema", "--bogus"}} {
		if code, out, _ := runCLI(t, dir, args...); code != 2 || out != "" {
			t.Errorf("%v: exit %d, stdout %d bytes", args, code, len(out))
		}
	}
	if code, out, _ := runCLI(t, dir, "schema", "--help"); code != 0 || !strings.Contains(out, "yaml-language-server") {
		t.Errorf("schema --help: exit %d:\n%s", code, out)
	}
}

// TestLogRetentionWithoutLogGroupWarns: retentionInDays applies to the log
// group stepform creates, so with level OFF or with destinations it warns.
func TestLogRetentionWithoutLogGroupWarns(t *testing.T) {
	dir := writeService(t, `service: svc
provider: {name: aws}
stepFunctions:
  stateMachines:
    quiet:
      loggingConfig: {level: OFF, retentionInDays: 7}
      definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}
    own:
      loggingConfig:
        level: ALL
        retentionInDays: 7
        destinations: [arn:aws:logs:us-east-1:123456789012:log-group:mine:*]
      definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}
`)
	code, out, errOut := runCLI(t, dir, "compile")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	for _, want := range []string{
		"serverless.yml:6:35: warning: retentionInDays has no effect",
		"here level is OFF, so no log group is created",
		"serverless.yml:11:9: warning: retentionInDays has no effect",
		"here the log groups in destinations are yours",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(out, "AWS::Logs::LogGroup") {
		t.Errorf("a log group was created:\n%s", out)
	}
}
