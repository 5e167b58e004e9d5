package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
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
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	// The template, the core template and the deploy state; no temporary files.
	want := []string{"cloudformation-template-create-stack.json", templateFile, "serverless-state.json"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("files in out: %v, want %v", names, want)
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

// TestMain lets a test run this binary as stepform itself, for what only a
// real process shows (standard output that is a full device).
func TestMain(m *testing.M) {
	if os.Getenv("STEPFORM_TEST_RUN_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

func TestUsageErrorIsOneLineOnStderr(t *testing.T) {
	dir := writeService(t, okService)
	for _, tc := range []struct {
		args []string
		hint string
	}{
		{[]string{"compile", "--bogus"}, "stepform compile"},
		{[]string{"compile", "--format"}, "stepform compile"},
		{[]string{"package", "-o"}, "stepform package"},
		{[]string{"version", "--bogus"}, "stepform version"},
		{[]string{"--bogus"}, "stepform"},
		{[]string{"nosuchcommand"}, "stepform"},
		{[]string{"help", "nosuchcommand"}, "stepform"},
		{nil, "stepform"},
	} {
		code, out, errOut := runCLI(t, dir, tc.args...)
		lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
		if code != 2 || out != "" || len(lines) != 2 || !strings.HasPrefix(lines[0], "stepform: ") ||
			lines[1] != "Run '"+tc.hint+" --help' for usage." {
			t.Errorf("%v: exit %d\nstdout:\n%s\nstderr:\n%s", tc.args, code, out, errOut)
		}
	}
	if _, _, errOut := runCLI(t, dir, "compile", "--bogus"); !strings.Contains(errOut, "flag provided but not defined: --bogus") {
		t.Errorf("the flag is not named as written:\n%s", errOut)
	}
}

func TestExtraArgumentsAreUsageErrors(t *testing.T) {
	dir := writeService(t, okService)
	for _, args := range [][]string{
		{"compile", "serverless.yml", "other.yml"},
		{"package", "serverless.yml", "other.yml"},
		{"compile", "--config", "serverless.yml", "other.yml"},
		{"version", "extra"},
	} {
		code, out, errOut := runCLI(t, dir, args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "Run 'stepform "+args[0]+" --help'") {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s", args, code, out, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".serverless")); err == nil {
		t.Error("package with extra arguments wrote output")
	}
}

func TestVersionFlagAndHelpCommand(t *testing.T) {
	dir := t.TempDir()
	_, want, _ := runCLI(t, dir, "version")
	for _, flag := range []string{"--version", "-v"} {
		if code, out, errOut := runCLI(t, dir, flag); code != 0 || out != want {
			t.Errorf("%s: exit %d, stdout %q (want %q), stderr %q", flag, code, out, want, errOut)
		}
	}
	if code, out, errOut := runCLI(t, dir, "help"); code != 0 || !strings.Contains(out, "compile") || !strings.Contains(out, "package") {
		t.Errorf("help: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, dir, "help", "compile"); code != 0 || !strings.Contains(out, "--compat") {
		t.Errorf("help compile: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// failingWriter fails every write, like a full disk.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

func TestUnwritableOutputExitsOne(t *testing.T) {
	dir := writeService(t, okService)
	wd, _ := os.Getwd()
	os.Chdir(dir)
	defer os.Chdir(wd)
	for _, args := range [][]string{{"compile"}, {"version"}, {"--version"}, {"--help"}, {"compile", "--help"}} {
		var errOut bytes.Buffer
		code := run(append([]string{"stepform"}, args...), failingWriter{}, &errOut, map[string]string{"GREETING": "hi"})
		if code != 1 || !strings.Contains(errOut.String(), "cannot write standard output: no space left on device") {
			t.Errorf("%v: exit %d, stderr:\n%s", args, code, errOut.String())
		}
	}
}

type failingCloser struct{}

func (failingCloser) Close() error { return errors.New("stale NFS file handle") }

func TestFailedCloseOfStdoutExitsOne(t *testing.T) {
	var errOut bytes.Buffer
	if code := closeStdout(exitOK, failingCloser{}, &errOut); code != 1 || !strings.Contains(errOut.String(), "stale NFS file handle") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
	// A failed run keeps its own code and message.
	errOut.Reset()
	if code := closeStdout(exitUsage, failingCloser{}, &errOut); code != 2 || errOut.Len() != 0 {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}

func TestStdoutToDevFullExitsOne(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full on this system")
	}
	defer full.Close()
	dir := writeService(t, okService)
	cmd := exec.Command(os.Args[0], "compile")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "STEPFORM_TEST_RUN_MAIN=1", "GREETING=hi")
	cmd.Stdout = full
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(errOut.String(), "cannot write standard output") {
		t.Errorf("%v, stderr:\n%s", err, errOut.String())
	}
}

func TestPackageRefusesYAML(t *testing.T) {
	dir := writeService(t, okService)
	for _, args := range [][]string{{"package", "--format", "yaml"}, {"package", "-f=yaml"}} {
		code, _, errOut := runCLI(t, dir, args...)
		if code != 2 || !strings.Contains(errOut, "stepform compile --format yaml") {
			t.Errorf("%v: exit %d, stderr:\n%s", args, code, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".serverless")); err == nil {
		t.Error("package --format yaml wrote output")
	}
}

func TestPackageSyncsBeforeRenameAndDirectoryAfter(t *testing.T) {
	dir := writeService(t, okService)
	out := filepath.Join(dir, ".serverless")
	path := filepath.Join(out, templateFile)
	os.Mkdir(out, 0o755)
	os.WriteFile(path, []byte("old"), 0o644)
	var synced []string
	syncFile = func(f *os.File) error {
		current, _ := os.ReadFile(path)
		synced = append(synced, filepath.Base(f.Name())+" when the template was "+map[bool]string{true: "old", false: "new"}[string(current) == "old"])
		return f.Sync()
	}
	defer func() { syncFile = (*os.File).Sync }()
	if code, _, errOut := runCLI(t, dir, "package"); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	if len(synced) != 2 || !strings.HasPrefix(synced[0], tempPrefix) || !strings.HasSuffix(synced[0], "when the template was old") ||
		synced[1] != ".serverless when the template was new" {
		t.Errorf("want the temporary file synced before the rename and the directory after; synced: %q", synced)
	}
}

func TestPackageKeepsFileMode(t *testing.T) {
	dir := writeService(t, okService)
	path := filepath.Join(dir, ".serverless", templateFile)
	if code, _, errOut := runCLI(t, dir, "package"); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o644 {
		t.Errorf("new file: mode %v, want 0644", info.Mode().Perm())
	}
	os.Chmod(path, 0o600)
	if code, _, errOut := runCLI(t, dir, "package", "--stage", "prod"); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("rewritten file: mode %v, want the previous 0600", info.Mode().Perm())
	}
}

func TestPackageRemovesStaleTemporaryFiles(t *testing.T) {
	dir := writeService(t, okService)
	out := filepath.Join(dir, ".serverless")
	os.Mkdir(out, 0o755)
	ended := exec.Command(os.Args[0], "-test.run=^$")
	if err := ended.Run(); err != nil {
		t.Fatal(err)
	}
	deadPID, livePID := ended.Process.Pid, os.Getppid()
	old := time.Now().Add(-2 * staleTempAge)
	files := []struct {
		name  string
		old   bool
		stays bool
	}{
		{fmt.Sprintf(".stepform-%d-123.tmp", deadPID), false, false},    // a killed run's
		{fmt.Sprintf(".stepform-%d-456.tmp", livePID), false, true},     // a running one's
		{fmt.Sprintf(".stepform-%d-789.tmp", livePID), true, false},     // its pid since reused
		{".stepform-1234567.tmp", false, true},                          // an earlier version's, maybe running
		{".stepform-7654321.tmp", true, false},                          // an earlier version's, left over
		{fmt.Sprintf(".stepform-%d-notes.tmp", deadPID), true, true},    // not our pattern
		{"other.tmp", true, true},                                       // not ours
		{fmt.Sprintf(".stepform-%d-123.tmp.keep", deadPID), true, true}, // not ours
	}
	for _, f := range files {
		p := filepath.Join(out, f.name)
		os.WriteFile(p, []byte("partial"), 0o600)
		if f.old {
			os.Chtimes(p, old, old)
		}
	}
	if code, _, errOut := runCLI(t, dir, "package"); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	for _, f := range files {
		_, err := os.Stat(filepath.Join(out, f.name))
		if stayed := err == nil; stayed != f.stays {
			t.Errorf("%s: stayed %v, want %v", f.name, stayed, f.stays)
		}
	}
}

func TestPackageUnwritableOutputExitsOne(t *testing.T) {
	dir := writeService(t, okService)
	os.WriteFile(filepath.Join(dir, "file"), nil, 0o644)
	code, _, errOut := runCLI(t, dir, "package", "--output", "file/sub")
	if code != 1 || !strings.Contains(errOut, "cannot write file/sub/"+templateFile) {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}

// The README's workflow reads the file `stepform package` writes: run
// again and again, the template stays the same.
func TestPackageWithOwnOutputAsBase(t *testing.T) {
	dir := writeService(t, `service: svc
provider: {name: aws}
stepFunctions:
  stateMachines:
    hello:
      events:
        - http: {path: start, method: post, cors: true}
      definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}
resources:
  Resources:
    Queue: {Type: "AWS::SQS::Queue"}
`)
	template := filepath.Join(dir, ".serverless", "cloudformation-template-update-stack.json")
	var first []byte
	for run := 1; run <= 3; run++ {
		args := []string{"package"}
		if run > 1 {
			args = append(args, "--base", ".serverless/cloudformation-template-update-stack.json")
		}
		if code, _, errOut := runCLI(t, dir, args...); code != 0 {
			t.Fatalf("run %d: exit %d, stderr:\n%s", run, code, errOut)
		}
		out, err := os.ReadFile(template)
		if err != nil {
			t.Fatal(err)
		}
		if run == 1 {
			first = out
		} else if !bytes.Equal(out, first) {
			t.Fatalf("run %d wrote another template:\n%s", run, out)
		}
	}
}

// TestFlagNamesAreUrfaves: flagName and flagNames, and the Names() of
// the flags that stand in for urfave/cli's string flags, give what
// urfave/cli's own Names() gives, for every flag of every command.
func TestFlagNamesAreUrfaves(t *testing.T) {
	app := newApp(io.Discard, io.Discard, nil)
	flags := append([]cli.Flag{}, app.Flags...)
	for _, cmd := range app.Commands {
		flags = append(flags, cmd.Flags...)
	}
	standIns := 0
	for _, f := range flags {
		var own cli.Flag = f
		switch f := f.(type) {
		case *stringFlag:
			own = &f.StringFlag
			standIns++
		case *stringSliceFlag:
			own = &f.StringSliceFlag
			standIns++
		}
		want := own.Names()
		if got := f.Names(); !slices.Equal(got, want) {
			t.Errorf("Names() %q; urfave/cli's %q", got, want)
		}
		if got := flagNames(own); !slices.Equal(got, want) || flagName(own) != want[0] {
			t.Errorf("flagNames %q, flagName %q; urfave/cli's Names() %q", got, flagName(own), want)
		}
	}
	if standIns < 20 {
		t.Fatalf("only %d string flags stand in for urfave/cli's", standIns)
	}
}
