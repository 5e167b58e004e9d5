package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var time0 = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)

const functionService = `service: fns
provider: {name: aws, runtime: nodejs20.x}
package:
  path: build
  patterns: ['!notes/**']
functions:
  hello: {handler: handler.hello}
  own:
    handler: handler.own
    package: {individually: true}
`

// TestPackageWritesDeployFolder: the zips, the create-stack template and a
// state that names them without absolute paths, in package.path, the same
// bytes on every run.
func TestPackageWritesDeployFolder(t *testing.T) {
	dir := writeService(t, functionService)
	os.WriteFile(filepath.Join(dir, "handler.js"), []byte("exports.hello = async () => ({});\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "notes"), 0o755)
	os.WriteFile(filepath.Join(dir, "notes", "n.md"), []byte("n"), 0o644)
	if code, _, errOut := runCLI(t, dir, "package"); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	out := filepath.Join(dir, "build")
	var names []string
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := "cloudformation-template-create-stack.json cloudformation-template-update-stack.json fns.zip own.zip serverless-state.json"
	if strings.Join(names, " ") != want {
		t.Fatalf("files in package.path: %v, want %s", names, want)
	}
	first := map[string][]byte{}
	for _, n := range names {
		first[n], _ = os.ReadFile(filepath.Join(out, n))
	}
	var state struct {
		Service struct {
			Functions map[string]struct {
				Name    string         `json:"name"`
				Package map[string]any `json:"package"`
			} `json:"functions"`
			Provider map[string]any `json:"provider"`
		} `json:"service"`
		Package struct {
			ArtifactDirectoryName string `json:"artifactDirectoryName"`
			Artifact              string `json:"artifact"`
		} `json:"package"`
	}
	if err := json.Unmarshal(first["serverless-state.json"], &state); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(state.Package.ArtifactDirectoryName, "serverless/fns/dev/") || state.Package.Artifact != "fns.zip" {
		t.Errorf("state package %+v", state.Package)
	}
	if f := state.Service.Functions["own"]; f.Name != "fns-dev-own" || f.Package["artifact"] != nil {
		t.Errorf("state function own %+v", f)
	}
	for _, key := range []string{"compiledCloudFormationTemplate", "coreCloudFormationTemplate", "stage", "region"} {
		if state.Service.Provider[key] == nil {
			t.Errorf("state provider has no %s", key)
		}
	}
	// Again, after touching every file: the same bytes.
	old := filepath.Join(dir, "handler.js")
	os.Chtimes(old, time0, time0)
	if code, _, errOut := runCLI(t, dir, "package"); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	for n, data := range first {
		again, _ := os.ReadFile(filepath.Join(out, n))
		if !bytes.Equal(data, again) {
			t.Errorf("%s changed on the second run", n)
		}
	}
	// --output wins over package.path.
	if code, _, errOut := runCLI(t, dir, "package", "--output", "other"); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "other", "fns.zip")); err != nil {
		t.Error(err)
	}
}

func TestPackageReportsPackagingErrors(t *testing.T) {
	dir := writeService(t, `service: fns
provider: {name: aws}
functions:
  hello:
    handler: handler.hello
    package: {artifact: dist/missing.zip}
`)
	code, _, errOut := runCLI(t, dir, "package")
	if code != 1 || !strings.Contains(errOut, "serverless.yml:6:25: error: cannot access package artifact") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, ".serverless", templateFile)); err == nil {
		t.Error("a template was written despite the error")
	}
}

// TestPackageCustomResourcesZip: a service that uses a framework custom
// resource gets custom-resources.zip next to its own zips, named in the
// template; outside .serverless, where sls deploy does not look for it,
// that is a warning.
func TestPackageCustomResourcesZip(t *testing.T) {
	dir := writeService(t, `service: fns
provider: {name: aws, runtime: nodejs20.x}
functions:
  hello:
    handler: handler.hello
    events:
      - s3: {bucket: existing-bucket, existing: true}
`)
	os.WriteFile(filepath.Join(dir, "handler.js"), []byte("exports.hello = async () => ({});\n"), 0o644)
	const warning = "sls deploy does not upload this package's custom-resources.zip"
	code, _, errOut := runCLI(t, dir, "package")
	if code != 0 || strings.Contains(errOut, warning) {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, ".serverless", "custom-resources.zip")); err != nil {
		t.Error(err)
	}
	template, _ := os.ReadFile(filepath.Join(dir, ".serverless", "cloudformation-template-update-stack.json"))
	if !bytes.Contains(template, []byte(`/custom-resources.zip"`)) {
		t.Error("the template does not name custom-resources.zip")
	}
	code, _, errOut = runCLI(t, dir, "package", "--output", "other")
	if code != 0 || !strings.Contains(errOut, warning) {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "other", "custom-resources.zip")); err != nil {
		t.Error(err)
	}
}
