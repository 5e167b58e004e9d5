package compiler_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/internal/fixtureopts"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

var update = flag.Bool("update", false, "rewrite stepform.json and expected.txt golden files")

const fixturesDir = "../fixtures"

// fixture is one directory of fixtures/: serverless.yml and what it needs.
type fixture struct {
	name, dir string
	load      schema.LoadOptions
	base      map[string]any
}

func loadFixture(t testing.TB, name string) fixture {
	dir := filepath.Join(fixturesDir, name)
	f := fixture{name: name, dir: dir}
	load, err := fixtureopts.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	f.load = load
	if data, err := os.ReadFile(filepath.Join(dir, "base.json")); err == nil {
		base, diags := compiler.ParseBase("base.json", data)
		if diags.HasErrors() {
			t.Fatalf("%s/base.json: %v", name, diags.Err())
		}
		f.base = base
	}
	return f
}

func fixtureNames(t testing.TB) (ok, errs []string) {
	entries, err := os.ReadDir(fixturesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(fixturesDir, e.Name(), "serverless.yml")); err != nil {
			continue
		}
		if strings.HasPrefix(e.Name(), "error_") {
			errs = append(errs, e.Name())
		} else {
			ok = append(ok, e.Name())
		}
	}
	return ok, errs
}

func checkUpdateAllowed(t *testing.T) {
	if *update && os.Getenv("CI") != "" {
		t.Fatal("-update must not run in CI: golden files are reviewed, not regenerated")
	}
}

// TestGolden compiles every fixture in both modes: plugin mode must match
// the real plugin's plugin.json, default mode must match stepform.json
// byte for byte, and every output must be deterministic and well formed.
func TestGolden(t *testing.T) {
	checkUpdateAllowed(t)
	names, _ := fixtureNames(t)
	if len(names) == 0 {
		t.Fatal("no fixtures found")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			f := loadFixture(t, name)
			// A no-plugin file (saying why) marks input the plugin crashes on:
			// there is no plugin.json to compare with; an error_ fixture with
			// a plugin-mode file pins stepform's plugin-mode diagnostic.
			if _, err := os.Stat(filepath.Join(f.dir, "no-plugin")); err != nil {
				t.Run("plugin", func(t *testing.T) { testPluginMode(t, f) })
				if comparesWholeTemplate(f) {
					t.Run("whole", func(t *testing.T) { testWholeTemplate(t, f) })
				}
			}
			t.Run("default", func(t *testing.T) { testDefaultMode(t, f) })
		})
	}
}

func build(t *testing.T, f fixture, opts compiler.Options, format compiler.Format) []byte {
	t.Helper()
	out, sources, diags := compiler.Build(f.load, opts, format)
	if diags.HasErrors() {
		var buf bytes.Buffer
		diag.Render(&buf, diags, func(file string) []byte { return sources[file] })
		t.Fatalf("compile failed:\n%s", buf.String())
	}
	again, _, _ := compiler.Build(f.load, opts, format)
	if !bytes.Equal(out, again) {
		t.Fatalf("two runs gave different output:\n%s", firstDifference(out, again))
	}
	return out
}

func testPluginMode(t *testing.T, f fixture) {
	want, err := os.ReadFile(filepath.Join(f.dir, "plugin.json"))
	if err != nil {
		t.Fatalf("missing plugin.json (run tools/oracle/generate.sh %s): %v", f.name, err)
	}
	got := build(t, f, compiler.Options{Mode: compiler.Plugin, Base: f.base}, compiler.JSON)
	checkWellFormed(t, got)
	var gotDoc, wantDoc map[string]any
	mustUnmarshal(t, got, &gotDoc)
	mustUnmarshal(t, want, &wantDoc)
	gotDoc = normalizeDeploymentIDs(gotDoc).(map[string]any)
	wantDoc = normalizeDeploymentIDs(wantDoc).(map[string]any)
	framework := frameworkIDs(t, f)
	for _, section := range []string{"Resources", "Outputs"} {
		g, _ := gotDoc[section].(map[string]any)
		w, _ := wantDoc[section].(map[string]any)
		for _, id := range sortedKeys(w) {
			if framework[id] {
				continue
			}
			gv, ok := g[id]
			if !ok {
				t.Errorf("%s.%s: the plugin creates it, stepform does not:\n%s", section, id, pretty(w[id]))
				continue
			}
			if path, ok := sameAsCloudFormation(gv, w[id], id); !ok {
				t.Errorf("%s.%s differs at %s:\nstepform: %s\nplugin:   %s", section, id, path, pretty(at(gv, path, id)), pretty(at(w[id], path, id)))
			}
		}
		for _, id := range sortedKeys(g) {
			if _, ok := w[id]; !ok && !framework[id] {
				t.Errorf("%s.%s: stepform creates it, the plugin does not:\n%s", section, id, pretty(g[id]))
			}
		}
	}
	checkPluginWarnings(t, f)
}

