package customresources

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// The template's Handler values name these files; the zip holds them and nothing else.
var wantFiles = []string{
	"api-gateway-cloud-watch-role/handler.js",
	"cognito-user-pool/handler.js",
	"event-bridge/handler.js",
	"lib/custom-resource.js",
	"lib/lambda-permission.js",
	"s3/handler.js",
}

func TestFSHoldsExactlyTheHandlerFiles(t *testing.T) {
	var got []string
	err := fs.WalkDir(FS, ".", func(name string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !entry.IsDir() {
			got = append(got, name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, wantFiles) {
		t.Errorf("FS holds %q, want %q", got, wantFiles)
	}
	if ArtifactName != "custom-resources.zip" {
		t.Errorf("ArtifactName = %q, want the framework's custom-resources.zip", ArtifactName)
	}
}

// nodeOrSkip returns the path of node, or skips: the handlers' own tests
// need Node.js, which CI has and stepform itself never needs.
func nodeOrSkip(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH: the custom-resource handlers' JavaScript checks and tests are skipped (CI runs them)")
	}
	return node
}

func runNode(t *testing.T, dir string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nodeOrSkip(t), args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node %q: %v\n%s", args, err, out)
	}
}

// unpackFS writes FS to a fresh directory, as the zip's content lands in
// the Lambda's task directory.
func unpackFS(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range wantFiles {
		data, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestHandlersAreValidJavaScript(t *testing.T) {
	nodeOrSkip(t)
	dir := unpackFS(t)
	for _, name := range wantFiles {
		runNode(t, dir, "--check", filepath.FromSlash(name))
	}
}

// TestHandlersLoadWithoutTheSDK loads each handler from the unpacked zip,
// where no node_modules exists: the SDK is only required on first use, and
// each module exports the `handler` its template's Handler names.
func TestHandlersLoadWithoutTheSDK(t *testing.T) {
	nodeOrSkip(t)
	dir := unpackFS(t)
	runNode(t, dir, "-e", `
for (const name of ['./s3/handler.js', './event-bridge/handler.js', './api-gateway-cloud-watch-role/handler.js', './cognito-user-pool/handler.js']) {
  const module = require(name);
  if (typeof module.handler !== 'function') throw new Error(name + ' exports no handler function');
  if (typeof module.createHandler !== 'function') throw new Error(name + ' exports no createHandler');
}`)
}

// TestHandlersNodeTests runs the handlers' tests (test/*.test.js, node:test
// with fake AWS clients and a fake response endpoint).
func TestHandlersNodeTests(t *testing.T) {
	nodeOrSkip(t)
	files, err := filepath.Glob(filepath.Join("test", "*.test.js"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 5 {
		t.Fatalf("found only %d test files: %q", len(files), files)
	}
	runNode(t, ".", append([]string{"--test"}, files...)...)
}
