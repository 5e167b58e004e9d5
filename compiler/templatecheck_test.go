package compiler_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// buildText compiles a serverless.yml given as text.
func buildText(t *testing.T, text string, mode compiler.Mode) ([]byte, diag.List) {
	t.Helper()
	load := schema.LoadOptions{
		ConfigPath: "serverless.yml", Stage: "dev",
		ReadFile: func(p string) ([]byte, error) {
			if p == "serverless.yml" {
				return []byte(text), nil
			}
			return nil, fmt.Errorf("no file %s", p)
		},
	}
	out, _, diags := compiler.Build(load, compiler.Options{Mode: mode}, compiler.JSON)
	return out, diags
}

const quotaService = `service: quotas
provider: {name: aws, runtime: nodejs18.x}
plugins: [serverless-step-functions]
stepFunctions:
  stateMachines:
    m:
      definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}
resources:
  Resources:
`

func summaries(l diag.List, severity diag.Severity) []string {
	var out []string
	for _, d := range l {
		if d.Severity == severity {
			out = append(out, d.Summary)
		}
	}
	return out
}

// TestResourceQuota: CloudFormation takes at most 500 resources a stack.
func TestResourceQuota(t *testing.T) {
	var b strings.Builder
	b.WriteString(quotaService)
	// The machine and its role are two; 498 more reach the limit.
	for i := 0; i < 498; i++ {
		fmt.Fprintf(&b, "    Topic%d: {Type: AWS::SNS::Topic}\n", i)
	}
	if out, diags := buildText(t, b.String(), compiler.Default); out == nil {
		t.Fatalf("500 resources rejected: %v", diags.Err())
	}
	b.WriteString("    OneTooMany: {Type: AWS::SNS::Topic}\n")
	out, diags := buildText(t, b.String(), compiler.Default)
	if out != nil || strings.Join(summaries(diags, diag.Error), "|") != "the template has 501 resources" {
		t.Errorf("501 resources: got errors %q", summaries(diags, diag.Error))
	}
	if code, _ := diag.CodeOf("the template has 501 resources"); code.ID != "SF9009" {
		t.Errorf("501 resources: code %q, want SF9009", code.ID)
	}
	out, diags = buildText(t, b.String(), compiler.Plugin)
	if out == nil || strings.Join(summaries(diags, diag.Warning), "|") != "the template has 501 resources" {
		t.Errorf("501 resources in plugin mode: want only a warning, got %v", diags)
	}
}

// TestTemplateSizeQuota: a template over 1 MB cannot be deployed from S3.
func TestTemplateSizeQuota(t *testing.T) {
	text := quotaService + "    Big:\n      Type: AWS::SSM::Parameter\n      Properties: {Type: String, Value: " +
		strings.Repeat("x", 1<<20) + "}\n"
	out, diags := buildText(t, text, compiler.Default)
	got := summaries(diags, diag.Error)
	if out != nil || len(got) != 1 || !strings.HasPrefix(got[0], "the template is ") {
		t.Errorf("a template over 1 MB: got errors %q", got)
	}
	for _, d := range diags {
		if code, ok := diag.CodeOf(d.Summary); !ok || code.ID != "SF9010" {
			t.Errorf("%q: code %q, want SF9010", d.Summary, code.ID)
		}
	}
	small := quotaService + "    Small:\n      Type: AWS::SSM::Parameter\n      Properties: {Type: String, Value: " +
		strings.Repeat("x", 1<<19) + "}\n"
	if out, diags := buildText(t, small, compiler.Default); out == nil {
		t.Errorf("a template of half a megabyte rejected: %v", diags.Err())
	}
}

// TestTemplateChecksWarnInPluginMode: the plugin writes templates that
// fail to deploy without complaint, so each default-mode error of these
// fixtures is a warning at the same place in plugin mode, and plugin mode
// still produces output.
func TestTemplateChecksWarnInPluginMode(t *testing.T) {
	for _, name := range []string{
		"error_intrinsic_shapes", "error_template_cycle", "template_checks_with_base",
		"tags_empty_values", "iam_permission_no_resource",
	} {
		t.Run(name, func(t *testing.T) {
			f := loadFixture(t, name)
			_, _, defaults := compiler.Build(f.load, compiler.Options{Mode: compiler.Default, Base: f.base}, compiler.JSON)
			out, _, plugins := compiler.Build(f.load, compiler.Options{Mode: compiler.Plugin, Base: f.base}, compiler.JSON)
			if out == nil || plugins.HasErrors() {
				t.Fatalf("plugin mode failed: %v", plugins.Err())
			}
			warned := map[string]bool{}
			for _, d := range plugins {
				if d.Severity == diag.Warning {
					warned[d.Pos.String()+" "+d.Summary] = true
				}
			}
			errs := 0
			for _, d := range defaults {
				if d.Severity != diag.Error {
					continue
				}
				errs++
				if !warned[d.Pos.String()+" "+d.Summary] {
					t.Errorf("default-mode error %s: %s has no plugin-mode warning", d.Pos, d.Summary)
				}
			}
			if errs == 0 {
				t.Error("the default mode reports no error")
			}
		})
	}
}