// checkPluginWarnings compares plugin mode's rendered warnings with the
// fixture's plugin-warnings.txt, when it has one: input the plugin compiles
// but CloudFormation or Step Functions would reject.
func checkPluginWarnings(t *testing.T, f fixture) {
	golden := filepath.Join(f.dir, "plugin-warnings.txt")
	if _, err := os.Stat(golden); err != nil {
		return
	}
	_, sources, diags := compiler.Build(f.load, defaultOptions(t, f, compiler.Plugin), compiler.JSON)
	var buf bytes.Buffer
	diag.Render(&buf, diags, func(file string) []byte { return sources[file] })
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("plugin-mode warnings differ from %s:\n%s\n--- got:\n%s", golden, firstDifference(buf.Bytes(), want), buf.String())
	}
}

func testDefaultMode(t *testing.T, f fixture) {
	if _, err := os.Stat(filepath.Join(f.dir, "expected.txt")); err == nil {
		// Input the plugin compiles but stepform's default mode rejects.
		checkDiagnostics(t, f, compiler.Default)
		return
	}
	got := build(t, f, defaultOptions(t, f, compiler.Default), compiler.JSON)
	checkWellFormed(t, got)
	golden := filepath.Join(f.dir, "stepform.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("missing stepform.json (go test ./compiler -update): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("default output differs from %s (go test ./compiler -update to accept):\n%s", golden, firstDifference(got, want))
	}
	// The YAML rendering holds the same template.
	y := build(t, f, defaultOptions(t, f, compiler.Default), compiler.YAML)
	fromYAML, diags := compiler.ParseBase("out.yaml", y)
	if diags.HasErrors() {
		t.Fatalf("YAML output does not parse: %v\n%s", diags.Err(), y)
	}
	var fromJSON map[string]any
	mustUnmarshal(t, got, &fromJSON)
	if js := cfn.JSON(fromYAML); !bytes.Equal(js, cfn.JSON(fromJSON)) {
		t.Errorf("YAML and JSON outputs differ:\n%s", firstDifference(js, cfn.JSON(fromJSON)))
	}
}

// deploymentID matches an API Gateway deployment's logical ID. The plugin
// (and the framework) name it after the clock, stepform after a hash of
// the API, so plugin mode compares them as one name.
var deploymentID = regexp.MustCompile(`^ApiGatewayDeployment[0-9A-Za-z]+$`)

// normalizeDeploymentIDs renames every deployment logical ID, as a key or
// as a string value (Ref, DependsOn), to ApiGatewayDeployment*.
func normalizeDeploymentIDs(v any) any {
	const norm = "ApiGatewayDeployment*"
	switch x := v.(type) {
	case string:
		if deploymentID.MatchString(x) {
			return norm
		}
	case []any:
		for i, e := range x {
			x[i] = normalizeDeploymentIDs(e)
		}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if deploymentID.MatchString(k) {
				k = norm
			}
			out[k] = normalizeDeploymentIDs(e)
		}
		return out
	}
	return v
}

// frameworkIDs are the resources and outputs the framework itself makes
// for a service (deployment bucket, Lambda functions, their roles, log
// groups and versions), which stepform does not generate.
func frameworkIDs(t *testing.T, f fixture) map[string]bool {
	ids := map[string]bool{
		"ServerlessDeploymentBucket": true, "ServerlessDeploymentBucketPolicy": true,
		"IamRoleLambdaExecution": true, "ServerlessDeploymentBucketName": true,
	}
	svc, _, diags := schema.Load(f.load)
	if diags.HasErrors() {
		t.Fatalf("load: %v", diags.Err())
	}
	data, _ := os.ReadFile(filepath.Join(f.dir, "plugin.json"))
	var doc map[string]any
	mustUnmarshal(t, data, &doc)
	res, _ := doc["Resources"].(map[string]any)
	for _, fn := range svc.Functions {
		n := schema.NormalizeName(fn.Key)
		ids[n+"LambdaFunction"] = true
		ids[n+"LogGroup"] = true
		ids[n+"LambdaFunctionQualifiedArn"] = true
		for id := range res {
			if strings.HasPrefix(id, n+"LambdaVersion") && !isLayerVersionCopy(id, n) {
				ids[id] = true
			}
		}
	}
	return ids
}

// isLayerVersionCopy reports the copies useExactVersion adds: <version>L<8 hex>.
func isLayerVersionCopy(id, fn string) bool {
	i := strings.LastIndex(id, "L")
	return i > len(fn+"LambdaVersion") && len(id)-i-1 == 8
}

