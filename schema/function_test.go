package schema

import (
	"errors"
	"strings"
	"testing"
)

// TestFunctionSettingsCoercion: the framework's schema coercion turns
// numeric strings into numbers and numbers or booleans in environment
// variables and tags into strings, before anything reads them.
func TestFunctionSettingsCoercion(t *testing.T) {
	svc, diags := decodeText(t, `service: s
provider: {name: aws, environment: {PORT: 8080, ON: true}, timeout: "20", versionFunctions: false}
functions:
  f: {handler: h.f, memorySize: "256", timeout: "30", tags: {n: 5}, role: null, vpc: false}
`)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	f := svc.Functions[0]
	if f.MemorySize.Kind != Number || f.MemorySize.Value != "256" || f.Timeout == nil || *f.Timeout != 30 {
		t.Errorf("memorySize %+v, timeout %v", f.MemorySize, f.Timeout)
	}
	env := svc.Provider.Environment
	if env.Get("PORT").Kind != String || env.Get("PORT").Value != "8080" || env.Get("ON").Value != "true" {
		t.Errorf("environment %+v", env.Pairs)
	}
	if f.FunctionTags.Get("n").Kind != String {
		t.Errorf("tag %+v", f.FunctionTags.Get("n"))
	}
	if !f.RolePresent || f.Role.Node != nil || !f.VPCPresent || svc.Provider.VersionFunctions {
		t.Errorf("role %v/%v, vpc %v, versionFunctions %v", f.RolePresent, f.Role, f.VPCPresent, svc.Provider.VersionFunctions)
	}
}

// TestHandlerFilesPerRuntime: the files a handler may live in depend on
// the runtime; compiled runtimes are not checked.
func TestHandlerFilesPerRuntime(t *testing.T) {
	svc, diags := decodeText(t, `service: s
provider: {name: aws, runtime: python3.11}
functions:
  py: {handler: src/app.main}
  node: {handler: lib/h.run, runtime: nodejs20.x}
  rb: {handler: fn.handle, runtime: ruby3.2}
  go: {handler: bin/main, runtime: go1.x}
  java: {handler: com.example.Handler::handleRequest, runtime: java17}
  custom: {handler: bootstrap, runtime: provided.al2}
  prebuilt: {handler: x.y, package: {artifact: build/x.zip}}
`)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	exists := map[string]bool{"src/app.py": true, "lib/h.cjs": true}
	findHandlerFiles(svc, ".", func(p string) ([]byte, error) {
		if exists[p] {
			return nil, nil
		}
		return nil, errors.New("missing")
	})
	want := map[string]string{
		"py":       "src/app.py found",
		"node":     "lib/h.js lib/h.mjs lib/h.cjs found",
		"rb":       "fn.rb missing",
		"go":       "bin/main missing",
		"java":     " unchecked",
		"custom":   " unchecked",
		"prebuilt": " unchecked",
	}
	for _, f := range svc.Functions {
		got := strings.Join(f.HandlerFiles, " ") + " "
		switch {
		case f.HandlerFiles == nil:
			got += "unchecked"
		case f.HandlerFound:
			got += "found"
		default:
			got += "missing"
		}
		if got != want[f.Key] {
			t.Errorf("%s: got %q, want %q", f.Key, got, want[f.Key])
		}
	}
}

func TestFunctionKeysWarn(t *testing.T) {
	_, diags := decodeText(t, "service: s\nprovider: {name: aws}\nfunctions:\n  f: {handler: h.f, logs: {}}\n")
	if got := renderDiags(diags); !strings.Contains(got, `unknown key "logs" in function "f"`) {
		t.Errorf("got %s", got)
	}
}
