package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// copyExample copies examples/<name> into a fresh directory.
func copyExample(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "..", "examples", name)
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readFolder returns every file of a package folder by name.
func readFolder(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		files[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// TestPackageSyncAPIWithoutNode: the seed's example packages with
// stepform alone: no warning about undefined references, the hello
// function defined in the template, a zip holding handler.js, and a state
// whose artifact folder is the one the template's S3Key names.
func TestPackageSyncAPIWithoutNode(t *testing.T) {
	dir := copyExample(t, "sync-api")
	code, _, errOut := runCLI(t, dir, "package", "--stage", "dev")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	if strings.Contains(errOut, "not defined") || strings.Contains(errOut, "warning") {
		t.Errorf("stderr has warnings:\n%s", errOut)
	}
	files := readFolder(t, filepath.Join(dir, ".serverless"))
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	if got, want := strings.Join(names, " "), "cloudformation-template-create-stack.json cloudformation-template-update-stack.json orders.zip serverless-state.json"; got != want {
		t.Fatalf("package folder holds %s, want %s", got, want)
	}
	var tpl struct {
		Resources map[string]struct {
			Type       string
			Properties struct{ Code struct{ S3Key string } }
		}
	}
	if err := json.Unmarshal(files[templateFile], &tpl); err != nil {
		t.Fatal(err)
	}
	hello, ok := tpl.Resources["HelloLambdaFunction"]
	if !ok || hello.Type != "AWS::Lambda::Function" {
		t.Fatalf("the template does not define HelloLambdaFunction: %+v", hello)
	}
	zr, err := zip.NewReader(bytes.NewReader(files["orders.zip"]), int64(len(files["orders.zip"])))
	if err != nil {
		t.Fatal(err)
	}
	var entries []string
	for _, f := range zr.File {
		entries = append(entries, f.Name)
	}
	if strings.Join(entries, " ") != "handler.js" {
		t.Errorf("orders.zip holds %v, want handler.js", entries)
	}
	var state struct {
		Package struct {
			ArtifactDirectoryName string `json:"artifactDirectoryName"`
		} `json:"package"`
	}
	if err := json.Unmarshal(files["serverless-state.json"], &state); err != nil {
		t.Fatal(err)
	}
	if want := state.Package.ArtifactDirectoryName + "/orders.zip"; state.Package.ArtifactDirectoryName == "" || hello.Properties.Code.S3Key != want {
		t.Errorf("S3Key %q, state's artifactDirectoryName %q", hello.Properties.Code.S3Key, state.Package.ArtifactDirectoryName)
	}

	// compile hashes the same zips without writing them: the same template.
	code, out, errOut := runCLI(t, dir, "compile", "--stage", "dev")
	if code != 0 {
		t.Fatalf("compile: exit %d:\n%s", code, errOut)
	}
	if out != string(files[templateFile]) {
		t.Error("compile prints a different template from the one package writes")
	}
}

// TestPackageIsDeterministic: two copies of a service packaged separately
// give the same bytes in every file (template, zips, state, create-stack).
func TestPackageIsDeterministic(t *testing.T) {
	var folders []map[string][]byte
	for range 2 {
		dir := copyExample(t, "sync-api")
		if code, _, errOut := runCLI(t, dir, "package", "--stage", "prod"); code != 0 {
			t.Fatalf("exit %d:\n%s", code, errOut)
		}
		folders = append(folders, readFolder(t, filepath.Join(dir, ".serverless")))
	}
	if len(folders[0]) != 4 || len(folders[0]) != len(folders[1]) {
		t.Fatalf("folders hold %d and %d files", len(folders[0]), len(folders[1]))
	}
	for name, data := range folders[0] {
		if !bytes.Equal(data, folders[1][name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

// TestPackageLeavesFolderOnCompileError: the zips are built before the
// template; when compiling then fails, the folder is left as it was.
func TestPackageLeavesFolderOnCompileError(t *testing.T) {
	dir := copyExample(t, "sync-api")
	if code, _, errOut := runCLI(t, dir, "package", "--stage", "dev"); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	before := readFolder(t, filepath.Join(dir, ".serverless"))
	os.WriteFile(filepath.Join(dir, "handler.js"), []byte("exports.hello = async () => 'changed';\n"), 0o644)
	yml, _ := os.ReadFile(filepath.Join(dir, "serverless.yml"))
	broken := strings.Replace(string(yml), "StartAt: Hello", "StartAt: Nowhere", 1)
	os.WriteFile(filepath.Join(dir, "serverless.yml"), []byte(broken), 0o644)
	if code, _, _ := runCLI(t, dir, "package", "--stage", "dev"); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	after := readFolder(t, filepath.Join(dir, ".serverless"))
	if len(after) != len(before) {
		t.Errorf("the folder holds %d files, before %d (a temporary zip left behind?)", len(after), len(before))
	}
	for name, data := range before {
		if !bytes.Equal(data, after[name]) {
			t.Errorf("%s changed although the package failed", name)
		}
	}
}

// TestPackageLeavesFolderOnWriteError: every file is written and synced
// under a temporary name before any is renamed, so when one cannot be
// written (here the template's sync fails) no file of the folder changes:
// not the zips, the state, the create-stack template nor the template.
func TestPackageLeavesFolderOnWriteError(t *testing.T) {
	dir := copyExample(t, "sync-api")
	if code, _, errOut := runCLI(t, dir, "package", "--stage", "dev"); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	before := readFolder(t, filepath.Join(dir, ".serverless"))
	if len(before) != 4 {
		t.Fatalf("the folder holds %d files, want the template, the zip, the state and the create-stack template", len(before))
	}
	os.WriteFile(filepath.Join(dir, "handler.js"), []byte("exports.hello = async () => 'changed';\n"), 0o644)
	syncFile = func(f *os.File) error {
		if strings.HasPrefix(filepath.Base(f.Name()), tempPrefix) {
			return errors.New("disk on fire")
		}
		return f.Sync()
	}
	defer func() { syncFile = (*os.File).Sync }()
	code, _, errOut := runCLI(t, dir, "package", "--stage", "prod")
	if code != 1 || !strings.Contains(errOut, "cannot write") || !strings.Contains(errOut, "disk on fire") {
		t.Fatalf("exit %d, want 1 and the write error:\n%s", code, errOut)
	}
	after := readFolder(t, filepath.Join(dir, ".serverless"))
	if len(after) != len(before) {
		t.Errorf("the folder holds %d files, before %d (a temporary file left behind?)", len(after), len(before))
	}
	for name, data := range before {
		if !bytes.Equal(data, after[name]) {
			t.Errorf("%s changed although the package failed", name)
		}
	}
}

// TestPackageWithBaseKeepsTheFrameworksZips: with --base, the template
// names the framework's zips (its S3 folder, its hashes), so stepform
// writes none; it puts the merged template into the state sls package
// left, which is where `sls deploy --package` reads the template from.
func TestPackageWithBaseKeepsTheFrameworksZips(t *testing.T) {
	dir := copyExample(t, "sync-api")
	sls := filepath.Join(dir, ".serverless")
	os.MkdirAll(sls, 0o755)
	base := `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"HelloLambdaFunction": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"S3Bucket": "b", "S3Key": "serverless/orders/dev/1-x/orders.zip"}, "Role": "arn:aws:iam::1:role/r", "Handler": "handler.hello", "Runtime": "nodejs18.x"}}}}`
	os.WriteFile(filepath.Join(dir, "base.json"), []byte(base), 0o644)
	state := `{"service": {"service": "orders", "provider": {"name": "aws", "compiledCloudFormationTemplate": {}}}, "package": {"artifactDirectoryName": "serverless/orders/dev/1-x", "artifact": "orders.zip"}}`
	os.WriteFile(filepath.Join(sls, "serverless-state.json"), []byte(state), 0o644)
	os.WriteFile(filepath.Join(sls, "orders.zip"), []byte("the framework's zip"), 0o644)
	code, _, errOut := runCLI(t, dir, "package", "--stage", "dev", "--base", "base.json")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	files := readFolder(t, sls)
	if string(files["orders.zip"]) != "the framework's zip" {
		t.Error("the framework's zip was replaced")
	}
	var got struct {
		Service struct {
			Provider struct {
				Template map[string]any `json:"compiledCloudFormationTemplate"`
			} `json:"provider"`
		} `json:"service"`
		Package struct {
			ArtifactDirectoryName string `json:"artifactDirectoryName"`
		} `json:"package"`
	}
	if err := json.Unmarshal(files["serverless-state.json"], &got); err != nil {
		t.Fatal(err)
	}
	var tpl map[string]any
	json.Unmarshal(files[templateFile], &tpl)
	if a, _ := json.Marshal(got.Service.Provider.Template); string(a) != mustJSON(t, tpl) || len(tpl) == 0 {
		t.Error("the state's compiledCloudFormationTemplate is not the template written")
	}
	if got.Package.ArtifactDirectoryName != "serverless/orders/dev/1-x" {
		t.Errorf("artifactDirectoryName became %q", got.Package.ArtifactDirectoryName)
	}

	// Without the framework's state, only the template, and a note.
	os.RemoveAll(sls)
	code, _, errOut = runCLI(t, dir, "package", "--stage", "dev", "--base", "base.json")
	if code != 0 || !strings.Contains(errOut, "only the template is written") {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	if files := readFolder(t, sls); len(files) != 1 || files[templateFile] == nil {
		t.Errorf("with --base and no state, the folder holds %d files", len(files))
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCompileAndPackageAgreeOnLayers: a layer's hash (its retained
// version's logical ID and Hash output) is taken over the zip's bytes,
// which compile zips again in memory and package reads from the folder.
func TestCompileAndPackageAgreeOnLayers(t *testing.T) {
	dir := writeService(t, `service: lay
provider: {name: aws, runtime: nodejs20.x}
layers:
  deps: {path: layer, retain: true}
functions:
  hello: {handler: handler.hello, layers: [{Ref: DepsLambdaLayer}]}
`)
	os.WriteFile(filepath.Join(dir, "handler.js"), []byte("exports.hello = async () => ({});\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "layer", "nodejs"), 0o755)
	os.WriteFile(filepath.Join(dir, "layer", "nodejs", "lib.js"), []byte("module.exports = 1;\n"), 0o644)
	code, out, errOut := runCLI(t, dir, "compile")
	if code != 0 {
		t.Fatalf("compile: exit %d:\n%s", code, errOut)
	}
	if code, _, errOut := runCLI(t, dir, "package"); code != 0 {
		t.Fatalf("package: exit %d:\n%s", code, errOut)
	}
	written, _ := os.ReadFile(filepath.Join(dir, ".serverless", templateFile))
	if out != string(written) {
		t.Errorf("compile and package disagree:\ncompile:\n%s\npackage:\n%s", out, written)
	}
	if !strings.Contains(out, `"DepsLambdaLayerHash"`) || !strings.Contains(out, `"DeletionPolicy": "Retain"`) {
		t.Errorf("no retained layer in the template:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, ".serverless", "deps.zip")); err != nil {
		t.Error(err)
	}
}

// TestPackageFromOutsideTheServiceFolder: with --config naming a service
// in another folder, packaging reads the code and writes the package
// folder relative to the service folder, as the framework (which runs in
// the service folder) does: the same template as from inside, the zip
// holding handler.js, nothing written in the working directory, and a
// package setting's error pointing into that service's file.
func TestPackageFromOutsideTheServiceFolder(t *testing.T) {
	root := t.TempDir()
	service := filepath.Join(root, "examples", "sync-api")
	if err := os.MkdirAll(filepath.Dir(service), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(copyExample(t, "sync-api"), service); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join("examples", "sync-api", "serverless.yml")
	code, _, errOut := runCLI(t, root, "package", "--config", config, "--stage", "dev")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(root, ".serverless")); !os.IsNotExist(err) {
		t.Errorf("package wrote into the working directory (%v)", err)
	}
	files := readFolder(t, filepath.Join(service, ".serverless"))
	zr, err := zip.NewReader(bytes.NewReader(files["orders.zip"]), int64(len(files["orders.zip"])))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 1 || zr.File[0].Name != "handler.js" {
		t.Errorf("the zip holds %v, want handler.js", zr.File)
	}
	_, outside, _ := runCLI(t, root, "compile", "--config", config, "--stage", "dev")
	_, inside, _ := runCLI(t, service, "compile", "--stage", "dev")
	if outside == "" || outside != inside {
		t.Errorf("compile from outside the service folder differs from inside:\n%s", outside)
	}
	if !bytes.Equal(files[templateFile], []byte(inside)) {
		t.Errorf("the packaged template is not what compile prints")
	}

	yml, err := os.ReadFile(filepath.Join(service, "serverless.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(service, "serverless.yml"), append(yml, "package:\n  patterns: [\"!**\"]\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, root, "compile", "--config", config, "--stage", "dev")
	if code != 1 || out != "" || !strings.Contains(errOut, config+":") || !strings.Contains(errOut, "cannot package the service") {
		t.Errorf("invalid package settings: exit %d, stdout %d bytes, stderr:\n%s", code, len(out), errOut)
	}
}
