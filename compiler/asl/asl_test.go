package asl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepform/stepform/schema"
)

func TestCheckPath(t *testing.T) {
	cases := []struct {
		path string
		kind pkind
		ok   bool
	}{
		{"$", pathKind, true},
		{"$.a.b", pathKind, true},
		{"$.a-b.c", refPathKind, true}, // Jayway accepts a-b bare; RFC 9535 only bracketed
		{"$.0abc", refPathKind, true},
		{`$.store\.book`, refPathKind, true},
		{"$['a b'][0]", refPathKind, true},
		{"$$.Execution.Id", refPathKind, true},
		{"$$.Map.Item.Value", pathKind, true},
		{"$myVar.x", refPathKind, true},
		{"$myVar", resultPathKind, false},
		{"$.items[*]", pathKind, true},
		{"$.items[*]", refPathKind, false},
		{"$..x", pathKind, true},
		{"$..x", refPathKind, false},
		{"$.a[?(@.x > 1)]", pathKind, true},
		{"$.a[(@.length-1)]", pathKind, true},
		{"$.a[-1]", refPathKind, false},
		{"$.a[", pathKind, false},
		{"a.b", pathKind, false},
		{"$.a b", pathKind, false},
		{"States.Format('x {}', $.a)", payloadKind, true},
		{"States.Format('x {}', $.a)", pathKind, false},
		{"States.Array()", payloadKind, true},
		{"States.UUID()", payloadKind, true},
		{"States.UUID(1)", payloadKind, false},
		{"States.MathAdd($.a, -1)", payloadKind, true},
		{"States.JsonToString(States.StringToJson($.a))", payloadKind, true},
		{"States.Formatt('x')", payloadKind, false},
		{"States.Format('x'", payloadKind, false},
		{"States.Hash($.a, 'SHA-1') extra", payloadKind, false},
	}
	for _, c := range cases {
		msg, _ := checkPath(c.path, c.kind)
		if (msg == "") != c.ok {
			t.Errorf("checkPath(%q, %d): ok=%v, want %v (%s)", c.path, c.kind, msg == "", c.ok, msg)
		}
	}
}

func TestJSONataError(t *testing.T) {
	for expr, ok := range map[string]bool{
		" $states.input.a ":   true,
		" $x ?: 1 ":           true, // JSONata 2.x: not judged
		" $states.input.a + ": false,
		" (":                  false,
	} {
		if got := jsonataError(expr) == ""; got != ok {
			t.Errorf("jsonataError(%q): ok=%v, want %v", expr, got, ok)
		}
	}
}

// definitionSeeds are the definitions of every fixture.
func definitionSeeds(f *testing.F) {
	files, _ := filepath.Glob("../../fixtures/*/serverless.yml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		root, _ := schema.ParseYAML("serverless.yml", data)
		machines := root.Path("stepFunctions.stateMachines")
		if machines == nil {
			continue
		}
		for _, p := range machines.Pairs {
			if def := p.Value.Get("definition"); def != nil && def.Kind == schema.Map {
				f.Add([]byte(strings.TrimSpace(render(def, ""))))
			}
		}
	}
	f.Add([]byte(`{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "States.Format('{}', $.a[?(@.b)])"}, "End": true}}}`))
	f.Add([]byte(`{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.input %}", "End": true}}}`))
}

