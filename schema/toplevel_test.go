package schema

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stepform/stepform/schema/diag"
)

func decodeText(t *testing.T, src string) (*Service, diag.List) {
	t.Helper()
	root, d := ParseYAML("serverless.yml", []byte(src))
	if d.HasErrors() {
		t.Fatal(d.Err())
	}
	return Decode(root, "", "")
}

func renderDiags(diags diag.List) string {
	var b strings.Builder
	for _, d := range diags {
		sev := "warning"
		if d.Severity == diag.Error {
			sev = "error"
		}
		fmt.Fprintf(&b, "%s: %s: %s %s\n", d.Pos, sev, d.Summary, d.Detail)
	}
	return b.String()
}

// Misspelt top-level keys get a warning with a suggestion, and a template
// without state machines says so.
func TestUnknownTopLevelKeys(t *testing.T) {
	_, diags := decodeText(t, `service: s
provider: {name: aws}
stepFunction:
  stateMachines: {}
resource: {}
provder: {}
custom: {}
`)
	got := renderDiags(diags)
	for _, want := range []string{
		`serverless.yml:3:1: warning: unknown top-level key "stepFunction" The framework warns about it and ignores it unless a plugin defines it`,
		`Did you mean "stepFunctions"?`,
		`serverless.yml:5:1: warning: unknown top-level key "resource"`,
		`Did you mean "resources"?`,
		`serverless.yml:6:1: warning: unknown top-level key "provder"`,
		`Did you mean "provider"?`,
		`warning: no stepFunctions block The configuration has no stepFunctions: key, so the template holds no state machine. Is "stepFunction" meant to be stepFunctions?`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, `"custom"`) || diags.HasErrors() {
		t.Errorf("custom is known and nothing here is an error:\n%s", got)
	}
}

func TestEmptyStateMachinesWarns(t *testing.T) {
	for _, sm := range []string{"{}", "null"} {
		_, diags := decodeText(t, "service: s\nprovider: {name: aws}\nstepFunctions:\n  stateMachines: "+sm+"\n")
		if got := renderDiags(diags); !strings.Contains(got, "warning: no state machines stepFunctions.stateMachines is empty, so the template holds no state machine.") {
			t.Errorf("stateMachines: %s: no warning:\n%s", sm, got)
		}
	}
}

// functions: and resources: lists merge in order, as the framework's
// mergeArrays does; a scalar item is an error.
func TestFragmentListsMerge(t *testing.T) {
	svc, diags := decodeText(t, `service: s
provider: {name: aws}
functions:
  - a: {handler: h.a, timeout: 3}
  - null
  - b: {handler: h.b}
    a: {timeout: 9}
resources:
  - Resources: {Q: {Type: "AWS::SQS::Queue", Properties: {A: [1, 2]}}}
  - Resources: {Q: {Properties: {A: [3]}}}
stepFunctions: {stateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}}}}
`)
	if diags.HasErrors() {
		t.Fatal(renderDiags(diags))
	}
	if len(svc.Functions) != 2 || svc.Functions[0].Key != "a" || *svc.Functions[0].Timeout != 9 || svc.Functions[1].Key != "b" {
		t.Errorf("functions not merged in order: %+v %+v", svc.Functions[0], svc.Functions[1])
	}
	q := svc.Resources.Path("Resources.Q")
	if q.Get("Type").Value != "AWS::SQS::Queue" || len(q.Path("Properties.A").Items) != 2 || q.Path("Properties.A.0").Value != "3" {
		t.Errorf("resources not merged as lodash merges: %+v", q)
	}
	_, diags = decodeText(t, "service: s\nprovider: {name: aws}\nfunctions: [{a: {handler: h.a}}, oops]\nstepFunctions: {stateMachines: {}}\n")
	if got := renderDiags(diags); !strings.Contains(got, "serverless.yml:3:34: error: functions list item must be an object") {
		t.Errorf("scalar item not reported:\n%s", got)
	}
}

func TestTopLevelKeysFollowConfigValidationMode(t *testing.T) {
	for mode, want := range map[string]string{
		"error": `serverless.yml:2:1: error: unknown top-level key "resource" The framework rejects it (configValidationMode: error)`,
		"off":   "",
	} {
		_, diags := decodeText(t, "service: s\nresource: {}\nconfigValidationMode: "+mode+"\nstepFunctions: {stateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}}}}\n")
		got := renderDiags(diags)
		if want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("configValidationMode %s: got\n%s", mode, got)
		}
	}
}