// sameAsCloudFormation compares two template values as CloudFormation
// reads them: numbers and booleans equal their string forms, DependsOn is
// a set and may be a single string or empty. It returns the path of the
// first difference.
func sameAsCloudFormation(a, b any, path string) (string, bool) {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			return path, false
		}
		for _, k := range unionKeys(av, bv) {
			if k == "DependsOn" {
				if !sameSet(av[k], bv[k]) {
					return path + ".DependsOn", false
				}
				continue
			}
			if p, ok := sameAsCloudFormation(av[k], bv[k], path+"."+k); !ok {
				return p, false
			}
		}
		return "", true
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return path, false
		}
		for i := range av {
			if p, ok := sameAsCloudFormation(av[i], bv[i], fmt.Sprintf("%s[%d]", path, i)); !ok {
				return p, false
			}
		}
		return "", true
	}
	if scalarText(a) == scalarText(b) && (a == nil) == (b == nil) {
		return "", true
	}
	return path, false
}

// at returns the value at a path that sameAsCloudFormation reported.
func at(v any, path, root string) any {
	rest := strings.TrimPrefix(path, root)
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, "["):
			end := strings.Index(rest, "]")
			var i int
			fmt.Sscanf(rest[1:end], "%d", &i)
			l, _ := v.([]any)
			if i >= len(l) {
				return nil
			}
			v, rest = l[i], rest[end+1:]
		case strings.HasPrefix(rest, "."):
			rest = rest[1:]
			end := strings.IndexAny(rest, ".[")
			key := rest
			if end >= 0 {
				key, rest = rest[:end], rest[end:]
			} else {
				rest = ""
			}
			m, _ := v.(map[string]any)
			v = m[key]
		default:
			return v
		}
	}
	return v
}

func scalarText(v any) string {
	switch x := v.(type) {
	case nil:
		return "<absent>"
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return fmt.Sprint(x)
	}
	return fmt.Sprintf("%T", v)
}

func sameSet(a, b any) bool {
	set := func(v any) []string {
		var out []string
		switch x := v.(type) {
		case string:
			out = []string{x}
		case []any:
			for _, e := range x {
				out = append(out, fmt.Sprint(e))
			}
		}
		sort.Strings(out)
		return out
	}
	return reflect.DeepEqual(set(a), set(b))
}

func unionKeys(a, b map[string]any) []string {
	union := map[string]any{}
	for k := range a {
		union[k] = nil
	}
	for k := range b {
		union[k] = nil
	}
	return sortedKeys(union)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkWellFormed re-parses an output and fails on anything that is not a
// plain CloudFormation value: leftover encoded intrinsics (ours, or
// goformation's base64 form), or invalid JSON.
func checkWellFormed(t *testing.T, out []byte) {
	t.Helper()
	var doc any
	mustUnmarshal(t, out, &doc)
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case string:
			if strings.Contains(x, "\x00cfn:") || looksLikeEncodedIntrinsic(x) {
				t.Errorf("%s: leftover encoded intrinsic %q", path, x)
			}
		case map[string]any:
			for k, e := range x {
				walk(e, path+"."+k)
			}
		case []any:
			for i, e := range x {
				walk(e, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	walk(doc, "$")
}

func looksLikeEncodedIntrinsic(s string) bool {
	if len(s) < 12 || len(s)%4 != 0 || strings.ContainsAny(s, " :.\n") {
		return false
	}
	raw, err := base64Decode(s)
	return err == nil && bytes.HasPrefix(raw, []byte(`{"`))
}

func mustUnmarshal(t testing.TB, data []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
}

func pretty(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// firstDifference shows the first differing line of two texts with context.
func firstDifference(got, want []byte) string {
	g := strings.Split(string(got), "\n")
	w := strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n  got:  %s\n  want: %s", i+1, gl, wl)
		}
	}
	return "(no difference)"
}

// TestErrors compiles every error_ fixture and compares the rendered
// diagnostics with its expected.txt.
func TestErrors(t *testing.T) {
	checkUpdateAllowed(t)
	_, names := fixtureNames(t)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			f := loadFixture(t, name)
			mode := compiler.Default
			if _, err := os.Stat(filepath.Join(f.dir, "plugin-mode")); err == nil {
				mode = compiler.Plugin
			}
			checkDiagnostics(t, f, mode)
		})
	}
}

// checkDiagnostics compiles a fixture that must fail and compares the
// rendered diagnostics with its expected.txt.
func checkDiagnostics(t *testing.T, f fixture, mode compiler.Mode) {
	out, sources, diags := compiler.Build(f.load, defaultOptions(t, f, mode), compiler.JSON)
	if !diags.HasErrors() || out != nil {
		t.Fatalf("expected errors, got none (output %d bytes)", len(out))
	}
	var buf bytes.Buffer
	diag.Render(&buf, diags, func(file string) []byte { return sources[file] })
	golden := filepath.Join(f.dir, "expected.txt")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("missing expected.txt (go test ./compiler -update): %v", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("diagnostics differ from %s:\n%s\n--- got:\n%s", golden, firstDifference(buf.Bytes(), want), buf.String())
	}
}