// render writes n as JSON-ish flow YAML, enough to re-parse it.
func render(n *schema.Node, indent string) string {
	switch n.Kind {
	case schema.Map:
		parts := make([]string, 0, len(n.Pairs))
		for _, p := range n.Pairs {
			parts = append(parts, quote(p.Key)+": "+render(p.Value, indent))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case schema.List:
		parts := make([]string, 0, len(n.Items))
		for _, it := range n.Items {
			parts = append(parts, render(it, indent))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case schema.String:
		return quote(n.Value)
	case schema.Null:
		return "null"
	}
	return n.Value
}

func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// FuzzValidate validates arbitrary definitions under every option; it
// must not panic, and must report at least what plugin mode reports.
func FuzzValidate(f *testing.F) {
	definitionSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		def, diags := schema.ParseYAML("definition.yml", data)
		if diags.HasErrors() || def == nil {
			return
		}
		for _, strict := range []bool{false, true} {
			plugin := Validate(def, Options{Strict: strict, Plugin: true})
			dflt := Validate(def, Options{Strict: strict})
			if plugin.HasErrors() && !dflt.HasErrors() {
				t.Fatalf("strict=%v: plugin mode has errors the default mode does not:\n%v", strict, plugin)
			}
			if strict && !plugin.HasErrors() && Validate(def, Options{Plugin: true}).HasErrors() {
				t.Fatal("plugin mode without validate has errors")
			}
		}
	})
}

// TestSeverity pins who rejects what: asl-validator's rules are errors
// with validate: true in both modes; Step Functions' own rules are errors
// in the default mode and warnings in plugin mode.
func TestSeverity(t *testing.T) {
	parse := func(src string) *schema.Node {
		n, d := schema.ParseYAML("d.yml", []byte(src))
		if d.HasErrors() {
			t.Fatal(d)
		}
		return n
	}
	aslRule := parse(`{StartAt: A, States: {A: {Type: Pass, Next: Gone}}}`)
	awsRule := parse(`{StartAt: A, States: {A: {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Retry: [{ErrorEquals: [States.ALL]}, {ErrorEquals: [States.Timeout]}], End: true}}}`)
	lintRule := parse(`{StartAt: A, States: {A: {Type: Wait, Seconds: {Ref: S}, End: true}}}`)
	for _, c := range []struct {
		name       string
		def        *schema.Node
		opts       Options
		errs, warn bool
	}{
		{"asl default", aslRule, Options{}, true, false},
		{"asl plugin", aslRule, Options{Plugin: true}, false, true},
		{"asl plugin validate", aslRule, Options{Plugin: true, Strict: true}, true, false},
		{"aws default", awsRule, Options{}, true, false},
		{"aws plugin validate", awsRule, Options{Plugin: true, Strict: true}, false, true},
		{"lint default", lintRule, Options{}, false, false},
		{"lint plugin validate", lintRule, Options{Plugin: true, Strict: true}, true, false},
	} {
		d := Validate(c.def, c.opts)
		warn := len(d) > 0 && !d.HasErrors()
		if d.HasErrors() != c.errs || warn != c.warn {
			t.Errorf("%s: errors=%v warnings-only=%v, want %v %v: %v", c.name, d.HasErrors(), warn, c.errs, c.warn, d)
		}
	}
}

// TestLargeScopes: a scope of more states than find scans (scanLimit)
// finds them by name the same way: transitions, unreachable states and
// duplicate names are reported at the state's key.
func TestLargeScopes(t *testing.T) {
	for _, n := range []int{3, scanLimit + 4} {
		var b strings.Builder
		b.WriteString("StartAt: S0\nStates:\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "  S%d: {Type: Pass, Next: S%d}\n", i, i+1)
		}
		fmt.Fprintf(&b, "  S%d:\n    Type: Parallel\n    End: true\n    Branches:\n      - StartAt: S0\n        States: {S0: {Type: Succeed}}\n", n)
		fmt.Fprintf(&b, "  Lost: {Type: Succeed}\n")
		def, d := schema.ParseYAML("d.yml", []byte(b.String()))
		if d.HasErrors() {
			t.Fatal(d)
		}
		got := Validate(def, Options{Plugin: true, Strict: true})
		var lines []string
		for _, x := range got {
			lines = append(lines, fmt.Sprintf("%d:%d %s", x.Pos.Line, x.Pos.Col, x.Summary))
		}
		want := []string{
			fmt.Sprintf("%d:3 state \"Lost\" is unreachable", n+9),
			fmt.Sprintf("%d:18 duplicate state name \"S0\"", n+8),
		}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("%d states:\n%s\nwant\n%s", n, strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
	}
}
