package compiler_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/schema"
)

func compileWithBase(t *testing.T, load schema.LoadOptions, mode compiler.Mode, base []byte) []byte {
	t.Helper()
	var tpl map[string]any
	if base != nil {
		b, diags := compiler.ParseBase("base.json", base)
		if diags.HasErrors() {
			t.Fatalf("base: %v", diags.Err())
		}
		tpl = b
	}
	out, _, diags := compiler.Build(load, compiler.Options{Mode: mode, Base: tpl}, compiler.JSON)
	if diags.HasErrors() {
		t.Fatalf("compile: %v", diags.Err())
	}
	return out
}

func modesOf(f fixture) []compiler.Mode {
	modes := []compiler.Mode{compiler.Default}
	if _, err := os.Stat(filepath.Join(f.dir, "no-plugin")); err != nil {
		modes = append(modes, compiler.Plugin)
	}
	return modes
}

func modeName(m compiler.Mode) string {
	if m == compiler.Plugin {
		return "plugin"
	}
	return "default"
}

// TestBaseIsIdempotent feeds every fixture's output back as --base, as
// `stepform package --base .serverless/cloudformation-template-update-stack.json`
// does when run again: the second and third runs must give the first
// run's template. A base the real plugin processed (plugin.json) must
// give the same template as the framework's own (base.json).
func TestBaseIsIdempotent(t *testing.T) {
	names, _ := fixtureNames(t)
	for _, name := range names {
		f := loadFixture(t, name)
		if _, err := os.Stat(filepath.Join(f.dir, "expected.txt")); err == nil {
			continue
		}
		frameworkBase, _ := os.ReadFile(filepath.Join(f.dir, "base.json"))
		pluginOut, _ := os.ReadFile(filepath.Join(f.dir, "plugin.json"))
		for _, mode := range modesOf(f) {
			t.Run(name+"/"+modeName(mode), func(t *testing.T) {
				first := compileWithBase(t, f.load, mode, frameworkBase)
				second := compileWithBase(t, f.load, mode, first)
				if string(second) != string(first) {
					t.Fatalf("second run with the first run's output as base differs:\n%s", firstDifference(second, first))
				}
				if third := compileWithBase(t, f.load, mode, second); string(third) != string(first) {
					t.Fatalf("third run differs:\n%s", firstDifference(third, first))
				}
				if frameworkBase != nil && pluginOut != nil {
					if fromPlugin := compileWithBase(t, f.load, mode, pluginOut); string(fromPlugin) != string(first) {
						t.Fatalf("the plugin's template as base gives another output than base.json:\n%s", firstDifference(fromPlugin, first))
					}
				}
			})
		}
	}
}

// TestBaseAfterRename compiles a service, renames the machine and its
// http paths, and compiles again with the first output as base: the
// result is the framework's base's, and no method, resource or machine of
// the old names stays.
func TestBaseAfterRename(t *testing.T) {
	f := loadFixture(t, "http_base_mixed_functions")
	frameworkBase, err := os.ReadFile(filepath.Join(f.dir, "base.json"))
	if err != nil {
		t.Fatal(err)
	}
	original, err := os.ReadFile(filepath.Join(f.dir, "serverless.yml"))
	if err != nil {
		t.Fatal(err)
	}
	renamed := strings.NewReplacer("http: POST users/start", "http: POST users/begin",
		"http: GET status", "http: GET health/{id}", "  stateMachines:\n    hello:", "  stateMachines:\n    greeter:").Replace(string(original))
	if strings.Count(renamed, "users/begin")+strings.Count(renamed, "health/{id}")+strings.Count(renamed, "greeter:") != 3 {
		t.Fatal("the fixture changed; update the replacements")
	}
	for _, mode := range []compiler.Mode{compiler.Default, compiler.Plugin} {
		t.Run(modeName(mode), func(t *testing.T) {
			before := compileWithBase(t, withConfig(f, string(original)), mode, frameworkBase)
			want := compileWithBase(t, withConfig(f, renamed), mode, frameworkBase)
			got := compileWithBase(t, withConfig(f, renamed), mode, before)
			if string(got) != string(want) {
				t.Fatalf("after the rename, the old output as base differs from the framework's base:\n%s", firstDifference(got, want))
			}
			for _, stale := range []string{"ApiGatewayMethodUsersStartPost", "ApiGatewayResourceStatus", "HelloStepFunctionsStateMachine"} {
				if !strings.Contains(string(before), stale) || strings.Contains(string(got), stale) {
					t.Errorf("%s: not in the first output, or still there after the rename", stale)
				}
			}
		})
	}
}

// TestBaseMergedCORSWarns: when a machine's endpoint leaves a path it
// shared with a function, the framework's OPTIONS method in the base
// still holds the machine's CORS settings; stepform says so.
func TestBaseMergedCORSWarns(t *testing.T) {
	f := loadFixture(t, "http_base_same_path")
	frameworkBase, _ := os.ReadFile(filepath.Join(f.dir, "base.json"))
	original, _ := os.ReadFile(filepath.Join(f.dir, "serverless.yml"))
	renamed := strings.Replace(string(original), "            path: items", "            path: orders", 1)
	before := compileWithBase(t, f.load, compiler.Default, frameworkBase)
	base, _ := compiler.ParseBase("base.json", before)
	_, _, diags := compiler.Build(withConfig(f, renamed), compiler.Options{Base: base}, compiler.JSON)
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary)
	}
	want := "--base: ApiGatewayMethodItemsOptions holds CORS settings of a state machine's endpoint"
	if !strings.Contains(strings.Join(got, "\n"), want) {
		t.Errorf("no warning %q in %q", want, got)
	}
	// Unchanged, the same base compiles as the framework's, without warning.
	_, _, diags = compiler.Build(f.load, compiler.Options{Base: base}, compiler.JSON)
	for _, d := range diags {
		if strings.HasPrefix(d.Summary, "--base:") {
			t.Errorf("unexpected %q", d.Summary)
		}
	}
}

func withConfig(f fixture, text string) schema.LoadOptions {
	load := f.load
	load.ReadFile = func(p string) ([]byte, error) {
		if p == "serverless.yml" {
			return []byte(text), nil
		}
		return os.ReadFile(filepath.Join(f.dir, p))
	}
	return load
}

// A base of odd shapes is cleared without a panic: what refers to a
// generated resource goes, the rest stays.
func TestBaseOddShapes(t *testing.T) {
	base := []byte(`{"Resources": {
	  "A": "text",
	  "B": {"Type": "AWS::ApiGateway::Method", "Properties": "text"},
	  "C": {"Type": "AWS::ApiGateway::GatewayResponse", "Properties": [1]},
	  "D": {"Type": "AWS::StepFunctions::StateMachine"},
	  "E": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Dimensions": [{"Value": {"Ref": "D"}}]}, "DependsOn": 5},
	  "F": {"Type": "AWS::ApiGateway::Method", "Properties": {"HttpMethod": "OPTIONS", "ResourceId": [{"Fn::GetAtt": 3}]}},
	  "G": {"Type": "AWS::SNS::Topic", "DependsOn": ["D", {"x": 1}, "A"]}},
	 "Outputs": {"O": "text", "P": {"Value": {"Fn::Sub": ["${D.Arn}", 1]}}}}`)
	f := loadFixture(t, "activities_only")
	out := string(compileWithBase(t, f.load, compiler.Default, base))
	for _, gone := range []string{`"D"`, `"E"`, `"P"`} {
		if strings.Contains(out, gone+":") {
			t.Errorf("%s stayed:\n%s", gone, out)
		}
	}
	for _, kept := range []string{`"A": "text"`, `"B"`, `"C"`, `"F"`, `"O": "text"`, `"DependsOn": [`} {
		if !strings.Contains(out, kept) {
			t.Errorf("%s is gone:\n%s", kept, out)
		}
	}
}
